"""What an API call refers to, limited to the calling client's units.

Another unit's patient or pathway is answered exactly as a missing one (404),
and another unit's code exactly as an unknown one, so a client never learns
what exists outside its units.
"""
from __future__ import annotations

from flask import g

from pro_service import db, definitions
from pro_service.api.problems import field_problem, not_found
from pro_service.pathways import queries
from pro_service.pathways.models import Assessment, Pathway, Patient, Unit
from pro_service.pathways.packages import Package


def unit(code: str | None) -> Unit:
    """The unit named by `code`, or the client's only unit when no code is given."""
    unit_ids = g.api_client.unit_ids
    if code is None:
        units = queries.units_by_ids(unit_ids)
        if len(units) == 1:
            return units[0]
        codes = ", ".join(u.code for u in units)
        raise field_problem("unit", f"required: this API client has several units ({codes})")
    found = queries.unit_by_code(code=code, unit_ids=unit_ids)
    if found is None:
        raise field_problem("unit", f"unknown unit {code!r}")
    return found


def patient(patient_id: str) -> Patient:
    found = queries.patient_in_units(patient_id=patient_id, unit_ids=g.api_client.unit_ids)
    if found is None:
        raise not_found("patient", patient_id)
    return found


def pathway(pathway_id: str) -> Pathway:
    found = queries.pathway_in_units(pathway_id=pathway_id, unit_ids=g.api_client.unit_ids)
    if found is None:
        raise not_found("pathway", pathway_id)
    return found


def assessment(pathway: Pathway, assessment_id: str) -> Assessment:
    found = db.session().get(Assessment, assessment_id) if assessment_id else None
    if found is None or found.pathway_id != pathway.id:
        raise not_found("assessment", assessment_id)
    return found


def package(id_or_code: str) -> Package:
    found = definitions.packages().find(id_or_code)
    if found is None:
        known = ", ".join(definitions.packages())
        raise field_problem("package", f"unknown package {id_or_code!r} (packages: {known})")
    return found


def package_of(pathway: Pathway) -> Package:
    return definitions.packages()[pathway.package_id]


def milestone(package: Package, milestone_id: str) -> str:
    """A milestone id the package has; the problem names the ones it does have."""
    known = [m.id for m in package.milestones]
    if milestone_id not in known:
        raise field_problem("milestone", f"package {package.id!r} has no milestone {milestone_id!r} "
                                         f"(milestones: {', '.join(known)})")
    return milestone_id
