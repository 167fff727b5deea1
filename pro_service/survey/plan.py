"""How an instrument is shown and what it needs before it can be submitted; pure (no Flask, no database)."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pro_service.instruments import arithmetic, skips
from pro_service.instruments.models import Instrument, Item
from pro_service.instruments.scoring import item_points

MAX_ITEMS_PER_PAGE = 10
SECONDS_PER_ITEM = 15  # a plain reading pace for short frequency items, rounded up to whole minutes


def pages_of(instrument: Instrument, answers: Mapping[str, Any] | None = None, *,
             live: bool = False) -> tuple[tuple[Item, ...], ...]:
    """The instrument's items in screen-sized pages of at most ten, as even as possible (20 → 10 + 10).

    With skip rules the pages are rebuilt from the answers so far: a page ends
    after each item that decides a rule, and the items a rule skips are left out,
    so a page never shows a question an answer on it could make unnecessary.
    `live`: the page's script hides and shows skipped items as answers change, so
    the items stay in fixed pages (the skipped ones are sent hidden, see `skipped`).
    """
    if live or not instrument.skip:
        return _even(instrument.items)
    not_asked = skipped(instrument, answers or {})
    ends = {rule.decided_by for rule in instrument.skip}
    pages: list[tuple[Item, ...]] = []
    part: list[Item] = []
    for item in instrument.items:
        if item.number not in not_asked:
            part.append(item)
        if item.number in ends or item is instrument.items[-1]:
            pages += _even(tuple(part)) if part else []
            part = []
    return tuple(pages)


def _even(items: tuple[Item, ...]) -> tuple[tuple[Item, ...], ...]:
    count = math.ceil(len(items) / MAX_ITEMS_PER_PAGE)
    size = math.ceil(len(items) / count)
    return tuple(items[start:start + size] for start in range(0, len(items), size))


def skipped(instrument: Instrument, answers: Mapping[str, Any]) -> dict[int, skips.SkipRule]:
    """The items the answers so far (stored, string keys) make the instrument skip."""
    if not instrument.skip:
        return {}
    return skips.skipped(instrument, item_points(instrument, scored_answers(instrument, answers)))


def live_rules(instrument: Instrument, answers: Mapping[str, Any], on_page: set[int]) -> list[dict[str, Any]]:
    """The skip rules that reach items on a page, as its script reads them (answers as option positions).

    A condition on an item of this page lists the positions that meet it and
    whether the item meets it when skipped itself; one on another page is already
    decided (``met``). Rules come in the order they are evaluated.
    """
    not_asked = skipped(instrument, answers)
    points = item_points(instrument, scored_answers(instrument, answers))
    skip_score = {number: arithmetic.exact(rule.score) for rule in instrument.skip for number in rule.items}
    rules = []
    for rule in sorted(instrument.skip, key=lambda r: r.decided_by):
        if not on_page & set(rule.items):
            continue
        when: list[dict[str, Any]] = []
        for number, value in rule.when.items():
            wanted = arithmetic.exact(value)
            if number not in on_page:
                now = skip_score.get(number) if number in not_asked else points.get(number)
                when.append({"item": number, "met": now == wanted})
                continue
            options = instrument.response_scale(instrument.item(number)).options or ()
            positions = [p for p in range(len(options)) if item_points(instrument, {number: p})[number] == wanted]
            when.append({"item": number, "positions": positions, "if_skipped": skip_score.get(number) == wanted})
        rules.append({"when": when, "items": sorted(on_page & set(rule.items))})
    return rules


def page_of_item(instrument: Instrument, number: int, answers: Mapping[str, Any] | None = None, *,
                 live: bool = False) -> int:
    """The 1-based page that shows item `number`."""
    for index, page in enumerate(pages_of(instrument, answers, live=live), start=1):
        if any(item.number == number for item in page):
            return index
    raise KeyError(number)


def minutes_for(item_count: int) -> int:
    return max(1, math.ceil(item_count * SECONDS_PER_ITEM / 60))


@dataclass(frozen=True)
class Phrase:
    """A text as shown, with the language it is really in, so a page can mark a fallback (WCAG 3.1.2)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


def phrase_in(text: Mapping[str, str], language: str | None) -> Phrase:
    """An instrument or package text in `language`; English, then the first given, only where the file lacks it."""
    for candidate in (language, "en", *text):
        if text.get(candidate):
            return Phrase(text[candidate], candidate)
    raise ValueError("a text in no language")


def is_scored(instrument: Instrument, item: Item) -> bool:
    return instrument.response_scale(item).kind.scored


def scored_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[int, Any]:
    """Stored answers (JSON keys are strings) as `score()` takes them: item number → position."""
    numbers = {item.number for item in instrument.items if is_scored(instrument, item)}
    return {int(key): value for key, value in answers.items() if int(key) in numbers and value is not None}


@dataclass(frozen=True)
class MissingProblem:
    """A scale with more unanswered items than its prorating rule allows."""

    scale_id: str
    unanswered: tuple[int, ...]
    needed: int
    """How many of `unanswered` must still be answered."""


def unanswered(instrument: Instrument, answers: Mapping[str, Any]) -> tuple[int, ...]:
    """The scored items asked and not answered (an item a skip rule leaves out is not asked)."""
    given = scored_answers(instrument, answers)
    not_asked = skipped(instrument, answers)
    return tuple(item.number for item in instrument.items
                 if is_scored(instrument, item) and item.number not in given and item.number not in not_asked)


def open_critical(instrument: Instrument, answers: Mapping[str, Any]) -> tuple[int, ...]:
    """Critical items asked and not answered: a risk nobody has ruled out, so the respondent is asked once more."""
    return tuple(number for number in unanswered(instrument, answers) if instrument.item(number).critical is not None)


def missing_problems(instrument: Instrument, answers: Mapping[str, Any]) -> tuple[MissingProblem, ...]:
    """Per scale, what must be answered before the scale can be scored (empty when it may be submitted)."""
    open_items = set(unanswered(instrument, answers))
    problems = []
    for scale in instrument.scales:
        missing = tuple(number for number in scale.items if number in open_items)
        if len(missing) > scale.missing_allowed:
            problems.append(MissingProblem(scale.id, missing, len(missing) - scale.missing_allowed))
    return tuple(problems)
