"""Ended adult pathways with scored assessments, written straight into the tables in bulk.

The service functions would take hours for 100,000 pathways; the rows here are
what they would store (ids, statuses, plan offsets, bands, caseness by the
instrument's cut-off), made by a seeded generator and loaded with COPY on
PostgreSQL and one executemany transaction on SQLite. Response answers are left
empty: the report reads scores, never answers.
"""
from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import psycopg
from sqlalchemy import JSON, Boolean, Float, Integer, create_engine, inspect

from pro_service.instruments.models import Instrument
from pro_service.pathways.packages import Package

PACKAGE = "mh_adults"
INSTRUMENTS = ("phq9", "gad7", "core10", "wsas")
UNITS = 6
FIRST_END, LAST_END = date(2024, 1, 1), date(2025, 12, 31)
"""Every pathway ends in these eight quarters; the report's period is the same."""

# Per instrument: mean and SD of the clinical-decision score, and the day-to-day noise (points).
SEVERITY = {"phq9": (16, 5, 2.5), "gad7": (13, 4.5, 2.0), "core10": (21, 7, 3.0), "wsas": (22, 8, 3.5)}
# Share of invitations answered at each milestone, and of instruments answered once one is.
ANSWERED = {"start": 0.65, "clinical_decision": 0.8, "evaluation": 0.6, "end": 0.55}
INSTRUMENT_ANSWERED = 0.97
CANCELLED = 0.01

COLUMNS = {
    "unit": ("id", "code", "name", "created_at"),
    "patient": ("id", "unit_id", "external_id", "name", "birth_date", "sex", "language", "created_at"),
    "respondent": ("id", "patient_id", "role", "name", "language", "created_at"),
    "pathway": ("id", "patient_id", "unit_id", "package_id", "status", "started_at", "ended_at", "created_at"),
    "milestone_event": ("id", "pathway_id", "milestone_id", "occurred_at", "registered_at", "registered_by"),
    "assessment": ("id", "pathway_id", "milestone_event_id", "respondent_id", "instrument_id", "status", "opens_at",
                   "due_at", "expires_at", "completed_at", "cancelled_at", "cancelled_by", "created_at"),
    "response": ("id", "assessment_id", "language", "instrument_version", "answers", "started_at", "updated_at",
                 "submitted_at"),
    "score": ("id", "response_id", "scale_id", "value", "band", "caseness", "threshold", "missing", "prorated"),
}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class _Scale:
    instrument: str
    version: str
    high: int
    cut_off: float
    bands: tuple[tuple[float, str], ...]

    def score(self, value: float) -> tuple[str | None, bool]:
        band = None
        for low, code in self.bands:
            if low <= value:
                band = code
        return band, value >= self.cut_off


def _scales(catalog: dict[str, Instrument]) -> dict[str, _Scale]:
    scales = {}
    for instrument_id in INSTRUMENTS:
        instrument = catalog[instrument_id]
        scale = instrument.scale("total")
        high = sum(max(o.points for o in instrument.response_scale(item).options) for item in instrument.items)
        scales[instrument_id] = _Scale(instrument_id, instrument.version, int(high), float(scale.caseness.min),
                                       tuple((float(b.min), b.code) for b in scale.bands))
    return scales


class _Clock:
    """Naive UTC text in SQLAlchemy's SQLite format, which PostgreSQL reads in a UTC session too."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def __call__(self, minutes: int) -> str:
        text = self._cache.get(minutes)
        if text is None:
            text = (EPOCH + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S.000000")
            self._cache[minutes] = text
        return text


def _day_minutes(day: date) -> int:
    return (day - EPOCH.date()).days * 1440


def generate(pathways: int, *, catalog: dict[str, Instrument], package: Package, chunk: int = 5_000,
             seed: int = 2026) -> Iterator[dict[str, list[tuple]]]:
    """Rows per table, `chunk` pathways at a time (units first)."""
    rng, clock, scales = random.Random(seed), _Clock(), _scales(catalog)
    ident = lambda: f"{rng.getrandbits(128):032x}"  # noqa: E731  (uuid4().hex's shape, seeded and faster)
    offsets = {(e.milestone, e.instrument): (e.opens_days, e.due_days, e.expires_days) for e in package.plan}
    created = clock(_day_minutes(date(2023, 1, 2)))
    units = [(ident(), f"BENCH-{n}", f"Benchmark unit {n}", created) for n in range(1, UNITS + 1)]
    yield {"unit": units}
    span = (LAST_END - FIRST_END).days
    for first in range(0, pathways, chunk):
        rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS if table != "unit"}
        for number in range(first, min(first + chunk, pathways)):
            _pathway(rows, number, rng, ident, clock, scales, offsets,
                     unit_id=units[min(int(rng.expovariate(0.5)), UNITS - 1)][0],
                     end_day=FIRST_END + timedelta(days=rng.randrange(span + 1)))
        yield rows


def _pathway(rows, number, rng, ident, clock, scales, offsets, *, unit_id, end_day) -> None:
    patient_id, respondent_id, pathway_id = ident(), ident(), ident()
    # Milestone days, counted back from the end.
    end = _day_minutes(end_day) + rng.randrange(8, 16) * 60
    evaluations = rng.choices((0, 1, 2), weights=(1, 5, 4))[0]
    events, at = [("end", end, 1.0)], end - rng.randint(21, 90) * 1440
    for progress in (0.75, 0.45)[2 - evaluations:] if evaluations else ():
        events.append(("evaluation", at, progress))
        at -= rng.randint(42, 120) * 1440
    decision = at if evaluations else end - rng.randint(42, 150) * 1440
    first_consultation = decision - rng.randint(14, 56) * 1440
    start = first_consultation - rng.randint(3, 28) * 1440
    events += [("clinical_decision", decision, 0.0), ("first_consultation", first_consultation, None),
               ("start", start, -0.05)]
    language = rng.choices(("nb", "nn", "en", "ar", "pl"), weights=(80, 8, 6, 3, 3))[0]
    birth = date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28))
    started_text = clock(start)
    rows["patient"].append((patient_id, unit_id, f"EPR-{number:07d}", f"Pasient {number}", birth.isoformat(),
                            rng.choice(("female", "male", None)), language, started_text))
    rows["respondent"].append((respondent_id, patient_id, "self", f"Pasient {number}", language, started_text))
    rows["pathway"].append((pathway_id, patient_id, unit_id, PACKAGE, "ended", started_text, clock(end),
                            started_text))
    severity = {i: rng.gauss(*SEVERITY[i][:2]) for i in INSTRUMENTS}
    response = rng.gauss(0.4, 0.35)  # share of the baseline severity gone by the end
    for milestone, occurred, progress in sorted(events, key=lambda event: event[1]):
        event_id, occurred_text = ident(), clock(occurred)
        rows["milestone_event"].append((event_id, pathway_id, milestone, occurred_text, occurred_text, "bench"))
        if progress is None:
            continue
        answered = rng.random() < ANSWERED[milestone]
        for instrument in INSTRUMENTS:
            opens, due, expires = offsets[(milestone, instrument)]
            assessment_id = ident()
            status, completed, cancelled = "open", None, None
            if rng.random() < CANCELLED:
                status, cancelled = "cancelled", clock(occurred + 60)
            elif answered and rng.random() < INSTRUMENT_ANSWERED:
                status = "completed"
                completed = occurred + opens * 1440 + rng.randrange((due - opens + 3) * 1440)
            rows["assessment"].append((
                assessment_id, pathway_id, event_id, respondent_id, instrument, status, clock(occurred + opens * 1440),
                clock(occurred + due * 1440), clock(occurred + expires * 1440),
                clock(completed) if completed is not None else None, cancelled, "bench" if cancelled else None,
                occurred_text))
            if completed is None:
                continue
            scale, noise = scales[instrument], SEVERITY[instrument][2]
            value = float(min(scale.high, max(0, round(severity[instrument] * (1 - response * progress)
                                                         + rng.gauss(0, noise)))))
            band, caseness = scale.score(value)
            response_id, completed_text = ident(), clock(completed)
            rows["response"].append((response_id, assessment_id, language, scale.version, "{}",
                                     clock(completed - 12), completed_text, completed_text))
            rows["score"].append((ident(), response_id, "total", value, band, caseness, scale.cut_off, 0, False))


def required_extras(url: str) -> dict[str, dict[str, object]]:
    """Required columns the generator does not know (added by a later migration), with an empty value each.

    Keeps the benchmark loading while other areas add NOT NULL columns to these tables.
    """
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        extras: dict[str, dict[str, object]] = {}
        for table, known in COLUMNS.items():
            for column in inspector.get_columns(table):
                if column["name"] in known or column["nullable"] or column.get("default") is not None:
                    continue
                kind = column["type"]
                empty = ("{}" if isinstance(kind, JSON) else False if isinstance(kind, Boolean)
                         else 0 if isinstance(kind, Integer | Float) else "")
                extras.setdefault(table, {})[column["name"]] = empty
        return extras
    finally:
        engine.dispose()


def _statements(chunks, extras) -> Iterator[tuple[str, tuple[str, ...], list[tuple]]]:
    for rows in chunks:
        for table, values in rows.items():
            extra = extras.get(table, {})
            if extra:
                suffix = tuple(extra.values())
                values = [row + suffix for row in values]
            yield table, COLUMNS[table] + tuple(extra), values


def load_postgresql(url: str, chunks: Iterator[dict[str, list[tuple]]]) -> int:
    """COPY every chunk in; returns the number of scores."""
    scores, extras = 0, required_extras(url)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        connection.execute("SET TIME ZONE 'UTC'")
        with connection.cursor() as cursor:
            for table, columns, values in _statements(chunks, extras):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
                scores += len(values) if table == "score" else 0
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return scores


def load_sqlite(path: str, chunks: Iterator[dict[str, list[tuple]]]) -> int:
    """Insert every chunk in one transaction; returns the number of scores."""
    scores, extras = 0, required_extras(f"sqlite:///{path}")
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("BEGIN")
        for table, columns, values in _statements(chunks, extras):
            connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                   f"({', '.join('?' * len(columns))})", values)
            scores += len(values) if table == "score" else 0
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()
    return scores
