"""The Observation search's parameters (pure): which scores a `code` token names, and paging.

FHIR servers may ignore unknown parameters; this one refuses them (and any
control character), because a client that sends `date=` and silently gets
every score has been misled.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pro_service.instruments import Instrument

from .context import LOINC, FhirContext, scale_code

DEFAULT_COUNT = 50
MAX_COUNT = 200
PARAMETERS = ("patient", "code", "_count", "_offset")
MAX_OFFSET = 2**31 - 1
"""The furthest a page can start: a 32-bit integer, as every database takes in OFFSET."""


class SearchError(ValueError):
    """A parameter the search cannot use; `parameter` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


@dataclass(frozen=True)
class ObservationSearch:
    patient_id: str
    codes: tuple[str, ...] | None
    count: int
    offset: int

    def query(self, *, offset: int) -> list[tuple[str, str]]:
        """The parameters of this search at another offset, for the self and next links."""
        params = [("patient", self.patient_id)]
        if self.codes is not None:
            params.append(("code", ",".join(self.codes)))
        return params + [("_count", str(self.count)), ("_offset", str(offset))]


def parse(args: Iterable[tuple[str, str]]) -> ObservationSearch:
    """The search from query parameters (name, value) pairs; raises `SearchError`."""
    values: dict[str, str] = {}
    for name, value in args:
        if name not in PARAMETERS:
            raise SearchError(name, f"not supported (supported: {', '.join(PARAMETERS)})")
        if name in values:
            raise SearchError(name, "given more than once")
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise SearchError(name, "contains a control character")
        values[name] = value
    patient = values.get("patient", "").removeprefix("Patient/")
    if not patient:
        raise SearchError("patient", "required: the patient's id, as POST /patients returned it")
    codes = tuple(token for token in values["code"].split(",") if token) if "code" in values else None
    if codes is not None and not codes:
        raise SearchError("code", "give SYSTEM|CODE or CODE, e.g. http://loinc.org|44261-6")
    return ObservationSearch(patient_id=patient, codes=codes, count=_whole("_count", values, DEFAULT_COUNT, 1, MAX_COUNT),
                             offset=_whole("_offset", values, 0, 0, MAX_OFFSET))


def _whole(name: str, values: Mapping[str, str], default: int, low: int, high: int) -> int:
    if name not in values:
        return default
    text = values[name]
    if not text.isascii() or not text.isdigit():
        raise SearchError(name, f"must be a whole number, not {text!r}")
    # Compared as text first: thousands of digits are too long for int(), and a database integer overflows.
    if len(text.lstrip("0")) > len(str(high)) or not low <= int(text) <= high:
        raise SearchError(name, f"must be between {low} and {high}")
    return int(text)


def matching_scales(catalog: Mapping[str, Instrument], tokens: Iterable[str], *,
                    context: FhirContext) -> set[tuple[str, str]]:
    """The (instrument, scale) pairs whose Observation code matches any token (`SYSTEM|CODE`, or `CODE` alone)."""
    found = set()
    wanted = [token.split("|", 1) if "|" in token else [None, token] for token in tokens]
    for instrument in catalog.values():
        for scale in instrument.scales:
            codings = [(context.scale_system, scale_code(instrument.id, scale.id))]
            if scale.loinc is not None:
                codings.append((LOINC, scale.loinc.code))
            if any(code == c and (system is None or system == s) for system, code in wanted for s, c in codings):
                found.add((instrument.id, scale.id))
    return found
