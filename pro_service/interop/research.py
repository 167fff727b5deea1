"""The research export's rows: pseudonyms, age bands, days since start and the data dictionary.

Pure: no Flask, no session. The pseudonym is an HMAC of the patient's internal
id under a key only the data controller holds, so the same key links a
patient's rows across exports and nobody without it (the service included,
which never stores it) can link them to a person. Nothing that names a person
leaves here: no names, no external ids, no free text, and dates only when
asked for.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MIN_KEY_BYTES = 32
"""HMAC-SHA-256's own output size: a shorter key would be the weakest part of the pseudonym."""

BAND_YEARS = 5


class ResearchKeyError(ValueError):
    """The key file cannot be used (missing, unreadable or too short)."""


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    type: str
    allowed: str = ""


def columns(*, with_dates: bool, packages: Iterable[str] = (), units: Iterable[str] = (),
            milestones: Iterable[str] = (), sexes: Iterable[str] = (), instruments: Iterable[str] = (),
            roles: Iterable[str] = ()) -> tuple[Column, ...]:
    """The export's columns in order, with what the data dictionary says of each."""
    def listed(values: Iterable[str]) -> str:
        return "|".join(sorted(set(values)))

    chosen = [
        Column("pseudonym", "HMAC-SHA-256 of the patient's internal id under the data controller's key (hex); "
               "the same key gives the same pseudonym in every export", "string", "64 hexadecimal characters"),
        Column("package", "The pathway's package", "string", listed(packages)),
        Column("unit", "The code of the unit the pathway belongs to", "string", listed(units)),
        Column("milestone", "The milestone the assessment belongs to", "string", listed(milestones)),
        Column("days_since_start", "Days from the pathway's start to the submission (local calendar days)",
               "integer", ">= 0"),
    ]
    if with_dates:
        chosen.append(Column("submitted_on", "The day the answers were submitted (local time)", "date",
                             "YYYY-MM-DD"))
    chosen += [
        Column("age_band", f"Age in whole years at the pathway's start, in {BAND_YEARS}-year bands; "
               "empty without a birth date", "string", "0-4|5-9|10-14|…"),
        Column("sex", "Administrative sex as the EPR sent it; empty when not known", "string", listed(sexes)),
        Column("instrument", "The instrument answered", "string", listed(instruments)),
        Column("scale", "The scale of the instrument that was scored", "string", ""),
        Column("score", "The scale's score; empty when too many items were missing to score", "number", ""),
        Column("band", "The severity band of the score; empty when the scale has none", "string", ""),
        Column("caseness", "Whether the score is at or above the scale's cut-off; empty when it has none",
               "boolean", "true|false"),
        Column("respondent_role", "Who answered: the patient (self) or someone on their behalf", "string",
               listed(roles)),
    ]
    return tuple(chosen)


def read_key(path: Path) -> bytes:
    """The key in `path`, its trailing line break removed; refused when shorter than `MIN_KEY_BYTES`."""
    try:
        key = path.read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise ResearchKeyError(f"cannot read the key file: {exc.strerror}") from None
    if len(key) < MIN_KEY_BYTES:
        raise ResearchKeyError(f"the key must be at least {MIN_KEY_BYTES} bytes (this one has {len(key)}); "
                        "make one with: openssl rand -hex 32 > research.key")
    return key


def pseudonym(patient_id: str, key: bytes) -> str:
    """The patient's pseudonym under `key`: stable per key, unlinkable between keys."""
    return hmac.new(key, patient_id.encode("utf-8"), hashlib.sha256).hexdigest()


def age_band(birth_date: date | None, on: date) -> str:
    """"15-19" for someone aged 15 to 19 on `on`; empty without a birth date."""
    if birth_date is None:
        return ""
    years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    low = max(years, 0) // BAND_YEARS * BAND_YEARS
    return f"{low}-{low + BAND_YEARS - 1}"


def number(value: float | None) -> int | float | None:
    """A whole score as an int (17, not 17.0), so the CSV reads as the instrument's manual does."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class Source:
    """One score with what the export may say of it (and the internal id it must not say)."""

    patient_id: str
    birth_date: date | None
    sex: str | None
    package: str
    unit: str
    milestone: str
    started_on: date
    submitted_on: date
    instrument: str
    scale: str
    score: float | None
    band: str | None
    caseness: bool | None
    respondent_role: str


def row(source: Source, *, key: bytes, with_dates: bool) -> dict[str, object]:
    """The export's row for one score; keys in the order of `columns`."""
    out: dict[str, object] = {
        "pseudonym": pseudonym(source.patient_id, key),
        "package": source.package,
        "unit": source.unit,
        "milestone": source.milestone,
        "days_since_start": (source.submitted_on - source.started_on).days,
    }
    if with_dates:
        out["submitted_on"] = source.submitted_on.isoformat()
    out.update({
        "age_band": age_band(source.birth_date, source.started_on),
        "sex": source.sex or "",
        "instrument": source.instrument,
        "scale": source.scale,
        "score": number(source.score),
        "band": source.band or "",
        "caseness": "" if source.caseness is None else ("true" if source.caseness else "false"),
        "respondent_role": source.respondent_role,
    })
    return out
