"""The OpenAPI 3.1 description of `/api/v1`, built from the same types the views serialise.

Paths and their answers are listed here by hand; every schema comes from
`schemas.py` and the query dataclasses, so a field added in code appears in the
description. A test checks these paths against the blueprint's routes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter

from pro_service.api import schemas
from pro_service.interop.search import MAX_OFFSET
from pro_service.letters import queries as letter_queries
from pro_service.plain_text import SINGLE_LINE_PATTERN
from pro_service.pathways import queries
from pro_service.reports.schemas import OutcomeQuery, OutcomeReportOut

REF = "#/components/schemas/{model}"
PROBLEM_TEXT = {
    400: "The body is not valid JSON (or nested too deeply), or the path or query holds a control character",
    401: "No, an unknown or a revoked API token",
    404: "No such resource in the client's units (another unit's is answered the same way)",
    409: "The pathway's rules do not allow it (e.g. a milestone that does not repeat, registered again)",
    413: "The body is larger than 1 MiB",
    422: "A field is missing or wrong: see `errors`",
}
FHIR_PROBLEM_TEXT = {
    400: "A search parameter is unknown, repeated or wrong: the OperationOutcome names it (`expression`); or the"
         " path or query holds a control character",
    401: "No, an unknown or a revoked API token",
    404: "No such resource in the client's units (another unit's is answered the same way), or no licensed item"
         " texts in the language asked for",
}
FHIR_JSON = "application/fhir+json"
# A path or query value holding a control character is refused with 400 before anything runs.
PLAIN_PARAMETER = {"type": "string", "minLength": 1, "pattern": SINGLE_LINE_PATTERN}
OPERATION_OUTCOME = {"type": "object", "required": ["resourceType", "issue"],
                     "properties": {"resourceType": {"const": "OperationOutcome"}, "issue": {"type": "array"}}}


def _query(name: str, description: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    answers: dict[int, tuple[type, str]]
    body: type[BaseModel] | None = None
    problems: tuple[int, ...] = ()
    public: bool = False
    headers: dict[int, dict[str, str]] = field(default_factory=dict)
    media_type: str = "application/json"
    query: type[BaseModel] | None = None
    fhir: str | None = None
    """The FHIR resourceType answered (errors are then OperationOutcomes, not problem documents)."""
    parameters: tuple[dict[str, Any], ...] = ()


OPERATIONS = (
    Operation("get", "/api/v1/openapi.json", "getOpenApi", "This description", public=True,
              answers={200: (dict, "The OpenAPI 3.1 document")}),
    Operation("get", "/api/v1/packages", "listPackages", "Packages: milestones, time limits and plan",
              answers={200: (schemas.PackageList, "Every package the service knows")}),
    Operation("get", "/api/v1/instruments", "listInstruments", "Instruments: scales, ranges and bands",
              answers={200: (schemas.InstrumentList, "Every instrument of the catalogue")}),
    Operation("post", "/api/v1/patients", "createPatient", "Register a patient (idempotent on external_id in the unit)",
              body=schemas.PatientBody, problems=(400, 422),
              answers={201: (queries.PatientView, "Registered"),
                       200: (queries.PatientView, "Already registered with this external_id: the same patient")}),
    Operation("post", "/api/v1/patients/{patient_id}/respondents", "createRespondent",
              "Add a relative or teacher as a respondent", body=schemas.RespondentBody, problems=(400, 404, 422),
              answers={201: (queries.RespondentView, "Added")}),
    Operation("post", "/api/v1/pathways", "createPathway",
              "Start a pathway: schedules the first milestone's assessments and returns the new invitations",
              body=schemas.PathwayBody, problems=(400, 404, 409, 422),
              answers={201: (schemas.PathwayCreated, "Started; the invitations' links and codes are shown only now")},
              headers={201: {"Location": "The pathway's URL"}}),
    Operation("post", "/api/v1/pathways/{pathway_id}/milestones", "registerMilestone",
              "Register a milestone: schedules its assessments and returns the new invitations",
              body=schemas.MilestoneBody, problems=(400, 404, 409, 422),
              answers={201: (schemas.MilestoneRegistered, "Registered"),
                       200: (schemas.MilestoneRegistered, "Registered before at the same time: nothing changed")}),
    Operation("post", "/api/v1/pathways/{pathway_id}/assessments/{assessment_id}/cancel", "cancelAssessment",
              "Cancel an assessment not yet answered (a completed one keeps its answers); a repeat changes nothing",
              problems=(404, 409), answers={200: (queries.PathwayDetail, "Cancelled: the pathway as it is now")}),
    Operation("patch", "/api/v1/pathways/{pathway_id}", "changePathway",
              "Say where the patient is treated (care_setting); the pathway's time limits follow at once, in the"
              " clinic and the outcome report", body=schemas.PathwayChangeBody, problems=(400, 404, 422),
              answers={200: (queries.PathwayDetail, "The pathway as it is now")}),
    Operation("get", "/api/v1/pathways/{pathway_id}", "getPathway",
              "A pathway: milestones, time limits, assessments with scores, invitations (without secrets)",
              problems=(404,), answers={200: (queries.PathwayDetail, "The pathway")}),
    Operation("get", "/api/v1/pathways/{pathway_id}/letters", "listLetters",
              "The pathway's finalized GP letters, every version (a correction names the one it supersedes)",
              problems=(404,), answers={200: (letter_queries.LetterList, "The letters, without their PDFs")}),
    Operation("get", "/api/v1/letters/{letter_id}.pdf", "getLetterPdf",
              "One letter's PDF/A, byte-identical to what was finalized (its SHA-256 is the ETag); audited",
              problems=(404,), media_type="application/pdf",
              answers={200: (bytes, "The PDF/A-3b document")}),
    Operation("get", "/api/v1/reports/outcomes", "getOutcomeReport",
              "Outcome beside process for the client's units: pathways that ended in the period, by unit and"
              " package. Counts and sufficient statistics only; any count of 1–4 is null (suppressed)",
              query=OutcomeQuery, problems=(422,),
              answers={200: (OutcomeReportOut, "The report; `pro-service report merge` combines several")}),
    Operation("get", "/api/v1/fhir/Questionnaire/{instrument_id}", "getFhirQuestionnaire",
              "FHIR R4 Questionnaire of an instrument in one language: items by number, options with their points"
              " (ordinalValue), LOINC code where one exists; url + version is the canonical responses name",
              fhir="Questionnaire", problems=(404,), media_type=FHIR_JSON,
              answers={200: (dict, "The Questionnaire")},
              parameters=(_query("lang", "A language of the instrument's item texts (default: the service's)",
                                 {"type": "string", "pattern": SINGLE_LINE_PATTERN}),)),
    Operation("get", "/api/v1/pathways/{pathway_id}/fhir", "getPathwayFhir",
              "The pathway as a FHIR R4 Bundle (collection): the Patient, every QuestionnaireResponse and one"
              " Observation per score; audited", fhir="Bundle", problems=(404,), media_type=FHIR_JSON,
              answers={200: (dict, "The Bundle")}),
    Operation("get", "/api/v1/fhir/Observation", "searchFhirObservations",
              "A patient's scores as FHIR R4 Observations (searchset Bundle, oldest first, paged by a `next` link);"
              " audited", fhir="Bundle", problems=(400, 404), media_type=FHIR_JSON,
              answers={200: (dict, "One page of the search")},
              parameters=(
                  _query("patient", "The patient's id (or Patient/id)", PLAIN_PARAMETER, required=True),
                  _query("code", "SYSTEM|CODE or CODE, comma-separated for any of several: http://loinc.org|44261-6"
                                 " or urn:pro-service:scale|phq9.total", PLAIN_PARAMETER),
                  _query("_count", "Observations a page (default 50)", {"type": "integer", "minimum": 1,
                                                                          "maximum": 200}),
                  _query("_offset", "Observations to skip (the `next` link sets it)", {"type": "integer",
                                                                                        "minimum": 0,
                                                                                        "maximum": MAX_OFFSET}))),
)


@cache
def openapi_document() -> dict[str, Any]:
    """The whole description; built once per process (it depends on code only)."""
    inputs = [(op.body, "validation") for op in OPERATIONS if op.body]
    inputs += [(kind, "serialization") for op in OPERATIONS for kind, _ in op.answers.values() if kind not in (dict, bytes)]
    inputs.append((schemas.ProblemOut, "serialization"))
    refs, definitions = TypeAdapter.json_schemas(
        [(kind, mode, TypeAdapter(kind)) for kind, mode in dict.fromkeys(inputs)], ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "pro-service API for EPR systems", "version": "1",
                 "description": "Register patients and milestones of treatment packages; read pathways with "
                                "their assessments and scores, also as FHIR R4 (application/fhir+json). Errors are "
                                "application/problem+json; the FHIR routes' errors are OperationOutcomes."},
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "security": [{"bearerToken": []}],
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer",
                                                "description": "`pro-service api-tokens create`"}},
        },
    }


def _operation(op: Operation, refs: dict[Any, Any]) -> dict[str, Any]:
    problem = {"$ref": REF.format(model="ProblemOut")}
    responses: dict[str, Any] = {}
    for status, (kind, text) in op.answers.items():
        schema = {"type": "object"} if kind in (dict, bytes) else refs[(kind, "serialization")]
        if op.fhir:
            schema = {"type": "object", "required": ["resourceType"],
                      "properties": {"resourceType": {"const": op.fhir}}}
        if kind is bytes:
            schema = {"type": "string", "format": "binary"}
        responses[str(status)] = {"description": text, "content": {op.media_type: {"schema": schema}}}
        if status in op.headers:
            responses[str(status)]["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                                                 for name, text in op.headers[status].items()}
    # Any URL can hold a control character (a 400 before anything runs), and any body can be too large.
    always = (400, 413) if op.body else (400,)
    for status in sorted({*op.problems, *always, *(() if op.public else (401,))}):
        if op.fhir:
            responses[str(status)] = {"description": FHIR_PROBLEM_TEXT[status],
                                      "content": {FHIR_JSON: {"schema": OPERATION_OUTCOME}}}
            continue
        responses[str(status)] = {"description": PROBLEM_TEXT[status],
                                  "content": {"application/problem+json": {"schema": problem}}}
    operation: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary, "responses": responses}
    parameters = re.findall(r"\{(\w+)\}", op.path)
    if parameters:
        operation["parameters"] = [{"name": name, "in": "path", "required": True, "schema": PLAIN_PARAMETER}
                                   for name in parameters]
    if op.query:
        operation.setdefault("parameters", []).extend(_query_parameters(op.query))
    if op.parameters:
        operation.setdefault("parameters", []).extend(op.parameters)
    if op.body:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": refs[(op.body, "validation")]}}}
    if op.public:
        operation["security"] = []
    return operation


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    parameters = []
    for name, field_schema in schema["properties"].items():
        description = field_schema.pop("description", None)
        field_schema.pop("title", None)
        field_schema.pop("default", None)
        options = [option for option in field_schema.pop("anyOf", ()) if option.get("type") != "null"]
        if options:
            field_schema.update(options[0])
        parameter = {"name": name, "in": "query", "required": name in required, "schema": field_schema}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters
