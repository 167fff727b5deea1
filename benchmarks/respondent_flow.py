"""Respondent flow under load: the real app served by gunicorn against a bare Flask insert route.

Both servers run in this process's run, one after the other, with the same
gunicorn settings on a fresh database each (same engine settings), on
127.0.0.1: first two embedded SQLite files, then two databases on a fresh
PostgreSQL 15 server (`BENCH_DATABASES=sqlite` for SQLite only). The real app
runs as in production (PRO_SERVICE_ENV=production, a generated SECRET_KEY,
`db upgrade` through the migrations) with its respondent rate limits raised so
one address can play many respondents.

A *flow* is one respondent from link to thanks: open the link (303 to
/survey), the welcome page, PHQ-9 (one page: GET, POST with the form's CSRF
token), GAD-7 (the same), the review page, the submit (CSRF + idempotency
key), the done page (303 to thanks) and the thanks page with the respondent's
own scores — 10 requests, each checked. The baseline is one request to a bare
Flask route that inserts one row.

Clients are threads with plain `http.client` connections (cookies and
redirects handled by hand): the clients share the machine's cores with the
servers, and a heavier client library would eat into the figures it measures.

Run: `python -m benchmarks respondent_flow` (or `make bench`);
`python -m benchmarks.respondent_flow --profile` profiles the flow in-process; `--count` prints the Python
calls and SQL statements of each request, which do not move with the machine's load; `--flows N` only runs
N flows in-process, for valgrind to count their instructions (benchmarks/README.md shows how).
"""
from __future__ import annotations

import contextlib
import http.client
import logging
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from benchmarks._postgresql import temporary_server
from benchmarks._timing import percentile

LEVELS = (8, 32)
FLOWS_PER_CLIENT = 12
"""Each client thread runs this many complete flows per level: 96 flows at 8, 384 at 32."""
BARE_PER_CLIENT = 200
"""Each client thread sends this many bare requests per level: 1,600 at 8, 6,400 at 32."""
WARMUP_FLOWS = 16
WARMUP_BARE = 400
REQUESTS_PER_FLOW = 10
HTTP_TIMEOUT = 30.0
START_TIMEOUT = 60.0
LEVEL_TIMEOUT = 600.0

# Sync workers, one per core plus one: the app is CPU-bound Python (templates,
# forms, ORM) over an embedded database, so threads in one process would only
# queue on the GIL, while separate processes use both cores. Loopback clients
# need no keep-alive or slow-client buffering, the things gthread would add.
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
WORKERS = int(os.environ.get("BENCH_WORKERS", str((os.cpu_count() or 2) + 1)))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY = re.compile(r'name="key"[^>]*value="([^"]+)"')
OPTION = re.compile(r'name="item_(\d+)" value="(\d+)"')
HIGH_LIMIT = "1000000 per minute"


# --- the two servers' WSGI factories (gunicorn imports this module in its workers) ---

def real_app():
    """The service as deployed, its settings from the environment, with the respondent rate limits raised."""
    from pro_service import create_app
    from pro_service.serve import server_app

    app = create_app()
    app.config.update(SURVEY_LINK_RATE_LIMIT=HIGH_LIMIT, SURVEY_CODE_RATE_LIMIT=HIGH_LIMIT,
                      SURVEY_SUBMIT_RATE_LIMIT=HIGH_LIMIT)
    return server_app(app)


def bare_app():
    """A bare Flask route that inserts one row, through the service's own `make_engine` (same pragmas and pool)."""
    from flask import Flask
    from sqlalchemy import insert

    from pro_service.db import make_engine

    engine = make_engine(os.environ["DATABASE_URL"])
    hits = _hits_table()
    app = Flask(__name__)

    @app.post("/hit")
    def hit():
        with engine.begin() as connection:
            connection.execute(insert(hits).values(at=time.time()))
        return "ok"

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


def _hits_table():
    from sqlalchemy import Column, Float, Integer, MetaData, Table

    return Table("hits", MetaData(), Column("id", Integer, primary_key=True), Column("at", Float, nullable=False))


# --- a respondent's browser ---

class FlowError(AssertionError):
    pass


class Client:
    """One browser: its own connection and cookie jar; redirects are followed by the flow, step by step."""

    def __init__(self, port: int, latencies: list[float]) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.latencies = latencies

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Accept-Language": "nb", "Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode()
        except Exception:
            self.close()
            raise
        self.latencies.append(time.perf_counter() - started)
        for cookie in response.headers.get_all("Set-Cookie") or ():
            self._keep(cookie)
        if response.will_close:
            self.close()
        return response.status, response.headers.get("Location", ""), text

    def _keep(self, header: str) -> None:
        name, _, rest = header.partition("=")
        value, _, attributes = rest.partition(";")
        if "max-age=0" in attributes.lower() or "expires=thu, 01 jan 1970" in attributes.lower():
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value.strip()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _expect(status: int, location: str, want_status: int, want_location: str | None, step: str) -> None:
    if status != want_status or (want_location is not None and location != want_location):
        raise FlowError(f"{step}: got {status} {location!r}, expected {want_status} {want_location!r}")


def _answers(html: str, rng: random.Random) -> dict[str, str]:
    """A choice for every item on the page: any option, but never a critical answer (so no alert path)."""
    options: dict[str, int] = {}
    for item, value in OPTION.findall(html):
        options[item] = max(options.get(item, 0), int(value))
    if not options:
        raise FlowError("a question page without questions")
    return {f"item_{item}": str(rng.randint(0, top) if item != "9" else 0) for item, top in options.items()}


def run_flow(client: Client, token: str, rng: random.Random, sent_pages: list[dict[str, str]] | None = None) -> None:
    """Open the link, answer PHQ-9 and GAD-7 page by page, review, submit, see done and thanks.

    `sent_pages`, when given, receives each page's answers as sent, for a check of what was stored.
    """
    status, location, _ = client.request("GET", f"/i/{token}")
    _expect(status, location, 303, "/survey", "open link")
    status, _, html = client.request("GET", "/survey")
    _expect(status, "", 200, None, "welcome")
    url = "/survey/q/1/1"
    pages = 0
    while url.startswith("/survey/q/"):
        status, _, html = client.request("GET", url)
        _expect(status, "", 200, None, url)
        answers = _answers(html, rng)
        if sent_pages is not None:
            sent_pages.append(answers)
        form = {"csrf_token": CSRF.search(html).group(1), "nav": "next", **answers}
        status, next_url, _ = client.request("POST", url, form)
        _expect(status, "", 303, None, f"POST {url}")
        url, pages = next_url, pages + 1
    if url != "/survey/review" or pages != 2:
        raise FlowError(f"expected two question pages, then the review; ended at {url} after {pages}")
    status, _, html = client.request("GET", "/survey/review")
    _expect(status, "", 200, None, "review")
    form = {"csrf_token": CSRF.search(html).group(1), "key": KEY.search(html).group(1)}
    status, location, _ = client.request("POST", "/survey/submit", form)
    _expect(status, location, 303, "/survey/done", "submit")
    status, location, _ = client.request("GET", "/survey/done")
    _expect(status, location, 303, "/survey/thanks", "done")
    status, _, html = client.request("GET", "/survey/thanks")
    _expect(status, "", 200, None, "thanks")
    if "<svg" not in html:  # the respondent's own scores: scored and stored
        raise FlowError("the thanks page shows no scores")


# --- load ---

@dataclass
class Result:
    label: str
    clients: int
    units: int  # flows or requests completed
    seconds: float
    requests: list[float] = field(default_factory=list)
    flows: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    server_cpu: float | None = None  # seconds of CPU the server's processes used during the load

    @property
    def rate(self) -> float:
        return self.units / self.seconds

    @property
    def request_rate(self) -> float:
        return len(self.requests) / self.seconds


def _run_threads(clients: int, work, timeout: float = LEVEL_TIMEOUT) -> tuple[float, list[str]]:
    """Start `clients` threads on `work(index)` together; bounded by `timeout` seconds."""
    errors: list[str] = []
    barrier = threading.Barrier(clients + 1)

    def body(index: int) -> None:
        barrier.wait()
        try:
            work(index)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    deadline = started + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.perf_counter()))
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError(f"load with {clients} clients did not finish within {timeout:.0f} s")
    return time.perf_counter() - started, errors


def load_flows(port: int, tokens: list[str], clients: int, per_client: int, label: str) -> Result:
    batches = [tokens[i * per_client:(i + 1) * per_client] for i in range(clients)]
    request_lists: list[list[float]] = [[] for _ in range(clients)]
    flow_lists: list[list[float]] = [[] for _ in range(clients)]

    def work(index: int) -> None:
        rng = random.Random(index)
        for token in batches[index]:
            client = Client(port, request_lists[index])  # a new browser per respondent
            started = time.perf_counter()
            try:
                run_flow(client, token, rng)
            finally:
                client.close()
            flow_lists[index].append(time.perf_counter() - started)

    seconds, errors = _run_threads(clients, work)
    flows = [t for times in flow_lists for t in times]
    return Result(label, clients, len(flows), seconds, [t for r in request_lists for t in r], flows, errors)


def load_bare(port: int, clients: int, per_client: int, label: str) -> Result:
    request_lists: list[list[float]] = [[] for _ in range(clients)]

    def work(index: int) -> None:
        client = Client(port, request_lists[index])
        try:
            for _ in range(per_client):
                status, _, body = client.request("POST", "/hit", {})
                if status != 200 or body != "ok":
                    raise FlowError(f"bare route answered {status}")
        finally:
            client.close()

    seconds, errors = _run_threads(clients, work)
    requests = [t for r in request_lists for t in r]
    return Result(label, clients, len(requests), seconds, requests, [], errors)


# --- servers ---

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1:<free port>, the same settings for both apps; stopped on exit, even on error.

    `factory` names a factory in this module, or is a whole gunicorn app spec (`module:factory()`).
    """

    def __init__(self, factory: str, env: dict[str, str], log: Path, *, workers: int = WORKERS) -> None:
        self.port = _free_port()
        self.log = log
        app = factory if ":" in factory else f"benchmarks.respondent_flow:{factory}()"
        command = [sys.executable, "-m", "gunicorn", app,
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                   "--worker-class", WORKER_CLASS, "--backlog", "2048", "--timeout", "60",
                   "--graceful-timeout", "5", "--error-logfile", str(log), "--log-level", "warning"]
        if WORKER_CLASS == "gthread":
            command += ["--threads", str(THREADS)]
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **env},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}:\n"
                                   + self.log.read_text()[-2000:])
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on port {self.port} within {START_TIMEOUT:.0f} s")

    def __exit__(self, *_exc) -> None:
        self.stop()

    def worker_pids(self) -> list[int]:
        """The master's worker processes (Linux /proc; a dead one until it is reaped); OSError without /proc."""
        return [int(pid) for pid in
                Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()]

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) of the master and its workers so far; None where /proc is missing."""
        try:
            total = 0.0
            for pid in [self.process.pid, *self.worker_pids()]:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            return total
        except (OSError, ValueError, IndexError):
            return None

    def measure(self, load) -> "Result":
        """Run `load()` and note how much CPU the server spent on it."""
        before = self.cpu_seconds()
        result = load()
        after = self.cpu_seconds()
        if before is not None and after is not None:
            result.server_cpu = after - before
        return result

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


# --- data ---

def create_invitations(app, count: int) -> list[str]:
    """`count` mh_adults start invitations covering exactly PHQ-9 and GAD-7, through the service functions."""
    from pro_service import db, definitions
    from pro_service.pathways.models import AssessmentStatus
    from pro_service.pathways.operations import cancel_assessment, create_unit, register_patient, start_pathway
    from pro_service.types import utcnow

    keep = {"phq9", "gad7"}
    tokens = []
    with app.app_context(), db.unit_of_work() as session:
        package = definitions.packages()["mh_adults"]
        planned = {entry.instrument for entry in package.plan_for(package.milestones[0].id)}
        assert keep <= planned, f"mh_adults' start milestone no longer plans {sorted(keep - planned)}"
        unit = create_unit(code="BENCH", name="DPS Benchmark", phone="22 00 00 00")
        started_at = utcnow() - timedelta(days=1)
        for number in range(count):
            patient, _ = register_patient(unit=unit, external_id=f"BENCH-{number}", name=f"Respondent {number}",
                                          language="nb", birth_date=date(1980, 2, 1))
            _pathway, registration = start_pathway(patient=patient, package=package, started_at=started_at,
                                                   by="benchmark", base_url=app.config["SETTINGS"].base_url)
            for assessment in registration.assessments:
                if assessment.instrument_id not in keep:
                    cancel_assessment(assessment=assessment, by="benchmark")
            [issued] = registration.invitations
            tokens.append(issued.token)
            if number % 100 == 99:
                session.flush()
        kept = [a for a in registration.assessments if a.status != AssessmentStatus.CANCELLED]
        assert sorted(a.instrument_id for a in kept) == sorted(keep)
    return tokens


def check_stored(app, flows: int) -> str:
    """Every flow left a used invitation, two submitted responses and their scores."""
    from sqlalchemy import func
    from sqlmodel import select

    from pro_service import db
    from pro_service.pathways.models import Invitation, Response, Score

    with app.app_context():
        session = db.session()
        used = session.exec(select(func.count()).select_from(Invitation).where(Invitation.used_at.is_not(None))).one()
        responses = session.exec(select(func.count()).select_from(Response)
                                 .where(Response.submitted_at.is_not(None))).one()
        scored = session.exec(select(func.count(func.distinct(Score.response_id)))).one()
    if not (used == flows and responses == 2 * flows and scored == 2 * flows):
        raise AssertionError(f"stored after {flows} flows: {used} used invitations, {responses} submitted "
                             f"responses, {scored} scored responses")
    return f"{used} invitations used, {responses} responses submitted and scored"


# --- report ---

def _ms(values: list[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:7.1f} ms" if values else "      – "


def _report(flow: Result, bare: Result) -> None:
    print(f"  {flow.clients:2d} concurrent: flow {flow.rate:7.1f} flows/s ({flow.request_rate:7.1f} requests/s)   "
          f"bare {bare.rate:7.1f} requests/s")
    print(f"      ratio flows/s ÷ bare requests/s {flow.rate / bare.rate:6.1%}   "
          f"flow requests/s ÷ bare requests/s {flow.request_rate / bare.rate:6.1%}")
    print(f"      per flow request p50 {_ms(flow.requests, 50)}  p99 {_ms(flow.requests, 99)}   "
          f"per complete flow p50 {_ms(flow.flows, 50)}  p99 {_ms(flow.flows, 99)}")
    print(f"      per bare request p50 {_ms(bare.requests, 50)}  p99 {_ms(bare.requests, 99)}")
    if flow.server_cpu is not None and bare.server_cpu is not None:
        print(f"      server CPU per request: flow {flow.server_cpu / len(flow.requests) * 1000:5.2f} ms, "
              f"bare {bare.server_cpu / len(bare.requests) * 1000:5.2f} ms; "
              f"server CPU used {flow.server_cpu / flow.seconds:4.2f} / {bare.server_cpu / bare.seconds:4.2f} "
              f"of {os.cpu_count()} cores")
    for result in (flow, bare):
        if result.errors:
            print(f"      {result.label}: {len(result.errors)} failed client(s), first: {result.errors[0]}")


DATABASES = tuple(os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(","))
"""The issue's bar holds on both; `BENCH_DATABASES=sqlite` skips PostgreSQL (e.g. where it is not installed)."""


@contextlib.contextmanager
def _databases(kind: str, directory: Path) -> Iterator[tuple[str, str]]:
    """The real app's and the bare route's database URLs: two SQLite files, or two databases on one fresh
    PostgreSQL 15 server (fsync off on both sides: durability is not what is measured)."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'pro_service.db'}", f"sqlite:///{directory / 'bare.db'}"
        return
    from sqlalchemy import create_engine, text

    with temporary_server("max_connections=200") as url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE bare"))
        admin.dispose()
        yield url, url.rsplit("/", 1)[0] + "/bare"


def main() -> None:
    for kind in DATABASES:
        measure(kind)


def measure(kind: str) -> None:
    from sqlalchemy import create_engine

    from pro_service import create_app, db

    logging.getLogger("alembic").setLevel(logging.WARNING)  # the migrations' progress is not a figure

    total_flows = WARMUP_FLOWS + sum(clients * FLOWS_PER_CLIENT for clients in LEVELS)
    print(f"gunicorn {WORKER_CLASS} workers: {WORKERS}"
          + (f" × {THREADS} threads" if WORKER_CLASS == "gthread" else "")
          + f", {os.cpu_count()} cores, {'SQLite (WAL)' if kind == 'sqlite' else 'PostgreSQL 15'}, "
          f"{REQUESTS_PER_FLOW} requests per flow")
    with tempfile.TemporaryDirectory(prefix="bench-respondent-") as tmp, \
            _databases(kind, Path(tmp)) as (real_url, bare_url):
        tmp_path = Path(tmp)
        real_env = {"PRO_SERVICE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                    "DATABASE_URL": real_url, "INSTANCE_DIR": str(tmp_path / "instance")}
        db.upgrade_database(real_url)
        bare_engine = create_engine(bare_url)
        _hits_table().metadata.create_all(bare_engine)
        bare_engine.dispose()

        started = time.perf_counter()
        app = create_app({key.lower(): value for key, value in real_env.items()})
        tokens = create_invitations(app, total_flows)
        print(f"  {len(tokens)} invitations made in {time.perf_counter() - started:.1f} s")

        flows: dict[int, Result] = {}
        bares: dict[int, Result] = {}
        # Both servers up at once (the idle one costs nothing), each level measured flow then bare back to
        # back, so a noisy neighbour on the machine disturbs both sides of a ratio alike.
        with Server("real_app", real_env, tmp_path / "real.log") as real, \
                Server("bare_app", {"DATABASE_URL": bare_url}, tmp_path / "bare.log") as bare:
            warm = load_flows(real.port, tokens[:WARMUP_FLOWS], 8, WARMUP_FLOWS // 8, "warm-up")
            if warm.errors:
                raise RuntimeError(f"warm-up failed: {warm.errors[0]}")
            load_bare(bare.port, 8, WARMUP_BARE // 8, "warm-up")
            offset = WARMUP_FLOWS
            for clients in LEVELS:
                count = clients * FLOWS_PER_CLIENT
                batch = tokens[offset:offset + count]
                flows[clients] = real.measure(lambda: load_flows(real.port, batch, clients, FLOWS_PER_CLIENT,
                                                                 "flow"))
                bares[clients] = bare.measure(lambda: load_bare(bare.port, clients, BARE_PER_CLIENT, "bare"))
                offset += count
        done = sum(result.units for result in flows.values()) + warm.units
        print(f"  stored: {check_stored(app, done)}")
        db.engine(app).dispose()

        for clients in LEVELS:
            _report(flows[clients], bares[clients])
        top, top_bare = flows[max(LEVELS)], bares[max(LEVELS)]
        p99 = percentile(top.requests, 99) * 1000
        share = top.request_rate / top_bare.rate
        cpu = top.server_cpu / len(top.requests) * 1000 if top.server_cpu is not None else float("nan")
        print(f"  issue 16's bar at {max(LEVELS)} concurrent ({kind}): server CPU per request ≤ 2.0 ms — "
              f"{'met' if cpu <= 2.0 else 'not met'} ({cpu:.2f} ms); flow requests/s ≥ 40 % of bare requests/s — "
              f"{'met' if share >= 0.4 else 'not met'} ({share:.1%}); p99 per request < 150 ms — "
              f"{'met' if p99 < 150 else 'not met'} ({p99:.1f} ms)")
        if any(result.errors for result in (*flows.values(), *bares.values())):
            raise SystemExit("respondent_flow: some clients failed (see above)")


# --- profile and counts (in-process, no server) ---

@contextlib.contextmanager
def _in_process_app(flows: int) -> Iterator[tuple[object, list[str], random.Random]]:
    """The production app on a fresh SQLite file, four flows run to warm it, and `flows` tokens left."""
    from pro_service import create_app, db

    with tempfile.TemporaryDirectory(prefix="bench-in-process-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'pro_service.db'}"
        db.upgrade_database(url)
        app = create_app({"pro_service_env": "production", "secret_key": secrets.token_urlsafe(48),
                          "database_url": url, "instance_dir": Path(tmp) / "instance"})
        app.config.update(SURVEY_LINK_RATE_LIMIT=HIGH_LIMIT, SURVEY_SUBMIT_RATE_LIMIT=HIGH_LIMIT)
        tokens = create_invitations(app, flows + 4)
        rng = random.Random(1)
        for token in tokens[:4]:
            run_flow(_TestClient(app), token, rng)
        try:
            yield app, tokens[4:], rng
        finally:
            db.engine(app).dispose()


def count(flows: int = 10) -> None:
    """Python calls and SQL statements per flow, per request: the same flow every time, so unlike time they do
    not move with the machine's load (benchmarks/README.md compares commits with them)."""
    import cProfile
    import pstats

    from sqlalchemy import event

    from pro_service import db

    calls: dict[str, int] = {}
    statements: dict[str, int] = {}
    current = [""]

    class Counted(_TestClient):
        def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
            current[0] = f"{method} {re.sub(r'^/i/.*', '/i/<token>', re.sub(r'/q/[0-9]+/[0-9]+', '/q/N/P', path))}"
            profiler = cProfile.Profile()
            profiler.enable()
            try:
                return super().request(method, path, form)
            finally:
                profiler.disable()
                calls[current[0]] = calls.get(current[0], 0) + pstats.Stats(profiler).total_calls

    def statement(*_args) -> None:
        statements[current[0]] = statements.get(current[0], 0) + 1

    with _in_process_app(flows) as (app, tokens, rng):
        event.listen(db.engine(app), "before_cursor_execute", statement)
        for token in tokens:
            run_flow(Counted(app), token, rng)
    for label in sorted(calls):
        print(f"{label:28s} {calls[label] / flows:9,.0f} calls {statements.get(label, 0) / flows:5.1f} statements")
    print(f"{'per flow':28s} {sum(calls.values()) / flows:9,.0f} calls "
          f"{sum(statements.values()) / flows:5.1f} statements")


def profile(flows: int = 40) -> None:
    """cProfile of `flows` complete flows through the Flask test client (no server), heaviest functions first."""
    import cProfile
    import pstats

    with _in_process_app(flows) as (app, tokens, rng):
        def flow(token: str) -> None:
            client = _TestClient(app)
            run_flow(client, token, rng)

        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for token in tokens:
            flow(token)
        profiler.disable()
        elapsed = time.perf_counter() - started
        print(f"{flows} flows in-process: {elapsed / flows * 1000:.1f} ms per flow "
              f"({elapsed / flows / REQUESTS_PER_FLOW * 1000:.2f} ms per request, under the profiler)")
        stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(25)


def flows_only(flows: int) -> None:
    """`flows` complete flows in-process and nothing else, for an instruction count that ignores the machine's
    load: valgrind's count of `--flows 22` minus that of `--flows 2` is 20 flows without the start-up
    (benchmarks/README.md)."""
    with _in_process_app(flows) as (app, tokens, _rng):
        for token in tokens:
            run_flow(_TestClient(app), token, random.Random(3))


class _TestClient(Client):
    """The flow's client over Flask's test client, for profiling without sockets."""

    def __init__(self, app) -> None:
        super().__init__(0, [])
        self.test_client = app.test_client()

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        response = self.test_client.open(path, method=method, data=form, headers={"Accept-Language": "nb"})
        return response.status_code, response.headers.get("Location", ""), response.get_data(as_text=True)


if __name__ == "__main__":
    if "--profile" in sys.argv:
        profile()
    elif "--count" in sys.argv:
        count()
    elif "--flows" in sys.argv:
        flows_only(int(sys.argv[sys.argv.index("--flows") + 1]))
    else:
        main()
