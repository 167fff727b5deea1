"""Calendar days as numbers, so time limits count days the way the clinic's pages do."""
from __future__ import annotations

from datetime import date

EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    """Days since 1970-01-01: what `PathwayTimeLimit.deadline_day` stores and the report compares."""
    return (day - EPOCH).days
