"""Reads of the letter area: a pathway's letters (without their bytes) and one letter."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import defer
from sqlmodel import col, select

from pro_service import db
from pro_service.letters.models import Letter
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
