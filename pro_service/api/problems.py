"""Errors of the API as RFC 9457 problem documents (`application/problem+json`), and body parsing.

Every 4xx says what is wrong in `detail`; a body that does not validate also
lists each wrong field in `errors` (`path` as in the body: `respondent.email`,
`items[2]`). A 4xx response rolls the request's unit of work back, so nothing
changed.
"""
from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from pro_service.interop.context import FHIR_MIMETYPE
from pro_service.interop.outcomes import operation_outcome
from pro_service.pathways.operations import PathwayError

M = TypeVar("M", bound=BaseModel)

PROBLEM_MIMETYPE = "application/problem+json"
INVALID_JSON = "urn:pro-service:problem:invalid-json"
VALIDATION = "urn:pro-service:problem:validation"
PATHWAY_RULE = "urn:pro-service:problem:pathway-rule"
FHIR_PREFIX = "/api/v1/fhir"
ISO_DATETIME = "an ISO 8601 date and time with an offset, e.g. 2026-01-05T09:00:00+01:00"


class Problem(Exception):
    """Raised anywhere in a request of the API; answered as a problem document."""

    def __init__(self, status: int, title: str, detail: str, *, type: str = "about:blank",
                 errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.type = status, title, detail, type
        self.errors, self.headers = errors, headers or {}


def field_problem(path: str, message: str) -> Problem:
    """One field of an otherwise well-formed body is wrong (an unknown package, unit, milestone)."""
    return Problem(422, "Invalid request body", f"{path}: {message}", type=VALIDATION,
                   errors=[{"path": path, "message": message}])


def not_found(kind: str, resource_id: str) -> Problem:
    # The same answer for a missing row and another unit's row: existence is never revealed.
    return Problem(404, "Not Found", f"no {kind} with id {resource_id!r}")


def parse_body(model: type[M]) -> M:
    """The request's JSON body as `model`; a Problem (400 invalid JSON, 422 invalid fields) otherwise."""
    try:
        raw = request.get_data(cache=False).decode("utf-8")  # RFC 8259: JSON between systems is UTF-8
    except UnicodeDecodeError:
        raise Problem(400, "Invalid JSON", "the request body is not UTF-8 text", type=INVALID_JSON) from None
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        raise Problem(400, "Invalid JSON", f"the request body is not valid JSON: {exc}", type=INVALID_JSON) from None
    except RecursionError:  # e.g. 10,000 nested '[': the parser runs out of stack before it finds an error
        raise Problem(400, "Invalid JSON", "the request body is nested too deeply", type=INVALID_JSON) from None
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{"path": _path(e["loc"]), "message": _message(e)} for e in exc.errors()]
        detail = "; ".join(f"{e['path']}: {e['message']}" for e in errors)
        raise Problem(422, "Invalid request body", detail, type=VALIDATION, errors=errors) from None


def parse_query(model: type[M]) -> M:
    """The query string as `model`; a 422 Problem naming each wrong parameter otherwise."""
    if any(len(values) > 1 for values in request.args.listvalues()):
        repeated = sorted(name for name, values in request.args.lists() if len(values) > 1)
        raise Problem(422, "Invalid query", f"{', '.join(repeated)}: given more than once", type=VALIDATION,
                      errors=[{"path": name, "message": "given more than once"} for name in repeated])
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        errors = [{"path": _path(e["loc"]), "message": _message(e)} for e in exc.errors()]
        detail = "; ".join(f"{e['path']}: {e['message']}" for e in errors)
        raise Problem(422, "Invalid query", detail, type=VALIDATION, errors=errors) from None


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(body)"


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "timezone_aware":
        return f"must be {ISO_DATETIME}; this one has no offset"
    if kind in {"datetime_parsing", "datetime_type", "datetime_from_date_parsing"}:
        return f"must be {ISO_DATETIME} ({error['msg']})"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required"
    return str(error["msg"])


FHIR_ENDPOINTS: set[str] = set()
"""Endpoints that answer in FHIR (`api/fhir.py` adds its own): their errors are OperationOutcomes."""


def answers_in_fhir() -> bool:
    return request.endpoint in FHIR_ENDPOINTS or request.path.startswith(f"{FHIR_PREFIX}/")


def problem_response(problem: Problem) -> Response:
    if answers_in_fhir():
        return outcome_response(problem.status, problem.detail, headers=problem.headers)
    body: dict[str, Any] = {"type": problem.type, "title": problem.title, "status": problem.status,
                            "detail": problem.detail}
    if problem.errors is not None:
        body["errors"] = problem.errors
    response = jsonify(body)
    response.status_code = problem.status
    response.mimetype = PROBLEM_MIMETYPE
    response.headers.update(problem.headers)
    return response


def outcome_response(status: int, diagnostics: str, *, headers: dict[str, str] | None = None,
                     expression: list[str] | None = None) -> Response:
    """An error of a FHIR route as an OperationOutcome (`application/fhir+json`), not a problem document."""
    outcome = operation_outcome(status, diagnostics, expression=expression)
    return Response(outcome.model_dump_json(), status, headers=headers or {}, mimetype=FHIR_MIMETYPE)


def register(bp: Blueprint) -> None:
    bp.register_error_handler(Problem, problem_response)
    bp.register_error_handler(PathwayError, _pathway_rule)
    bp.register_error_handler(HTTPException, _http_error)


def _pathway_rule(error: PathwayError) -> Response:
    return problem_response(Problem(409, "Not allowed by the pathway's rules", str(error), type=PATHWAY_RULE))


def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    # RFC 9110: a 405 names the methods the resource has (Werkzeug keeps them on the exception).
    allow = {name: value for name, value in error.get_headers() if name == "Allow"}
    return problem_response(Problem(code, error.name, error.description or error.name, headers=allow))
