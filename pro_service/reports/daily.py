"""Keep the day tables (`OutcomeDay`, `TimeLimitDay`) equal to the sums of the per-pathway rows.

A refresh recomputes the days whose rows it changed (a row removed, added or
altered), in its own transaction: the day's sums are deleted and summed anew
from the per-pathway rows, so they cannot drift the way added differences could. On PostgreSQL two transactions touching one day take turns (an advisory
lock per day until commit), so neither sums without the other's committed rows;
SQLite lets one writer in at a time.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, text, tuple_
from sqlalchemy.orm import Session

from pro_service.types import new_id

from .models import OutcomeDay, PathwayOutcome, PathwayTimeLimit, TimeLimitDay

DayKey = tuple[str, str, int]
"""Unit, package and day number (days since 1970-01-01 in the service's time zone)."""

CHUNK = 200
COUNTS = ("paired", "case_at_start", "reliably_improved", "reliably_deteriorated", "no_reliable_change", "recovered",
          "reliably_recovered")


def recompute(session: Session, *, outcome_days: Iterable[DayKey], time_limit_days: Iterable[DayKey]) -> None:
    """Sum these days anew from the per-pathway rows (after those rows were rewritten)."""
    outcomes, limits = sorted(set(outcome_days)), sorted(set(time_limit_days))
    _lock(session, [("outcome", *key) for key in outcomes] + [("time_limit", *key) for key in limits])
    for chunk in _chunks(outcomes):
        session.execute(delete(OutcomeDay).where(
            tuple_(OutcomeDay.unit_id, OutcomeDay.package_id, OutcomeDay.ended_day).in_(chunk)))
        _insert(session, OutcomeDay, _outcome_sums().where(
            tuple_(PathwayOutcome.unit_id, PathwayOutcome.package_id, PathwayOutcome.ended_day).in_(chunk)))
    for chunk in _chunks(limits):
        session.execute(delete(TimeLimitDay).where(
            tuple_(TimeLimitDay.unit_id, TimeLimitDay.package_id, TimeLimitDay.deadline_day).in_(chunk)))
        _insert(session, TimeLimitDay, _time_limit_sums().where(
            tuple_(PathwayTimeLimit.unit_id, PathwayTimeLimit.package_id, PathwayTimeLimit.deadline_day).in_(chunk)))


def rebuild(session: Session) -> None:
    """Every day anew, after every pathway's rows were rewritten (`report refresh`, an upgrade)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE outcome_day, time_limit_day IN EXCLUSIVE MODE"))
    session.execute(delete(OutcomeDay))
    session.execute(delete(TimeLimitDay))
    _insert(session, OutcomeDay, _outcome_sums())
    _insert(session, TimeLimitDay, _time_limit_sums())
    if session.get_bind().dialect.name == "postgresql":
        # Freshly filled tables have no statistics until autovacuum comes by: the planner would then
        # guess one row and sort the report's groups on disk instead of hashing them.
        session.execute(text("ANALYZE outcome_day, time_limit_day"))


OUTCOME_FIELDS = ("unit_id", "package_id", "ended_day", "respondent_role", "instrument_id", "scale_id", *COUNTS,
                  "baseline", "final")
TIME_LIMIT_FIELDS = ("unit_id", "package_id", "deadline_day", "time_limit", "taken_days", "met")


def outcome_rows_of(session: Session, pathway_ids: Sequence[str]) -> Counter[tuple]:
    """What these pathways' outcome rows count on their end days now (before they are rewritten)."""
    row = PathwayOutcome
    return Counter(tuple(found) for found in session.execute(
        select(*[getattr(row, name) for name in OUTCOME_FIELDS])
        .where(row.pathway_id.in_(pathway_ids), row.ended_day.is_not(None))))


def time_limit_rows_of(session: Session, pathway_ids: Sequence[str]) -> Counter[tuple]:
    row = PathwayTimeLimit
    return Counter(tuple(found) for found in session.execute(
        select(*[getattr(row, name) for name in TIME_LIMIT_FIELDS]).where(row.pathway_id.in_(pathway_ids))))


def changed_days(before: Counter[tuple], written: Iterable[dict[str, Any]], fields: Sequence[str]) -> set[DayKey]:
    """The days whose sums the rewrite changes: a submit that leaves a pathway's rows as they were touches none."""
    after = Counter(tuple(row[name] for name in fields) for row in written if row[fields[2]] is not None)
    return {found[:3] for found in (before - after) + (after - before)}


def _outcome_sums():
    row = PathwayOutcome
    change = row.final - row.baseline
    total = func.coalesce
    return (
        select(row.unit_id, row.package_id, row.ended_day, row.respondent_role, row.instrument_id, row.scale_id,
               func.count().label("eligible"), *[func.sum(getattr(row, name)).label(name) for name in COUNTS],
               total(func.sum(row.baseline), 0.0).label("sum_baseline"),
               total(func.sum(row.baseline * row.baseline), 0.0).label("sum_sq_baseline"),
               total(func.sum(row.final), 0.0).label("sum_final"),
               total(func.sum(change), 0.0).label("sum_change"),
               total(func.sum(change * change), 0.0).label("sum_sq_change"))
        .where(row.ended_day.is_not(None))
        .group_by(row.unit_id, row.package_id, row.ended_day, row.respondent_role, row.instrument_id, row.scale_id)
    )


def _time_limit_sums():
    row = PathwayTimeLimit
    return (select(row.unit_id, row.package_id, row.deadline_day, row.time_limit, row.taken_days,
                   func.count().label("due"), func.sum(row.met).label("met"))
            .group_by(row.unit_id, row.package_id, row.deadline_day, row.time_limit, row.taken_days))


def _insert(session: Session, table: Any, query: Any) -> None:
    rows = [{"id": new_id(), **dict(found._mapping)} for found in session.execute(query)]
    for start in range(0, len(rows), 5000):
        session.execute(insert(table), rows[start:start + 5000])


def _lock(session: Session, keys: Sequence[tuple[str, str, str, int]]) -> None:
    if not keys or session.get_bind().dialect.name != "postgresql":
        return
    for kind, unit, package, day in keys:  # sorted, so two transactions cannot wait on each other
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                        {"key": f"report-day:{kind}:{unit}:{package}:{day}"})


def _chunks(keys: Sequence[DayKey]) -> Iterable[Sequence[DayKey]]:
    for start in range(0, len(keys), CHUNK):
        yield keys[start:start + CHUNK]
