"""What changes or produces letters: preview, finalize, correct, download, and which are due.

Keyword-only, in the current unit of work, flushing only; the request or CLI
command commits once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import render_template
from sqlalchemy import exists
from sqlmodel import col, select

from pro_service import db
from pro_service.audit.operations import record
from pro_service.i18n import _, force_locale
from pro_service.letters.context import LetterContext, LetterError, letter_context
from pro_service.letters.models import GeneralPractitioner, Letter, LetterDraft, LetterLanguage
from pro_service.letters.render import LETTER_ASSETS, LETTER_STYLESHEETS, render_pdf
from pro_service.pathways.models import MilestoneEvent, Pathway, Patient
from pro_service.types import utcnow

LETTER_MILESTONES = ("clinical_decision", "evaluation", "end")
"""The milestones at which the GP is told (DESIGN.md §4, flow 5)."""


@dataclass(frozen=True)
class Preview:
    context: LetterContext
    html: str
    pdf: bytes


def set_general_practitioner(
    *, patient: Patient, name: str, practice: str, language: str = "nb",
    address: str | None = None, her_id: str | None = None,
) -> GeneralPractitioner:
    """Record or replace the patient's GP; later letters go to them, in their language."""
    language = LetterLanguage(language)  # a letter is written in nb, nn, da or en only
    session = db.session()
    gp = session.exec(select(GeneralPractitioner).where(GeneralPractitioner.patient_id == patient.id)).first()
    if gp is None:
        gp = GeneralPractitioner(patient_id=patient.id, name=name, practice=practice, language=language)
        session.add(gp)
    gp.name, gp.practice, gp.language, gp.address, gp.her_id = name, practice, language.value, address, her_id
    gp.updated_at = utcnow()
    session.flush()
    return gp


def preview_letter(*, milestone_event_id: str, note: str = "") -> Preview:
    """Build and render the letter without storing anything."""
    context = letter_context(milestone_event_id=milestone_event_id, note=note)
    html = render_html(context)
    pdf = render_pdf(html, base_url=LETTER_ASSETS, stylesheets=LETTER_STYLESHEETS)
    return Preview(context=context, html=html, pdf=pdf)


def preview_html(*, milestone_event_id: str, note: str = "") -> str:
    """The letter's HTML, exactly as a PDF would be made from it now; nothing rendered to PDF, nothing stored."""
    return render_html(letter_context(milestone_event_id=milestone_event_id, note=note))


def save_draft_note(*, milestone_event_id: str, note: str, by: str) -> LetterDraft:
    """Keep the clinician's note for the event's next letter version until it is finalized or corrected."""
    session = db.session()
    draft = session.exec(select(LetterDraft).where(LetterDraft.milestone_event_id == milestone_event_id)).first()
    if draft is None:
        draft = LetterDraft(milestone_event_id=milestone_event_id, updated_by=by)
        session.add(draft)
    draft.note, draft.updated_by, draft.updated_at = note.strip(), by, utcnow()
    session.flush()
    return draft


def finalize_letter(*, milestone_event_id: str, note: str, by: str) -> Letter:
    """Render and store version 1 of the event's letter, immutably (PDF bytes, SHA-256, who, when).

    Raises `LetterError` when the event already has a letter: change it with `correct_letter`.
    """
    if db.session().exec(select(Letter.id).where(Letter.milestone_event_id == milestone_event_id)).first():
        raise LetterError("this milestone's letter is already finalized; write a correction instead")
    return _store(milestone_event_id=milestone_event_id, note=note, by=by, version=1, supersedes=None)


def correct_letter(*, letter: Letter, note: str, by: str) -> Letter:
    """A new version of a finalized letter, rendered from today's data, that names the one it replaces."""
    newer = db.session().exec(select(Letter.id).where(Letter.supersedes_id == letter.id)).first()
    if newer:
        raise LetterError("this letter was already corrected; correct the newest version")
    return _store(milestone_event_id=letter.milestone_event_id, note=note, by=by,
                  version=letter.version + 1, supersedes=letter)


def _store(*, milestone_event_id: str, note: str, by: str, version: int, supersedes: Letter | None) -> Letter:
    preview = preview_letter(milestone_event_id=milestone_event_id, note=note)
    letter = Letter(
        pathway_id=preview.context.pathway_id, milestone_event_id=milestone_event_id, version=version,
        supersedes_id=supersedes.id if supersedes else None, note=preview.context.note,
        language=preview.context.language, pdf=preview.pdf, sha256=hashlib.sha256(preview.pdf).hexdigest(),
        finalized_at=utcnow(), finalized_by=by,
    )
    db.session().add(letter)
    # The draft's note now lives in the letter; the next edit starts a draft for a correction.
    for draft in db.session().exec(select(LetterDraft).where(LetterDraft.milestone_event_id == milestone_event_id)):
        db.session().delete(draft)
    db.session().flush()
    return letter


def download_letter(*, letter: Letter) -> bytes:
    """The stored PDF bytes, exactly as finalized; records the read in the audit trail."""
    pathway = db.session().get(Pathway, letter.pathway_id)
    record(action="letter.download", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
           pathway_id=pathway.id, detail=f"letter {letter.id} version {letter.version}")
    return letter.pdf


def letters_due(now: datetime) -> list[MilestoneEvent]:
    """Clinical decision, evaluation and end events up to `now` that have no finalized letter, oldest first."""
    return list(db.session().exec(
        select(MilestoneEvent)
        .where(col(MilestoneEvent.milestone_id).in_(LETTER_MILESTONES), MilestoneEvent.occurred_at <= now,
               ~exists().where(Letter.milestone_event_id == MilestoneEvent.id))
        .order_by(col(MilestoneEvent.occurred_at), col(MilestoneEvent.id))
    ).all())


def render_html(context: LetterContext) -> str:
    """The letter's HTML in the GP's language, whatever the locale of the request."""
    language = context.language
    with force_locale(language):
        return render_template(
            "letters/gp_letter.html", letter=context, page_label=_page_label(),
            format_date=lambda day: format_date(day, "long", locale=language),
            format_number=lambda value: format_decimal(value, locale=language),
        )


@dataclass(frozen=True)
class PageLabel:
    """"Page 1 of 2" around its two numbers, which only the renderer knows (CSS counters)."""

    before: str
    middle: str
    after: str


def _page_label() -> PageLabel:
    """The translated label cut at its placeholders; the template hands the pieces to CSS as data."""
    before, middle, after = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01").replace(
        "\x01", "\x00").split("\x00")
    return PageLabel(before=before, middle=middle, after=after)
