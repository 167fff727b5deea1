"""The worker's jobs in one process: each does its work once, and a failure waits for the next round."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.models import OutboxMessage
from pro_service.pathways.operations import start_pathway
from pro_service.pathways.outbox import MAX_ATTEMPTS, queue_message
from pro_service.types import utcnow
from pro_service.worker import jobs
from pro_service.worker.models import RenderedLetter


class Counting:
    """A backend that records what it delivers; addresses in `refuse` fail."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.delivered: list[str] = []
        self.refuse = refuse

    def deliver(self, message: OutboxMessage) -> None:
        if message.recipient in self.refuse:
            raise ConnectionRefusedError("down")
        self.delivered.append(message.id)


def _queue(session, count: int) -> list[str]:
    ids = [queue_message(channel="email", recipient=f"r{n}@example.no", subject="s", body="b").id
           for n in range(count)]
    session.commit()
    return ids


def test_outbox_job_sends_every_message_once_in_batches(session):
    ids = _queue(session, 7)
    backend = Counting(refuse=frozenset({"r3@example.no"}))

    outcome = jobs.send_outbox(backends={"email": backend}, batch=2)
    again = jobs.send_outbox(backends={"email": backend}, batch=2)

    assert (outcome.done, outcome.failed) == (6, 1)
    assert sorted(backend.delivered) == sorted(ids[:3] + ids[4:])
    failed = session.get(OutboxMessage, ids[3])
    session.refresh(failed)
    assert failed.attempts == 2  # tried once per round, not once per batch
    assert (again.done, again.failed) == (0, 1)


def test_expire_job_withdraws_messages_of_expired_invitations(session, make_patient):
    package = definitions.packages()["mh_adults"]
    long_ago = utcnow() - timedelta(days=400)
    start_pathway(patient=make_patient(email="kari@example.no"), package=package, started_at=long_ago, by="dr",
                  base_url="http://localhost")
    session.commit()

    outcome = jobs.withdraw_expired(now=utcnow())
    backend = Counting()
    sent = jobs.send_outbox(backends={"email": backend}, batch=10)

    [message] = session.exec(select(OutboxMessage)).all()
    session.refresh(message)
    assert outcome.done == 1 and sent.done == 0 and backend.delivered == []
    assert (message.body, message.attempts, message.last_error) == (None, MAX_ATTEMPTS, jobs.EXPIRED)


def test_reminder_job_reminds_once(session, make_patient):
    package = definitions.packages()["mh_adults"]
    _pathway, registration = start_pathway(patient=make_patient(email="kari@example.no"), package=package,
                                           started_at=utcnow(), by="dr", base_url="http://localhost")
    session.commit()
    due = min(a.due_at for a in registration.invitations[0].invitation.milestone_event.assessments)

    first = jobs.send_reminders(now=due, base_url="http://localhost")
    second = jobs.send_reminders(now=due + timedelta(hours=1), base_url="http://localhost")

    assert (first.done, second.done) == (1, 0)
    assert len(session.exec(select(OutboxMessage)).all()) == 2  # the invitation and its one reminder


def test_letter_job_renders_each_due_letter_once(session, make_letter_pathway, tmp_path):
    _pathway, events = make_letter_pathway()
    _no_gp, without = make_letter_pathway(external_id="EPR-2", name="Uten Fastlege", gp=False)

    first = jobs.render_due_letters(now=utcnow(), out=tmp_path, batch=1)
    second = jobs.render_due_letters(now=utcnow(), out=tmp_path, batch=1)

    due = {events["clinical_decision"].id, events["evaluation"].id}
    assert (first.done, first.failed) == (2, 2)
    assert (second.done, second.failed) == (0, 2)  # no GP yet: tried again each round, never stored
    assert {path.stem for path in tmp_path.glob("*.pdf")} == due
    assert all(path.read_bytes().startswith(b"%PDF-") for path in tmp_path.glob("*.pdf"))
    assert {row.milestone_event_id for row in session.exec(select(RenderedLetter))} == due
    assert not list(tmp_path.glob(".*partial"))


def test_worker_once_runs_every_job_and_says_what_it_did(app, session, tmp_path):
    _queue(session, 3)
    out = tmp_path / "letters"

    result = app.test_cli_runner().invoke(args=["worker", "--once", "--letters-out", str(out)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["expire: 0 done, 0 failed", "reminders: 0 done, 0 failed",
                                          "follow-ups: 0 done, 0 failed", "outbox: 3 done, 0 failed",
                                          "letters: 0 done, 0 failed", "reports: 0 done, 0 failed"]
    assert len(list((app.config["SETTINGS"].instance_dir / "outbox").glob("*.txt"))) >= 3


def test_loop_runs_each_job_at_its_interval_past_a_failing_one_until_stopped(app, session, caplog):
    import threading

    from pro_service.worker.schedule import Job, run_forever

    calls: list[str] = []
    stop = threading.Event()

    def fails() -> jobs.Outcome:
        calls.append("fails")
        raise ConnectionRefusedError("smtp down for kari@example.no")

    def works() -> jobs.Outcome:
        calls.append("works")
        if calls.count("works") == 2:
            stop.set()
        return jobs.Outcome(done=1)

    run_forever(app.config["SETTINGS"], [Job("fails", 0.05, fails), Job("works", 0.05, works)], stop=stop)

    assert calls == ["fails", "works", "fails", "works"]
    assert "worker job fails failed (ConnectionRefusedError)" in caplog.text and "kari" not in caplog.text


def test_follow_up_job_invites_once_when_a_follow_up_opens(session, make_patient):
    from pro_service.pathways.models import MilestoneEvent
    from pro_service.pathways.operations import register_milestone

    package = definitions.packages()["mh_adults"]
    start = utcnow() - timedelta(days=400)
    pathway, _ = start_pathway(patient=make_patient(email="kari@example.no"), package=package, started_at=start,
                               by="dr", base_url="http://localhost")
    for milestone, days in (("clinical_decision", 30), ("end", 120)):
        register_milestone(pathway=pathway, package=package, milestone_id=milestone,
                           occurred_at=start + timedelta(days=days), by="dr", base_url="http://localhost")
    session.commit()
    first = min(event.occurred_at for event in session.exec(
        select(MilestoneEvent).where(MilestoneEvent.milestone_id == "follow_up")))

    invited = jobs.invite_follow_ups(now=first + timedelta(hours=1), base_url="http://localhost")
    again = jobs.invite_follow_ups(now=first + timedelta(hours=2), base_url="http://localhost")

    assert (invited.done, again.done) == (1, 0)
