"""The value types of the instrument format, each with the message a file's author will read."""
from __future__ import annotations

import math
import re
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import AfterValidator, PlainValidator, StringConstraints

from .arithmetic import Number as PlainNumber


def _number(value: object) -> PlainNumber:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("must be a number")
    return value


def _positive(value: PlainNumber) -> PlainNumber:
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _proportion(value: PlainNumber) -> PlainNumber:
    if not 0 < value < 1:
        raise ValueError("must be between 0 and 1 (exclusive)")
    return value


def _not_empty(value: Any) -> Any:
    # Not Field(min_length=1): pydantic counts only the entries that validated, so one bad
    # entry in a list of one would be reported twice.
    if not value:
        raise ValueError("needs at least 1 entry")
    return value


NotEmpty = AfterValidator(_not_empty)


def _pattern(regex: str, explanation: str) -> PlainValidator:
    compiled = re.compile(regex)

    def check(value: object) -> str:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f"{value!r} {explanation}")
        return value

    return PlainValidator(check)


Number = Annotated[PlainNumber, PlainValidator(_number)]
Positive = Annotated[Number, AfterValidator(_positive)]
Proportion = Annotated[Number, AfterValidator(_proportion)]
Id = Annotated[str, _pattern(r"[a-z][a-z0-9_]*", "must be lower case letters, digits and _, starting with a letter")]
LanguageCode = Annotated[str, _pattern(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", "is not a BCP 47 language code (en, nb, …)")]
Words = Annotated[str, StringConstraints(strict=True, min_length=1)]
Text = Annotated[dict[LanguageCode, Words], AfterValidator(MappingProxyType)]
"""A text per language; read-only once loaded."""
