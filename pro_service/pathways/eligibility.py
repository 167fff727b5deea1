"""Which of a milestone's plan entries a patient of a given age gets, and why the others are left out.

Both the plan entry's ``age`` and the instrument's own ``age`` (in its file) must
cover the patient's age on the milestone's date, so an SMFQ parent form is never
sent for a child outside the ages SMFQ is validated for. A patient without a birth
date gets only what has no age rule at all; the rest is listed with the reason, so
the clinician sees why. Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

AGE_UNKNOWN = "age_unknown"
OUTSIDE_AGE = "outside_age"
Reason = Literal["age_unknown", "outside_age"]


@dataclass(frozen=True)
class LeftOut:
    """A plan entry not scheduled, with the age range it needs (either end may be open)."""

    instrument: str
    respondent: str
    reason: Reason
    age_min: int | None
    age_max: int | None


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on a day."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def split_plan(entries: Iterable[Any], *, age: int | None,
               catalog: Mapping[str, Any]) -> tuple[tuple[Any, ...], tuple[LeftOut, ...]]:
    """The entries to schedule for a patient of ``age`` (None: unknown), and the ones left out with why."""
    scheduled: list[Any] = []
    left_out: list[LeftOut] = []
    for entry in entries:
        instrument = catalog.get(entry.instrument)
        ranges = [r for r in (entry.age, getattr(instrument, "age", None)) if r is not None]
        failing = next((r for r in ranges if not _covers(r, age)), None)
        if failing is None:
            scheduled.append(entry)
        else:
            reason: Reason = AGE_UNKNOWN if age is None else OUTSIDE_AGE
            low, high = _combined(ranges)
            left_out.append(LeftOut(instrument=entry.instrument, respondent=entry.respondent, reason=reason,
                                    age_min=low, age_max=high))
    return tuple(scheduled), tuple(left_out)


def _covers(age_range: Any, age: int | None) -> bool:
    if age_range.min is None and age_range.max is None:
        return True
    if age is None:
        return False
    return (age_range.min is None or age >= age_range.min) and (age_range.max is None or age <= age_range.max)


def _combined(ranges: list[Any]) -> tuple[int | None, int | None]:
    """The ages both ranges cover: the larger minimum and the smaller maximum."""
    lows = [r.min for r in ranges if r.min is not None]
    highs = [r.max for r in ranges if r.max is not None]
    return (max(lows) if lows else None), (min(highs) if highs else None)
