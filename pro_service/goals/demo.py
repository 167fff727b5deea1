"""Demo hook: give a pathway own goals rated over time, for `pro-service demo` (called from pro_service/demo.py).

The demo builds a pathway's history after the fact, so a goal is written here
even on a pathway that has since ended (a live respondent could not); wording
and ratings go through the same checks as the app's.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlmodel import select

from pro_service import db
from pro_service.goals.models import Goal
from pro_service.goals.operations import GoalError, RATED_AT, clean_text, rate_goal
from pro_service.pathways.models import MilestoneEvent, Pathway, Respondent
from pro_service.pathways.packages import Package

# (wording, ratings at the goal-setting milestone, then each evaluation and the end, in time order)
DEMO_GOALS: tuple[tuple[str, Sequence[int]], ...] = (
    ("Sove gjennom natta minst fem netter i uka", (2, 6, 8)),
    ("Komme tilbake i jobb, først halve dager", (1, 5, 7)),
    ("Ringe eller møte en venn hver uke", (3, 4, 4)),
)
ANSWERED_AFTER = timedelta(hours=20)


def add_demo_goals(*, pathway: Pathway, package: Package, role: str = "self",
                   goals: Sequence[tuple[str, Sequence[int]]] = DEMO_GOALS) -> tuple[Goal, ...]:
    """Write `goals` for the pathway's respondent with `role` and rate them at each registered rating milestone.

    Call it after the pathway's milestones are registered. Idempotent: a second call changes nothing.
    Side effects: adds Goal and GoalRating rows and flushes; no audit row (nothing is read).
    """
    if package.goals is None:
        raise GoalError("no_goals")
    session = db.session()
    respondent = session.exec(select(Respondent).where(Respondent.patient_id == pathway.patient_id,
                                                       Respondent.role == role)).first()
    events = session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id)
                          .order_by(MilestoneEvent.occurred_at)).all()
    setting = next((e for e in events if e.milestone_id == package.goals.set_at), None)
    if respondent is None or setting is None:
        raise GoalError("not_yet")
    rated = [setting] + [e for e in events if e.milestone_id in RATED_AT and e.occurred_at > setting.occurred_at]
    written = []
    for number, (wording, ratings) in enumerate(goals, start=1):
        goal = session.exec(select(Goal).where(Goal.pathway_id == pathway.id, Goal.respondent_id == respondent.id,
                                               Goal.number == number)).first()
        if goal is None:
            text, at = clean_text(wording), setting.occurred_at + ANSWERED_AFTER
            goal = Goal(pathway_id=pathway.id, respondent_id=respondent.id, milestone_event_id=setting.id,
                        number=number, text=text, original_text=text, created_at=at, updated_at=at)
            session.add(goal)
            session.flush()
        for event, rating in zip(rated, ratings):
            rate_goal(goal=goal, event=event, package=package, rating=rating, now=event.occurred_at + ANSWERED_AFTER)
        written.append(goal)
    return tuple(written)
