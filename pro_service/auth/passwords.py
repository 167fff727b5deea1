"""Password hashing with argon2id, and the one-time passwords `users create` prints.

Passwords are hashed in NFKC form (`password_policy.normalise`), so a password typed on another
keyboard or device with the same characters still matches.
"""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pro_service.auth.password_policy import normalise

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

# No 0/O, 1/l/I: a one-time password is read off a screen and typed by hand.
_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash (unknown user, used one-time password), take as long and say no."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, normalise(password)) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def one_time_password(length: int = 16) -> str:
    """About 93 bits from the secrets module, in characters that are easy to type."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
