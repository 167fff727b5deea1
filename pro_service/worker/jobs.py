"""The worker's jobs. Each works in units of work of its own and returns how much it did.

A job commits in small batches, so what it has done is kept if the worker is
stopped, and its claims (`claims`) are held only for one batch.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import update
from sqlmodel import col, select

from pro_service import db, definitions
from pro_service.letters.operations import preview_letter
from pro_service.pathways.follow_up import issue_opened_follow_ups
from pro_service.pathways.invitations import queue_reminders
from pro_service.pathways.models import Invitation, OutboxMessage
from pro_service.pathways.outbox import MAX_ATTEMPTS, Backend, deliver_pending
from pro_service.reports.operations import refresh_queued
from pro_service.worker.claims import claim_due_letters, job_lock
from pro_service.worker.models import RenderedLetter

log = logging.getLogger(__name__)
EXPIRED = "InvitationExpired"
"""`last_error` of a message withdrawn because its invitation expired before it was sent."""


@dataclass(frozen=True)
class Outcome:
    done: int
    failed: int = 0
    skipped: bool = False  # another worker was running the job


def send_outbox(*, backends: dict[str, Backend], batch: int) -> Outcome:
    """Deliver every queued message, `batch` at a time; one that fails waits for the next round."""
    sent, failed = 0, set()
    while True:
        with db.unit_of_work():
            report = deliver_pending(backends=backends, limit=batch, skip=failed)
        sent += report.sent
        failed.update(report.failed_ids)
        if report.sent + report.failed < batch:
            return Outcome(done=sent, failed=len(failed))


def send_reminders(*, now: datetime, base_url: str) -> Outcome:
    """Queue the one reminder each invitation gets when its assessments are due and unanswered."""
    with db.unit_of_work():
        if not job_lock("reminders"):
            return Outcome(done=0, skipped=True)
        return Outcome(done=len(queue_reminders(now=now, base_url=base_url)))


def invite_follow_ups(*, now: datetime, base_url: str) -> Outcome:
    """Invite to the follow-ups after a pathway's end whose questionnaires have opened (once each)."""
    with db.unit_of_work():
        if not job_lock("follow-ups"):
            return Outcome(done=0, skipped=True)
        return Outcome(done=len(issue_opened_follow_ups(now=now, base_url=base_url)))


def withdraw_expired(*, now: datetime) -> Outcome:
    """Messages of invitations that expired before they left are not sent: the link in them no longer works.

    Their body (which holds the link) is erased, as a sent one's is.
    """
    with db.unit_of_work() as session:
        if not job_lock("expire"):
            return Outcome(done=0, skipped=True)
        expired = select(Invitation.id).where(Invitation.used_at.is_(None), Invitation.expires_at <= now)
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
                   col(OutboxMessage.invitation_id).in_(expired))
            .values(body=None, attempts=MAX_ATTEMPTS, last_error=EXPIRED)
            .execution_options(synchronize_session=False)
        )
        return Outcome(done=result.rowcount or 0)


def refresh_reports(*, timezone: str, batch: int) -> Outcome:
    """Rewrite the report rows of the pathways respondents' submits queued, `batch` pathways a transaction."""
    done = 0
    while True:
        with db.unit_of_work() as session:
            count = refresh_queued(session=session, catalog=definitions.catalog(), packages=definitions.packages(),
                                   timezone=timezone, limit=batch, skip_locked=True)
        done += count
        if count < batch:
            return Outcome(done=done)


def render_due_letters(*, now: datetime, out: Path, batch: int) -> Outcome:
    """Render every due letter that was neither finalized nor rendered before into `out` as <event id>.pdf.

    A letter that cannot be made (no GP yet, say) is tried again next round;
    its failure is logged by event id only.
    """
    out.mkdir(parents=True, exist_ok=True)
    rendered, failed = 0, set()
    while True:
        with db.unit_of_work() as session:
            events = claim_due_letters(now=now, limit=batch, skip=failed)
            for event in events:
                try:
                    with session.begin_nested():
                        pdf = preview_letter(milestone_event_id=event.id, note="").pdf
                except Exception as exc:  # noqa: BLE001 - one letter must not hold back the others
                    failed.add(event.id)
                    log.info("letter for milestone event %s not rendered (%s)", event.id, type(exc).__name__)
                    continue
                _write_atomically(out / f"{event.id}.pdf", pdf)
                session.add(RenderedLetter(milestone_event_id=event.id, sha256=hashlib.sha256(pdf).hexdigest()))
                rendered += 1
            session.flush()
        if len(events) < batch:
            return Outcome(done=rendered, failed=len(failed))


def _write_atomically(path: Path, data: bytes) -> None:
    # A reader of the folder never sees half a PDF; the file appears whole or not at all.
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(path)
