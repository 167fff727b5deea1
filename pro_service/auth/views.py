"""Logging in and out of the clinic pages."""
from __future__ import annotations

import math
from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.routing import BuildError

from pro_service.auth.forms import LoginForm
from pro_service.auth.users import LoginOutcome, LoginResult, authenticate
from pro_service.extensions import limiter
from pro_service.i18n import _, ngettext
from pro_service.types import utcnow

bp = Blueprint("auth", __name__)

# Where a clinician lands after logging in; the first endpoint that exists wins.
HOME_ENDPOINTS = ("clinic.caseload", "clinic.index")
HOME_FALLBACK = "/clinic/"
DEFAULT_LOGIN_LIMIT = "10 per minute; 50 per hour"


def _login_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_LIMIT)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home())
    form = LoginForm()
    problem = None
    if form.validate_on_submit():
        now = utcnow()
        result = authenticate(email=form.email.data, password=form.password.data, now=now)
        if result.outcome is LoginOutcome.OK:
            return redirect(_start_session(result.user))
        problem = _problem(result, now)
    # 200 even for a refused attempt: the failure count is committed with the response.
    return render_template("auth/login.html", form=form, problem=problem)


@bp.route("/logout", methods=["GET"])
def confirm_logout():
    """A page with the logout button, for a plain link (logging out itself is a POST)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html")


@bp.route("/logout", methods=["POST"])
def logout():
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def _start_session(user) -> str:
    """Log `user` in on a fresh session (keeping only where they were going) and say where to go."""
    next_url = session.get("next")
    session.clear()
    session["locale"] = user.language
    login_user(user)
    return next_url if _is_local(next_url) else _home()


def _problem(result: LoginResult, now: datetime) -> str:
    if result.outcome is LoginOutcome.LOCKED:
        minutes = max(1, math.ceil((result.locked_until - now).total_seconds() / 60))
        return ngettext(
            "Too many failed attempts: the account is locked. Try again in %(num)d minute.",
            "Too many failed attempts: the account is locked. Try again in %(num)d minutes.",
            minutes,
        )
    return _("The email address or password is wrong.")


def _is_local(url: str | None) -> bool:
    # Only a path on this site: "//evil.example" and "/\\evil.example" are other hosts to a browser.
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _home() -> str:
    for endpoint in HOME_ENDPOINTS:
        try:
            return url_for(endpoint)
        except BuildError:
            continue
    return HOME_FALLBACK
