"""Who may see what: login, roles and unit-based access, in one place.

Every view, API call and query that touches a patient's data gets its unit
check from here. Another unit's pathway or patient is a 404, never a 403, so
a clinician cannot learn that it exists.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, has_request_context, request
from flask_login import current_user
from sqlalchemy import ColumnElement
from sqlmodel import select

from pro_service import db
from pro_service.auth import sessions
from pro_service.auth.models import PATIENT_DATA_ROLES, Membership, Role, User
from pro_service.extensions import login_manager
from pro_service.i18n import _l
from pro_service.pathways.models import Pathway, Patient, Unit

F = TypeVar("F", bound=Callable[..., Any])
_UNITS_KEY = "pro_service.patient_data_units"


def init_app(app: Flask) -> None:
    # No context processor: Flask-Login's loads the user for every rendered page, and its "strong"
    # session protection then rewrites a respondent's session cookie on every GET. Templates get the
    # lazy proxy instead, which loads the user only on pages that name it (the clinic's).
    login_manager.init_app(app, add_context_processor=False)
    app.jinja_env.globals["current_user"] = current_user
    # Where to return after login waits in the session, not in a `next=` query that logs would keep.
    app.config.setdefault("USE_SESSION_FOR_NEXT", True)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # "strong": a session cookie replayed from another address or browser is dropped.
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    sessions.init_app(app)


def _load_user(user_id: str) -> User | None:
    user = db.session().get(User, user_id)
    # A deactivated user's open session ends with their next request; so does one that was logged
    # out, reset, idle too long or open too long (`sessions`).
    if user is None or not user.is_active or not sessions.still_valid(user):
        return None
    return user


def clinician_required(view: F) -> F:
    """A logged-in, active user; anyone else is sent to the login page."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or not current_user.is_active:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def require_role(*roles: Role | str) -> Callable[[F], F]:
    """A logged-in, active user with one of `roles` in at least one unit (403 otherwise).

    For pages that are not about one patient (reports, administration); use
    `units_with_role` to narrow what the page shows to those units.
    """
    wanted = frozenset(Role(role) for role in roles)

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or not current_user.is_active:
                return login_manager.unauthorized()
            if not units_with_role(current_user, *wanted):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def units_with_role(user: Any, *roles: Role | str) -> frozenset[str]:
    """Ids of the units where `user` holds one of `roles` (empty for anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    wanted = [Role(role).value for role in roles]
    rows = db.session().exec(
        select(Membership.unit_id).where(Membership.user_id == user.get_id(), Membership.role.in_(wanted))
    )
    return frozenset(rows)


def patient_data_units(user: Any = None) -> frozenset[str]:
    """Ids of the units whose patients `user` (default: the current user) may see.

    Clinicians and unit leaders see their unit's patients; an administrator
    sees none unless also a clinician of that unit. One query per request.
    """
    user = current_user if user is None else user
    cache = request.environ.setdefault(_UNITS_KEY, {}) if has_request_context() else {}
    key = user.get_id() if user is not None and user.is_authenticated else None
    if key not in cache:
        cache[key] = units_with_role(user, *PATIENT_DATA_ROLES)
    return cache[key]


def visible_to(unit_column: ColumnElement | Any, user: Any = None) -> ColumnElement[bool]:
    """A WHERE clause limiting a query to rows of the units `user` may see, e.g. `visible_to(Pathway.unit_id)`."""
    return unit_column.in_(sorted(patient_data_units(user)))


def get_pathway_or_404(pathway_id: str) -> Pathway:
    """The pathway, if the current user may see its unit's patients; 404 otherwise."""
    pathway = db.session().get(Pathway, pathway_id) if pathway_id else None
    if pathway is None or pathway.unit_id not in patient_data_units():
        abort(404)
    return pathway


def get_patient_or_404(patient_id: str) -> Patient:
    """The patient, if the current user may see their unit's patients; 404 otherwise."""
    patient = db.session().get(Patient, patient_id) if patient_id else None
    if patient is None or patient.unit_id not in patient_data_units():
        abort(404)
    return patient


def get_unit_or_404(unit_id: str) -> Unit:
    """A unit whose patients the current user may see (for a caseload); 404 otherwise."""
    if not unit_id or unit_id not in patient_data_units():
        abort(404)
    unit = db.session().get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit

