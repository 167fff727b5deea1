"""The outcome report as plain data: groups of process and outcome rows, and how groups add up.

The database gives one row set per unit, package and quarter (see `queries`);
every other grouping (by package across units, by quarter) is their sum, so the
page, the CLI, the API and a regional merge all add the same numbers.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .definitions import Tally

By = Literal["unit", "package", "quarter"]
BY_VALUES: tuple[By, ...] = ("unit", "package", "quarter")


@dataclass(frozen=True)
class ReportRequest:
    """What a reader asked for: the period (both days included), units (ids), package and respondent role."""

    start: date
    end: date
    units: tuple[str, ...]
    package: str | None = None
    role: str | None = None
    by: By = "unit"


@dataclass(frozen=True)
class ProcessRow:
    """One time limit: how many pathways had it due in the period, how many met it, and in how many days."""

    time_limit: str
    due: int
    met: int
    days: tuple[tuple[int, int], ...] = ()
    """(days taken, pathways) for the due pathways whose milestone was registered; sorted by days."""

    def __add__(self, other: ProcessRow) -> ProcessRow:
        merged = Counter(dict(self.days)) + Counter(dict(other.days))
        return ProcessRow(time_limit=self.time_limit, due=self.due + other.due, met=self.met + other.met,
                          days=tuple(sorted(merged.items())))

    @property
    def median_days(self) -> float | None:
        total = sum(count for _, count in self.days)
        if not total:
            return None
        values = sorted(Counter(dict(self.days)).elements())
        middle = total // 2
        return float(values[middle]) if total % 2 else (values[middle - 1] + values[middle]) / 2


@dataclass(frozen=True)
class OutcomeRow:
    instrument: str
    """An instrument id, or the combined rule's id (e.g. ``phq9+gad7``)."""
    scale: str
    respondent_role: str
    tally: Tally

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.instrument, self.scale, self.respondent_role)


@dataclass(frozen=True)
class FollowUpRow:
    """Of the pathways reliably improved at the end on one scale: at one follow-up that is over (answered, or
    expired unanswered), how many there were (`due`), answered, and were still reliably improved."""

    instrument: str
    scale: str
    respondent_role: str
    days_after_end: int
    due: int
    answered: int
    still_improved: int

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.instrument, self.scale, self.respondent_role, self.days_after_end)

    def __add__(self, other: FollowUpRow) -> FollowUpRow:
        return FollowUpRow(*self.key, due=self.due + other.due, answered=self.answered + other.answered,
                           still_improved=self.still_improved + other.still_improved)


COMBINED_SCALE = "combined"
"""The scale named by an outcome row of a combined rule."""


@dataclass(frozen=True)
class GroupKey:
    unit: str | None
    """The unit's code; None for a group across units."""
    package: str
    quarter: str | None
    """``2026-Q3``; None for a group across the whole period."""


@dataclass(frozen=True)
class Group:
    key: GroupKey
    pathways_started: int = 0
    pathways_ended: int = 0
    process: tuple[ProcessRow, ...] = ()
    outcomes: tuple[OutcomeRow, ...] = ()
    follow_ups: tuple[FollowUpRow, ...] = ()

    def __add__(self, other: Group) -> Group:
        process = {row.time_limit: row for row in self.process}
        for row in other.process:
            process[row.time_limit] = process[row.time_limit] + row if row.time_limit in process else row
        outcomes = {row.key: row for row in self.outcomes}
        for row in other.outcomes:
            old = outcomes.get(row.key)
            outcomes[row.key] = row if old is None else OutcomeRow(*row.key, tally=old.tally + row.tally)
        follow_ups = {row.key: row for row in self.follow_ups}
        for row in other.follow_ups:
            follow_ups[row.key] = follow_ups[row.key] + row if row.key in follow_ups else row
        return Group(key=self.key, pathways_started=self.pathways_started + other.pathways_started,
                     pathways_ended=self.pathways_ended + other.pathways_ended,
                     process=tuple(process.values()), outcomes=tuple(sorted(outcomes.values(), key=_order)),
                     follow_ups=tuple(follow_ups[k] for k in sorted(follow_ups)))


def _order(row: OutcomeRow) -> tuple[str, str, str]:
    return row.key


@dataclass(frozen=True)
class Report:
    request: ReportRequest
    groups: tuple[Group, ...] = field(default_factory=tuple)


def regroup(groups: Iterable[Group], by: By) -> tuple[Group, ...]:
    """Sum unit × package × quarter groups into the grouping a reader asked for."""
    summed: dict[GroupKey, Group] = {}
    for group in groups:
        key = key_for(group.key, by)
        moved = Group(key=key, pathways_started=group.pathways_started, pathways_ended=group.pathways_ended,
                      process=group.process, outcomes=group.outcomes, follow_ups=group.follow_ups)
        summed[key] = summed[key] + moved if key in summed else moved
    return tuple(sorted(summed.values(), key=lambda g: (g.key.package, g.key.unit or "", g.key.quarter or "")))


def key_for(key: GroupKey, by: By) -> GroupKey:
    if by == "unit":
        return GroupKey(unit=key.unit, package=key.package, quarter=None)
    if by == "package":
        return GroupKey(unit=None, package=key.package, quarter=None)
    return GroupKey(unit=None, package=key.package, quarter=key.quarter)


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarters(start: date, end: date) -> tuple[tuple[str, date, date], ...]:
    """The calendar quarters the period touches, each clipped to the period: (label, first day, last day)."""
    result = []
    year, quarter = start.year, (start.month - 1) // 3
    while True:
        first = date(year, quarter * 3 + 1, 1)
        if first > end:
            break
        following = date(year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1)
        last = date.fromordinal(following.toordinal() - 1)
        result.append((f"{year}-Q{quarter + 1}", max(first, start), min(last, end)))
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    return tuple(result)
