"""Rules that span an instrument file: references, numbering, languages, bands, licence.

Each check yields ``(location, what is wrong)``; the loader adds the file name.
Checks that compute a scale's range run only when the references they rely on
are sound, so one mistake is reported once and in its own words.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from . import arithmetic, skips
from .criteria_rules import caseness_rules, screens
from .models import Instrument, Scale
from .responses import RESPONSE_TYPES

Problem = tuple[str, str]


def check(instrument: Instrument, *, file_id: str) -> list[Problem]:
    """Every problem of a structurally valid instrument; empty when it may be used."""
    if not instrument.licence.electronic_use:
        licence = instrument.licence
        return [(
            "licence.electronic_use",
            f"licence '{licence.name}' ({licence.holder}) does not allow electronic use;"
            " a site with an agreement sets electronic_use: true and names the agreement",
        )]
    problems: list[Problem] = []
    if instrument.id != file_id:
        problems.append(("id", f"'{instrument.id}' does not match the file name '{file_id}.yaml'"))
    problems += _languages(instrument)
    problems += _response_scales(instrument)
    problems += _items(instrument)
    problems += _scale_references(instrument)
    problems += skips.check(instrument)
    if not problems:
        for index, scale in enumerate(instrument.scales):
            problems += _bands(instrument, scale, f"scales[{index}]")
            problems += caseness_rules(instrument, scale, f"scales[{index}]")
        problems += screens(instrument)
    return problems


def _texts(instrument: Instrument) -> Iterator[tuple[str, Mapping[str, str], bool]]:
    """Every text in file order, and whether it is a name or label (True) rather than read while answering."""
    yield "title", instrument.title, True
    if instrument.description is not None:
        yield "description", instrument.description, True
    yield "instructions", instrument.instructions, False
    for name, response in instrument.response_scales.items():
        for index, option in enumerate(response.options or ()):
            yield f"response_scales.{name}.options[{index}].label", option.label, False
    for index, item in enumerate(instrument.items):
        yield f"items[{index}].text", item.text, False
    for index, scale in enumerate(instrument.scales):
        yield f"scales[{index}].name", scale.name, True
        for band_index, band in enumerate(scale.bands):
            yield f"scales[{index}].bands[{band_index}].label", band.label, True


def label_texts(instrument: Instrument) -> Iterator[tuple[str, Mapping[str, str]]]:
    """The names and labels pages list instruments by: title, description, scale names and band labels."""
    return ((location, text) for location, text, is_label in _texts(instrument) if is_label)


def _languages(instrument: Instrument) -> Iterator[Problem]:
    """Item texts only in ``languages`` (they make a language answerable); names and labels in either list."""
    for location, text, is_label in _texts(instrument):
        if "en" not in text and "nb" not in text:
            yield location, "needs a text in en or nb"
        for language in text:
            if language in instrument.languages or (is_label and language in instrument.label_languages):
                continue
            if language in instrument.label_languages:
                yield (f"{location}.{language}", f"language '{language}' is listed under label_languages only;"
                       " an item text makes the instrument answerable, so declare it under languages")
            else:
                yield f"{location}.{language}", f"language '{language}' is not declared under languages"
        if is_label:
            for language in instrument.label_languages:
                if language not in text:
                    yield location, f"missing language '{language}' (listed under label_languages)"


def _response_scales(instrument: Instrument) -> Iterator[Problem]:
    for name, response in instrument.response_scales.items():
        kind = RESPONSE_TYPES.get(response.type)
        if kind is None:
            known = ", ".join(sorted(RESPONSE_TYPES))
            yield f"response_scales.{name}.type", f"unknown response type '{response.type}' (known: {known})"
            continue
        for location, message in kind.problems(response):
            yield f"response_scales.{name}.{location}", message


def _items(instrument: Instrument) -> Iterator[Problem]:
    seen: set[int] = set()
    for index, item in enumerate(instrument.items):
        where = f"items[{index}]"
        if item.number in seen:
            yield f"{where}.number", f"duplicate item number {item.number}"
        elif item.number != index + 1:
            yield f"{where}.number", f"expected {index + 1}: items are numbered 1, 2, 3 … in order"
        seen.add(item.number)
        response = instrument.response_scales.get(item.response)
        if response is None:
            defined = ", ".join(instrument.response_scales)
            yield f"{where}.response", f"unknown response scale '{item.response}' (defined: {defined})"
            continue
        kind = RESPONSE_TYPES.get(response.type)
        if kind is None or list(kind.problems(response)):
            continue
        if not kind.scored:
            for rule in ("reversed", "critical"):
                if getattr(item, rule):
                    yield f"{where}.{rule}", f"not allowed on a {response.type} item, which is never scored"
        elif item.critical is not None:
            low, high = kind.points_range(response)
            if not low <= item.critical.min_points <= high:
                yield (
                    f"{where}.critical.min_points",
                    f"{arithmetic.text(item.critical.min_points)} is outside the item's points"
                    f" ({arithmetic.text(low)}–{arithmetic.text(high)})",
                )


def _scale_references(instrument: Instrument) -> Iterator[Problem]:
    numbers = {item.number: item for item in instrument.items}
    seen: set[str] = set()
    for index, scale in enumerate(instrument.scales):
        where = f"scales[{index}]"
        if scale.id in seen:
            yield f"{where}.id", f"duplicate scale id '{scale.id}'"
        seen.add(scale.id)
        listed: set[int] = set()
        for position, number in enumerate(scale.items):
            item = numbers.get(number)
            if item is None:
                yield f"{where}.items[{position}]", f"unknown item {number}"
            elif number in listed:
                yield f"{where}.items[{position}]", f"item {number} is listed twice"
            else:
                response = instrument.response_scales.get(item.response)
                kind = RESPONSE_TYPES.get(response.type) if response else None
                if kind is not None and not kind.scored:
                    yield f"{where}.items[{position}]", f"item {number} is a {response.type} item and cannot be scored"
            listed.add(number)
        yield from _method(scale, where)
        if scale.missing is not None and scale.missing.max >= len(scale.items):
            yield (
                f"{where}.missing.max",
                f"must be less than the number of items ({len(scale.items)})",
            )


def _method(scale: Scale, where: str) -> Iterator[Problem]:
    if scale.method != "count":
        if scale.count_if is not None:
            yield f"{where}.count_if", "only for method count"
        return
    if scale.count_if is None:
        yield f"{where}.count_if", "required for method count"
        return
    for number in scale.items:
        if number not in scale.count_if:
            yield f"{where}.count_if", f"has no rule for item {number}"
    for number in scale.count_if:
        if number not in scale.items:
            yield f"{where}.count_if[{number}]", f"item {number} is not in the scale"
    if scale.missing is not None:
        yield f"{where}.missing", "a count scale cannot be prorated"


def _bands(instrument: Instrument, scale: Scale, where: str) -> Iterator[Problem]:
    low, high = instrument.scale_range(scale)
    span = f"{arithmetic.text(low)}–{arithmetic.text(high)}"
    if scale.caseness is not None:
        cut_off = scale.caseness.cut_off
        if not low <= cut_off <= high:
            yield f"{where}.caseness", f"cut-off {arithmetic.text(cut_off)} is outside the scale's range {span}"
    if not scale.bands:
        return
    whole = instrument.scale_is_whole(scale)
    for index, band in enumerate(scale.bands[1:], start=1):
        before = scale.bands[index - 1]
        if band.min < before.min:
            yield f"{where}.bands[{index}]", f"is out of order: starts below band '{before.code}'"
        elif band.min <= before.max:
            yield f"{where}.bands[{index}]", f"overlaps band '{before.code}'"
        elif whole and band.min > before.max + 1:
            yield f"{where}.bands[{index}]", f"leaves a gap after band '{before.code}'"
    codes: set[str] = set()
    for index, band in enumerate(scale.bands):
        if band.code in codes:
            yield f"{where}.bands[{index}].code", f"duplicate band code '{band.code}'"
        codes.add(band.code)
    first, last = scale.bands[0], scale.bands[-1]
    if first.min != low:
        yield f"{where}.bands[0].min", f"is {arithmetic.text(first.min)} but the scale's range is {span}"
    if last.max != high:
        yield f"{where}.bands[{len(scale.bands) - 1}].max", f"is {arithmetic.text(last.max)} but the scale's range is {span}"
