"""Keep each pathway's report rows (`models.PathwayOutcome`, `models.PathwayTimeLimit`) in step with its data.

Called wherever a pathway's outcome can change: a milestone registered (it
schedules assessments, may be the baseline or the end), an assessment cancelled,
a paper response entered. A respondent's submit, the hot path, only queues the
pathway (`queue_refresh`); the worker rewrites what is queued (`refresh_queued`),
and so does every report read before it adds anything up. The rows come from
`definitions.py`, so the report counts exactly what the clinic and the GP letter
show. `refresh_all` rebuilds every pathway's rows (after an upgrade, or when an
instrument file's cut-off or reliable-change basis changes).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, insert, inspect, select
from sqlalchemy.orm import Session

from pro_service import db, definitions
from pro_service.instruments.change import reliable_change_criterion
from pro_service.instruments.models import Instrument
from pro_service.pathways.models import (
    Assessment, AssessmentStatus, CareSetting, MilestoneEvent, Pathway, Respondent, Response, Score,
)
from pro_service.pathways.package_rules import END, EXTENDED_ASSESSMENT, TimeLimitRule, in_setting, intervals
from pro_service.pathways.packages import Package
from pro_service.types import new_id

from . import daily
from .definitions import (
    CombinedPart, PairFlags, ScaleRule, ScorePoint, baseline_of, classify_combined, classify_pair, final_of,
)
from .days import day_number
from .model import COMBINED_SCALE
from .follow_up import follow_up_rows
from .models import PathwayFollowUp, PathwayOutcome, PathwayTimeLimit, QueuedRefresh

BATCH = 500


def refresh_pathway(pathway_id: str) -> None:
    """Rewrite one pathway's report rows, with the app's catalogue, packages and time zone; flushes."""
    refresh_pathways([pathway_id], session=db.session(), catalog=definitions.catalog(),
                     packages=definitions.packages(), timezone=current_app.config["SETTINGS"].timezone)


def queue_refresh(pathway_id: str, *, now: datetime) -> None:
    """Leave the pathway's report rows to be rewritten after this transaction commits: one statement."""
    _QUEUE.execute({"pathway_id": pathway_id, "queued_at": now})


_QUEUE = db.DialectInsert(QueuedRefresh.__table__, lambda insert: insert.on_conflict_do_update(
    index_elements=["pathway_id"], set_={"queued_at": insert.excluded.queued_at}))


def refresh_queued(*, session: Session, catalog: Mapping[str, Instrument], packages: Mapping[str, Package],
                   timezone: str, limit: int | None = None, skip_locked: bool = False) -> int:
    """Rewrite the rows of the queued pathways, oldest first, and take them off the queue; returns how many.

    On PostgreSQL the queue rows stay locked until the caller commits: a worker passes over those another
    worker holds (`skip_locked`); a report read waits for them, then finds them done. A submit queueing a
    pathway again meanwhile waits too, and its entry stays for the next round.
    """
    query = select(QueuedRefresh.pathway_id).order_by(QueuedRefresh.queued_at, QueuedRefresh.pathway_id)
    if limit is not None:
        query = query.limit(limit)
    ids = list(session.scalars(query.with_for_update(skip_locked=skip_locked)))
    refresh_pathways(ids, session=session, catalog=catalog, packages=packages, timezone=timezone)
    for start in range(0, len(ids), BATCH):
        session.execute(delete(QueuedRefresh).where(QueuedRefresh.pathway_id.in_(ids[start:start + BATCH])))
    return len(ids)


def refresh_all(*, session: Session, catalog: Mapping[str, Instrument], packages: Mapping[str, Package],
                timezone: str) -> int:
    """Rewrite every pathway's report rows and every day's sums; returns how many pathways."""
    session.execute(delete(QueuedRefresh))  # all rewritten below; a pathway queued from now on stays queued
    ids = list(session.scalars(select(Pathway.id).order_by(Pathway.id)))
    refresh_pathways(ids, session=session, catalog=catalog, packages=packages, timezone=timezone, days=False)
    daily.rebuild(session)
    session.flush()
    return len(ids)


def fill_report_rows_if_missing() -> int:
    """After an upgrade that created the report rows (migration 0012): write them for the pathways already there."""
    session = db.session()
    if not inspect(session.get_bind()).has_table(PathwayOutcome.__tablename__):
        return 0
    has_rows = session.scalar(select(PathwayOutcome.id).limit(1)) or session.scalar(select(PathwayTimeLimit.id).limit(1))
    without_day = session.scalar(select(PathwayOutcome.id).where(  # rows written before the day tables (0014)
        PathwayOutcome.ended_at.is_not(None), PathwayOutcome.ended_day.is_(None)).limit(1))
    if (has_rows and not without_day) or session.scalar(select(Pathway.id).limit(1)) is None:
        return 0
    count = refresh_all(session=session, catalog=definitions.catalog(), packages=definitions.packages(),
                        timezone=current_app.config["SETTINGS"].timezone)
    session.commit()
    return count


def refresh_pathways(pathway_ids: Iterable[str], *, session: Session, catalog: Mapping[str, Instrument],
                     packages: Mapping[str, Package], timezone: str, days: bool = True) -> None:
    """Rewrite the report rows of these pathways, a batch at a time, and the sums of the days they touch.

    `days` False leaves the day tables to the caller (`refresh_all` rebuilds them once at the end).
    """
    ids = list(dict.fromkeys(pathway_ids))
    zone = ZoneInfo(timezone)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        found = session.execute(select(Pathway.id, Pathway.unit_id, Pathway.package_id, Pathway.ended_at,
                                       Pathway.care_setting).where(Pathway.id.in_(chunk))).all()
        events: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
        for pathway_id, milestone_id, occurred_at in session.execute(
                select(MilestoneEvent.pathway_id, MilestoneEvent.milestone_id, MilestoneEvent.occurred_at)
                .where(MilestoneEvent.pathway_id.in_(chunk))):
            events[pathway_id].append((milestone_id, occurred_at))
        assessments: dict[str, list[Any]] = defaultdict(list)
        for row in session.execute(
                select(Assessment.pathway_id, Assessment.instrument_id, Assessment.status, Assessment.respondent_id,
                       Assessment.expires_at, Respondent.role, Respondent.created_at, MilestoneEvent.milestone_id,
                       MilestoneEvent.occurred_at, Score.scale_id, Score.value, Score.caseness)
                .join(Respondent, Respondent.id == Assessment.respondent_id)
                .join(MilestoneEvent, MilestoneEvent.id == Assessment.milestone_event_id)
                .outerjoin(Response, Response.assessment_id == Assessment.id)
                .outerjoin(Score, Score.response_id == Response.id)
                .where(Assessment.pathway_id.in_(chunk), Assessment.status != AssessmentStatus.CANCELLED)):
            assessments[row.pathway_id].append(row)
        before = (daily.outcome_rows_of(session, chunk), daily.time_limit_rows_of(session, chunk)) if days else None
        session.execute(delete(PathwayOutcome).where(PathwayOutcome.pathway_id.in_(chunk)))
        session.execute(delete(PathwayTimeLimit).where(PathwayTimeLimit.pathway_id.in_(chunk)))
        session.execute(delete(PathwayFollowUp).where(PathwayFollowUp.pathway_id.in_(chunk)))
        outcomes: list[dict[str, Any]] = []
        limits: list[dict[str, Any]] = []
        follow_ups: list[dict[str, Any]] = []
        for pathway_id, unit_id, package_id, ended_at, care_setting in found:
            package = packages.get(package_id)
            if package is None:
                continue
            where = {"pathway_id": pathway_id, "unit_id": unit_id, "package_id": package_id}
            ended_day = day_number(ended_at.astimezone(zone).date()) if ended_at is not None else None
            own = outcome_rows(package, events[pathway_id], assessments[pathway_id], catalog)
            outcomes += [{**where, "ended_at": ended_at, "ended_day": ended_day, **row} for row in own]
            limits += [{**where, **row} for row in time_limit_rows(package, events[pathway_id], zone,
                                                                     care_setting)]
            follow_ups += [{**where, "ended_day": ended_day, **row} for row in follow_up_rows(
                package, events[pathway_id], assessments[pathway_id], own, ended_at=ended_at, zone=zone,
                catalog=catalog, rule=scale_rule)]
        if outcomes:
            session.execute(insert(PathwayOutcome), outcomes)
        if limits:
            session.execute(insert(PathwayTimeLimit), limits)
        if follow_ups:
            session.execute(insert(PathwayFollowUp), follow_ups)
        if before is not None:
            daily.recompute(session, outcome_days=daily.changed_days(before[0], outcomes, daily.OUTCOME_FIELDS),
                            time_limit_days=daily.changed_days(before[1], limits, daily.TIME_LIMIT_FIELDS))
    session.flush()


def scale_rule(instrument: Instrument, scale_id: str) -> ScaleRule:
    scale = instrument.scale(scale_id)
    return ScaleRule(instrument=instrument.id, scale=scale.id, higher_is_better=scale.direction == "higher_is_better",
                     criterion=reliable_change_criterion(scale), has_caseness=scale.caseness is not None)


def outcome_rows(package: Package, events: Sequence[tuple[str, datetime]], rows: Sequence[Any],
                 catalog: Mapping[str, Instrument]) -> list[dict[str, Any]]:
    """One row per respondent role and scale of each instrument the pathway had, and per combined rule."""
    baseline_at = min((at for milestone, at in events if milestone == package.outcome.baseline), default=None)
    eligible = {(row.role, row.instrument_id) for row in rows
                if row.instrument_id in catalog and catalog[row.instrument_id].outcome_measure}
    points: dict[tuple[str, str, str], list[ScorePoint]] = defaultdict(list)
    for row in rows:
        if row.status == AssessmentStatus.COMPLETED and row.scale_id is not None and row.value is not None:
            points[(row.role, row.instrument_id, row.scale_id)].append(ScorePoint(
                occurred_at=row.occurred_at, milestone=row.milestone_id, value=row.value, caseness=row.caseness,
                respondent=row.respondent_id, order=int(row.created_at.timestamp() * 1_000_000)))
    pairs: dict[tuple[str, str, str], tuple[ScorePoint, ScorePoint] | None] = {}
    result = []
    for role, instrument_id in sorted(eligible):
        instrument = catalog[instrument_id]
        for scale in instrument.scales:
            series = points.get((role, instrument_id, scale.id), [])
            baseline = baseline_of(series, baseline_at=baseline_at)
            final = final_of(series, baseline=baseline)
            pair = (baseline, final) if baseline is not None and final is not None else None
            pairs[(role, instrument_id, scale.id)] = pair
            flags = classify_pair(scale_rule(instrument, scale.id), *pair) if pair else None
            result.append(_row(role, instrument_id, scale.id, pair, flags))
    for combined in package.outcome.combined:
        keys = [(combined.respondent, part.instrument, part.scale) for part in combined.parts]
        if not all(key in pairs for key in keys):
            continue  # not eligible for every part
        parts = [pairs[key] for key in keys]
        flags = None
        if all(parts):
            flags = classify_combined([
                (CombinedPart(rule=scale_rule(catalog[part.instrument], part.scale), case_min=part.caseness.min,
                              case_max=part.caseness.max), *pair)
                for part, pair in zip(combined.parts, parts)])
        result.append(_row(combined.respondent, combined.id, COMBINED_SCALE, None, flags,
                           paired=all(parts)))
    return result


def _row(role: str, instrument_id: str, scale_id: str,
         pair: tuple[ScorePoint, ScorePoint] | None, flags: PairFlags | None, *,
         paired: bool | None = None) -> dict[str, Any]:
    is_paired = bool(pair) if paired is None else paired

    def one(value: bool | None) -> int:
        return int(bool(is_paired and flags is not None and value))

    return {"id": new_id(), "respondent_role": role, "instrument_id": instrument_id,
            "scale_id": scale_id, "paired": int(is_paired),
            "case_at_start": one(flags and flags.case_at_start), "reliably_improved": one(flags and flags.reliably_improved),
            "reliably_deteriorated": one(flags and flags.reliably_deteriorated),
            "no_reliable_change": one(flags and flags.no_reliable_change), "recovered": one(flags and flags.recovered),
            "reliably_recovered": one(flags and flags.reliably_recovered),
            "baseline": pair[0].value if pair else None, "final": pair[1].value if pair else None}


def time_limit_rows(package: Package, events: Sequence[tuple[str, datetime]], zone: ZoneInfo,
                    care_setting: str = CareSetting.OUTPATIENT) -> list[dict[str, Any]]:
    """Each time limit that has started: its deadline day, and the days taken once the milestone came.

    An extended-assessment limit counts only for pathways whose milestone was
    registered a second time; an inpatient limit only for inpatient pathways,
    in place of the ordinary one (`package_rules.in_setting`). An interval has one
    row per pathway: its first interval that ran over, else its latest, so a
    pathway meets it only when every evaluation followed the last in time.
    """
    registrations: dict[str, list[datetime]] = defaultdict(list)
    for milestone, at in sorted(events, key=lambda e: e[1]):
        registrations[milestone].append(at)
    rows = []
    for rule in in_setting(package.time_limits(), care_setting):
        if rule.interval:
            rows += _interval_row(rule, registrations, zone)
            continue
        starts = registrations.get(rule.from_milestone)
        done = registrations.get(rule.milestone, [])
        if not starts or (rule.condition == EXTENDED_ASSESSMENT and len(done) < 2):
            continue
        start_day = day_number(starts[0].astimezone(zone).date())
        reached = done[rule.registration - 1] if len(done) >= rule.registration else None
        taken = day_number(reached.astimezone(zone).date()) - start_day if reached else None
        rows.append({"id": new_id(), "time_limit": rule.id,
                     "deadline_day": start_day + rule.days, "taken_days": taken,
                     "met": int(taken is not None and taken <= rule.days)})
    return rows


def _interval_row(rule: TimeLimitRule, registrations: Mapping[str, list[datetime]],
                  zone: ZoneInfo) -> list[dict[str, Any]]:
    end = registrations.get(END)
    spans = [(day_number(start.astimezone(zone).date()), reached and day_number(reached.astimezone(zone).date()))
             for start, reached in intervals(registrations.get(rule.milestone, []), end[0] if end else None)]
    if not spans:
        return []
    start_day, reached_day = next((span for span in spans if span[1] is not None and span[1] - span[0] > rule.days),
                                  spans[-1])
    taken = reached_day - start_day if reached_day is not None else None
    return [{"id": new_id(), "time_limit": rule.id, "deadline_day": start_day + rule.days, "taken_days": taken,
             "met": int(taken is not None and taken <= rule.days)}]
