"""Quality reports for the EPR or a registry: the outcome report of the client's units, suppressed."""
from __future__ import annotations

from flask import Response, g

from pro_service import definitions
from pro_service.api.problems import Problem, VALIDATION, parse_query
from pro_service.api.views import bp
from pro_service.reports.model import ReportRequest
from pro_service.reports.reading import outcome_document
from pro_service.reports.schemas import OutcomeQuery, OutcomeReportOut


@bp.get("/reports/outcomes")
def report_outcomes() -> Response:
    query = parse_query(OutcomeQuery)
    package = None
    if query.package is not None:
        package = definitions.packages().find(query.package)
        if package is None:
            raise Problem(422, "Invalid query", f"package: unknown package {query.package!r}", type=VALIDATION,
                          errors=[{"path": "package", "message": f"unknown package {query.package!r}"}])
    request = ReportRequest(start=query.from_, end=query.to, units=tuple(sorted(g.api_client.unit_ids)),
                            package=package and package.id, by="unit")
    report = OutcomeReportOut.model_validate(outcome_document(request))
    return Response(report.model_dump_json(by_alias=True), mimetype="application/json")
