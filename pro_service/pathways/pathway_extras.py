"""What a pathway's page and JSON show beside its assessments: plan entries left out by age, and process codes.

Both are worked out from data already read (milestone events, assessments, the
patient's birth date), so they need no table of their own and cannot drift from it.
Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pro_service.pathways.eligibility import age_on, split_plan


@dataclass(frozen=True)
class LeftOutView:
    """A plan entry not scheduled at a milestone: `age_unknown` (no birth date) or `outside_age`."""

    milestone_event: str
    milestone: str
    instrument: str
    respondent_role: str
    reason: str
    age_min: int | None
    age_max: int | None


@dataclass(frozen=True)
class ProcessCodeView:
    """A package's process code at one registration of its milestone.

    `recorded` is true when an assessment of one of the code's `instruments` for
    that registration was answered (`answered` lists which); the EPR registers the
    code itself, this is what the service's data shows.
    """

    id: str
    code: str | None
    milestone_event: str
    milestone: str
    occurred_at: datetime
    recorded: bool
    answered: tuple[str, ...]


def left_out(*, package: Any, events: Iterable[Any], birth_date: date | None,
             catalog: Mapping[str, Any]) -> tuple[LeftOutView, ...]:
    """Every plan entry left out at each registered milestone, in event order (ages as scheduling counted them)."""
    found: list[LeftOutView] = []
    for event in events:
        age = age_on(birth_date, event.occurred_at.date()) if birth_date else None
        _entries, missing = split_plan(package.plan_for(event.milestone_id), age=age, catalog=catalog)
        found += [LeftOutView(milestone_event=event.id, milestone=event.milestone_id, instrument=m.instrument,
                              respondent_role=m.respondent, reason=m.reason, age_min=m.age_min, age_max=m.age_max)
                  for m in missing]
    return tuple(found)


def process_codes(*, package: Any, events: Iterable[Any], assessments: Iterable[Any]) -> tuple[ProcessCodeView, ...]:
    """Each process code at each registration of its milestone, recorded or not."""
    answered: dict[str, set[str]] = {}
    for assessment in assessments:
        if assessment.completed_at is not None:
            answered.setdefault(assessment.milestone_event, set()).add(assessment.instrument)
    found: list[ProcessCodeView] = []
    for code in package.process_codes:
        for event in events:
            if event.milestone_id != code.milestone:
                continue
            hits = tuple(sorted(answered.get(event.id, set()) & set(code.instruments)))
            found.append(ProcessCodeView(id=code.id, code=code.code, milestone_event=event.id,
                                         milestone=event.milestone_id, occurred_at=event.occurred_at,
                                         recorded=bool(hits), answered=hits))
    return tuple(found)
