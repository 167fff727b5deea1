"""The long run: of the scales a pathway had reliably improved at the end, is it still so at each follow-up?

Rows (`models.PathwayFollowUp`) are written with the pathway's other report rows
(`operations.refresh_pathways`), from the same definitions: the baseline is the
outcome's baseline, and "still improved" is `classify_pair` of the baseline and
the follow-up score, from the same respondent.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pro_service.instruments.models import Instrument
from pro_service.pathways.models import AssessmentStatus
from pro_service.pathways.packages import Package
from pro_service.types import new_id

from .days import day_number
from .definitions import ScaleRule, ScorePoint, baseline_of, classify_pair


def follow_up_rows(package: Package, events: Sequence[tuple[str, datetime]], rows: Sequence[Any],
                   outcomes: Sequence[Mapping[str, Any]], *, ended_at: datetime | None, zone: ZoneInfo,
                   catalog: Mapping[str, Instrument], rule: Any) -> list[dict[str, Any]]:
    """One row per follow-up and per (role, instrument, scale) reliably improved at the end.

    `rows` are the pathway's assessment rows as `operations.refresh_pathways` reads them; `rule` makes the
    `ScaleRule` of an instrument's scale (`operations.scale_rule`).
    """
    follow_ups = {m.id for m in package.milestones if m.after_end_days}
    if ended_at is None or not follow_ups:
        return []
    improved = {(o["respondent_role"], o["instrument_id"], o["scale_id"]) for o in outcomes if o["reliably_improved"]}
    if not improved:
        return []
    baseline_at = min((at for milestone, at in events if milestone == package.outcome.baseline), default=None)
    points: dict[tuple[str, str, str], list[ScorePoint]] = defaultdict(list)
    scheduled: dict[tuple[str, str, datetime], datetime] = {}  # (role, instrument, follow-up) -> expires
    answered: dict[tuple[str, str, str, datetime], ScorePoint] = {}
    for row in rows:
        done = row.status == AssessmentStatus.COMPLETED and row.scale_id is not None and row.value is not None
        point = ScorePoint(occurred_at=row.occurred_at, milestone=row.milestone_id, value=row.value or 0.0,
                           caseness=row.caseness, respondent=row.respondent_id,
                           order=int(row.created_at.timestamp() * 1_000_000)) if done else None
        if row.milestone_id in follow_ups:
            scheduled.setdefault((row.role, row.instrument_id, row.occurred_at), row.expires_at)
            if point is not None:
                answered[(row.role, row.instrument_id, row.scale_id, row.occurred_at)] = point
        elif point is not None:
            points[(row.role, row.instrument_id, row.scale_id)].append(point)
    result = []
    for role, instrument_id, scale_id in sorted(improved):
        if instrument_id not in catalog:
            continue  # a combined rule: followed up through its parts
        baseline = baseline_of(points.get((role, instrument_id, scale_id), []), baseline_at=baseline_at)
        if baseline is None:
            continue
        scale_rule: ScaleRule = rule(catalog[instrument_id], scale_id)
        for (s_role, s_instrument, occurred_at), expires_at in sorted(scheduled.items(), key=lambda i: i[0][2]):
            if (s_role, s_instrument) != (role, instrument_id):
                continue
            point = answered.get((role, instrument_id, scale_id, occurred_at))
            if point is not None and point.respondent != baseline.respondent:
                point = None
            still = bool(point and classify_pair(scale_rule, baseline, point).reliably_improved)
            result.append({"id": new_id(), "respondent_role": role, "instrument_id": instrument_id,
                           "scale_id": scale_id, "days_after_end": _days(occurred_at - ended_at),
                           "expires_day": day_number(expires_at.astimezone(zone).date()),
                           "answered": int(point is not None), "still_improved": int(still)})
    return result


def _days(span: timedelta) -> int:
    """Whole days, so a follow-up scheduled across a change to or from summer time is still 182, not 181."""
    return round(span.total_seconds() / 86_400)
