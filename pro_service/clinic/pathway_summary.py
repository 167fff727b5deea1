"""The pathway page's opening summary (issue 13): latest scores with bands and change category, and the next
due milestone; plain data from the page's query, no database."""
from __future__ import annotations

from typing import Any

from flask_babel import format_date, format_decimal

from pro_service import definitions
from pro_service.clinic import texts
from pro_service.clinic.context import instrument_title, locale, milestone_name
from pro_service.clinic.pathway_queries import PathwayPage
from pro_service.i18n import _
from pro_service.instruments.change import change
from pro_service.pathways.packages import Package
from pro_service.pathways.queries import TimeLimitStatus
from pro_service.reports.definitions import ScorePoint, baseline_of, latest_of

DUE = (TimeLimitStatus.OVERDUE, TimeLimitStatus.AT_RISK, TimeLimitStatus.PENDING)


def summary(page: PathwayPage, package: Package) -> dict[str, Any]:
    baseline_at = next((m.occurred_at for m in page.detail.milestones if m.milestone == package.outcome.baseline),
                       None)
    return {"scores": [row for t in page.trajectories if (row := _score_row(t, baseline_at)) is not None],
            "next_due": _next_due(page, package)}


def _score_row(t, baseline_at) -> dict[str, Any] | None:
    instrument = definitions.catalog()[t.instrument_id]
    scale = instrument.scale(t.scale_id)
    valued = [p for p in t.points if p.value is not None]
    if not valued:
        return None
    last = valued[-1]
    points = [ScorePoint(occurred_at=p.occurred_at, milestone=p.milestone, value=p.value, caseness=p.caseness,
                         order=i) for i, p in enumerate(valued)]
    baseline = baseline_of(points, baseline_at=baseline_at)
    latest = latest_of(points, baseline=baseline)
    category, delta = None, None
    if baseline is not None and latest is not None:
        try:
            category = change(instrument, scale.id, baseline.value, latest.value,
                              cases=(baseline.caseness, latest.caseness)).category
        except ValueError:
            category = None
        delta = latest.value - baseline.value
    scale_name = texts.pick(scale.name, locale())
    return {
        "instrument": instrument_title(t.instrument_id),
        "scale": scale_name if t.scale_id != instrument.default_scale.id else "",
        "respondent": texts.respondent(t.respondent_role),
        "score": texts.number(last.value),
        "band": texts.band(scale, last.band, locale()),
        "baseline": texts.number(baseline.value) if baseline is not None and latest is not None else None,
        "delta": delta,
        "category": category or "none",
        "delta_text": None if delta is None else ("±0" if delta == 0 else format_decimal(delta, "+#,##0.#;−#,##0.#")),
        "arrow": "" if not delta else ("↑" if delta > 0 else "↓"),
        "category_text": texts.category(category) if latest is not None else (
            _("Only the baseline so far") if baseline is not None else _("No baseline yet")),
    }


def _next_due(page: PathwayPage, package: Package) -> dict[str, Any] | None:
    """The earliest deadline still to meet (overdue first), as the milestone's name, its date and status."""
    due = sorted((limit for limit in page.detail.time_limits if limit.status in DUE and limit.deadline),
                 key=lambda limit: (limit.status != TimeLimitStatus.OVERDUE, limit.deadline))
    if not due:
        return None
    limit = due[0]
    return {"milestone": milestone_name(package.id, limit.milestone), "deadline": format_date(limit.deadline, "medium"),
            "status": texts.limit_status(limit.status), "overdue": limit.status == TimeLimitStatus.OVERDUE}
