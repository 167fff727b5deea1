"""An unanswered critical item's alert reads as what it is, in the queue, the caseload and the pathway."""
from __future__ import annotations

from sqlmodel import select

from pro_service.pathways.models import Alert, AlertKind, Assessment, MilestoneEvent


def unanswered_alert(session, pathway_id: str, milestone_id: str = "start") -> Alert:
    """As a submit without PHQ-9 item 9 raises it (tests/survey/test_unanswered_critical.py)."""
    assessment = session.exec(
        select(Assessment).join(MilestoneEvent, MilestoneEvent.id == Assessment.milestone_event_id)
        .where(Assessment.pathway_id == pathway_id, Assessment.instrument_id == "phq9",
               MilestoneEvent.milestone_id == milestone_id)).one()
    pathway = assessment.pathway
    alert = Alert(pathway_id=pathway.id, unit_id=pathway.unit_id, assessment_id=assessment.id, item=9,
                  kind=AlertKind.UNANSWERED, value=None)
    session.add(alert)
    session.commit()
    return alert


def test_the_alert_queue_names_an_unanswered_critical_item(client, session, seeded, login_as):
    login_as("clinician")
    alert = unanswered_alert(session, seeded.pathway.id)
    queue = client.get("/clinic/alerts").get_data(as_text=True)
    card = queue.split(f'id="alert-{alert.id}"')[1].split("</section>")[0]
    assert '<p class="alert-kind alert-kind--unanswered">Critical item not answered</p>' in card
    assert "<strong>Not answered</strong>" in card
    assert '<p class="alert-kind">Critical answer</p>' in queue  # the seeded critical answers


def test_the_caseload_and_pathway_show_it_distinctly(client, session, seeded, login_as):
    login_as("clinician")
    unanswered_alert(session, seeded.pathway.id)
    caseload = client.get("/clinic/").get_data(as_text=True)
    assert "1 critical question not answered" in caseload
    pathway = client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True)
    assert "Not answered</strong> <span class=\"alert-kind alert-kind--unanswered\">Critical item not answered" in pathway
