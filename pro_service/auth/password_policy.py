"""Which passwords a user may choose: NIST SP 800-63B's rules, as plain functions.

Length is what makes a password hard to guess, so the rules are a minimum length
(8 characters at least, more by setting), room for long passphrases (64 and
beyond), and a refusal of passwords attackers try first: those on a list of
common and breached passwords, the user's own name or email address, the name
of the service, one character repeated. There are no composition rules (no
"one digit and one symbol"): they make passwords harder to remember, not to
guess. Passwords are compared after Unicode NFKC normalisation, as they are
hashed, so "ｐａｓｓｗｏｒｄ１" is the same word as "password1".
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

MIN_LENGTH = 8
"""The floor NIST sets for a password the user chooses; the setting may raise it, never lower it."""
MAX_LENGTH = 128
"""NIST asks for at least 64; argon2 hashes any length, this only bounds the work per request."""
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
SERVICE_WORDS = ("pro-service", "proservice")
_SHORTEST_PERSONAL_WORD = 4  # "Ali" inside a password is a coincidence, "nordmann" is not


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    PERSONAL = "personal"


def normalise(password: str) -> str:
    """The form a password is checked and hashed in (NFKC), so the same keystrokes always match."""
    return unicodedata.normalize("NFKC", password)


def password_problem(password: str, *, min_length: int = MIN_LENGTH, personal: Iterable[str] = ()) -> \
        PasswordProblem | None:
    """The first rule `password` breaks, or None when it may be used.

    :param personal: the user's email address and name, which must not appear in it.
    """
    password = normalise(password)
    length = len(password)
    if length < max(min_length, MIN_LENGTH):
        return PasswordProblem.TOO_SHORT
    if length > MAX_LENGTH:
        return PasswordProblem.TOO_LONG
    folded = password.casefold()
    if folded in common_passwords() or len(set(folded)) == 1:
        return PasswordProblem.COMMON
    squeezed = _squeeze(folded)
    if any(word in squeezed for word in _personal_words(personal)):
        return PasswordProblem.PERSONAL
    return None


def _personal_words(values: Iterable[str]) -> set[str]:
    """The email address, its local part and each part of it and of the name, lower-cased and squeezed."""
    words = set(SERVICE_WORDS)
    for value in values:
        value = normalise(value or "").casefold().strip()
        local = value.split("@", 1)[0]
        words.update({value, local}, re.split(r"[\s._+\-@]+", value))
    return {_squeeze(word) for word in words if len(_squeeze(word)) >= _SHORTEST_PERSONAL_WORD}


def _squeeze(text: str) -> str:
    # "Kari.Nordmann" and "kari nordmann" hide the same name: compare letters and digits only.
    return "".join(character for character in text if character.isalnum())


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (its source is named at the top of the file)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))
