"""Fixtures: app → client → session, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

Every test that uses the database runs once per configured database. The
schema is made by the Alembic migrations, as in production, and every table is
emptied after each test.
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from sqlmodel import Session

from pro_service import create_app, db
from pro_service.cli import upgrade_database

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _reset_postgresql(url: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
        _reset_postgresql(url)
    upgrade_database(url)
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
    yield app
    db.engine(app).dispose()


@pytest.fixture
def client(app, _empty_tables):
    return app.test_client()


@pytest.fixture
def session(app, _empty_tables):
    """A session of the test's own, like a CLI command's: factories commit through it."""
    with Session(db.engine(app), expire_on_commit=False) as test_session:
        yield test_session


@pytest.fixture
def _empty_tables(app):
    yield
    metadata = db.import_all_models().metadata
    with db.engine(app).begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
