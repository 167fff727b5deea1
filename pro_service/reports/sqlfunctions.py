"""SQL the report needs that SQLite and PostgreSQL spell differently.

`local_day(column, zone)` is the calendar day of a UTC timestamp in a time zone,
as a day number (days since 1970-01-01), so time limits count calendar days the
way the clinic's pages do (`pathways.queries.time_limits`). PostgreSQL knows
time zones; on SQLite the engine registers a Python function for it.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

EPOCH = date(1970, 1, 1)
SQLITE_NAME = "pro_local_day"


class local_day(FunctionElement):  # noqa: N801  (used like a SQL function)
    type = Integer()
    inherit_cache = True


@compiles(local_day, "postgresql")
def _local_day_postgresql(element, compiler, **kw):
    column, zone = list(element.clauses)
    return (f"(CAST(timezone({compiler.process(zone, **kw)}, {compiler.process(column, **kw)}) AS DATE)"
            " - DATE '1970-01-01')")


@compiles(local_day, "sqlite")
def _local_day_sqlite(element, compiler, **kw):
    return f"{SQLITE_NAME}({compiler.process(element.clauses, **kw)})"


def day_number(day: date) -> int:
    return (day - EPOCH).days


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _sqlite_local_day(stored: str | None, zone: str) -> int | None:
    """SQLite stores UTCDateTime as naive ISO text in UTC (see `pro_service.types`)."""
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return day_number(moment.astimezone(_zone(zone)).date())


def register_sqlite_functions(dbapi_connection) -> None:
    dbapi_connection.create_function(SQLITE_NAME, 2, _sqlite_local_day, deterministic=True)
