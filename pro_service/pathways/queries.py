"""Reads of the pathway area, as plain data: a caller gets dataclasses, never live ORM objects.

Every function takes the unit ids its caller may see and treats a row of any
other unit exactly as a missing one, so no caller can learn that it exists.
`pathway_detail` runs the same few queries whatever the pathway's length.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import select

from pro_service import db, definitions
from pro_service.pathways.models import (
    Assessment,
    AssessmentStatus,
    CareSetting,
    Invitation,
    MilestoneEvent,
    Pathway,
    PathwayStatus,
    Patient,
    Respondent,
    Response,
    Score,
    Unit,
)
from pro_service.pathways.package_rules import ALWAYS, END, INPATIENT, in_setting, intervals
from pro_service.pathways.packages import Package
from pro_service.pathways.pathway_extras import LeftOutView, ProcessCodeView, left_out, process_codes

AT_RISK_DAYS = 7
"""A time limit with this many calendar days or fewer left is at risk."""


class TimeLimitStatus(StrEnum):
    NOT_STARTED = "not_started"  # the milestone it counts from has not happened
    PENDING = "pending"  # running, more than AT_RISK_DAYS left
    AT_RISK = "at_risk"  # running, AT_RISK_DAYS or fewer left
    OVERDUE = "overdue"  # the deadline passed and the milestone has not happened
    MET = "met"  # the milestone happened by the deadline
    MISSED = "missed"  # the milestone happened after the deadline


@dataclass(frozen=True)
class RespondentView:
    id: str
    role: str
    name: str
    language: str
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class PatientView:
    id: str
    unit: str
    external_id: str
    name: str
    birth_date: date | None
    language: str
    email: str | None
    phone: str | None
    created_at: datetime
    respondents: tuple[RespondentView, ...]
    sex: str | None = None
    """Administrative sex (FHIR AdministrativeGender); chooses sex-specific caseness cut-offs."""


@dataclass(frozen=True)
class MilestoneEventView:
    id: str
    milestone: str
    occurred_at: datetime
    registered_at: datetime


@dataclass(frozen=True)
class TimeLimitView:
    """A package's time limit for this pathway: `days` calendar days from `from_milestone`."""

    milestone: str
    from_milestone: str
    days: int
    deadline: date | None
    occurred_at: datetime | None
    status: TimeLimitStatus


@dataclass(frozen=True)
class ScoreView:
    scale: str
    value: float | None
    band: str | None
    caseness: bool | None
    missing: int
    prorated: bool


@dataclass(frozen=True)
class AssessmentView:
    id: str
    milestone_event: str
    milestone: str
    instrument: str
    respondent: str
    respondent_role: str
    status: AssessmentStatus
    opens_at: datetime
    due_at: datetime
    expires_at: datetime
    completed_at: datetime | None
    scores: tuple[ScoreView, ...]


@dataclass(frozen=True)
class InvitationView:
    """An invitation as a clinician or EPR may see it: never its link or short code."""

    id: str
    milestone_event: str
    respondent: str
    expires_at: datetime
    used_at: datetime | None
    reminders_sent: int
    created_at: datetime


@dataclass(frozen=True)
class PathwayDetail:
    id: str
    patient: str
    unit: str
    package: str
    status: PathwayStatus
    started_at: datetime
    ended_at: datetime | None
    care_setting: CareSetting
    milestones: tuple[MilestoneEventView, ...]
    time_limits: tuple[TimeLimitView, ...]
    assessments: tuple[AssessmentView, ...]
    invitations: tuple[InvitationView, ...]
    left_out: tuple[LeftOutView, ...]
    """Plan entries not scheduled because of the patient's age (or its absence), with the range they need."""
    process_codes: tuple[ProcessCodeView, ...]
    """The package's process codes at each registration of their milestone, recorded or not."""


def unit_by_code(*, code: str, unit_ids: Collection[str]) -> Unit | None:
    """The unit with this code among `unit_ids`; None for an unknown code and for any other unit alike."""
    unit = db.session().exec(select(Unit).where(Unit.code == code)).first()
    return unit if unit is not None and unit.id in unit_ids else None


def units_by_codes(codes: Iterable[str]) -> tuple[list[Unit], list[str]]:
    """The units with these codes, and the codes that name no unit."""
    codes = list(dict.fromkeys(codes))
    found = {u.code: u for u in db.session().exec(select(Unit).where(Unit.code.in_(codes)))}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


def units_by_ids(unit_ids: Collection[str]) -> list[Unit]:
    return list(db.session().exec(select(Unit).where(Unit.id.in_(sorted(unit_ids))).order_by(Unit.code)))


def patient_by_external_id(*, unit_id: str, external_id: str) -> Patient | None:
    return db.session().exec(
        select(Patient).where(Patient.unit_id == unit_id, Patient.external_id == external_id)).first()


def open_pathway_in_package(*, patient_id: str, package_id: str) -> Pathway | None:
    return db.session().exec(select(Pathway).where(
        Pathway.patient_id == patient_id, Pathway.package_id == package_id,
        Pathway.status == PathwayStatus.OPEN)).first()


def patient_in_units(*, patient_id: str, unit_ids: Collection[str]) -> Patient | None:
    patient = db.session().get(Patient, patient_id) if patient_id else None
    return patient if patient is not None and patient.unit_id in unit_ids else None


def pathway_in_units(*, pathway_id: str, unit_ids: Collection[str]) -> Pathway | None:
    pathway = db.session().get(Pathway, pathway_id) if pathway_id else None
    return pathway if pathway is not None and pathway.unit_id in unit_ids else None


def respondent_view(respondent: Respondent) -> RespondentView:
    return RespondentView(id=respondent.id, role=str(respondent.role), name=respondent.name,
                          language=respondent.language, email=respondent.email, phone=respondent.phone)


def patient_view(patient: Patient) -> PatientView:
    """The patient with their respondents (two queries: unit and respondents)."""
    session = db.session()
    unit = session.get(Unit, patient.unit_id)
    respondents = session.exec(
        select(Respondent).where(Respondent.patient_id == patient.id).order_by(Respondent.created_at, Respondent.id)
    ).all()
    return PatientView(
        id=patient.id, unit=unit.code, external_id=patient.external_id, name=patient.name,
        birth_date=patient.birth_date, language=patient.language, email=patient.email, phone=patient.phone,
        created_at=patient.created_at, respondents=tuple(respondent_view(r) for r in respondents),
        sex=str(patient.sex) if patient.sex else None,
    )


def pathway_detail(*, pathway: Pathway, package: Package, now: datetime, timezone: str) -> PathwayDetail:
    """Milestones, time limits, assessments with status and scores, invitations (without secrets).

    Six queries however many milestones and assessments the pathway has.
    """
    session = db.session()
    unit = session.get(Unit, pathway.unit_id)
    events = session.exec(
        select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id)
        .order_by(MilestoneEvent.occurred_at, MilestoneEvent.registered_at)
    ).all()
    milestone_of = {event.id: event.milestone_id for event in events}
    assessments = _assessments(pathway.id, milestone_of, now)
    patient = session.get(Patient, pathway.patient_id)
    return PathwayDetail(
        id=pathway.id, patient=pathway.patient_id, unit=unit.code, package=pathway.package_id,
        status=PathwayStatus(pathway.status), started_at=pathway.started_at, ended_at=pathway.ended_at,
        milestones=tuple(MilestoneEventView(id=e.id, milestone=e.milestone_id, occurred_at=e.occurred_at,
                                            registered_at=e.registered_at) for e in events),
        care_setting=CareSetting(pathway.care_setting),
        time_limits=time_limits(package=package, events=events, now=now, timezone=timezone,
                                care_setting=pathway.care_setting),
        assessments=assessments,
        invitations=_invitations(list(milestone_of)),
        left_out=left_out(package=package, events=events, birth_date=patient.birth_date,
                          catalog=definitions.catalog()),
        process_codes=process_codes(package=package, events=events, assessments=assessments),
    )


def _assessments(pathway_id: str, milestone_of: dict[str, str], now: datetime) -> tuple[AssessmentView, ...]:
    session = db.session()
    rows = session.exec(
        select(Assessment, Respondent.role)
        .join(Respondent, Respondent.id == Assessment.respondent_id)
        .where(Assessment.pathway_id == pathway_id)
        .order_by(Assessment.opens_at, Assessment.instrument_id, Assessment.id)
    ).all()
    scores: dict[str, list[ScoreView]] = {}
    for assessment_id, score in session.exec(
        select(Response.assessment_id, Score)
        .join(Score, Score.response_id == Response.id)
        .join(Assessment, Assessment.id == Response.assessment_id)
        .where(Assessment.pathway_id == pathway_id, Response.submitted_at.is_not(None))
        .order_by(Score.scale_id)
    ):
        scores.setdefault(assessment_id, []).append(ScoreView(
            scale=score.scale_id, value=score.value, band=score.band, caseness=score.caseness,
            missing=score.missing, prorated=score.prorated))
    return tuple(
        AssessmentView(
            id=a.id, milestone_event=a.milestone_event_id, milestone=milestone_of[a.milestone_event_id],
            instrument=a.instrument_id, respondent=a.respondent_id, respondent_role=str(role),
            status=AssessmentStatus(a.status_at(now)), opens_at=a.opens_at, due_at=a.due_at, expires_at=a.expires_at,
            completed_at=a.completed_at, scores=tuple(scores.get(a.id, ())),
        )
        for a, role in rows
    )


def _invitations(event_ids: list[str]) -> tuple[InvitationView, ...]:
    if not event_ids:
        return ()
    invitations = db.session().exec(
        select(Invitation).where(Invitation.milestone_event_id.in_(event_ids))
        .order_by(Invitation.created_at, Invitation.id)
    ).all()
    return tuple(
        InvitationView(id=i.id, milestone_event=i.milestone_event_id, respondent=i.respondent_id,
                       expires_at=i.expires_at, used_at=i.used_at, reminders_sent=i.reminders_sent,
                       created_at=i.created_at)
        for i in invitations
    )


def time_limits(*, package: Package, events: Iterable[MilestoneEvent], now: datetime, timezone: str,
                care_setting: str = CareSetting.OUTPATIENT) -> tuple[TimeLimitView, ...]:
    """Each of the package's time limits for a pathway in `care_setting`, counted in calendar days in the
    service's time zone (an inpatient pathway's own limit where the package has one: `in_setting`).

    A limit runs from the first occurrence of its `from` milestone to the first
    occurrence of its own milestone; an interval from the latest occurrence of its
    milestone to the next one (or the end), so it shows when the next evaluation is due.
    Pure: it reads only what it is given.
    """
    zone = ZoneInfo(timezone)
    first: dict[str, datetime] = {}
    registered: dict[str, list[datetime]] = {}
    for event in sorted(events, key=lambda e: e.occurred_at):
        first.setdefault(event.milestone_id, event.occurred_at)
        registered.setdefault(event.milestone_id, []).append(event.occurred_at)
    today = now.astimezone(zone).date()
    views = []
    for rule in in_setting(package.time_limits(), care_setting):
        if rule.condition not in (ALWAYS, INPATIENT):
            continue  # the extended assessment's limit is the report's; the clinic shows the first registration
        if rule.interval:
            spans = intervals(registered.get(rule.milestone, []), first.get(END))
            start, occurred = spans[-1] if spans else (None, None)
        else:
            start, occurred = first.get(rule.from_milestone), first.get(rule.milestone)
        deadline = start.astimezone(zone).date() + timedelta(days=rule.days) if start else None
        views.append(TimeLimitView(milestone=rule.milestone, from_milestone=rule.from_milestone, days=rule.days,
                                   deadline=deadline, occurred_at=occurred,
                                   status=_limit_status(deadline, occurred and occurred.astimezone(zone).date(), today)))
    return tuple(views)


def _limit_status(deadline: date | None, occurred: date | None, today: date) -> TimeLimitStatus:
    if deadline is None:
        return TimeLimitStatus.NOT_STARTED
    if occurred is not None:
        return TimeLimitStatus.MET if occurred <= deadline else TimeLimitStatus.MISSED
    if today > deadline:
        return TimeLimitStatus.OVERDUE
    return TimeLimitStatus.AT_RISK if (deadline - today).days <= AT_RISK_DAYS else TimeLimitStatus.PENDING
