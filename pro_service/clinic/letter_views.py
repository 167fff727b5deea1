"""The GP-letter pages of the clinic: preview (HTML and PDF), draft note, finalize, correct, download; the GP's details.

Registered on the clinic blueprint (imported at the end of clinic/views.py).
Every route goes through `get_pathway_or_404` and then checks that the
milestone event is a letter event of that pathway, so another unit's letter is a 404.
"""
from __future__ import annotations

import logging

from flask import Response, abort, flash, redirect, render_template, url_for

from pro_service.audit.operations import record
from pro_service.auth.access import clinician_required, get_pathway_or_404
from pro_service.auth.access import patient_data_units
from pro_service.clinic import letter_context
from pro_service.clinic import queries as clinic_queries
from pro_service.clinic.forms import FinalizeForm, GeneralPractitionerForm, LetterNoteForm
from pro_service.clinic.views import _by, _pathway_page, bp
from pro_service.i18n import _
from pro_service.letters import queries
from pro_service.letters.context import LetterError
from pro_service.letters.operations import (
    correct_letter, download_letter, finalize_letter, preview_html, preview_letter, save_draft_note,
    set_general_practitioner,
)
from pro_service.letters.render import RefusedDocument
from pro_service.logs import request_id
from pro_service.pathways.models import Pathway

LETTER = "/pathways/<pathway_id>/milestones/<event_id>/letter"


def _event_or_404(pathway_id: str, event_id: str) -> tuple[Pathway, queries.EventLetters]:
    pathway = get_pathway_or_404(pathway_id)
    found = queries.letter_events(pathway.id, milestone_event_id=event_id)
    if not found:
        abort(404)
    return pathway, found[0]


def _audit(pathway: Pathway, action: str, detail: str | None = None) -> None:
    record(action=action, patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id,
           detail=detail)


def _page(pathway: Pathway, event: queries.EventLetters, form: LetterNoteForm, problem: str | None = None):
    """The letter page; `form` is the note form, or the finalize form with its confirmation's error."""
    gp = queries.general_practitioner_of(pathway.patient_id)
    preview = None
    if gp is not None:
        preview = letter_context.embedded(preview_html(milestone_event_id=event.milestone_event_id,
                                                       note=form.note.data or ""))
    _audit(pathway, "letter.read", event.milestone_event_id)
    names = clinic_queries.clinician_names([v.finalized_by for v in event.versions])
    letter = letter_context.event_letter(pathway.id, pathway.package_id, event, names)
    open_alerts = len(clinic_queries.open_alerts(unit_ids=patient_data_units(), pathway_id=pathway.id))
    if not isinstance(form, FinalizeForm):
        errors, form = form.note.errors, FinalizeForm(formdata=None, note=form.note.data)
        form.note.errors = errors
    return render_template("clinic/letter.html", letter=letter, open_alerts=open_alerts,
                           gp=letter_context.gp_details(gp), gp_language=gp.language if gp else None,
                           preview=preview, form=form, problem=problem, patient=pathway.patient.name,
                           pathway_url=url_for("clinic.pathway", pathway_id=pathway.id))


@bp.errorhandler(RefusedDocument)
def _refused_document(_error: RefusedDocument):
    """A letter that asked the renderer for a URL or file outside the assets: nothing is stored, the page says so."""
    # The class and request id only: the refusal's message quotes the URL, which the letter's data may have made.
    logging.getLogger(__name__).warning("request %s: a letter was refused by the renderer (%s)", request_id(),
                                        RefusedDocument.__name__)
    return render_template(
        "error.html", error_title=_("The letter could not be made"),
        error_text=_("The letter refers to a picture or file outside the service, which a letter may not use. "
                     "Nothing was stored. Tell your system administrator and give them this reference: "
                     "%(reference)s.", reference=request_id())), 500


def _back(pathway: Pathway, event: queries.EventLetters):
    return redirect(url_for("clinic.letter_page", pathway_id=pathway.id, event_id=event.milestone_event_id))


@bp.route(LETTER)
@clinician_required
def letter_page(pathway_id: str, event_id: str):
    pathway, event = _event_or_404(pathway_id, event_id)
    return _page(pathway, event, LetterNoteForm(formdata=None, note=queries.current_note(event)))


@bp.route(f"{LETTER}/draft", methods=["POST"])
@clinician_required
def letter_draft(pathway_id: str, event_id: str):
    pathway, event = _event_or_404(pathway_id, event_id)
    form = LetterNoteForm()
    if not form.validate_on_submit():
        return _page(pathway, event, form)
    save_draft_note(milestone_event_id=event.milestone_event_id, note=form.note.data or "", by=_by())
    _audit(pathway, "letter.draft_saved", event.milestone_event_id)
    flash(_("The note is saved as a draft. The preview below shows it."), "info")
    return _back(pathway, event)


@bp.route(f"{LETTER}/preview.pdf")
@clinician_required
def letter_preview_pdf(pathway_id: str, event_id: str):
    pathway, event = _event_or_404(pathway_id, event_id)
    try:
        pdf = preview_letter(milestone_event_id=event.milestone_event_id, note=queries.current_note(event)).pdf
    except LetterError:
        flash(_("Register the GP's details on the pathway page before the letter can be previewed."), "error")
        return _back(pathway, event)
    _audit(pathway, "letter.previewed", event.milestone_event_id)
    # Rendered now and not stored: a preview is never what the GP received.
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="gp-letter-preview.pdf"'})


@bp.route(f"{LETTER}/finalize", methods=["POST"])
@clinician_required
def letter_finalize(pathway_id: str, event_id: str):
    pathway, event = _event_or_404(pathway_id, event_id)
    form = FinalizeForm()
    if not form.validate_on_submit():
        return _page(pathway, event, form)
    if queries.general_practitioner_of(pathway.patient_id) is None:
        return _page(pathway, event, form, problem=_("Register the GP's details on the pathway page before "
                                                     "finalizing the letter."))
    try:
        letter = finalize_letter(milestone_event_id=event.milestone_event_id, note=form.note.data or "", by=_by())
    except LetterError:
        return _page(pathway, event, form, problem=_("This letter is already finalized. Make a correction instead."))
    _audit(pathway, "letter.finalized", f"letter {letter.id} version {letter.version}")
    flash(_("The letter is finalized as version %(version)s.", version=letter.version), "info")
    return _back(pathway, event)


@bp.route(f"{LETTER}/correct", methods=["POST"])
@clinician_required
def letter_correct(pathway_id: str, event_id: str):
    pathway, event = _event_or_404(pathway_id, event_id)
    form = FinalizeForm()
    if not form.validate_on_submit():
        return _page(pathway, event, form)
    newest = event.newest and queries.letter_version(milestone_event_id=event.milestone_event_id,
                                                     version=event.newest.version)
    if not newest:
        return _page(pathway, event, form, problem=_("There is no finalized letter to correct yet."))
    try:
        letter = correct_letter(letter=newest, note=form.note.data or "", by=_by())
    except LetterError:
        return _page(pathway, event, form, problem=_("This letter cannot be corrected: register the GP's details, "
                                                     "and correct the newest version."))
    _audit(pathway, "letter.corrected", f"letter {letter.id} version {letter.version} supersedes {newest.id}")
    flash(_("The correction is finalized as version %(version)s.", version=letter.version), "info")
    return _back(pathway, event)


@bp.route(f"{LETTER}/versions/<int:version>.pdf")
@clinician_required
def letter_download(pathway_id: str, event_id: str, version: int):
    _pathway, event = _event_or_404(pathway_id, event_id)
    letter = queries.letter_version(milestone_event_id=event.milestone_event_id, version=version) or abort(404)
    summary = next(v for v in event.versions if v.id == letter.id)
    pdf = download_letter(letter=letter)  # audited there
    name = letter_context.download_name(event, summary)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "ETag": f'"{letter.sha256}"'})


@bp.route("/pathways/<pathway_id>/general-practitioner", methods=["POST"])
@clinician_required
def general_practitioner(pathway_id: str):
    pathway = get_pathway_or_404(pathway_id)
    form = GeneralPractitionerForm()
    if not form.validate_on_submit():
        return _pathway_page(pathway, gp_form=form)
    before = queries.general_practitioner_of(pathway.patient_id)
    practice = form.practice.data.strip()
    # The HER id (set by the EPR) belongs to the practice: kept while the practice is the same.
    her_id = before.her_id if before is not None and before.practice == practice else None
    set_general_practitioner(patient=pathway.patient, name=form.name.data.strip(), practice=practice,
                             language=form.language.data, address=(form.address.data or "").strip() or None,
                             her_id=her_id)
    _audit(pathway, "patient.gp_set")
    flash(_("The GP's details are saved. Letters not yet finalized go to this GP."), "info")
    return redirect(url_for("clinic.pathway", pathway_id=pathway.id, _anchor="letters"))
