"""What the outcome report adds up, kept per pathway as its answers and milestones arrive.

One row per pathway, respondent role and scale (and per combined rule) says
whether the pathway is eligible, its baseline and final score and how the pair
is classified; one row per time limit says when it fell due and whether it was
met. `operations.refresh_pathways` writes them from `definitions.py`, the same
functions the clinic and the GP letter use, so the report is a grouped sum over
small rows instead of a join of every score with its assessment, milestone and
respondent.

The day tables (`OutcomeDay`, `TimeLimitDay`) add those rows up per unit, package
and day (`daily.py` keeps them in step in the same transaction), so a report reads
a few rows per day whatever the number of pathways.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, SmallInteger, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from pro_service.types import UTCDateTime, new_id


class PathwayOutcome(SQLModel, table=True):
    __tablename__ = "pathway_outcome"
    __table_args__ = (UniqueConstraint("pathway_id", "respondent_role", "instrument_id", "scale_id"),
                      Index("ix_pathway_outcome_day", "unit_id", "package_id", "ended_day"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    pathway_id: str = Field(foreign_key="pathway.id", index=True, max_length=32)
    # The pathway's unit, package and end, copied so the report reads this table alone (no join per row);
    # every change to a pathway rewrites its rows, so they cannot go stale.
    unit_id: str = Field(max_length=32)
    package_id: str = Field(max_length=60)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    ended_day: int | None = Field(default=None, description="Days since 1970-01-01 of the end, in the service's time zone")
    respondent_role: str = Field(sa_type=String(20))
    instrument_id: str = Field(max_length=130, description="An instrument, or a combined rule such as phq9+gad7")
    scale_id: str = Field(max_length=60)
    # 0 or 1 each, so the report adds them with a plain SUM; 0 where the scale has no basis for it (the report
    # then shows "not classified" / "no cut-off" from the instrument file, not a zero).
    paired: int = Field(default=0, sa_type=SmallInteger)
    case_at_start: int = Field(default=0, sa_type=SmallInteger)
    reliably_improved: int = Field(default=0, sa_type=SmallInteger)
    reliably_deteriorated: int = Field(default=0, sa_type=SmallInteger)
    no_reliable_change: int = Field(default=0, sa_type=SmallInteger)
    recovered: int = Field(default=0, sa_type=SmallInteger)
    reliably_recovered: int = Field(default=0, sa_type=SmallInteger)
    baseline: float | None = Field(default=None, description="Only for a paired pathway, so sums need no filter")
    final: float | None = None


class PathwayTimeLimit(SQLModel, table=True):
    __tablename__ = "pathway_time_limit"
    __table_args__ = (UniqueConstraint("pathway_id", "time_limit"),
                      Index("ix_pathway_time_limit_deadline_day", "deadline_day"),
                      Index("ix_pathway_time_limit_day", "unit_id", "package_id", "deadline_day"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    pathway_id: str = Field(foreign_key="pathway.id", index=True, max_length=32)
    unit_id: str = Field(max_length=32)
    package_id: str = Field(max_length=60)
    time_limit: str = Field(max_length=120)
    deadline_day: int = Field(description="Days since 1970-01-01 of the deadline, in the service's time zone")
    taken_days: int | None = Field(default=None, description="Calendar days to the milestone; None: not yet")
    met: int = Field(default=0, sa_type=SmallInteger)


class OutcomeDay(SQLModel, table=True):
    """The `PathwayOutcome` rows of the pathways of one unit and package that ended on one day, added up."""

    __tablename__ = "outcome_day"
    __table_args__ = (UniqueConstraint("unit_id", "package_id", "ended_day", "respondent_role", "instrument_id",
                                       "scale_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    unit_id: str = Field(max_length=32)
    package_id: str = Field(max_length=60)
    ended_day: int
    respondent_role: str = Field(sa_type=String(20))
    instrument_id: str = Field(max_length=130)
    scale_id: str = Field(max_length=60)
    eligible: int
    paired: int
    case_at_start: int
    reliably_improved: int
    reliably_deteriorated: int
    no_reliable_change: int
    recovered: int
    reliably_recovered: int
    sum_baseline: float
    sum_sq_baseline: float
    sum_final: float
    sum_change: float
    sum_sq_change: float


class TimeLimitDay(SQLModel, table=True):
    """The `PathwayTimeLimit` rows of one unit, package, deadline day and time limit, per days taken."""

    __tablename__ = "time_limit_day"
    __table_args__ = (Index("ix_time_limit_day_key", "unit_id", "package_id", "deadline_day"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    unit_id: str = Field(max_length=32)
    package_id: str = Field(max_length=60)
    deadline_day: int
    time_limit: str = Field(max_length=120)
    taken_days: int | None = None
    due: int
    met: int


class PathwayFollowUp(SQLModel, table=True):
    """Whether change at the end lasted: per follow-up, for each scale a pathway had reliably improved at the end.

    `due` is 1 once the follow-up was answered or its questionnaires expired (unanswered); until then the
    report does not count it. A patient who declined follow-up has no row (their follow-up was cancelled).
    """

    __tablename__ = "pathway_follow_up"
    __table_args__ = (UniqueConstraint("pathway_id", "respondent_role", "instrument_id", "scale_id", "days_after_end"),
                      Index("ix_pathway_follow_up_day", "unit_id", "package_id", "ended_day"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    pathway_id: str = Field(foreign_key="pathway.id", index=True, max_length=32)
    unit_id: str = Field(max_length=32)
    package_id: str = Field(max_length=60)
    ended_day: int = Field(description="Days since 1970-01-01 of the end, in the service's time zone")
    respondent_role: str = Field(sa_type=String(20))
    instrument_id: str = Field(max_length=130)
    scale_id: str = Field(max_length=60)
    days_after_end: int
    expires_day: int = Field(description="The day the follow-up's questionnaires expire: unanswered by then, missed")
    answered: int = Field(default=0, sa_type=SmallInteger)
    still_improved: int = Field(default=0, sa_type=SmallInteger, description="Reliably improved against the baseline")


class QueuedRefresh(SQLModel, table=True):
    """A pathway whose report rows wait to be rewritten, by the worker or before the next report read.

    A respondent's submit only queues its pathway: rewriting the rows there was a quarter of the submit's
    CPU (benchmarks/README.md), and a report read takes whatever is still queued first, so no figure is stale.
    """

    __tablename__ = "report_refresh_queue"

    pathway_id: str = Field(foreign_key="pathway.id", primary_key=True, max_length=32)
    queued_at: datetime = Field(sa_type=UTCDateTime, index=True)
