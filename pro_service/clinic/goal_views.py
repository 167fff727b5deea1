"""The patient's voice and the long run on the clinician's pages (issue 17): own goals, the patient's view of
the treatment, follow-up after the end; and the change of a goal's wording with the patient present.

Registered on the clinic blueprint (imported at the end of clinic/views.py). Reading goals leaves a
`goal.read` audit row (`goals.queries.pathway_goals`); goal text is never logged or put in an audit detail.
"""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, url_for

from pro_service.audit.operations import record
from pro_service.auth.access import clinician_required, get_pathway_or_404
from pro_service.clinic import follow_up_context, goal_context
from pro_service.clinic.context import locale
from pro_service.clinic.forms import GoalWordingForm
from pro_service.clinic.pathway_context import baseline_moment
from pro_service.clinic.pathway_queries import Evaluation, PathwayPage, readiness_rows
from pro_service.clinic.views import _by, _pathway_page, bp
from pro_service.goals.operations import GoalError, edit_goal_wording
from pro_service.goals.queries import goal_in_pathway, pathway_goals
from pro_service.i18n import _
from pro_service.letters.wording import patient_view
from pro_service.pathways.models import Pathway
from pro_service.pathways.packages import Package


def _patient_view(pathway_id: str, until=None) -> str | None:
    """The patient's latest answers on whether the treatment helps and whether they are ready to end, in one line
    (the GP letter's wording); words only, never a score or a change."""
    zone = ZoneInfo(current_app.config["SETTINGS"].timezone)
    return patient_view(readiness_rows(pathway_id=pathway_id, until=until), locale(), zone)


def pathway_extras(pathway: Pathway, page: PathwayPage, package: Package) -> dict[str, Any]:
    """The pathway page's goals, the patient's view and follow-up after the end (one `goal.read` audit row)."""
    views = pathway_goals(pathway=pathway) if package.goals is not None else ()
    return {"goals": goal_context.goals(views, package_id=package.id, chart_prefix="goal"),
            "goal_basis": goal_context.basis(), "uses_goals": package.goals is not None,
            "patient_view": _patient_view(pathway.id),
            "follow_ups": follow_up_context.follow_ups(page, package, baseline_at=baseline_moment(page, package.id),
                                                       declined_at=pathway.follow_up_declined_at)}


def evaluation_extras(pathway: Pathway, found: Evaluation, package: Package) -> dict[str, Any]:
    """The evaluation view's goals and the patient's view up to the milestone compared to."""
    views = pathway_goals(pathway=pathway) if package.goals is not None else ()
    return {"goals": goal_context.goals(views, package_id=package.id, chart_prefix="eval-goal",
                                        until=found.to_event.occurred_at),
            "goal_basis": goal_context.basis(), "uses_goals": package.goals is not None,
            "patient_view": _patient_view(pathway.id, until=found.to_event.occurred_at)}


@bp.route("/pathways/<pathway_id>/goals/<goal_id>/wording", methods=["POST"])
@clinician_required
def goal_wording(pathway_id: str, goal_id: str):
    pathway = get_pathway_or_404(pathway_id)
    goal = goal_in_pathway(goal_id=goal_id, pathway=pathway) or abort(404)
    form = GoalWordingForm()
    if not form.validate_on_submit():
        return _pathway_page(pathway, goal_form=form, goal_form_for=goal.id,
                             problem=" ".join(str(error) for field in form for error in field.errors) or None)
    try:
        edit = edit_goal_wording(goal=goal, text=form.text.data, by=_by(), patient_present=form.patient_present.data)
    except GoalError as refused:
        return _pathway_page(pathway, goal_form=form, goal_form_for=goal.id, problem=refused.message)
    if edit is not None:
        record(action="goal.edited", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id,
               detail=goal.id)
        flash(_("The goal's new wording is saved. The patient's own words are kept beside it."), "info")
    return redirect(url_for("clinic.pathway", pathway_id=pathway.id, _anchor="goals"))
