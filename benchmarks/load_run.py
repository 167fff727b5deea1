"""Load run: 5,000 complete respondent flows through two app instances on one PostgreSQL, every answer checked.

Two gunicorn instances of the real app (production settings, workers = cores + 1
each) share one PostgreSQL 15 server started for the run (or the one named by
`LOAD_DATABASE_URL`, which must be an empty database) and a Redis for the rate
limits when Debian's `redis-server` is there. Each client thread plays one
respondent after another, and every request of a flow goes to the other instance
than the one before it, as a load balancer without sticky sessions would send it:
the signed session cookie and the database are all the instances share.

Afterwards every invitation must be used exactly once and every answer a client
sent must be stored, submitted and scored exactly as it was sent: nothing lost,
nothing duplicated, nothing mixed up between respondents.

Run: `python -m benchmarks load_run` (part of `make bench`); `LOAD_FLOWS=500`
for a shorter run, `LOAD_CLIENTS` for the number of concurrent respondents.
"""
from __future__ import annotations

import contextlib
import logging
import os
import random
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks._postgresql import temporary_server
from benchmarks._timing import percentile
from benchmarks.respondent_flow import (
    REQUESTS_PER_FLOW,
    Client,
    Server,
    _free_port,
    _run_threads,
    create_invitations,
    run_flow,
)

FLOWS = int(os.environ.get("LOAD_FLOWS", "5000"))
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "16"))
RUN_TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "7200"))


class BalancedClient(Client):
    """One browser behind a round-robin load balancer: each request goes to the next instance."""

    def __init__(self, ports: list[int], latencies: list[float]) -> None:
        super().__init__(ports[0], latencies)
        self.ports = ports
        self.turn = 0
        self.connections: dict[int, object] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, str]:
        self.turn += 1
        self.port = self.ports[self.turn % len(self.ports)]
        self.connection = self.connections.get(self.port)
        try:
            return super().request(method, path, form, headers)
        finally:
            self.connections[self.port] = self.connection

    def close(self) -> None:
        for connection in self.connections.values():
            if connection is not None:
                connection.close()
        self.connections.clear()
        self.connection = None


@contextlib.contextmanager
def _redis() -> Iterator[str | None]:
    """A private Redis for the shared rate limits, or None (memory storage) where redis-server is missing."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.3)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def _database() -> Iterator[str]:
    given = os.environ.get("LOAD_DATABASE_URL")
    if given:
        yield given
        return
    with temporary_server("max_connections=200") as url:
        yield url


def load(ports: list[int], tokens: list[str], clients: int) -> tuple[float, list[float], list[float],
                                                                     dict[str, list[dict[str, str]]], list[str]]:
    """Run every token's flow over `clients` threads; returns seconds, latencies, flow times, answers sent, errors."""
    queues = [tokens[index::clients] for index in range(clients)]
    request_lists: list[list[float]] = [[] for _ in range(clients)]
    flow_lists: list[list[float]] = [[] for _ in range(clients)]
    sent: dict[str, list[dict[str, str]]] = {}

    def work(index: int) -> None:
        rng = random.Random(index)
        for token in queues[index]:
            client = BalancedClient(ports, request_lists[index])
            client.turn = index  # spread the first requests over both instances
            started = time.perf_counter()
            pages: list[dict[str, str]] = []
            try:
                run_flow(client, token, rng, sent_pages=pages)
            finally:
                client.close()
            sent[token] = pages
            flow_lists[index].append(time.perf_counter() - started)

    seconds, errors = _run_threads(clients, work, timeout=RUN_TIMEOUT)
    return (seconds, [t for r in request_lists for t in r], [t for f in flow_lists for t in f], sent, errors)


def verify(app, sent: dict[str, list[dict[str, str]]]) -> str:
    """Every flow's invitation used once, its two responses submitted and scored with exactly the answers sent."""
    from sqlalchemy import func
    from sqlmodel import select

    from pro_service import db
    from pro_service.pathways.invitations import find_invitation
    from pro_service.pathways.models import Assessment, Invitation, Response, Score

    problems: list[str] = []
    with app.app_context():
        session = db.session()
        for number, (token, pages) in enumerate(sent.items()):
            invitation = find_invitation(token=token)
            if invitation is None or invitation.used_at is None:
                problems.append(f"flow {number}: invitation not used")
                continue
            responses = session.exec(
                select(Response).join(Assessment, Assessment.id == Response.assessment_id)
                .where(Assessment.milestone_event_id == invitation.milestone_event_id,
                       Assessment.respondent_id == invitation.respondent_id)).all()
            stored = sorted(({str(item): value for item, value in r.answers.items()} for r in responses
                             if r.submitted_at is not None), key=len)
            wanted = sorted(({key.removeprefix("item_"): int(value) for key, value in page.items()
                              if key.startswith("item_")} for page in pages), key=len)
            if stored != wanted:
                problems.append(f"flow {number}: stored answers differ from those sent")
            if number % 500 == 499:
                session.expunge_all()
        used = session.exec(select(func.count()).select_from(Invitation).where(Invitation.used_at.is_not(None))).one()
        submitted = session.exec(select(func.count()).select_from(Response)
                                 .where(Response.submitted_at.is_not(None))).one()
        scored = session.exec(select(func.count(func.distinct(Score.response_id)))).one()
        duplicated = session.exec(select(func.count()).select_from(
            select(Score.response_id, Score.scale_id).group_by(Score.response_id, Score.scale_id)
            .having(func.count() > 1).subquery())).one()
    flows = len(sent)
    if used != flows or submitted != 2 * flows or scored != 2 * flows or duplicated:
        problems.append(f"{used} invitations used, {submitted} responses submitted, {scored} scored, "
                        f"{duplicated} duplicated scores, for {flows} flows")
    if problems:
        raise AssertionError(f"{len(problems)} problem(s), first: {problems[:5]}")
    return (f"{flows} flows verified: {used} invitations used, {submitted} responses submitted and scored, "
            f"every one of {sum(len(page) for pages in sent.values() for page in pages)} answers as sent")


def main() -> None:
    from pro_service import create_app, db

    logging.getLogger("alembic").setLevel(logging.WARNING)  # the migrations' progress is not a figure
    workers = (os.cpu_count() or 2) + 1
    print(f"load run: {FLOWS} flows, {CLIENTS} concurrent respondents, two instances × {workers} sync workers, "
          f"PostgreSQL 15, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp, _database() as url, _redis() as redis:
        tmp_path = Path(tmp)
        env = {"PRO_SERVICE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": url,
               "INSTANCE_DIR": str(tmp_path / "instance")}
        if redis:
            env["RATELIMIT_STORAGE_URI"] = redis
        db.upgrade_database(url)
        started = time.perf_counter()
        app = create_app({key.lower(): value for key, value in env.items()})
        tokens = create_invitations(app, FLOWS)
        print(f"  {len(tokens)} invitations made in {time.perf_counter() - started:.1f} s; rate limits in "
              f"{'Redis' if redis else 'each process (no redis-server)'}")
        with Server("real_app", env, tmp_path / "a.log", workers=workers) as first, \
                Server("real_app", env, tmp_path / "b.log", workers=workers) as second:
            before = (first.cpu_seconds() or 0) + (second.cpu_seconds() or 0)
            seconds, requests, flows, sent, errors = load([first.port, second.port], tokens, CLIENTS)
            cpu = (first.cpu_seconds() or 0) + (second.cpu_seconds() or 0) - before
        print(f"  {len(flows)} flows in {seconds:.0f} s: {len(flows) / seconds:.1f} flows/s, "
              f"{len(requests) / seconds:.0f} requests/s; per request p50 {percentile(requests, 50) * 1000:.1f} ms, "
              f"p99 {percentile(requests, 99) * 1000:.1f} ms; server CPU {cpu / len(requests) * 1000:.2f} ms "
              f"per request")
        if errors:
            print(f"  {len(errors)} failed client(s), first: {errors[0]}")
        print(f"  {verify(app, sent)}")
        db.engine(app).dispose()
        if errors or len(flows) != FLOWS:
            raise SystemExit(f"load_run: {FLOWS - len(flows)} flow(s) did not finish")
        assert len(requests) == REQUESTS_PER_FLOW * FLOWS


if __name__ == "__main__":
    main()
