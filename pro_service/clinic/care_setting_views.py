"""Where the patient is treated (outpatient clinic or inpatient unit): shown on the pathway page, changed there.

It decides which time limit applies where a package has an inpatient one (`package_rules.in_setting`), in the
clinic and the outcome report. Registered on the clinic blueprint (imported at the end of clinic/views.py).
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for

from pro_service import definitions
from pro_service.audit.operations import record
from pro_service.auth.access import clinician_required, get_pathway_or_404
from pro_service.clinic.forms import CareSettingForm
from pro_service.clinic.views import _pathway_page, bp
from pro_service.i18n import _
from pro_service.pathways.models import CareSetting, Pathway
from pro_service.pathways.operations import change_care_setting
from pro_service.pathways.package_rules import INPATIENT
from pro_service.pathways.packages import Package

NAMES = {CareSetting.OUTPATIENT: lambda: _("Outpatient clinic"), CareSetting.INPATIENT: lambda: _("Inpatient unit")}


def care_setting(pathway: Pathway, package: Package, form: CareSettingForm | None = None) -> dict[str, Any]:
    """The pathway page's fact and, where the package has an inpatient time limit, the form to change it."""
    changeable = any(rule.condition == INPATIENT for rule in package.time_limits())
    return {"name": NAMES[CareSetting(pathway.care_setting)](), "changeable": changeable,
            "form": form or (CareSettingForm(formdata=None, care_setting=pathway.care_setting) if changeable
                             else None)}


@bp.route("/pathways/<pathway_id>/care-setting", methods=["POST"])
@clinician_required
def change_care_setting_view(pathway_id: str):
    pathway = get_pathway_or_404(pathway_id)
    form = CareSettingForm()
    if not form.validate_on_submit():
        return _pathway_page(pathway, care_form=form), 400
    if change_care_setting(pathway=pathway, care_setting=form.care_setting.data):
        record(action="pathway.care_setting_changed", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
               pathway_id=pathway.id, detail=form.care_setting.data)
        package = definitions.packages()[pathway.package_id]
        flash(_("Saved: the patient is treated in: %(setting)s. The time limits follow.",
                setting=care_setting(pathway, package)["name"]), "info")
    return redirect(url_for("clinic.pathway", pathway_id=pathway.id), 303)
