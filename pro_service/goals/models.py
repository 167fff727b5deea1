"""Tables of the goals area: a respondent's own goals for a pathway, their 0–10 ratings and wording edits.

Goal text is health data in the respondent's own words: it is never logged,
never put in an exception message, and never in the research export.
"""
from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from pro_service.types import UTCDateTime, new_id, utcnow

MAX_GOALS = 3
"""The GBO tool: up to three goals per person (Law D. Goals and Goal Based Outcomes (GBOs). London: CAMHS Press; 2011)."""
MAX_TEXT = 500
"""Characters (not bytes) of one goal's wording: room for a sentence or two in any script."""
LOWEST, HIGHEST = 0, 10
"""The GBO scale: 0 = no progress towards the goal, 10 = the goal reached."""


def _at(**kwargs) -> datetime:
    return Field(sa_type=UTCDateTime, **kwargs)


class Goal(SQLModel, table=True):
    """One goal (number 1–3) of one respondent (the patient, or a parent each separately) in one pathway."""

    __table_args__ = (UniqueConstraint("pathway_id", "respondent_id", "number"),
                      CheckConstraint("number BETWEEN 1 AND 3", name="ck_goal_number"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    pathway_id: str = Field(foreign_key="pathway.id", index=True, max_length=32)
    respondent_id: str = Field(foreign_key="respondent.id", index=True, max_length=32)
    milestone_event_id: str = Field(foreign_key="milestone_event.id", max_length=32,
                                    description="The milestone at which the goal was set (the package's goals.set_at)")
    number: int
    text: str = Field(max_length=MAX_TEXT, description="The wording now: the respondent's, or a clinician's edit")
    original_text: str = Field(max_length=MAX_TEXT,
                               description="The respondent's own wording; a clinician's edit never changes it")
    created_at: datetime = _at(default_factory=utcnow)
    updated_at: datetime = _at(default_factory=utcnow)


class GoalRating(SQLModel, table=True):
    """Progress towards one goal at one milestone event (evaluation or end), 0–10; one per goal and event."""

    __tablename__ = "goal_rating"
    __table_args__ = (UniqueConstraint("goal_id", "milestone_event_id"),
                      CheckConstraint("rating BETWEEN 0 AND 10", name="ck_goal_rating_rating"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    goal_id: str = Field(foreign_key="goal.id", index=True, max_length=32)
    milestone_event_id: str = Field(foreign_key="milestone_event.id", index=True, max_length=32)
    rating: int
    rated_at: datetime = _at(default_factory=utcnow)
    updated_at: datetime = _at(default_factory=utcnow)


class GoalEdit(SQLModel, table=True):
    """A clinician's change of a goal's wording, made with the patient present; append-only history."""

    __tablename__ = "goal_edit"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    goal_id: str = Field(foreign_key="goal.id", index=True, max_length=32)
    previous_text: str = Field(max_length=MAX_TEXT)
    new_text: str = Field(max_length=MAX_TEXT)
    edited_by: str = Field(max_length=200)
    edited_at: datetime = _at(default_factory=utcnow)
    patient_present: bool
