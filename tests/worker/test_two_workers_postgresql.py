"""Two workers on one PostgreSQL at the same moment: every message delivered once, every due letter rendered once.

Both worker processes are started while the test holds an exclusive lock on
the outbox table, and released together once both wait on it, so their rounds
really overlap. They claim rows with FOR UPDATE SKIP LOCKED (outbox, letters)
and take advisory locks for whole-set jobs (reminders, expiry).
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, text
from sqlmodel import select

from pro_service import create_app, db, definitions
from pro_service.config import Settings
from pro_service.letters.operations import set_general_practitioner
from pro_service.pathways.models import Assessment, Invitation, OutboxMessage
from pro_service.pathways.operations import create_unit, register_milestone, register_patient, start_pathway
from pro_service.pathways.outbox import queue_message
from pro_service.types import utcnow
from pro_service.worker.jobs import EXPIRED as EXPIRED_ERROR
from pro_service.worker.models import RenderedLetter
from tests.instances.servers import in_ci
from tests.letters.conftest import answer

MESSAGES = 240
PATHWAYS = 3  # each with a clinical decision and an evaluation: two due letters
REMINDED = 6
EXPIRED = 3
BATCH = 3
WAIT_TIMEOUT = 60.0
RUN_TIMEOUT = 120.0
SCRIPT = Path(__file__).with_name("two_workers_run.py")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def schema_url():
    """A new, migrated schema on the suite's PostgreSQL, dropped afterwards."""
    if not os.environ.get("TEST_DATABASE_URL"):
        if in_ci():
            pytest.fail("TEST_DATABASE_URL is not set under CI (.ci/run sets it)")
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL")
    base = Settings(database_url=os.environ["TEST_DATABASE_URL"]).database_url
    schema = f"workers_{secrets.token_hex(6)}"
    engine = db.make_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}",
                                                "application_name": schema})
        url = url.render_as_string(hide_password=False)
        db.upgrade_database(url)
        yield url, schema
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def _seed(session) -> tuple[list[str], set[str]]:
    """Queued messages, and pathways with due letters and due, unanswered invitations."""
    package = definitions.packages()["mh_adults"]
    unit = create_unit(code="W", name="DPS Worker", phone="22 00 00 00")
    start = utcnow() - timedelta(days=200)
    due_letters = set()
    for number in range(PATHWAYS):
        patient, _ = register_patient(unit=unit, external_id=f"EPR-{number}", name=f"Pasient {number}",
                                      birth_date=date(1990, 5, 17))
        pathway, _ = start_pathway(patient=patient, package=package, started_at=start, by="test",
                                   base_url="http://localhost")
        for milestone_id, days in (("clinical_decision", 30), ("evaluation", 120)):
            event = register_milestone(pathway=pathway, package=package, milestone_id=milestone_id,
                                       occurred_at=start + timedelta(days=days), by="test",
                                       base_url="http://localhost").event
            for assessment in session.exec(select(Assessment).where(Assessment.milestone_event_id == event.id)):
                if assessment.instrument_id in ("phq9", "gad7"):
                    answer(session, assessment, 10, event.occurred_at - timedelta(days=1))
            due_letters.add(event.id)
        set_general_practitioner(patient=patient, name="Dr. Per Hansen", practice="Storgata legekontor")
    for number, days_ago in enumerate([20] * REMINDED + [60] * EXPIRED):
        # Start invitations: due after 14 days (a reminder), expired after 42 (withdrawn, never sent).
        patient, _ = register_patient(unit=unit, external_id=f"EPR-R{number}", name=f"Pasient R{number}",
                                      birth_date=date(1990, 5, 17), email=f"p{number}@example.no")
        start_pathway(patient=patient, package=package, started_at=utcnow() - timedelta(days=days_ago), by="test",
                      base_url="http://localhost")
    messages = [queue_message(channel="email", recipient=f"r{n}@example.no", subject="s", body=f"b{n}").id
                for n in range(MESSAGES)]
    return messages, due_letters


def _waiting_on_locks(connection, application_name: str) -> int:
    count = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                                    "AND wait_event_type = 'Lock'"), {"name": application_name}).scalar()
    connection.rollback()  # a fresh snapshot of pg_stat_activity next time
    return count


def test_two_workers_deliver_each_message_and_render_each_letter_once(schema_url, tmp_path):
    url, schema = schema_url
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_DIR": str(tmp_path / "instance"),
           "PRO_SERVICE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    app = create_app({"database_url": url, "instance_dir": tmp_path / "instance"})
    try:
        with app.app_context(), db.unit_of_work() as session:
            messages, due_letters = _seed(session)
        gate_engine = db.make_engine(url)
        with gate_engine.connect() as gate, gate_engine.connect() as watcher:
            gate.execute(text("LOCK TABLE outbox_message IN ACCESS EXCLUSIVE MODE"))
            workers = [subprocess.Popen([sys.executable, str(SCRIPT), str(tmp_path / "outbox"),
                                         str(tmp_path / "letters"), str(BATCH)], env=env, cwd=PROJECT_ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                       for _ in range(2)]
            deadline = time.monotonic() + WAIT_TIMEOUT
            while _waiting_on_locks(watcher, schema) < 2:
                assert time.monotonic() < deadline, "the two workers never both reached the outbox"
                assert all(worker.poll() is None for worker in workers), [w.communicate() for w in workers]
                time.sleep(0.1)
            gate.rollback()  # both go at once
        reports = []
        for worker in workers:
            out, err = worker.communicate(timeout=RUN_TIMEOUT)
            assert worker.returncode == 0, err[-3000:]
            reports.append(json.loads(out.strip().splitlines()[-1]))
        gate_engine.dispose()

        delivered = [ids for report in reports for ids in report["delivered"]]
        split = [len(report["delivered"]) for report in reports]
        print(f"messages per worker: {split}; letters per worker: "
              f"{[report['outcomes']['letters'][0] for report in reports]}")
        assert len(delivered) == len(set(delivered))  # none twice
        assert all(count > 0 for count in split)  # both really worked, side by side
        assert sum(report["outcomes"]["letters"][0] for report in reports) == len(due_letters)
        assert {path.stem for path in (tmp_path / "letters").glob("*.pdf")} == due_letters
        with app.app_context():
            session = db.session()
            stored = session.exec(select(OutboxMessage)).all()
            sent = {m.id for m in stored if m.sent_at is not None}
            withdrawn = [m for m in stored if m.last_error == EXPIRED_ERROR]
            # Each message sent exactly once or withdrawn (its invitation expired), none left, none both.
            assert set(delivered) == sent and set(messages) <= sent
            assert len(sent) + len(withdrawn) == len(stored) == MESSAGES + 2 * REMINDED + EXPIRED
            assert all(m.attempts == 1 for m in stored if m.id in sent)
            assert all(m.body is None and m.id not in sent for m in withdrawn)
            assert {row.milestone_event_id for row in session.exec(select(RenderedLetter))} == due_letters
            reminders = list(session.exec(select(Invitation.reminders_sent)))
            assert max(reminders) == 1 and reminders.count(1) == REMINDED  # each due invitation once, not twice
    finally:
        db.engine(app).dispose()
