"""Plain, frozen records of what the FHIR resources describe, read by `queries` and mapped by the builders.

The builders never see an ORM object, so mapping can never touch the database
(the letters and reports follow the same rule).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class PatientRecord:
    id: str
    external_id: str
    birth_date: date | None
    sex: str | None


@dataclass(frozen=True)
class ScoreRecord:
    id: str
    scale_id: str
    value: float | None
    band: str | None
    caseness: bool | None
    threshold: float | None
    missing: int
    prorated: bool


@dataclass(frozen=True)
class ResponseRecord:
    """One submitted response: the answers as stored (item number → position or value) and its scores."""

    id: str
    patient_id: str
    instrument_id: str
    instrument_version: str
    language: str
    submitted_at: datetime
    respondent_id: str
    respondent_role: str
    answers: Mapping[int, Any]
    scores: tuple[ScoreRecord, ...]


@dataclass(frozen=True)
class GoalRatingRecord:
    milestone_id: str
    occurred_at: datetime
    rating: int


@dataclass(frozen=True)
class GoalRecord:
    """One own goal (Goal Based Outcomes) with its 0–10 ratings in time order and its classified change."""

    id: str
    patient_id: str
    respondent_role: str
    number: int
    text: str
    created_at: datetime
    active: bool
    ratings: tuple[GoalRatingRecord, ...]
    change: str | None


@dataclass(frozen=True)
class PathwayRecord:
    id: str
    unit_id: str
    patient: PatientRecord
    responses: tuple[ResponseRecord, ...]
    goals: tuple[GoalRecord, ...] = ()


@dataclass(frozen=True)
class ObservationRecord:
    """One score with the response it came from, as a search returns it."""

    score: ScoreRecord
    response: ResponseRecord
