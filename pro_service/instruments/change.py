"""Tell real change from noise: reliable change, clinical significance, change category.

Reliable change uses the manual's published threshold where there is one (PHQ-9
6 points) and the Jacobson–Truax index 1.96·SD·√(2(1−r)) otherwise; clinical
significance is crossing the caseness cut-off from case to non-case, by the
cut-off for the patient's sex and age (the one stored caseness was judged by).
A scale whose published figure is a clinically relevant difference (WHO-5's 10
percentage points) gets categories that say so and never claim "reliable"; a
scale with no published basis is "not classified — no published basis". Every
result carries a one-line basis so a clinician (and a GP letter) can say why.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from . import arithmetic
from .arithmetic import Number
from .models import Instrument, Scale
from .thresholds import NOT_CLASSIFIED, Caseness, CasenessRule, ReliableChange

Direction = Literal["better", "worse", "same"]
Category = Literal[
    "recovered", "improved", "unchanged", "deteriorated",
    "relevant_improvement", "no_relevant_change", "relevant_deterioration",
]
Criterion = Literal["reliable_change", "clinically_relevant_difference"]


@dataclass(frozen=True)
class Change:
    instrument: str
    scale: str
    before: Number
    after: Number
    delta: Number
    """after − before, in the scale's points."""
    direction: Direction
    criterion: Criterion | None
    """What the change was measured against; None when it is not classified."""
    reliable: bool | None
    """None unless the criterion is a reliable-change index or threshold."""
    clinically_relevant: bool | None
    """None unless the criterion is a published clinically relevant difference."""
    clinically_significant: bool | None
    """Moved from case to non-case; None when the scale has no cut-off."""
    category: Category | None
    """None when the scale has no published basis: without one, no category is honest.
    relevant_* categories come from a clinically relevant difference and never say "reliable"."""
    basis: str

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def change(instrument: Instrument, scale_id: str, before: Number, after: Number, *,
           sex: str | None = None, age: int | None = None,
           cases: tuple[bool | None, bool | None] | None = None) -> Change:
    """Classify the change between two scores on one scale; raises ``ValueError`` on a bad scale or score.

    ``sex`` and ``age`` (whole years) choose the caseness cut-off the way scoring does, so
    clinical significance agrees with the stored caseness; without them the default applies.
    ``cases``: the caseness stored with the two scores (judged with the patient's sex and
    age when each was scored); the clinic and the letter pass it so that "recovered" means
    what the outcome report counts.
    """
    try:
        scale = instrument.scale(scale_id)
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None
    for name, value in (("before", before), ("after", after)):
        _check_score(instrument, scale, name, value)
    delta = arithmetic.exact(after) - arithmetic.exact(before)
    direction = _direction(scale, delta)
    basis = scale.reliable_change
    kind: Criterion | None = basis.kind if basis and basis.kind != "not_classified" else None  # type: ignore[assignment]
    criterion = _criterion(basis) if basis and kind else None
    met = abs(delta) >= criterion if criterion is not None else None
    cut_off = scale.caseness.rule_for(sex=sex, age=age) if scale.caseness else None
    significant = cut_off.is_case(before) and not cut_off.is_case(after) if cut_off else None
    if cut_off is not None and cases is not None and None not in cases:
        significant = bool(cases[0]) and not cases[1]
    if kind == "clinically_relevant_difference":
        category = _relevant_category(met=met, direction=direction)
    else:
        category = _category(reliable=met, direction=direction, significant=significant)
    return Change(
        instrument=instrument.id,
        scale=scale.id,
        before=before,
        after=after,
        delta=arithmetic.plain(delta),
        direction=direction,
        criterion=kind,
        reliable=met if kind == "reliable_change" else None,
        clinically_relevant=met if kind == "clinically_relevant_difference" else None,
        clinically_significant=significant,
        category=category,
        basis=_basis(scale, criterion, _cut_off_text(cut_off, stored=cases is not None and None not in cases)),
    )


def _cut_off_text(cut_off: Caseness | CasenessRule | None, *, stored: bool) -> str:
    if cut_off is None:
        return "no caseness cut-off"
    if stored:
        return "caseness as scored (the cut-off for the patient's sex and age at each score)"
    return cut_off.describe()


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


def _relevant_category(*, met: bool | None, direction: Direction) -> Category | None:
    """A clinically relevant difference says how much the patient noticed, not that it exceeds measurement error."""
    if met is None:
        return None
    if met and direction == "better":
        return "relevant_improvement"
    if met and direction == "worse":
        return "relevant_deterioration"
    return "no_relevant_change"


def _category(*, reliable: bool | None, direction: Direction, significant: bool | None) -> Category | None:
    if reliable is None:
        return None
    if reliable and direction == "better":
        return "recovered" if significant else "improved"
    if reliable and direction == "worse":
        return "deteriorated"
    return "unchanged"


def _basis(scale: Scale, criterion: Fraction | None, cut_off: str) -> str:
    basis = scale.reliable_change
    if basis is None or criterion is None:
        reliable = NOT_CLASSIFIED if basis is None else f"{NOT_CLASSIFIED} ({basis.source})"
    elif basis.kind == "clinically_relevant_difference":
        reliable = (f"clinically relevant difference ≥ {arithmetic.text(basis.threshold)} points"  # type: ignore[arg-type]
                    f" — not a reliable-change index ({basis.source})")
    elif basis.threshold is not None:
        reliable = f"reliable change ≥ {arithmetic.text(basis.threshold)} points ({basis.source})"
    else:
        reliable = (
            f"reliable change ≥ {float(criterion):.2f} points (Jacobson–Truax RCI: 1.96 × SD {arithmetic.text(basis.sd)}"  # type: ignore[arg-type]
            f" × √(2 × (1 − {arithmetic.text(basis.reliability)})); {basis.source})"  # type: ignore[arg-type]
        )
    return f"{reliable}; {cut_off}"


def reliable_change_criterion(scale: Scale) -> float | None:
    """The smallest reliable change in points, as `change()` applies it.

    None without a reliable-change basis, and for a clinically relevant
    difference (WHO-5): that is not measurement error, so no report calls it reliable.
    """
    basis = scale.reliable_change
    if basis is None or getattr(basis, "kind", "reliable_change") != "reliable_change":
        return None
    return float(_criterion(basis))
