"""How an instrument is shown and what it needs before it can be submitted; pure (no Flask, no database)."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pro_service.instruments.models import Instrument, Item

MAX_ITEMS_PER_PAGE = 10
SECONDS_PER_ITEM = 15  # a plain reading pace for short frequency items, rounded up to whole minutes


def pages_of(instrument: Instrument) -> tuple[tuple[Item, ...], ...]:
    """The instrument's items in screen-sized pages of at most ten, as even as possible (20 → 10 + 10)."""
    items = instrument.items
    count = math.ceil(len(items) / MAX_ITEMS_PER_PAGE)
    size = math.ceil(len(items) / count)
    return tuple(items[start:start + size] for start in range(0, len(items), size))


def page_of_item(instrument: Instrument, number: int) -> int:
    """The 1-based page that shows item `number`."""
    for index, page in enumerate(pages_of(instrument), start=1):
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
    given = scored_answers(instrument, answers)
    return tuple(item.number for item in instrument.items
                 if is_scored(instrument, item) and item.number not in given)


def missing_problems(instrument: Instrument, answers: Mapping[str, Any]) -> tuple[MissingProblem, ...]:
    """Per scale, what must be answered before the scale can be scored (empty when it may be submitted)."""
    open_items = set(unanswered(instrument, answers))
    problems = []
    for scale in instrument.scales:
        missing = tuple(number for number in scale.items if number in open_items)
        if len(missing) > scale.missing_allowed:
            problems.append(MissingProblem(scale.id, missing, len(missing) - scale.missing_allowed))
    return tuple(problems)
