"""Error pages: JSON problems for the API, a plain translated page for people; never a stack trace.

A request that fails is logged by its request id, endpoint and the error's
class, with the code lines it passed through, and never the error's message:
a database error quotes its statement, a validation error the value it refused.
"""
from __future__ import annotations

import logging
import traceback
from types import TracebackType

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from pro_service import logs
from pro_service.i18n import _l

PAGE_TEXTS = {
    400: (_l("Something was wrong with the request"), _l("Please go back and try again.")),
    403: (_l("You do not have access to this page"), _l("Ask your unit if you think you should have access.")),
    404: (_l("Page not found"), _l("Check the address, or use the link you were sent.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes and try again.")),
    503: (_l("The service is busy just now"),
          _l("What you just sent may not have been saved. Please send it again in a moment; "
             "your earlier answers are kept.")),
}
SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")
"""SQLite's result codes (and their extended forms) that mean the file could not be used just now."""
RETRY_AFTER_SECONDS = 5
"""How long a client is asked to wait after a 503 while the database is away (a restart takes seconds)."""
FALLBACK_TEXT = (_l("Something went wrong"), _l("Nothing you have answered is lost. Please try again in a moment."))


def register(app: Flask) -> None:
    logs.init_app(app)
    app.register_error_handler(HTTPException, _http_error)
    # By its code, so it is found before a blueprint's own HTTPException handler (the API's).
    app.register_error_handler(InternalServerError, _server_error)
    app.context_processor(_template_globals)
    # Flask logs an unhandled error with its message (and every chained one) before any handler runs.
    app.log_exception = _log_exception


def _log_exception(exc_info: tuple[type[BaseException], BaseException, TracebackType | None]) -> None:
    kind, _error, trace = exc_info
    frames = "".join(traceback.format_tb(trace)).rstrip()
    logging.getLogger("pro_service.errors").error(
        "request %s failed: %s at %s %s\n%s", logs.request_id(), f"{kind.__module__}.{kind.__qualname__}",
        request.method, request.endpoint or "(no route)", frames)


def _template_globals() -> dict:
    from pro_service.i18n import get_locale, text_direction

    return {"current_locale": str(get_locale()), "text_direction": text_direction()}


def database_unavailable(error: BaseException | None) -> bool:
    """Whether a request failed because the database could not be reached (down, restarting, pool exhausted).

    Such a request almost always changed nothing (its transaction did not
    commit), and sending it again is safe even when its commit landed just as
    the connection went (saving a page and submitting are idempotent); a
    programming or data error stays a 500.
    """
    if isinstance(error, PoolTimeout) or (isinstance(error, DBAPIError) and error.connection_invalidated):
        return True
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    # SQLite raises OperationalError for a missing table as for a busy or unreadable file: its code tells.
    sqlite_error = getattr(error.orig, "sqlite_errorname", None)
    return sqlite_error is None or sqlite_error.startswith(SQLITE_UNAVAILABLE)


def _server_error(error: InternalServerError):
    """An unhandled error; a database outage among them is a 503 the client may retry, not a 500."""
    if database_unavailable(error.original_exception):
        error = ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS)
    if request.path.startswith("/api/"):  # a problem document, or an OperationOutcome on the FHIR routes
        from pro_service.api.problems import Problem, problem_response

        headers = {name: value for name, value in error.get_headers() if name == "Retry-After"}
        return problem_response(Problem(error.code, error.name, error.description or error.name, headers=headers))
    return _http_error(error)


def _http_error(error: HTTPException):
    code = error.code or 500
    # RFC 9110: a 405 names the methods the resource has (Werkzeug keeps them on the exception); a 503
    # says when to try again.
    allow = {name: value for name, value in error.get_headers() if name in ("Allow", "Retry-After")}
    if request.path.startswith("/api/v1/fhir/"):
        from pro_service.api.problems import outcome_response

        return outcome_response(code, error.description or error.name, headers=allow)
    if request.path.startswith("/api/"):
        response = jsonify(type="about:blank", title=error.name, status=code, detail=error.description)
        response.status_code = code
        response.mimetype = "application/problem+json"
        response.headers.update(allow)
        return response
    title, text = PAGE_TEXTS.get(code, FALLBACK_TEXT)
    # A server error shows its request id, so whoever reports it can be matched to the one log line it left.
    reference = logs.request_id() if code >= 500 else None
    return render_template("error.html", error_title=title, error_text=text, reference=reference), code, allow
