"""Reads of the letter area: a pathway's letters (without their bytes), their status per milestone event, one letter."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import defer
from sqlmodel import col, select

from pro_service import db
from pro_service.letters.models import GeneralPractitioner, Letter, LetterDraft
from pro_service.letters.operations import LETTER_MILESTONES
from pro_service.pathways.models import MilestoneEvent


@dataclass(frozen=True)
class LetterSummary:
    id: str
    pathway_id: str
    milestone_event_id: str
    milestone: str
    occurred_at: datetime
    version: int
    supersedes_id: str | None
    superseded: bool
    """A newer version corrects this one."""
    language: str
    sha256: str
    finalized_at: datetime
    finalized_by: str


@dataclass(frozen=True)
class LetterList:
    letters: list[LetterSummary]


def letters_of(pathway_id: str) -> LetterList:
    """Every finalized letter of a pathway, oldest milestone and version first; one query, no PDF bytes."""
    rows = db.session().exec(
        select(Letter, MilestoneEvent)
        .join(MilestoneEvent, col(MilestoneEvent.id) == Letter.milestone_event_id)
        .where(Letter.pathway_id == pathway_id)
        .options(defer(Letter.pdf))  # type: ignore[arg-type]
        .order_by(col(MilestoneEvent.occurred_at), col(Letter.version))
    ).all()
    corrected = {letter.supersedes_id for letter, _ in rows if letter.supersedes_id}
    return LetterList(letters=[
        LetterSummary(
            id=letter.id, pathway_id=letter.pathway_id, milestone_event_id=letter.milestone_event_id,
            milestone=event.milestone_id, occurred_at=event.occurred_at, version=letter.version,
            supersedes_id=letter.supersedes_id, superseded=letter.id in corrected, language=letter.language,
            sha256=letter.sha256, finalized_at=letter.finalized_at, finalized_by=letter.finalized_by,
        )
        for letter, event in rows
    ])


def letter_by_id(letter_id: str) -> Letter | None:
    return db.session().get(Letter, letter_id)


@dataclass(frozen=True)
class EventLetters:
    """One clinical decision, evaluation or end event: its letter versions (oldest first) and draft note."""

    milestone_event_id: str
    milestone: str
    occurred_at: datetime
    versions: tuple[LetterSummary, ...]
    draft_note: str | None
    """None when no draft is kept."""

    @property
    def newest(self) -> LetterSummary | None:
        return self.versions[-1] if self.versions else None


def letter_events(pathway_id: str, *, milestone_event_id: str | None = None) -> list[EventLetters]:
    """The pathway's letter milestone events, oldest first, with versions and drafts; three queries, no PDF bytes.

    With `milestone_event_id`, only that event (an empty list when it is not a letter event of this pathway).
    """
    session = db.session()
    query = (select(MilestoneEvent)
             .where(MilestoneEvent.pathway_id == pathway_id, col(MilestoneEvent.milestone_id).in_(LETTER_MILESTONES))
             .order_by(col(MilestoneEvent.occurred_at), col(MilestoneEvent.id)))
    if milestone_event_id is not None:
        query = query.where(MilestoneEvent.id == milestone_event_id)
    events = session.exec(query).all()
    if not events:
        return []
    ids = [event.id for event in events]
    drafts = {d.milestone_event_id: d.note for d in session.exec(
        select(LetterDraft).where(col(LetterDraft.milestone_event_id).in_(ids)))}
    versions: dict[str, list[LetterSummary]] = {}
    for summary in letters_of(pathway_id).letters:
        versions.setdefault(summary.milestone_event_id, []).append(summary)
    return [EventLetters(milestone_event_id=event.id, milestone=event.milestone_id, occurred_at=event.occurred_at,
                         versions=tuple(versions.get(event.id, ())), draft_note=drafts.get(event.id))
            for event in events]


def letter_version(*, milestone_event_id: str, version: int) -> Letter | None:
    return db.session().exec(select(Letter).where(
        Letter.milestone_event_id == milestone_event_id, Letter.version == version)).first()


def general_practitioner_of(patient_id: str) -> GeneralPractitioner | None:
    return db.session().exec(select(GeneralPractitioner).where(GeneralPractitioner.patient_id == patient_id)).first()


def current_note(event: EventLetters) -> str:
    """The note to show and preview: the draft, else the newest version's, else none."""
    if event.draft_note is not None:
        return event.draft_note
    if event.newest is None:
        return ""
    return db.session().exec(select(Letter.note).where(Letter.id == event.newest.id)).one()
