"""Tables of the pathway area: who is treated where, which milestones happened, what is due.

Every primary key is an opaque UUID (see `new_id`), so no URL or API payload
carries a patient identifier or a guessable counter.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from pro_service.types import UTCDateTime, new_id, utcnow


def _at(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class RespondentRole(StrEnum):
    SELF = "self"
    PARENT = "parent"
    OTHER_RELATIVE = "other_relative"
    TEACHER = "teacher"


class AdministrativeSex(StrEnum):
    """FHIR AdministrativeGender: what the EPR sends, so "other" is accepted too.

    Only female and male select a sex-specific caseness threshold; other and
    unknown get the instrument's default one, as does a patient with none.
    """

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class PathwayStatus(StrEnum):
    OPEN = "open"
    ENDED = "ended"


class CareSetting(StrEnum):
    """Where the pathway's patient is treated: some packages give an inpatient unit (døgnenhet) a shorter
    time limit than an outpatient clinic (poliklinikk)."""

    OUTPATIENT = "outpatient"
    INPATIENT = "inpatient"


class AssessmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class Unit(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    code: str = Field(unique=True, index=True, max_length=40)
    name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    created_at: datetime = _at(default_factory=utcnow)


class Patient(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("unit_id", "external_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", index=True, max_length=32)
    external_id: str = Field(max_length=100, description="The EPR's id for the patient")
    name: str = Field(max_length=200)
    birth_date: date | None = None
    sex: AdministrativeSex | None = Field(default=None, sa_type=String(10))
    language: str = Field(default="nb", max_length=8)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    created_at: datetime = _at(default_factory=utcnow)

    respondents: list["Respondent"] = Relationship(back_populates="patient")
    pathways: list["Pathway"] = Relationship(back_populates="patient")


class Respondent(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    patient_id: str = Field(foreign_key="patient.id", index=True, max_length=32)
    role: RespondentRole = Field(sa_type=String(20))
    name: str = Field(max_length=200)
    language: str = Field(default="nb", max_length=8)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    created_at: datetime = _at(default_factory=utcnow)

    patient: Patient = Relationship(back_populates="respondents")


class Pathway(SQLModel, table=True):
    # The outcome report picks a unit's pathways of a package started or ended in a period (migration 0010).
    __table_args__ = (Index("ix_pathway_unit_package_started", "unit_id", "package_id", "started_at"),
                      Index("ix_pathway_unit_package_ended", "unit_id", "package_id", "ended_at"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    patient_id: str = Field(foreign_key="patient.id", index=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", index=True, max_length=32)
    package_id: str = Field(index=True, max_length=60)
    responsible_clinician: str | None = Field(default=None, max_length=200)
    status: PathwayStatus = Field(default=PathwayStatus.OPEN, sa_type=String(10), index=True)
    care_setting: CareSetting = Field(default=CareSetting.OUTPATIENT, sa_type=String(12))
    """Decides which of a milestone's time limits applies (the inpatient variant, where the package has one)."""
    started_at: datetime = _at()
    ended_at: datetime | None = _at(default=None)
    follow_up_declined_at: datetime | None = _at(default=None)
    """When the patient said no to follow-up after the end: from then on no follow-up is scheduled or invited."""
    follow_up_declined_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = _at(default_factory=utcnow)

    patient: Patient = Relationship(back_populates="pathways")
    milestone_events: list["MilestoneEvent"] = Relationship(back_populates="pathway")
    assessments: list["Assessment"] = Relationship(back_populates="pathway")


class MilestoneEvent(SQLModel, table=True):
    """A milestone that happened; registering the same one at the same time twice is a no-op."""

    __tablename__ = "milestone_event"
    __table_args__ = (UniqueConstraint("pathway_id", "milestone_id", "occurred_at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    pathway_id: str = Field(foreign_key="pathway.id", index=True, max_length=32)
    milestone_id: str = Field(max_length=40)
    occurred_at: datetime = _at()
    registered_at: datetime = _at(default_factory=utcnow)
    registered_by: str = Field(max_length=200)

    pathway: Pathway = Relationship(back_populates="milestone_events")
    assessments: list["Assessment"] = Relationship(back_populates="milestone_event")


class Assessment(SQLModel, table=True):
    """One instrument for one respondent at one milestone event."""

    __table_args__ = (UniqueConstraint("milestone_event_id", "instrument_id", "respondent_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    pathway_id: str = Field(foreign_key="pathway.id", index=True, max_length=32)
    milestone_event_id: str = Field(foreign_key="milestone_event.id", index=True, max_length=32)
    respondent_id: str = Field(foreign_key="respondent.id", index=True, max_length=32)
    instrument_id: str = Field(max_length=60)
    status: AssessmentStatus = Field(default=AssessmentStatus.SCHEDULED, sa_type=String(20))
    opens_at: datetime = _at()
    due_at: datetime = _at()
    expires_at: datetime = _at()
    completed_at: datetime | None = _at(default=None)
    cancelled_at: datetime | None = _at(default=None)
    cancelled_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = _at(default_factory=utcnow)

    pathway: Pathway = Relationship(back_populates="assessments")
    milestone_event: MilestoneEvent = Relationship(back_populates="assessments")
    respondent: Respondent = Relationship()

    def status_at(self, now: datetime) -> AssessmentStatus:
        return assessment_status_at(self.status, opens_at=self.opens_at, expires_at=self.expires_at, now=now)


def assessment_status_at(status: str, *, opens_at: datetime, expires_at: datetime, now: datetime) -> AssessmentStatus:
    """Stored states are final; before completion, time decides scheduled/open/expired."""
    if status in {AssessmentStatus.COMPLETED, AssessmentStatus.CANCELLED}:
        return AssessmentStatus(status)
    if now >= expires_at:
        return AssessmentStatus.EXPIRED
    if status == AssessmentStatus.IN_PROGRESS:
        return AssessmentStatus.IN_PROGRESS
    return AssessmentStatus.OPEN if now >= opens_at else AssessmentStatus.SCHEDULED


class Invitation(SQLModel, table=True):
    """Access for one respondent to their assessments of one milestone event."""

    __table_args__ = (UniqueConstraint("milestone_event_id", "respondent_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    milestone_event_id: str = Field(foreign_key="milestone_event.id", index=True, max_length=32)
    respondent_id: str = Field(foreign_key="respondent.id", index=True, max_length=32)
    expires_at: datetime = _at()
    created_at: datetime = _at(default_factory=utcnow)
    used_at: datetime | None = _at(default=None)
    reminders_sent: int = 0
    last_reminded_at: datetime | None = _at(default=None)
    submission_key: str | None = Field(default=None, max_length=64,
                                       description="The idempotency key of the submit that used the invitation")

    respondent: Respondent = Relationship()
    milestone_event: MilestoneEvent = Relationship()
    tokens: list["InvitationToken"] = Relationship(back_populates="invitation")


class InvitationToken(SQLModel, table=True):
    """A secret that opens an invitation: a link token or a short code, stored only as a hash.

    An invitation can have several (the first message and a reminder), so a
    reminder never breaks a link the respondent already has; a reissue or a
    resend from the clinic replaces them all (the old link may have gone astray).
    """

    __tablename__ = "invitation_token"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    invitation_id: str = Field(foreign_key="invitation.id", index=True, max_length=32)
    kind: str = Field(max_length=10)  # "link" or "code"
    secret_hash: str = Field(unique=True, index=True, max_length=64)
    created_at: datetime = _at(default_factory=utcnow)

    invitation: Invitation = Relationship(back_populates="tokens")


class Response(SQLModel, table=True):
    """The answers to one assessment; a draft until submitted, then immutable."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    assessment_id: str = Field(foreign_key="assessment.id", unique=True, max_length=32)
    language: str = Field(max_length=8)
    instrument_version: str = Field(max_length=40)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    set_aside: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """Answers to items a later answer made the instrument skip: kept (never silently lost) and given back
    if that answer changes back, but never scored."""
    entered_by: str | None = Field(default=None, max_length=200, description="Set when a clinician entered a paper answer")
    started_at: datetime = _at(default_factory=utcnow)
    updated_at: datetime = _at(default_factory=utcnow)
    submitted_at: datetime | None = _at(default=None)

    scores: list["Score"] = Relationship(back_populates="response")


class Score(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("response_id", "scale_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    response_id: str = Field(foreign_key="response.id", index=True, max_length=32)
    scale_id: str = Field(max_length=60)
    value: float | None = None
    band: str | None = Field(default=None, max_length=60)
    caseness: bool | None = None
    threshold: float | None = None  # the cut-off caseness was judged by (sex/age-specific or default)
    missing: int = 0
    prorated: bool = False

    response: Response = Relationship(back_populates="scores")


class OutboxMessage(SQLModel, table=True):
    """A message to a respondent, written in the same transaction as what caused it.

    The body (which holds the invitation link) is erased once delivered, so a
    token lives in the database only until the message has left.
    """

    __tablename__ = "outbox_message"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    channel: str = Field(max_length=10)  # "email" or "sms"
    recipient: str = Field(max_length=200)
    subject: str = Field(max_length=300)
    body: str | None = None
    invitation_id: str | None = Field(default=None, foreign_key="invitation.id", index=True, max_length=32)
    created_at: datetime = _at(default_factory=utcnow)
    sent_at: datetime | None = _at(default=None, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)


class AlertKind(StrEnum):
    ANSWER = "answer"
    """A critical answer, e.g. PHQ-9 item 9 above 0; ``value`` holds its points."""
    UNANSWERED = "unanswered"
    """A critical item left unanswered: the risk was not ruled out; ``value`` is None."""


class Alert(SQLModel, table=True):
    """A critical answer (e.g. PHQ-9 item 9 above 0), or an unanswered critical item, for the unit to act on.

    One per assessment and item: the unique constraint is the last guard against
    a repeated submit raising the same alert twice.
    """

    __table_args__ = (UniqueConstraint("assessment_id", "item"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    pathway_id: str = Field(foreign_key="pathway.id", index=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", index=True, max_length=32)
    assessment_id: str = Field(foreign_key="assessment.id", index=True, max_length=32)
    item: int
    kind: AlertKind = Field(default=AlertKind.ANSWER, sa_type=String(20))
    value: float | None
    created_at: datetime = _at(default_factory=utcnow)
    acknowledged_at: datetime | None = _at(default=None)
    acknowledged_by: str | None = Field(default=None, max_length=200)
    note: str | None = None
