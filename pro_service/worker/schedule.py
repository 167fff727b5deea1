"""The worker's loop: each job runs at its own interval; a stop signal ends the loop between jobs."""
from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pro_service import db
from pro_service.config import Settings
from pro_service.pathways.outbox import Backend, backends_from_settings
from pro_service.types import utcnow
from pro_service.worker import jobs
from pro_service.worker.claims import sqlite_round

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Intervals:
    """Seconds between two runs of each job."""

    outbox: float = 30
    reminders: float = 3600
    expire: float = 3600
    letters: float = 900
    reports: float = 30


@dataclass(frozen=True)
class Job:
    name: str
    every: float
    run: Callable[[], jobs.Outcome]


def plan(settings: Settings, intervals: Intervals, *, letters_out: Path, batch: int,
         backends: dict[str, Backend] | None = None) -> list[Job]:
    """The jobs in the order one round runs them: expired messages are withdrawn before anything is sent;
    reminders, then follow-up invitations, are queued before the outbox is emptied, so they leave in the
    same round (and a follow-up invitation is not reminded in the round that issued it)."""
    backends = backends or backends_from_settings(settings)
    return [
        Job("expire", intervals.expire, lambda: jobs.withdraw_expired(now=utcnow())),
        Job("reminders", intervals.reminders, lambda: jobs.send_reminders(now=utcnow(), base_url=settings.base_url)),
        Job("follow-ups", intervals.reminders,
            lambda: jobs.invite_follow_ups(now=utcnow(), base_url=settings.base_url)),
        Job("outbox", intervals.outbox, lambda: jobs.send_outbox(backends=backends, batch=batch)),
        Job("letters", intervals.letters, lambda: jobs.render_due_letters(now=utcnow(), out=letters_out, batch=batch)),
        Job("reports", intervals.reports, lambda: jobs.refresh_reports(timezone=settings.timezone, batch=batch)),
    ]


def run_round(settings: Settings, due: list[Job]) -> dict[str, jobs.Outcome]:
    """Run `due` once each; a failing job is logged (by its error's class) and the others still run."""
    outcomes = {}
    with sqlite_round(settings.database_url):
        for job in due:
            try:
                outcomes[job.name] = job.run()
            except Exception as exc:  # noqa: BLE001 - the database may be restarting: try again next time
                log.error("worker job %s failed (%s)", job.name, type(exc).__name__)
                db.session().rollback()
            else:
                log.info("worker job %s: %s", job.name, outcomes[job.name])
    # Nothing is held between rounds: no stale rows in the session, no connection out of the pool (which
    # checks it again before the next round, so a database restart in between costs nothing).
    db.session().close()
    return outcomes


def run_forever(settings: Settings, schedule: list[Job], *, stop: threading.Event | None = None) -> None:
    """Run each job when its interval has passed, until SIGTERM or SIGINT (the current job finishes first)."""
    stop = stop or _stop_on_signals()
    next_run = {job.name: 0.0 for job in schedule}
    while not stop.is_set():
        now = time.monotonic()
        due = [job for job in schedule if next_run[job.name] <= now]
        if due:
            run_round(settings, due)
            for job in due:
                next_run[job.name] = time.monotonic() + job.every
        stop.wait(max(0.0, min(next_run.values()) - time.monotonic()))


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stop.set())
    return stop
