"""What the respondent's pages read: their questionnaires, drafts, outcome and own scores.

Everything returned is plain data, so templates can never touch the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import select

from pro_service import db, definitions
from pro_service.instruments.models import Instrument, Item
from pro_service.pathways.models import (
    Alert,
    AlertKind,
    Assessment,
    AssessmentStatus,
    Invitation,
    MilestoneEvent,
    Pathway,
    Response,
    Score,
    Unit,
)
from pro_service.survey.plan import Phrase, pages_of, phrase_in

ANSWERABLE = frozenset({AssessmentStatus.SCHEDULED, AssessmentStatus.OPEN, AssessmentStatus.IN_PROGRESS})


@dataclass
class Questionnaire:
    """One assessment as the respondent meets it: its place in the invitation and its draft."""

    number: int
    assessment: Assessment
    instrument: Instrument
    draft: Response | None
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


def invitation_by_id(invitation_id: str | None) -> Invitation | None:
    return db.session().get(Invitation, invitation_id) if invitation_id else None


def unit_contact(invitation: Invitation | None) -> UnitContact | None:
    """The unit that sent an invitation, for the pages that must tell whom to call."""
    if invitation is None:
        return None
    _event, _pathway, unit = _event_pathway_unit(invitation)
    return UnitContact(name=unit.name, phone=unit.phone, email=unit.email)


def instrument_language(instrument: Instrument, locale: str, draft: Response | None) -> str | None:
    """The page's language where the instrument has it; else the one chosen for this instrument; else ask."""
    if locale in instrument.languages:
        return locale
    if draft is not None and draft.language in instrument.languages:
        return draft.language
    return None


def survey_for(invitation: Invitation, *, locale: str, now: datetime, live: bool = False) -> Survey:
    """The invitation's open assessments in the package plan's order, with their drafts.

    :param live: the pages' script hides and shows skipped items (see `pages_of`).
    """
    event, pathway, unit = _event_pathway_unit(invitation)
    package = definitions.packages()[pathway.package_id]
    catalog = definitions.catalog()
    plan_order = [entry.instrument for entry in package.plan_for(event.milestone_id)]
    with_drafts = _assessments_with_drafts(invitation)
    assessments = [a for a, _draft in with_drafts if a.status_at(now) in ANSWERABLE]
    assessments.sort(key=lambda a: (plan_order.index(a.instrument_id) if a.instrument_id in plan_order
                                    else len(plan_order), a.instrument_id))
    drafts = {a.id: draft for a, draft in with_drafts if draft is not None}
    questionnaires = tuple(
        Questionnaire(number=index, assessment=a, instrument=catalog[a.instrument_id], draft=drafts.get(a.id),
                      language=instrument_language(catalog[a.instrument_id], locale, drafts.get(a.id)), live=live)
        for index, a in enumerate(assessments, start=1)
    )
    return Survey(
        invitation_id=invitation.id,
        unit=UnitContact(name=unit.name, phone=unit.phone, email=unit.email),
        locale=locale,
        package_id=package.id,
        package_name=phrase_in(package.name, locale),
        milestone_name=phrase_in(package.milestone(event.milestone_id).name, locale),
        milestone_id=event.milestone_id,
        sees_own_scores=package.settings.respondent_sees_own_scores,
        questionnaires=questionnaires,
    )


def has_critical_answer(invitation: Invitation) -> bool:
    """Whether a critical answer was given (an unanswered critical item alerts clinicians, not the respondent)."""
    return db.session().exec(
        select(Alert.id).join(Assessment, Assessment.id == Alert.assessment_id)
        .where(Assessment.milestone_event_id == invitation.milestone_event_id,
               Assessment.respondent_id == invitation.respondent_id, Alert.kind == AlertKind.ANSWER)
        .limit(1)
    ).first() is not None


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


def own_scores(invitation: Invitation, *, locale: str) -> tuple[ScoreHistory, ...]:
    """The respondent's submitted main-scale scores, per instrument of this invitation, oldest first."""
    session = db.session()
    catalog = definitions.catalog()
    instrument_ids = []
    for assessment in _assessments(invitation):
        if assessment.instrument_id not in instrument_ids:
            instrument_ids.append(assessment.instrument_id)
    pathway_id = (select(MilestoneEvent.pathway_id)
                  .where(MilestoneEvent.id == invitation.milestone_event_id).scalar_subquery())
    rows = session.exec(
        select(Assessment.instrument_id, Response.submitted_at, Response.language, Score.scale_id, Score.value,
               Score.band)
        .join(Response, Response.assessment_id == Assessment.id)
        .join(Score, Score.response_id == Response.id)
        .where(Assessment.respondent_id == invitation.respondent_id, Assessment.pathway_id == pathway_id,
               Assessment.instrument_id.in_(instrument_ids), Response.submitted_at.is_not(None))
        .order_by(Response.submitted_at)
    ).all()
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
                points=tuple(points)))
    return tuple(histories)


def pathway_of(invitation: Invitation) -> Pathway:
    return db.session().exec(
        select(Pathway).join(MilestoneEvent, MilestoneEvent.pathway_id == Pathway.id)
        .where(MilestoneEvent.id == invitation.milestone_event_id)
    ).one()


def _event_pathway_unit(invitation: Invitation) -> tuple[MilestoneEvent, Pathway, Unit]:
    """What every respondent page needs about where the invitation comes from, in one query."""
    return db.session().exec(
        select(MilestoneEvent, Pathway, Unit)
        .join(Pathway, Pathway.id == MilestoneEvent.pathway_id)
        .join(Unit, Unit.id == Pathway.unit_id)
        .where(MilestoneEvent.id == invitation.milestone_event_id)
    ).one()


def _assessments(invitation: Invitation) -> list[Assessment]:
    return list(db.session().exec(
        select(Assessment).where(Assessment.milestone_event_id == invitation.milestone_event_id,
                                 Assessment.respondent_id == invitation.respondent_id)
    ).all())


def _assessments_with_drafts(invitation: Invitation) -> list[tuple[Assessment, Response | None]]:
    """The invitation's assessments, each with its response if one was started (at most one: a unique key)."""
    rows = db.session().exec(
        select(Assessment, Response)
        .outerjoin(Response, Response.assessment_id == Assessment.id)
        .where(Assessment.milestone_event_id == invitation.milestone_event_id,
               Assessment.respondent_id == invitation.respondent_id)
    ).all()
    return [(assessment, draft) for assessment, draft in rows]
