"""Invitation secrets: shown once, stored only as a hash.

A link token carries 128 random bits, so a plain SHA-256 is enough to store it
(no salt or slow hash needed: it cannot be guessed from a dictionary). A short
code has only 40 bits; its attempts are rate-limited where it is typed.
"""
from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L: a patient reads the code off a letter and types it on a tablet.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
TOKEN_BYTES = 16  # 128 bits


def new_link_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_short_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str:
    """Accept what people type: lower case, spaces and dashes are forgiven."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def hash_secret(kind: str, secret: str) -> str:
    # The kind is part of the hash so a code can never open a link lookup and vice versa.
    return hashlib.sha256(f"{kind}:{secret}".encode()).hexdigest()
