"""The pathway page says which questionnaires were not sent because of the patient's age, and shows process codes."""
from datetime import UTC, date, datetime, timedelta

from pro_service import definitions
from pro_service.pathways.operations import add_respondent, register_milestone, start_pathway


def test_a_child_too_young_for_smfq_sees_why_nothing_was_sent_and_the_code_not_shown(
        client, session, make_patient, login_as):
    patient = make_patient(external_id="EPR-Y", name="Lille Berg", birth_date=date.today() - timedelta(days=4 * 366))
    add_respondent(patient=patient, role="parent", name="Lise Berg")
    package = definitions.packages()["mh_children"]
    started = datetime.now(UTC) - timedelta(days=30)
    pathway, registration = start_pathway(patient=patient, package=package, by="dr", base_url="https://x",
                                          started_at=started)
    register_milestone(pathway=pathway, package=package, milestone_id="evaluation",
                       occurred_at=started + timedelta(days=10), by="dr", base_url="https://x")
    session.commit()
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{pathway.id}").get_data(as_text=True)

    assert registration.assessments == ()
    assert "<caption id=\"left-out\">Not sent, because of the patient's age</caption>" in html
    assert "The patient&#39;s age is outside its range (6–17 years)." in html
    assert "The patient&#39;s age is outside its range (18 years or older)." in html
    assert "Brukt standardisert verktøy" not in html  # the clinician's language is English
    assert "Standardised tool for measuring symptoms and/or function used" in html
    assert "No: no answered questionnaire that counts" in html


def test_without_a_birth_date_the_page_says_so(client, session, make_patient, login_as):
    patient = make_patient(external_id="EPR-N", name="Nils Dahl", birth_date=None)
    pathway, _ = start_pathway(patient=patient, package=definitions.packages()["mh_adults"], by="dr",
                               base_url="https://x", started_at=datetime.now(UTC) - timedelta(days=3))
    session.commit()
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{pathway.id}").get_data(as_text=True)

    assert "No date of birth is recorded; this questionnaire is for 12 years or older." in html
