"""Exact arithmetic for scores: fractions inside, plain numbers outside.

Scores are computed as ``Fraction`` so prorating and means never pick up binary
rounding noise, and are rounded half up with ``Decimal`` because Python's
``round`` rounds half to even (a prorated 12.5 must be 13, as the manuals say).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | float


def exact(value: Number | Fraction) -> Fraction:
    """The value as written: 0.1 is one tenth, not the nearest binary float."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def round_half_up(value: Fraction) -> Fraction:
    quotient = Decimal(value.numerator) / Decimal(value.denominator)
    return Fraction(quotient.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def plain(value: Fraction) -> Number:
    """An int when whole (so JSON says 12, not 12.0), else the nearest float."""
    return int(value) if value.denominator == 1 else float(value)


def is_whole(value: Number | Fraction) -> bool:
    return exact(value).denominator == 1


def text(value: Number | Fraction) -> str:
    """A number as a person writes it: 6, 5.5, 2.54."""
    number = plain(exact(value))
    return str(number) if isinstance(number, int) else f"{number:.10g}"
