"""Plain data for the clinician's view of own goals (issue 17): the patient's words, their 0–10 ratings over
time as a small chart, and the change per goal in words (the GBO reliable-change value); no database."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import format_date, format_decimal
from markupsafe import Markup

from pro_service import charts
from pro_service.clinic import texts
from pro_service.clinic.context import milestone_name
from pro_service.goals.classification import RELIABLE_CHANGE, GoalChange, goal_change
from pro_service.goals.models import HIGHEST, LOWEST
from pro_service.goals.queries import GoalView
from pro_service.i18n import _

GOAL_CHART = charts.Geometry(width=360, height=150, pad_start=36, pad_end=34, pad_top=14)
"""Small: one per goal, beside its words; no band names, only room for a date centred on the last mark."""
CATEGORY_CLASS = {GoalChange.RELIABLY_IMPROVED: "improved", GoalChange.NO_RELIABLE_CHANGE: "unchanged",
                  GoalChange.RELIABLY_DETERIORATED: "deteriorated"}
"""The change words' colour classes, shared with the questionnaires' categories."""


def change_text(change: GoalChange | None, ratings: int) -> str:
    if change is None:
        return _("Only the first rating so far") if ratings else _("Not rated yet")
    return {GoalChange.RELIABLY_IMPROVED: _("Reliably improved"),
            GoalChange.NO_RELIABLE_CHANGE: _("No reliable change"),
            GoalChange.RELIABLY_DETERIORATED: _("Reliably deteriorated")}[change]


def goals(views: Sequence[GoalView], *, package_id: str, chart_prefix: str,
          until: datetime | None = None) -> list[dict[str, Any]]:
    """One entry per goal, in the order `pathway_goals` gives (the patient's first, then each parent's).

    `until`: only the ratings up to that moment (the milestone an evaluation compares to), change included.
    """
    return [_goal(view, package_id=package_id, chart_id=f"{chart_prefix}-{index}", until=until)
            for index, view in enumerate(views, start=1)]


def _goal(view: GoalView, *, package_id: str, chart_id: str, until: datetime | None) -> dict[str, Any]:
    who = texts.respondent(view.respondent_role)
    ratings = [point for point in view.ratings if until is None or point.occurred_at <= until]
    change = goal_change([point.rating for point in ratings])
    rows = [{"milestone": milestone_name(package_id, point.milestone_id),
             "date": format_date(point.occurred_at, "medium"), "rating": point.rating} for point in ratings]
    first, latest = (ratings[0].rating, ratings[-1].rating) if ratings else (None, None)
    title = _("Goal %(number)s (%(who)s): progress from 0 to 10", number=view.number, who=who)
    chart = charts.trajectory_chart(
        [charts.ChartPoint(label=format_date(point.occurred_at, "short"), value=point.rating)
         for point in ratings],
        low=float(LOWEST), high=float(HIGHEST), title=title, chart_id=chart_id, geometry=GOAL_CHART,
        summary="; ".join(f"{r['date']} ({r['milestone']}): {r['rating']}" for r in rows),
        reliable_change=(float(first), RELIABLE_CHANGE) if first is not None and len(rows) > 1 else None,
        reliable_change_label=_("no reliable change")) if rows else None
    return {
        "id": view.id,
        "number": view.number,
        "who": who,
        "text": view.text,
        "original": view.original_text if view.original_text != view.text else None,
        "first": first,
        "latest": latest if len(rows) > 1 else None,
        "category": CATEGORY_CLASS.get(change, "none"),
        "category_text": change_text(change, len(rows)),
        "chart": Markup(chart) if chart else None,  # noqa: S704 - charts escape every text they are given
        "rows": rows,
        "title": title,
    }


def basis() -> str:
    """The rule behind the change words, in one sentence a clinician can check."""
    return _("A goal is rated from 0 (no progress) to 10 (goal reached). A change of more than %(points)s points "
             "from the first rating is reliable (the published GBO reliable-change index).",
             points=format_decimal(RELIABLE_CHANGE))
