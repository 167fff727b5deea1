"""Reads of goals as plain, frozen views; every read of a patient's goals leaves an audit row.

A pathway's goals cost three queries whatever their number (goals with their
respondents, ratings with their milestone events, edits).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from pro_service import db
from pro_service.audit.operations import record
from pro_service.goals.classification import GoalChange, goal_change
from pro_service.goals.models import Goal, GoalEdit, GoalRating
from pro_service.goals.operations import GOAL_SETTERS, RATED_AT
from pro_service.pathways.models import MilestoneEvent, Pathway, PathwayStatus, Respondent
from pro_service.pathways.packages import Package

READ_ACTION = "goal.read"


@dataclass(frozen=True)
class RatingPoint:
    milestone_event_id: str
    milestone_id: str
    occurred_at: datetime
    rating: int


@dataclass(frozen=True)
class EditView:
    previous_text: str
    new_text: str
    edited_by: str
    edited_at: datetime
    patient_present: bool


@dataclass(frozen=True)
class GoalView:
    """One goal with its ratings in time order and its change from the first rating to the latest."""

    id: str
    number: int
    respondent_id: str
    respondent_role: str
    text: str
    original_text: str
    created_at: datetime
    ratings: tuple[RatingPoint, ...]
    edits: tuple[EditView, ...]
    change: GoalChange | None

    @property
    def latest_rating(self) -> int | None:
        return self.ratings[-1].rating if self.ratings else None


def pathway_goals(*, pathway: Pathway, respondent: Respondent | None = None,
                  audit: bool = True) -> tuple[GoalView, ...]:
    """The pathway's goals (only `respondent`'s, when given), by respondent role and number.

    Side effect: one `goal.read` audit row (callers check access first). `audit=False` is for a caller that
    audits the read itself, as the FHIR export does with its own action.
    """
    if audit:
        record(action=READ_ACTION, patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id,
               detail="respondent" if respondent is not None else None)
    return goal_views(pathway_id=pathway.id, respondent_id=respondent.id if respondent else None)


def goal_views(*, pathway_id: str, respondent_id: str | None = None) -> tuple[GoalView, ...]:
    """The goals without an audit row: only for callers that write their own (see `pathway_goals`)."""
    session = db.session()
    statement = (select(Goal, Respondent.role).join(Respondent, Respondent.id == Goal.respondent_id)
                 .where(Goal.pathway_id == pathway_id))
    if respondent_id is not None:
        statement = statement.where(Goal.respondent_id == respondent_id)
    goals = session.exec(statement).all()
    if not goals:
        return ()
    ids = [goal.id for goal, _role in goals]
    ratings: dict[str, list[RatingPoint]] = defaultdict(list)
    for rating, event in session.exec(
            select(GoalRating, MilestoneEvent).join(MilestoneEvent, MilestoneEvent.id == GoalRating.milestone_event_id)
            .where(GoalRating.goal_id.in_(ids)).order_by(MilestoneEvent.occurred_at, GoalRating.rated_at)):
        ratings[rating.goal_id].append(RatingPoint(milestone_event_id=event.id, milestone_id=event.milestone_id,
                                                   occurred_at=event.occurred_at, rating=rating.rating))
    edits: dict[str, list[EditView]] = defaultdict(list)
    for edit in session.exec(select(GoalEdit).where(GoalEdit.goal_id.in_(ids)).order_by(GoalEdit.edited_at)):
        edits[edit.goal_id].append(EditView(previous_text=edit.previous_text, new_text=edit.new_text,
                                            edited_by=edit.edited_by, edited_at=edit.edited_at,
                                            patient_present=edit.patient_present))
    views = [GoalView(id=goal.id, number=goal.number, respondent_id=goal.respondent_id, respondent_role=str(role),
                      text=goal.text, original_text=goal.original_text, created_at=goal.created_at,
                      ratings=tuple(ratings[goal.id]), edits=tuple(edits[goal.id]),
                      change=goal_change([point.rating for point in ratings[goal.id]]))
             for goal, role in goals]
    return tuple(sorted(views, key=lambda view: (view.respondent_role != "self", view.respondent_role,
                                                 view.respondent_id, view.number)))


def goal_in_pathway(*, goal_id: str, pathway: Pathway) -> Goal | None:
    """The goal to change, when it belongs to `pathway` (which the caller may already see); no audit (no read)."""
    return db.session().exec(select(Goal).where(Goal.id == goal_id, Goal.pathway_id == pathway.id)).first()


def goal_task(*, pathway: Pathway, package: Package, event: MilestoneEvent, respondent: Respondent) -> str | None:
    """What the respondent pages ask of `respondent` at `event`: "set" (write goals and rate them as a baseline),
    "rate" (rate the goals they have), or None. Reads no goal text, so no audit row."""
    if package.goals is None or respondent.role not in GOAL_SETTERS or event.pathway_id != pathway.id:
        return None
    session = db.session()
    if event.milestone_id == package.goals.set_at:
        first = session.exec(select(MilestoneEvent.id).where(MilestoneEvent.pathway_id == pathway.id,
                                                             MilestoneEvent.milestone_id == package.goals.set_at)
                             .order_by(MilestoneEvent.occurred_at).limit(1)).first()
        return "set" if first == event.id and pathway.status == PathwayStatus.OPEN else None
    if event.milestone_id in RATED_AT:
        has_goals = session.exec(select(Goal.id).where(Goal.pathway_id == pathway.id,
                                                       Goal.respondent_id == respondent.id).limit(1)).first()
        return "rate" if has_goals is not None else None
    return None
