"""When a score is a case, and when a change is real: cut-offs and reliable-change bases of a scale."""
from __future__ import annotations

from fractions import Fraction
from typing import Literal

from pydantic import model_validator

from . import arithmetic
from .arithmetic import Number as PlainNumber
from .base import AgeRange, _Frozen
from .fields import Number, Positive, Proportion, Words


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
