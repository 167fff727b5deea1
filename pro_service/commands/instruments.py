"""``pro-service score``, ``change`` and ``instruments list|validate``: the instrument core from a shell.

EPR scripts and acceptance tests call these, so the contract is strict: JSON on
stdout when it works; otherwise one line on stderr, exit status 2 and nothing on
stdout. They are plain click commands: scoring needs no app and no database.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from pro_service.config import Settings
from pro_service.instruments import (
    CatalogError,
    Instrument,
    InvalidAnswers,
    change as classify_change,
    load_catalog,
    load_instrument,
    score as score_answers,
)

USAGE_ERROR = 2
MISSING = "-"


class _OneLineError(click.UsageError):
    """A usage error printed as one line, without click's usage block."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class _Command(click.Command):
    """Turns click's own usage errors (a missing argument, …) into one line too."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            if isinstance(exc, _OneLineError):
                raise
            raise _OneLineError(exc.format_message()) from None


def _fail(message: str) -> NoReturn:
    raise _OneLineError(message.replace("\n", "; "))


def _instruments_dir() -> Path:
    return Settings().surveys_dir / "instruments"


def _instrument(instrument_id: str) -> Instrument:
    directory = _instruments_dir()
    path = directory / f"{instrument_id}.yaml"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", instrument_id) or not path.is_file():
        known = ", ".join(sorted(p.stem for p in directory.glob("*.yaml")))
        _fail(f"unknown instrument {instrument_id!r} (known: {known})")
    try:
        return load_instrument(path)
    except CatalogError as exc:
        _fail(str(exc))


def _number(text: str, *, what: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        _fail(f"{what} {text!r} is not a number")
    if value != value or value in (float("inf"), float("-inf")):
        _fail(f"{what} {text!r} is not a number")
    return value


def _print_json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


_ONE_LINE = {"cls": _Command, "context_settings": {"ignore_unknown_options": True}}


_SEX = click.option("--sex", type=click.Choice(["female", "male", "other", "unknown"]), default=None,
                    help="The patient's administrative sex (FHIR); chooses a sex-specific caseness cut-off.")
_AGE = click.option("--age", type=click.IntRange(min=0), default=None, metavar="YEARS",
                    help="The patient's age in whole years; chooses an age-specific caseness cut-off.")


@click.command(**_ONE_LINE)  # type: ignore[arg-type]
@click.argument("instrument")
@click.argument("answers", nargs=-1, metavar="ANSWER...")
@_SEX
@_AGE
def score(instrument: str, answers: Sequence[str], sex: str | None, age: int | None) -> None:
    """Score one response: one ANSWER per item, in item order.

    An ANSWER is the option's 0-based position on its response scale, lowest
    first ('Not at all' is 0) whatever points the manual gives it; a number for
    a number item; '-' for a missing answer (and for a free-text item).
    Without --sex and --age each scale's default caseness cut-off applies; the
    JSON names the cut-off used ("threshold") per scale.
    """
    definition = _instrument(instrument)
    if len(answers) != len(definition.items):
        _fail(f"{instrument} has {len(definition.items)} items; got {len(answers)} answers")
    by_item = {
        item.number: None if answer == MISSING else _number(answer, what=f"item {item.number}: answer")
        for item, answer in zip(definition.items, answers)
    }
    try:
        result = score_answers(definition, by_item, sex=sex, age=age)
    except InvalidAnswers as exc:
        _fail(str(exc))
    _print_json(result.as_dict())


@click.command(**_ONE_LINE)  # type: ignore[arg-type]
@click.argument("instrument")
@click.argument("before")
@click.argument("after")
@click.option("--scale", "scale_id", default=None, help="Scale id (default: the instrument's first scale).")
@_SEX
@_AGE
def change(instrument: str, before: str, after: str, scale_id: str | None, sex: str | None, age: int | None) -> None:
    """Classify the change from BEFORE to AFTER, two scores on one scale.

    --sex and --age choose the caseness cut-off for clinical significance, as scoring does.
    """
    definition = _instrument(instrument)
    scores = _number(before, what="BEFORE"), _number(after, what="AFTER")
    try:
        result = classify_change(definition, scale_id or definition.default_scale.id, *scores, sex=sex, age=age)
    except ValueError as exc:
        _fail(str(exc))
    _print_json(result.as_dict())


@click.group()
def instruments() -> None:
    """List and validate the instrument files in surveys/instruments."""


@instruments.command("list", cls=_Command)
def list_instruments() -> None:
    """One line per instrument: id, version, title, languages (tab-separated)."""
    try:
        catalog = load_catalog(_instruments_dir())
    except CatalogError as exc:
        _fail(str(exc))
    for definition in catalog.values():
        title = definition.title.get("en") or definition.title.get("nb", "")
        languages = ",".join(definition.languages)
        click.echo(f"{definition.id}\t{definition.version}\t{title}\t{languages}")


@instruments.command(cls=_Command)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def validate(files: Sequence[str]) -> None:
    """Check instrument files (default: the whole directory); exit status 2 when one is invalid."""
    problems: list[tuple[str, str, str]] = []
    count = len(files)
    if not files:
        try:
            count = len(load_catalog(_instruments_dir()))
        except CatalogError as exc:
            problems += exc.problems
    for path in files:
        try:
            load_instrument(path)
        except CatalogError as exc:
            problems += exc.problems
    if problems:
        for line in CatalogError(problems).args[0].splitlines():
            click.echo(line, err=True)
        raise SystemExit(USAGE_ERROR)
    click.echo(f"{count} instrument file(s) valid")


COMMANDS = [score, change, instruments]
