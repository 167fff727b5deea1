"""PostgreSQL restarts while respondents answer through two app instances: 503s, then recovery, nothing lost.

A private PostgreSQL 15 (tests/instances/servers.py; the suite's shared one is
never restarted) serves two gunicorn instances of two workers each, as the
README's production layout has them. Respondents walk the benchmark's flow
(link, welcome, two questionnaires, review, submit, thanks, and submit once
more), each request going to the other instance than the one before, as a
load balancer spreads them. Partway through, PostgreSQL is stopped for a few
seconds and started again. Requests meanwhile get a 503 "try again in a
moment" and the browser sends them again; none may get a 500. Afterwards the
database holds exactly what was acknowledged (tests/reliability's check), and
both instances are ready again with the same worker processes: they recovered
without a restart (pool pre-ping replaced the dead connections).
"""
from __future__ import annotations

import http.client
import random
import secrets
import threading
import time
from contextlib import ExitStack

from benchmarks.respondent_flow import Client, FlowError, _run_threads, create_invitations, run_flow
from pro_service import create_app, db
from tests.instances.servers import PostgresServer, start_instances
from tests.reliability.test_killed_worker import Respondent, check_stored

CLIENTS = 8
FLOWS_PER_CLIENT = 3
STOP_AFTER = 60
"""Acknowledged responses before PostgreSQL is stopped (a run has about 24 × 11)."""
DOWN_SECONDS = 3.0
RETRY_FOR = 60.0
RUN_TIMEOUT = 180.0


class Outage:
    """What the browsers saw across the restart."""

    def __init__(self) -> None:
        self.acknowledged = 0
        self.unavailable = 0
        self.unavailable_while_down = 0
        self.server_errors: list[str] = []
        self.health_while_down: list[tuple[int, int]] = []
        self.recovered_after: float | None = None
        self.down = threading.Event()
        self.enough = threading.Event()
        self._lock = threading.Lock()

    def ack(self) -> None:
        with self._lock:
            self.acknowledged += 1
            if self.acknowledged >= STOP_AFTER:
                self.enough.set()

    def busy(self) -> None:
        with self._lock:
            self.unavailable += 1
            self.unavailable_while_down += self.down.is_set()


class BalancedBrowser(Client):
    """One browser behind a load balancer: each request to the other instance; a 503 or a drop is sent again."""

    def __init__(self, ports: list[int], respondent: Respondent, outage: Outage) -> None:
        super().__init__(ports[0], [])
        self.ports, self.turn = ports, 0
        self.respondent, self.outage = respondent, outage

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, str]:
        deadline = time.monotonic() + RETRY_FOR
        while time.monotonic() < deadline:
            self.close()
            self.turn += 1
            self.port = self.ports[self.turn % len(self.ports)]
            try:
                status, location, body = super().request(method, path, form, headers)
            except (ConnectionError, http.client.HTTPException):
                self.respondent.lost += 1
                continue
            if status == 503:
                assert "Tjenesten er opptatt akkurat nå" in body  # the translated page (nb), not a trace
                self.outage.busy()
                time.sleep(0.2)
                continue
            if status >= 500:
                self.outage.server_errors.append(f"{status} for {method} {path}")
            self.outage.ack()
            if method == "POST" and status < 400:
                self._acknowledged(path, form or {})
            return status, location, body
        raise FlowError(f"{method} {path}: no answer but 503 for {RETRY_FOR:.0f} s")

    def _acknowledged(self, path: str, form: dict[str, str]) -> None:
        if path.startswith("/survey/q/"):
            answers = {name.removeprefix("item_"): int(value) for name, value in form.items()
                       if name.startswith("item_")}
            self.respondent.answers.setdefault(int(path.split("/")[3]), {}).update(answers)
        elif path == "/survey/submit":
            self.respondent.submit_form = form
            self.respondent.submits_acknowledged += 1


def respond(ports: list[int], respondent: Respondent, rng: random.Random, outage: Outage) -> None:
    browser = BalancedBrowser(ports, respondent, outage)
    try:
        run_flow(browser, respondent.token, rng)
        status, location, _ = browser.request("POST", "/survey/submit", respondent.submit_form)
        if (status, location) != (303, "/survey/done"):
            raise FlowError(f"the repeated submit got {status} {location!r}")
        respondent.completed = True
    finally:
        browser.close()


def restart_midway(postgres: PostgresServer, ports: list[int], outage: Outage) -> None:
    """Stop PostgreSQL partway, ask the instances how they are while it is down, start it, time the recovery."""
    if not outage.enough.wait(RUN_TIMEOUT):
        return
    outage.down.set()
    postgres.stop("fast")  # ends every connection, aborts transactions in flight
    started = time.monotonic()
    outage.health_while_down = [(_status(port, "/healthz/live"), _status(port, "/healthz/ready")) for port in ports]
    time.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - started)))
    postgres.start()
    back = time.monotonic()
    outage.down.clear()
    while any(_status(port, "/healthz/ready") != 200 for port in ports) and time.monotonic() - back < RETRY_FOR:
        time.sleep(0.05)
    outage.recovered_after = time.monotonic() - back


def _status(port: int, path: str) -> int:
    client = Client(port, [])
    try:
        return client.request("GET", path)[0]
    finally:
        client.close()


def test_database_restart_gives_503s_loses_nothing_and_instances_recover(tmp_path):
    with ExitStack() as stack:
        postgres = stack.enter_context(PostgresServer())
        db.upgrade_database(postgres.url)
        env = {"PRO_SERVICE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
               "DATABASE_URL": postgres.url, "INSTANCE_DIR": str(tmp_path / "instance"),
               "GUNICORN_CMD_ARGS": "--preload"}
        app = create_app({key.lower(): value for key, value in env.items() if key != "GUNICORN_CMD_ARGS"})
        stack.callback(lambda: db.engine(app).dispose())
        tokens = create_invitations(app, CLIENTS * FLOWS_PER_CLIENT)
        respondents = [Respondent(token, None) for token in tokens]
        instances = start_instances(stack, env, tmp_path, app="benchmarks.respondent_flow:real_app()")
        workers_before = [sorted(instance.worker_pids()) for instance in instances]
        ports = [instance.port for instance in instances]
        outage = Outage()
        restarter = threading.Thread(target=restart_midway, args=(postgres, ports, outage))
        restarter.start()

        def work(index: int) -> None:
            rng = random.Random(index)
            for respondent in respondents[index * FLOWS_PER_CLIENT:(index + 1) * FLOWS_PER_CLIENT]:
                respond(ports, respondent, rng, outage)

        try:
            _seconds, errors = _run_threads(CLIENTS, work, timeout=RUN_TIMEOUT)
        finally:
            outage.enough.set()
            restarter.join()
        ready = [_status(port, "/healthz/ready") for port in ports]
        workers_after = [sorted(instance.worker_pids()) for instance in instances]
        print(f"{outage.acknowledged} acknowledged, {outage.unavailable} answered 503 "
              f"({outage.unavailable_while_down} while PostgreSQL was down), "
              f"{sum(r.lost for r in respondents)} dropped connections; both ready again "
              f"{outage.recovered_after:.2f} s after PostgreSQL started")

        assert errors == [], errors[:3]
        assert outage.server_errors == []  # never a 500
        assert outage.unavailable_while_down >= 1  # the restart really hit requests, and they got 503
        assert outage.health_while_down == [(200, 503), (200, 503)]  # alive, not ready: no restart wanted
        assert all(respondent.completed for respondent in respondents)
        assert ready == [200, 200]
        assert workers_after == workers_before  # recovered by themselves: no worker was replaced
        check_stored(app, respondents)
