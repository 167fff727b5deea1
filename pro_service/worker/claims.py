"""Claims: how two workers on one database divide the work without doing any of it twice.

On PostgreSQL a row is claimed by locking it with ``FOR UPDATE SKIP LOCKED``
in the transaction that does its work: another worker's query passes over it
instead of waiting, and once the transaction commits the row no longer matches
(sent, rendered). A job that works on a whole set at once (reminders, expired
invitations) takes a transaction-level advisory lock instead, so it runs in one
worker at a time. SQLite has one writer anyway: there a file lock beside the
database makes each worker's round of jobs run alone.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import exists, func, select as sa_select
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from pro_service import db
from pro_service.letters.models import Letter
from pro_service.letters.operations import LETTER_MILESTONES
from pro_service.pathways.models import MilestoneEvent
from pro_service.worker.models import RenderedLetter


def job_lock(name: str) -> bool:
    """Whether this transaction holds the job `name`; False when another worker is running it now."""
    session = db.session()
    if session.get_bind().dialect.name != "postgresql":
        return True  # SQLite: the round's file lock already serialises the workers
    key = int.from_bytes(hashlib.sha256(f"pro-service job {name}".encode()).digest()[:8], "big", signed=True)
    return bool(session.execute(sa_select(func.pg_try_advisory_xact_lock(key))).scalar())


def claim_due_letters(*, now: datetime, limit: int, skip: set[str]) -> list[MilestoneEvent]:
    """Lock up to `limit` letter milestone events up to `now` with neither a finalized nor a rendered letter.

    FOR NO KEY UPDATE: a clinician finalizing one of these letters meanwhile
    (a foreign key to the event) is not held up by the claim.
    """
    query = (
        select(MilestoneEvent)
        .where(col(MilestoneEvent.milestone_id).in_(LETTER_MILESTONES), MilestoneEvent.occurred_at <= now,
               ~exists().where(Letter.milestone_event_id == MilestoneEvent.id),
               ~exists().where(RenderedLetter.milestone_event_id == MilestoneEvent.id))
        .order_by(col(MilestoneEvent.occurred_at), col(MilestoneEvent.id))
        .limit(limit)
        .with_for_update(skip_locked=True, key_share=True, of=MilestoneEvent)
    )
    if skip:
        query = query.where(col(MilestoneEvent.id).not_in(skip))
    return list(db.session().exec(query).all())


@contextlib.contextmanager
def sqlite_round(database_url: str) -> Iterator[None]:
    """On SQLite, one worker's round of jobs at a time (a lock file beside the database); elsewhere nothing."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    lock_path = Path(url.database).with_name(Path(url.database).name + ".worker-lock")
    with open(lock_path, "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
