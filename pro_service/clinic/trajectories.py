"""Trajectories and the change between two time points, from plain rows; no Flask, no database.

A trajectory is one instrument's main scale for one respondent, one point per
assessment in milestone order. An assessment that expired unanswered is a
point without a value, so a chart and a table can show it as missing rather
than hide it. Change categories come only from `instruments.change`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pro_service.instruments.change import Change, change
from pro_service.instruments.models import Instrument
from pro_service.pathways.models import AssessmentStatus


@dataclass(frozen=True)
class ChangeSummary:
    """The latest change of one instrument for one respondent: first score against the last."""

    instrument: str
    respondent_role: str
    category: str | None
    """None with a single score, or when the scale has no reliable-change basis."""
    scores: int


def summarise_changes(rows: Iterable[Any], catalog: Mapping[str, Instrument]) -> tuple[ChangeSummary, ...]:
    """Rows with instrument_id, respondent_id, role, scale_id and value, oldest first."""
    series: dict[tuple[str, str], list[float]] = {}
    roles: dict[tuple[str, str], str] = {}
    for row in rows:
        instrument = catalog.get(row.instrument_id)
        if instrument is None or row.scale_id != instrument.default_scale.id or row.value is None:
            continue
        key = (row.instrument_id, row.respondent_id)
        series.setdefault(key, []).append(row.value)
        roles[key] = str(row.role)
    summaries = []
    for (instrument_id, respondent_id), values in series.items():
        category = None
        if len(values) > 1:
            instrument = catalog[instrument_id]
            category = change(instrument, instrument.default_scale.id, values[0], values[-1]).category
        summaries.append(ChangeSummary(instrument=instrument_id, respondent_role=roles[(instrument_id, respondent_id)],
                                       category=category, scores=len(values)))
    return tuple(sorted(summaries, key=lambda s: (s.instrument, s.respondent_role)))


@dataclass(frozen=True)
class AnswerInfo:
    """The submitted response of an assessment, without its answers."""

    response_id: str
    submitted_at: datetime
    language: str
    entered_by: str | None


@dataclass(frozen=True)
class TrajectoryPoint:
    assessment_id: str
    milestone_event_id: str
    milestone: str
    occurred_at: datetime
    value: float | None
    """None: the assessment expired unanswered (or could not be scored)."""
    band: str | None
    prorated: bool
    answer: AnswerInfo | None


@dataclass(frozen=True)
class Trajectory:
    instrument_id: str
    scale_id: str
    respondent_id: str
    respondent_role: str
    respondent_name: str
    points: tuple[TrajectoryPoint, ...]

    @property
    def scored(self) -> tuple[TrajectoryPoint, ...]:
        return tuple(point for point in self.points if point.value is not None)


def build_trajectories(*, assessments: Sequence[Any], occurred_at: Mapping[str, datetime],
                       respondent_names: Mapping[str, str], answers: Mapping[str, AnswerInfo],
                       catalog: Mapping[str, Instrument]) -> tuple[Trajectory, ...]:
    """Trajectories from `pathway_detail` assessment views, in the order instruments first appear.

    Scheduled, open and cancelled assessments are left out: they are not (yet)
    part of the history. Expired ones are missing points.
    """
    grouped: dict[tuple[str, str], list[TrajectoryPoint]] = {}
    roles: dict[tuple[str, str], str] = {}
    ordered = sorted(assessments, key=lambda a: (occurred_at[a.milestone_event], a.opens_at, a.id))
    for assessment in ordered:
        instrument = catalog.get(assessment.instrument)
        if instrument is None:
            continue
        status = AssessmentStatus(assessment.status)
        if status not in (AssessmentStatus.COMPLETED, AssessmentStatus.EXPIRED):
            continue
        scale = instrument.default_scale
        score = next((s for s in assessment.scores if s.scale == scale.id), None)
        value = score.value if status == AssessmentStatus.COMPLETED and score is not None else None
        key = (instrument.id, assessment.respondent)
        roles[key] = assessment.respondent_role
        grouped.setdefault(key, []).append(TrajectoryPoint(
            assessment_id=assessment.id, milestone_event_id=assessment.milestone_event, milestone=assessment.milestone,
            occurred_at=occurred_at[assessment.milestone_event], value=value,
            band=score.band if value is not None else None, prorated=bool(score and score.prorated and value is not None),
            answer=answers.get(assessment.id),
        ))
    return tuple(
        Trajectory(instrument_id=instrument_id, scale_id=catalog[instrument_id].default_scale.id,
                   respondent_id=respondent_id, respondent_role=roles[(instrument_id, respondent_id)],
                   respondent_name=respondent_names.get(respondent_id, ""), points=tuple(points))
        for (instrument_id, respondent_id), points in grouped.items()
    )


@dataclass(frozen=True)
class Comparison:
    """One trajectory between two time points: the first score from `from` on, the last up to `to`."""

    trajectory: Trajectory
    before: TrajectoryPoint | None
    after: TrajectoryPoint | None
    change: Change | None
    """None until there are two scores in the window."""


def compare(trajectories: Iterable[Trajectory], *, from_at: datetime, to_at: datetime,
            catalog: Mapping[str, Instrument]) -> tuple[Comparison, ...]:
    comparisons = []
    for trajectory in trajectories:
        window = [p for p in trajectory.scored if from_at <= p.occurred_at <= to_at]
        before = window[0] if window else None
        after = window[-1] if len(window) > 1 else None
        result = None
        if before is not None and after is not None:
            result = change(catalog[trajectory.instrument_id], trajectory.scale_id, before.value, after.value)
        comparisons.append(Comparison(trajectory=trajectory, before=before, after=after, change=result))
    return tuple(comparisons)
