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

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from . import arithmetic
from .arithmetic import Number as PlainNumber
from .fields import Id, LanguageCode, NotEmpty, Number, Positive, Proportion, Text, Words
from .responses import RESPONSE_TYPES, ResponseType
from .skips import SkipRule


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


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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


class _Bounds(_Frozen):
    """An inclusive range where either end may be open, but not both."""

    min: Number | None = None
    max: Number | None = None

    @model_validator(mode="after")
    def _ordered(self) -> _Bounds:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {arithmetic.text(self.min)} is greater than max {arithmetic.text(self.max)}")
        return self

    def contains(self, value: PlainNumber | Fraction) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class AgeRange(_Frozen):
    """The patient's age the instrument is meant for; an open end means no limit."""

    min: Annotated[StrictInt, Field(ge=0)] | None = None
    max: Annotated[StrictInt, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


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


class CountIf(_Bounds):
    """Which points of one item count, for ``method: count``."""


class _CutOff(_Frozen):
    """A case is ``score >= min`` or ``score <= max``; exactly one is given."""

    min: Number | None = None
    max: Number | None = None
    source: Words

    @model_validator(mode="after")
    def _one_cut_off(self) -> _CutOff:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of min or max")
        return self

    @property
    def cut_off(self) -> PlainNumber:
        return self.min if self.min is not None else self.max  # type: ignore[return-value]

    def is_case(self, score: PlainNumber | Fraction) -> bool:
        return score >= self.cut_off if self.min is not None else score <= self.cut_off

    @property
    def sign(self) -> str:
        return "≥" if self.min is not None else "≤"


Sex = Literal["female", "male"]


class CasenessRule(_CutOff):
    """A cut-off the manual gives for some patients (by sex, by age in whole years, or both)."""

    sex: Sex | None = None
    age: AgeRange | None = None

    @model_validator(mode="after")
    def _has_condition(self) -> CasenessRule:
        if self.sex is None and self.age is None:
            raise ValueError("give sex, age or both: a rule for everyone is the scale's own min or max")
        if self.age is not None and self.age.min is None and self.age.max is None:
            raise ValueError("age: give min, max or both")
        return self

    def applies(self, *, sex: str | None, age: int | None) -> bool:
        """Whether the rule covers this patient; an unknown sex or age never matches a rule that needs it."""
        if self.sex is not None and sex != self.sex:
            return False
        if self.age is not None:
            if age is None:
                return False
            if (self.age.min is not None and age < self.age.min) or (self.age.max is not None and age > self.age.max):
                return False
        return True

    def who(self) -> str:
        parts = [{"female": "women", "male": "men"}[self.sex]] if self.sex else []
        if self.age is not None:
            if self.age.min is not None and self.age.max is not None:
                parts.append(f"age {self.age.min}–{self.age.max}")
            elif self.age.min is not None:
                parts.append(f"age {self.age.min} or over")
            else:
                parts.append(f"age {self.age.max} or under")
        return ", ".join(parts)

    def describe(self) -> str:
        return f"caseness {self.sign} {arithmetic.text(self.cut_off)} for {self.who()} ({self.source})"


class Caseness(_CutOff):
    """The default cut-off, and optional ones by sex or age (``by``; the first that applies is used)."""

    by: tuple[CasenessRule, ...] = ()

    def rule_for(self, *, sex: str | None = None, age: int | None = None) -> _CutOff:
        """The cut-off for this patient: the first ``by`` rule that applies, else the default."""
        return next((rule for rule in self.by if rule.applies(sex=sex, age=age)), self)

    def describe(self) -> str:
        default = "default, " if self.by else ""
        return f"caseness {self.sign} {arithmetic.text(self.cut_off)} ({default}{self.source})"


NOT_CLASSIFIED = "not classified — no published basis"


class ReliableChange(_Frozen):
    """How change on a scale is judged, and on what published basis.

    ``reliable_change``: a published threshold in points, or reliability and SD for
    Jacobson–Truax. ``clinically_relevant_difference``: a published threshold that is
    a clinically relevant difference, not a measurement-error index (WHO-5's 10
    percentage points), so the change is never called "reliable". ``not_classified``:
    no published basis was found (say where it was looked for in ``source``).
    """

    kind: Literal["reliable_change", "clinically_relevant_difference", "not_classified"] = "reliable_change"
    threshold: Positive | None = None
    reliability: Proportion | None = None
    sd: Positive | None = None
    source: Words

    @model_validator(mode="after")
    def _one_basis(self) -> ReliableChange:
        jacobson_truax = self.reliability is not None and self.sd is not None
        partial = (self.reliability is None) != (self.sd is None)
        if self.kind == "not_classified":
            if self.threshold is not None or self.reliability is not None or self.sd is not None:
                raise ValueError("not_classified takes no threshold, reliability or sd")
        elif self.kind == "clinically_relevant_difference":
            if self.threshold is None or self.reliability is not None or self.sd is not None:
                raise ValueError("clinically_relevant_difference takes a threshold only")
        elif partial or jacobson_truax == (self.threshold is not None):
            raise ValueError("give either threshold, or reliability and sd")
        return self


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


class ScreenCriterion(_Frozen):
    """One criterion of a screen: enough items in a points range, or a scale's score in a range.

    Items: met when at least ``min_count`` of ``items`` score within ``points`` (after
    mirroring). Scale: met when the score of ``scale`` lies within ``score``.
    """

    name: Words | None = None
    items: tuple[StrictInt, ...] | None = None
    points: CountIf | None = None
    min_count: Annotated[StrictInt, Field(ge=1)] | None = None
    scale: Id | None = None
    score: CountIf | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ScreenCriterion:
        by_items = (self.items, self.points, self.min_count)
        by_scale = (self.scale, self.score)
        if all(v is not None for v in by_items) and all(v is None for v in by_scale):
            if not self.items:
                raise ValueError("items: needs at least 1 entry")
            return self
        if all(v is not None for v in by_scale) and all(v is None for v in by_items):
            return self
        raise ValueError("give either items, points and min_count, or scale and score")


class Screen(_Frozen):
    """A yes/no finding beside the scales, e.g. PCL-5's DSM-5 symptom criteria; data, never code."""

    id: Id
    name: Text
    rule: Literal["all", "any"]
    """all: positive when every criterion is met; any: when at least one is."""
    criteria: Annotated[tuple[ScreenCriterion, ...], NotEmpty]
    source: Words


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
