"""`pro-service worker`: the scheduled jobs, in a process of their own beside the web instances."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from pro_service.worker.schedule import Intervals, plan, run_forever, run_round

SECONDS = click.FloatRange(min=1)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every job once and exit (cron, tests).")
@click.option("--outbox-every", type=SECONDS, default=Intervals.outbox, show_default=True,
              help="Seconds between outbox deliveries.")
@click.option("--reminders-every", type=SECONDS, default=Intervals.reminders, show_default=True,
              help="Seconds between reminder runs (and invitations to follow-ups that have opened).")
@click.option("--expire-every", type=SECONDS, default=Intervals.expire, show_default=True,
              help="Seconds between withdrawals of expired invitations' messages.")
@click.option("--letters-every", type=SECONDS, default=Intervals.letters, show_default=True,
              help="Seconds between due-letter batches.")
@click.option("--reports-every", type=SECONDS, default=Intervals.reports, show_default=True,
              help="Seconds between rewrites of the report rows respondents' answers left queued.")
@click.option("--letters-out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the due letters' PDFs (default: instance/letters).")
@click.option("--batch", type=click.IntRange(min=1, max=1000), default=50, show_default=True,
              help="Rows one transaction claims.")
@with_appcontext
def worker_command(once: bool, outbox_every: float, reminders_every: float, expire_every: float,
                   letters_every: float, reports_every: float, letters_out: Path | None, batch: int) -> None:
    """Send the outbox, queue reminders and follow-up invitations, withdraw expired invitations' messages
    render due letters and rewrite the report rows respondents' answers left queued.

    Several workers may share one PostgreSQL database: none sends a message or
    renders a letter another has taken.
    """
    settings = current_app.config["SETTINGS"]
    schedule = plan(settings, Intervals(outbox_every, reminders_every, expire_every, letters_every, reports_every),
                    letters_out=letters_out or settings.instance_dir / "letters", batch=batch)
    if not once:
        click.echo(f"Worker running {', '.join(job.name for job in schedule)} (Ctrl-C stops it).")
        run_forever(settings, schedule)
        return
    outcomes = run_round(settings, schedule)
    for job in schedule:
        outcome = outcomes.get(job.name)
        if outcome is None:
            click.echo(f"{job.name}: failed (see the log)")
        elif outcome.skipped:
            click.echo(f"{job.name}: another worker is running it")
        else:
            click.echo(f"{job.name}: {outcome.done} done, {outcome.failed} failed")
    if len(outcomes) < len(schedule):
        raise click.exceptions.Exit(1)
