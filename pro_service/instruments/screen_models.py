"""Screens: yes/no findings beside the scales (e.g. PCL-5's DSM-5 criteria), defined as data."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, model_validator

from .base import CountIf, _Frozen
from .fields import Id, NotEmpty, Text, Words


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
