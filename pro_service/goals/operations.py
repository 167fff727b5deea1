"""Changes to goals: a respondent writes and rates them, a clinician edits the wording with the patient present.

Each function validates, adds and flushes; the caller commits (one unit of
work per request). Writing the same thing again changes nothing (idempotent,
like answers). Refusals raise `GoalError`, whose `str()` is a fixed code and
whose `message` is the translated sentence: neither ever holds goal text.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from pro_service import db
from pro_service.goals.models import HIGHEST, LOWEST, MAX_GOALS, MAX_TEXT, Goal, GoalEdit, GoalRating
from pro_service.i18n import _l
from pro_service.pathways.models import MilestoneEvent, Pathway, PathwayStatus, Respondent, RespondentRole
from pro_service.pathways.packages import Package
from pro_service.plain_text import control_character
from pro_service.types import utcnow

GOAL_SETTERS = (RespondentRole.SELF, RespondentRole.PARENT)
"""The patient, and for a child each parent separately."""
RATED_AT = ("evaluation", "end")
"""Besides the milestone the goals are set at (the baseline rating)."""

MESSAGES: dict[str, Callable[[], str]] = {
    "no_goals": lambda: _l("This treatment pathway does not use own goals."),
    "ended": lambda: _l("The treatment pathway has ended, so goals can no longer be changed."),
    "not_yet": lambda: _l("Goals can be written once the milestone for setting them has been registered."),
    "respondent": lambda: _l("Only the patient or a parent can write goals for this pathway."),
    "number": lambda: _l("You can have at most three goals."),
    "empty": lambda: _l("Write the goal in your own words."),
    "too_long": lambda: _l("A goal can be at most %(max)d characters long.", max=MAX_TEXT),
    "control": lambda: _l("The goal contains an invisible control character. Type it again without it."),
    "edited": lambda: _l("A clinician has changed this goal's wording with you; talk to them to change it again."),
    "rating": lambda: _l("Choose a number from 0 to 10."),
    "milestone": lambda: _l("Goals are rated when the goals are set, at each evaluation and at the end."),
    "not_present": lambda: _l("A goal's wording can only be changed with the patient present."),
    "rated": lambda: _l("A goal that has been rated cannot be removed."),
}


class GoalError(ValueError):
    """A refused change; `code` is a key of MESSAGES, never text the person wrote."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]())


def clean_text(text: str) -> str:
    """The goal's wording, trimmed; refused when empty, too long or holding a control character."""
    if not isinstance(text, str):
        raise GoalError("empty")
    cleaned = text.strip()
    if not cleaned:
        raise GoalError("empty")
    if control_character(cleaned, multiline=True):
        raise GoalError("control")
    if len(cleaned) > MAX_TEXT:
        raise GoalError("too_long")
    return cleaned


def save_goal(*, pathway: Pathway, package: Package, respondent: Respondent, number: int, text: str,
              now: datetime | None = None) -> Goal:
    """Write goal `number` (1–3) of `respondent` in their own words, or replace it while it is still theirs.

    Side effects: adds or updates one Goal and flushes. Refused once a clinician has edited the wording.
    """
    now = now or utcnow()
    event = _setting_event(pathway, package)
    if respondent.patient_id != pathway.patient_id or respondent.role not in GOAL_SETTERS:
        raise GoalError("respondent")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_GOALS:
        raise GoalError("number")
    cleaned = clean_text(text)
    session = db.session()
    goal = _goal(pathway.id, respondent.id, number)
    if goal is None:
        try:
            with session.begin_nested():
                goal = Goal(pathway_id=pathway.id, respondent_id=respondent.id, milestone_event_id=event.id,
                            number=number, text=cleaned, original_text=cleaned, created_at=now, updated_at=now)
                session.add(goal)
                session.flush()
            return goal
        except IntegrityError:  # the same goal saved at once from two tabs: the other insert won
            goal = _goal(pathway.id, respondent.id, number)
    if goal.text == cleaned:
        return goal
    if session.exec(select(GoalEdit.id).where(GoalEdit.goal_id == goal.id).limit(1)).first() is not None:
        raise GoalError("edited")
    goal.text = goal.original_text = cleaned
    goal.updated_at = now
    session.flush()
    return goal


def remove_goal(*, goal: Goal, pathway: Pathway) -> None:
    """Remove a goal the respondent no longer wants, before it has been rated or edited; flushes."""
    if pathway.status == PathwayStatus.ENDED:
        raise GoalError("ended")
    session = db.session()
    if session.exec(select(GoalRating.id).where(GoalRating.goal_id == goal.id).limit(1)).first() is not None:
        raise GoalError("rated")
    if session.exec(select(GoalEdit.id).where(GoalEdit.goal_id == goal.id).limit(1)).first() is not None:
        raise GoalError("edited")
    session.delete(goal)
    session.flush()


def withdraw_goal(*, goal: Goal, pathway: Pathway) -> None:
    """Remove a goal while goals are still being written: its baseline rating (made at the milestone the goal
    was set at, on the same pages) goes with it. Refused, like `remove_goal`, once rated later or edited; flushes.
    """
    if pathway.status == PathwayStatus.ENDED:
        raise GoalError("ended")
    session = db.session()
    if session.exec(select(GoalRating.id).where(GoalRating.goal_id == goal.id,
                                                GoalRating.milestone_event_id != goal.milestone_event_id)
                    .limit(1)).first() is not None:
        raise GoalError("rated")
    if session.exec(select(GoalEdit.id).where(GoalEdit.goal_id == goal.id).limit(1)).first() is not None:
        raise GoalError("edited")
    baseline = _rating(goal.id, goal.milestone_event_id)
    if baseline is not None:
        session.delete(baseline)
        session.flush()
    remove_goal(goal=goal, pathway=pathway)


def rate_goal(*, goal: Goal, event: MilestoneEvent, package: Package, rating: int,
              now: datetime | None = None) -> GoalRating:
    """Progress towards `goal` at `event`, 0–10; saving again for the same event replaces it (one per event).

    Side effects: adds or updates one GoalRating and flushes.
    """
    now = now or utcnow()
    if package.goals is None:
        raise GoalError("no_goals")
    if isinstance(rating, bool) or not isinstance(rating, int) or not LOWEST <= rating <= HIGHEST:
        raise GoalError("rating")
    if event.pathway_id != goal.pathway_id or event.milestone_id not in (package.goals.set_at, *RATED_AT):
        raise GoalError("milestone")
    session = db.session()
    found = _rating(goal.id, event.id)
    if found is None:
        try:
            with session.begin_nested():
                found = GoalRating(goal_id=goal.id, milestone_event_id=event.id, rating=rating, rated_at=now,
                                   updated_at=now)
                session.add(found)
                session.flush()
            return found
        except IntegrityError:
            found = _rating(goal.id, event.id)
    if found.rating != rating:
        found.rating, found.updated_at = rating, now
        session.flush()
    return found


def edit_goal_wording(*, goal: Goal, text: str, by: str, patient_present: bool,
                      now: datetime | None = None) -> GoalEdit | None:
    """A clinician's new wording, agreed with the patient in the room; None when the wording is unchanged.

    Side effects: adds one GoalEdit (who, when, previous and new wording, patient present) and sets
    `goal.text`; `goal.original_text`, the patient's own words, is never changed.
    """
    if patient_present is not True:
        raise GoalError("not_present")
    cleaned = clean_text(text)
    if cleaned == goal.text:
        return None
    edit = GoalEdit(goal_id=goal.id, previous_text=goal.text, new_text=cleaned, edited_by=by,
                    edited_at=now or utcnow(), patient_present=True)
    goal.text, goal.updated_at = cleaned, edit.edited_at
    session = db.session()
    session.add(edit)
    session.flush()
    return edit


def _setting_event(pathway: Pathway, package: Package) -> MilestoneEvent:
    """The first registration of the package's goal-setting milestone; goals belong to it."""
    if package.goals is None or package.id != pathway.package_id:
        raise GoalError("no_goals")
    if pathway.status == PathwayStatus.ENDED:
        raise GoalError("ended")
    event = db.session().exec(
        select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id,
                                     MilestoneEvent.milestone_id == package.goals.set_at)
        .order_by(MilestoneEvent.occurred_at).limit(1)).first()
    if event is None:
        raise GoalError("not_yet")
    return event


def _goal(pathway_id: str, respondent_id: str, number: int) -> Goal | None:
    return db.session().exec(select(Goal).where(Goal.pathway_id == pathway_id, Goal.respondent_id == respondent_id,
                                                Goal.number == number)).first()


def _rating(goal_id: str, event_id: str) -> GoalRating | None:
    return db.session().exec(select(GoalRating).where(GoalRating.goal_id == goal_id,
                                                      GoalRating.milestone_event_id == event_id)).first()
