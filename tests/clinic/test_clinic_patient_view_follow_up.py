"""The patient's view of the treatment (readiness) in words beside the scores, and follow-up after the end on the
pathway page (issue 17)."""
import re

from sqlmodel import select

from clinic_helpers import TOTALS
from pro_service import definitions
from pro_service.demo import DEMO_UNIT_CODE, create_demo
from pro_service.pathways.follow_up import decline_follow_up
from pro_service.pathways.models import Pathway, PathwayStatus, Patient, Unit
from pro_service.types import utcnow

READY = {**TOTALS, "evaluation": {**TOTALS["evaluation"], "readiness": 2, "readiness.ready": 1}}


def test_evaluation_view_states_the_patients_view_in_words_never_as_a_score(client, login_as, seed):
    seeded = seed(answered=READY)
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}/evaluation").get_data(as_text=True)

    view = html[html.index('id="patient-view-title"'):html.index("</section>", html.index('id="patient-view-title"'))]
    assert re.search(r"In the patient(?:.|&#39;)s own words \([^)]+\): helps somewhat; not sure about ending\.", view)
    cards = html[:html.index('id="patient-view-title"')]
    assert "Your view of the treatment" not in cards  # no score card, no change category for it


def test_pathway_page_shows_the_patients_view_in_words_in_the_summary_and_the_questionnaires(client, login_as, seed):
    seeded = seed(answered=READY)
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True)

    summary = html[html.index('id="summary-title"'):html.index("</section>", html.index('id="summary-title"'))]
    assert "helps somewhat; not sure about ending." in summary
    assert "Your view of the treatment" not in summary  # not a row of the scores table
    row = html[html.index("Your view of the treatment</strong>") if "Your view of the treatment</strong>" in html
               else html.index("Your view of the treatment"):]
    assert "Helps somewhat; Not sure about ending" in row[:2000]
    assert "2 (Helps somewhat)" not in html


def test_evaluation_view_without_an_answer_says_it_is_not_answered(client, login_as, seed):
    seeded = seed(registered=("clinical_decision",))  # readiness is first asked at the evaluation
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}/evaluation").get_data(as_text=True)

    assert "Not answered yet: the patient is asked at each evaluation" in html


def _demo_pathway(session, login_as, external_id: str) -> Pathway:
    create_demo(packages=definitions.packages(), base_url="https://pro.example.no")
    session.commit()
    login_as("clinician", unit=session.exec(select(Unit).where(Unit.code == DEMO_UNIT_CODE)).one())
    return session.exec(select(Pathway).join(Patient).where(Patient.external_id == external_id)).one()


def _follow_up_section(html: str) -> str:
    start = html.index('id="follow-up-title"')
    return html[start:html.index("</section>", start)]


def test_follow_up_after_the_end_shows_dates_status_and_scores_against_the_baseline(client, session, login_as):
    nora = _demo_pathway(session, login_as, "DEMO-5")

    html = client.get(f"/clinic/pathways/{nora.id}").get_data(as_text=True)

    section = _follow_up_section(html)
    six, twelve = section.index("6 months after the end"), section.index("12 months after the end")
    assert six < twelve
    assert "Answered" in section[six:twelve]
    assert ('<strong>Patient Health Questionnaire (PHQ-9)</strong> (Patient): <span class="nowrap">Baseline 17 → '
            '<strong>7</strong></span> <span class="category category--recovered">Recovered</span>') in section
    assert "Scheduled: invited when it opens" in section[twelve:]
    session.expire_all()
    assert session.get(Pathway, nora.id).status == PathwayStatus.ENDED  # the follow-up did not reopen it


def test_follow_up_declined_is_shown_as_the_patients_no(client, session, login_as):
    nora = _demo_pathway(session, login_as, "DEMO-5")
    decline_follow_up(pathway=session.get(Pathway, nora.id), by="demo", at=utcnow())
    session.commit()

    section = _follow_up_section(client.get(f"/clinic/pathways/{nora.id}").get_data(as_text=True))

    twelve = section.index("12 months after the end")
    assert "Declined by the patient on" in section[twelve:]
    assert "Answered" in section[:twelve]  # what was answered before the no is kept


def test_an_open_pathway_has_no_follow_up_section(client, session, login_as):
    kari = _demo_pathway(session, login_as, "DEMO-1")

    html = client.get(f"/clinic/pathways/{kari.id}").get_data(as_text=True)

    assert 'id="follow-up-title"' not in html
