"""`pro-service report outcomes | merge`: the outcome report on the command line, and a regional merge."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup
from sqlmodel import select

from pro_service import db, definitions
from pro_service.pathways.models import Unit
from pro_service.bounds import Day
from pro_service.progress import LateProgress

from .export import merge as merge_documents
from .formats import to_csv, to_table
from .model import BY_VALUES, ReportRequest
from .operations import refresh_all
from .queries import STEPS
from .reading import outcome_document
from .suppression import suppress

report_cli = AppGroup("report", help="Quality reports: outcome beside process.")
FORMATS = ("table", "csv", "json")


def _write(doc: dict, output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        click.echo(to_csv(doc), nl=False)
    else:
        click.echo(to_table(doc), nl=False)


@report_cli.command("outcomes")
@click.option("--from", "start", required=True, type=Day(), help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=Day(), help="Last day, included.")
@click.option("--unit", "unit_codes", multiple=True, help="A unit's code; repeat for several (default: all units).")
@click.option("--package", default=None, help="A package id or code (default: every package).")
@click.option("--role", type=click.Choice(["self", "parent", "other_relative", "teacher"]), default=None,
              help="Only this respondent role (default: every role).")
@click.option("--by", type=click.Choice(BY_VALUES), default="unit", show_default=True)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True)
def outcomes(start, end, unit_codes, package, role, by, output_format) -> None:
    """Outcome beside process for pathways that ended in the period; counts of 1–4 are suppressed."""
    start_day, end_day = start.date(), end.date()
    if end_day < start_day:
        raise click.BadParameter("must not be before --from", param_hint="--to")
    chosen = definitions.packages().find(package) if package else None
    if package and chosen is None:
        raise click.BadParameter(f"no package {package!r}", param_hint="--package")
    progress = LateProgress(len(STEPS), "Computing the report")
    try:
        with db.unit_of_work() as session:
            units = _units(session, unit_codes)
            request = ReportRequest(start=start_day, end=end_day, units=units, package=chosen and chosen.id,
                                    role=role, by=by)
            doc = outcome_document(request, progress=progress)
    finally:
        progress.close()
    _write(doc, output_format)


def _units(session, codes: tuple[str, ...]) -> tuple[str, ...]:
    rows = dict(session.exec(select(Unit.code, Unit.id)).all())
    unknown = [code for code in codes if code not in rows]
    if unknown:
        raise click.BadParameter(f"no unit {', '.join(unknown)}", param_hint="--unit")
    return tuple(rows[code] for code in codes) if codes else tuple(rows.values())


@report_cli.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.File("r", encoding="utf-8"))
@click.option("--by", type=click.Choice(BY_VALUES), default=None, help="Regroup (default: as the first file).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True)
def merge(files, by, output_format) -> None:
    """Combine JSON reports from several installations into one regional report (suppressed again)."""
    documents = []
    for handle in files:
        try:
            documents.append(json.load(handle))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise click.BadParameter(f"{handle.name}: not JSON ({exc})", param_hint="FILES") from None
    try:
        merged = merge_documents(documents, by=by)
    except (ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"cannot merge: {exc}") from None
    _write(suppress(merged), output_format)


@report_cli.command("refresh")
def refresh() -> None:
    """Rebuild every pathway's report rows (after changing an instrument's cut-off or reliable-change basis)."""
    with db.unit_of_work() as session:
        count = refresh_all(session=session, catalog=definitions.catalog(), packages=definitions.packages(),
                            timezone=current_app.config["SETTINGS"].timezone)
    click.echo(f"Report rows rebuilt for {count} pathway(s).")


COMMANDS = (report_cli,)
