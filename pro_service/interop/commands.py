"""`pro-service export fhir`: one pathway as a FHIR Bundle, or everything since a date as NDJSON (Bulk Data).

Each export is a read of patients' data, so it is audited like an API read
(one row per pathway, actor `system`).
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from pro_service import db, definitions
from pro_service.audit.operations import record, record_many
from pro_service.pathways.models import Pathway
from pro_service.bounds import Day
from pro_service.progress import LateProgress

from . import queries
from .context import context_for
from .export import pathway_bundle, write_ndjson

export_cli = AppGroup("export", help="Data out: FHIR R4 for EPRs.")


@export_cli.command("fhir")
@click.option("--pathway", "pathway_id", default=None, help="One pathway's id: writes a Bundle (JSON) to --out.")
@click.option("--since", type=Day(), default=None,
              help="Every response submitted on or after this day (YYYY-MM-DD, local time): NDJSON files in --out.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="A file for --pathway, a directory for --since.")
def export_fhir(pathway_id: str | None, since: datetime | None, out: Path) -> None:
    """FHIR R4: Patient, QuestionnaireResponse and Observation resources (with --since, one file per type)."""
    if (pathway_id is None) == (since is None):
        raise click.UsageError("give exactly one of --pathway ID or --since DATE")
    settings = current_app.config["SETTINGS"]
    context, catalog = context_for(settings), definitions.catalog()
    if pathway_id is not None:
        with db.unit_of_work() as session:
            pathway = session.get(Pathway, pathway_id)
            if pathway is None:
                raise click.ClickException(f"no pathway with id {pathway_id!r}")
            bundle = pathway_bundle(queries.pathway_record(pathway), catalog=catalog, context=context)
            record(action="pathway.fhir_export", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
                   pathway_id=pathway.id)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(bundle.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
        click.echo(f"Wrote a Bundle of {len(bundle.entry or [])} resource(s) to {out}.")
        return
    start = since.replace(tzinfo=ZoneInfo(settings.timezone))
    with db.unit_of_work() as session:
        pathway_ids = queries.pathway_ids_since(start)
        progress = LateProgress(len(pathway_ids), "Exporting pathways")
        exported: list[tuple[str, str, str]] = []

        def records():
            for pathway_id in pathway_ids:
                pathway = session.get(Pathway, pathway_id)
                exported.append((pathway.patient_id, pathway.unit_id, pathway.id))
                yield queries.pathway_record(pathway, since=start)
        try:
            counts = write_ndjson(records(), out, catalog=catalog, context=context, progress=progress)
        finally:
            progress.close()
        record_many(action="pathway.fhir_export", subjects=exported)
    lines = ", ".join(f"{counts[kind]} {kind}" for kind in counts)
    click.echo(f"Wrote {lines} to {out} ({len(pathway_ids)} pathway(s)).")


COMMANDS = (export_cli,)
