"""Logging in and out of the clinic pages, and choosing a password after a one-time one."""
from __future__ import annotations

import math
from datetime import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from werkzeug.routing import BuildError

from pro_service.auth import sessions
from pro_service.auth.access import clinician_required
from pro_service.auth.forms import LoginForm, SetPasswordForm
from pro_service.auth.password_policy import MAX_LENGTH, PasswordProblem
from pro_service.auth.users import LoginOutcome, LoginResult, PasswordRefused, authenticate, end_sessions, set_password
from pro_service import rate_limits
from pro_service.extensions import limiter
from pro_service.redirects import is_local_path
from pro_service.i18n import LOCALES, _, get_locale, ngettext
from pro_service.types import utcnow

bp = Blueprint("auth", __name__)

# Where a clinician lands after logging in; the first endpoint that exists wins.
HOME_ENDPOINTS = ("clinic.caseload", "clinic.index")
HOME_FALLBACK = "/clinic/"
DEFAULT_LOGIN_LIMIT = "10 per minute; 50 per hour"
# The languages the clinic pages are offered in at login (the Nordic clinics' own, and English).
CLINIC_LOCALES = ("nb", "nn", "se", "da", "sv", "en")
LANGUAGE_COOKIE = "clinic_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# What a user who must still choose a password may open: the form, logging out, and static files.
OPEN_BEFORE_PASSWORD = frozenset({"auth.set_password", "auth.confirm_logout", "auth.logout", "static"})


def _login_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_LIMIT)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, key_func=rate_limits.by_address, methods=["POST"])
@limiter.limit(_login_limit, key_func=rate_limits.by_login_email, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home())
    chosen = request.args.get("language")
    if chosen is not None:
        return _remember_language(chosen)
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    if remembered in CLINIC_LOCALES and session.get("locale") != remembered:
        session["locale"] = remembered
        refresh()  # this request already renders in the remembered language
    form = LoginForm()
    problem = None
    if form.validate_on_submit():
        now = utcnow()
        result = authenticate(email=form.email.data, password=form.password.data, now=now)
        if result.outcome is LoginOutcome.OK:
            return redirect(_start_session(result.user))
        problem = _problem(result, now)
    # 200 even for a refused attempt: the failure count is committed with the response.
    return render_template("auth/login.html", form=form, problem=problem, languages=_language_choices())


def _language_choices() -> list[tuple[str, str, bool]]:
    current = str(get_locale())
    return [(code, LOCALES[code], code == current) for code in CLINIC_LOCALES]


def _remember_language(code: str):
    """The login page's language menu (a GET form, no JavaScript): kept in the session and a year-long cookie."""
    response = redirect(url_for("auth.login"))
    if code in CLINIC_LOCALES:
        session["locale"] = code
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=LANGUAGE_COOKIE_AGE, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


@bp.route("/logout", methods=["GET"])
def confirm_logout():
    """A page with the logout button, for a plain link (logging out itself is a POST)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html")


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_sessions(user=current_user)  # a copy of this cookie, anywhere, stops working too
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"], endpoint="set_password")
@clinician_required
def set_password_view():
    """After a one-time password: the user chooses their own before any other page opens."""
    if not current_user.must_set_password:
        return redirect(_home())
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            set_password(user=user, password=form.password.data, min_length=_min_length())
        except PasswordRefused as refused:
            form.password.errors.append(_password_message(refused.problem))
        else:
            target = _start_session(user)  # on the new session version; other sessions have ended
            flash(_("Your password is set. Use it the next time you log in."), "info")
            return redirect(target)
    return render_template("auth/set_password.html", form=form, min_length=_min_length())


@bp.before_app_request
def _password_first():
    """Until a one-time password is replaced, every other page leads to the set-password form."""
    if "_user_id" not in session or request.endpoint in OPEN_BEFORE_PASSWORD:
        return None  # no login in this session (respondents, the API): nothing to look up
    if current_user.is_authenticated and current_user.must_set_password:
        return redirect(url_for("auth.set_password"))
    return None


def _password_message(problem: PasswordProblem) -> str:
    if problem is PasswordProblem.TOO_SHORT:
        return ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.", _min_length())
    if problem is PasswordProblem.TOO_LONG:
        return ngettext("Use at most %(num)d character.", "Use at most %(num)d characters.", MAX_LENGTH)
    if problem is PasswordProblem.COMMON:
        return _("This password is too common and easy to guess. Choose another.")
    return _("The password must not contain your name, your email address or the name of the service.")


def _min_length() -> int:
    return current_app.config["SETTINGS"].password_min_length


def _start_session(user) -> str:
    """Log `user` in on a fresh session (keeping only where they were going) and say where to go."""
    next_url = session.get("next")
    session.clear()
    # A language chosen on the login page wins over the account's default.
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    session["locale"] = remembered if remembered in CLINIC_LOCALES else user.language
    login_user(user)
    sessions.stamp(user)
    if user.must_set_password:
        if next_url:
            session["next"] = next_url  # for after the new password
        return url_for("auth.set_password")
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
    return is_local_path(url)


def _home() -> str:
    for endpoint in HOME_ENDPOINTS:
        try:
            return url_for(endpoint)
        except BuildError:
            continue
    return HOME_FALLBACK
