"""Logging that never carries an invitation token or a patient's data, and a request id to find a line by.

The only secret that travels in a URL is the invitation token in `/i/<token>`;
request logs (werkzeug's, a proxy's) would otherwise keep it. This filter
rewrites it before any handler sees the record. A failed request is logged as
its request id, endpoint and error class (pro_service/errors.py): an error's
message may quote the data it failed on.
"""
from __future__ import annotations

import logging
import re
import secrets

from flask import Flask, Response, g

TOKEN_IN_PATH = re.compile(r"/i/[A-Za-z0-9_\-]+")
REQUEST_ID_HEADER = "X-Request-Id"


def init_app(app: Flask) -> None:
    """Every request gets a random id, sent back in `X-Request-Id` and named by any error logged for it."""
    app.before_request_funcs.setdefault(None, []).insert(0, _new_request_id)
    app.after_request(_send_request_id)


def request_id() -> str:
    return g.get("request_id") or "-"


def _new_request_id() -> None:
    # Made here, not taken from the client's header: a log line's id must not be chosen by whoever sent it.
    g.request_id = secrets.token_hex(8)


def _send_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/i/" in message:
            record.msg = TOKEN_IN_PATH.sub("/i/[redacted]", message)
            record.args = ()
        return True


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # WeasyPrint and fontTools narrate every render step at INFO; only their problems are worth a line.
    for chatty in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    redact = RedactTokens()
    # On the loggers that write request lines, and on the root handlers for everything propagated.
    loggers = [logging.getLogger(name) for name in ("werkzeug", "gunicorn.access", "gunicorn.error")]
    for target in [*loggers, *logging.getLogger().handlers]:
        if not any(isinstance(f, RedactTokens) for f in target.filters):
            target.addFilter(redact)
