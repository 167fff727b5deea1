"""Database engine and the unit of work.

One session per request, committed once at the request boundary: a service
function only flushes, so a submission, its scores, its alert and its audit row
succeed or fail together. CLI commands and jobs use `unit_of_work` the same way.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask import Flask, Response, current_app, g
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel, create_engine

ENGINE_KEY = "pro_service.db_engine"
SESSIONMAKER_KEY = "pro_service.db_sessionmaker"


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers and one writer work at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask, database_url: str) -> None:
    engine = make_engine(database_url)
    app.extensions[ENGINE_KEY] = engine
    app.extensions[SESSIONMAKER_KEY] = sessionmaker(engine, class_=Session, expire_on_commit=False)
    app.after_request(_commit_on_success)
    app.teardown_appcontext(_close_session)


def engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions[ENGINE_KEY]


def session() -> Session:
    """The current request's (or CLI command's) session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[SESSIONMAKER_KEY]()
    return g.db_session


def _commit_on_success(response: Response) -> Response:
    # Committing here, before the response leaves, turns a failed commit into a
    # 500 instead of an acknowledged answer that was never stored.
    db_session = g.get("db_session")
    if db_session is not None:
        if response.status_code < 400:
            db_session.commit()
        else:
            db_session.rollback()
    return response


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.rollback()
        db_session.close()


@contextlib.contextmanager
def unit_of_work() -> Iterator[Session]:
    """Commit once at the end of a CLI command or job, roll back on any error."""
    db_session = session()
    try:
        yield db_session
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise


def ping() -> None:
    with engine().connect() as connection:
        connection.execute(text("SELECT 1"))


def import_all_models() -> type[SQLModel]:
    """Import every area's models so SQLModel.metadata knows all tables (Alembic, tests)."""
    from pro_service import models_registry  # noqa: F401  (imports for their side effect)

    return SQLModel
