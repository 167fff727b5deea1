"""`pro-service letters render|batch`: GP letters as PDF/A files, one or every one that is due.

A batch goes on past a letter that fails and names every failure at the end
(exit 1), so one patient without a GP never holds back the others' letters.
Rendering is CPU-bound, so a batch uses one process per core (see
benchmarks/letters.py for what that gains).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from pro_service import db
from pro_service.letters.operations import letters_due, preview_letter
from pro_service.plain_text import MULTI_LINE_TEXT
from pro_service.types import utcnow

letters_cli = AppGroup("letters", help="Render GP letters as PDF/A files.")

SERIAL_BELOW = 8
"""Fewer letters than this render in-process: starting workers would cost more than it saves."""

_worker_app: Flask | None = None


@letters_cli.command("render")
@click.option("--milestone-event", "milestone_event_id", required=True, help="The milestone event's id.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True)
@click.option("--note", default="", type=MULTI_LINE_TEXT, help="The clinician's note to the GP.")
def render_command(milestone_event_id: str, out: Path, note: str) -> None:
    """Write the letter for one milestone event to OUT (a preview: nothing is stored)."""
    try:
        preview = preview_letter(milestone_event_id=milestone_event_id, note=note)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    out.write_bytes(preview.pdf)
    click.echo(f"{out}: {len(preview.pdf):,} bytes")


@letters_cli.command("batch")
@click.option("--due", is_flag=True, required=True, help="Every clinical decision, evaluation and end without a finalized letter.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write <milestone event id>.pdf files into.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Processes (default: one per core).")
def batch_command(due: bool, out: Path, workers: int | None) -> None:
    """Render every letter that is due into OUT, continuing past failures and listing them at the end."""
    out.mkdir(parents=True, exist_ok=True)
    event_ids = [event.id for event in letters_due(utcnow())]
    failures: list[tuple[str, str]] = []
    with click.progressbar(length=len(event_ids), label="Letters", file=sys.stderr) as bar:
        for event_id, error in render_batch(event_ids, out, workers=workers or os.cpu_count() or 1):
            if error:
                failures.append((event_id, error))
            bar.update(1)
    click.echo(f"{len(event_ids) - len(failures)} of {len(event_ids)} letters written to {out}")
    if failures:
        click.echo(f"{len(failures)} failed:", err=True)
        for event_id, error in failures:
            click.echo(f"  milestone event {event_id}: {error}", err=True)
        raise click.exceptions.Exit(1)


def render_batch(event_ids: list[str], out: Path, *, workers: int) -> Iterator[tuple[str, str | None]]:
    """(event id, error or None) per letter, in the order they finish."""
    if workers == 1 or len(event_ids) < SERIAL_BELOW:
        yield from (_write_letter(event_id, out) for event_id in event_ids)
        return
    # No pooled connection may cross the fork: each worker opens its own.
    db.session().close()
    db.engine().dispose()
    settings = current_app.config["SETTINGS"].model_dump()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker, initargs=(settings,)) as pool:
        yield from pool.imap_unordered(_worker_letter, _with(event_ids, out), chunksize=4)


def _with(event_ids: Iterable[str], out: Path) -> Iterator[tuple[str, Path]]:
    return ((event_id, out) for event_id in event_ids)


def _write_letter(event_id: str, out: Path) -> tuple[str, str | None]:
    try:
        pdf = preview_letter(milestone_event_id=event_id, note="").pdf
        (out / f"{event_id}.pdf").write_bytes(pdf)
        return event_id, None
    except Exception as exc:  # noqa: BLE001 - one failing letter must not stop the batch
        return event_id, f"{type(exc).__name__}: {exc}"
    finally:
        db.session().rollback()


def _start_worker(settings: dict) -> None:
    global _worker_app
    from pro_service import create_app

    _worker_app = create_app(settings)
    _worker_app.app_context().push()


def _worker_letter(job: tuple[str, Path]) -> tuple[str, str | None]:
    return _write_letter(*job)
