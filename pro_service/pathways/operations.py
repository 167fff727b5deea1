"""What changes a pathway: start it, register milestones, add respondents, end it.

Every function is keyword-only, works in the current unit of work and only
flushes; the request (or CLI command) commits once at its boundary.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from pro_service import db, definitions
from pro_service.pathways import queries
from pro_service.pathways.eligibility import age_on, split_plan
from pro_service.pathways.invitations import IssuedInvitation, issue_invitations
from pro_service.pathways.models import (
    AdministrativeSex,
    Assessment,
    AssessmentStatus,
    CareSetting,
    MilestoneEvent,
    Pathway,
    PathwayStatus,
    Patient,
    Respondent,
    RespondentRole,
    Unit,
)
from pro_service.pathways.packages import Package
from pro_service.reports.operations import refresh_pathway
from pro_service.types import utcnow


END = "end"
"""The milestone that ends a package; the packages' files use this id."""


class PathwayError(ValueError):
    """A request that the pathway's rules do not allow; the message says which rule."""


@dataclass(frozen=True)
class MilestoneRegistration:
    event: MilestoneEvent
    created: bool
    assessments: tuple[Assessment, ...]
    invitations: tuple[IssuedInvitation, ...]


def create_unit(*, code: str, name: str, phone: str | None = None, email: str | None = None) -> Unit:
    session = db.session()
    if session.exec(select(Unit).where(Unit.code == code)).first():
        raise PathwayError(f"a unit with code {code!r} already exists")
    unit = Unit(code=code, name=name, phone=phone, email=email)
    session.add(unit)
    session.flush()
    return unit


def register_patient(
    *, unit: Unit, external_id: str, name: str, birth_date: date | None = None,
    language: str = "nb", email: str | None = None, phone: str | None = None, sex: str | None = None,
) -> tuple[Patient, bool]:
    """Idempotent on the EPR's id within the unit: a repeat returns the same patient, unchanged.

    ``sex`` is the administrative sex (FHIR AdministrativeGender: female, male, other, unknown).

    The patient is also their own first respondent (role self).
    """
    session = db.session()
    existing = queries.patient_by_external_id(unit_id=unit.id, external_id=external_id)
    if existing:
        return existing, False
    patient = Patient(unit_id=unit.id, external_id=external_id, name=name, birth_date=birth_date,
                      language=language, email=email, phone=phone,
                      sex=AdministrativeSex(sex) if sex else None)
    try:
        # Two EPR calls for the same new patient at once: the loser's insert hits the unique constraint
        # once the winner commits; it then returns the winner's patient instead of failing.
        with session.begin_nested():
            session.add(patient)
    except IntegrityError:
        return queries.patient_by_external_id(unit_id=unit.id, external_id=external_id), False
    session.add(Respondent(patient_id=patient.id, role=RespondentRole.SELF, name=name,
                           language=language, email=email, phone=phone))
    session.flush()
    return patient, True


def add_respondent(
    *, patient: Patient, role: RespondentRole, name: str, language: str = "nb",
    email: str | None = None, phone: str | None = None,
) -> Respondent:
    """Add a relative or teacher; open milestones do not gain assessments for them retroactively."""
    if role == RespondentRole.SELF:
        raise PathwayError("the patient is already their own respondent")
    respondent = Respondent(patient_id=patient.id, role=RespondentRole(role), name=name,
                            language=language, email=email, phone=phone)
    db.session().add(respondent)
    db.session().flush()
    return respondent


def update_patient_sex(*, patient: Patient, sex: str | None) -> Patient:
    """Record the patient's administrative sex (or clear it). Scores already stored keep the cut-off they had."""
    patient.sex = AdministrativeSex(sex) if sex else None
    db.session().flush()
    return patient


def update_contact(*, respondent: Respondent, name: str, language: str, email: str | None,
                   phone: str | None) -> Respondent:
    """New contact details and language; for the patient's own respondent the patient's record follows.

    Messages queued before keep their address; reminders and later invitations use the new one.
    """
    respondent.name, respondent.language, respondent.email, respondent.phone = name, language, email, phone
    if respondent.role == RespondentRole.SELF:
        patient = respondent.patient
        patient.name, patient.language, patient.email, patient.phone = name, language, email, phone
    db.session().flush()
    return respondent


def start_pathway(
    *, patient: Patient, package: Package, started_at: datetime, by: str, base_url: str,
    responsible_clinician: str | None = None, care_setting: CareSetting = CareSetting.OUTPATIENT,
) -> tuple[Pathway, MilestoneRegistration]:
    """Open a pathway and register its first milestone, which schedules and invites."""
    pathway = Pathway(patient_id=patient.id, unit_id=patient.unit_id, package_id=package.id,
                      responsible_clinician=responsible_clinician, started_at=started_at,
                      care_setting=CareSetting(care_setting))
    db.session().add(pathway)
    db.session().flush()
    registration = register_milestone(pathway=pathway, package=package, milestone_id=package.milestones[0].id,
                                      occurred_at=started_at, by=by, base_url=base_url)
    return pathway, registration


def change_care_setting(*, pathway: Pathway, care_setting: CareSetting) -> bool:
    """Say where the pathway is treated; its time limits (in the clinic and the report) follow at once.

    Returns whether anything changed. Side effects: updates the pathway and rewrites its report rows; flushes.
    """
    care_setting = CareSetting(care_setting)
    if pathway.care_setting == care_setting:
        return False
    pathway.care_setting = care_setting
    db.session().flush()
    refresh_pathway(pathway.id)
    return True


def register_milestone(
    *, pathway: Pathway, package: Package, milestone_id: str, occurred_at: datetime, by: str, base_url: str,
) -> MilestoneRegistration:
    """Record a milestone, schedule exactly the plan's assessments for it, and invite.

    Registering the same milestone at the same time again changes nothing and
    returns the first registration (without tokens, which were shown once).
    """
    session = db.session()
    if not _has_milestone(package, milestone_id):
        raise PathwayError(f"package {package.id!r} has no milestone {milestone_id!r}")
    milestone = package.milestone(milestone_id)
    if milestone.after_end_days:
        raise PathwayError(f"milestone {milestone_id!r} is a follow-up: registering the end schedules it")
    events = session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id)).all()
    for event in events:
        if event.milestone_id == milestone_id and event.occurred_at == occurred_at:
            assessments = tuple(a for a in pathway.assessments if a.milestone_event_id == event.id)
            return MilestoneRegistration(event=event, created=False, assessments=assessments, invitations=())
    if not milestone.may_register(sum(e.milestone_id == milestone_id for e in events)):
        raise PathwayError(f"milestone {milestone_id!r} is already registered as often as the package allows (it does not repeat)")
    if occurred_at < pathway.started_at:
        raise PathwayError("a milestone cannot happen before the pathway started")
    if pathway.status == PathwayStatus.ENDED and not _after_end(package, milestone_id):
        raise PathwayError("the pathway has ended")

    event = MilestoneEvent(pathway_id=pathway.id, milestone_id=milestone_id, occurred_at=occurred_at,
                           registered_by=by)
    session.add(event)
    if milestone_id == END:
        # However it is registered (clinic, EPR, `end_pathway`), the end milestone ends the pathway;
        # follow-up milestones after it stay possible.
        pathway.status, pathway.ended_at = PathwayStatus.ENDED, occurred_at
    session.flush()
    assessments = _schedule_assessments(pathway=pathway, package=package, event=event)
    invitations = issue_invitations(event=event, base_url=base_url)
    if milestone_id == END and pathway.follow_up_declined_at is None:
        _schedule_follow_ups(pathway=pathway, package=package, end=event, by=by)
    refresh_pathway(pathway.id)
    return MilestoneRegistration(event=event, created=True, assessments=assessments, invitations=invitations)


def _has_milestone(package: Package, milestone_id: str) -> bool:
    return any(m.id == milestone_id for m in package.milestones)


def _after_end(package: Package, milestone_id: str) -> bool:
    ids = [m.id for m in package.milestones]
    return END in ids and ids.index(milestone_id) > ids.index(END)


def _schedule_assessments(*, pathway: Pathway, package: Package, event: MilestoneEvent) -> tuple[Assessment, ...]:
    session = db.session()
    patient = session.get(Patient, pathway.patient_id)
    age = age_on(patient.birth_date, event.occurred_at.date()) if patient.birth_date else None
    respondents = session.exec(select(Respondent).where(Respondent.patient_id == patient.id)).all()
    # The plan entry's and the instrument's own age range both count; what is left out is shown, not stored
    # (queries.pathway_detail works it out again from the same data).
    entries, _left_out = split_plan(package.plan_for(event.milestone_id), age=age, catalog=definitions.catalog())
    scheduled = []
    for entry in entries:
        for respondent in respondents:
            if respondent.role != entry.respondent:
                continue
            scheduled.append(Assessment(
                pathway_id=pathway.id, milestone_event_id=event.id, respondent_id=respondent.id,
                instrument_id=entry.instrument,
                opens_at=event.occurred_at + timedelta(days=entry.opens_days),
                due_at=event.occurred_at + timedelta(days=entry.due_days),
                expires_at=event.occurred_at + timedelta(days=entry.expires_days),
            ))
    session.add_all(scheduled)
    session.flush()
    return tuple(scheduled)


def _schedule_follow_ups(*, pathway: Pathway, package: Package, end: MilestoneEvent, by: str) -> None:
    """An event per follow-up day after the end, with its assessments; invited once they open (follow_up.py)."""
    for milestone in package.milestones:
        for days in milestone.after_end_days:
            event = MilestoneEvent(pathway_id=pathway.id, milestone_id=milestone.id,
                                   occurred_at=end.occurred_at + timedelta(days=days), registered_by=by)
            db.session().add(event)
            db.session().flush()
            _schedule_assessments(pathway=pathway, package=package, event=event)


def cancel_assessment(*, assessment: Assessment, by: str) -> Assessment:
    """Cancel an assessment that is not answered yet; a completed one keeps its answers."""
    if assessment.status == AssessmentStatus.COMPLETED:
        raise PathwayError("a completed assessment cannot be cancelled")
    if assessment.status != AssessmentStatus.CANCELLED:
        assessment.status = AssessmentStatus.CANCELLED
        assessment.cancelled_at = utcnow()
        assessment.cancelled_by = by
        db.session().flush()
        refresh_pathway(assessment.pathway_id)
    return assessment


def end_pathway(*, pathway: Pathway, package: Package, ended_at: datetime, by: str,
                base_url: str) -> MilestoneRegistration | None:
    """Close the pathway; where the package has an end milestone it is registered (and its assessments invited)."""
    if _has_milestone(package, END):
        return register_milestone(pathway=pathway, package=package, milestone_id=END,
                                  occurred_at=ended_at, by=by, base_url=base_url)
    pathway.status, pathway.ended_at = PathwayStatus.ENDED, ended_at
    db.session().flush()
    return None
