"""What the respondent's pages read: their questionnaires, drafts, outcome and own scores.

Everything returned is plain data, so templates can never touch the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g, has_app_context
from sqlalchemy import and_, bindparam
from sqlmodel import select

from pro_service import db, definitions
from pro_service.instruments.models import Instrument, Item
from pro_service.pathways.invitations import secret_hash_of
from pro_service.pathways.models import (
    Alert,
    AlertKind,
    Assessment,
    AssessmentStatus,
    Invitation,
    InvitationToken,
    MilestoneEvent,
    Pathway,
    Respondent,
    Response,
    Score,
    Unit,
)
from pro_service.survey.plan import Phrase, pages_of, phrase_in
from pro_service.survey.rows import (
    ASSESSMENT_COLUMNS,
    DRAFT_COLUMNS,
    INVITATION_COLUMNS,
    AssessmentRow,
    DraftRow,
    InvitationLike,
    InvitationRow,
)

ANSWERABLE = frozenset({AssessmentStatus.SCHEDULED, AssessmentStatus.OPEN, AssessmentStatus.IN_PROGRESS})


@dataclass
class Questionnaire:
    """One assessment as the respondent meets it: its place in the invitation and its draft."""

    number: int
    assessment: AssessmentRow
    instrument: Instrument
    draft: DraftRow | None
    language: str | None
    """The language its texts are shown in; None until the respondent has chosen one the instrument has."""
    live: bool = False
    """The respondent's pages run the script that hides skipped items as answers change (see `pages_of`)."""

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.draft.answers) if self.draft else {}

    @property
    def pages(self) -> tuple[tuple[Item, ...], ...]:
        """The pages as the answers so far make them (skip rules)."""
        return pages_of(self.instrument, self.answers, live=self.live)

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass(frozen=True)
class UnitContact:
    name: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class Survey:
    invitation_id: str
    unit: UnitContact
    locale: str
    """The language of the respondent's pages, which a phrase in another language is marked against."""
    package_id: str
    package_name: Phrase
    milestone_name: Phrase
    milestone_id: str
    sees_own_scores: bool
    questionnaires: tuple[Questionnaire, ...]
    reachable: bool = False
    """The respondent has an e-mail address or a phone number on file, so the next invitation can reach them."""


# The hot statements are built once, with bound parameters: building a statement and its cache key
# on every request cost more than running it (benchmarks/README.md, respondent flow).
_I, _A, _R = Invitation.__table__.c, Assessment.__table__.c, Response.__table__.c
_SURVEY_ROWS = (
    select(*INVITATION_COLUMNS, *ASSESSMENT_COLUMNS, *DRAFT_COLUMNS, MilestoneEvent.milestone_id,
           Pathway.package_id, Unit.name, Unit.phone, Unit.email, Respondent.email, Respondent.phone)
    .select_from(Invitation.__table__)
    .join(Respondent, Respondent.id == _I.respondent_id)
    .join(MilestoneEvent, MilestoneEvent.id == _I.milestone_event_id)
    .join(Pathway, Pathway.id == MilestoneEvent.pathway_id)
    .join(Unit, Unit.id == Pathway.unit_id)
    .outerjoin(Assessment.__table__, and_(_A.milestone_event_id == _I.milestone_event_id,
                                          _A.respondent_id == _I.respondent_id))
    .outerjoin(Response.__table__, _R.assessment_id == _A.id)
    .where(_I.id == bindparam("invitation_id"))
)
"""A respondent page's one read, as columns: the invitation, its assessments each with its draft (at most one: a
unique key), and where it comes from (milestone, package, the unit's contact) and the respondent's contact."""
_BY_SECRET = (
    select(*INVITATION_COLUMNS, Respondent.language)
    .select_from(Invitation.__table__)
    .join(InvitationToken, InvitationToken.invitation_id == _I.id)
    .join(Respondent, Respondent.id == _I.respondent_id)
    .where(InvitationToken.secret_hash == bindparam("secret_hash"))
    .limit(1)
)
_ASSESSMENT_AT = len(INVITATION_COLUMNS)
_DRAFT_AT = _ASSESSMENT_AT + len(ASSESSMENT_COLUMNS)
_REST_AT = _DRAFT_AT + len(DRAFT_COLUMNS)


@dataclass(frozen=True)
class _SurveyRows:
    invitation: InvitationRow
    assessments: tuple[tuple[AssessmentRow, DraftRow | None], ...]
    milestone_id: str
    package_id: str
    unit: UnitContact
    reachable: bool


def _survey_rows_of(rows) -> _SurveyRows | None:
    if not rows:
        return None
    first = rows[0]
    milestone_id, package_id, unit_name, unit_phone, unit_email, email, phone = first[_REST_AT:]
    return _SurveyRows(
        invitation=InvitationRow(*first[:_ASSESSMENT_AT]),
        assessments=tuple((AssessmentRow(*row[_ASSESSMENT_AT:_DRAFT_AT]),
                           DraftRow(*row[_DRAFT_AT:_REST_AT]) if row[_DRAFT_AT] is not None else None)
                          for row in rows if row[_ASSESSMENT_AT] is not None),
        milestone_id=milestone_id, package_id=package_id,
        unit=UnitContact(name=unit_name, phone=unit_phone, email=unit_email), reachable=bool(email or phone))


def _read(statement, **params):
    return db.execute(statement, params)


def _read_survey_rows(invitation_id: str) -> _SurveyRows | None:
    return _survey_rows_of(_read(_SURVEY_ROWS, invitation_id=invitation_id).all())


_UNIT_CONTACT = (
    select(Unit.name, Unit.phone, Unit.email)
    .join(Pathway, Pathway.unit_id == Unit.id)
    .join(MilestoneEvent, MilestoneEvent.pathway_id == Pathway.id)
    .where(MilestoneEvent.id == bindparam("event_id"))
)
_INSTRUMENT_IDS = (
    select(Assessment.instrument_id, MilestoneEvent.milestone_id, Pathway.package_id)
    .join(MilestoneEvent, MilestoneEvent.id == Assessment.milestone_event_id)
    .join(Pathway, Pathway.id == Assessment.pathway_id)
    .where(Assessment.milestone_event_id == bindparam("event_id"),
           Assessment.respondent_id == bindparam("respondent_id"))
)
_CRITICAL_ANSWER = (
    select(Alert.id).join(Assessment, Assessment.id == Alert.assessment_id)
    .where(Assessment.milestone_event_id == bindparam("event_id"),
           Assessment.respondent_id == bindparam("respondent_id"), Alert.kind == AlertKind.ANSWER)
    .limit(1)
)
_OWN_SCORES = (
    select(Assessment.instrument_id, Response.submitted_at, Response.language, Score.scale_id, Score.value,
           Score.band)
    .join(Response, Response.assessment_id == Assessment.id)
    .join(Score, Score.response_id == Response.id)
    .where(Assessment.respondent_id == bindparam("respondent_id"),
           Assessment.pathway_id == select(MilestoneEvent.pathway_id)
           .where(MilestoneEvent.id == bindparam("event_id")).scalar_subquery(),
           Assessment.instrument_id.in_(bindparam("instrument_ids", expanding=True)),
           Response.submitted_at.is_not(None))
    .order_by(Response.submitted_at)
)
"""The respondent's submitted scores in this pathway, for the thank-you page."""
_ROWS_KEY = "pro_service.survey_rows"
"""The rows `invitation_by_id` read, kept for this request's `survey_for` of the same invitation (used once)."""
_SEEN_KEY = "pro_service.survey_seen"
"""What does not change within a request (the unit's contact, the instruments), for later reads of the page."""


def invitation_by_secret(*, token: str | None = None,
                         code: str | None = None) -> tuple[InvitationRow, str | None] | None:
    """The invitation an opened link or a typed code leads to, with the respondent's language; as a row, like
    every respondent page's read (`pathways.invitations.find_invitation` loads the same as ORM objects)."""
    secret_hash = secret_hash_of(token=token, code=code)
    row = None if secret_hash is None else _read(_BY_SECRET, secret_hash=secret_hash).first()
    if row is None:
        return None
    return InvitationRow(*row[:-1]), row[-1]


def invitation_by_id(invitation_id: str | None) -> InvitationRow | None:
    """The invitation; the rows its survey needs are read with it and kept for `survey_for` in this request."""
    if not invitation_id:
        return None
    read = _read_survey_rows(invitation_id)
    if read is None:
        return None
    if has_app_context():
        setattr(g, _ROWS_KEY, (read.invitation.id, read))
        _remember(read)
    return read.invitation


def _remember(read: _SurveyRows) -> None:
    instruments = in_plan_order({a.instrument_id for a, _draft in read.assessments},
                                package_id=read.package_id, milestone_id=read.milestone_id)
    setattr(g, _SEEN_KEY, (read.invitation.id, read.unit, instruments))


def in_plan_order(instrument_ids, *, package_id: str, milestone_id: str) -> tuple[str, ...]:
    """The instruments in the order the package plans them at the milestone (the order they were asked in);
    any the plan does not name (added by hand) after them, by id."""
    order = [entry.instrument for entry in definitions.packages()[package_id].plan_for(milestone_id)]
    return tuple(sorted(set(instrument_ids), key=lambda i: (order.index(i) if i in order else len(order), i)))


def _seen(invitation: InvitationLike) -> tuple[UnitContact, tuple[str, ...]] | None:
    seen = getattr(g, _SEEN_KEY, None) if has_app_context() else None
    return seen[1:] if seen is not None and seen[0] == invitation.id else None


def _survey_rows(invitation: InvitationLike) -> _SurveyRows:
    kept = g.pop(_ROWS_KEY, None) if has_app_context() else None
    if kept is not None and kept[0] == invitation.id:
        return kept[1]
    read = _read_survey_rows(invitation.id)
    if has_app_context() and read is not None:
        _remember(read)
    return read


def unit_contact(invitation: InvitationLike | None) -> UnitContact | None:
    """The unit that sent an invitation, for the pages that must tell whom to call."""
    if invitation is None:
        return None
    seen = _seen(invitation)
    if seen is not None:
        return seen[0]
    name, phone, email = _read(_UNIT_CONTACT, event_id=invitation.milestone_event_id).one()
    return UnitContact(name=name, phone=phone, email=email)


def instrument_language(instrument: Instrument, locale: str, draft: DraftRow | None) -> str | None:
    """The page's language where the instrument has it; else the one chosen for this instrument; else ask."""
    if locale in instrument.languages:
        return locale
    if draft is not None and draft.language in instrument.languages:
        return draft.language
    return None


def survey_for(invitation: InvitationLike, *, locale: str, now: datetime, live: bool = False) -> Survey:
    """The invitation's open assessments in the package plan's order, with their drafts.

    :param live: the pages' script hides and shows skipped items (see `pages_of`).
    """
    read = _survey_rows(invitation)
    package = definitions.packages()[read.package_id]
    catalog = definitions.catalog()
    answerable = {a.instrument_id: (a, draft) for a, draft in read.assessments if a.status_at(now) in ANSWERABLE}
    in_order = in_plan_order(answerable, package_id=read.package_id, milestone_id=read.milestone_id)
    questionnaires = tuple(
        Questionnaire(number=index, assessment=a, instrument=catalog[a.instrument_id], draft=draft,
                      language=instrument_language(catalog[a.instrument_id], locale, draft), live=live)
        for index, (a, draft) in enumerate((answerable[i] for i in in_order), start=1)
    )
    return Survey(
        invitation_id=invitation.id,
        unit=read.unit,
        locale=locale,
        package_id=package.id,
        package_name=phrase_in(package.name, locale),
        milestone_name=phrase_in(package.milestone(read.milestone_id).name, locale),
        milestone_id=read.milestone_id,
        sees_own_scores=package.settings.respondent_sees_own_scores,
        questionnaires=questionnaires,
        reachable=read.reachable,
    )


def has_critical_answer(invitation: InvitationLike) -> bool:
    """Whether a critical answer was given (an unanswered critical item alerts clinicians, not the respondent)."""
    return _read(_CRITICAL_ANSWER, event_id=invitation.milestone_event_id,
                 respondent_id=invitation.respondent_id).first() is not None


@dataclass(frozen=True)
class ScorePoint:
    submitted_at: datetime
    score: float
    band: Phrase | None


@dataclass(frozen=True)
class ScoreHistory:
    """One instrument's main scale for one respondent, in their language where the instrument has it."""

    title: Phrase
    scale_name: Phrase
    higher_is_worse: bool
    low: float
    high: float
    points: tuple[ScorePoint, ...]
    bands: tuple[tuple[float, str], ...] = ()
    """(lowest score, name) of each band, for the chart: the same bands the clinic and the letter draw."""
    cut_off: float | None = None


def own_scores(invitation: InvitationLike, *, locale: str) -> tuple[ScoreHistory, ...]:
    """The respondent's submitted main-scale scores, per instrument of this invitation, oldest first."""
    catalog = definitions.catalog()
    seen = _seen(invitation)
    if seen is not None:
        instrument_ids = seen[1]
    else:
        planned = _read(_INSTRUMENT_IDS, event_id=invitation.milestone_event_id,
                        respondent_id=invitation.respondent_id).all()
        instrument_ids = in_plan_order({row[0] for row in planned}, package_id=planned[0][2],
                                       milestone_id=planned[0][1]) if planned else ()
    rows = _read(_OWN_SCORES, event_id=invitation.milestone_event_id, respondent_id=invitation.respondent_id,
                 instrument_ids=list(instrument_ids)).all()
    histories = []
    for instrument_id in instrument_ids:
        instrument = catalog[instrument_id]
        scale = instrument.default_scale
        language = locale if instrument.label_language(locale) else None  # names exist beyond the item texts
        points = []
        for row_instrument, submitted_at, response_language, scale_id, value, band in rows:
            if row_instrument != instrument_id or scale_id != scale.id or value is None:
                continue
            band_def = next((b for b in scale.bands if b.code == band), None)
            label = phrase_in(band_def.label, language or response_language) if band_def else None
            points.append(ScorePoint(submitted_at=submitted_at, score=value, band=label))
            language = language or response_language
        if points:
            low, high = instrument.scale_range(scale)
            histories.append(ScoreHistory(
                title=phrase_in(instrument.title, language), scale_name=phrase_in(scale.name, language),
                higher_is_worse=scale.direction == "higher_is_worse", low=float(low), high=float(high),
                points=tuple(points),
                bands=tuple((float(b.min), phrase_in(b.label, language).text) for b in scale.bands),
                cut_off=float(scale.caseness.cut_off) if scale.caseness else None))
    return tuple(histories)


def pathway_of(invitation: InvitationLike) -> Pathway:
    return db.session().exec(
        select(Pathway).join(MilestoneEvent, MilestoneEvent.pathway_id == Pathway.id)
        .where(MilestoneEvent.id == invitation.milestone_event_id)
    ).one()
