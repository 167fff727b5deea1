"""The goals step of the respondent's pages: whether an invitation has one, how far it is, and saving it.

Goals are the respondent's own words, health data: shown only after a read through
`goals.queries.pathway_goals` (audited), never logged. What is read here for a change
(numbers, counts, the Goal rows to update) is not shown to anyone, so it is not audited.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam
from sqlmodel import select

from pro_service import db, definitions
from pro_service.goals.models import MAX_GOALS, Goal, GoalRating
from pro_service.goals.operations import RATED_AT, GoalError, rate_goal, save_goal, withdraw_goal
from pro_service.goals.queries import goal_task
from pro_service.pathways.models import Invitation, MilestoneEvent, Pathway, Respondent
from pro_service.pathways.packages import Package
from pro_service.survey.queries import Survey

SET, RATE = "set", "rate"

_STEP_ROWS = (
    select(MilestoneEvent, Pathway, Respondent)
    .join(Invitation, Invitation.milestone_event_id == MilestoneEvent.id)
    .join(Pathway, Pathway.id == MilestoneEvent.pathway_id)
    .join(Respondent, Respondent.id == Invitation.respondent_id)
    .where(Invitation.id == bindparam("invitation_id"))
)


@dataclass(frozen=True)
class GoalStep:
    """What the invitation asks of its respondent about goals: write them ("set") or rate them ("rate")."""

    task: str
    pathway: Pathway
    package: Package
    event: MilestoneEvent
    respondent: Respondent


@dataclass(frozen=True)
class Progress:
    goals: int
    rated: int
    """Goals rated at this step's milestone event (the baseline when setting)."""

    def done(self, task: str) -> bool:
        return self.goals > 0 if task == SET else self.rated > 0


def goal_step(survey: Survey) -> GoalStep | None:
    """The invitation's goals step, or None; no query at all where the package or milestone has no goals."""
    package = definitions.packages()[survey.package_id]
    if package.goals is None or survey.milestone_id not in (package.goals.set_at, *RATED_AT):
        return None
    row = db.session().exec(_STEP_ROWS, params={"invitation_id": survey.invitation_id}).first()
    if row is None:
        return None
    event, pathway, respondent = row
    task = goal_task(pathway=pathway, package=package, event=event, respondent=respondent)
    return GoalStep(task=task, pathway=pathway, package=package, event=event, respondent=respondent) if task else None


def progress(step: GoalStep) -> Progress:
    """How many goals the respondent has and how many are rated at this event; reads no goal text."""
    rows = db.session().exec(
        select(Goal.id, GoalRating.id)
        .outerjoin(GoalRating, and_(GoalRating.goal_id == Goal.id, GoalRating.milestone_event_id == step.event.id))
        .where(Goal.pathway_id == step.pathway.id, Goal.respondent_id == step.respondent.id)).all()
    return Progress(goals=len(rows), rated=sum(1 for _goal, rating in rows if rating is not None))


def goal_numbers(step: GoalStep) -> tuple[int, ...]:
    """The numbers of the respondent's goals, to build the rating form; reads no goal text."""
    return tuple(sorted(db.session().exec(select(Goal.number).where(
        Goal.pathway_id == step.pathway.id, Goal.respondent_id == step.respondent.id)).all()))


def _own_goals(step: GoalStep) -> dict[int, Goal]:
    return {goal.number: goal for goal in db.session().exec(select(Goal).where(
        Goal.pathway_id == step.pathway.id, Goal.respondent_id == step.respondent.id)).all()}


def save_written(step: GoalStep, texts: dict[int, str], *, need_one: bool) -> dict[int, GoalError]:
    """Save the write page: box n's text becomes goal n; an emptied box removes goal n (with its baseline rating).

    All or nothing: when a box is refused nothing changes, and the refusals come back by goal number.
    `need_one`: the respondent goes on, so an all-empty page (and no goal yet) is refused, not silently skipped.
    Side effects: adds, updates or deletes Goal and GoalRating rows; flushes.
    """
    session = db.session()
    existing = _own_goals(step)
    if need_one and not existing and not any(text.strip() for text in texts.values()):
        return {1: GoalError("empty")}
    errors: dict[int, GoalError] = {}
    savepoint = session.begin_nested()
    for number in range(1, MAX_GOALS + 1):
        # Browsers send a line break as CR LF but count it as one character against maxlength.
        text = texts.get(number, "").replace("\r\n", "\n")
        try:
            if text.strip():
                save_goal(pathway=step.pathway, package=step.package, respondent=step.respondent, number=number,
                          text=text)
            elif number in existing:
                withdraw_goal(goal=existing[number], pathway=step.pathway)
        except GoalError as refused:
            errors[number] = refused
    if errors:
        savepoint.rollback()
    else:
        savepoint.commit()
    return errors


def save_ratings(step: GoalStep, ratings: dict[int, int | None]) -> None:
    """Each chosen 0–10 rating for goal n at this step's milestone event; a goal left unrated stays as it was.

    Side effects: adds or updates GoalRating rows; flushes. The caller has checked the numbers (0–10).
    """
    goals = _own_goals(step)
    for number, rating in sorted(ratings.items()):
        if rating is not None and number in goals:
            rate_goal(goal=goals[number], event=step.event, package=step.package, rating=rating)
