"""Plain data for the quality page: the two suppressed documents in words and numbers, charts as geometry.

A count that is None was suppressed (1–4 patients, or it would reveal such a
count) and reads "< 5", as does every figure computed from one; any other
None could not be computed and reads "–".
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import format_decimal, format_percent

from pro_service import definitions
from pro_service.clinic import texts
from pro_service.clinic.context import instrument_title, locale, milestone_name, package_name
from pro_service.i18n import _, ngettext
from pro_service.pathways.package_rules import EXTENDED_ASSESSMENT, INPATIENT

from . import bars
from .export import RATE_SOURCES
from .model import COMBINED_SCALE

SUPPRESSED = "< 5"
UNKNOWN = "–"
_SOURCES = {**RATE_SOURCES, "effect_size": ("n",)}


def count(value: int | None) -> str:
    return SUPPRESSED if value is None else format_decimal(value)


def share(value: float | None, *, suppressed: bool = False) -> str:
    if value is None:
        return SUPPRESSED if suppressed else UNKNOWN
    return format_percent(value)


_CHANGE = ("pct_reliably_improved", "pct_reliably_deteriorated", "pct_no_reliable_change", "pct_reliably_recovered")
_RECOVERY = ("pct_recovered", "pct_reliably_recovered")


def _figure(outcome: Mapping[str, Any], name: str) -> str:
    """A share, "< 5" when suppressed; a scale without a reliable-change basis or a cut-off says so instead."""
    if name in _CHANGE and not outcome["reliable_change_classified"]:
        return _("not classified")
    if name in _RECOVERY and not outcome["has_cut_off"]:
        return _("no cut-off")
    return share(outcome[name], suppressed=any(outcome.get(s) is None for s in _SOURCES[name]))


def quality(by_package: Mapping[str, Any], by_quarter: Mapping[str, Any]) -> dict[str, Any]:
    """Every package of the report, in the reader's language, with its charts and its trend."""
    trends: dict[str, list[Mapping[str, Any]]] = {}
    for group in by_quarter["groups"]:
        trends.setdefault(group["package"], []).append(group)
    sections = [_package(group, trends.get(group["package"], []), index)
                for index, group in enumerate(by_package["groups"], start=1)]
    return {"packages": sections, "period_text": _("%(start)s to %(end)s", start=by_package["from"],
                                                   end=by_package["to"])}


def _package(group: Mapping[str, Any], quarters: list[Mapping[str, Any]], index: int) -> dict[str, Any]:
    package_id = group["package"]
    outcomes = [_outcome(package_id, o) for o in group["outcomes"] if _shown(package_id, o)]
    keys = [o["key"] for o in outcomes]
    return {
        "id": f"package-{index}",
        "name": package_name(package_id),
        "started": count(group["pathways_started"]),
        "ended": count(group["pathways_ended"]),
        "process": [_process(package_id, row) for row in group["process"]],
        "outcomes": outcomes,
        "chart": bars.stacked([(o["label"], *o["shares"], o["completeness_share"], o["completeness_text"],
                                o["unknown_text"]) for o in outcomes], percent=format_percent),
        "trend": _trend(package_id, outcomes, quarters, keys),
        "has_follow_up": _has_follow_up(package_id),
        "follow_ups": [_follow_up(package_id, row, group["outcomes"]) for row in group.get("follow_ups", [])
                       if _shown(package_id, row)],
    }


def _has_follow_up(package_id: str) -> bool:
    package = definitions.packages().get(package_id)
    return package is not None and any(m.after_end_days for m in package.milestones)


def _follow_up(package_id: str, row: Mapping[str, Any], outcomes: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Whether change lasted at one follow-up, beside how many were reliably improved at the end."""
    end = next((o for o in outcomes if (o["instrument"], o["scale"], o["respondent_role"])
                == (row["instrument"], row["scale"], row["respondent_role"])), None)
    months = round(row["days_after_end"] / 30.44)
    due, answered, still = row["due"], row["answered"], row["still_improved"]
    return {
        "name": _outcome_name(package_id, row), "respondent": texts.respondent(row["respondent_role"]),
        "when": ngettext("%(num)d month after the end", "%(num)d months after the end", months),
        "improved_at_end": count(end["reliably_improved"]) if end else UNKNOWN,
        "due": count(due),
        "answered": _("%(count)s (%(share)s)", count=count(answered),
                      share=share(row["pct_answered"], suppressed=due is None or answered is None)),
        "still_improved": _("%(count)s (%(share)s)", count=count(still),
                            share=share(row["pct_still_improved"], suppressed=answered is None or still is None)),
    }


def _shown(package_id: str, outcome: Mapping[str, Any]) -> bool:
    """The main scale of each instrument (the first its file names) and the package's combined rules."""
    if outcome["scale"] == COMBINED_SCALE:
        return True
    instrument = definitions.catalog().get(outcome["instrument"])
    return instrument is not None and outcome["scale"] == instrument.scales[0].id


def _outcome_name(package_id: str, outcome: Mapping[str, Any]) -> str:
    if outcome["scale"] == COMBINED_SCALE:
        package = definitions.packages().get(package_id)
        rule = next((c for c in (package.outcome.combined if package and package.outcome else ())
                     if c.id == outcome["instrument"]), None)
        return texts.pick(rule.name, locale()) if rule else outcome["instrument"]
    return instrument_title(outcome["instrument"])


def _outcome(package_id: str, o: Mapping[str, Any]) -> dict[str, Any]:
    name = _outcome_name(package_id, o)
    role = texts.respondent(o["respondent_role"])
    label = _("%(instrument)s – %(respondent)s", instrument=name, respondent=role)
    known = all(o[k] is not None for k in ("pct_reliably_improved", "pct_no_reliable_change",
                                           "pct_reliably_deteriorated"))
    classified = o["reliable_change_classified"]
    completeness = _figure(o, "paired_completeness")
    completeness_text = _("Paired: %(paired)s of %(eligible)s (%(share)s)", paired=count(o["paired"]),
                          eligible=count(o["eligible"]), share=completeness)
    summary = (_("%(label)s: %(improved)s reliably improved, %(unchanged)s no reliable change, "
                 "%(deteriorated)s reliably deteriorated; %(paired)s",
                 label=label, improved=_figure(o, "pct_reliably_improved"),
                 unchanged=_figure(o, "pct_no_reliable_change"),
                 deteriorated=_figure(o, "pct_reliably_deteriorated"), paired=completeness_text)
               if known else _("%(label)s: too few paired pathways to show; %(paired)s", label=label,
                               paired=completeness_text) if classified
               else _("%(label)s: change is not classified for this questionnaire (no reliable-change basis); "
                      "%(paired)s", label=label, paired=completeness_text))
    return {
        "key": (o["instrument"], o["scale"], o["respondent_role"]),
        "label": label, "name": name, "respondent": role,
        "eligible": count(o["eligible"]), "paired": count(o["paired"]), "completeness": completeness,
        "completeness_share": o["paired_completeness"], "completeness_text": completeness_text,
        "improved": _figure(o, "pct_reliably_improved"),
        "recovered": _figure(o, "pct_recovered"),
        "reliably_recovered": _figure(o, "pct_reliably_recovered"),
        "deteriorated": _figure(o, "pct_reliably_deteriorated"),
        "no_change": _figure(o, "pct_no_reliable_change"),
        "effect": _effect(o),
        "shares": (o["pct_reliably_improved"], o["pct_no_reliable_change"], o["pct_reliably_deteriorated"]),
        "unknown_text": _("Too few to show") if classified else _("not classified"),
        "summary": summary,
    }


def _effect(o: Mapping[str, Any]) -> str:
    """The pre–post effect size with its direction in words (a fall is better on most scales, not all)."""
    size = o["effect_size"]
    if size is None:
        return _figure(o, "effect_size")
    instrument = definitions.catalog().get(o["instrument"])
    scale = next((s for s in instrument.scales if s.id == o["scale"]), None) if instrument else None
    if scale is None:
        return format_decimal(round(size, 2))
    text = format_decimal(round(abs(size), 2), format="0.00")
    better = size < 0 if scale.direction == "higher_is_worse" else size > 0
    if round(size, 2) == 0:
        return _("%(size)s (no change on average)", size=text)
    return (_("%(size)s (better on average)", size=text) if better
            else _("%(size)s (worse on average)", size=text))


CONDITION_NAMES = {
    INPATIENT: lambda: _("inpatient units"),
    EXTENDED_ASSESSMENT: lambda: _("after an extended assessment"),
}
"""How a report names the pathways a conditional time limit counts (`package_rules`)."""


def _process(package_id: str, row: Mapping[str, Any]) -> dict[str, Any]:
    package = definitions.packages().get(package_id)
    rule = next((r for r in package.time_limits() if r.id == row["time_limit"]), None) if package else None
    if rule is None:
        label = milestone_name(package_id, row["time_limit"])
    else:
        start = milestone_name(package_id, rule.from_milestone)
        start = start[:1].lower() + start[1:]
        if rule.interval:  # from each registration of the milestone to the next: "of the previous evaluation"
            label = _("%(milestone)s within %(days)d days of the previous %(from)s",
                      milestone=milestone_name(package_id, rule.milestone), days=rule.days, **{"from": start})
        else:
            label = _("%(milestone)s within %(days)d days of %(from)s",
                      milestone=milestone_name(package_id, rule.milestone), days=rule.days, **{"from": start})
        if rule.condition in CONDITION_NAMES:
            label = _("%(limit)s (%(condition)s)", limit=label, condition=CONDITION_NAMES[rule.condition]())
    due, met = row["due"], row["met"]
    met_share = share(met / due if due else None, suppressed=due is None or met is None)
    return {"label": label, "due": count(due), "met": count(met), "met_share": met_share,
            "median_days": (SUPPRESSED if due is None else UNKNOWN) if row["median_days"] is None
            else format_decimal(row["median_days"])}


def _trend(package_id: str, outcomes: list[dict[str, Any]], quarters: list[Mapping[str, Any]],
           keys: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Per outcome, per quarter: % reliably improved and paired completeness (a table and a chart each)."""
    labels = [q["quarter"] for q in quarters]
    series = []
    for outcome, key in zip(outcomes, keys, strict=True):
        points, rows = [], []
        for quarter in quarters:
            found = next((o for o in quarter["outcomes"]
                          if (o["instrument"], o["scale"], o["respondent_role"]) == key), None)
            improved = found["pct_reliably_improved"] if found else None
            completeness = found["paired_completeness"] if found else None
            points.append((quarter["quarter"], improved, completeness))
            rows.append({"quarter": quarter["quarter"],
                         "improved": _figure(found, "pct_reliably_improved") if found else UNKNOWN,
                         "completeness": _figure(found, "paired_completeness") if found else UNKNOWN,
                         "paired": count(found["paired"]) if found else UNKNOWN})
        series.append({"label": outcome["label"], "rows": rows, "chart": bars.trend(points, percent=format_percent),
                       "summary": "; ".join(_("%(quarter)s: %(improved)s reliably improved, %(completeness)s paired",
                                              quarter=r["quarter"], improved=r["improved"],
                                              completeness=r["completeness"]) for r in rows)})
    return {"quarters": labels, "series": series, "enough": len(labels) > 1}
