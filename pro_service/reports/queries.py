"""The outcome report in SQL: grouped sums over each pathway's report rows, never pathways loaded into Python.

The per-pathway rows (`models.PathwayOutcome`, `models.PathwayTimeLimit`) are kept
by `operations.refresh_pathways` from `definitions.py`, and added up per unit,
package and day in the day tables (`daily.py`); here the days are only summed.
Each query returns rows per unit, package and quarter (and time limit, scale and
respondent role); `model.regroup` sums them into what the reader asked for.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from pro_service.instruments.change import reliable_change_criterion
from pro_service.instruments.models import Instrument
from pro_service.pathways.models import Pathway, Unit
from pro_service.pathways.packages import Package

from .definitions import Tally
from .model import (
    COMBINED_SCALE, FollowUpRow, Group, GroupKey, OutcomeRow, ProcessRow, Report, ReportRequest, quarters, regroup,
)
from .models import OutcomeDay, PathwayFollowUp, TimeLimitDay
from .operations import refresh_queued
from .days import day_number


STEPS = ("pathways", "process", "outcomes", "follow-up")


def outcome_report(session: Session, request: ReportRequest, *, catalog: Mapping[str, Instrument],
                   packages: Mapping[str, Package], timezone: str, today: date | None = None) -> Report:
    """The report for a period, its units and package; groups as `request.by` asks."""
    return Report(request=request, groups=regroup(base_groups(session, request, catalog=catalog, packages=packages,
                                                              timezone=timezone, today=today), request.by))


def base_groups(session: Session, request: ReportRequest, *, catalog: Mapping[str, Instrument],
                packages: Mapping[str, Package], timezone: str,
                progress: Callable[[str], None] | None = None, today: date | None = None) -> tuple[Group, ...]:
    """One group per unit, package and quarter of the period; `progress` hears the name of each step done.

    `today` (in the service's time zone; default now) decides which follow-ups are over. The rows of
    pathways still queued (`operations.refresh_queued`) are rewritten first, so no submitted answer is missed.
    """
    refresh_queued(session=session, catalog=catalog, packages=packages, timezone=timezone)
    step = progress or (lambda _name: None)
    today = today or datetime.now(ZoneInfo(timezone)).date()
    wanted = [p for p in packages.values() if request.package in (None, p.id)]
    period = _Period(request.start, request.end, timezone)
    codes = dict(session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(request.units))).all())
    groups: dict[GroupKey, dict[str, Any]] = {}

    def group(unit_id: str, package_id: str, quarter: int) -> dict[str, Any]:
        key = GroupKey(unit=codes[unit_id], package=package_id, quarter=period.labels[quarter])
        return groups.setdefault(key, {"started": 0, "ended": 0, "process": {}, "outcomes": {}, "follow_ups": {}})

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
    for unit_id, package_id, quarter, row in _follow_ups(session, request, period, wanted, day_number(today)):
        group(unit_id, package_id, quarter)["follow_ups"][row.key] = row
    step("follow-up")
    return tuple(
        Group(key=key, pathways_started=entry["started"], pathways_ended=entry["ended"],
              process=tuple(entry["process"][limit] for limit in sorted(entry["process"])),
              outcomes=tuple(OutcomeRow(*k, tally=t) for k, t in sorted(entry["outcomes"].items())),
              follow_ups=tuple(entry["follow_ups"][k] for k in sorted(entry["follow_ups"])))
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


def _process(session: Session, request: ReportRequest, period: _Period, packages: Sequence[Package]):
    """Per time limit: due in the period (deadline day inside it), met, by the days it took."""
    day = TimeLimitDay
    quarter = period.quarter_of_day(day.deadline_day).label("quarter")
    query = (select(day.unit_id, day.package_id, quarter, day.time_limit, day.taken_days, func.sum(day.due),
                    func.sum(day.met))
             .where(day.unit_id.in_(request.units), day.package_id.in_([p.id for p in packages]),
                    day.deadline_day >= period.days[0], day.deadline_day < period.days[-1])
             .group_by(day.unit_id, day.package_id, quarter, day.time_limit, day.taken_days))
    return [(u, p, q, name, days, int(due), int(met or 0)) for u, p, q, name, days, due, met in session.execute(query)]


def _applies(catalog: Mapping[str, Instrument], instrument_id: str, scale_id: str) -> tuple[bool, bool]:
    """Whether a scale is classified for reliable change and has a cut-off; a combined rule is and has both."""
    if scale_id == COMBINED_SCALE:
        return True, True
    instrument = catalog.get(instrument_id)
    scale = next((s for s in instrument.scales if s.id == scale_id), None) if instrument else None
    if scale is None:
        return False, False
    return reliable_change_criterion(scale) is not None, scale.caseness is not None


def _outcomes(session: Session, request: ReportRequest, period: _Period, packages: Sequence[Package],
              catalog: Mapping[str, Instrument]):
    """Per ended pathway's respondent role and scale (and combined rule): the day sums of its report rows."""
    day = OutcomeDay
    quarter = period.quarter_of_day(day.ended_day).label("quarter")
    query = (
        select(day.unit_id, day.package_id, quarter, day.respondent_role, day.instrument_id, day.scale_id,
               *[func.sum(column) for column in (
                   day.eligible, day.paired, day.case_at_start, day.reliably_improved, day.reliably_deteriorated,
                   day.no_reliable_change, day.recovered, day.reliably_recovered, day.sum_baseline,
                   day.sum_sq_baseline, day.sum_final, day.sum_change, day.sum_sq_change)])
        .where(day.unit_id.in_(request.units), day.package_id.in_([p.id for p in packages]),
               day.ended_day >= period.days[0], day.ended_day < period.days[-1],
               *([day.respondent_role == request.role] if request.role else []))
        .group_by(day.unit_id, day.package_id, quarter, day.respondent_role, day.instrument_id, day.scale_id)
    )
    rows = []
    for (unit, package, quarter_index, role, instrument, scale, eligible, paired_n, cases, up, down, same, rec, rrec,
         s_b, s_bb, s_f, s_c, s_cc) in session.execute(query):
        classified, with_cases = _applies(catalog, instrument, scale)
        combined = scale == COMBINED_SCALE
        rows.append((unit, package, quarter_index, role, instrument, scale, Tally(
            eligible=eligible, paired=paired_n,
            cases_at_start=cases if with_cases else None,
            reliably_improved=up if classified else None, reliably_deteriorated=down if classified else None,
            no_reliable_change=same if classified else None,
            recovered=rec if with_cases else None, reliably_recovered=rrec if classified and with_cases else None,
            n=0 if combined else paired_n,
            sum_baseline=None if combined else _float(s_b), sum_sq_baseline=None if combined else _float(s_bb),
            sum_final=None if combined else _float(s_f), sum_change=None if combined else _float(s_c),
            sum_sq_change=None if combined else _float(s_cc))))
    return rows


def _follow_ups(session: Session, request: ReportRequest, period: _Period, packages: Sequence[Package],
                today_day: int):
    """Per pathway ended in the period and scale reliably improved then: each follow-up that is over."""
    row = PathwayFollowUp
    quarter = period.quarter_of_day(row.ended_day).label("quarter")
    over = or_(row.answered == 1, row.expires_day < today_day)
    query = (
        select(row.unit_id, row.package_id, quarter, row.respondent_role, row.instrument_id, row.scale_id,
               row.days_after_end, func.count(), func.sum(row.answered), func.sum(row.still_improved))
        .where(row.unit_id.in_(request.units), row.package_id.in_([p.id for p in packages]),
               row.ended_day >= period.days[0], row.ended_day < period.days[-1], over,
               *([row.respondent_role == request.role] if request.role else []))
        .group_by(row.unit_id, row.package_id, quarter, row.respondent_role, row.instrument_id, row.scale_id,
                  row.days_after_end)
    )
    return [(unit, package, q, FollowUpRow(instrument=instrument, scale=scale, respondent_role=role,
                                           days_after_end=days, due=due, answered=int(answered or 0),
                                           still_improved=int(still or 0)))
            for unit, package, q, role, instrument, scale, days, due, answered, still in session.execute(query)]


def _float(value: Any) -> float:
    return float(value) if value is not None else 0.0
