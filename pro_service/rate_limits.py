"""What each rate limit counts by: something the attacker cannot choose, or the target they aim at.

The client's address is what the server sees (`REMOTE_ADDR`), or what the
`TRUSTED_PROXIES` nearest proxies say it was (werkzeug's ProxyFix, set up in
`create_app`); a client's own `X-Forwarded-For` counts for nothing. A clinic's
tablets share one address, so answering and submitting are counted per
invitation in the respondent's session, not per address. Guessing is counted
per address and per target as well (the e-mail address a login names, the
code typed), so many addresses aimed at one account are throttled together.
Targets are hashed: the limiter's storage holds no e-mail address or code.
"""
from __future__ import annotations

import hashlib

from flask import current_app, request
from flask_limiter.util import get_remote_address

from pro_service.pathways.secrets import normalize_code
from pro_service.survey import respondent


def configured(name: str, default: str):
    """A limit read from the app's config each time it counts, so a deployment or a test can set it."""
    return lambda: current_app.config.get(name, default)


def respondent_limits_off() -> bool:
    """Tests run many respondent flows from one address; the test that checks the limits turns them on."""
    return current_app.testing and not current_app.config.get("SURVEY_RATE_LIMITS_IN_TESTS")


def _digest(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}"


def by_address() -> str:
    return get_remote_address() or "unknown"


def by_invitation() -> str:
    """The respondent's open invitation; without one (no session yet), the address."""
    invitation_id = respondent.invitation_id()
    return f"invitation:{invitation_id}" if invitation_id else f"address:{by_address()}"


def by_typed_code() -> str:
    return _digest("code", normalize_code(request.form.get("code", "")[:100]))


def by_login_email() -> str:
    return _digest("login", request.form.get("email", "")[:320].strip().casefold())
