"""OperationOutcome: how the FHIR routes say what went wrong (the rest of the API uses RFC 9457 problems)."""
from __future__ import annotations

from fhir.resources.R4B.operationoutcome import OperationOutcome

# HTTP status → the FHIR issue type (http://hl7.org/fhir/issue-type) a client can act on.
ISSUE_TYPES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
               406: "not-supported", 409: "conflict", 422: "processing", 429: "throttled"}


def operation_outcome(status: int, diagnostics: str, *, expression: list[str] | None = None) -> OperationOutcome:
    issue = {"severity": "error" if status < 500 else "fatal", "code": ISSUE_TYPES.get(status, "exception"),
             "diagnostics": diagnostics}
    # A FHIR string is never empty: a query parameter without a name ("?=") is named by the diagnostics alone.
    expression = [path for path in expression or () if path.strip()]
    if expression:
        issue["expression"] = expression
    return OperationOutcome.model_validate({"issue": [issue]})
