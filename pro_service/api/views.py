"""The JSON API for EPR systems (`/api/v1`): bearer tokens, scoped to units, no cookies.

Views parse the body, look up what it names within the client's units, call
one operation or query and serialise the answer; problems are raised and
answered by `problems`.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from pydantic import TypeAdapter

from pro_service import definitions
from pro_service.api import lookups, problems
from pro_service.api.openapi import openapi_document
from pro_service.api.problems import Problem, parse_body
from pro_service.api.schemas import (
    InstrumentList,
    InstrumentOut,
    MilestoneBody,
    MilestoneRegistered,
    PackageList,
    PackageOut,
    PathwayBody,
    PathwayChangeBody,
    PathwayCreated,
    PatientBody,
    RespondentBody,
)
from pro_service.audit.operations import record
from pro_service.auth.queries import client_for_token
from pro_service.pathways import operations, queries
from pro_service.pathways.models import AssessmentStatus, Pathway
from pro_service.pathways.packages import Package
from pro_service.types import utcnow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
problems.register(bp)

PUBLIC_ENDPOINTS = frozenset({"api.openapi"})


@bp.before_request
def authenticate() -> None:
    """Every call but the description needs `Authorization: Bearer <token>` of an active client."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    client = client_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if client is None:
        detail = ("the API token is unknown or revoked" if scheme.lower() == "bearer" and token.strip()
                  else "send the API token in the header 'Authorization: Bearer <token>'")
        raise Problem(401, "Unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="pro-service"'})
    g.api_client = client


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/packages")
def list_packages() -> Response:
    return _json(PackageList(packages=[PackageOut.of(p) for p in definitions.packages().values()]))


@bp.get("/instruments")
def list_instruments() -> Response:
    return _json(InstrumentList(instruments=[InstrumentOut.of(i) for i in definitions.catalog().values()]))


@bp.post("/patients")
def create_patient() -> Response:
    body = parse_body(PatientBody)
    unit = lookups.unit(body.unit)
    patient, created = operations.register_patient(unit=unit, **body.model_dump(exclude={"unit"}))
    record(action="patient.registered" if created else "patient.read", patient_id=patient.id,
           unit_id=patient.unit_id)
    return _json(queries.patient_view(patient), 201 if created else 200)


@bp.post("/patients/<patient_id>/respondents")
def create_respondent(patient_id: str) -> Response:
    patient = lookups.patient(patient_id)
    body = parse_body(RespondentBody)
    respondent = operations.add_respondent(patient=patient, **body.model_dump())
    record(action="patient.respondent_added", patient_id=patient.id, unit_id=patient.unit_id)
    return _json(queries.respondent_view(respondent), 201)


@bp.post("/pathways")
def create_pathway() -> Response:
    body = parse_body(PathwayBody)
    patient, package = lookups.patient(body.patient), lookups.package(body.package)
    pathway, registration = operations.start_pathway(
        patient=patient, package=package, started_at=body.started_at, by=_by(), base_url=_base_url(),
        responsible_clinician=body.responsible_clinician, care_setting=body.care_setting)
    _audit("pathway.started", pathway)
    created = PathwayCreated.of(registration, _detail(pathway, package))
    return _json(created, 201, Location=url_for(".get_pathway", pathway_id=pathway.id))


@bp.patch("/pathways/<pathway_id>")
def change_pathway(pathway_id: str) -> Response:
    """Say where the patient is treated; the time limits follow. Saying what is already so changes nothing."""
    pathway = lookups.pathway(pathway_id)
    body = parse_body(PathwayChangeBody)
    changed = operations.change_care_setting(pathway=pathway, care_setting=body.care_setting)
    _audit("pathway.care_setting_changed" if changed else "pathway.read", pathway)
    return _json(_detail(pathway, lookups.package_of(pathway)))


@bp.post("/pathways/<pathway_id>/milestones")
def create_milestone(pathway_id: str) -> Response:
    pathway = lookups.pathway(pathway_id)
    body = parse_body(MilestoneBody)
    package = lookups.package_of(pathway)
    registration = operations.register_milestone(
        pathway=pathway, package=package, milestone_id=lookups.milestone(package, body.milestone),
        occurred_at=body.occurred_at, by=_by(), base_url=_base_url())
    _audit("pathway.milestone_registered" if registration.created else "pathway.read", pathway)
    registered = MilestoneRegistered.of(registration, _detail(pathway, package))
    return _json(registered, 201 if registration.created else 200)


@bp.post("/pathways/<pathway_id>/assessments/<assessment_id>/cancel")
def cancel(pathway_id: str, assessment_id: str) -> Response:
    """Cancel an assessment not yet answered (e.g. the patient cannot answer); cancelling twice changes nothing."""
    pathway = lookups.pathway(pathway_id)
    assessment = lookups.assessment(pathway, assessment_id)
    was_cancelled = assessment.status == AssessmentStatus.CANCELLED
    operations.cancel_assessment(assessment=assessment, by=_by())
    _audit("pathway.read" if was_cancelled else "assessment.cancelled", pathway)
    return _json(_detail(pathway, lookups.package_of(pathway)))


@bp.get("/pathways/<pathway_id>")
def get_pathway(pathway_id: str) -> Response:
    pathway = lookups.pathway(pathway_id)
    _audit("pathway.read", pathway)
    return _json(_detail(pathway, lookups.package_of(pathway)))


def _detail(pathway: Pathway, package: Package) -> queries.PathwayDetail:
    return queries.pathway_detail(pathway=pathway, package=package, now=utcnow(),
                                  timezone=current_app.config["SETTINGS"].timezone)


def _audit(action: str, pathway: Pathway) -> None:
    record(action=action, patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id)


def _by() -> str:
    return f"api-client:{g.api_client.id}"


def _base_url() -> str:
    return current_app.config["SETTINGS"].base_url


@cache
def _adapter(kind: type) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _json(value: Any, status: int = 200, **headers: str) -> Response:
    return Response(_adapter(type(value)).dump_json(value), status, headers=headers, mimetype="application/json")
from pro_service.api import letters as _letters  # noqa: E402,F401  (registers the letter routes on bp)
from pro_service.api import reports as _reports  # noqa: E402,F401  (registers the report routes on bp)
from pro_service.api import fhir as _fhir  # noqa: E402,F401  (registers the FHIR routes on bp)
