"""The report as a document (the JSON of the API and the CLI), and combining documents.

A document holds counts and sufficient statistics only — never a pathway — so
health trusts can send theirs to a region, and `merge` adds them into the
report one installation would have made over all the data. Derived figures
(percentages, means, effect size) are always recomputed from the sums.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from .definitions import COUNTS, SUMS, Tally, figures
from .model import By, GroupKey, Report, key_for

FORMAT = "pro-service/outcome-report/1"
GROUP_COUNTS = ("pathways_started", "pathways_ended")
PROCESS_COUNTS = ("due", "met")
DERIVED = ("paired_completeness", "pct_reliably_improved", "pct_reliably_deteriorated", "pct_no_reliable_change",
           "pct_recovered", "pct_reliably_recovered", "mean_baseline", "mean_final", "mean_change", "ci_low",
           "ci_high", "effect_size")
APPLIES = ("reliable_change_classified", "has_cut_off")
"""Whether the scale has a reliable-change basis and a caseness cut-off: where not, those counts are null by
definition, not by suppression."""
OUTCOME_FIELDS = ("instrument", "scale", "respondent_role", *APPLIES, *COUNTS, *DERIVED, *SUMS)
FOLLOW_UP_COUNTS = ("due", "answered", "still_improved")
FOLLOW_UP_RATES = {"pct_answered": ("answered", "due"), "pct_still_improved": ("still_improved", "answered")}
"""Completeness at follow-up (answered of those due), and still reliably improved of those answered."""
FOLLOW_UP_KEY = ("instrument", "scale", "respondent_role", "days_after_end")


def document(report: Report) -> dict[str, Any]:
    """The full document, unsuppressed (with the days behind each median): never shown as it is."""
    request = report.request
    return finish({
        "format": FORMAT, "from": request.start.isoformat(), "to": request.end.isoformat(), "by": request.by,
        "suppressed": False,
        "groups": [{
            "unit": group.key.unit, "package": group.key.package, "quarter": group.key.quarter,
            "pathways_started": group.pathways_started, "pathways_ended": group.pathways_ended,
            "process": [{"time_limit": row.time_limit, "due": row.due, "met": row.met,
                         "days": [list(pair) for pair in row.days]} for row in group.process],
            "outcomes": [{"instrument": row.instrument, "scale": row.scale, "respondent_role": row.respondent_role,
                          "reliable_change_classified": row.tally.reliably_improved is not None,
                          "has_cut_off": row.tally.cases_at_start is not None,
                          **row.tally.as_dict()} for row in group.outcomes],
            "follow_ups": [{"instrument": row.instrument, "scale": row.scale, "respondent_role": row.respondent_role,
                            "days_after_end": row.days_after_end, "due": row.due, "answered": row.answered,
                            "still_improved": row.still_improved} for row in group.follow_ups],
        } for group in report.groups],
    })


def tally_of(outcome: Mapping[str, Any]) -> Tally:
    return Tally(**{f.name: outcome.get(f.name) for f in fields(Tally)})


def finish(doc: dict[str, Any]) -> dict[str, Any]:
    """Recompute every derived figure from the counts and sums (None where an input is unknown)."""
    for group in doc["groups"]:
        for row in group["process"]:
            row["median_days"] = median_of(row["days"]) if row.get("days") is not None else row.get("median_days")
        for outcome in group["outcomes"]:
            shown = figures(_known(outcome))
            for name in DERIVED:
                outcome[name] = getattr(shown, name)
            for name in DERIVED:
                if any(outcome.get(source) is None for source in _SOURCES[name]):
                    outcome[name] = None
            ordered = {name: outcome.get(name) for name in OUTCOME_FIELDS}
            outcome.clear()
            outcome.update(ordered)
        for row in group.setdefault("follow_ups", []):  # documents made before follow-up have none
            for name, (part, whole) in FOLLOW_UP_RATES.items():
                row[name] = (row[part] / row[whole] if row.get(part) is not None and row.get(whole) else None)
    return doc


RATE_SOURCES = {
    "paired_completeness": ("paired", "eligible"),
    "pct_reliably_improved": ("reliably_improved", "paired"),
    "pct_reliably_deteriorated": ("reliably_deteriorated", "paired"),
    "pct_no_reliable_change": ("no_reliable_change", "paired"),
    "pct_recovered": ("recovered", "cases_at_start"),
    "pct_reliably_recovered": ("reliably_recovered", "cases_at_start"),
}
"""Each rate and the counts it is a share of: blank wherever one of them is suppressed."""
_SOURCES = {
    **RATE_SOURCES,
    **{name: ("n", "sum_baseline", "sum_sq_baseline", "sum_final", "sum_change", "sum_sq_change")
       for name in ("mean_baseline", "mean_final", "mean_change", "ci_low", "ci_high", "effect_size")},
}


def _known(outcome: Mapping[str, Any]) -> Tally:
    """A tally with unknown (suppressed) values as zero; `finish` then blanks what depended on them."""
    return Tally(**{f.name: (0 if outcome.get(f.name) is None and f.name in ("eligible", "paired", "n")
                             else outcome.get(f.name)) for f in fields(Tally)})


def median_of(days: Iterable[Iterable[int]]) -> float | None:
    values = sorted(Counter({int(d): int(n) for d, n in days}).elements())
    if not values:
        return None
    middle = len(values) // 2
    return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def merge(documents: Iterable[Mapping[str, Any]], *, by: By | None = None) -> dict[str, Any]:
    """Add several documents (e.g. one per health trust) into one, grouped `by` (default: as the first).

    Counts and sums add; an unknown (suppressed) value makes the sum unknown. A
    median is exact when the inputs carry their days (unsuppressed documents);
    from suppressed inputs it is kept only where one input alone gives the group.
    """
    documents = list(documents)
    if not documents:
        raise ValueError("nothing to merge")
    for doc in documents:
        if doc.get("format") != FORMAT:
            raise ValueError(f"not an outcome report document (format {doc.get('format')!r}, expected {FORMAT!r})")
    by = by or documents[0]["by"]
    groups: dict[GroupKey, dict[str, Any]] = {}
    for doc in documents:
        for group in doc["groups"]:
            key = key_for(GroupKey(unit=group["unit"], package=group["package"], quarter=group["quarter"]), by)
            if (by == "quarter") != (key.quarter is not None):
                raise ValueError(f"a document grouped by {doc['by']} cannot be merged by {by}")
            target = groups.get(key)
            if target is None:
                groups[key] = _copy_group(group, key)
            else:
                _add_group(target, group)
    starts = [date.fromisoformat(d["from"]) for d in documents]
    ends = [date.fromisoformat(d["to"]) for d in documents]
    merged = {"format": FORMAT, "from": min(starts).isoformat(), "to": max(ends).isoformat(), "by": by,
              "suppressed": any(d.get("suppressed") for d in documents),
              "groups": sorted(groups.values(), key=lambda g: (g["package"], g["unit"] or "", g["quarter"] or ""))}
    return finish(merged)


def _copy_group(group: Mapping[str, Any], key: GroupKey) -> dict[str, Any]:
    return {"unit": key.unit, "package": key.package, "quarter": key.quarter,
            **{name: group[name] for name in GROUP_COUNTS},
            "process": [dict(row, days=None if row.get("days") is None else [list(p) for p in row["days"]])
                        for row in group["process"]],
            "outcomes": [dict(row) for row in group["outcomes"]],
            "follow_ups": [dict(row) for row in group.get("follow_ups", [])]}


def _plus(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a + b


def _add_group(target: dict[str, Any], group: Mapping[str, Any]) -> None:
    for name in GROUP_COUNTS:
        target[name] = _plus(target[name], group[name])
    process = {row["time_limit"]: row for row in target["process"]}
    for row in group["process"]:
        mine = process.get(row["time_limit"])
        if mine is None:
            target["process"].append(dict(row))
            continue
        for name in PROCESS_COUNTS:
            mine[name] = _plus(mine[name], row[name])
        if mine.get("days") is not None and row.get("days") is not None:
            mine["days"] = sorted(([d, n] for d, n in (Counter({d: n for d, n in mine["days"]})
                                                       + Counter({d: n for d, n in row["days"]})).items()))
        else:
            mine["days"], mine["median_days"] = None, None
    outcomes = {(o["instrument"], o["scale"], o["respondent_role"]): o for o in target["outcomes"]}
    for row in group["outcomes"]:
        key = (row["instrument"], row["scale"], row["respondent_role"])
        mine = outcomes.get(key)
        if mine is None:
            target["outcomes"].append(dict(row))
            outcomes[key] = target["outcomes"][-1]
            continue
        for name in (*COUNTS, *SUMS):
            mine[name] = _plus(mine[name], row[name])
        for name in APPLIES:
            mine[name] = bool(mine.get(name, True)) and bool(row.get(name, True))
    target["outcomes"].sort(key=lambda o: (o["instrument"], o["scale"], o["respondent_role"]))
    follow_ups = {tuple(row[k] for k in FOLLOW_UP_KEY): row for row in target["follow_ups"]}
    for row in group.get("follow_ups", []):
        mine = follow_ups.get(tuple(row[k] for k in FOLLOW_UP_KEY))
        if mine is None:
            target["follow_ups"].append(dict(row))
            continue
        for name in FOLLOW_UP_COUNTS:
            mine[name] = _plus(mine[name], row[name])
    target["follow_ups"].sort(key=lambda r: tuple(r[k] for k in FOLLOW_UP_KEY))
