"""Skip rules: items an instrument does not ask once an earlier answer has a given value.

A rule (``skip:`` in the file) says: when each listed earlier item scores these
points, the listed later items are not asked and score ``score`` (AUDIT: item 1
"Never" → items 2–8 score 0). A skipped item is neither shown nor missing. The
rules are evaluated in the order of the items that decide them, so a rule may
read an item another rule skipped (it then counts as the points it was given).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictInt

from . import arithmetic
from .fields import NotEmpty, Number, Words
from .responses import RESPONSE_TYPES, InvalidAnswers

if TYPE_CHECKING:
    from .models import Instrument


class SkipRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    when: Annotated[dict[StrictInt, Number], NotEmpty, AfterValidator(MappingProxyType)]
    """Item number → the points (after mirroring) its answer must score; every one must hold."""
    items: Annotated[tuple[StrictInt, ...], NotEmpty]
    """The later items that are then not asked."""
    score: Number
    """The points each skipped item then scores."""
    source: Words

    @property
    def decided_by(self) -> int:
        """The last item the rule reads: once it is answered, the rule is decided."""
        return max(self.when)


def _ordered(instrument: Instrument) -> list[SkipRule]:
    return sorted(instrument.skip, key=lambda rule: rule.decided_by)


def skipped(instrument: Instrument, points: Mapping[int, Fraction]) -> dict[int, SkipRule]:
    """The items not asked, each with the rule that skips it, given the points of the answers so far.

    An answer to a skipped item is not read: the item counts as the rule's score.
    Nothing is skipped while an item that decides a rule is unanswered.
    """
    found: dict[int, SkipRule] = {}
    for rule in _ordered(instrument):
        if all(_effective(number, points, found) == arithmetic.exact(value) for number, value in rule.when.items()):
            for number in rule.items:
                found.setdefault(number, rule)
    return found


def _effective(number: int, points: Mapping[int, Fraction], found: Mapping[int, SkipRule]) -> Fraction | None:
    if number in found:
        return arithmetic.exact(found[number].score)
    return points.get(number)


def asked_and_set_aside(instrument: Instrument, answers: Mapping[int, Any]) -> tuple[dict[int, Any], dict[int, Any]]:
    """Answers to the items that are asked, and answers to items an (often later-changed) answer now skips.

    The second part is kept by the caller, never scored: a respondent who answers
    items 2–8 and then changes item 1 to "Never" gets them back if they change it back.
    """
    from .scoring import item_points  # scoring imports this module

    if not instrument.skip:
        return dict(answers), {}
    not_asked = skipped(instrument, item_points(instrument, answers))
    asked = {number: value for number, value in answers.items() if number not in not_asked}
    aside = {number: value for number, value in answers.items() if number in not_asked}
    return asked, aside


def refusal(instrument: Instrument, number: int, rule: SkipRule) -> str:
    """Why an answer to item `number` is refused, in the file's words (for the CLI and API)."""
    conditions = " and ".join(f"item {n} is {_answer_name(instrument, n, v)}" for n, v in rule.when.items())
    return f"item {number} is not asked when {conditions}; give '-' for it"


def _answer_name(instrument: Instrument, number: int, value: Number) -> str:
    item = instrument.item(number)
    options = instrument.response_scale(item).options or ()
    names = [option.label.get("en") or next(iter(option.label.values())) for option in options
             if option.points == value]
    if not names or item.reversed:  # a reversed item's labels name points before mirroring
        return f"{arithmetic.text(value)} points"
    return " or ".join(f"'{name}'" for name in names)


def check(instrument: Instrument) -> Iterator[tuple[str, str]]:
    """The problems of the file's skip rules; the loader adds the file name."""
    items = {item.number: item for item in instrument.items}
    scores: dict[int, tuple[int, Number]] = {}
    for index, rule in enumerate(instrument.skip):
        where = f"skip[{index}]"
        for number, value in rule.when.items():
            if number not in items:
                yield f"{where}.when.{number}", f"unknown item {number}"
                continue
            yield from _value(instrument, number, value, f"{where}.when.{number}")
        for position, number in enumerate(rule.items):
            if number not in items:
                yield f"{where}.items[{position}]", f"unknown item {number}"
                continue
            if number <= rule.decided_by:
                yield (f"{where}.items[{position}]",
                       f"item {number} is not after item {rule.decided_by}, which decides the rule;"
                       " a rule skips only later items")
                continue
            yield from _value(instrument, number, rule.score, f"{where}.score", item_text=f"item {number}")
            earlier = scores.setdefault(number, (index, rule.score))
            if earlier[1] != rule.score:
                yield (f"{where}.score", f"item {number} is skipped by skip[{earlier[0]}] with score"
                                         f" {arithmetic.text(earlier[1])}; a skipped item has one score")


def _value(instrument: Instrument, number: int, value: Number, where: str, *,
           item_text: str | None = None) -> Iterator[tuple[str, str]]:
    item = instrument.item(number)
    response = instrument.response_scales.get(item.response)
    kind = RESPONSE_TYPES.get(response.type) if response else None
    if response is None or kind is None or list(kind.problems(response)):
        return  # reported where the response scale is checked
    if not kind.scored:
        yield where, f"item {number} is a {response.type} item, which is never scored"
        return
    low, high = kind.points_range(response)
    if response.options:
        possible = sorted({arithmetic.exact(low) + arithmetic.exact(high) - arithmetic.exact(o.points)
                           if item.reversed else arithmetic.exact(o.points) for o in response.options})
        if arithmetic.exact(value) not in possible:
            allowed = ", ".join(arithmetic.text(p) for p in possible)
            yield where, (f"{arithmetic.text(value)} is not a value {item_text or f'item {number}'} can score"
                          f" (its options score {allowed})")
    elif not low <= value <= high:
        yield where, (f"{arithmetic.text(value)} is outside the points of {item_text or f'item {number}'}"
                      f" ({arithmetic.text(low)}–{arithmetic.text(high)})")

