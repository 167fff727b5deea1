"""The outcome report over 100,000 ended pathways against a bare aggregate over the same scores.

Both run on the same database in the same run: `SELECT count(*), avg(value)
FROM score` is the least any report over these scores must cost (one pass over
the table), so the ratio says what the report's pairing, eligibility, time
limits and the combined PHQ-9 + GAD-7 rule cost on top. Bar: under 1 s on
PostgreSQL and within 5x the bare aggregate.

    python -m benchmarks outcomes                        # as `make bench` runs it
    python -m benchmarks.outcomes --pathways 10000       # smaller
    python -m benchmarks.outcomes --database postgresql --postgresql-url URL --explain

Without --postgresql-url a server is started from /usr/lib/postgresql/15/bin
in a temporary directory; SQLite gets a temporary file. A database given with
--postgresql-url or --sqlite-path that already holds pathways is reused as it is.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from benchmarks import _outcome_data as data
from benchmarks._postgresql import temporary_server
from pro_service import db
from pro_service.config import Settings
from pro_service.instruments.catalog import load_catalog
from pro_service.pathways.packages import load_packages
from pro_service.reports.model import ReportRequest
from pro_service.reports.operations import refresh_all
from pro_service.reports.queries import outcome_report

BARE = "SELECT count(*), avg(value) FROM score"
TIMEZONE = "Europe/Oslo"


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


@contextlib.contextmanager
def _database(kind: str, postgresql_url: str | None, sqlite_path: str | None) -> Iterator[str]:
    if kind == "sqlite" and sqlite_path:
        yield f"sqlite:///{sqlite_path}"
    elif kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="pro-bench-sqlite-") as directory:
            yield f"sqlite:///{Path(directory) / 'outcomes.db'}"
    elif postgresql_url:
        yield postgresql_url
    else:
        with temporary_server() as url:
            yield url


def _load(kind: str, url: str, *, pathways: int, catalog, packages) -> int:
    """Make the schema and load the pathways, unless an earlier run left them there (--reuse)."""
    db.upgrade_database(url)
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            loaded = connection.execute(text("SELECT count(*) FROM pathway")).scalar_one()
            if loaded:
                scores = connection.execute(text("SELECT count(*) FROM score")).scalar_one()
                print(f"{kind}: reusing {loaded:,} pathways and {scores:,} scores")
                return scores
    finally:
        engine.dispose()
    started = time.perf_counter()
    chunks = data.generate(pathways, catalog=catalog, package=packages[data.PACKAGE])
    if kind == "sqlite":
        scores = data.load_sqlite(url.removeprefix("sqlite:///"), chunks)
    else:
        scores = data.load_postgresql(url, chunks)
    print(f"{kind}: {pathways:,} ended pathways, {scores:,} scores loaded in {time.perf_counter() - started:.1f} s")
    return scores


def _report_rows(kind: str, url: str, *, catalog, packages) -> None:
    """Each pathway's report rows, written by the same code the app runs on every submit and milestone."""
    engine = db.make_engine(url)
    try:
        with Session(engine) as session:
            if session.execute(text("SELECT count(*) FROM outcome_day")).scalar_one():
                return  # written by an earlier run (--reuse)
            started = time.perf_counter()
            count = refresh_all(session=session, catalog=catalog, packages=packages, timezone=TIMEZONE)
            session.commit()
            print(f"{kind}: report rows of {count:,} pathways written in {time.perf_counter() - started:.1f} s")
    finally:
        engine.dispose()


def run(kind: str, url: str, *, pathways: int, repeat: int, explain: bool) -> dict[str, float]:
    """Load the pathways, time the report and the bare aggregate; print and return figures."""
    settings = Settings()
    catalog = load_catalog(settings.surveys_dir / "instruments")
    packages = load_packages(settings.surveys_dir / "packages", catalog)
    scores = _load(kind, url, pathways=pathways, catalog=catalog, packages=packages)
    _report_rows(kind, url, catalog=catalog, packages=packages)
    engine = db.make_engine(url)
    try:
        with Session(engine) as session:
            units = tuple(session.execute(text("SELECT id FROM unit ORDER BY code")).scalars())
            request = ReportRequest(start=data.FIRST_END, end=data.LAST_END, units=units, by="unit")

            def report():
                return outcome_report(session, request, catalog=catalog, packages=packages, timezone=TIMEZONE)

            def bare():
                return session.execute(text(BARE)).one()

            if explain:
                _explain(session, report)
            result = report()  # warm: the first run also reads the tables into the cache
            bare()
            report_times, bare_times = [], []
            for _ in range(repeat):  # interleaved, so a noisy moment hits both
                report_times += _times(report, 1)
                bare_times += _times(bare, 1)
    finally:
        engine.dispose()
    _summary(result, scores)
    figures = {"report": min(report_times), "report_median": statistics.median(report_times),
               "bare": min(bare_times), "bare_median": statistics.median(bare_times)}
    ratio = figures["report"] / figures["bare"]
    print(f"{kind}: report best {figures['report'] * 1000:,.0f} ms (median {figures['report_median'] * 1000:,.0f})"
          f"   bare `{BARE}` best {figures['bare'] * 1000:,.0f} ms (median {figures['bare_median'] * 1000:,.0f})"
          f"   ratio {ratio:.1f}x")
    if kind == "postgresql":
        print(f"bar (PostgreSQL): report < 1 s — {'met' if figures['report'] < 1 else 'NOT met'}; "
              f"within 5x the bare aggregate — {'met' if ratio <= 5 else 'NOT met'}")
    return figures


def _summary(result, scores: int) -> None:
    """A line of what the report found, so a wrong (empty) report cannot pass for a fast one."""
    ended = sum(group.pathways_ended for group in result.groups)
    paired = sum(row.tally.paired for group in result.groups for row in group.outcomes
                 if row.key == ("phq9", "total", "self"))
    print(f"  report: {len(result.groups)} groups, {ended:,} pathways ended, {paired:,} paired on PHQ-9")


def _explain(session: Session, report: Callable[[], object]) -> None:
    """Print EXPLAIN ANALYZE of every statement the report runs (PostgreSQL) or the query plan (SQLite)."""
    from sqlalchemy import event

    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    connection = session.connection()
    event.listen(connection.engine, "before_cursor_execute", capture)
    try:
        report()
    finally:
        event.remove(connection.engine, "before_cursor_execute", capture)
    postgresql = connection.dialect.name == "postgresql"
    for statement, parameters in statements:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue  # SET LOCAL and the like have no plan
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN "
        raw = connection.connection.driver_connection
        cursor = raw.cursor()
        cursor.execute(prefix + statement, parameters)
        print("----", statement[:200].replace("\n", " "))
        print("\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall()))
        cursor.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.outcomes", description=__doc__.split("\n")[0])
    parser.add_argument("--pathways", type=int, default=100_000, help="ended pathways to generate (100,000)")
    parser.add_argument("--database", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--postgresql-url", help="a PostgreSQL database to use instead of a temporary server")
    parser.add_argument("--sqlite-path", help="a SQLite file to use (and keep) instead of a temporary one")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (best and median are printed)")
    parser.add_argument("--explain", action="store_true", help="print the plans of the report's statements")
    args = parser.parse_args(argv or [])
    kinds = ("postgresql", "sqlite") if args.database == "both" else (args.database,)
    for kind in kinds:
        with _database(kind, args.postgresql_url, args.sqlite_path) as url:
            run(kind, url, pathways=args.pathways, repeat=args.repeat, explain=args.explain)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
