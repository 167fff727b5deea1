"""Score one response exactly as the instrument's manual says.

Answers are option positions (0 = lowest, whatever points the manual gives) or
numbers; the instrument's data turns them into points, mirrors reversed items,
prorates what may be missing and rounds half up. Invalid answers raise
``InvalidAnswers`` naming the item — nothing is clamped, because a silently
corrected score is worse than no score.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from . import arithmetic, skips
from .arithmetic import Number
from .models import Instrument, Scale
from .screens import ScreenResult, judge_all
from .responses import InvalidAnswers

__all__ = ["CriticalAnswer", "InvalidAnswers", "ScaleScore", "ScoreResult", "score"]


@dataclass(frozen=True)
class Threshold:
    """The caseness cut-off a score was judged by, and why that one (default, or for the patient's sex or age)."""

    value: Number
    basis: str

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "basis": self.basis}


@dataclass(frozen=True)
class ScaleScore:
    score: Number | None
    """None when more items are missing than the scale allows."""
    band: str | None
    caseness: bool | None
    """None when the scale has no cut-off or no score."""
    missing: int
    prorated: bool
    threshold: Threshold | None = field(default=None, compare=False)
    """The cut-off ``caseness`` was judged by; None when the scale has none. Provenance, so left out of ==."""
    skipped: tuple[int, ...] = ()
    """The scale's items a skip rule left out; they score the rule's points and are not missing."""


@dataclass(frozen=True)
class CriticalAnswer:
    """An answer a clinician must see now; ``value`` is its points as the item scores them.

    ``value`` is None when the critical item was left unanswered: a risk nobody
    has ruled out, not merely a gap, so it is reported (and alerted) too.
    """

    item: int
    value: Number | None

    @property
    def answered(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class ScoreResult:
    instrument: str
    version: str
    scales: Mapping[str, ScaleScore]
    critical: tuple[CriticalAnswer, ...]
    screens: Mapping[str, ScreenResult] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, Any]:
        """Plain data in the shape the CLI and API print."""
        return {
            "instrument": self.instrument,
            "version": self.version,
            "scales": {
                scale_id: {
                    "score": scale.score,
                    "band": scale.band,
                    "caseness": scale.caseness,
                    "missing": scale.missing,
                    "skipped": list(scale.skipped),
                    "prorated": scale.prorated,
                    "threshold": scale.threshold.as_dict() if scale.threshold else None,
                }
                for scale_id, scale in self.scales.items()
            },
            "critical": [{"item": answer.item, "value": answer.value} for answer in self.critical],
            "screens": {screen_id: screen.as_dict() for screen_id, screen in self.screens.items()},
        }


def score(instrument: Instrument, answers: Mapping[int, Number | None], *,
          sex: str | None = None, age: int | None = None) -> ScoreResult:
    """Score every scale of one response, and judge its screens.

    :param sex: the patient's administrative sex (female, male, other, unknown) and
    :param age: age in whole years at the assessment; they choose a caseness cut-off
        the file gives by sex or age. Without them the scale's default cut-off applies.

    :param answers: item number → option position (single_choice) or number;
        ``None`` or absent is a missing answer.
    """
    points = item_points(instrument, answers)
    not_asked = skips.skipped(instrument, points)
    for number in sorted(not_asked):
        if number in points:
            raise InvalidAnswers(skips.refusal(instrument, number, not_asked[number]))
    critical = tuple(_critical(instrument, points, not_asked))
    points |= {number: arithmetic.exact(rule.score) for number, rule in not_asked.items()}
    return _judged(instrument, sex=sex, age=age, result=ScoreResult(
        instrument=instrument.id,
        version=instrument.version,
        scales=MappingProxyType({scale.id: _score_scale(scale, points, not_asked) for scale in instrument.scales}),
        critical=critical,
        screens=MappingProxyType(judge_all(instrument, points)),
    ))


def _critical(instrument: Instrument, points: Mapping[int, Fraction],
              not_asked: Mapping[int, object]) -> Iterator[CriticalAnswer]:
    for item in instrument.items:
        if item.critical is None or item.number in not_asked:
            continue
        if item.number not in points:
            yield CriticalAnswer(item.number, None)
        elif points[item.number] >= arithmetic.exact(item.critical.min_points):
            yield CriticalAnswer(item.number, arithmetic.plain(points[item.number]))


def _judged(instrument: Instrument, *, sex: str | None, age: int | None, result: ScoreResult) -> ScoreResult:
    """Caseness by the cut-off for this patient's sex and age (the first ``by`` rule that applies, else the default)."""
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
        raise ValueError(f"age {age!r} is not a whole number of years")
    scales = dict(result.scales)
    for scale in instrument.scales:
        if scale.caseness is None:
            continue
        rule = scale.caseness.rule_for(sex=sex, age=age)
        scored = scales[scale.id]
        scales[scale.id] = replace(
            scored, threshold=Threshold(value=rule.cut_off, basis=rule.describe()),
            caseness=rule.is_case(arithmetic.exact(scored.score)) if scored.score is not None else None,
        )
    return replace(result, scales=MappingProxyType(scales))


def item_points(instrument: Instrument, answers: Mapping[int, Number | None]) -> dict[int, Fraction]:
    """Points per answered item, reversed items already mirrored; raises ``InvalidAnswers``."""
    numbers = {item.number for item in instrument.items}
    for number in answers:
        if isinstance(number, bool) or not isinstance(number, int) or number not in numbers:
            raise InvalidAnswers(
                f"unknown item {number!r}: {instrument.id} has items 1–{len(instrument.items)}"
            )
    points: dict[int, Fraction] = {}
    for item in instrument.items:
        answer = answers.get(item.number)
        if answer is None:
            continue
        response = instrument.response_scale(item)
        try:
            value = arithmetic.exact(response.kind.points(response, answer))
        except InvalidAnswers as exc:
            raise InvalidAnswers(f"item {item.number}: {exc}") from None
        if item.reversed:
            low, high = response.kind.points_range(response)
            value = arithmetic.exact(low) + arithmetic.exact(high) - value
        points[item.number] = value
    return points


def _score_scale(scale: Scale, points: Mapping[int, Fraction], not_asked: Mapping[int, object]) -> ScaleScore:
    answered = [points[number] for number in scale.items if number in points]
    missing = len(scale.items) - len(answered)
    skipped = tuple(number for number in scale.items if number in not_asked)
    if missing > scale.missing_allowed:
        return ScaleScore(score=None, band=None, caseness=None, missing=missing, prorated=False, skipped=skipped)
    if scale.method == "count":
        assert scale.count_if is not None
        raw = Fraction(sum(1 for n in scale.items if n in points and scale.count_if[n].contains(points[n])))
    else:
        mean = sum(answered, Fraction(0)) / len(answered)
        # Prorating: each missing item takes the mean of the answered ones.
        raw = mean if scale.method == "mean" else sum(answered, Fraction(0)) + missing * mean
    value = scale.finish(raw)
    band = scale.band_for(value)
    return ScaleScore(
        score=arithmetic.plain(value),
        band=band.code if band else None,
        caseness=scale.caseness.is_case(value) if scale.caseness else None,
        missing=missing,
        prorated=missing > 0,
        skipped=skipped,
    )
