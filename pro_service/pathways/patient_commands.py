"""`pro-service patients sex UNIT EXTERNAL_ID SEX`: record a patient's administrative sex from the command line.

For sites whose EPR registered patients before it sent the sex: scores stored
from then on use the manuals' sex-specific caseness cut-offs (AUDIT, AUDIT-C,
DUDIT); scores already stored keep the cut-off they were judged by.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlmodel import select

from pro_service import db
from pro_service.audit.operations import record
from pro_service.pathways import queries
from pro_service.pathways.models import AdministrativeSex, Unit
from pro_service.pathways.operations import update_patient_sex

patients_cli = AppGroup("patients", help="Patients' records as scoring needs them.")

NONE = "none"


@patients_cli.command("sex")
@click.argument("unit_code", metavar="UNIT")
@click.argument("external_id")
@click.argument("sex", metavar="SEX", type=click.Choice([*(s.value for s in AdministrativeSex), NONE]))
def patients_sex(unit_code: str, external_id: str, sex: str) -> None:
    """Record the administrative SEX (FHIR: female, male, other, unknown; none clears it) of the
    patient with the EPR id EXTERNAL_ID in UNIT (the unit's code)."""
    with db.unit_of_work():
        unit = db.session().exec(select(Unit).where(Unit.code == unit_code)).first()
        if unit is None:
            raise click.ClickException(f"unknown unit {unit_code!r}")
        patient = queries.patient_by_external_id(unit_id=unit.id, external_id=external_id)
        if patient is None:
            raise click.ClickException(f"no patient {external_id!r} in unit {unit_code}")
        update_patient_sex(patient=patient, sex=None if sex == NONE else sex)
        record(action="patient.sex_changed", patient_id=patient.id, unit_id=unit.id, detail=sex)
    click.echo(f"Patient {external_id} in {unit_code}: sex {sex}.")


COMMANDS = [patients_cli]
