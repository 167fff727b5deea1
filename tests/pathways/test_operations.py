from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.models import (
    Assessment,
    AssessmentStatus,
    Invitation,
    InvitationToken,
    OutboxMessage,
    PathwayStatus,
    RespondentRole,
)
from pro_service.pathways.operations import (
    PathwayError,
    add_respondent,
    cancel_assessment,
    end_pathway,
    register_milestone,
    register_patient,
    start_pathway,
    update_contact,
)

BASE_URL = "https://pro.example.no"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def planned(package, milestone_id, roles, age):
    return sorted((e.instrument, e.respondent) for e in package.plan_for(milestone_id)
                  if e.respondent in roles and e.applies_to(age))


def scheduled(registration):
    session_respondents = {a.respondent_id: a.respondent.role for a in registration.assessments}
    return sorted((a.instrument_id, session_respondents[a.respondent_id]) for a in registration.assessments)


@pytest.fixture
def adults(app):
    with app.app_context():
        return definitions.packages()["mh_adults"]


@pytest.fixture
def children(app):
    with app.app_context():
        return definitions.packages()["mh_children"]


def test_register_patient_is_idempotent_on_external_id_within_the_unit(session, make_unit):
    unit = make_unit()
    first, created = register_patient(unit=unit, external_id="EPR-9", name="Ola")
    again, created_again = register_patient(unit=unit, external_id="EPR-9", name="Someone else")

    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.name == "Ola"
    assert [r.role for r in first.respondents] == [RespondentRole.SELF]


def test_register_patient_racing_another_request_returns_the_winners_patient(session, make_unit, monkeypatch):
    """The other request's insert landed between this one's lookup and insert: no error, no second patient."""
    from pro_service.pathways import queries
    from pro_service.pathways.models import Patient

    unit = make_unit()
    winner, _ = register_patient(unit=unit, external_id="EPR-9", name="Ola")
    real_lookup, calls = queries.patient_by_external_id, []

    def lookup(**where):
        calls.append(where)
        return None if len(calls) == 1 else real_lookup(**where)  # the first ran before the winner's row

    monkeypatch.setattr(queries, "patient_by_external_id", lookup)

    loser, created = register_patient(unit=unit, external_id="EPR-9", name="Ola")

    assert (created, loser.id, len(calls)) == (False, winner.id, 2)
    assert len(session.exec(select(Patient).where(Patient.external_id == "EPR-9")).all()) == 1


def test_update_contact_of_the_patients_own_respondent_updates_the_patient(session, make_unit):
    patient, _ = register_patient(unit=make_unit(), external_id="EPR-9", name="Ola", email="ola@example.no")
    parent = add_respondent(patient=patient, role=RespondentRole.PARENT, name="Kari")
    [me] = [r for r in patient.respondents if r.role == RespondentRole.SELF]

    update_contact(respondent=me, name="Ola Berg", language="se", email=None, phone="+47 400 00 000")
    update_contact(respondent=parent, name="Kari", language="nn", email="kari@example.no", phone=None)

    assert (patient.name, patient.language, patient.email, patient.phone) == ("Ola Berg", "se", None, "+47 400 00 000")
    assert (parent.language, parent.email) == ("nn", "kari@example.no") and patient.name == "Ola Berg"


def test_same_external_id_in_another_unit_is_another_patient(session, make_unit):
    a, _ = register_patient(unit=make_unit("A", "A"), external_id="EPR-9", name="Ola")
    b, _ = register_patient(unit=make_unit("B", "B"), external_id="EPR-9", name="Ola")

    assert a.id != b.id


def test_ids_are_opaque_and_not_sequential(session, make_patient):
    patient = make_patient()

    assert len(patient.id) == 32 and not patient.id.isdigit()


def test_start_pathway_schedules_the_start_milestone_plan_and_invites(session, make_patient, adults):
    patient = make_patient(email="kari@example.no")

    pathway, registration = start_pathway(patient=patient, package=adults, started_at=T0, by="dr", base_url=BASE_URL)
    session.commit()

    assert pathway.status == PathwayStatus.OPEN
    assert registration.event.milestone_id == adults.milestones[0].id
    assert scheduled(registration) == planned(adults, adults.milestones[0].id, {"self"}, age=35)
    [issued] = registration.invitations
    assert issued.link == f"{BASE_URL}/i/{issued.token}"
    assert len(issued.short_code) == 8
    # The secrets are stored only as hashes.
    stored = session.exec(select(InvitationToken)).all()
    assert {t.kind for t in stored} == {"link", "code"}
    assert issued.token not in {t.secret_hash for t in stored}
    [message] = session.exec(select(OutboxMessage)).all()
    assert message.recipient == "kari@example.no" and issued.link in message.body


def test_assessment_times_follow_the_plan(session, make_patient, adults):
    _pathway, registration = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr",
                                           base_url=BASE_URL)
    entries = {e.instrument: e for e in adults.plan_for(registration.event.milestone_id) if e.respondent == "self"}

    for assessment in registration.assessments:
        entry = entries[assessment.instrument_id]
        assert assessment.opens_at == T0 + timedelta(days=entry.opens_days)
        assert assessment.due_at == T0 + timedelta(days=entry.due_days)
        assert assessment.expires_at == T0 + timedelta(days=entry.expires_days)
        assert registration.invitations[0].invitation.expires_at >= assessment.expires_at


def test_registering_a_milestone_twice_at_the_same_time_does_nothing(session, make_patient, adults):
    pathway, _ = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr", base_url=BASE_URL)
    when = T0 + timedelta(days=30)
    first = register_milestone(pathway=pathway, package=adults, milestone_id="evaluation", occurred_at=when,
                               by="dr", base_url=BASE_URL)
    count = len(session.exec(select(Assessment)).all())

    second = register_milestone(pathway=pathway, package=adults, milestone_id="evaluation", occurred_at=when,
                                by="dr", base_url=BASE_URL)

    assert second.created is False and second.event.id == first.event.id and second.invitations == ()
    assert len(session.exec(select(Assessment)).all()) == count


def test_a_non_repeating_milestone_cannot_be_registered_twice(session, make_patient, adults):
    pathway, _ = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr", base_url=BASE_URL)
    register_milestone(pathway=pathway, package=adults, milestone_id="first_consultation",
                       occurred_at=T0 + timedelta(days=20), by="dr", base_url=BASE_URL)

    with pytest.raises(PathwayError, match="does not repeat"):
        register_milestone(pathway=pathway, package=adults, milestone_id="first_consultation",
                           occurred_at=T0 + timedelta(days=21), by="dr", base_url=BASE_URL)


def test_the_clinical_decision_may_be_registered_after_basic_and_extended_assessment_but_not_a_third_time(
        session, make_patient, adults):
    pathway, _ = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr", base_url=BASE_URL)
    for day in (20, 60):
        register_milestone(pathway=pathway, package=adults, milestone_id="clinical_decision",
                           occurred_at=T0 + timedelta(days=day), by="dr", base_url=BASE_URL)

    with pytest.raises(PathwayError, match="as often as the package allows"):
        register_milestone(pathway=pathway, package=adults, milestone_id="clinical_decision",
                           occurred_at=T0 + timedelta(days=70), by="dr", base_url=BASE_URL)


def test_unknown_milestone_and_milestone_before_start_are_refused(session, make_patient, adults):
    pathway, _ = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr", base_url=BASE_URL)

    with pytest.raises(PathwayError, match="has no milestone 'surgery'"):
        register_milestone(pathway=pathway, package=adults, milestone_id="surgery", occurred_at=T0,
                           by="dr", base_url=BASE_URL)
    with pytest.raises(PathwayError, match="before the pathway started"):
        register_milestone(pathway=pathway, package=adults, milestone_id="evaluation",
                           occurred_at=T0 - timedelta(days=1), by="dr", base_url=BASE_URL)


def test_d11_pathway_from_start_through_clinical_decision_and_two_evaluations(session, make_patient, adults):
    patient = make_patient(birth_date=date(1980, 1, 1))
    pathway, start = start_pathway(patient=patient, package=adults, started_at=T0, by="dr", base_url=BASE_URL)
    steps = [("clinical_decision", 30), ("evaluation", 90), ("evaluation", 180)]
    registrations = [start]
    for milestone_id, day in steps:
        registrations.append(register_milestone(pathway=pathway, package=adults, milestone_id=milestone_id,
                                                occurred_at=T0 + timedelta(days=day), by="dr", base_url=BASE_URL))
    session.commit()

    milestone_ids = [adults.milestones[0].id] + [m for m, _ in steps]
    for registration, milestone_id in zip(registrations, milestone_ids, strict=True):
        assert scheduled(registration) == planned(adults, milestone_id, {"self"}, age=46)
        assert len(registration.invitations) == (1 if registration.assessments else 0)
    assert len(session.exec(select(Invitation)).all()) == sum(1 for r in registrations if r.assessments)


def test_children_plan_depends_on_age_and_on_the_respondents_the_patient_has(session, make_patient, children):
    patient = make_patient(birth_date=date(2016, 3, 1))  # 9 years old at T0: below the child self-report age
    add_respondent(patient=patient, role=RespondentRole.PARENT, name="Mor", email="mor@example.no")

    _pathway, registration = start_pathway(patient=patient, package=children, started_at=T0, by="dr",
                                           base_url=BASE_URL)

    assert scheduled(registration) == planned(children, children.milestones[0].id, {"self", "parent"}, age=9)
    assert all(role == "parent" for _instrument, role in scheduled(registration))


def test_add_respondent_refuses_a_second_self(session, make_patient):
    with pytest.raises(PathwayError, match="already their own respondent"):
        add_respondent(patient=make_patient(), role=RespondentRole.SELF, name="Kari")


def test_cancel_assessment_keeps_completed_ones(session, make_patient, adults):
    _pathway, registration = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr",
                                           base_url=BASE_URL)
    first, second = registration.assessments[:2]

    cancel_assessment(assessment=first, by="dr")
    second.status = AssessmentStatus.COMPLETED

    assert first.status == AssessmentStatus.CANCELLED and first.cancelled_by == "dr"
    with pytest.raises(PathwayError, match="completed"):
        cancel_assessment(assessment=second, by="dr")


def test_end_pathway_registers_end_and_closes(session, make_patient, adults):
    pathway, _ = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr", base_url=BASE_URL)
    ended = T0 + timedelta(days=200)

    registration = end_pathway(pathway=pathway, package=adults, ended_at=ended, by="dr", base_url=BASE_URL)

    assert pathway.status == PathwayStatus.ENDED and pathway.ended_at == ended
    assert registration.event.milestone_id == "end"
    assert scheduled(registration) == planned(adults, "end", {"self"}, age=35)
    with pytest.raises(PathwayError, match="ended"):
        register_milestone(pathway=pathway, package=adults, milestone_id="evaluation",
                           occurred_at=ended + timedelta(days=1), by="dr", base_url=BASE_URL)


def test_registering_the_end_milestone_ends_the_pathway(session, make_patient, adults):
    """As an EPR or the clinic registers it: no separate end call."""
    pathway, _ = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr", base_url=BASE_URL)
    ended = T0 + timedelta(days=200)

    register_milestone(pathway=pathway, package=adults, milestone_id="end", occurred_at=ended, by="dr",
                       base_url=BASE_URL)

    assert pathway.status == PathwayStatus.ENDED and pathway.ended_at == ended


def test_end_pathway_closes_a_package_without_an_end_milestone(session, make_patient, adults):
    no_end = adults.model_copy(update={"milestones": tuple(m for m in adults.milestones if m.id != "end")})
    pathway, _ = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr", base_url=BASE_URL)

    assert end_pathway(pathway=pathway, package=no_end, ended_at=T0 + timedelta(days=9), by="dr",
                       base_url=BASE_URL) is None
    assert pathway.status == PathwayStatus.ENDED


def test_assessment_status_follows_time(session, make_patient, adults):
    _pathway, registration = start_pathway(patient=make_patient(), package=adults, started_at=T0, by="dr",
                                           base_url=BASE_URL)
    assessment = registration.assessments[0]

    assert assessment.status_at(assessment.opens_at - timedelta(seconds=1)) == AssessmentStatus.SCHEDULED
    assert assessment.status_at(assessment.opens_at) == AssessmentStatus.OPEN
    assert assessment.status_at(assessment.expires_at) == AssessmentStatus.EXPIRED
