"""Trajectories and the change between two time points, from plain rows; no Flask, no database.

A trajectory is one charted scale of an instrument for one respondent, one point
per assessment in milestone order. The charted scales are the default scale and
every other scale with bands (`charted_scales`). An assessment that expired unanswered is a
point without a value, so a chart and a table can show it as missing rather
than hide it. Change categories come only from `instruments.change`.

Change is always counted from the package's baseline and picked by
`reports.definitions` (the same rule as the GP letter and the outcome report):
scores before the baseline stay on the charts as history, but no change is
shown until the baseline milestone has been registered and answered.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pro_service.instruments.change import Change, change
from pro_service.instruments.models import Instrument, Scale
from pro_service.pathways.models import AssessmentStatus
from pro_service.reports.definitions import ScorePoint, baseline_of, latest_of


@dataclass(frozen=True)
class ChangeSummary:
    """The change of one instrument for one respondent: the baseline against the latest score after it."""

    instrument: str
    respondent_role: str
    category: str | None
    """None without a score after the baseline, or when the scale has no reliable-change basis."""
    scores: int
    """Scores from the baseline on: 0 while there is no baseline, 1 while the baseline is the only one."""
    baseline: float | None = None
    latest: float | None = None
    """The latest score after the baseline (None while the baseline is the only one)."""
    band: str | None = None
    """The band code of the latest score (or of the baseline while it is the only one)."""
    direction: str = "higher_is_worse"


def summarise_changes(rows: Iterable[Any], catalog: Mapping[str, Instrument], *,
                      baseline_at: datetime | None) -> tuple[ChangeSummary, ...]:
    """Rows with instrument_id, respondent_id, role, scale_id, value, milestone_id and occurred_at, oldest first.

    `baseline_at`: the first registration of the package's baseline milestone (None: not registered yet).
    """
    series: dict[tuple[str, str], list[ScorePoint]] = {}
    roles: dict[tuple[str, str], str] = {}
    for row in rows:
        instrument = catalog.get(row.instrument_id)
        if (instrument is None or not instrument.outcome_measure or row.scale_id != instrument.default_scale.id
                or row.value is None):
            continue  # the patient's view (readiness) is words, not a score with a change
        key = (row.instrument_id, row.respondent_id)
        points = series.setdefault(key, [])
        points.append(ScorePoint(occurred_at=row.occurred_at, milestone=row.milestone_id, value=row.value,
                                 caseness=row.caseness, respondent=row.respondent_id, order=len(points)))
        roles[key] = str(row.role)
    summaries = []
    for (instrument_id, respondent_id), points in series.items():
        baseline = baseline_of(points, baseline_at=baseline_at)
        latest = latest_of(points, baseline=baseline)
        category = None
        if baseline is not None and latest is not None:
            instrument = catalog[instrument_id]
            category = change(instrument, instrument.default_scale.id, baseline.value, latest.value,
                              cases=(baseline.caseness, latest.caseness)).category
        since = 0 if baseline is None else sum(p.occurred_at >= baseline.occurred_at for p in points)
        scale = catalog[instrument_id].default_scale
        shown = latest or baseline
        band = scale.band_for(shown.value) if shown is not None else None
        summaries.append(ChangeSummary(instrument=instrument_id, respondent_role=roles[(instrument_id, respondent_id)],
                                       category=category, scores=since,
                                       baseline=baseline.value if baseline else None,
                                       latest=latest.value if latest else None,
                                       band=band.code if band else None, direction=scale.direction))
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
    caseness: bool | None = None
    """As scored, with the patient's sex and age then; None without a cut-off or a score."""


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


def charted_scales(instrument: Instrument) -> tuple[Scale, ...]:
    """The default scale first, then the instrument's other scales that have bands, in file order."""
    default = instrument.default_scale
    return (default, *(scale for scale in instrument.scales if scale.id != default.id and scale.bands))


def build_trajectories(*, assessments: Sequence[Any], occurred_at: Mapping[str, datetime],
                       respondent_names: Mapping[str, str], answers: Mapping[str, AnswerInfo],
                       catalog: Mapping[str, Instrument]) -> tuple[Trajectory, ...]:
    """Trajectories from `pathway_detail` assessment views, in the order instruments first appear.

    One per charted scale (`charted_scales`) and respondent; for one instrument and
    respondent the default scale comes first. Scheduled, open and cancelled
    assessments are left out: they are not (yet) part of the history. Expired
    ones are missing points.
    """
    grouped: dict[tuple[str, str, str], list[TrajectoryPoint]] = {}
    roles: dict[tuple[str, str, str], str] = {}
    ordered = sorted(assessments, key=lambda a: (occurred_at[a.milestone_event], a.opens_at, a.id))
    for assessment in ordered:
        instrument = catalog.get(assessment.instrument)
        if instrument is None or not instrument.outcome_measure:
            continue
        status = AssessmentStatus(assessment.status)
        if status not in (AssessmentStatus.COMPLETED, AssessmentStatus.EXPIRED):
            continue
        for scale in charted_scales(instrument):
            score = next((s for s in assessment.scores if s.scale == scale.id), None)
            value = score.value if status == AssessmentStatus.COMPLETED and score is not None else None
            key = (instrument.id, scale.id, assessment.respondent)
            roles[key] = assessment.respondent_role
            grouped.setdefault(key, []).append(TrajectoryPoint(
                assessment_id=assessment.id, milestone_event_id=assessment.milestone_event,
                milestone=assessment.milestone, occurred_at=occurred_at[assessment.milestone_event], value=value,
                band=score.band if value is not None else None,
                prorated=bool(score and score.prorated and value is not None),
                answer=answers.get(assessment.id), caseness=score.caseness if value is not None else None,
            ))
    trajectories = [
        Trajectory(instrument_id=instrument_id, scale_id=scale_id,
                   respondent_id=respondent_id, respondent_role=roles[(instrument_id, scale_id, respondent_id)],
                   respondent_name=respondent_names.get(respondent_id, ""), points=tuple(points))
        for (instrument_id, scale_id, respondent_id), points in grouped.items()
    ]
    first = {key: i for i, key in reversed(list(enumerate((t.instrument_id, t.respondent_id) for t in trajectories)))}
    scale_order = {(i.id, scale.id): n for i in catalog.values() for n, scale in enumerate(charted_scales(i))}
    return tuple(sorted(trajectories, key=lambda t: (first[(t.instrument_id, t.respondent_id)],
                                                     scale_order[(t.instrument_id, t.scale_id)])))


@dataclass(frozen=True)
class Comparison:
    """One trajectory from its baseline to the latest score after it, up to a time point."""

    trajectory: Trajectory
    before: TrajectoryPoint | None
    """The baseline; None while there is none."""
    after: TrajectoryPoint | None
    change: Change | None
    """None until there is a score after the baseline."""


def compare(trajectories: Iterable[Trajectory], *, baseline_at: datetime | None, to_at: datetime,
            catalog: Mapping[str, Instrument]) -> tuple[Comparison, ...]:
    """Baseline (the first score at or after `baseline_at`) against the latest score after it up to `to_at`.

    `baseline_at` None (the baseline milestone is not registered yet): no baseline, no change.
    """
    comparisons = []
    for trajectory in trajectories:
        scored = [p for p in trajectory.scored if p.occurred_at <= to_at]
        points = [ScorePoint(occurred_at=p.occurred_at, milestone=p.milestone, value=p.value,  # type: ignore[arg-type]
                             respondent=trajectory.respondent_id, order=i)
                  for i, p in enumerate(scored)]
        baseline = baseline_of(points, baseline_at=baseline_at)
        latest = latest_of(points, baseline=baseline)
        before = scored[baseline.order] if baseline is not None else None
        after = scored[latest.order] if latest is not None else None
        result = None
        if before is not None and after is not None:
            result = change(catalog[trajectory.instrument_id], trajectory.scale_id, before.value, after.value,
                            cases=(before.caseness, after.caseness))
        comparisons.append(Comparison(trajectory=trajectory, before=before, after=after, change=result))
    return tuple(comparisons)
