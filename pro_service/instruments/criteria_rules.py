"""Rules for the parts of a file that judge a score: caseness cut-offs by sex or age, and screens.

Each check yields ``(location, what is wrong)`` like ``rules.py``, which calls these
once the items and scales they refer to are known to be sound.
"""
from __future__ import annotations

from collections.abc import Iterator

from . import arithmetic
from .models import Instrument, Scale

Problem = tuple[str, str]


def caseness_rules(instrument: Instrument, scale: Scale, where: str) -> Iterator[Problem]:
    """Each ``by`` rule cuts the same way as the default (min or max) and lies within the scale's range."""
    if scale.caseness is None:
        return
    low, high = instrument.scale_range(scale)
    span = f"{arithmetic.text(low)}–{arithmetic.text(high)}"
    default_uses_min = scale.caseness.min is not None
    for index, rule in enumerate(scale.caseness.by):
        here = f"{where}.caseness.by[{index}]"
        if (rule.min is not None) != default_uses_min:
            key = "min" if default_uses_min else "max"
            yield here, f"must give {key}, as the default cut-off does (a case is always on the same side)"
        elif not low <= rule.cut_off <= high:
            yield here, f"cut-off {arithmetic.text(rule.cut_off)} is outside the scale's range {span}"
        for earlier in scale.caseness.by[:index]:
            if earlier.sex == rule.sex and earlier.age == rule.age:
                yield here, "repeats the condition of an earlier rule, so it could never apply"
                break


def screens(instrument: Instrument) -> Iterator[Problem]:
    """Screen ids are unique; criteria name existing scored items and scales; counts can be reached."""
    numbers = {item.number for item in instrument.items}
    scale_ids = {scale.id for scale in instrument.scales}
    declared = set(instrument.languages) | set(getattr(instrument, "label_languages", {}) or {})
    seen: set[str] = set()
    for index, screen in enumerate(instrument.screens):
        where = f"screens[{index}]"
        if screen.id in seen:
            yield f"{where}.id", f"duplicate screen id '{screen.id}'"
        seen.add(screen.id)
        if "en" not in screen.name and "nb" not in screen.name:
            yield f"{where}.name", "needs a text in en or nb"
        for language in screen.name:
            if language not in declared:
                yield f"{where}.name.{language}", f"language '{language}' is not declared under languages"
        for position, criterion in enumerate(screen.criteria):
            here = f"{where}.criteria[{position}]"
            if criterion.scale is not None:
                if criterion.scale not in scale_ids:
                    yield f"{here}.scale", f"unknown scale '{criterion.scale}' (scales: {', '.join(sorted(scale_ids))})"
                continue
            items = criterion.items or ()
            for item_index, number in enumerate(items):
                if number not in numbers:
                    yield f"{here}.items[{item_index}]", f"unknown item {number}"
                elif number in items[:item_index]:
                    yield f"{here}.items[{item_index}]", f"item {number} is listed twice"
            if criterion.min_count is not None and criterion.min_count > len(items):
                yield f"{here}.min_count", f"{criterion.min_count} is more than the {len(items)} items listed"
