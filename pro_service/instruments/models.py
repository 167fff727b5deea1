"""The YAML format of ``surveys/instruments`` as frozen models.

The models check each value (types, required and unknown keys, rules within one
mapping); ``rules.py`` checks what spans the file (references, bands, licence).
Methods here answer the questions scoring and change both ask (ranges, bands),
so the two can never disagree.
"""
from __future__ import annotations

import re
from fractions import Fraction
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictInt

from . import arithmetic
from .arithmetic import Number as PlainNumber
from .base import AgeRange, CountIf, _Bounds, _Frozen
from .fields import Id, LanguageCode, NotEmpty, Number, Text, Words
from .responses import RESPONSE_TYPES, ResponseType
from .screen_models import Screen
from .skips import SkipRule
from .thresholds import Caseness, ReliableChange


def _check_loinc(value: str) -> str:
    """Digits, a hyphen and LOINC's mod-10 check digit (e.g. 44261-6), so a mistyped code is refused at load."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,7}-[0-9]", value):
        raise ValueError(f"{value!r} is not a LOINC code (digits, a hyphen and a check digit, e.g. 44261-6)")
    number, check = value.split("-")
    total = 0
    for position, digit in enumerate(reversed(number)):
        doubled = int(digit) * (2 if position % 2 == 0 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    if (10 - total % 10) % 10 != int(check):
        raise ValueError(f"{value!r} is not a LOINC code: its check digit is wrong")
    return value


_loinc_code = AfterValidator(_check_loinc)


class Source(_Frozen):
    citation: Words
    url: Words | None = None


class Loinc(_Frozen):
    """A LOINC code for the instrument (its panel) or a scale (its score), and where LOINC publishes it.

    ``source`` names the page of LOINC's own published text the code was checked against, so a
    code is never carried on memory or a third party's word; the FHIR export sends it as is.
    """

    code: Annotated[str, _loinc_code]
    display: Words
    source: Words


class Licence(_Frozen):
    name: Words
    holder: Words
    url: Words | None = None
    electronic_use: StrictBool


class Language(_Frozen):
    """A translation's standing: published or approved by the holder (official), or written here (provisional)."""

    status: Literal["official", "provisional"]
    source: Words


class Option(_Frozen):
    points: Number
    label: Text


class ResponseScale(_Frozen):
    """A named set of answers items share; which keys apply depends on ``type``."""

    type: Words
    options: tuple[Option, ...] | None = None
    min: Number | None = None
    max: Number | None = None

    @property
    def kind(self) -> ResponseType:
        return RESPONSE_TYPES[self.type]


class Critical(_Frozen):
    min_points: Number


class Item(_Frozen):
    """One question; answers are given per ``number``."""

    number: StrictInt
    text: Text
    response: Words
    reversed: StrictBool = False
    critical: Critical | None = None
    loinc: Loinc | None = None
    """The item's LOINC question code, where LOINC has one (the FHIR Questionnaire's item code)."""


class Missing(_Frozen):
    max: Annotated[StrictInt, Field(ge=0)]
    fill: Literal["mean"]
    source: Words


class Transform(_Frozen):
    multiply: Number = 1
    add: Number = 0


class Band(_Bounds):
    code: Id
    min: Number
    max: Number
    label: Text


class Scale(_Frozen):
    """A total or subscale: which items, how they combine, and what the score means."""

    id: Id
    name: Text
    items: Annotated[tuple[StrictInt, ...], NotEmpty]
    method: Literal["sum", "mean", "count"]
    count_if: Annotated[dict[int, CountIf], AfterValidator(MappingProxyType)] | None = None
    missing: Missing | None = None
    round: Literal["nearest", "none"] = "none"
    transform: Transform = Transform()
    direction: Literal["higher_is_worse", "higher_is_better"]
    bands: tuple[Band, ...] = ()
    caseness: Caseness | None = None
    reliable_change: ReliableChange | None = None
    """None or ``kind: not_classified``: change is not classified (no published basis)."""
    loinc: Loinc | None = None
    """The LOINC code of this score, where LOINC has one (checked against LOINC's published text)."""

    @property
    def missing_allowed(self) -> int:
        return self.missing.max if self.missing else 0

    def finish(self, raw: Fraction) -> Fraction:
        """Round (half up) and transform a raw sum, mean or count into the scale's score."""
        if self.round == "nearest":
            raw = arithmetic.round_half_up(raw)
        return raw * arithmetic.exact(self.transform.multiply) + arithmetic.exact(self.transform.add)

    def band_for(self, score: PlainNumber | Fraction) -> Band | None:
        """The band with the largest min at or below the score (fractional scores fall in the lower band)."""
        below = [band for band in self.bands if band.min <= score]
        return below[-1] if below else None


class Instrument(_Frozen):
    """One questionnaire as its manual defines it; loaded once and never changed."""

    id: Id
    version: Words
    title: Text
    description: Text | None = None
    """One plain-language line saying what the questionnaire measures; written for pro-service."""
    instructions: Text
    source: Source
    licence: Licence
    respondents: Annotated[tuple[Literal["self", "parent", "other_relative", "teacher"], ...], NotEmpty]
    age: AgeRange = AgeRange()
    languages: Annotated[dict[LanguageCode, Language], NotEmpty, AfterValidator(MappingProxyType)]
    """The languages of the item texts: the only ones the instrument can be answered in."""
    label_languages: Annotated[dict[LanguageCode, Language], AfterValidator(MappingProxyType)] = Field(
        default_factory=lambda: MappingProxyType({}))
    """Title, description, scale names and band labels beyond (or with another status than) ``languages``."""
    response_scales: Annotated[dict[Id, ResponseScale], NotEmpty, AfterValidator(MappingProxyType)]
    items: Annotated[tuple[Item, ...], NotEmpty]
    scales: Annotated[tuple[Scale, ...], NotEmpty]
    screens: tuple[Screen, ...] = ()
    skip: tuple[SkipRule, ...] = ()
    """Items not asked once an earlier answer has a given value (``skips.py``)."""
    loinc: Loinc | None = None
    """The LOINC panel code of the whole questionnaire, where LOINC has one."""
    outcome_measure: StrictBool = True
    """False for questions that are not a measure (e.g. the patient's readiness to end): shown as answers, never
    counted as an outcome in the report."""

    def label_language(self, code: str) -> Language | None:
        """The status of the names and labels in a language: their own entry, else the item texts'."""
        return self.label_languages.get(code) or self.languages.get(code)

    @property
    def default_scale(self) -> Scale:
        return self.scales[0]

    def item(self, number: int) -> Item:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(f"{self.id} has no item {number}")

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        known = ", ".join(scale.id for scale in self.scales)
        raise KeyError(f"{self.id} has no scale {scale_id!r} (scales: {known})")

    def response_scale(self, item: Item) -> ResponseScale:
        return self.response_scales[item.response]

    def points_range(self, item: Item) -> tuple[PlainNumber, PlainNumber]:
        response = self.response_scale(item)
        return response.kind.points_range(response)

    def scale_range(self, scale: Scale) -> tuple[PlainNumber, PlainNumber]:
        """The lowest and highest score the scale can give, from its items' points, method and transform."""
        ranges = [tuple(map(arithmetic.exact, self.points_range(self.item(n)))) for n in scale.items]
        if scale.method == "count":
            low, high = Fraction(0), Fraction(len(ranges))
        else:
            low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
            if scale.method == "mean":
                low, high = low / len(ranges), high / len(ranges)
        ends = sorted((scale.finish(Fraction(low)), scale.finish(Fraction(high))))
        return arithmetic.plain(ends[0]), arithmetic.plain(ends[1])

    def scale_is_whole(self, scale: Scale) -> bool:
        """Whether every possible score is a whole number, so bands must meet at n and n + 1."""
        responses = [self.response_scale(self.item(n)) for n in scale.items]
        whole_points = all(response.kind.whole(response) for response in responses)
        raw_whole = (
            scale.round == "nearest"
            or scale.method == "count"
            or (scale.method == "sum" and whole_points and scale.missing is None)
        )
        return raw_whole and arithmetic.is_whole(scale.transform.multiply) and arithmetic.is_whole(scale.transform.add)
