"""Names reach the letter's page margins as data: no text can end a CSS string and restyle the letter."""
from __future__ import annotations

import io
import re

import pypdf
import pytest
from sqlmodel import select

from pro_service.letters.operations import preview_letter, render_html
from pro_service.letters.context import letter_context
from pro_service.pathways.models import Alert, AlertKind, Assessment

HIDE = ".alerts, .note, .result { display: none !important }"
HOSTILE_NAMES = [
    # A form feed is a newline to CSS: it ends a string that escaping of quotes and backslashes let through.
    f'Ola\x0c;}}}} {HIDE} @page {{ @bottom-left {{ content: "x',
    f'Ola\n;}}}} {HIDE} @page {{ @bottom-left {{ content: "x',
    f'Ola";}}}} {HIDE} @page {{ @bottom-left {{ content: "x',
    f"Ola</style><style>{HIDE}</style>",
]


def _pdf_text(pdf: bytes) -> str:
    # A control character in the name is drawn as a missing glyph, which makes pypdf interleave NULs.
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).replace("\x00", "")
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_patient_name_cannot_hide_the_critical_answer_or_the_note(session, make_letter_pathway, name):
    pathway, events = make_letter_pathway(language="en", name=name)
    assessment = session.exec(select(Assessment).where(Assessment.milestone_event_id == events["evaluation"].id,
                                                       Assessment.instrument_id == "phq9")).one()
    session.add(Alert(pathway_id=pathway.id, unit_id=pathway.unit_id, assessment_id=assessment.id, item=9,
                      kind=AlertKind.ANSWER, value=2))
    session.commit()

    text = _pdf_text(preview_letter(milestone_event_id=events["evaluation"].id, note="Call the patient today.").pdf)

    assert "Answers that need attention" in text
    assert "Call the patient today." in text
    assert "PHQ-9" in text and "Recovered" in text
    assert "Page 1 of 2" in text or "Page 1 of 1" in text


def test_the_letter_builds_no_css_from_data(make_letter_pathway):
    """The margins take the patient's name and the page label from an element's attributes (string-set)."""
    _pathway, events = make_letter_pathway(language="en", name='Ola "Nordmann"')

    html = render_html(letter_context(milestone_event_id=events["evaluation"].id, note=""))

    head = html.split("<body", 1)[0]
    assert "<style" not in head and " style=" not in html and "content:" not in html
    assert 'data-patient="Ola &#34;Nordmann&#34;"' in html
