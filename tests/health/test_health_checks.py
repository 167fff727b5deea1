"""Liveness, readiness and the 503 a request gets while the database is away."""
from __future__ import annotations

import pytest

from pro_service import create_app, db

SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _app(tmp_path, database_url):
    return create_app({"pro_service_env": "testing", "instance_dir": tmp_path, "database_url": database_url,
                       "secret_key": SECRET})


@pytest.fixture
def unreachable_app(tmp_path):
    app = _app(tmp_path, f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error handlers answer, not the test
    yield app
    db.engine(app).dispose()


def test_live_answers_while_the_database_is_unreachable(unreachable_app):
    response = unreachable_app.test_client().get("/healthz/live")

    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_ready_and_healthz_are_503_while_the_database_is_unreachable(unreachable_app):
    client = unreachable_app.test_client()

    for path in ("/healthz/ready", "/healthz"):
        response = client.get(path)
        assert (response.status_code, response.get_json()) == (503, {"status": "unavailable",
                                                                     "database": "unreachable"})


def test_ready_is_ok_at_head(client):
    response = client.get("/healthz/ready")

    assert (response.status_code, response.get_json()) == (200, {"status": "ok", "database": "ok",
                                                                 "migrations": "ok"})


def test_ready_is_503_while_migrations_are_behind(tmp_path):
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    db.upgrade_database(url, "0014")
    app = _app(tmp_path, url)
    try:
        response = app.test_client().get("/healthz/ready")
    finally:
        db.engine(app).dispose()

    assert (response.status_code, response.get_json()) == (503, {"status": "unavailable", "database": "ok",
                                                                 "migrations": "behind"})


def test_a_database_outage_is_a_translated_503_page_not_a_500(unreachable_app):
    response = unreachable_app.test_client().get("/i/not-a-real-token", headers={"Accept-Language": "nn"})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Tenesta er oppteken akkurat no" in page  # nynorsk: "The service is busy just now"
    assert "Traceback" not in page and "sqlite" not in page.lower()


def test_a_database_outage_under_the_api_is_a_503_problem(unreachable_app):
    response = unreachable_app.test_client().get("/api/v1/packages", headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 503
    assert response.headers["Retry-After"] == "5"


def test_a_programming_error_stays_a_500(app, client):
    from sqlalchemy.exc import ProgrammingError

    from pro_service.errors import database_unavailable

    assert not database_unavailable(ProgrammingError("SELECT", {}, Exception("syntax")))
    assert not database_unavailable(ValueError("x"))


def test_only_outages_count_as_unavailable_on_sqlite(tmp_path):
    """SQLite's OperationalError is also a missing table: only a busy or unopenable file is a 503."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from pro_service.errors import database_unavailable

    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("SELECT * FROM no_such_table")
    except sqlite3.OperationalError as missing:
        assert not database_unavailable(OperationalError("SELECT", {}, missing))
    finally:
        connection.close()
    with pytest.raises(sqlite3.OperationalError) as unopenable:
        sqlite3.connect(tmp_path / "missing-dir" / "x.db")
    assert database_unavailable(OperationalError("connect", {}, unopenable.value))
