"""The building blocks every part of the instrument format uses: frozen models and ranges."""
from __future__ import annotations

from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from . import arithmetic
from .arithmetic import Number as PlainNumber
from .fields import Number


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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


class CountIf(_Bounds):
    """Which points of one item count, for ``method: count``."""
