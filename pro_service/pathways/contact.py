"""What an e-mail address and a mobile number look like before anything is sent to them.

One rule for the API, the clinic's forms and the outbox: no whitespace or
control characters (a line break in an address could add a header to the
message), one '@' with a dot after it, a phone number of digits with spaces,
brackets and dashes. The outbox checks again, so nothing that slipped in
another way (an old row, a script) reaches a mail server or an SMS gateway.
"""
from __future__ import annotations

import re

_MAILBOX = r"[^@\s\x00-\x1f\x7f-\x9f]+"
EMAIL_PATTERN = rf"^{_MAILBOX}@{_MAILBOX}\.{_MAILBOX}$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()-]{3,38}$"
EMAIL_MAX, PHONE_MAX = 200, 40


def valid_email(value: str | None) -> bool:
    return bool(value) and len(value) <= EMAIL_MAX and re.fullmatch(EMAIL_PATTERN, value) is not None


def valid_phone(value: str | None) -> bool:
    return bool(value) and len(value) <= PHONE_MAX and re.fullmatch(PHONE_PATTERN, value) is not None


def valid_recipient(channel: str, value: str | None) -> bool:
    return valid_email(value) if channel == "email" else valid_phone(value)
