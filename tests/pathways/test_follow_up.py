"""Follow-up after the end (issue 17): scheduled from the end, invited when open, reminded, declined at once."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.follow_up import decline_follow_up, issue_opened_follow_ups
from pro_service.pathways.invitations import find_invitation, queue_reminders
from pro_service.pathways.models import (
    Assessment,
    AssessmentStatus,
    Invitation,
    MilestoneEvent,
    OutboxMessage,
    PathwayStatus,
)
from pro_service.pathways.operations import PathwayError, register_milestone, start_pathway
from pro_service.pathways.packages import Milestone, check

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
END = T0 + timedelta(days=120)
URL = "https://pro.example.no"


@pytest.fixture
def ended(session, make_patient):
    """An adult pathway through the end, with the patient's e-mail so invitations are sent."""
    def build(*, decline_first: bool = False):
        package = definitions.packages()["mh_adults"]
        patient = make_patient(email="kari@example.no")
        pathway, _ = start_pathway(patient=patient, package=package, by="test", base_url=URL, started_at=T0)
        for milestone, days in (("first_consultation", 10), ("clinical_decision", 30)):
            register_milestone(pathway=pathway, package=package, milestone_id=milestone,
                               occurred_at=T0 + timedelta(days=days), by="test", base_url=URL)
        if decline_first:
            decline_follow_up(pathway=pathway, by="patient", at=END - timedelta(days=1))
        register_milestone(pathway=pathway, package=package, milestone_id="end", occurred_at=END, by="test",
                           base_url=URL)
        session.commit()
        return pathway

    return build


def _follow_ups(session, pathway):
    return session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id,
                                                     MilestoneEvent.milestone_id == "follow_up")
                        .order_by(MilestoneEvent.occurred_at)).all()


def test_the_end_schedules_follow_up_at_6_and_12_months_without_inviting_yet(session, ended):
    pathway = ended()

    events = _follow_ups(session, pathway)
    assert [e.occurred_at - END for e in events] == [timedelta(days=182), timedelta(days=365)]
    for event in events:
        assessments = session.exec(select(Assessment).where(Assessment.milestone_event_id == event.id)).all()
        assert sorted(a.instrument_id for a in assessments) == ["core10", "gad7", "phq9"]
        assert {a.opens_at for a in assessments} == {event.occurred_at}
        assert session.exec(select(Invitation).where(Invitation.milestone_event_id == event.id)).all() == []
    assert pathway.status == PathwayStatus.ENDED


def test_invitations_go_out_once_when_a_follow_up_opens_with_a_reminder_when_due(session, ended):
    pathway = ended()
    first, second = _follow_ups(session, pathway)

    assert issue_opened_follow_ups(now=first.occurred_at - timedelta(minutes=1), base_url=URL) == ()
    issued = issue_opened_follow_ups(now=first.occurred_at + timedelta(hours=1), base_url=URL)
    assert [i.invitation.milestone_event_id for i in issued] == [first.id]
    assert issue_opened_follow_ups(now=first.occurred_at + timedelta(hours=2), base_url=URL) == ()
    messages = session.exec(select(OutboxMessage).where(OutboxMessage.invitation_id == issued[0].invitation.id)).all()
    assert [m.recipient for m in messages] == ["kari@example.no"]

    reminded = queue_reminders(now=first.occurred_at + timedelta(days=14, hours=1), base_url=URL)
    assert [r.invitation.id for r in reminded] == [issued[0].invitation.id]

    later = issue_opened_follow_ups(now=second.occurred_at + timedelta(hours=1), base_url=URL)
    assert [i.invitation.milestone_event_id for i in later] == [second.id]


def test_an_expired_follow_up_is_not_invited_late(session, ended):
    first, _second = _follow_ups(session, ended())

    assert issue_opened_follow_ups(now=first.occurred_at + timedelta(days=43), base_url=URL) == ()


def test_answering_a_follow_up_does_not_reopen_the_pathway(session, ended):
    pathway = ended()
    first, _ = _follow_ups(session, pathway)
    (item,) = issue_opened_follow_ups(now=first.occurred_at, base_url=URL)

    answer_invitation(item.invitation, {"phq9": 6, "gad7": 5, "core10": 8}, now=first.occurred_at + timedelta(days=2))
    session.commit()

    session.refresh(pathway)
    assert pathway.status == PathwayStatus.ENDED and pathway.ended_at == END
    statuses = {a.status for a in session.exec(select(Assessment).where(Assessment.milestone_event_id == first.id))}
    assert statuses == {AssessmentStatus.COMPLETED}


def test_a_patient_who_declines_before_the_end_gets_no_follow_up(session, ended):
    pathway = ended(decline_first=True)

    assert _follow_ups(session, pathway) == []
    assert issue_opened_follow_ups(now=END + timedelta(days=400), base_url=URL) == ()


def test_declining_after_an_invitation_went_out_cancels_the_rest_and_revokes_the_link(session, ended):
    pathway = ended()
    first, second = _follow_ups(session, pathway)
    (item,) = issue_opened_follow_ups(now=first.occurred_at, base_url=URL)
    assert find_invitation(token=item.token) is not None

    cancelled = decline_follow_up(pathway=pathway, by="patient", at=first.occurred_at + timedelta(days=1))
    session.commit()

    assert cancelled == 6  # three questionnaires at each of the two follow-ups
    assert find_invitation(token=item.token) is None and find_invitation(code=item.short_code) is None
    unsent = session.exec(select(OutboxMessage).where(OutboxMessage.invitation_id == item.invitation.id,
                                                      OutboxMessage.sent_at.is_(None))).all()
    assert unsent == []
    assert issue_opened_follow_ups(now=second.occurred_at, base_url=URL) == ()
    assert queue_reminders(now=first.occurred_at + timedelta(days=15), base_url=URL) == ()
    assert pathway.follow_up_declined_by == "patient"


def test_a_follow_up_cannot_be_registered_by_hand(session, make_patient):
    package = definitions.packages()["mh_adults"]
    pathway, _ = start_pathway(patient=make_patient(), package=package, by="test", base_url=URL, started_at=T0)

    with pytest.raises(PathwayError, match="registering the end schedules it"):
        register_milestone(pathway=pathway, package=package, milestone_id="follow_up",
                           occurred_at=T0 + timedelta(days=1), by="test", base_url=URL)


@pytest.mark.parametrize(("change", "problem"), [
    (lambda ms: [*ms[:3], ms[-1], *ms[3:-1]], "only a milestone listed after 'end'"),
    (lambda ms: [*ms[:-1], ms[-1].model_copy(update={"after_end_days": (365, 182)})], "increasing order"),
    (lambda ms: [*ms[:-1], ms[-1].model_copy(update={"repeats": True})], "takes no repeats"),
])
def test_the_package_loader_refuses_a_follow_up_it_cannot_schedule(app, change, problem):
    with app.app_context():
        package = definitions.packages()["mh_adults"]
        catalog = definitions.catalog()
    assert package.milestones[-1].id == "follow_up" and isinstance(package.milestones[-1], Milestone)
    broken = package.model_copy(update={"milestones": tuple(change(list(package.milestones)))})

    problems = check(broken, catalog, file_id="mh_adults")
    assert any(problem in message for _where, message in problems), problems


@pytest.mark.parametrize(("answer", "declined"), [(1, True), (0, False)])
def test_a_no_to_the_question_at_the_end_cancels_follow_up_at_once(session, make_patient, answer, declined):
    package = definitions.packages()["mh_adults"]
    pathway, _ = start_pathway(patient=make_patient(), package=package, by="test", base_url=URL, started_at=T0)
    for milestone, days in (("first_consultation", 10), ("clinical_decision", 30)):
        register_milestone(pathway=pathway, package=package, milestone_id=milestone,
                           occurred_at=T0 + timedelta(days=days), by="test", base_url=URL)
    end = register_milestone(pathway=pathway, package=package, milestone_id="end", occurred_at=END, by="test",
                             base_url=URL)
    (item,) = end.invitations

    answer_invitation(item.invitation, {"phq9": 5, "follow_up_consent": answer}, now=END + timedelta(hours=2))
    session.commit()

    session.refresh(pathway)
    assert (pathway.follow_up_declined_by == "respondent") is declined
    statuses = {a.status for e in _follow_ups(session, pathway)
                for a in session.exec(select(Assessment).where(Assessment.milestone_event_id == e.id))}
    assert statuses == ({AssessmentStatus.CANCELLED} if declined else {AssessmentStatus.SCHEDULED})
