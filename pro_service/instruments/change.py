"""Tell real change from noise: reliable change, clinical significance, change category.

Reliable change uses the manual's published threshold where there is one (PHQ-9
6 points) and the Jacobson–Truax index 1.96·SD·√(2(1−r)) otherwise; clinical
significance is crossing the caseness cut-off from case to non-case. Every
result carries a one-line basis so a clinician (and a GP letter) can say why.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from . import arithmetic
from .arithmetic import Number
from .models import Instrument, ReliableChange, Scale

Direction = Literal["better", "worse", "same"]
Category = Literal["recovered", "improved", "unchanged", "deteriorated"]


@dataclass(frozen=True)
class Change:
    instrument: str
    scale: str
    before: Number
    after: Number
    delta: Number
    """after − before, in the scale's points."""
    direction: Direction
    reliable: bool | None
    """None when the scale has no reliable-change basis."""
    clinically_significant: bool | None
    """Moved from case to non-case; None when the scale has no cut-off."""
    category: Category | None
    """None when the scale has no reliable-change basis: without one, no category is honest."""
    basis: str

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def change(instrument: Instrument, scale_id: str, before: Number, after: Number) -> Change:
    """Classify the change between two scores on one scale; raises ``ValueError`` on a bad scale or score."""
    try:
        scale = instrument.scale(scale_id)
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None
    for name, value in (("before", before), ("after", after)):
        _check_score(instrument, scale, name, value)
    delta = arithmetic.exact(after) - arithmetic.exact(before)
    direction = _direction(scale, delta)
    criterion = _criterion(scale.reliable_change) if scale.reliable_change else None
    reliable = abs(delta) >= criterion if criterion is not None else None
    caseness = scale.caseness
    significant = caseness.is_case(before) and not caseness.is_case(after) if caseness else None
    return Change(
        instrument=instrument.id,
        scale=scale.id,
        before=before,
        after=after,
        delta=arithmetic.plain(delta),
        direction=direction,
        reliable=reliable,
        clinically_significant=significant,
        category=_category(reliable=reliable, direction=direction, significant=significant),
        basis=_basis(scale, criterion),
    )


def _check_score(instrument: Instrument, scale: Scale, name: str, value: object) -> None:
    label = f"{instrument.id} {scale.id}"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} score {value!r} is not a number")
    low, high = instrument.scale_range(scale)
    if not low <= value <= high:
        raise ValueError(
            f"{name} score {arithmetic.text(value)} is outside the {label} range"
            f" {arithmetic.text(low)}–{arithmetic.text(high)}"
        )
    if instrument.scale_is_whole(scale) and not arithmetic.is_whole(value):
        raise ValueError(f"{name} score {arithmetic.text(value)} is not a whole number, as every {label} score is")


def _direction(scale: Scale, delta: Fraction) -> Direction:
    if delta == 0:
        return "same"
    higher = delta > 0
    return "better" if higher == (scale.direction == "higher_is_better") else "worse"


def _criterion(basis: ReliableChange) -> Fraction:
    """The smallest reliable change in points."""
    if basis.threshold is not None:
        return arithmetic.exact(basis.threshold)
    assert basis.sd is not None and basis.reliability is not None
    return Fraction(1.96 * basis.sd * math.sqrt(2 * (1 - basis.reliability)))


def _category(*, reliable: bool | None, direction: Direction, significant: bool | None) -> Category | None:
    if reliable is None:
        return None
    if reliable and direction == "better":
        return "recovered" if significant else "improved"
    if reliable and direction == "worse":
        return "deteriorated"
    return "unchanged"


def _basis(scale: Scale, criterion: Fraction | None) -> str:
    basis = scale.reliable_change
    if basis is None or criterion is None:
        reliable = "no reliable-change basis"
    elif basis.threshold is not None:
        reliable = f"reliable change ≥ {arithmetic.text(basis.threshold)} points ({basis.source})"
    else:
        reliable = (
            f"reliable change ≥ {float(criterion):.2f} points (Jacobson–Truax RCI: 1.96 × SD {arithmetic.text(basis.sd)}"  # type: ignore[arg-type]
            f" × √(2 × (1 − {arithmetic.text(basis.reliability)})); {basis.source})"  # type: ignore[arg-type]
        )
    cut_off = scale.caseness.describe() if scale.caseness else "no caseness cut-off"
    return f"{reliable}; {cut_off}"


def reliable_change_criterion(scale: Scale) -> float | None:
    """The smallest reliable change in points, as `change()` applies it; None without a basis."""
    return float(_criterion(scale.reliable_change)) if scale.reliable_change else None
