"""Extreme values outside the web: CLI dates outside 1900–2200 exit 2, and the outbox refuses an address or number
that is not one (a line break could add a mail header), so nothing malformed reaches a mail server or gateway."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.models import OutboxMessage, Patient, Respondent
from pro_service.pathways.operations import start_pathway
from pro_service.pathways.outbox import InvalidRecipient, queue_message


@pytest.mark.parametrize("args", [
    ["report", "outcomes", "--from", "0001-01-01", "--to", "0001-12-31"],
    ["report", "outcomes", "--from", "2026-01-01", "--to", "9999-12-31"],
    ["export", "fhir", "--since", "1800-01-01", "--out", "/tmp/never-written"],
])
def test_a_cli_date_outside_the_range_exits_2_with_the_rule(app, session, args):
    result = app.test_cli_runner().invoke(args=args)

    assert result.exit_code == 2, result.output
    assert "is not a date between 1900-01-01 and 2200-12-31" in result.output


@pytest.mark.parametrize(("channel", "recipient"), [
    ("email", "kari@example.no\r\nBcc: eve@example.org"),
    ("email", "kari@example.no Bcc:eve@example.org"),
    ("email", "kari"),
    ("sms", "+47 900 00 000\nhello"),
    ("sms", "call me"),
])
def test_the_outbox_refuses_a_malformed_recipient(session, channel, recipient):
    with pytest.raises(InvalidRecipient):
        queue_message(channel=channel, recipient=recipient, subject="s", body="b")

    assert session.exec(select(OutboxMessage)).all() == []


def test_an_invitation_to_a_stored_malformed_address_is_sent_to_the_valid_number(session, make_patient):
    patient = make_patient(email="kari@example.no", phone="+47 900 00 000")
    # As an address stored before the rule, or by a script around the forms, might be.
    for row in [patient, *session.exec(select(Respondent).where(Respondent.patient_id == patient.id))]:
        row.email = "kari@example.no\nBcc: eve@example.org"
    session.flush()

    start_pathway(patient=session.get(Patient, patient.id), package=definitions.packages()["mh_adults"],
                  started_at=datetime.now(UTC), by="dr", base_url="https://pro.example.no")

    [message] = session.exec(select(OutboxMessage)).all()
    assert (message.channel, message.recipient) == ("sms", "+47 900 00 000")
