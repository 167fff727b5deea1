"""Plain data for the pathway page's follow-up after the end (issue 17): each follow-up's date, where it stands
(scheduled, invited, answered, declined, missing) and its scores against the baseline; no database.

The follow-up never reopens the pathway: this is read from the page's own data. Change counts from the same
baseline as everywhere (`reports.definitions.baseline_of`), to the follow-up's own score.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import format_date

from pro_service import definitions
from pro_service.clinic import texts
from pro_service.clinic.context import instrument_title
from pro_service.clinic.pathway_queries import PathwayPage
from pro_service.clinic.trajectories import Trajectory
from pro_service.i18n import _, ngettext
from pro_service.instruments.change import change
from pro_service.pathways.models import AssessmentStatus
from pro_service.pathways.packages import Package
from pro_service.reports.definitions import ScorePoint, baseline_of

DAYS_PER_MONTH = 30.44


def follow_ups(page: PathwayPage, package: Package, *, baseline_at: datetime | None,
               declined_at: datetime | None) -> list[dict[str, Any]]:
    """One entry per scheduled follow-up, in date order; empty before the end (none is scheduled yet)."""
    days = {m.id: m.after_end_days for m in package.milestones if m.after_end_days}
    events = [m for m in page.detail.milestones if m.milestone in days]
    invited = {invitation.milestone_event for invitation in page.detail.invitations}
    rows = []
    for position, event in enumerate(sorted(events, key=lambda e: e.occurred_at)):
        offsets = days[event.milestone]
        months = round(offsets[min(position, len(offsets) - 1)] / DAYS_PER_MONTH)
        statuses = {a.status for a in page.detail.assessments if a.milestone_event == event.id}
        rows.append({
            "name": ngettext("%(num)d month after the end", "%(num)d months after the end", months),
            "date": format_date(event.occurred_at, "medium"),
            "status": _status(statuses, invited=event.id in invited, declined_at=declined_at),
            "answered": AssessmentStatus.COMPLETED in statuses,
            "results": [r for t in page.trajectories if (r := _result(t, event.id, baseline_at)) is not None],
        })
    return rows


def _status(statuses: set[AssessmentStatus], *, invited: bool, declined_at: datetime | None) -> str:
    if AssessmentStatus.COMPLETED in statuses:
        return _("Answered")
    if declined_at is not None:
        return _("Declined by the patient on %(date)s", date=format_date(declined_at, "medium"))
    if statuses and statuses <= {AssessmentStatus.EXPIRED, AssessmentStatus.CANCELLED}:
        return _("Not answered (expired)") if AssessmentStatus.EXPIRED in statuses else _("Cancelled")
    if invited:
        return _("Invited, waiting for answers")
    return _("Scheduled: invited when it opens")


def _result(t: Trajectory, event_id: str, baseline_at: datetime | None) -> dict[str, Any] | None:
    """The follow-up's score of the instrument's main scale against the baseline; None when not answered."""
    instrument = definitions.catalog()[t.instrument_id]
    if not instrument.outcome_measure or t.scale_id != instrument.default_scale.id:
        return None
    point = next((p for p in t.points if p.milestone_event_id == event_id and p.value is not None), None)
    if point is None:
        return None
    baseline = baseline_of([ScorePoint(occurred_at=p.occurred_at, milestone=p.milestone, value=p.value,
                                       caseness=p.caseness, order=i)
                            for i, p in enumerate(t.points) if p.value is not None], baseline_at=baseline_at)
    category = None
    if baseline is not None and baseline.occurred_at < point.occurred_at:
        try:
            category = change(instrument, t.scale_id, baseline.value, point.value,
                              cases=(baseline.caseness, point.caseness)).category
        except ValueError:
            category = None
    return {"instrument": instrument_title(t.instrument_id), "respondent": texts.respondent(t.respondent_role),
            "baseline": texts.number(baseline.value) if baseline is not None else "–",
            "score": texts.number(point.value), "category": category or "none",
            "category_text": texts.category(category)}
