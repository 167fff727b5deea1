"""`export research --with-goals`: the GBO ratings per goal number, pseudonymised; never the goal's wording.

A goal is written in the respondent's own words, and free text can identify
a person (a name, a place, an event), so the wording never leaves in a research
export, not even with the flag: a researcher gets which goal (1–3), whose (the
patient or a parent), when (days since the pathway's start) and its 0–10 rating.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from pro_service.goals.models import Goal, GoalRating
from pro_service.pathways.models import MilestoneEvent, Pathway, Respondent

from .research import Column, pseudonym

FILE = "research-goals.csv"
DICTIONARY = "research-goals-dictionary.csv"


def goal_columns(*, with_dates: bool) -> tuple[Column, ...]:
    chosen = [
        Column("pseudonym", "As in research.csv: HMAC-SHA-256 of the patient's internal id under the key", "string",
               "64 hexadecimal characters"),
        Column("package", "The pathway's package", "string"),
        Column("unit", "The code of the unit the pathway belongs to", "string"),
        Column("respondent_role", "Whose goal: the patient (self) or a parent, each their own", "string",
               "self|parent"),
        Column("goal_number", "Which of the respondent's up to three goals; the wording is never exported "
               "(free text can identify)", "integer", "1|2|3"),
        Column("milestone", "The milestone the rating was given at", "string"),
        Column("days_since_start", "Days from the pathway's start to the milestone (local calendar days)",
               "integer", ">= 0"),
    ]
    if with_dates:
        chosen.append(Column("rated_on", "The day of the milestone (local time)", "date", "YYYY-MM-DD"))
    chosen.append(Column("rating", "Progress towards the goal on the GBO scale (0 none, 10 reached)", "integer",
                         "0..10"))
    return tuple(chosen)


@dataclass(frozen=True)
class GoalSource:
    patient_id: str
    package: str
    unit: str
    respondent_role: str
    goal_number: int
    milestone: str
    started_on: date
    rated_on: date
    rating: int


def goal_row(source: GoalSource, *, key: bytes, with_dates: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "pseudonym": pseudonym(source.patient_id, key), "package": source.package, "unit": source.unit,
        "respondent_role": source.respondent_role, "goal_number": source.goal_number, "milestone": source.milestone,
        "days_since_start": (source.rated_on - source.started_on).days,
    }
    if with_dates:
        out["rated_on"] = source.rated_on.isoformat()
    out["rating"] = source.rating
    return out


def goal_sources(session: Session, unit_ids, start: datetime, end: datetime, units: dict[str, str],
                 zone: ZoneInfo) -> Iterator[GoalSource]:
    """Every rating given at a milestone that occurred in [start, end) in the units; Goal.text is never selected."""
    statement = (
        select(Pathway.patient_id, Pathway.package_id, Pathway.unit_id, Respondent.role, Goal.number,
               MilestoneEvent.milestone_id, Pathway.started_at, MilestoneEvent.occurred_at, GoalRating.rating)
        .join(Goal, GoalRating.goal_id == Goal.id)
        .join(MilestoneEvent, GoalRating.milestone_event_id == MilestoneEvent.id)
        .join(Respondent, Goal.respondent_id == Respondent.id)
        .join(Pathway, Goal.pathway_id == Pathway.id)
        .where(Pathway.unit_id.in_(unit_ids), MilestoneEvent.occurred_at >= start, MilestoneEvent.occurred_at < end)
        .order_by(Pathway.patient_id, MilestoneEvent.occurred_at, Respondent.role, Goal.number))
    for patient_id, package, unit_id, role, number, milestone, started_at, occurred_at, rating in session.execute(
            statement):
        yield GoalSource(patient_id=patient_id, package=package, unit=units[unit_id], respondent_role=str(role),
                         goal_number=number, milestone=milestone, started_on=started_at.astimezone(zone).date(),
                         rated_on=occurred_at.astimezone(zone).date(), rating=rating)


def write_goals(session: Session, out: Path, *, key: bytes, with_dates: bool, unit_ids, start: datetime,
                end: datetime, units: dict[str, str], zone: ZoneInfo) -> int:
    """Write research-goals.csv and its dictionary; returns the rows written."""
    cols = goal_columns(with_dates=with_dates)
    count = 0
    with (out / FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[col.name for col in cols])
        writer.writeheader()
        for count, source in enumerate(goal_sources(session, unit_ids, start, end, units, zone), start=1):
            writer.writerow(goal_row(source, key=key, with_dates=with_dates))
    with (out / DICTIONARY).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["column", "meaning", "type", "allowed values"])
        writer.writerows([col.name, col.meaning, col.type, col.allowed] for col in cols)
    return count
