"""The response-type registry: what kinds of answer an item can take.

Instrument YAML names a type (``type: single_choice``); it never names code. Each
type knows how to check its response scale, the range of points it can give and
how to turn one answer into points. Adding a type means adding one class here
and one line to ``RESPONSE_TYPES``; the loader refuses any other name.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar

from . import arithmetic
from .arithmetic import Number

if TYPE_CHECKING:
    from .models import ResponseScale

Problem = tuple[str, str]
"""A location relative to the response scale (``"options[2].points"``) and what is wrong."""


class InvalidAnswers(ValueError):
    """Answers that cannot be scored; raised, never clamped, so bad data is seen at once."""


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class ResponseType:
    """One kind of answer; subclasses are stateless and live in ``RESPONSE_TYPES``."""

    name: ClassVar[str]
    scored: ClassVar[bool] = True
    fields: ClassVar[frozenset[str]] = frozenset()
    """Keys of the response scale this type uses; the others must be left out."""

    def problems(self, scale: ResponseScale) -> Iterator[Problem]:
        for field in ("options", "min", "max"):
            if field not in self.fields and getattr(scale, field) is not None:
                yield field, f"not allowed for type {self.name}"
            if field in self.fields and getattr(scale, field) is None:
                yield field, f"required for type {self.name}"

    def points_range(self, scale: ResponseScale) -> tuple[Number, Number]:
        raise NotImplementedError

    def whole(self, scale: ResponseScale) -> bool:
        """Whether every answer scores a whole number of points."""
        return False

    def points(self, scale: ResponseScale, answer: object) -> Number:
        """Points of one answer; raises ``InvalidAnswers`` (without the item number)."""
        raise NotImplementedError


class SingleChoice(ResponseType):
    """One option of an ordered list; the answer is its 0-based position, lowest first."""

    name = "single_choice"
    fields = frozenset({"options"})

    def problems(self, scale: ResponseScale) -> Iterator[Problem]:
        yield from super().problems(scale)
        options = scale.options or ()
        if scale.options is not None and len(options) < 2:
            yield "options", "needs at least two options"
        for index in range(1, len(options)):
            before, option = options[index - 1].points, options[index].points
            if option < before:
                yield (
                    f"options[{index}].points",
                    f"{arithmetic.text(option)} is lower than the option before it ({arithmetic.text(before)});"
                    " list options lowest first",
                )

    def points_range(self, scale: ResponseScale) -> tuple[Number, Number]:
        points = [option.points for option in scale.options or ()]
        return min(points), max(points)

    def whole(self, scale: ResponseScale) -> bool:
        return all(arithmetic.is_whole(option.points) for option in scale.options or ())

    def points(self, scale: ResponseScale, answer: object) -> Number:
        options = scale.options or ()
        if not isinstance(answer, int) or isinstance(answer, bool):
            raise InvalidAnswers(f"position {answer!r} is not a whole number")
        if not 0 <= answer < len(options):
            raise InvalidAnswers(f"position {answer} is out of range (0–{len(options) - 1})")
        return options[answer].points


class NumberResponse(ResponseType):
    """A number the respondent types, scored as itself within ``min``–``max`` (inclusive)."""

    name = "number"
    fields = frozenset({"min", "max"})

    def problems(self, scale: ResponseScale) -> Iterator[Problem]:
        yield from super().problems(scale)
        if scale.min is not None and scale.max is not None and scale.min >= scale.max:
            yield "max", f"must be greater than min ({arithmetic.text(scale.min)})"

    def points_range(self, scale: ResponseScale) -> tuple[Number, Number]:
        assert scale.min is not None and scale.max is not None
        return scale.min, scale.max

    def points(self, scale: ResponseScale, answer: object) -> Number:
        low, high = self.points_range(scale)
        if not _is_number(answer):
            raise InvalidAnswers(f"{answer!r} is not a number")
        assert isinstance(answer, int | float)
        if not low <= answer <= high:
            raise InvalidAnswers(f"{arithmetic.text(answer)} is outside {arithmetic.text(low)}–{arithmetic.text(high)}")
        return answer


class FreeText(ResponseType):
    """Free text, kept with the response and never scored."""

    name = "text"
    scored = False

    def points(self, scale: ResponseScale, answer: object) -> Number:
        raise InvalidAnswers("is a free-text item; it takes no scored answer")


RESPONSE_TYPES: Mapping[str, ResponseType] = MappingProxyType(
    {kind.name: kind for kind in (SingleChoice(), NumberResponse(), FreeText())}
)
