"""Plain data for the caseload, alerts and response templates: words chosen, dates formatted, no ORM objects."""
from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from flask import url_for
from flask_babel import format_date, format_datetime, format_decimal

from pro_service import definitions
from pro_service.clinic import texts
from pro_service.clinic.pathway_queries import ResponseRecord
from pro_service.clinic.queries import SORTS, AlertRow, CaseloadFilter, CaseloadRow
from pro_service.clinic.trajectories import ChangeSummary
from pro_service.i18n import LOCALES, _, get_locale, ngettext
from pro_service.instruments.models import Instrument
from pro_service.pathways.models import AlertKind
from pro_service.survey.plan import skipped


def locale() -> str:
    return str(get_locale())


def package_name(package_id: str) -> str:
    package = definitions.packages().get(package_id)
    return texts.pick(package.name, locale()) if package else package_id


def package_short(package_id: str) -> str:
    """The package's official code (D11), else an abbreviation in its name, else the name: ten rows fit a screen."""
    package = definitions.packages().get(package_id)
    if package is None:
        return package_id
    if package.code:
        return package.code
    name = texts.pick(package.name, locale())
    found = re.search(r"\(([^()]{2,15})\)\s*$", name)
    return found.group(1) if found else name


def milestone_name(package_id: str, milestone_id: str | None) -> str:
    if milestone_id is None:
        return "–"
    package = definitions.packages().get(package_id)
    try:
        return texts.pick(package.milestone(milestone_id).name, locale()) if package else milestone_id
    except KeyError:
        return milestone_id


def instrument_title(instrument_id: str) -> str:
    instrument = definitions.catalog().get(instrument_id)
    return texts.pick(instrument.title, locale()) if instrument else instrument_id


def package_choices() -> list[tuple[str, str]]:
    """Every package as (id, name in the reader's language), by name."""
    return sorted(((pid, package_name(pid)) for pid in definitions.packages()), key=lambda p: p[1])


def caseload(rows: tuple[CaseloadRow, ...], filters: CaseloadFilter) -> dict[str, Any]:
    return {
        "rows": [_caseload_row(row) for row in rows],
        "filters": filters,
        "packages": package_choices(),
        "filtering": bool(filters.package or filters.overdue_only or filters.with_alerts or filters.include_ended),
        "sorts": [(code, label) for code, label in zip(SORTS, (
            _("Needs attention first"), _("Patient name"), _("Start date"), _("Latest milestone"), _("Oldest open alert"),
            _("Overdue time limits")), strict=True)],
        "count_text": (ngettext("%(num)d pathway", "%(num)d pathways", len(rows)) if filters.include_ended
                       else ngettext("%(num)d open pathway", "%(num)d open pathways", len(rows))),
    }


def _caseload_row(row: CaseloadRow) -> dict[str, Any]:
    nonresponse = [text for count, text in (
        (row.nonresponse.invited, _("invited: %(num)s", num=row.nonresponse.invited)),
        (row.nonresponse.reminded, _("reminded: %(num)s", num=row.nonresponse.reminded)),
        (row.nonresponse.missing, _("still missing: %(num)s", num=row.nonresponse.missing)),
    ) if count]
    return {
        "url": url_for("clinic.pathway", pathway_id=row.pathway_id),
        "patient": row.patient_name,
        "unit": row.unit_code,
        "package": package_name(row.package_id),
        "package_short": package_short(row.package_id),
        "milestone": milestone_name(row.package_id, row.milestone),
        "milestone_on": format_date(row.milestone_at, "short") if row.milestone_at else "",
        "limits": [{"text": _("%(milestone)s: %(status)s (deadline %(date)s)",
                              milestone=milestone_name(row.package_id, limit.milestone),
                              status=texts.limit_status(limit.status),
                              date=format_date(limit.deadline, "short")),
                    "overdue": limit.status == "overdue"} for limit in row.time_limits],
        "alerts": row.open_alerts,
        "unanswered_alerts": row.unanswered_alerts,
        "alert_highlighted": row.alert_highlighted,
        "alert_overdue": row.alert_overdue,
        "attention": row.attention,
        "oldest_alert": format_datetime(row.oldest_alert_at, "short") if row.oldest_alert_at else "",
        "nonresponse": nonresponse,
        "changes": [_change_cell(c) for c in row.changes] if any(c.scores for c in row.changes) else [],
        "no_baseline": _no_baseline_text(row),
    }


MARKS = {"recovered": "✓✓", "improved": "✓", "deteriorated": "!", "relevant_improvement": "✓",
         "relevant_deterioration": "!"}
"""A small mark beside the number; the category's words stay in the cell's title and for screen readers."""


def _change_cell(c: ChangeSummary) -> dict[str, Any]:
    """Numbers, not prose: latest score and band, signed change since baseline with an arrow, and a mark."""
    instrument = definitions.catalog().get(c.instrument)
    shown = c.latest if c.latest is not None else c.baseline
    delta = None if c.latest is None or c.baseline is None else c.latest - c.baseline
    arrow = "–" if not delta else ("↑" if delta > 0 else "↓")
    better = delta is not None and delta != 0 and ((delta < 0) == (c.direction == "higher_is_worse"))
    return {
        "instrument": instrument_title(c.instrument) if instrument is None else _short_title(instrument),
        "respondent": texts.respondent(c.respondent_role) if c.respondent_role != "self" else "",
        "score": texts.number(shown) if shown is not None else "",
        "band": texts.band(instrument.default_scale, c.band, locale()) if instrument and c.band else "",
        "delta": None if delta is None else ("±0" if delta == 0 else format_decimal(
            delta, "+#,##0.#;−#,##0.#")),
        "arrow": arrow,
        "better": better,
        "category": c.category or "none",
        "category_text": _change_text(c),
        "mark": MARKS.get(c.category or "", ""),
        "quiet": c.scores < 2,
    }


def _short_title(instrument: Instrument) -> str:
    """The instrument's abbreviation where it has one (PHQ-9), so ten rows fit a screen."""
    title = texts.pick(instrument.title, locale())
    found = re.search(r"\(([^()]{2,15})\)\s*$", title)
    return found.group(1) if found else title


def _change_text(summary: ChangeSummary) -> str:
    if summary.scores == 0:
        return _("No baseline yet")
    if summary.scores == 1:
        return _("Only the baseline so far")
    return texts.category(summary.category)


def _no_baseline_text(row: CaseloadRow) -> str | None:
    """Said once for the row, quietly, while no instrument has a baseline: no change is shown yet."""
    if any(c.scores for c in row.changes):
        return None
    package = definitions.packages().get(row.package_id)
    milestone = milestone_name(row.package_id, package.outcome.baseline) if package else "–"
    if row.awaiting_baseline:
        return _("No baseline yet (%(milestone)s not registered)", milestone=milestone)
    if row.changes:
        return _("No baseline yet (%(milestone)s not answered)", milestone=milestone)
    return None


def answer_text(instrument_id: str, item_number: int, value: Any) -> str:
    """The chosen option's label in the reader's language (with its points), or the number as given."""
    instrument = definitions.catalog().get(instrument_id)
    if instrument is None or value is None:
        return "–" if value is None else str(value)
    item = instrument.item(item_number)
    options = instrument.response_scale(item).options or ()
    if isinstance(value, int) and 0 <= value < len(options):
        option = options[value]
        return f"{texts.pick(option.label, locale())} ({texts.number(option.points)})"
    return texts.number(value) if isinstance(value, int | float) else str(value)


def alert_answer_text(instrument_id: str, item_number: int, points: float) -> str:
    """Alerts store points; the option with those points names the answer."""
    instrument = definitions.catalog().get(instrument_id)
    if instrument is None:
        return texts.number(points)
    options = instrument.response_scale(instrument.item(item_number)).options or ()
    for option in options:
        if option.points == points:
            return f"{texts.pick(option.label, locale())} ({texts.number(points)})"
    return texts.number(points)


def item_text(instrument_id: str, item_number: int) -> str:
    instrument = definitions.catalog().get(instrument_id)
    return texts.pick(instrument.item(item_number).text, locale()) if instrument else str(item_number)


def alerts(rows: tuple[AlertRow, ...]) -> list[dict[str, Any]]:
    return [{
        "id": row.id,
        "since": format_datetime(row.created_at, "short"),
        "iso": row.created_at.isoformat(),
        "patient": row.patient_name,
        "pathway_url": url_for("clinic.pathway", pathway_id=row.pathway_id),
        "response_url": url_for("clinic.response", response_id=row.response_id) if row.response_id else None,
        "instrument": instrument_title(row.instrument_id),
        "respondent": texts.respondent(row.respondent_role),
        "item": row.item,
        "question": item_text(row.instrument_id, row.item),
        "unanswered": row.kind == AlertKind.UNANSWERED,
        "kind": _("Critical item not answered") if row.kind == AlertKind.UNANSWERED else _("Critical answer"),
        "answer": _("Not answered") if row.value is None else alert_answer_text(row.instrument_id, row.item, row.value),
    } for row in rows]


def response(record: ResponseRecord, *, package_id: str, patient_name: str, respondent_role: str) -> dict[str, Any]:
    instrument = definitions.catalog()[record.assessment.instrument_id]
    answers = record.response.answers
    critical = {item.number for item in instrument.items if item.critical is not None}
    not_asked = skipped(instrument, answers)
    language = record.response.language
    status = instrument.languages[language].status if language in instrument.languages else None
    scores = []
    for score in record.scores:
        try:
            scale = instrument.scale(score.scale_id)
        except KeyError:
            continue
        scores.append({"name": texts.pick(scale.name, locale()), "value": texts.number(score.value),
                       "band": texts.band(scale, score.band, locale()) if score.band else "–",
                       "prorated": score.prorated, "missing": score.missing})
    return {
        "title": texts.pick(instrument.title, locale()),
        "patient": patient_name,
        "respondent": texts.respondent(respondent_role),
        "milestone": milestone_name(package_id, record.milestone_id),
        "milestone_on": format_date(record.occurred_at, "medium"),
        "submitted": format_datetime(record.response.submitted_at, "short"),
        "language": LOCALES.get(language, language),
        "language_code": language,
        "provisional": status == "provisional",
        "entered_by": record.response.entered_by,
        "pathway_url": url_for("clinic.pathway", pathway_id=record.assessment.pathway_id),
        "scores": scores,
        "items": [{"number": item.number, "text": texts.pick(item.text, locale()),
                   "answer": _item_answer(instrument, item.number, answers, record.response.set_aside, not_asked),
                   "critical": item.number in critical} for item in instrument.items],
    }


def _item_answer(instrument: Instrument, number: int, answers: dict[str, Any], set_aside: dict[str, Any],
                 not_asked: Collection[int]) -> str:
    """An answer as given; an item a skip rule left out says so, with any answer the respondent gave it earlier."""
    if number not in not_asked:
        return answer_text(instrument.id, number, answers.get(str(number)))
    if set_aside.get(str(number)) is None:
        return _("Not asked (an earlier answer skips it)")
    return _("Not asked (an earlier answer skips it); answered %(answer)s before that answer changed, not scored",
             answer=answer_text(instrument.id, number, set_aside[str(number)]))
