"""Screens: yes/no findings beside the scales, judged from data in the instrument file.

A screen is criteria combined by ``all`` or ``any``; a criterion counts items in a
points range (PCL-5's DSM-5 clusters) or puts a scale's score in a range (WHO-5's
raw total ≤ 12). Logic is three-valued: a criterion a missing answer could still
decide either way is unknown, and so is a screen whose result such a criterion
could change — a screen is never called negative on answers that were not given.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import arithmetic
from .models import Instrument
from .screen_models import Screen, ScreenCriterion


@dataclass(frozen=True)
class ScreenResult:
    positive: bool | None
    """None when a missing answer could change the result."""
    basis: str

    def as_dict(self) -> dict[str, Any]:
        return {"positive": self.positive, "basis": self.basis}


def judge(instrument: Instrument, screen: Screen, points: Mapping[int, Fraction]) -> ScreenResult:
    """Judge one screen from item points (mirrored; skipped items already given their rule's points)."""
    results = [_criterion(instrument, criterion, points) for criterion in screen.criteria]
    if screen.rule == "all":
        positive = False if False in results else (True if all(r is True for r in results) else None)
    else:
        positive = True if True in results else (False if all(r is False for r in results) else None)
    basis = f"{_describe(screen)} ({screen.source})"
    if positive is None:
        missing = sorted({n for c in screen.criteria for n in _items_of(instrument, c) if n not in points})
        basis += f"; undecided: item{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))} not answered"
    return ScreenResult(positive=positive, basis=basis)


def judge_all(instrument: Instrument, points: Mapping[int, Fraction]) -> dict[str, ScreenResult]:
    return {screen.id: judge(instrument, screen, points) for screen in instrument.screens}


def _items_of(instrument: Instrument, criterion: ScreenCriterion) -> tuple[int, ...]:
    if criterion.items is not None:
        return criterion.items
    return instrument.scale(criterion.scale).items  # type: ignore[arg-type]


def _criterion(instrument: Instrument, criterion: ScreenCriterion, points: Mapping[int, Fraction]) -> bool | None:
    if criterion.items is not None:
        assert criterion.points is not None and criterion.min_count is not None
        met = sum(1 for n in criterion.items if n in points and criterion.points.contains(points[n]))
        unknown = sum(1 for n in criterion.items if n not in points)
        if met >= criterion.min_count:
            return True
        return None if met + unknown >= criterion.min_count else False
    assert criterion.scale is not None and criterion.score is not None
    low, high = _score_bounds(instrument, criterion.scale, points)
    if criterion.score.contains(low) and criterion.score.contains(high):
        return True  # a range holds every score between its ends
    inside_possible = not ((criterion.score.max is not None and low > criterion.score.max)
                           or (criterion.score.min is not None and high < criterion.score.min))
    return None if inside_possible else False


def _score_bounds(instrument: Instrument, scale_id: str, points: Mapping[int, Fraction]) -> tuple[Fraction, Fraction]:
    """The lowest and highest score the scale could have once its missing items are answered."""
    scale = instrument.scale(scale_id)
    answered = [points[n] for n in scale.items if n in points]
    missing = [n for n in scale.items if n not in points]
    if scale.method == "count":
        assert scale.count_if is not None
        counted = sum(1 for n in scale.items if n in points and scale.count_if[n].contains(points[n]))
        low, high = Fraction(counted), Fraction(counted + len(missing))
    else:
        ranges = [tuple(map(arithmetic.exact, instrument.points_range(instrument.item(n)))) for n in missing]
        low = sum(answered, Fraction(0)) + sum((r[0] for r in ranges), Fraction(0))
        high = sum(answered, Fraction(0)) + sum((r[1] for r in ranges), Fraction(0))
        if scale.method == "mean":
            low, high = low / len(scale.items), high / len(scale.items)
    ends = sorted((scale.finish(low), scale.finish(high)))
    return ends[0], ends[1]


def _describe(screen: Screen) -> str:
    joiner = " and " if screen.rule == "all" else " or "
    return joiner.join(_describe_criterion(c) for c in screen.criteria)


def _describe_criterion(criterion: ScreenCriterion) -> str:
    name = f"{criterion.name}: " if criterion.name else ""
    if criterion.items is not None:
        assert criterion.points is not None
        items = _item_list(criterion.items)
        return f"{name}≥ {criterion.min_count} of items {items} scoring {_range(criterion.points.min, criterion.points.max)}"
    assert criterion.score is not None
    return f"{name}{criterion.scale} {_range(criterion.score.min, criterion.score.max)}"


def _range(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"{arithmetic.text(low)}–{arithmetic.text(high)}"
    return f"≥ {arithmetic.text(low)}" if low is not None else f"≤ {arithmetic.text(high)}"


def _item_list(numbers: tuple[int, ...]) -> str:
    ordered = sorted(numbers)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(map(str, numbers))
