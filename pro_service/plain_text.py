"""Control characters are refused wherever text comes in: one rule for forms, the API, the CLI and URLs.

No name, code, address or note ever needs one, and each does harm somewhere
further on: a form feed ends a CSS string, a NUL makes PostgreSQL fail the
statement (a 500 instead of an answer), a carriage return splits an e-mail
header or a CSV row. So C0 controls, DEL and C1 controls are refused before
anything is stored or looked up; fields that hold several lines (notes) keep
tab, line feed and carriage return (browsers send line breaks as CR LF).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import click
from flask import abort, request
from flask_wtf import FlaskForm
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema
from wtforms import TextAreaField

from pro_service.i18n import _
from pro_service.bounds import refuse_dates_out_of_range

_SINGLE_LINE = r"\x00-\x1f\x7f-\x9f"
_MULTI_LINE = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
SINGLE_LINE_PATTERN = f"^[^{_SINGLE_LINE}]*$"
MULTI_LINE_PATTERN = f"^[^{_MULTI_LINE}]*$"
_FIND = {False: re.compile(f"[{_SINGLE_LINE}]"), True: re.compile(f"[{_MULTI_LINE}]")}


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of `text` that is refused, written as U+XXXX; None when the text is plain."""
    found = _FIND[multiline].search(text)
    return f"U+{ord(found.group()):04X}" if found else None


# --- API (pydantic) -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _PlainText:
    """Pydantic annotation: checked before stripping or any other constraint, and stated in the JSON schema."""

    multiline: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict:
        json_schema = handler(schema)
        if json_schema.get("type") == "string":
            json_schema.setdefault("pattern", MULTI_LINE_PATTERN if self.multiline else SINGLE_LINE_PATTERN)
        return json_schema

    def _check(self, value: Any) -> Any:
        if isinstance(value, str) and (found := control_character(value, multiline=self.multiline)):
            raise PydanticCustomError("control_character", "must not contain control characters (found {char})",
                                      {"char": found})
        return value


SingleLine = _PlainText()
MultiLine = _PlainText(multiline=True)
PlainStr = Annotated[str, SingleLine]


# --- Web forms (Flask-WTF) ------------------------------------------------------------------------------------

class PlainTextForm(FlaskForm):
    """The base of every form: a field whose submitted text holds a control character gets one clear error.

    Checked on what was submitted (`raw_data`), so select, hidden, date and
    password fields are covered as well as text; only a TextAreaField keeps line breaks and tabs.
    """

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            found = _first_control(getattr(field, "raw_data", None) or (), multiline=isinstance(field, TextAreaField))
            if found:
                # TRANSLATORS: %(char)s is a character code such as U+000C.
                field.errors = [_("This field contains an invisible control character (%(char)s). Type the "
                                  "text again without it.", char=found)]
                valid = False
        # A day of year 1 or 9999 parses but overflows later (time zones, day counts): one check for every form.
        return refuse_dates_out_of_range(self) and valid


def _first_control(values: Iterable[Any], *, multiline: bool) -> str | None:
    for value in values:
        if isinstance(value, str) and (found := control_character(value, multiline=multiline)):
            return found
    return None


# --- Command line (click) -------------------------------------------------------------------------------------

class PlainTextParam(click.ParamType):
    """A command's text argument without control characters: click exits 2 with the message."""

    name = "text"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and (found := control_character(value, multiline=self.multiline)):
            self.fail(f"must not contain control characters (found {found})", param, ctx)
        return value


MULTI_LINE_TEXT = PlainTextParam(multiline=True)


def refuse_control_characters(command: click.Command) -> None:
    """Give every plain text parameter of `command` and its subcommands the single-line check.

    A parameter declared with another type (a path, a choice, MULTI_LINE_TEXT) keeps it.
    """
    for param in command.params:
        if isinstance(param.type, click.types.StringParamType):
            param.type = PlainTextParam()
    for sub in getattr(command, "commands", {}).values():
        refuse_control_characters(sub)


# --- URLs ------------------------------------------------------------------------------------------------------

def refuse_control_characters_in_url() -> None:
    """Before every request: a path or query string that decodes to a control character is a 400.

    No id, token or parameter ever holds one, and PostgreSQL would fail a
    lookup with a NUL in it; the API answers the 400 as a problem document.
    """
    if control_character(request.path) or _first_control(
            (text for pair in request.args.items(multi=True) for text in pair), multiline=False):
        abort(400, description="The address contains a control character.")
