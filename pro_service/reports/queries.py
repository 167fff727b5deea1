"""The outcome report in SQL: grouped aggregates, never pathways loaded into Python.

Each query returns rows per unit, package and quarter (and time limit, scale and
respondent role); `model.regroup` sums them into what the reader asked for.
The definitions are those of `definitions.py`, which the tests hold this SQL to.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Integer, String, and_, case, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import CTE

from pro_service.instruments.change import reliable_change_criterion
from pro_service.instruments.models import Instrument
from pro_service.pathways.models import (
    Assessment, AssessmentStatus, MilestoneEvent, Pathway, PathwayStatus, Respondent, Response, Score, Unit,
)
from pro_service.pathways.package_rules import ALWAYS
from pro_service.pathways.packages import Package

from .definitions import EPSILON, FINAL_MILESTONES, Tally
from .model import COMBINED_SCALE, Group, GroupKey, OutcomeRow, ProcessRow, Report, ReportRequest, quarters, regroup
from .sqlfunctions import day_number, local_day


STEPS = ("pathways", "process", "outcomes", "combined")


def outcome_report(session: Session, request: ReportRequest, *, catalog: Mapping[str, Instrument],
                   packages: Mapping[str, Package], timezone: str) -> Report:
    """The report for a period, its units and package; groups as `request.by` asks."""
    return Report(request=request, groups=regroup(base_groups(session, request, catalog=catalog, packages=packages,
                                                              timezone=timezone), request.by))


def base_groups(session: Session, request: ReportRequest, *, catalog: Mapping[str, Instrument],
                packages: Mapping[str, Package], timezone: str,
                progress: Callable[[str], None] | None = None) -> tuple[Group, ...]:
    """One group per unit, package and quarter of the period; `progress` hears the name of each step done."""
    step = progress or (lambda _name: None)
    wanted = [p for p in packages.values() if request.package in (None, p.id)]
    period = _Period(request.start, request.end, timezone)
    codes = dict(session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(request.units))).all())
    groups: dict[GroupKey, dict[str, Any]] = {}

    def group(unit_id: str, package_id: str, quarter: int) -> dict[str, Any]:
        key = GroupKey(unit=codes[unit_id], package=package_id, quarter=period.labels[quarter])
        return groups.setdefault(key, {"started": 0, "ended": 0, "process": {}, "outcomes": {}})

    for unit_id, package_id, quarter, started, ended in _counts(session, request, period, wanted):
        entry = group(unit_id, package_id, quarter)
        entry["started"] += started
        entry["ended"] += ended
    step("pathways")
    for unit_id, package_id, quarter, limit, days, due, met in _process(session, request, period, wanted):
        row = ProcessRow(time_limit=limit, due=due, met=met, days=((days, due),) if days is not None else ())
        process = group(unit_id, package_id, quarter)["process"]
        process[limit] = process[limit] + row if limit in process else row
    step("process")
    for unit_id, package_id, quarter, role, instrument, scale, counts in _outcomes(
            session, request, period, wanted, catalog):
        group(unit_id, package_id, quarter)["outcomes"][(instrument, scale, role)] = counts
    step("outcomes")
    for unit_id, package_id, quarter, role, combined_id, counts in _combined(session, request, period, wanted, catalog):
        group(unit_id, package_id, quarter)["outcomes"][(combined_id, COMBINED_SCALE, role)] = counts
    step("combined")
    return tuple(
        Group(key=key, pathways_started=entry["started"], pathways_ended=entry["ended"],
              process=tuple(entry["process"][limit] for limit in sorted(entry["process"])),
              outcomes=tuple(OutcomeRow(*k, tally=t) for k, t in sorted(entry["outcomes"].items())))
        for key, entry in groups.items()
    )


class _Period:
    """The period's bounds as UTC instants and day numbers, and its quarters."""

    def __init__(self, start: date, end: date, timezone: str) -> None:
        zone = ZoneInfo(timezone)
        self.timezone = timezone
        spans = quarters(start, end)
        self.labels = [label for label, _, _ in spans]
        self.instants = [_midnight(first, zone) for _, first, _ in spans] + [_midnight(_next(end), zone)]
        self.days = [day_number(first) for _, first, _ in spans] + [day_number(_next(end))]

    def quarter_of_instant(self, column: ColumnElement) -> ColumnElement:
        return _index_of(column, self.instants[1:-1])

    def quarter_of_day(self, column: ColumnElement) -> ColumnElement:
        return _index_of(column, self.days[1:-1])

    def holds_instant(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.instants[0], column < self.instants[-1])


def _index_of(column: ColumnElement, bounds: Sequence[Any]) -> ColumnElement:
    """Which quarter a value falls in, given the first value of each quarter after the first."""
    if not bounds:
        return literal(0, Integer)
    return case(*[(column < bound, index) for index, bound in enumerate(bounds)], else_=len(bounds))


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)


def _next(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _scope(request: ReportRequest, packages: Sequence[Package]) -> list[ColumnElement[bool]]:
    return [Pathway.unit_id.in_(request.units), Pathway.package_id.in_([p.id for p in packages])]


def _counts(session: Session, request: ReportRequest, period: _Period, packages: Sequence[Package]):
    """Pathways started and ended in the period, per unit, package and quarter."""
    rows = []
    for column, started in ((Pathway.started_at, 1), (Pathway.ended_at, 0)):
        quarter = period.quarter_of_instant(column).label("quarter")
        query = (select(Pathway.unit_id, Pathway.package_id, quarter, func.count())
                 .where(*_scope(request, packages), period.holds_instant(column))
                 .group_by(Pathway.unit_id, Pathway.package_id, quarter))
        rows += [(u, p, q, n * started, n * (1 - started)) for u, p, q, n in session.execute(query)]
    return rows


def _literal_table(name: str, columns: Sequence[tuple[str, Any]], rows: Sequence[Sequence[Any]]) -> CTE:
    """A small constant table (UNION ALL of SELECTs), spelled the same on SQLite and PostgreSQL."""
    selects = [select(*[cast(literal(value), kind).label(column) for (column, kind), value in zip(columns, row)])
               for row in rows]
    return union_all(*selects).cte(name) if len(selects) > 1 else selects[0].cte(name)


def _process(session: Session, request: ReportRequest, period: _Period, packages: Sequence[Package]):
    """Per time limit: due in the period (deadline day inside it), met, by the days it took.

    Only the ordinary limits: a variant (inpatient, extended assessment, D12's
    extension) applies under a condition the service does not record per pathway.
    """
    limits = [(p.id, rule.milestone, rule.from_milestone, rule.days)
              for p in packages for rule in p.time_limits() if rule.condition == ALWAYS]
    if not limits:
        return []
    table = _literal_table("time_limit", [("package_id", String), ("milestone", String), ("from_milestone", String),
                                          ("days", Integer)], limits)
    # The local day once per first event: computed in the join below, SQLite called its Python function for
    # every event and time limit of every package (ten times as often at 5,000 pathways).
    first = (select(MilestoneEvent.pathway_id, MilestoneEvent.milestone_id,
                    local_day(func.min(MilestoneEvent.occurred_at), literal(period.timezone)).label("day"))
             .join(Pathway, Pathway.id == MilestoneEvent.pathway_id).where(*_scope(request, packages))
             .group_by(MilestoneEvent.pathway_id, MilestoneEvent.milestone_id).cte("first_event"))
    start, end = first.alias("start_event"), first.alias("done_event")
    start_day = start.c.day
    deadline = start_day + table.c.days
    taken = (end.c.day - start_day).label("taken")
    quarter = period.quarter_of_day(deadline).label("quarter")
    query = (
        select(Pathway.unit_id, Pathway.package_id, quarter, table.c.milestone, taken, func.count(),
               func.sum(case((taken <= table.c.days, 1), else_=0)))
        .join(table, table.c.package_id == Pathway.package_id)
        .join(start, and_(start.c.pathway_id == Pathway.id, start.c.milestone_id == table.c.from_milestone))
        .outerjoin(end, and_(end.c.pathway_id == Pathway.id, end.c.milestone_id == table.c.milestone))
        .where(*_scope(request, packages), deadline >= period.days[0], deadline < period.days[-1])
        .group_by(Pathway.unit_id, Pathway.package_id, quarter, table.c.milestone, taken)
    )
    return [(u, p, q, limit, days, due, int(met or 0)) for u, p, q, limit, days, due, met in session.execute(query)]


def _scale_rules(catalog: Mapping[str, Instrument], instruments: set[str]) -> list[tuple[Any, ...]]:
    rows = []
    for instrument_id in sorted(instruments):
        instrument = catalog.get(instrument_id)
        if instrument is None:
            continue
        for scale in instrument.scales:
            rows.append((instrument.id, scale.id, reliable_change_criterion(scale),
                         1 if scale.direction == "higher_is_better" else -1, scale.caseness is not None))
    return rows


def _ended(request: ReportRequest, period: _Period, packages: Sequence[Package]) -> CTE:
    return (select(Pathway.id, Pathway.unit_id, Pathway.package_id,
                   period.quarter_of_instant(Pathway.ended_at).label("quarter"))
            .where(*_scope(request, packages), Pathway.status == PathwayStatus.ENDED,
                   period.holds_instant(Pathway.ended_at)).cte("ended_pathway"))


def _pairs(request: ReportRequest, packages: Sequence[Package], pathways: CTE, instruments: Sequence[str]) -> CTE:
    """Per ended pathway, respondent role, instrument and scale: the baseline and (when there is one) final score."""
    baseline_milestone = case(*[(pathways.c.package_id == p.id, p.outcome.baseline) for p in packages])
    baseline_at = (select(MilestoneEvent.pathway_id, func.min(MilestoneEvent.occurred_at).label("at"))
                   .join(pathways, pathways.c.id == MilestoneEvent.pathway_id)
                   .where(MilestoneEvent.milestone_id == baseline_milestone)
                   .group_by(MilestoneEvent.pathway_id).cte("baseline_at"))
    scored = (select(Assessment.pathway_id, Respondent.role, Assessment.respondent_id, Respondent.created_at,
                     Assessment.instrument_id, Score.scale_id, Score.value, Score.caseness,
                     MilestoneEvent.occurred_at, MilestoneEvent.milestone_id)
              .join(pathways, pathways.c.id == Assessment.pathway_id)
              .join(MilestoneEvent, MilestoneEvent.id == Assessment.milestone_event_id)
              .join(Respondent, Respondent.id == Assessment.respondent_id)
              .join(Response, Response.assessment_id == Assessment.id)
              .join(Score, Score.response_id == Response.id)
              .where(Assessment.status == AssessmentStatus.COMPLETED, Score.value.is_not(None),
                     Assessment.instrument_id.in_(instruments), *_role(request, Respondent.role))
              .cte("scored"))
    series = (scored.c.pathway_id, scored.c.role, scored.c.instrument_id, scored.c.scale_id)
    first = func.row_number().over(partition_by=series, order_by=(scored.c.occurred_at, scored.c.created_at,
                                                                   scored.c.respondent_id))
    ranked = (select(scored, first.label("rank")).join(baseline_at, baseline_at.c.pathway_id == scored.c.pathway_id)
              .where(scored.c.occurred_at >= baseline_at.c.at).subquery("baseline_ranked"))
    baseline = select(ranked).where(ranked.c.rank == 1).cte("baseline")
    later = scored.alias("later")
    last = func.row_number().over(
        partition_by=(later.c.pathway_id, later.c.role, later.c.instrument_id, later.c.scale_id),
        order_by=(case((later.c.milestone_id == "end", 0), else_=1), later.c.occurred_at.desc(),
                  later.c.created_at.desc()))
    final_ranked = (
        select(later.c.pathway_id, later.c.role, later.c.instrument_id, later.c.scale_id, later.c.value,
               later.c.caseness, last.label("rank"))
        .join(baseline, and_(baseline.c.pathway_id == later.c.pathway_id, baseline.c.role == later.c.role,
                             baseline.c.instrument_id == later.c.instrument_id,
                             baseline.c.scale_id == later.c.scale_id,
                             baseline.c.respondent_id == later.c.respondent_id))
        .where(later.c.milestone_id.in_(FINAL_MILESTONES), later.c.occurred_at > baseline.c.occurred_at)
        .subquery("final_ranked"))
    final = select(final_ranked).where(final_ranked.c.rank == 1).subquery("final")
    # One row per series by grouping baseline and final rows, not `baseline LEFT JOIN final`: SQLite cannot index
    # a derived table for that join and scanned all of `final` once per baseline (quadratic in the pathways).
    key = ("pathway_id", "role", "instrument_id", "scale_id")
    series = union_all(
        select(*[baseline.c[k] for k in key], literal(0).label("kind"), baseline.c.value, _flag(baseline.c.caseness)),
        select(*[final.c[k] for k in key], literal(1), final.c.value, _flag(final.c.caseness)),
    ).subquery("series")

    def of(kind: int, column: ColumnElement) -> ColumnElement:
        return func.max(case((series.c.kind == kind, column), else_=None))

    return (select(*[series.c[k] for k in key], of(0, series.c.value).label("baseline"),
                   of(0, series.c.caseness).label("baseline_case"), of(1, series.c.value).label("final"),
                   of(1, series.c.caseness).label("final_case"))
            .group_by(*[series.c[k] for k in key]).cte("pair"))


def _flag(column: ColumnElement) -> ColumnElement:
    """A boolean as 1/0/NULL, so that max() can carry it through the grouping on both databases."""
    return case((column.is_(True), 1), (column.is_(False), 0), else_=None).label("caseness")


def _role(request: ReportRequest, column: Any) -> list[ColumnElement[bool]]:
    return [column == request.role] if request.role else []


def _eligible(request: ReportRequest, pathways: CTE, instruments: Sequence[str]) -> CTE:
    """An ended pathway had an instrument for a role when an assessment of it was scheduled and not cancelled."""
    return (select(Assessment.pathway_id, Respondent.role, Assessment.instrument_id)
            .join(pathways, pathways.c.id == Assessment.pathway_id)
            .join(Respondent, Respondent.id == Assessment.respondent_id)
            .where(Assessment.status != AssessmentStatus.CANCELLED, Assessment.instrument_id.in_(instruments),
                   *_role(request, Respondent.role))
            .distinct().cte("eligible"))


def _planned(packages: Sequence[Package]) -> set[str]:
    return {entry.instrument for p in packages for entry in p.plan}


def _outcomes(session: Session, request: ReportRequest, period: _Period, packages: Sequence[Package],
              catalog: Mapping[str, Instrument]):
    instruments = sorted(_planned(packages))
    rules_rows = _scale_rules(catalog, set(instruments))
    if not rules_rows:
        return []
    rules = _literal_table("scale_rule", [("instrument_id", String), ("scale_id", String), ("criterion", Float),
                                          ("sign", Integer), ("has_caseness", Integer)], rules_rows)
    pathways = _ended(request, period, packages)
    eligible = _eligible(request, pathways, instruments)
    pair = _pairs(request, packages, pathways, instruments)
    paired = pair.c.final.is_not(None)
    gain = (pair.c.final - pair.c.baseline) * rules.c.sign

    def count(condition: ColumnElement[bool]) -> ColumnElement:
        return func.sum(case((and_(paired, condition), 1), else_=0))

    def total(value: ColumnElement) -> ColumnElement:
        return func.sum(case((paired, value), else_=None))

    improved = gain >= rules.c.criterion - EPSILON
    deteriorated = -gain >= rules.c.criterion - EPSILON
    case_at_start = pair.c.baseline_case == 1
    recovered = and_(case_at_start, pair.c.final_case == 0)
    change = pair.c.final - pair.c.baseline
    query = (
        select(pathways.c.unit_id, pathways.c.package_id, pathways.c.quarter, eligible.c.role,
               rules.c.instrument_id, rules.c.scale_id,
               func.count(), count(literal(True)), count(case_at_start), count(improved), count(deteriorated),
               count(and_(~improved, ~deteriorated)), count(recovered), count(and_(recovered, improved)),
               total(pair.c.baseline), total(pair.c.baseline * pair.c.baseline), total(pair.c.final),
               total(change), total(change * change), func.max(rules.c.criterion), func.max(rules.c.has_caseness))
        .select_from(eligible)
        .join(pathways, pathways.c.id == eligible.c.pathway_id)
        .join(rules, rules.c.instrument_id == eligible.c.instrument_id)
        .outerjoin(pair, and_(pair.c.pathway_id == eligible.c.pathway_id, pair.c.role == eligible.c.role,
                              pair.c.instrument_id == eligible.c.instrument_id, pair.c.scale_id == rules.c.scale_id))
        .group_by(pathways.c.unit_id, pathways.c.package_id, pathways.c.quarter, eligible.c.role,
                  rules.c.instrument_id, rules.c.scale_id)
    )
    rows = []
    for (unit, package, quarter, role, instrument, scale, eligible_n, paired_n, cases, up, down, same, rec, rrec,
         s_b, s_bb, s_f, s_c, s_cc, criterion, has_caseness) in session.execute(query):
        classified, with_cases = criterion is not None, bool(has_caseness)
        rows.append((unit, package, quarter, role, instrument, scale, Tally(
            eligible=eligible_n, paired=paired_n,
            cases_at_start=cases if with_cases else None,
            reliably_improved=up if classified else None, reliably_deteriorated=down if classified else None,
            no_reliable_change=same if classified else None,
            recovered=rec if with_cases else None, reliably_recovered=rrec if classified and with_cases else None,
            n=paired_n, sum_baseline=_float(s_b), sum_sq_baseline=_float(s_bb), sum_final=_float(s_f),
            sum_change=_float(s_c), sum_sq_change=_float(s_cc))))
    return rows


def _float(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _combined(session: Session, request: ReportRequest, period: _Period, packages: Sequence[Package],
              catalog: Mapping[str, Instrument]):
    """Rules over several scales at once (NHS Talking Therapies' PHQ-9 + GAD-7), as the package data defines them."""
    rows = []
    for package in packages:
        for combined in package.outcome.combined:
            if request.role not in (None, combined.respondent):
                continue
            rows += _one_combined(session, request, period, package, combined, catalog)
    return rows


def _one_combined(session, request, period, package, combined, catalog):
    parts = []
    for part in combined.parts:
        scale = catalog[part.instrument].scale(part.scale)
        parts.append((part.instrument, part.scale, reliable_change_criterion(scale),
                      1 if scale.direction == "higher_is_better" else -1,
                      part.caseness.min, part.caseness.max))
    table = _literal_table("combined_part", [("instrument_id", String), ("scale_id", String), ("criterion", Float),
                                             ("sign", Integer), ("case_min", Float), ("case_max", Float)], parts)
    only = ReportRequest(start=request.start, end=request.end, units=request.units, package=package.id,
                         role=combined.respondent, by=request.by)
    pathways = _ended(only, period, [package])
    instruments = [p.instrument for p in combined.parts]
    eligible = _eligible(only, pathways, instruments)
    pair = _pairs(only, [package], pathways, instruments)

    def is_case(value: ColumnElement) -> ColumnElement[bool]:
        return or_(and_(table.c.case_min.is_not(None), value >= table.c.case_min),
                   and_(table.c.case_max.is_not(None), value <= table.c.case_max))

    def any_of(condition: ColumnElement[bool]) -> ColumnElement:
        return func.max(case((condition, 1), else_=0))

    gain = (pair.c.final - pair.c.baseline) * table.c.sign
    per_pathway = (
        select(eligible.c.pathway_id,
               func.count(func.distinct(eligible.c.instrument_id)).label("parts"),
               func.count(pair.c.final).label("paired_parts"),
               any_of(is_case(pair.c.baseline)).label("case_at_start"),
               any_of(is_case(pair.c.final)).label("case_at_final"),
               any_of(gain >= table.c.criterion - EPSILON).label("improved"),
               any_of(-gain >= table.c.criterion - EPSILON).label("deteriorated"))
        .join(table, table.c.instrument_id == eligible.c.instrument_id)
        .outerjoin(pair, and_(pair.c.pathway_id == eligible.c.pathway_id, pair.c.role == eligible.c.role,
                              pair.c.instrument_id == eligible.c.instrument_id, pair.c.scale_id == table.c.scale_id))
        .group_by(eligible.c.pathway_id)
        .having(func.count(func.distinct(eligible.c.instrument_id)) == len(parts))
        .subquery("combined_pathway"))
    c = per_pathway.c
    paired = c.paired_parts == len(parts)
    improved = and_(c.improved == 1, c.deteriorated == 0)
    deteriorated = and_(c.deteriorated == 1, c.improved == 0)
    recovered = and_(c.case_at_start == 1, c.case_at_final == 0)

    def count(condition: ColumnElement[bool]) -> ColumnElement:
        return func.sum(case((and_(paired, condition), 1), else_=0))

    query = (select(pathways.c.unit_id, pathways.c.quarter, func.count(), count(literal(True)),
                    count(c.case_at_start == 1), count(improved), count(deteriorated),
                    count(and_(~improved, ~deteriorated)), count(recovered), count(and_(recovered, improved)))
             .select_from(per_pathway).join(pathways, pathways.c.id == c.pathway_id)
             .group_by(pathways.c.unit_id, pathways.c.quarter))
    return [(unit, package.id, quarter, combined.respondent, combined.id, Tally(
                eligible=eligible_n, paired=paired_n, cases_at_start=cases, reliably_improved=up,
                reliably_deteriorated=down, no_reliable_change=same, recovered=rec, reliably_recovered=rrec,
                n=0, sum_baseline=None, sum_sq_baseline=None, sum_final=None, sum_change=None, sum_sq_change=None))
            for unit, quarter, eligible_n, paired_n, cases, up, down, same, rec, rrec in session.execute(query)]
