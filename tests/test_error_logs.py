"""A request that fails in the database is logged by request id and error class: no statement parameter (a
patient's name, birth date, e-mail) ever reaches a log."""
from __future__ import annotations

import logging
import traceback

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from pro_service import create_app, db

SECRET_NAME = "Kari Hemmelig Nordmann"
SECRET_MAIL = "kari.hemmelig@example.no"


@pytest.fixture
def failing_app(database_url, tmp_path):
    app = create_app({"pro_service_env": "testing", "database_url": database_url,
                      "secret_key": "test-secret-key-that-is-long-enough-0123456789", "instance_dir": tmp_path})
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: Flask logs the error and answers a 500

    @app.get("/fails-in-the-database")
    def fails():
        db.session().execute(text("SELECT * FROM no_such_table WHERE name = :name AND email = :email"),
                             {"name": SECRET_NAME, "email": SECRET_MAIL})

    yield app
    db.engine(app).dispose()


def _everything_logged(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append("".join(traceback.format_exception(*record.exc_info)))
        if record.exc_text:
            parts.append(record.exc_text)
    return "\n".join(parts)


def test_a_database_error_logs_the_request_id_and_error_class_only(failing_app, caplog):
    with caplog.at_level(logging.DEBUG):
        response = failing_app.test_client().get("/fails-in-the-database", headers={"Accept-Language": "en"})

    assert response.status_code == 500 and "Something went wrong" in response.get_data(as_text=True)
    logged = _everything_logged(caplog.records)
    assert SECRET_NAME not in logged and SECRET_MAIL not in logged
    request_id = response.headers["X-Request-Id"]
    assert f"Reference for your system administrator: {request_id}" in response.get_data(as_text=True)
    [failure] = [r for r in caplog.records if r.name == "pro_service.errors"]
    assert f"request {request_id} failed: sqlalchemy.exc." in failure.getMessage()
    assert failure.exc_info is None  # the exception's message (the statement) is not logged either
    assert "no such table" not in logged and "does not exist" not in logged  # SQLite's and PostgreSQL's message


def test_the_engine_hides_parameters_from_its_errors(failing_app):
    with failing_app.app_context(), pytest.raises(StatementError) as failed:
        db.session().execute(text("SELECT * FROM no_such_table WHERE name = :name"), {"name": SECRET_NAME})

    assert SECRET_NAME not in str(failed.value) and "hidden" in str(failed.value)
    db.engine(failing_app).dispose()
