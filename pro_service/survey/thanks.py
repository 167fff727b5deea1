"""The thank-you page: one score summary per questionnaire with its meaning, a chart once there is a change to see."""
from __future__ import annotations

from typing import Any

from flask_babel import format_date
from markupsafe import Markup

from pro_service import charts
from pro_service.i18n import _
from pro_service.survey import bidi
from pro_service.survey.queries import ScoreHistory

MIN_POINTS_FOR_CHART = 2
"""One point is no line: a chart is drawn only from the second score on."""


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _score_words(point, history: ScoreHistory, locale: str) -> Markup:
    """ "10 of 27: Moderate" — digits isolated, the band in its own direction."""
    score, high = bidi.number(_n(point.score)), bidi.number(_n(history.high))
    if point.band:
        return bidi.fill(lambda **v: _("%(score)s of %(high)s: %(band)s", **v),
                         score=score, high=high, band=bidi.name(point.band, locale))
    return bidi.fill(lambda **v: _("%(score)s of %(high)s", **v), score=score, high=high)


def history(history: ScoreHistory, index: int, *, locale: str) -> dict[str, Any]:
    latest = history.points[-1]
    summary = bidi.fill(lambda **v: _("%(scale)s: %(words)s", **v),
                        scale=bidi.name(history.scale_name, locale), words=_score_words(latest, history, locale))
    sentences = [bidi.fill(lambda **v: _("%(date)s: %(words)s", **v),
                           date=bidi.name(format_date(point.submitted_at, "medium")),
                           words=_score_words(point, history, locale))
                 for point in history.points]
    direction = (_("A lower score means fewer problems.") if history.higher_is_worse
                 else _("A higher score means you are doing better."))
    chart = None
    if len(history.points) >= MIN_POINTS_FOR_CHART:
        # The clinic's and the letter's chart: the same bands and cut-off line.
        svg = charts.trajectory_chart(
            [charts.ChartPoint(label=format_date(p.submitted_at, "short"), value=p.score) for p in history.points],
            low=history.low, high=history.high, title=history.title.text,
            summary=" ".join(s.striptags() for s in sentences), chart_id=f"chart-{index}",
            bands=[charts.ChartBand(low=low, label=label) for low, label in history.bands],
            cut_off=history.cut_off, cut_off_label=_("cut-off"))
        chart = Markup(svg)  # noqa: S704 - charts build the SVG as an element tree
    return {"title": history.title, "summary": summary, "direction": direction, "chart": chart,
            "sentences": sentences if chart is not None else []}
