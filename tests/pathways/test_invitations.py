from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.invitations import (
    InvitationState,
    find_invitation,
    invitation_state,
    queue_reminders,
    reissue_invitation,
)
from pro_service.pathways.models import AssessmentStatus, InvitationToken, OutboxMessage
from pro_service.pathways.operations import start_pathway
from pro_service.pathways.outbox import FileBackend, deliver_pending
from pro_service.pathways.secrets import CODE_ALPHABET, hash_secret

BASE_URL = "https://pro.example.no"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def issued(app, session, make_patient):
    package = definitions.packages()["mh_adults"]
    _pathway, registration = start_pathway(patient=make_patient(email="kari@example.no"), package=package,
                                           started_at=T0, by="dr", base_url=BASE_URL)
    session.commit()
    return registration.invitations[0]


def test_token_has_128_bits_and_code_uses_the_unambiguous_alphabet(issued):
    assert len(issued.token) >= 22  # 16 random bytes, base64url
    assert set(issued.short_code) <= set(CODE_ALPHABET)
    assert not set("01ILO") & set(CODE_ALPHABET)


def test_find_invitation_by_token_and_by_typed_code(issued):
    typed = f" {issued.short_code[:4].lower()}-{issued.short_code[4:]} "

    assert find_invitation(token=issued.token).id == issued.invitation.id
    assert find_invitation(code=typed).id == issued.invitation.id
    assert find_invitation(token="not-a-token") is None
    assert find_invitation(code=issued.token) is None


def test_secrets_are_stored_only_as_hashes(session, issued):
    hashes = {t.secret_hash for t in session.exec(select(InvitationToken))}

    assert hashes == {hash_secret("link", issued.token), hash_secret("code", issued.short_code)}


def test_invitation_state_valid_expired_answered_unknown(issued):
    invitation = issued.invitation

    assert invitation_state(None, now=T0) == InvitationState.UNKNOWN
    assert invitation_state(invitation, now=T0) == InvitationState.VALID
    assert invitation_state(invitation, now=invitation.expires_at) == InvitationState.EXPIRED
    invitation.used_at = T0
    assert invitation_state(invitation, now=T0) == InvitationState.ANSWERED


def test_reissue_revokes_the_earlier_link_and_code(session, issued):
    again = reissue_invitation(invitation=issued.invitation, base_url=BASE_URL)
    session.commit()

    assert again.token != issued.token
    assert find_invitation(token=again.token).id == find_invitation(code=again.short_code).id == issued.invitation.id
    assert find_invitation(token=issued.token) is None
    assert find_invitation(code=issued.short_code) is None


def test_reminders_once_when_due_and_unanswered(session, issued):
    due = min(a.due_at for a in issued.invitation.milestone_event.assessments)

    assert queue_reminders(now=due - timedelta(seconds=1), base_url=BASE_URL) == ()
    [reminder] = queue_reminders(now=due, base_url=BASE_URL)
    assert queue_reminders(now=due + timedelta(days=1), base_url=BASE_URL) == ()

    assert reminder.invitation.reminders_sent == 1
    subjects = [m.subject for m in session.exec(select(OutboxMessage).order_by(OutboxMessage.created_at))]
    assert len(subjects) == 2


def test_no_reminder_when_everything_is_answered(session, issued):
    for assessment in issued.invitation.milestone_event.assessments:
        assessment.status = AssessmentStatus.COMPLETED
    due = max(a.due_at for a in issued.invitation.milestone_event.assessments)

    assert queue_reminders(now=due, base_url=BASE_URL) == ()


def test_outbox_delivery_writes_files_and_erases_the_body(session, issued, tmp_path):
    report = deliver_pending(backends={"email": FileBackend(tmp_path), "sms": FileBackend(tmp_path)})

    [message] = session.exec(select(OutboxMessage)).all()
    [written] = tmp_path.iterdir()
    assert (report.sent, report.failed) == (1, 0)
    assert issued.link in written.read_text()
    assert message.sent_at is not None and message.body is None
    assert deliver_pending(backends={"email": FileBackend(tmp_path)}).sent == 0


def test_outbox_failure_is_retried_later_and_logs_no_personal_data(session, issued, caplog):
    class Down:
        def deliver(self, message):
            raise ConnectionRefusedError("smtp down for kari@example.no")

    report = deliver_pending(backends={"email": Down()})

    [message] = session.exec(select(OutboxMessage)).all()
    assert (report.sent, report.failed) == (0, 1)
    assert message.sent_at is None and message.attempts == 1 and message.body
    assert "kari" not in caplog.text and issued.token not in caplog.text
