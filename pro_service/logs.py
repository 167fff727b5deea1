"""Logging that never carries an invitation token.

The only secret that travels in a URL is the invitation token in `/i/<token>`;
request logs (werkzeug's, a proxy's) would otherwise keep it. This filter
rewrites it before any handler sees the record.
"""
from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"/i/[A-Za-z0-9_\-]+")


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
