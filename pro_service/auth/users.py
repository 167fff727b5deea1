"""What changes a user: create, grant a role, log in (with lockout), passwords and sessions.

A password printed by `users create`, `users reset-password` or `demo` is one-time: the login it
allows uses it up, and the user must choose their own before any other page opens. Each user has a
session version, copied into the session cookie at login and compared on every request: bumping it
(logout, a new password, an administrator's reset) ends every session the user has, wherever the
cookie has been copied to.

Keyword-only functions in the current unit of work; they only flush.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import select

from pro_service import db
from pro_service.auth.models import USER_LANGUAGES, Membership, Role, User
from pro_service.auth.password_policy import MIN_LENGTH, PasswordProblem, password_problem
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


class PasswordRefused(UserError):
    """A password the policy refuses; `problem` says which rule, for a translated message."""

    def __init__(self, problem: PasswordProblem) -> None:
        super().__init__(f"password refused: {problem.value}")
        self.problem = problem


def create_user(*, email: str, name: str, unit: Unit, role: Role | str,
                language: str = "nb", password: str | None = None) -> tuple[User, str]:
    """Create a user with a role in `unit`; returns the user and their password (not stored).

    Without `password` the user gets a one-time password to hand over in person; with one (tests,
    scripted set-ups) it is checked against the password policy and kept.
    """
    email = normalise_email(email)
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    if language not in USER_LANGUAGES:
        raise UserError(f"language must be one of {', '.join(USER_LANGUAGES)}")
    if find_user(email=email):
        raise UserError(f"a user with email {email!r} already exists")
    user = User(email=email, name=name or email, password_hash="", language=language)
    if password is None:
        password = one_time_password()
        user.password_hash = hash_password(password)
    else:
        _check_password(user, password)
        user.password_hash, user.must_set_password = hash_password(password), False
    session = db.session()
    session.add(user)
    session.flush()
    grant_role(user=user, unit=unit, role=role)
    return user, password


def reset_password(*, user: User) -> str:
    """Give `user` a new one-time password (returned, not stored) and end all their sessions.

    For an administrator when a user forgot their password or left before choosing one. The lock
    after failed attempts is lifted too: the administrator has just vouched for the person.
    """
    password = one_time_password()
    user.password_hash, user.must_set_password = hash_password(password), True
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user=user)
    return password


def set_password(*, user: User, password: str, min_length: int = MIN_LENGTH) -> None:
    """Make `password` the user's own (it must pass the policy) and end their other sessions.

    Raises PasswordRefused naming the rule it breaks. The caller starts the current session again.
    """
    _check_password(user, password, min_length=min_length)
    user.password_hash, user.must_set_password = hash_password(password), False
    end_sessions(user=user)


def end_sessions(*, user: User) -> None:
    """End every session of `user`: the version their cookies carry no longer matches."""
    user.session_version += 1
    db.session().flush()


def _check_password(user: User, password: str, *, min_length: int = MIN_LENGTH) -> None:
    problem = password_problem(password, min_length=min_length, personal=(user.email, user.name))
    if problem is not None:
        raise PasswordRefused(problem)


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
    A one-time password is used up by the login it allows: its hash is
    cleared, so a second login with it is refused like a wrong password.
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
    if user.must_set_password:
        user.password_hash = ""
    elif needs_rehash(user.password_hash):
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
