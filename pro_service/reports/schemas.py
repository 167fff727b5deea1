"""The outcome report's JSON, as types: the API's answer and its OpenAPI description come from these."""
from __future__ import annotations

from datetime import date

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from pro_service.bounds import DATE_PATTERN, DATE_RANGE, check_date

Day = Annotated[date, AfterValidator(check_date), WithJsonSchema({"type": "string", "format": "date",
                                                                  "pattern": DATE_PATTERN})]
Count = int | None
"""A count of patients; null when it is 1–4 (suppressed) or would reveal such a count."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProcessOut(_Out):
    time_limit: str = Field(description="The milestone that has the limit, e.g. clinical_decision")
    due: Count = Field(description="Pathways whose deadline fell in the period")
    met: Count = Field(description="Of those, pathways that registered the milestone by the deadline")
    median_days: float | None = Field(description="Median calendar days taken, over those that registered it")
    days: None = Field(default=None, description="Always null in what leaves the service")


class OutcomeOut(_Out):
    instrument: str = Field(description="An instrument id, or a combined rule such as phq9+gad7")
    scale: str = Field(description="The scale id; 'combined' for a combined rule")
    respondent_role: str
    reliable_change_classified: bool = Field(
        description="False: the scale has no reliable-change basis, so the reliable-change counts are null")
    has_cut_off: bool = Field(description="False: the scale has no caseness cut-off, so the case counts are null")
    eligible: Count = Field(description="Ended pathways with the instrument scheduled for this role")
    paired: Count = Field(description="Eligible pathways with a baseline and a final score")
    paired_completeness: float | None
    cases_at_start: Count = Field(description="Paired pathways that were a case at baseline; null: no cut-off")
    reliably_improved: Count
    pct_reliably_improved: float | None
    reliably_deteriorated: Count
    pct_reliably_deteriorated: float | None
    no_reliable_change: Count
    pct_no_reliable_change: float | None
    recovered: Count = Field(description="Cases at start that were not a case at final")
    pct_recovered: float | None = Field(description="Over paired cases at start")
    reliably_recovered: Count
    pct_reliably_recovered: float | None
    mean_baseline: float | None
    mean_final: float | None
    mean_change: float | None = Field(description="Mean of final − baseline, in the scale's points")
    ci_low: float | None = Field(description="95 % confidence interval of the mean change (t distribution)")
    ci_high: float | None
    effect_size: float | None = Field(description="Mean change ÷ SD of the baseline scores")
    n: Count = Field(description="Paired pathways behind the sums (0 for a combined rule)")
    sum_baseline: float | None
    sum_sq_baseline: float | None
    sum_final: float | None
    sum_change: float | None
    sum_sq_change: float | None


class FollowUpOut(_Out):
    """The long run, for the pathways ended in the period that were reliably improved at the end on a scale."""

    instrument: str
    scale: str
    respondent_role: str
    days_after_end: int = Field(description="When the follow-up falls, in days after the end (182: 6 months)")
    due: Count = Field(description="Reliably improved at the end, followed up, and the follow-up is over "
                                   "(answered, or expired unanswered); a patient who declined is not counted")
    answered: Count = Field(description="Of those, answered at the follow-up")
    pct_answered: float | None = Field(description="Completeness at follow-up: answered ÷ due")
    still_improved: Count = Field(description="Of those answered, still reliably improved against the baseline")
    pct_still_improved: float | None = Field(description="still_improved ÷ answered")


class GroupOut(_Out):
    unit: str | None = Field(description="The unit's code; null for a group across units")
    package: str
    quarter: str | None = Field(description="e.g. 2026-Q3; null for the whole period")
    pathways_started: Count
    pathways_ended: Count
    process: list[ProcessOut]
    outcomes: list[OutcomeOut]
    follow_ups: list[FollowUpOut] = Field(default_factory=list)


class OutcomeReportOut(_Out):
    """Counts and sufficient statistics only: `pro-service report merge` adds several into one."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    format: str
    from_: date = Field(alias="from")
    to: date
    by: str
    suppressed: bool
    groups: list[GroupOut]


class OutcomeQuery(BaseModel):
    """The query string of GET /api/v1/reports/outcomes."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Day = Field(alias="from", description=f"First day, YYYY-MM-DD, {DATE_RANGE}")
    to: Day = Field(description=f"Last day, included, YYYY-MM-DD, {DATE_RANGE}")
    package: str | None = Field(default=None, min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_]+$",
                                description="A package id or code (e.g. mh_adults or D11)")

    @model_validator(mode="after")
    def _ordered(self) -> OutcomeQuery:
        if self.to < self.from_:
            raise ValueError("'to' is before 'from'")
        if (self.to - self.from_).days > 366 * 10:
            raise ValueError("the period is longer than ten years")
        return self
