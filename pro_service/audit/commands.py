"""`pro-service audit export`: the patient's right to know who saw their data."""
from __future__ import annotations

import csv
import sys
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from sqlmodel import select

from pro_service import db
from pro_service.audit.operations import record
from pro_service.audit.queries import patient_trail
from pro_service.pathways.models import Patient, Unit

audit_cli = AppGroup("audit", help="The audit trail of patients' data.")


@audit_cli.command("export")
@click.option("--patient", "external_id", required=True, help="The patient's id in the EPR.")
@click.option("--unit", "unit_code", default=None, help="The unit's code (needed when the id is in several units).")
def export(external_id: str, unit_code: str | None) -> None:
    """Print CSV (time, actor, action, pathway) of every read and change of the patient's data."""
    zone = ZoneInfo(current_app.config["SETTINGS"].timezone)
    with db.unit_of_work():
        patient = _patient(external_id, unit_code)
        trail = patient_trail(patient_id=patient.id)
        # The export itself shows the patient's data to whoever runs it.
        record(action="audit.export", patient_id=patient.id, unit_id=patient.unit_id)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["time", "actor", "action", "pathway"])
    for line in trail:
        writer.writerow([line.at.astimezone(zone).isoformat(timespec="seconds"), line.actor, line.action,
                         line.pathway_id or ""])


def _patient(external_id: str, unit_code: str | None) -> Patient:
    statement = select(Patient).where(Patient.external_id == external_id)
    if unit_code:
        statement = statement.join(Unit, Unit.id == Patient.unit_id).where(Unit.code == unit_code)
    patients = db.session().exec(statement).all()
    if not patients:
        raise click.ClickException("no such patient" + (f" in unit {unit_code}" if unit_code else ""))
    if len(patients) > 1:
        raise click.ClickException(f"the id is used in {len(patients)} units; name one with --unit")
    return patients[0]
