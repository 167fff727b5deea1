"""No acknowledged answer is lost when a gunicorn worker dies, and a repeated submit never duplicates.

The real app is served as the respondent_flow benchmark serves it (gunicorn
sync workers, production settings, a fresh database migrated by Alembic, its
invitations made by the service functions), and 60 respondents, 30 at a
time, walk the benchmark's flow with its client. Workers die in two ways:

- the test SIGKILLs a worker from outside twice, partway through the load,
  wherever that worker happens to be;
- a few requests carry a header on which the worker SIGKILLs itself at a
  chosen point: as the request arrives (nothing ran), after the app ran and
  committed but before a byte is sent (stored, not acknowledged), and after
  the response is sent but before gunicorn closes the request (acknowledged).
  These hit the same windows in every run, so a regression there is always
  caught, not only when an outside kill happens to land in them.

Each browser treats a dropped connection as a lost response and sends the same
request again (a reload, or the same form re-posted with its CSRF token and
submit key); some double-click the submit (the same form twice at once), and
every one finally presses submit once more. The database must then hold
exactly what was acknowledged: every acknowledged page's answers, one submitted
response per assessment with the scores of those answers, nothing twice.
Nothing here is timed; time limits only stop a hung run.
"""
from __future__ import annotations

import http.client
import os
import random
import re
import secrets
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, text
from sqlmodel import select

from benchmarks.respondent_flow import Client, FlowError, Server, _run_threads, create_invitations, real_app, run_flow
from pro_service import create_app, db, definitions
from pro_service.config import Settings
from pro_service.instruments.scoring import score
from pro_service.pathways.invitations import find_invitation
from pro_service.pathways.models import Assessment, AssessmentStatus, Invitation, Response, Score
from pro_service.survey.plan import scored_answers
from pro_service.survey.respondent import read_submission_key

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
WORKERS = 3
CLIENTS = 30
FLOWS_PER_CLIENT = 2
OUTSIDE_KILLS_AFTER = (200, 400)
"""Acknowledged responses after which the test kills a worker (a run has about 60 × 11)."""
MAX_ATTEMPTS = 5
RUN_TIMEOUT = 120.0
RESTART_TIMEOUT = 30.0

CRASH_HEADER = "X-Test-Crash"
ON_ARRIVAL, AFTER_COMMIT, AFTER_SEND = "on-arrival", "after-commit", "after-send"
CRASHES = {  # flow number → the request whose first try kills its worker, and when (clients' first and second flows)
    4: ("POST /survey/q/1/1", ON_ARRIVAL),
    11: ("POST /survey/q/2/1", AFTER_COMMIT),
    16: ("POST /survey/q/1/1", AFTER_SEND),
    23: ("POST /survey/submit", ON_ARRIVAL),
    28: ("POST /survey/submit", AFTER_COMMIT),
    35: ("POST /survey/submit", AFTER_SEND),
}
DOUBLE_CLICKS = frozenset(range(2, CLIENTS * FLOWS_PER_CLIENT, 6))
"""Flows whose submit goes twice at once, over two connections, as a double click sends it."""
KILLED = re.compile(r"\(pid:(\d+)\) was sent SIGKILL")


# --- the server side (gunicorn imports this module in its workers) ---

def served_app():
    """The benchmark's production app, whose worker dies at the point a request's crash header names."""
    app = real_app()
    app.wsgi_app = _crash_when_asked(app.wsgi_app)
    return app


def _crash_when_asked(wsgi_app):
    def middleware(environ, start_response):
        window = environ.get("HTTP_" + CRASH_HEADER.upper().replace("-", "_"))
        if window == ON_ARRIVAL:
            _die()
        body = wsgi_app(environ, start_response)
        if window == AFTER_COMMIT:  # Flask has run the view and committed; gunicorn has sent nothing yet
            _die()
        if window == AFTER_SEND:
            return _die_when_sent(body)
        return body

    return middleware


def _die_when_sent(body):
    yield from body
    _die()  # gunicorn has written every byte and asks for more: the response is acknowledged


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


# --- the respondents ---

@dataclass
class Respondent:
    """What one respondent's browser was told: the acknowledged answers and submits, and the lost responses."""

    token: str
    crash: tuple[str, str] | None
    double_click: bool = False
    answers: dict[int, dict[str, int]] = field(default_factory=dict)  # questionnaire number → item → position
    submit_form: dict[str, str] | None = None
    submits_acknowledged: int = 0
    lost: int = 0
    completed: bool = False


class Acknowledgements:
    """Acknowledged responses counted across all browsers, so the test can kill a worker partway through."""

    def __init__(self) -> None:
        self.count = 0
        self.finished = False
        self._changed = threading.Condition()

    def add(self) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()

    def finish(self) -> None:
        with self._changed:
            self.finished = True
            self._changed.notify_all()

    def reached(self, count: int) -> bool:
        """Wait until `count` responses are acknowledged (True) or the load is over (False)."""
        with self._changed:
            self._changed.wait_for(lambda: self.finished or self.count >= count)
            return self.count >= count


class RetryingBrowser(Client):
    """The benchmark's browser with a patient user: a response that never comes is asked for again."""

    def __init__(self, port: int, respondent: Respondent, acknowledgements: Acknowledgements) -> None:
        super().__init__(port, [])
        self.respondent = respondent
        self.acknowledgements = acknowledgements

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, str]:
        if path == "/survey/submit" and self.respondent.double_click:
            self.respondent.double_click = False
            return self._twice_at_once(form or {})
        for _attempt in range(MAX_ATTEMPTS):
            extra = dict(headers or {})
            crash = self.respondent.crash
            if crash is not None and crash[0] == f"{method} {path}":
                extra[CRASH_HEADER] = crash[1]
                self.respondent.crash = None  # only the first try
            try:
                status, location, body = super().request(method, path, form, extra)
            except (ConnectionError, http.client.HTTPException):
                self.respondent.lost += 1  # the connection dropped before a whole response came
                continue
            self.acknowledgements.add()
            if method == "POST" and status < 400:
                self._acknowledged(path, form or {})
            return status, location, body
        raise FlowError(f"{method} {path}: no response in {MAX_ATTEMPTS} tries")

    def _twice_at_once(self, form: dict[str, str]) -> tuple[int, str, str]:
        """The same submit from a second connection of this browser (same cookies) while this one sends it."""
        twin = RetryingBrowser(self.port, Respondent(self.respondent.token, None), self.acknowledgements)
        twin.cookies = dict(self.cookies)
        outcome: list = []

        def send() -> None:
            try:
                outcome.append(twin.request("POST", "/survey/submit", form))
            except Exception as exc:  # noqa: BLE001 - reported by the flow below
                outcome.append(exc)

        thread = threading.Thread(target=send)
        thread.start()
        try:
            result = self.request("POST", "/survey/submit", form)
        finally:
            thread.join()
            twin.close()
        [other] = outcome
        if isinstance(other, Exception) or other[:2] != (303, "/survey/done"):
            raise FlowError(f"the double click's other submit got {other!r:.200}")
        self.respondent.submits_acknowledged += twin.respondent.submits_acknowledged
        return result

    def _acknowledged(self, path: str, form: dict[str, str]) -> None:
        if path.startswith("/survey/q/"):
            number = int(path.split("/")[3])
            answers = {name.removeprefix("item_"): int(value) for name, value in form.items()
                       if name.startswith("item_")}
            self.respondent.answers.setdefault(number, {}).update(answers)
        elif path == "/survey/submit":
            self.respondent.submit_form = form
            self.respondent.submits_acknowledged += 1


def respond(port: int, respondent: Respondent, rng: random.Random, acknowledgements: Acknowledgements) -> None:
    """The benchmark's flow from link to thanks, then submit pressed once more on the same review page."""
    browser = RetryingBrowser(port, respondent, acknowledgements)
    try:
        run_flow(browser, respondent.token, rng)
        status, location, _ = browser.request("POST", "/survey/submit", respondent.submit_form)
        if (status, location) != (303, "/survey/done"):
            raise FlowError(f"the repeated submit got {status} {location!r}, expected 303 '/survey/done'")
        respondent.completed = True
    finally:
        browser.close()


def kill_workers_partway(server: Server, acknowledgements: Acknowledgements, killed: list[int]) -> None:
    for count in OUTSIDE_KILLS_AFTER:
        if not acknowledgements.reached(count):
            return
        while not (pids := server.worker_pids()):  # between a dead worker's reaping and its successor's fork
            time.sleep(0.01)
        os.kill(pids[0], signal.SIGKILL)
        killed.append(pids[0])


# --- the database ---

@pytest.fixture(params=DATABASES)
def fresh_database_url(request, tmp_path):
    """An empty, migrated database of its own: a SQLite file, or a new schema beside the suite's on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pro_service.db'}"
        db.upgrade_database(url)
        yield url
        return
    base = Settings(database_url=os.environ["TEST_DATABASE_URL"]).database_url
    schema = f"reliability_{secrets.token_hex(6)}"
    engine = db.make_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
        db.upgrade_database(url)
        yield url
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def check_stored(app, respondents: list[Respondent]) -> None:
    """Every acknowledged answer and submit is in the database, scored, and nothing is there twice."""
    with app.app_context():
        package = definitions.packages()["mh_adults"]
        catalog = definitions.catalog()
        order = [entry.instrument for entry in package.plan_for(package.milestones[0].id)]
        session = db.session()
        assessments = 0
        for respondent in respondents:
            invitation = find_invitation(token=respondent.token)
            assert respondent.submits_acknowledged >= 2  # the flow's submit (a double click's two) and the repeat
            assert invitation.used_at is not None
            assert invitation.submission_key == read_submission_key(respondent.submit_form["key"], invitation)
            kept = [a for a in session.exec(select(Assessment).where(
                Assessment.milestone_event_id == invitation.milestone_event_id,
                Assessment.respondent_id == invitation.respondent_id)) if a.status != AssessmentStatus.CANCELLED]
            kept.sort(key=lambda a: order.index(a.instrument_id))  # numbered as the survey pages number them
            assert sorted(respondent.answers) == list(range(1, len(kept) + 1)), respondent
            for number, assessment in enumerate(kept, start=1):
                [response] = session.exec(select(Response).where(Response.assessment_id == assessment.id)).all()
                assert assessment.status == AssessmentStatus.COMPLETED
                # Stored by the first submit and never touched again by a repeated one.
                assert response.submitted_at == assessment.completed_at == invitation.used_at
                assert response.answers == respondent.answers[number], (respondent.token, assessment.instrument_id)
                instrument = catalog[assessment.instrument_id]
                expected = {scale_id: (float(scale.score) if scale.score is not None else None, scale.band)
                            for scale_id, scale in score(instrument, scored_answers(instrument,
                                                                                    response.answers)).scales.items()}
                stored = session.exec(select(Score).where(Score.response_id == response.id)).all()
                assert sorted((s.scale_id, (s.value, s.band)) for s in stored) == sorted(expected.items())
            assessments += len(kept)
        assert session.exec(select(func.count()).select_from(Response)).one() == assessments
        assert session.exec(select(func.count()).select_from(Invitation)
                            .where(Invitation.used_at.is_not(None))).one() == len(respondents)
        assert session.exec(select(Score.response_id, Score.scale_id).group_by(Score.response_id, Score.scale_id)
                            .having(func.count() > 1)).all() == []


# --- the test ---

def test_killed_worker_loses_no_acknowledged_answer_and_never_duplicates(fresh_database_url, tmp_path):
    env = {"PRO_SERVICE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "DATABASE_URL": fresh_database_url, "INSTANCE_DIR": str(tmp_path / "instance")}
    app = create_app({key.lower(): value for key, value in env.items()})
    try:
        tokens = create_invitations(app, CLIENTS * FLOWS_PER_CLIENT)
        respondents = [Respondent(token, CRASHES.get(number), number in DOUBLE_CLICKS)
                       for number, token in enumerate(tokens)]
        acknowledgements = Acknowledgements()
        outside_kills: list[int] = []
        log = tmp_path / "gunicorn.log"
        # gunicorn imports this module by its file name (the project root is on its path already). --preload:
        # the app is made once, before the workers fork (it connects to nothing), so a killed worker is
        # replaced at once instead of reading every instrument file again (~2 s of CPU each time).
        here = str(Path(__file__).resolve().parent)
        server_env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])),
                      "GUNICORN_CMD_ARGS": "--preload"}
        with Server(f"{Path(__file__).stem}:served_app()", server_env, log, workers=WORKERS) as server:
            killer = threading.Thread(target=kill_workers_partway, args=(server, acknowledgements, outside_kills))
            killer.start()

            def work(index: int) -> None:
                rng = random.Random(index)
                for respondent in respondents[index * FLOWS_PER_CLIENT:(index + 1) * FLOWS_PER_CLIENT]:
                    respond(server.port, respondent, rng, acknowledgements)

            try:
                _seconds, errors = _run_threads(CLIENTS, work, timeout=RUN_TIMEOUT)
            finally:
                acknowledgements.finish()
                killer.join()
            restarted = _wait_for_restarts(server, outside_kills)
        killed = {int(pid) for pid in KILLED.findall(log.read_text())}

        assert errors == [], f"{len(errors)} flows failed, first: {errors[0]}\n{log.read_text()[-3000:]}"
        assert all(respondent.completed for respondent in respondents)
        assert len(outside_kills) == len(OUTSIDE_KILLS_AFTER) and restarted
        assert set(outside_kills) <= killed  # (an outside kill may find a worker that has just crashed itself)
        assert len(killed) >= len(CRASHES)
        for number, (_request, window) in CRASHES.items():
            if window != AFTER_SEND:  # those workers died before a byte of the response left
                assert respondents[number].lost >= 1, (number, window)
        check_stored(app, respondents)
    finally:
        db.engine(app).dispose()


def _wait_for_restarts(server: Server, killed: list[int]) -> bool:
    """Whether gunicorn gets back to its full number of workers, none of them one the test killed."""
    deadline = time.monotonic() + RESTART_TIMEOUT
    while time.monotonic() < deadline:
        pids = server.worker_pids()
        if len(pids) == WORKERS and not set(pids) & set(killed):
            return True
        time.sleep(0.1)
    return False
