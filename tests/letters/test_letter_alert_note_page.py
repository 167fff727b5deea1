"""A clinician's note that a critical answer was followed up sits beside the alert box, on the same page (issue 13)."""
from __future__ import annotations

import io

import pypdf
import pytest
from sqlmodel import select

from pro_service.letters.operations import preview_letter
from pro_service.pathways.models import Alert, AlertKind, Assessment

HEADINGS = {"nb": ("Svar som trenger oppmerksomhet", "Merknad fra behandleren"),
            "en": ("Answers that need attention", "Note from the clinician")}
NOTE = "Spørsmål 9 ble fulgt opp i samtale 30. juni; ingen akutt fare. " * 3


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_the_note_and_the_alert_box_share_the_first_page_with_four_instruments(session, make_letter_pathway,
                                                                               language):
    scores = {"phq9": (19, 16, 8), "gad7": (15, 14, 11), "core10": (24, 20, 12), "wsas": (28, 22, 15)}
    pathway, events = make_letter_pathway(language=language, scores=scores)
    assessment = session.exec(select(Assessment).where(Assessment.milestone_event_id == events["evaluation"].id,
                                                       Assessment.instrument_id == "phq9")).one()
    session.add(Alert(pathway_id=pathway.id, unit_id=pathway.unit_id, assessment_id=assessment.id, item=9,
                      kind=AlertKind.ANSWER, value=1))
    session.commit()

    pdf = preview_letter(milestone_event_id=events["evaluation"].id, note=NOTE).pdf
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]

    alerts, note = HEADINGS[language]
    assert len(pages) <= 2
    assert alerts in pages[0] and note in pages[0] and "ingen akutt fare" in pages[0]
    assert pages[0].index(alerts) < pages[0].index(note)
