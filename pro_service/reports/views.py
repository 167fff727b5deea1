"""The quality page: outcome beside process, per package, for a unit leader's units (an administrator's: all).

Thin: read the filter, read the suppressed report (audited in `reading`), render.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from pro_service.auth.access import require_role, units_with_role
from pro_service.clinic import texts
from pro_service.clinic.context import package_choices
from pro_service.pathways.models import RespondentRole
from pro_service.types import utcnow

from . import page
from .forms import QualityForm
from .readers import READER_ROLES, readable_units
from .reading import outcome_page

bp = Blueprint("reports", __name__, url_prefix="/clinic")


@bp.after_request
def _no_store(response):
    # Figures of the unit leader's units: not for a shared browser's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_context_processor
def _navigation():
    # A callable: the query runs only where the clinic's navigation asks, once per page.
    return {"reads_quality": lambda: bool(units_with_role(current_user, *READER_ROLES))}


@bp.route("/quality")
@require_role(*READER_ROLES)
def quality():
    units = readable_units(user=current_user)
    form = QualityForm(request.args)
    form.fill(today=_today(), packages=package_choices(), units=units,
              roles=[(role.value, texts.respondent(role.value)) for role in RespondentRole])
    report = None
    if form.validate():
        by_package, by_quarter = outcome_page(form.report_request(unit_ids=tuple(u for u, _name in units)))
        report = page.quality(by_package, by_quarter)
    status = 200 if report is not None else 400
    return render_template("reports/quality.html", form=form, report=report), status


def _today():
    return utcnow().astimezone(ZoneInfo(current_app.config["SETTINGS"].timezone)).date()
