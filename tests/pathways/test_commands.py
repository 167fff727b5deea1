import re
from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.invitations import InvitationState, find_invitation, invitation_state
from pro_service.pathways.models import OutboxMessage, Pathway
from pro_service.pathways.operations import register_patient, start_pathway


def test_demo_fills_the_database_once_and_prints_working_links(app, session):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])

    assert first.exit_code == 0 and "created" in first.output
    assert second.exit_code == 0 and "already present" in second.output
    # Four open demo pathways and one ended and followed up (DEMO-5); for the quality report (pro_service/reports/demo.py) sixteen that ended in the
    # last complete quarter and six earlier ones followed up six months after their end.
    statuses = [p.status for p in session.exec(select(Pathway)).all()]
    assert (statuses.count("open"), statuses.count("ended")) == (4, 23)
    # A re-run reissues the links (tokens are stored only as hashes), which revokes the first run's.
    first_tokens, tokens = re.findall(r"/i/(\S+)", first.output), re.findall(r"/i/(\S+)", second.output)
    now = datetime.now(UTC)
    assert tokens and all(invitation_state(find_invitation(token=token), now=now) == InvitationState.VALID
                          for token in tokens)
    assert first_tokens and all(find_invitation(token=token) is None for token in first_tokens)


def test_demo_patient_has_a_gp_so_her_letters_can_be_previewed(app, session):
    from pro_service.letters.operations import preview_html
    from pro_service.pathways.models import MilestoneEvent, Patient

    app.test_cli_runner().invoke(args=["demo"])
    kari = session.exec(select(Patient).where(Patient.external_id == "DEMO-1")).one()
    decision = session.exec(select(MilestoneEvent).join(Pathway, Pathway.id == MilestoneEvent.pathway_id).where(
        Pathway.patient_id == kari.id, MilestoneEvent.milestone_id == "clinical_decision")).one()

    html = preview_html(milestone_event_id=decision.id)

    assert "Dr. Per Hansen" in html and 'lang="nn"' in html


def test_outbox_send_delivers_queued_messages_to_files(app, session, make_unit, tmp_path):
    patient, _ = register_patient(unit=make_unit(), external_id="E1", name="Kari", email="kari@example.no",
                                  birth_date=date(1980, 2, 1))
    start_pathway(patient=patient, package=definitions.packages()["mh_adults"], by="dr",
                  started_at=datetime.now(UTC) - timedelta(days=1), base_url="https://pro.example.no")
    session.commit()

    result = app.test_cli_runner().invoke(args=["outbox", "send"])

    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    outbox = app.config["SETTINGS"].instance_dir / "outbox"
    assert any("https://pro.example.no/i/" in f.read_text() for f in outbox.iterdir())
    session.expire_all()
    assert session.exec(select(OutboxMessage)).one().body is None


def test_reminders_command_reports_what_it_queued(app, session):
    result = app.test_cli_runner().invoke(args=["reminders"])

    assert result.exit_code == 0 and "0 reminder(s) queued" in result.output
