"""Extreme values refused at the boundary: dates outside 1900–2200, overlong URLs, JSON nested too deep.

A date of year 1 or 9999 parses, but turning it into UTC, counting days from
it or storing it can overflow somewhere far from the input; a body of 10,000
nested brackets exhausts the parser's recursion. Each is a clear 4xx where it
comes in (a problem in the API, a translated form error, exit 2 on the CLI),
never a 500 later.
"""
from __future__ import annotations

from datetime import date, datetime

import click

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
DATE_RANGE = f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}"
# The range as a pattern on the text (the day as written, before any offset), for the OpenAPI description.
DATE_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"
MAX_URL_LENGTH = 8192
"""Path and query together, in bytes as sent; longer is a 414 (servers' own limits are higher or answer in HTML)."""


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def check_date(value: date) -> date:
    """Pydantic after-validator: a day of the supported range."""
    if not in_range(value):
        raise ValueError(f"must be a date {DATE_RANGE}")
    return value


def check_datetime(value: datetime) -> datetime:
    """Pydantic after-validator, before any conversion to UTC (which overflows near years 1 and 9999)."""
    if not in_range(value.date()):
        raise ValueError(f"must be a date and time {DATE_RANGE}")
    return value


class Day(click.DateTime):
    """A CLI date (YYYY-MM-DD) of the supported range; anything else is a usage error (exit 2)."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def convert(self, value, param, ctx):
        converted = super().convert(value, param, ctx)
        if not in_range(converted.date()):
            self.fail(f"{converted.date().isoformat()} is not a date {DATE_RANGE}", param, ctx)
        return converted


def refuse_dates_out_of_range(form) -> bool:
    """Give every date field of a web form holding a day outside the range one translated error; False if any."""
    from wtforms import DateField

    from pro_service.i18n import _

    valid = True
    for field in form:
        if isinstance(field, DateField) and field.data is not None and not in_range(field.data):
            field.errors = [_("Enter a date between %(earliest)s and %(latest)s.",
                              earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())]
            valid = False
    return valid
