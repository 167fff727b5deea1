"""Screens in the GP letter: the latest WHO-5 depression screen, in the GP's language, never as a diagnosis."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.letters.context import letter_context
from pro_service.letters.operations import render_html, set_general_practitioner
from pro_service.pathways.models import Assessment
from pro_service.pathways.operations import register_milestone, start_pathway
from pro_service.survey.operations import enter_paper_response

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _dk_pathway(session, make_patient, who5: list[dict[int, int | None]], *, language="en"):
    patient = make_patient()
    package = definitions.packages()["dk_depression"]
    pathway, registration = start_pathway(patient=patient, package=package, started_at=START, by="t",
                                          base_url="http://localhost")
    events = [registration.event]
    events.append(register_milestone(pathway=pathway, package=package, milestone_id="clinical_decision",
                                     occurred_at=START + timedelta(days=30), by="t", base_url="http://localhost").event)
    for event, answers in zip(events, who5, strict=False):
        assessment = session.exec(select(Assessment).where(Assessment.milestone_event_id == event.id,
                                                           Assessment.instrument_id == "who5")).one()
        enter_paper_response(assessment=assessment, instrument=definitions.catalog()["who5"], language="en",
                             answers=answers, by="t", now=event.occurred_at + timedelta(hours=1))
    set_general_practitioner(patient=patient, name="Dr. Per Hansen", practice="Storgata", language=language,
                             address="Storgata 1", her_id="1")
    session.commit()
    return events[-1]


@pytest.mark.parametrize(("latest", "positive", "text"), [
    ({1: 5, 2: 5, 3: 5, 4: 5, 5: 0}, True, "Positive"),
    ({1: 4, 2: 4, 3: 3, 4: 3, 5: 3}, False, "Negative"),
])
def test_the_letter_shows_the_latest_screen(session, make_patient, latest, positive, text):
    event = _dk_pathway(session, make_patient, [{1: 0, 2: 0, 3: 0, 4: 0, 5: 0}, latest])
    context = letter_context(milestone_event_id=event.id, note="")
    assert [(s.screen, s.positive, s.respondent) for s in context.screens] == [
        ("Depression screen", positive, "the patient")]
    html = render_html(context)
    assert "Screening results" in html and f"): {text}</li>" in html
    assert "A screen is not a diagnosis" in html


def test_the_letter_speaks_the_gps_language(session, make_patient):
    event = _dk_pathway(session, make_patient, [{1: 0, 2: 0, 3: 0, 4: 0, 5: 0}], language="nb")
    context = letter_context(milestone_event_id=event.id, note="")
    assert [s.screen for s in context.screens] == ["Screening for depresjon"]


def test_a_letter_without_screened_questionnaires_has_no_screens(session, make_letter_pathway):
    _pathway, events = make_letter_pathway()
    context = letter_context(milestone_event_id=events["evaluation"].id, note="")
    assert context.screens == ()
    assert "Screening results" not in render_html(context)
