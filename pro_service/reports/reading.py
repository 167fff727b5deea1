"""Reading the outcome report, the one way the page, the CLI and the API all take.

Only suppressed documents leave here, and every read is audited: what was
asked, for which units, by whom (no patient rows: the report names none).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import current_app

from pro_service import db, definitions
from pro_service.audit.operations import record_report

from .export import document
from .model import Report, ReportRequest, regroup
from .queries import base_groups
from .suppression import suppress, suppress_with_parts

AUDIT_ACTION = "report.outcomes"


def outcome_document(request: ReportRequest, *, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The suppressed report document for `request`; audited."""
    groups = _groups(request, progress)
    return suppress(document(Report(request=request, groups=regroup(groups, request.by))))


def outcome_page(request: ReportRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    """The period by package and its quarters (the trend), suppressed together so neither reveals the other."""
    groups = _groups(request, None)
    by_package = replace(request, by="package")
    by_quarter = replace(request, by="quarter")
    return suppress_with_parts(document(Report(request=by_package, groups=regroup(groups, "package"))),
                               document(Report(request=by_quarter, groups=regroup(groups, "quarter"))))


def _groups(request: ReportRequest, progress: Callable[[str], None] | None):
    settings = current_app.config["SETTINGS"]
    groups = base_groups(db.session(), request, catalog=definitions.catalog(), packages=definitions.packages(),
                         timezone=settings.timezone, progress=progress)
    detail = (f"{request.start.isoformat()}..{request.end.isoformat()} package={request.package or 'all'}"
              f" role={request.role or 'all'} by={request.by}")
    record_report(action=AUDIT_ACTION, unit_ids=request.units, detail=detail)
    return groups
