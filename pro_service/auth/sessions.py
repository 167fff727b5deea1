"""A clinician's session: when it began, when it was last used, and which session version it holds.

The session lives in Flask's signed cookie, which the server cannot take back, so
three stamps written at login are checked on every request that loads the user:

- the user's session version: logging out, choosing a new password or an
  administrator's reset bumps the version on the user row, and every cookie
  carrying the old one (including a copy taken before the logout) stops working;
- the time of the login: the session ends `SESSION_LIFETIME_HOURS` after it,
  however active, so a stolen cookie cannot be kept alive for ever;
- the time of the last request: the session ends after `SESSION_IDLE_MINUTES`
  without one, for the screen left open in a shared office.

An ended session is cleared (keeping only the language) and the next page that
needs a login sends the user there with a message saying why.
"""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, flash, g, redirect, request, session, url_for

from pro_service.auth.models import User
from pro_service.i18n import ngettext
from pro_service.types import utcnow

VERSION_KEY = "_sv"
STARTED_KEY = "_started"
SEEN_KEY = "_seen"
TOUCH_AFTER_SECONDS = 60
"""The last-request stamp is rewritten at most once a minute, so not every response sets a cookie."""
_ENDED = "pro_service.session_ended"


def init_app(app: Flask) -> None:
    from pro_service.extensions import login_manager

    login_manager.unauthorized_handler(_unauthorized)


def stamp(user: User) -> None:
    """Write the stamps of a session that starts now (after `login_user`)."""
    now = _seconds(utcnow())
    session[VERSION_KEY] = user.session_version
    session[STARTED_KEY] = session[SEEN_KEY] = now


def still_valid(user: User) -> bool:
    """Whether this request's session may go on as `user`; refreshes the last-request stamp.

    When it may not, the session is cleared and the reason kept for the login page.
    """
    settings = current_app.config["SETTINGS"]
    now = _seconds(utcnow())
    started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
    if session.get(VERSION_KEY) != user.session_version or not isinstance(started, int) \
            or not isinstance(seen, int):
        return _end(None)
    if now - started > settings.session_lifetime_hours * 3600:
        hours = settings.session_lifetime_hours
        return _end(ngettext("Your session ended %(num)d hour after you logged in. Please log in again.",
                             "Your session ended %(num)d hours after you logged in. Please log in again.", hours))
    if now - seen > settings.session_idle_minutes * 60:
        minutes = settings.session_idle_minutes
        return _end(ngettext("You were logged out after %(num)d minute without activity. Please log in again.",
                             "You were logged out after %(num)d minutes without activity. Please log in again.",
                             minutes))
    if now - seen >= TOUCH_AFTER_SECONDS:
        session[SEEN_KEY] = now
    return True


def _end(reason: str | None) -> bool:
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    if reason:
        g.setdefault(_ENDED, reason)
    return False


def _unauthorized():
    """Flask-Login's redirect to the login page, saying why when a session has just ended."""
    from pro_service.extensions import login_manager

    flash(g.pop(_ENDED, None) or str(login_manager.login_message), login_manager.login_message_category)
    # Where to return waits in the session, not in a `next=` query that logs would keep; a form
    # posted after the session ended returns to the clinic's home (its page may take no GET).
    if request.method == "GET":
        session["next"] = request.full_path if request.query_string else request.path
        # As Flask-Login does: "strong" session protection drops `next` from a session without this id.
        session["_id"] = login_manager._session_identifier_generator()
    return redirect(url_for(login_manager.login_view))


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())
