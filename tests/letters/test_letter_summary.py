"""The GP letter answers "did the patient get better?" first, in the GP's language, and is signed (issue 13)."""
from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import select

from pro_service.letters.context import letter_context
from pro_service.letters.operations import preview_html, set_general_practitioner
from pro_service.pathways.models import MilestoneEvent

END_LETTER = [("start", 0, None), ("first_consultation", 10, None),
              ("clinical_decision", 30, {"phq9": 18, "gad7": 15}),
              ("end", 120, {"phq9": 6, "gad7": 12, "readiness": 3})]

EXPECTED = {
    "nb": ("PHQ-9 18 → 6: restituert: pålitelig bedre og utenfor det kliniske området.",
           "GAD-7 15 → 12: ingen pålitelig endring.", "Kort sagt: ble pasienten bedre?", "Behandlingsansvarlig",
           "Med pasientens egne ord"),
    "nn": ("PHQ-9 18 → 6: restituert: påliteleg betre og utanfor det kliniske området.",
           "GAD-7 15 → 12: inga påliteleg endring.", "Kort sagt: vart pasienten betre?", "Behandlingsansvarleg",
           "Med pasienten sine eigne ord"),
    "da": ("PHQ-9 18 → 6: restitueret: pålideligt bedre og uden for det kliniske område.",
           "GAD-7 15 → 12: ingen pålidelig ændring.", "Kort sagt: fik patienten det bedre?", "Behandlingsansvarlig",
           "Med patientens egne ord"),
    "en": ("PHQ-9 18 → 6: reliably improved and out of the clinical range.", "GAD-7 15 → 12: no reliable change.",
           "In short: did the patient get better?", "Responsible clinician", "In the patient's own words"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_letter_opens_with_one_line_per_questionnaire_and_is_signed(app, session, make_pathway, language):
    pathway = make_pathway(END_LETTER)
    pathway.responsible_clinician = "Dr. Eva Berg, psykologspesialist"
    set_general_practitioner(patient=pathway.patient, name="Dr. Per Hansen", practice="Storgata legekontor",
                             language=language)
    session.commit()
    end = session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id,
                                                    MilestoneEvent.milestone_id == "end")).one()
    phq9, gad7, heading, signed, view = EXPECTED[language]

    letter = letter_context(milestone_event_id=end.id, note="")
    html = unescape(preview_html(milestone_event_id=end.id, note=""))

    assert letter.summary[:2] == (phq9, gad7)  # the package plan's order: PHQ-9 before GAD-7
    assert letter.patient_view.startswith(view) and "readiness" not in {r.instrument for r in letter.results}
    assert html.index(heading) < html.index(phq9) < html.index(letter.results[0].basis)  # summary before details
    signature = html[html.index('class="signature"'):]
    assert "Dr. Eva Berg, psykologspesialist" in signature and signed in signature
