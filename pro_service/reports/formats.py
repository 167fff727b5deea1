"""The report document as a terminal table or CSV (suppressed cells read "< 5")."""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from .suppression import MIN_COUNT

SUPPRESSED = f"< {MIN_COUNT}"
GROUP_COLUMNS = ("unit", "package", "quarter", "pathways_started", "pathways_ended")
PROCESS_COLUMNS = ("time_limit", "due", "met", "median_days")
OUTCOME_COLUMNS = ("instrument", "scale", "respondent_role", "reliable_change_classified", "has_cut_off", "eligible",
                   "paired", "paired_completeness",
                   "cases_at_start", "reliably_improved", "pct_reliably_improved", "reliably_deteriorated",
                   "pct_reliably_deteriorated", "no_reliable_change", "recovered", "pct_recovered",
                   "reliably_recovered", "pct_reliably_recovered", "mean_baseline", "mean_final", "mean_change",
                   "ci_low", "ci_high", "effect_size", "n", "sum_baseline", "sum_sq_baseline", "sum_final",
                   "sum_change", "sum_sq_change")
COUNT_NAMES = {"pathways_started", "pathways_ended", "due", "met", "eligible", "paired", "cases_at_start",
               "reliably_improved", "reliably_deteriorated", "no_reliable_change", "recovered",
               "reliably_recovered", "n"}


NOT_APPLICABLE = {
    "reliable_change_classified": {"reliably_improved", "reliably_deteriorated", "no_reliable_change",
                                   "reliably_recovered"},
    "has_cut_off": {"cases_at_start", "recovered", "reliably_recovered"},
}


def outcome_cell(row: Mapping[str, Any], name: str) -> str:
    """A count the scale has no basis for is blank; only a suppressed one reads "< 5"."""
    if any(not row.get(flag, True) and name in names for flag, names in NOT_APPLICABLE.items()):
        return ""
    return cell(name, row.get(name))


def cell(name: str, value: Any, *, derived_blank: str = "") -> str:
    """A count that is None was suppressed; any other None could not be computed."""
    if value is None:
        return SUPPRESSED if name in COUNT_NAMES else derived_blank
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)


def to_csv(doc: Mapping[str, Any]) -> str:
    """One line per process or outcome row, in long form, so a spreadsheet can filter it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = ("kind", *GROUP_COLUMNS, *PROCESS_COLUMNS, *OUTCOME_COLUMNS)
    writer.writerow(columns)
    for group in doc["groups"]:
        head = [_text(cell(name, group[name])) for name in GROUP_COLUMNS]
        for row in group["process"]:
            writer.writerow(["process", *head, *[_text(cell(n, row.get(n))) for n in PROCESS_COLUMNS],
                             *[""] * len(OUTCOME_COLUMNS)])
        for row in group["outcomes"]:
            writer.writerow(["outcome", *head, *[""] * len(PROCESS_COLUMNS),
                             *[_text(outcome_cell(row, n)) for n in OUTCOME_COLUMNS]])
    return out.getvalue()


def _text(value: str) -> str:
    """A spreadsheet runs a cell that starts with =, +, - or @ as a formula: quote those (except numbers)."""
    if value[:1] in ("=", "+", "@") or (value[:1] == "-" and not _number(value)):
        return "'" + value
    return value


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _percent(value: Any) -> str:
    return "" if value is None else f"{100 * value:.0f} %"


def to_table(doc: Mapping[str, Any]) -> str:
    """A plain table per group for a terminal."""
    lines = [f"Outcome report {doc['from']} – {doc['to']} (by {doc['by']}; counts of 1–4 shown as {SUPPRESSED})"]
    for group in doc["groups"]:
        title = " · ".join(str(part) for part in (group["package"], group["unit"] or "all units", group["quarter"])
                           if part)
        lines += ["", title, f"  pathways started {cell('pathways_started', group['pathways_started'])},"
                             f" ended {cell('pathways_ended', group['pathways_ended'])}"]
        for row in group["process"]:
            lines.append(f"  time limit {row['time_limit']}: due {cell('due', row['due'])},"
                         f" met {cell('met', row['met'])}, median days {cell('median_days', row['median_days'], derived_blank='–')}")
        if group["outcomes"]:
            header = ("instrument", "role", "eligible", "paired", "improved", "recovered", "rel. recovered",
                      "deteriorated", "mean change", "effect size")
            rows = [header] + [(
                f"{o['instrument']} {o['scale']}", o["respondent_role"], outcome_cell(o, "eligible"),
                outcome_cell(o, "paired"), _percent(o["pct_reliably_improved"]), _percent(o["pct_recovered"]),
                _percent(o["pct_reliably_recovered"]), _percent(o["pct_reliably_deteriorated"]),
                cell("mean_change", o["mean_change"]), cell("effect_size", o["effect_size"]))
                for o in group["outcomes"]]
            widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
            lines += ["  " + "  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"
