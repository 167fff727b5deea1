"""Ended demo pathways, so the quality page shows every figure of the last complete quarter unsuppressed.

Sixteen adult pathways end in the last complete quarter: six recover reliably,
five deteriorate and five are unchanged, on every adult instrument; eleven met
the 42-day limit to the clinical decision. Every count is then at least five.
Six more recovered and ended about 200 days before that quarter, and answered their
six-month follow-up: five still reliably improved, one not, so the quarter they
ended in shows whether change lasted. Answers go through the respondent's
operations, so the scores are real.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from pro_service import db
from pro_service.demo import demo_user
from pro_service.pathways.invitations import issue_invitations
from pro_service.pathways.models import MilestoneEvent, Unit
from pro_service.pathways.operations import register_milestone, register_patient, start_pathway
from pro_service.pathways.packages import Packages

from .model import quarter_start

# clinical decision → end totals per instrument, and how many pathways follow each course
COURSES = (
    (6, {"phq9": 18, "gad7": 15, "core10": 24, "wsas": 26}, {"phq9": 5, "gad7": 4, "core10": 8, "wsas": 8}),
    (5, {"phq9": 6, "gad7": 5, "core10": 8, "wsas": 6}, {"phq9": 16, "gad7": 13, "core10": 22, "wsas": 25}),
    (5, {"phq9": 15, "gad7": 12, "core10": 20, "wsas": 20}, {"phq9": 14, "gad7": 11, "core10": 19, "wsas": 19}),
)
FOLLOWED = ({"phq9": 18, "gad7": 15, "core10": 24, "wsas": 26}, {"phq9": 5, "gad7": 4, "core10": 8, "wsas": 8},
            ({"phq9": 6, "gad7": 5, "core10": 9},) * 5 + ({"phq9": 15, "gad7": 12, "core10": 20},))
"""Clinical decision and end totals of the followed-up cohort, and each one's six-month follow-up."""
LATE = 5
"""The last pathways of the list take 50 days to the clinical decision: the 42-day limit missed."""


def last_complete_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter before today's: the quality page's default period."""
    end = quarter_start(today) - timedelta(days=1)
    return quarter_start(end), end


DEMO_LEADER = "leiar@demo-dps.example"


def demo_leader(unit: Unit) -> tuple[str, str]:
    """The demo unit leader, who may read the quality page."""
    return demo_user(unit, email=DEMO_LEADER, name="Demo Leiar", role="unit_leader")


def create_ended_pathways(*, unit: Unit, packages: Packages, today: date, timezone: str, base_url: str,
                          answer) -> int:
    """`answer(invitation, totals, now=…)` answers an invitation (the demo's `answer_invitation`)."""
    package = packages["mh_adults"]
    start_of_quarter, _end = last_complete_quarter(today)
    zone = ZoneInfo(timezone)
    first_day = datetime.combine(start_of_quarter, time(9), zone) - timedelta(days=40)
    number = 0
    total = sum(count for count, _, _ in COURSES)

    def ended(started: datetime, baseline, final, *, decision_days: int, born: int):
        """One ended pathway: first consultation, clinical decision and end, answered through `answer`."""
        patient, _ = register_patient(unit=unit, external_id=f"DEMO-H{number:02}", name=f"Historisk pasient {number}",
                                      birth_date=date(born, 1 + number % 12, 1 + number % 27), language="nb")
        pathway, _registration = start_pathway(patient=patient, package=package, by="demo", base_url=base_url,
                                               started_at=started)
        for milestone, days, totals in (("first_consultation", 5, None), ("clinical_decision", decision_days, baseline),
                                        ("end", 75, final)):
            at = started + timedelta(days=days)
            registration = register_milestone(pathway=pathway, package=package, milestone_id=milestone,
                                              occurred_at=at, by="demo", base_url=base_url)
            if totals is not None:
                for item in registration.invitations:
                    answer(item.invitation, totals, now=at)
        return pathway

    for count, baseline, final in COURSES:
        for _ in range(count):
            number += 1
            late = number > total - LATE
            ended(first_day + timedelta(days=number % 7), baseline, final, decision_days=55 if late else 30,
                  born=1970 + number)
    baseline, final, follow_ups = FOLLOWED
    for index, follow_up in enumerate(follow_ups):
        number += 1
        pathway = ended(first_day - timedelta(days=200 + index), baseline, final, decision_days=30, born=1960 + number)
        _answer_first_follow_up(pathway.id, follow_up, base_url=base_url, answer=answer)
    return number


def _answer_first_follow_up(pathway_id: str, totals, *, base_url: str, answer) -> None:
    first = db.session().exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway_id,
                                                           MilestoneEvent.milestone_id == "follow_up")
                              .order_by(MilestoneEvent.occurred_at)).first()
    for item in issue_invitations(event=first, base_url=base_url):
        answer(item.invitation, totals, now=first.occurred_at + timedelta(days=2))
