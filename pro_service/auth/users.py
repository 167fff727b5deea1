"""What changes a user: create, grant a role, log in (with lockout).

Keyword-only functions in the current unit of work; they only flush.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import select

from pro_service import db
from pro_service.auth.models import USER_LANGUAGES, Membership, Role, User
from pro_service.auth.passwords import hash_password, needs_rehash, one_time_password, verify_password
from pro_service.pathways.models import Unit

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class UserError(ValueError):
    """A request the user rules do not allow; the message says which rule."""


class LoginOutcome(StrEnum):
    OK = "ok"
    REFUSED = "refused"  # unknown email, wrong password or inactive: one answer for all three
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    locked_until: datetime | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(*, email: str) -> User | None:
    return db.session().exec(select(User).where(User.email == normalise_email(email))).first()


def create_user(*, email: str, name: str, unit: Unit, role: Role | str,
                language: str = "nb") -> tuple[User, str]:
    """Create a user with a role in `unit`; returns the user and a one-time password (not stored)."""
    email = normalise_email(email)
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    if language not in USER_LANGUAGES:
        raise UserError(f"language must be one of {', '.join(USER_LANGUAGES)}")
    if find_user(email=email):
        raise UserError(f"a user with email {email!r} already exists")
    password = one_time_password()
    user = User(email=email, name=name or email, password_hash=hash_password(password), language=language)
    session = db.session()
    session.add(user)
    session.flush()
    grant_role(user=user, unit=unit, role=role)
    return user, password


def grant_role(*, user: User, unit: Unit, role: Role | str) -> Membership:
    """Give `user` `role` in `unit`, replacing the role they had there (one role per unit)."""
    role = Role(role)
    session = db.session()
    membership = session.exec(
        select(Membership).where(Membership.user_id == user.id, Membership.unit_id == unit.id)
    ).first()
    if membership is None:
        membership = Membership(user_id=user.id, unit_id=unit.id, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    return membership


def authenticate(*, email: str, password: str, now: datetime) -> LoginResult:
    """Check a login attempt and count failures; updates the user row (flushes).

    Unknown email, wrong password and inactive account give the same REFUSED
    answer, at the same cost (a dummy argon2 verify for an unknown email).
    The fifth failure in a row locks the account for 15 minutes; while locked,
    even the right password is refused with LOCKED and the password is not
    checked, so the lock cannot be used to test guesses. Failures while locked
    do not extend the lock, so an attacker cannot keep a clinician out for
    longer than 15 minutes per 5 attempts (and the per-address rate limit
    slows that down). A success resets the count.

    LOCKED does tell whoever made the fifth attempt that the email has an
    account. We accept that: it costs five guesses per email, inside the
    per-address rate limit, while a clinician who is silently locked out
    cannot tell why their right password fails.
    """
    user = find_user(email=email)
    if user is None:
        verify_password(None, password)
        return LoginResult(LoginOutcome.REFUSED)
    if user.locked_until is not None and now < user.locked_until:
        return LoginResult(LoginOutcome.LOCKED, locked_until=user.locked_until)
    if user.locked_until is not None:  # the lock has run out: a fresh count of attempts
        user.locked_until = None
        user.failed_logins = 0
    if not verify_password(user.password_hash, password):
        return _failed(user, now)
    if not user.is_active:
        return LoginResult(LoginOutcome.REFUSED)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.last_login_at = now
    db.session().flush()
    return LoginResult(LoginOutcome.OK, user=user)


def _failed(user: User, now: datetime) -> LoginResult:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + LOCKOUT
    db.session().flush()
    if user.locked_until is not None:
        return LoginResult(LoginOutcome.LOCKED, locked_until=user.locked_until)
    return LoginResult(LoginOutcome.REFUSED)
