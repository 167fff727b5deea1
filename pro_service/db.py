"""Database engine and the unit of work.

One session per request, committed once at the request boundary: a service
function only flushes, so a submission, its scores, its alert and its audit row
succeed or fail together. CLI commands and jobs use `unit_of_work` the same way.
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import CursorResult, Engine, event, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel, create_engine

from pro_service.config import PROJECT_ROOT

ENGINE_KEY = "pro_service.db_engine"
SESSIONMAKER_KEY = "pro_service.db_sessionmaker"
SESSION_KEY = "pro_service.db_session"
KEPT_KEY = "pro_service.db_kept_on_refusal"


def make_engine(database_url: str) -> Engine:
    # hide_parameters: a failed statement's error (and so any log or traceback of it) never carries the
    # values bound to it, which are names, birth dates, e-mail addresses and phone numbers.
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # pool_pre_ping: a pooled connection that died with a database restart is replaced before a request
    # uses it, so instances recover by themselves. The timeouts make an unreachable server a quick 503
    # (pro_service/errors.py) instead of a request hanging until the proxy gives up.
    return create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=10,
                         connect_args={"connect_timeout": 5}, hide_parameters=True)


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
    app.teardown_request(_close_request_session)
    app.teardown_appcontext(_close_session)


def engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions[ENGINE_KEY]


def session() -> Session:
    """The current request's (or CLI command's) session, opened on first use.

    A request keeps its own session even when an app context was already
    pushed (as in tests), so two requests never share one.
    """
    if has_request_context():
        if SESSION_KEY not in request.environ:
            request.environ[SESSION_KEY] = current_app.extensions[SESSIONMAKER_KEY]()
        return request.environ[SESSION_KEY]
    if SESSION_KEY not in g:
        setattr(g, SESSION_KEY, current_app.extensions[SESSIONMAKER_KEY]())
    return getattr(g, SESSION_KEY)


def keep_on_refusal(table, rows: list[dict]) -> None:
    """Write `rows` into `table` even if this request is refused (4xx) and its changes are rolled back.

    For the audit trail: a refused form shown again still showed the patient's data. The rows are also
    added in the request's own transaction by the caller; this only repeats them after a rollback.
    """
    if has_request_context() and rows:
        request.environ.setdefault(KEPT_KEY, []).append((table, rows))


def _commit_on_success(response: Response) -> Response:
    # Committing here, before the response leaves, turns a failed commit into a
    # 500 instead of an acknowledged answer that was never stored.
    db_session = request.environ.get(SESSION_KEY)
    if db_session is not None:
        if response.status_code < 400:
            db_session.commit()
        else:
            db_session.rollback()
            if response.status_code < 500:
                for table, rows in request.environ.pop(KEPT_KEY, ()):
                    db_session.execute(insert(table), rows)
                db_session.commit()
    return response


def _close_request_session(_exc: BaseException | None) -> None:
    _close(request.environ.pop(SESSION_KEY, None))


def _close_session(_exc: BaseException | None) -> None:
    _close(g.pop(SESSION_KEY, None))


def _close(db_session: Session | None) -> None:
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


def execute(statement, params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> CursorResult:
    """Run a prebuilt Core statement on the current session's connection, in its transaction.

    For the hot paths that read columns or write by id: the ORM's execution path costs more than such a
    statement itself (benchmarks/README.md, respondent flow).
    """
    return session().connection().execute(statement, params)


class DialectInsert:
    """An INSERT with an ON CONFLICT clause, which each database writes in its own words: built on first use
    per dialect, then kept, since the hot paths that run it (a first saved page, a submit) run it often."""

    def __init__(self, table, on_conflict: Callable[[Any], Any]) -> None:
        self._table = table
        self._on_conflict = on_conflict
        self._built: dict[str, Any] = {}

    def execute(self, params: Mapping[str, Any]) -> CursorResult:
        connection = session().connection()
        name = connection.dialect.name
        statement = self._built.get(name)
        if statement is None:
            dialect = postgresql if name == "postgresql" else sqlite
            statement = self._built.setdefault(name, self._on_conflict(dialect.insert(self._table)))
        return connection.execute(statement, params)


def ping() -> None:
    with engine().connect() as connection:
        connection.execute(text("SELECT 1"))


def schema_revision() -> str | None:
    """The Alembic revision the database is at (None: never migrated); raises when it is unreachable."""
    with engine().connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    """The newest migration this code ships (read from the files once per process)."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def import_all_models() -> type[SQLModel]:
    """Import every area's models so SQLModel.metadata knows all tables (Alembic, tests)."""
    from pro_service import models_registry  # noqa: F401  (imports for their side effect)

    return SQLModel


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(PROJECT_ROOT / "pro_service" / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Bring the schema to `revision` through the migrations, as `pro-service db upgrade` does."""
    alembic_command.upgrade(alembic_config(database_url), revision)
