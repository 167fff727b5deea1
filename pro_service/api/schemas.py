"""The shapes of the API: request bodies (strict, no unknown fields) and responses.

The OpenAPI description is generated from these types and from the query
dataclasses they embed, so the description and the code cannot drift apart.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from pro_service.bounds import DATE_PATTERN, DATE_RANGE, check_date, check_datetime
from pro_service.i18n import LOCALES
from pro_service.plain_text import PlainStr, SingleLine
from pro_service.instruments import Instrument
from pro_service.pathways.contact import EMAIL_MAX, EMAIL_PATTERN, PHONE_MAX, PHONE_PATTERN
from pro_service.pathways.invitations import IssuedInvitation
from pro_service.pathways.models import CareSetting
from pro_service.pathways.operations import MilestoneRegistration
from pro_service.pathways.packages import Package
from pro_service.pathways.queries import AssessmentView, MilestoneEventView, PathwayDetail

Language = Literal[tuple(LOCALES)]  # type: ignore[valid-type]
# SingleLine (no control characters) is checked first, on the text as sent, before stripping and patterns.
# The outbox's own rule (pathways/contact.py), as patterns, so the OpenAPI description says it.
Email = Annotated[str, StringConstraints(max_length=EMAIL_MAX, pattern=EMAIL_PATTERN), SingleLine]
Phone = Annotated[str, StringConstraints(max_length=PHONE_MAX, pattern=PHONE_PATTERN), SingleLine]
Number = int | float
# Naive times are refused; aware ones are kept in UTC, as the database keeps them. The range is checked
# first: converting a time near year 1 or 9999 to UTC overflows.
UtcDateTime = Annotated[AwareDatetime, AfterValidator(check_datetime),
                        AfterValidator(lambda value: value.astimezone(UTC)),
                        WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATE_PATTERN})]
Day = Annotated[date, AfterValidator(check_date), WithJsonSchema({"type": "string", "format": "date",
                                                                  "pattern": DATE_PATTERN})]


def _text(max_length: int, description: str | None = None):
    return Field(min_length=1, max_length=max_length, description=description)


CARE_SETTING = ("Where the patient is treated: an inpatient unit (døgnenhet) is held to the package's inpatient"
                " time limit where it has one (TSB's clinical decision: 7 days, not 21), in the clinic and the report")


class _Body(BaseModel):
    # Strict: a number is not a date, "1" is not a number; an unknown field is an error, not ignored.
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class PatientBody(_Body):
    """A patient as the EPR knows them; a repeat with the same external id returns the same patient."""

    unit: PlainStr | None = Field(None, min_length=1, max_length=40,
                             description="The unit's code; may be left out when the API client has one unit")
    external_id: PlainStr = _text(100, "The EPR's id for the patient, unique within the unit")
    name: PlainStr = _text(200)
    birth_date: Day | None = Field(None, description=f"YYYY-MM-DD, {DATE_RANGE}; decides age-limited instruments")
    sex: Literal["female", "male", "other", "unknown"] | None = Field(
        None, description="Administrative sex (FHIR AdministrativeGender); female and male choose the manuals'"
                          " sex-specific caseness cut-offs (e.g. AUDIT, DUDIT), other and unknown the default")
    language: Language = "nb"
    email: Email | None = None
    phone: Phone | None = None


class RespondentBody(_Body):
    """A relative or teacher who answers questionnaires about the patient."""

    role: Literal["parent", "other_relative", "teacher"]
    name: PlainStr = _text(200)
    language: Language = "nb"
    email: Email | None = None
    phone: Phone | None = None


class PathwayBody(_Body):
    patient: PlainStr = _text(32, "The patient's id, as returned by POST /patients")
    package: PlainStr = _text(60, "A package id (mh_adults) or official code (D11)")
    started_at: UtcDateTime = Field(description=f"ISO 8601 with an offset, {DATE_RANGE}")
    responsible_clinician: PlainStr | None = Field(None, min_length=1, max_length=200)
    care_setting: CareSetting = Field(CareSetting.OUTPATIENT, description=CARE_SETTING)


class PathwayChangeBody(_Body):
    care_setting: CareSetting = Field(description=CARE_SETTING)


class MilestoneBody(_Body):
    milestone: PlainStr = _text(40, "One of the package's milestone ids, e.g. evaluation")
    occurred_at: UtcDateTime = Field(description=f"ISO 8601 with an offset, {DATE_RANGE}")


class FieldError(BaseModel):
    path: str
    message: str


class ProblemOut(BaseModel):
    """An error (RFC 9457); `errors` lists each wrong field of a request body."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class IssuedInvitationOut(BaseModel):
    """A new invitation with its secrets: this response is the only time they are shown."""

    id: str
    milestone_event: str
    respondent: str
    expires_at: datetime
    link: str
    short_code: str

    @classmethod
    def of(cls, issued: IssuedInvitation) -> IssuedInvitationOut:
        invitation = issued.invitation
        return cls(id=invitation.id, milestone_event=invitation.milestone_event_id,
                   respondent=invitation.respondent_id, expires_at=invitation.expires_at,
                   link=issued.link, short_code=issued.short_code)


class PathwayCreated(BaseModel):
    pathway: PathwayDetail
    invitations: list[IssuedInvitationOut]

    @classmethod
    def of(cls, registration: MilestoneRegistration, detail: PathwayDetail) -> PathwayCreated:
        return cls(pathway=detail, invitations=[IssuedInvitationOut.of(i) for i in registration.invitations])


class MilestoneRegistered(BaseModel):
    """`created` is false when the same milestone at the same time was registered before."""

    milestone: MilestoneEventView
    created: bool
    assessments: list[AssessmentView]
    invitations: list[IssuedInvitationOut]

    @classmethod
    def of(cls, registration: MilestoneRegistration, detail: PathwayDetail) -> MilestoneRegistered:
        """The registered event and its assessments as the pathway now shows them, with new invitations."""
        event_id = registration.event.id
        return cls(milestone=next(m for m in detail.milestones if m.id == event_id), created=registration.created,
                   assessments=[a for a in detail.assessments if a.milestone_event == event_id],
                   invitations=[IssuedInvitationOut.of(i) for i in registration.invitations])


class TimeLimitOut(BaseModel):
    days: int
    from_milestone: str


class MilestoneOut(BaseModel):
    id: str
    name: dict[str, str]
    progress_code: str | None
    repeats: bool
    time_limit: TimeLimitOut | None
    interval_days: int | None


class PlanEntryOut(BaseModel):
    milestone: str
    instrument: str
    respondent: str
    age_min: int | None
    age_max: int | None
    opens_days: int
    due_days: int
    expires_days: int


class PackageOut(BaseModel):
    id: str
    country: str
    code: str | None
    name: dict[str, str]
    milestones: list[MilestoneOut]
    plan: list[PlanEntryOut]

    @classmethod
    def of(cls, package: Package) -> PackageOut:
        milestones = [
            MilestoneOut(id=m.id, name=dict(m.name), progress_code=m.progress_code, repeats=m.repeats,
                         interval_days=m.interval_days,
                         time_limit=m.time_limit and TimeLimitOut(days=m.time_limit.days,
                                                                  from_milestone=m.time_limit.from_milestone))
            for m in package.milestones
        ]
        plan = [
            PlanEntryOut(milestone=e.milestone, instrument=e.instrument, respondent=e.respondent,
                         age_min=e.age.min if e.age else None, age_max=e.age.max if e.age else None,
                         opens_days=e.opens_days, due_days=e.due_days, expires_days=e.expires_days)
            for e in package.plan
        ]
        return cls(id=package.id, country=package.country, code=package.code, name=dict(package.name),
                   milestones=milestones, plan=plan)


class BandOut(BaseModel):
    code: str
    min: Number
    max: Number
    label: dict[str, str]


class ScaleOut(BaseModel):
    id: str
    name: dict[str, str]
    direction: str
    min: Number
    max: Number
    bands: list[BandOut]


class InstrumentOut(BaseModel):
    id: str
    version: str
    title: dict[str, str]
    respondents: list[str]
    age_min: int | None
    age_max: int | None
    languages: dict[str, Literal["official", "provisional"]]
    licence: str
    scales: list[ScaleOut]

    @classmethod
    def of(cls, instrument: Instrument) -> InstrumentOut:
        scales = []
        for scale in instrument.scales:
            low, high = instrument.scale_range(scale)
            bands = [BandOut(code=b.code, min=b.min, max=b.max, label=dict(b.label)) for b in scale.bands]
            scales.append(ScaleOut(id=scale.id, name=dict(scale.name), direction=scale.direction,
                                   min=low, max=high, bands=bands))
        return cls(id=instrument.id, version=instrument.version, title=dict(instrument.title),
                   respondents=list(instrument.respondents), age_min=instrument.age.min,
                   age_max=instrument.age.max, licence=instrument.licence.name,
                   languages={code: lang.status for code, lang in instrument.languages.items()}, scales=scales)


class PackageList(BaseModel):
    packages: list[PackageOut]


class InstrumentList(BaseModel):
    instruments: list[InstrumentOut]
