"""Fixtures: app → client → session, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

Every test that uses the database runs once per configured database. The
schema is made by the Alembic migrations, as in production, and every table is
emptied after each test.
"""
from __future__ import annotations

import contextvars
import os
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from pro_service import create_app, db, definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.operations import add_respondent, register_milestone, start_pathway

PATHWAY_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
"""When `make_pathway`'s pathways start unless told otherwise (tests/reports/report_helpers.T0)."""

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _reset_postgresql(url: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class RequestClient(FlaskClient):
    """Runs each request in a context of its own, as a server does.

    Without this, a request made while the `session` fixture holds an app
    context would share that context's `g` (and so Flask-Login's cached user,
    Flask-WTF's CSRF token and Flask-Babel's locale) with every other request.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
        _reset_postgresql(url)
    db.upgrade_database(url)
    return url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "pro_service_env": "testing",
            "database_url": database_url,
            "secret_key": "test-secret-key-that-is-long-enough-0123456789",
            "instance_dir": tmp_path_factory.mktemp("instance"),
        }
    )
    app.test_client_class = RequestClient
    yield app
    db.engine(app).dispose()


@pytest.fixture
def client(app, _empty_tables):
    return app.test_client()


@pytest.fixture
def session(app, _empty_tables):
    """The unit of work a CLI command would have: service functions flush, the test commits.

    Requests the test makes through `client` get sessions of their own.
    """
    with app.app_context():
        yield db.session()


@pytest.fixture
def _empty_tables(app):
    yield
    metadata = db.import_all_models().metadata
    with db.engine(app).begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def make_unit(session):
    from pro_service.pathways.operations import create_unit

    def make(code: str = "ABUP-OSLO", name: str = "BUP Oslo", **extra):
        unit = create_unit(code=code, name=name, phone=extra.pop("phone", "22 00 00 00"), **extra)
        session.commit()
        return unit

    return make


@pytest.fixture
def make_patient(session, make_unit):
    from datetime import date

    from pro_service.pathways.operations import register_patient

    def make(unit=None, external_id: str = "EPR-1", name: str = "Kari Nordmann",
             birth_date: date | None = date(1990, 5, 17), **extra):
        patient, _created = register_patient(unit=unit or make_unit(), external_id=external_id, name=name,
                                             birth_date=birth_date, **extra)
        session.commit()
        return patient

    return make


TEST_PASSWORD = "Blå fjell og grønne enger 7"
"""A permanent password that passes the policy, for users the tests log in as (not a one-time one)."""
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def make_pathway(session, make_unit, make_patient):
    """A pathway through `milestones` [(milestone, days after start, {instrument: total} or None)].

    A milestone's invitations are answered, in `language`, the day it is registered with the totals
    given (a parent's with `parent[milestone]`); None leaves them unanswered.
    """
    numbers = iter(range(1, 10_000))

    def make(milestones, *, package: str = "mh_adults", unit=None, started: datetime = PATHWAY_START, parent=None,
             language: str = "en", birth_date: date = date(1990, 5, 17), sex: str | None = None):
        unit = unit or make_unit()
        number = next(numbers)
        patient = make_patient(unit=unit, external_id=f"EPR-{number}", name=f"Pasient {number}",
                               birth_date=birth_date, sex=sex)
        if parent is not None:
            add_respondent(patient=patient, role="parent", name=f"Forelder {number}")
        chosen = definitions.packages()[package]
        pathway, registration = start_pathway(patient=patient, package=chosen, by="test",
                                              base_url="https://pro.example.no", started_at=started)
        for milestone, days, totals in milestones:
            at = started + timedelta(days=days)
            if milestone != "start":
                registration = register_milestone(pathway=pathway, package=chosen, milestone_id=milestone,
                                                  occurred_at=at, by="test", base_url="https://pro.example.no")
            for item in registration.invitations:
                answers = (parent or {}).get(milestone) if item.invitation.respondent.role == "parent" else totals
                if answers is not None:
                    answer_invitation(item.invitation, answers, now=at, language=language)
        session.commit()
        return pathway

    return make


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token of the form at `path`, as a browser would read it."""
    return CSRF_FIELD.search(client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)).group(1)


@pytest.fixture
def login_as(client, session, make_unit):
    """Create a user with `role` in `unit` and log `client` in through the real login form.

    The user has a permanent password (`TEST_PASSWORD`), so the login lands on the clinic, not on
    the set-password form a one-time password leads to.

    `unit=None` uses the default unit of `make_unit` (made if missing). The
    user's language is English unless given, so pages read as the tests expect.
    """
    from itertools import count

    from sqlmodel import select

    from pro_service.auth.users import create_user
    from pro_service.extensions import limiter
    from pro_service.pathways.models import Unit

    numbers = count(1)

    def login(role: str = "clinician", unit=None, *, language: str = "en", name: str | None = None):
        unit = unit or session.exec(select(Unit).where(Unit.code == "ABUP-OSLO")).first() or make_unit()
        user, password = create_user(email=f"{role}-{next(numbers)}@example.no", name=name or f"Test {role}",
                                     unit=unit, role=role, language=language, password=TEST_PASSWORD)
        session.commit()
        limiter.reset()  # every test starts with a fresh login allowance
        with client.session_transaction() as cookie_session:
            cookie_session.clear()  # a second login_as in one test switches user
        response = client.post("/login", data={"csrf_token": csrf_token(client), "email": user.email,
                                                "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


# API clients: bearer tokens scoped to units (the API and the FHIR routes).
@pytest.fixture
def token_for(session):
    """`token_for(unit, …)` → the Authorization header of a new API client scoped to those units."""
    from pro_service.auth.operations import create_api_client

    def make(*units, name: str = "DIPS test"):
        _client, token = create_api_client(name=name, units=units)
        session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def unit_a(make_unit):
    return make_unit("UNIT-A", "DPS A")


@pytest.fixture
def unit_b(make_unit):
    return make_unit("UNIT-B", "DPS B")


@pytest.fixture
def auth_a(token_for, unit_a):
    return token_for(unit_a)
