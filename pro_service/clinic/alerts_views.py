"""The alerts queue: open critical answers grouped by patient, and their acknowledgement; the nav's count.

Registered on the clinic blueprint (imported at the end of clinic/views.py).
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import col, select

from pro_service import db
from pro_service.audit.operations import record, record_many
from pro_service.auth.access import clinician_required, get_pathway_or_404, patient_data_units
from pro_service.clinic import alerts_context, context, queries
from pro_service.clinic.forms import AcknowledgeForm
from pro_service.clinic.operations import AlertError, acknowledge_alert
from pro_service.clinic.views import _by, bp
from pro_service.i18n import _
from pro_service.pathways.models import Alert, Unit
from pro_service.types import utcnow


def open_alert_count() -> int:
    """Unacknowledged alerts the clinician may see; one count query (no patient data, so not audited)."""
    if not current_user.is_authenticated:
        return 0
    units = sorted(patient_data_units())
    if not units:
        return 0
    return db.session().exec(select(func.count()).select_from(Alert).where(
        col(Alert.acknowledged_at).is_(None), col(Alert.unit_id).in_(units))).one()


@bp.app_context_processor  # every page on clinic/base.html, the quality report's too
def _nav_count():
    return {"open_alert_count": open_alert_count}


def _queue(form: AcknowledgeForm, failed: str | None = None):
    rows = queries.open_alerts(unit_ids=patient_data_units())
    record_many(action="alert.read", subjects=((r.patient_id, r.unit_id, r.pathway_id) for r in rows))
    units = {unit.id: unit for unit in db.session().exec(
        select(Unit).where(col(Unit.id).in_(sorted({r.unit_id for r in rows}))))} if rows else {}
    groups = alerts_context.grouped(context.alerts(rows), rows, units=units, now=utcnow())
    return render_template("clinic/alerts.html", groups=groups, form=form, failed=failed,
                           count=len(rows)), (400 if failed else 200)


@bp.route("/alerts")
@clinician_required
def alerts():
    return _queue(AcknowledgeForm(formdata=None))


@bp.route("/alerts/<alert_id>/acknowledge", methods=["POST"])
@clinician_required
def acknowledge(alert_id: str):
    alert = db.session().get(Alert, alert_id) or abort(404)
    pathway = get_pathway_or_404(alert.pathway_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        # The page again, with the app's translated message beside this alert's note (no browser-only check).
        return _queue(form, failed=alert.id)
    try:
        acknowledge_alert(alert=alert, by=_by(), note=form.note.data, now=utcnow())
    except AlertError:
        abort(400)
    record(action="alert.acknowledged", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
           pathway_id=pathway.id, detail=alert.id)
    flash(_("The alert is acknowledged."), "info")
    return redirect(url_for("clinic.alerts"))
