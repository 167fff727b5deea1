"""Small-number suppression: no count of 1–4 patients leaves the service, nor anything that reveals one.

Primary: every count from 1 to 4 is suppressed (0 is not: it names nobody).
Secondary: where shown cells add up to a whole (improved + deteriorated +
unchanged = paired; a package's quarters = the package over the period), a
single suppressed cell could be recovered by subtraction, so the smallest other
non-zero cell of that sum is suppressed too, until no sum reveals one. Every
figure computed from a suppressed count (a percentage, a mean, a median) is
then blank. Suppressed cells are None in JSON and "< 5" on the page and in CSV.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from .definitions import SUMS
from .export import FOLLOW_UP_COUNTS, FOLLOW_UP_KEY, GROUP_COUNTS, PROCESS_COUNTS, finish, median_of

MIN_COUNT = 5
OUTCOME_COUNTS = ("eligible", "paired", "cases_at_start", "reliably_improved", "reliably_deteriorated",
                  "no_reliable_change", "recovered", "reliably_recovered", "n")
PARTITIONS = (("paired", ("reliably_improved", "reliably_deteriorated", "no_reliable_change")),)
"""Sums of cells within one outcome row."""

Cell = tuple[dict[str, Any], str]


def suppress(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A suppressed copy of a document, ready to be shown or sent."""
    whole = copy.deepcopy(dict(doc))
    _suppress_cells(_cells(whole), _sums(whole))
    _done(whole)
    return whole


def suppress_with_parts(doc: Mapping[str, Any], parts_of: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Suppressed copies of a document and one whose groups add up to it (e.g. its quarters).

    Shown side by side, a cell suppressed in one could be worked out from the
    other, so both are suppressed as one table.
    """
    whole, parts = copy.deepcopy(dict(doc)), copy.deepcopy(dict(parts_of))
    _suppress_cells(_cells(whole) + _cells(parts), _sums(whole) + _sums(parts) + _linked_sums(whole, parts))
    _done(whole)
    _done(parts)
    return whole, parts


def _suppress_cells(cells: list[Cell], sums: list[tuple[Cell, list[Cell]]]) -> None:
    hidden = {_key(cell) for cell in cells if _small(cell[0].get(cell[1]))}
    changed = True
    while changed:
        changed = False
        for total, members in sums:
            extra = _complement(total, members, hidden)
            if extra is not None:
                hidden.add(_key(extra))
                changed = True
    for row, name in cells:
        if _key((row, name)) in hidden:
            row[name] = None


def _done(doc: dict[str, Any]) -> None:
    _blank_dependants(doc)
    doc["suppressed"] = True
    finish(doc)


def _key(cell: Cell) -> tuple[int, str]:
    return id(cell[0]), cell[1]


def _small(value: Any) -> bool:
    return value is not None and 0 < value < MIN_COUNT


def _cells(doc: Mapping[str, Any]) -> list[Cell]:
    cells: list[Cell] = []
    for group in doc["groups"]:
        cells += [(group, name) for name in GROUP_COUNTS]
        for row in group["process"]:
            cells += [(row, name) for name in PROCESS_COUNTS]
        for row in group["outcomes"]:
            cells += [(row, name) for name in OUTCOME_COUNTS if row.get(name) is not None]
        for row in group.get("follow_ups", []):
            cells += [(row, name) for name in FOLLOW_UP_COUNTS]
    return cells


def _sums(doc: Mapping[str, Any]) -> list[tuple[Cell, list[Cell]]]:
    sums = []
    for group in doc["groups"]:
        for row in group["outcomes"]:
            for total, members in PARTITIONS:
                if row.get(total) is not None and all(row.get(m) is not None for m in members):
                    sums.append(((row, total), [(row, m) for m in members]))
    return sums


def _linked_sums(whole: Mapping[str, Any], parts: Mapping[str, Any]) -> list[tuple[Cell, list[Cell]]]:
    """Each cell of a group in `whole` is the sum of the same cell over the groups of `parts` it covers."""
    sums = []
    for group in whole["groups"]:
        members = [g for g in parts["groups"] if g["package"] == group["package"]
                   and group["unit"] in (None, g["unit"])]
        if not members:
            continue
        for name in GROUP_COUNTS:
            sums.append(((group, name), [(g, name) for g in members]))
        for row in group["process"]:
            matching = [r for g in members for r in g["process"] if r["time_limit"] == row["time_limit"]]
            sums += [((row, name), [(r, name) for r in matching]) for name in PROCESS_COUNTS]
        for row in group["outcomes"]:
            key = (row["instrument"], row["scale"], row["respondent_role"])
            matching = [r for g in members for r in g["outcomes"]
                        if (r["instrument"], r["scale"], r["respondent_role"]) == key]
            sums += [((row, name), [(r, name) for r in matching]) for name in OUTCOME_COUNTS
                     if row.get(name) is not None]
        for row in group.get("follow_ups", []):
            key = tuple(row[k] for k in FOLLOW_UP_KEY)
            matching = [r for g in members for r in g.get("follow_ups", [])
                        if tuple(r[k] for k in FOLLOW_UP_KEY) == key]
            sums += [((row, name), [(r, name) for r in matching]) for name in FOLLOW_UP_COUNTS]
    return sums


def _complement(total: Cell, members: Sequence[Cell], hidden: set[tuple[int, str]]) -> Cell | None:
    """A cell to suppress so that no suppressed cell of this sum can be worked out; None when safe."""
    unknown = [m for m in members if _key(m) in hidden]
    total_hidden = _key(total) in hidden
    if (len(unknown) == 1 and not total_hidden) or (total_hidden and not unknown):
        shown = [m for m in members if _key(m) not in hidden and m[0].get(m[1])]
        if shown:
            return min(shown, key=lambda m: m[0][m[1]])
        if not total_hidden and unknown:
            return total
    return None


def _blank_dependants(doc: dict[str, Any]) -> None:
    """Sums and medians from a suppressed count are blank; the days behind a median never leave."""
    for group in doc["groups"]:
        for row in group["process"]:
            if row["due"] is None or row.get("days") is not None and _few_days(row["days"]):
                row["median_days"] = None
            elif row.get("days") is not None:
                row["median_days"] = median_of(row["days"])
            row["days"] = None
        for row in group["outcomes"]:
            if row.get("n") is None:
                for name in SUMS:
                    row[name] = None


def _few_days(days: Sequence[Sequence[int]]) -> bool:
    return sum(n for _, n in days) < MIN_COUNT
