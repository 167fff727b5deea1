"""Screens on the clinician's pathway page: the latest WHO-5 depression screen per respondent."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.models import Assessment
from pro_service.pathways.operations import start_pathway
from pro_service.survey.operations import enter_paper_response


def _who5_pathway(session, make_patient, answers: dict[int, int | None]):
    patient = make_patient()
    started = datetime.now(UTC) - timedelta(days=3)
    pathway, _ = start_pathway(patient=patient, package=definitions.packages()["dk_depression"], started_at=started,
                               by="dr", base_url="http://localhost")
    assessment = session.exec(select(Assessment).where(Assessment.pathway_id == pathway.id,
                                                       Assessment.instrument_id == "who5")).one()
    enter_paper_response(assessment=assessment, instrument=definitions.catalog()["who5"], language="en",
                         answers=answers, by="dr", now=started + timedelta(hours=1))
    session.commit()
    return pathway


@pytest.mark.parametrize(("answers", "shown"), [
    ({1: 5, 2: 5, 3: 5, 4: 5, 5: 1}, "<strong>Positive</strong>"),
    ({1: 5, 2: 5, 3: 5, 4: 5, 5: 5}, "Negative"),
])
def test_the_pathway_page_shows_the_who5_depression_screen(client, session, make_patient, login_as, answers, shown):
    pathway = _who5_pathway(session, make_patient, answers)
    login_as("clinician")
    page = client.get(f"/clinic/pathways/{pathway.id}").get_data(as_text=True)
    assert '<h2 id="screens">Screens</h2>' in page
    section = page[page.index('<h2 id="screens">'):page.index('<h2 id="trajectories">')]
    assert "Depression screen" in section and shown in section and "Patient" in section


def test_a_pathway_without_screened_questionnaires_has_no_screens_section(client, seeded, login_as):
    login_as("clinician")
    assert 'id="screens"' not in client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True)
