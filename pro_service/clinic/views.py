"""The clinician's pages. Thin: check access (auth.access), call one operation or query, audit, render.

Every route that names a pathway, response, assessment, invitation or alert
goes through `get_pathway_or_404`, so another unit's record is a 404. Pages
that show secrets once (new invitation links and codes) are rendered from the
POST itself, so a secret never sits in the session cookie or a redirect URL.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_login import current_user
from wtforms import SelectChoice

from pro_service import db, definitions
from pro_service.audit.operations import record, record_many
from pro_service.auth.access import clinician_required, get_pathway_or_404, patient_data_units
from pro_service.clinic import context, letter_context, pathway_context, pathway_summary, queries, texts
from pro_service.clinic.forms import (
    ActionForm, ContactDetailsForm, GeneralPractitionerForm, MilestoneForm, NewPathwayForm,
    PatientContactDetailsForm, RespondentForm, paper_answers, paper_form,
)
from pro_service.clinic.pathway_queries import evaluation as evaluation_of
from pro_service.clinic.pathway_queries import invitation_of, pathway_page, response_record
from pro_service.clinic.texts import pick
from pro_service.i18n import LOCALES, _, force_locale
from pro_service.instruments.responses import InvalidAnswers
from pro_service.letters import queries as letter_queries
from pro_service.pathways import queries as pathway_queries
from pro_service.pathways.invitations import reissue_invitation, resend_invitation
from pro_service.pathways.models import Alert, Assessment, Pathway, Patient, Respondent, RespondentRole, Unit
from pro_service.pathways.operations import (
    PathwayError, add_respondent, cancel_assessment, register_milestone, register_patient, start_pathway,
    update_contact, update_patient_sex,
)
from pro_service.pathways.screen_results import latest_responses, screen_rows
from pro_service.survey.operations import SubmitRefused, enter_paper_response
from pro_service.types import utcnow

bp = Blueprint("clinic", __name__, url_prefix="/clinic")


@bp.after_request
def _no_store(response):
    # Patient data: never kept by a shared browser's cache or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response


def _settings():
    return current_app.config["SETTINGS"]


def _by() -> str:
    return current_user.email


@bp.route("/", strict_slashes=False)
@clinician_required
def caseload():
    filters = queries.CaseloadFilter(
        package=request.args.get("package") or None, overdue_only=request.args.get("overdue") == "1",
        with_alerts=request.args.get("alerts") == "1", include_ended=request.args.get("ended") == "1",
        sort=request.args.get("sort", "attention"))
    rows = queries.caseload(unit_ids=patient_data_units(), now=utcnow(), timezone=_settings().timezone,
                            highlight_after=timedelta(hours=_settings().alert_highlight_hours), filters=filters)
    record_many(action="caseload.read", subjects=((r.patient_id, r.unit_id, r.pathway_id) for r in rows))
    return render_template("clinic/caseload.html", **context.caseload(rows, filters))


@bp.route("/pathways/new", methods=["GET", "POST"])
@clinician_required
def new_pathway():
    units = pathway_queries.units_by_ids(patient_data_units())
    if not units:
        abort(403)  # an administrator who is no unit's clinician starts no pathway
    form = NewPathwayForm(started_on=_today(), language=context.locale())
    form.unit.choices = [SelectChoice(unit.id, unit.name) for unit in units]
    form.package.choices = [SelectChoice("", _("Choose a package"))] + [
        SelectChoice(package_id, name) for package_id, name in context.package_choices()]
    if not form.validate_on_submit():
        return render_template("clinic/new_pathway.html", form=form)
    unit = next(unit for unit in units if unit.id == form.unit.data)
    patient = pathway_queries.patient_by_external_id(unit_id=unit.id, external_id=form.external_id.data.strip())
    problem = _new_pathway_problem(form, patient)
    if problem:
        return render_template("clinic/new_pathway.html", form=form, problem=problem)
    created = patient is None
    if created:
        patient, _created = register_patient(
            unit=unit, external_id=form.external_id.data.strip(), name=form.name.data.strip(),
            birth_date=form.birth_date.data, language=form.language.data, email=form.email.data or None,
            phone=form.phone.data or None, sex=form.sex.data or None)
    package = definitions.packages()[form.package.data]
    pathway, registration = start_pathway(
        patient=patient, package=package, started_at=_moment(form.started_on.data), by=_by(),
        base_url=_settings().base_url, responsible_clinician=form.responsible_clinician.data or None,
        care_setting=form.care_setting.data)
    record(action="patient.registered" if created else "patient.read", patient_id=patient.id, unit_id=unit.id)
    record(action="pathway.started", patient_id=patient.id, unit_id=unit.id, pathway_id=pathway.id,
           detail=package.id)
    return render_template("clinic/issued.html", pathway_url=url_for("clinic.pathway", pathway_id=pathway.id),
                           heading=_("Pathway started: %(name)s", name=context.package_name(package.id)),
                           issued=[_issued(item) for item in registration.invitations],
                           assessments=len(registration.assessments))


def _new_pathway_problem(form: NewPathwayForm, patient: Patient | None) -> str | None:
    """What stops the pathway before anything is stored: a wrong date, or a record number that does not fit.

    `patient` is the unit's patient with that record number, if there is one.
    """
    if form.started_on.data > _today():
        return _("A pathway cannot start in the future.")
    if form.birth_date.data > form.started_on.data:
        return _("The date of birth is after the start date.")
    if patient is None:
        return None
    if patient.name.casefold() != form.name.data.strip().casefold() or patient.birth_date not in (
            None, form.birth_date.data):
        return _("This record number is registered in the unit for a patient with another name or date of birth. "
                 "Check the record number.")
    if pathway_queries.open_pathway_in_package(patient_id=patient.id, package_id=form.package.data):
        return _("This patient already has an open pathway in this package.")
    return None


@bp.route("/pathways/<pathway_id>")
@clinician_required
def pathway(pathway_id: str):
    return _pathway_page(get_pathway_or_404(pathway_id))


def _pathway_page(pathway: Pathway, *, milestone_form: MilestoneForm | None = None,
                  respondent_form: RespondentForm | None = None, gp_form: GeneralPractitionerForm | None = None,
                  problem: str | None = None, goal_form=None, goal_form_for: str | None = None, care_form=None):
    package = definitions.packages()[pathway.package_id]
    page = pathway_page(pathway=pathway, now=utcnow(), timezone=_settings().timezone, unit_ids=patient_data_units())
    record(action="pathway.read", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id)
    milestone_form = milestone_form or MilestoneForm(formdata=None, occurred_on=_today())
    milestone_form.milestone.choices = _milestone_choices(page, package)
    gp = letter_queries.general_practitioner_of(pathway.patient_id)
    letters = letter_context.pathway_letters(pathway.id, pathway.package_id,
                                             letter_queries.letter_events(pathway.id), gp)
    return render_template("clinic/pathway.html", p=pathway_context.pathway(page, package),
                           summary=pathway_summary.summary(page, package),
                           milestone_form=milestone_form, respondent_form=respondent_form or RespondentForm(formdata=None),
                           gp_form=gp_form or GeneralPractitionerForm(formdata=None, obj=gp),
                           letters=letters, action_form=ActionForm(), problem=problem, screens=_screens(pathway),
                           goal_form=goal_form, goal_form_for=goal_form_for,
                           care=care_setting_views.care_setting(pathway, package, care_form),
                           **goal_views.pathway_extras(pathway, page, package))


def _screens(pathway: Pathway) -> list[dict[str, object]]:
    """The latest screens per questionnaire and respondent, as the page shows them."""
    rows = screen_rows(latest_responses(pathway.id), language=context.locale(),
                       zone=ZoneInfo(_settings().timezone))
    return [{"instrument": s.instrument, "respondent": texts.respondent(s.respondent_role), "screen": s.screen,
             "positive": s.positive, "result": s.result, "on": format_date(s.on)} for s in rows]


def _milestone_choices(page, package) -> list[tuple[str, str]]:
    """The milestones that may be registered now; a follow-up is scheduled by the end, never chosen here."""
    done = Counter(m.milestone for m in page.detail.milestones)
    return [SelectChoice("", _("Choose a milestone"))] + [
        SelectChoice(m.id, pick(m.name, context.locale())) for m in package.milestones
        if m.may_register(done[m.id]) and not m.after_end_days]


def _today():
    return utcnow().astimezone(ZoneInfo(_settings().timezone)).date()


def _moment(day) -> datetime:
    """Today is now; an earlier day is its noon in the service's time zone (a date has no time of day)."""
    if day == _today():
        return utcnow().replace(microsecond=0)
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(_settings().timezone))


@bp.route("/pathways/<pathway_id>/milestones", methods=["POST"])
@clinician_required
def register(pathway_id: str):
    pathway = get_pathway_or_404(pathway_id)
    package = definitions.packages()[pathway.package_id]
    form = MilestoneForm()
    form.milestone.choices = [SelectChoice(m.id, m.id) for m in package.milestones]
    if not form.validate_on_submit():
        return _pathway_page(pathway, milestone_form=form)
    if form.occurred_on.data > _today():
        return _pathway_page(pathway, milestone_form=form, problem=_("A milestone cannot be registered in the future."))
    try:
        registration = register_milestone(pathway=pathway, package=package, milestone_id=form.milestone.data,
                                          occurred_at=_moment(form.occurred_on.data), by=_by(),
                                          base_url=_settings().base_url)
    except PathwayError:
        return _pathway_page(pathway, milestone_form=form,
                             problem=_("This milestone cannot be registered on that date for this pathway."))
    record(action="milestone.registered", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
           pathway_id=pathway.id, detail=form.milestone.data)
    return render_template("clinic/issued.html", pathway_url=url_for("clinic.pathway", pathway_id=pathway.id),
                           heading=_("Milestone registered: %(name)s", name=pick(
                               package.milestone(form.milestone.data).name, context.locale())),
                           issued=[_issued(item) for item in registration.invitations],
                           assessments=len(registration.assessments))


def _issued(item) -> dict:
    respondent = item.invitation.respondent
    return {"respondent": respondent.name, "link": item.link, "code": item.short_code,
            "sent_to": respondent.email or respondent.phone}


@bp.route("/pathways/<pathway_id>/respondents", methods=["POST"])
@clinician_required
def add_respondent_view(pathway_id: str):
    pathway = get_pathway_or_404(pathway_id)
    form = RespondentForm()
    if not form.validate_on_submit():
        return _pathway_page(pathway, respondent_form=form)
    add_respondent(patient=pathway.patient, role=form.role.data, name=form.name.data.strip(),
                   language=form.language.data, email=form.email.data or None, phone=form.phone.data or None)
    record(action="patient.respondent_added", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
           pathway_id=pathway.id)
    flash(_("Respondent added. They are invited from the next milestone on."), "info")
    return redirect(url_for("clinic.pathway", pathway_id=pathway.id))


@bp.route("/pathways/<pathway_id>/respondents/<respondent_id>", methods=["GET", "POST"])
@clinician_required
def contact(pathway_id: str, respondent_id: str):
    pathway = get_pathway_or_404(pathway_id)
    respondent = db.session().get(Respondent, respondent_id)
    if respondent is None or respondent.patient_id != pathway.patient_id:
        abort(404)
    is_patient = respondent.role == RespondentRole.SELF
    form = (PatientContactDetailsForm(obj=respondent, sex=respondent.patient.sex or "") if is_patient
            else ContactDetailsForm(obj=respondent))
    if not form.validate_on_submit():
        record(action="patient.read", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id)
        return render_template("clinic/contact.html", form=form, respondent=respondent.name,
                               role=texts.respondent(respondent.role),
                               pathway_url=url_for("clinic.pathway", pathway_id=pathway.id))
    update_contact(respondent=respondent, name=form.name.data.strip(), language=form.language.data,
                   email=form.email.data or None, phone=form.phone.data or None)
    if is_patient:
        update_patient_sex(patient=respondent.patient, sex=form.sex.data or None)
    record(action="patient.contact_changed", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
           pathway_id=pathway.id)
    flash(_("Contact details saved. Reminders and new invitations go to them."), "info")
    return redirect(url_for("clinic.pathway", pathway_id=pathway.id, _anchor="respondents"))


@bp.route("/pathways/<pathway_id>/evaluation")
@clinician_required
def evaluation(pathway_id: str):
    pathway = get_pathway_or_404(pathway_id)
    page = pathway_page(pathway=pathway, now=utcnow(), timezone=_settings().timezone, unit_ids=patient_data_units())
    found = evaluation_of(page=page, from_id=request.args.get("from"), to_id=request.args.get("to"))
    if found is None:
        abort(404)
    record(action="evaluation.read", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id)
    return render_template("clinic/evaluation.html", e=pathway_context.evaluation(found),
                           **goal_views.evaluation_extras(pathway, found, definitions.packages()[pathway.package_id]))


@bp.route("/responses/<response_id>")
@clinician_required
def response(response_id: str):
    found = response_record(response_id) or abort(404)
    pathway = get_pathway_or_404(found.assessment.pathway_id)
    record(action="response.read", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id,
           detail=found.response.id)
    return render_template("clinic/response.html", r=context.response(
        found, package_id=pathway.package_id, patient_name=pathway.patient.name, respondent_role=found.respondent_role))


def _assessment_or_404(assessment_id: str) -> tuple[Assessment, Pathway]:
    assessment = db.session().get(Assessment, assessment_id) if assessment_id else None
    if assessment is None:
        abort(404)
    return assessment, get_pathway_or_404(assessment.pathway_id)


@bp.route("/assessments/<assessment_id>/cancel", methods=["POST"])
@clinician_required
def cancel(assessment_id: str):
    assessment, pathway = _assessment_or_404(assessment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        cancel_assessment(assessment=assessment, by=_by())
    except PathwayError:
        flash(_("An answered assessment cannot be cancelled."), "error")
        return redirect(url_for("clinic.pathway", pathway_id=pathway.id))
    record(action="assessment.cancelled", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
           pathway_id=pathway.id, detail=assessment.id)
    flash(_("The assessment is cancelled."), "info")
    return redirect(url_for("clinic.pathway", pathway_id=pathway.id))


@bp.route("/assessments/<assessment_id>/paper", methods=["GET", "POST"])
@clinician_required
def paper(assessment_id: str):
    assessment, pathway = _assessment_or_404(assessment_id)
    instrument = definitions.catalog()[assessment.instrument_id]
    respondent = db.session().get(Respondent, assessment.respondent_id)
    default_language = respondent.language if respondent.language in instrument.languages else None
    form = paper_form(instrument, context.locale(), _("Not answered"), language=default_language)
    problem = None
    if form.validate_on_submit():
        try:
            enter_paper_response(assessment=assessment, instrument=instrument, language=form.language.data,
                                 answers=paper_answers(form, instrument), by=_by(), now=utcnow())
        except SubmitRefused as refused:
            items = sorted({n for problems in refused.problems.values() for p in problems for n in p.unanswered})
            problem = _("Too many answers are missing to score the questionnaire. Unanswered items: %(items)s",
                        items=", ".join(map(str, items)))
        except (ValueError, InvalidAnswers):
            problem = _("This assessment cannot take a paper answer: it is already answered or cancelled.")
        else:
            record(action="response.entered", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
                   pathway_id=pathway.id, detail=assessment.id)
            flash(_("The paper answers are saved and scored, marked as entered by you."), "info")
            return redirect(url_for("clinic.pathway", pathway_id=pathway.id))
    record(action="assessment.read", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id,
           detail=assessment.id)
    return render_template("clinic/paper.html", form=form, problem=problem, title=pick(instrument.title, context.locale()),
                           respondent=respondent.name, pathway_url=url_for("clinic.pathway", pathway_id=pathway.id),
                           item_fields=[form[f"item_{item.number}"] for item in instrument.items])


def _invitation_or_404(invitation_id: str):
    found = invitation_of(invitation_id) or abort(404)
    invitation, event = found
    pathway = get_pathway_or_404(event.pathway_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return invitation, pathway


@bp.route("/invitations/<invitation_id>/resend", methods=["POST"])
@clinician_required
def resend(invitation_id: str):
    invitation, pathway = _invitation_or_404(invitation_id)
    item = resend_invitation(invitation=invitation, base_url=_settings().base_url)
    record(action="invitation.resent", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id,
           detail=invitation.id)
    return render_template("clinic/issued.html", pathway_url=url_for("clinic.pathway", pathway_id=pathway.id),
                           heading=_("New invitation link"), issued=[_issued(item)], assessments=None)


@bp.route("/invitations/<invitation_id>/letter", methods=["POST"])
@clinician_required
def letter(invitation_id: str):
    invitation, pathway = _invitation_or_404(invitation_id)
    item = reissue_invitation(invitation=invitation, base_url=_settings().base_url)
    record(action="invitation.printed", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
           pathway_id=pathway.id, detail=invitation.id)
    respondent = invitation.respondent
    unit = db.session().get(Unit, pathway.unit_id)
    code_url = _settings().base_url.rstrip("/") + url_for("survey.enter_code")
    # The letter is for the respondent: their language, whatever the clinician reads.
    with force_locale(respondent.language if respondent.language in LOCALES else "nb"):
        return render_template("clinic/invitation_letter.html", respondent=respondent.name, unit=unit,
                               link=item.link, code=item.short_code, code_url=code_url,
                               expires=format_date(item.invitation.expires_at, "long"),
                               pathway_url=url_for("clinic.pathway", pathway_id=pathway.id))


from pro_service.clinic import alerts_views as _alerts_views  # noqa: E402,F401  (registers the alerts routes on bp)
from pro_service.clinic import letter_views as _letter_views  # noqa: E402,F401  (registers the letter routes on bp)
from pro_service.clinic import goal_views  # noqa: E402  (registers the goal route on bp; the pages' goal context)
from pro_service.clinic import care_setting_views  # noqa: E402  (registers the care-setting route on bp)
