"""Tables of the letter area: the patient's GP, and the letters they were sent.

A letter row is written once, when the clinician finalizes it, and never
changed: the PDF bytes and their SHA-256 are what the GP and the EPR received.
A correction is a new version that names the one it supersedes.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, LargeBinary, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from pro_service.types import UTCDateTime, new_id, utcnow


class LetterLanguage(StrEnum):
    NB = "nb"
    NN = "nn"
    DA = "da"
    EN = "en"


class LetterImmutable(Exception):
    """A finalized letter was about to be changed or deleted; write a correction instead."""


class GeneralPractitioner(SQLModel, table=True):
    """The patient's GP (fastlege), who receives the letters, in the language they read."""

    __tablename__ = "general_practitioner"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    patient_id: str = Field(foreign_key="patient.id", unique=True, max_length=32)
    name: str = Field(max_length=200)
    practice: str = Field(max_length=200)
    language: str = Field(default=LetterLanguage.NB, max_length=8)
    address: str | None = Field(default=None, max_length=300)
    her_id: str | None = Field(default=None, max_length=20, description="The practice's HER id in the address register")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Letter(SQLModel, table=True):
    """One finalized version of the GP letter for one milestone event."""

    __table_args__ = (UniqueConstraint("milestone_event_id", "version"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    pathway_id: str = Field(foreign_key="pathway.id", index=True, max_length=32)
    milestone_event_id: str = Field(foreign_key="milestone_event.id", index=True, max_length=32)
    version: int = 1
    supersedes_id: str | None = Field(default=None, foreign_key="letter.id", max_length=32)
    note: str = ""
    language: str = Field(max_length=8)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    finalized_at: datetime = Field(sa_type=UTCDateTime)
    finalized_by: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LetterDraft(SQLModel, table=True):
    """The clinician's note for a milestone event's next letter version, kept until that version is finalized.

    Separate from `Letter` because a letter row is immutable; finalizing or correcting consumes the draft.
    """

    __tablename__ = "letter_draft"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    milestone_event_id: str = Field(foreign_key="milestone_event.id", unique=True, max_length=32)
    note: str = ""
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by: str = Field(max_length=200)


@event.listens_for(Letter, "before_update")
def _refuse_update(_mapper, _connection, letter: Letter) -> None:
    raise LetterImmutable(f"letter {letter.id} is finalized; a correction is a new version")


@event.listens_for(Letter, "before_delete")
def _refuse_delete(_mapper, _connection, letter: Letter) -> None:
    raise LetterImmutable(f"letter {letter.id} is finalized and is kept")
