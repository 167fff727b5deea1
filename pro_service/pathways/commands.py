"""`pro-service` commands of the pathway area: units, demo data, outbox delivery, reminders."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from pro_service import db, definitions
from pro_service.pathways.invitations import queue_reminders
from pro_service.pathways.operations import PathwayError, create_unit
from pro_service.pathways.outbox import backends_from_settings, deliver_pending
from pro_service.pathways.patient_commands import patients_cli
from pro_service.types import utcnow
from sqlmodel import select


def _settings():
    return current_app.config["SETTINGS"]


units_cli = AppGroup("units", help="Treatment units, whose patients API clients and clinicians see.")


@units_cli.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--phone", default=None, help="Shown to respondents in their invitation.")
@click.option("--email", default=None, help="Shown to respondents in their invitation.")
def units_create(code: str, name: str, phone: str | None, email: str | None) -> None:
    """Create a unit with a unique CODE (e.g. the EPR's unit code) and a NAME."""
    try:
        with db.unit_of_work():
            unit = create_unit(code=code, name=name, phone=phone, email=email)
    except PathwayError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Unit {unit.code} created ({unit.name}).")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill the database with a demo unit and patients, and print invitation links."""
    from pro_service.demo import DEMO_UNIT_CODE, answer_invitation, create_demo
    from pro_service.pathways.models import Unit
    from pro_service.reports.demo import create_ended_pathways, demo_leader

    with db.unit_of_work() as session:
        result = create_demo(packages=definitions.packages(), base_url=_settings().base_url)
        unit = session.exec(select(Unit).where(Unit.code == DEMO_UNIT_CODE)).one()
        if result.created:
            create_ended_pathways(unit=unit, packages=definitions.packages(), today=utcnow().date(),
                                  timezone=_settings().timezone, base_url=_settings().base_url,
                                  answer=answer_invitation)
        leader = demo_leader(unit)
    base = _settings().base_url.rstrip("/")
    click.echo(f"Demo unit {DEMO_UNIT_CODE} {'created' if result.created else 'already present'}.")
    click.echo(f"\nPatients: open a link, or enter the code at {base}/code")
    for name, link, code in result.links:
        click.echo(f"  {name}: {link}   (code {code})")
    click.echo(f"\nClinic: log in at {base}/login")
    if result.clinician:
        click.echo(f"  clinician:    {result.clinician[0]}   one-time password {result.clinician[1]}")
    click.echo(f"  unit leader:  {leader[0]}   one-time password {leader[1]}   (quality report: {base}/clinic/quality)")
    click.echo("  A one-time password works for one login, which asks you to choose your own password;"
               " run `pro-service demo` again for new ones.")


outbox_cli = click.Group("outbox", help="Messages to respondents.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages in one run.")
@with_appcontext
def outbox_send(limit: int) -> None:
    """Deliver queued messages (SMTP when SMTP_HOST is set, else files in instance/outbox/)."""
    with db.unit_of_work():
        report = deliver_pending(backends=backends_from_settings(_settings()), limit=limit)
    click.echo(f"{report.sent} sent, {report.failed} failed (failed ones are retried on the next run).")


@click.command("reminders")
@with_appcontext
def reminders_command() -> None:
    """Queue one reminder for each invitation whose assessments are due and unanswered."""
    with db.unit_of_work():
        reminded = queue_reminders(now=utcnow(), base_url=_settings().base_url)
    click.echo(f"{len(reminded)} reminder(s) queued; run `pro-service outbox send` to deliver them.")


COMMANDS = [units_cli, demo_command, outbox_cli, reminders_command, patients_cli]
