"""A letter names an unanswered critical item as not answered, never as an answer."""
from __future__ import annotations

from sqlmodel import select

from pro_service.letters.context import letter_context
from pro_service.pathways.models import Alert, AlertKind, Assessment


def test_the_letter_says_not_answered(session, make_letter_pathway):
    pathway, events = make_letter_pathway(language="en")
    assessment = session.exec(select(Assessment).where(Assessment.milestone_event_id == events["evaluation"].id,
                                                       Assessment.instrument_id == "phq9")).one()
    session.add(Alert(pathway_id=pathway.id, unit_id=pathway.unit_id, assessment_id=assessment.id, item=9,
                      kind=AlertKind.UNANSWERED, value=None))
    session.commit()
    [alert] = letter_context(milestone_event_id=events["evaluation"].id, note="").alerts
    assert (alert.item, alert.answer) == (9, "not answered")
