"""Changing a respondent's contact details from the pathway page."""
import re

import pytest
from sqlmodel import select

from clinic_helpers import csrf
from pro_service.audit.models import AuditEvent
from pro_service.pathways.models import Patient, Respondent, RespondentRole
from pro_service.pathways.operations import add_respondent


def contact_url(client, pathway_id: str, name: str) -> str:
    page = client.get(f"/clinic/pathways/{pathway_id}").get_data(as_text=True)
    return re.search(rf'{re.escape(name)} \([^)]*\) – [^<]* <a href="([^"]+)"', page).group(1)


def test_the_patients_own_contact_details_change_on_the_patient_too(client, session, seed, login_as):
    seeded = seed()
    login_as("clinician")
    url = contact_url(client, seeded.pathway.id, "Kari Nordmann")

    form = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf(client, url), "name": "Kari Nordmann Berg",
                                      "language": "nn", "email": "kari.berg@example.no", "phone": "+47 400 00 000"})

    assert 'value="Kari Nordmann"' in form and response.status_code == 302
    session.expire_all()
    me = session.exec(select(Respondent).where(Respondent.role == RespondentRole.SELF)).one()
    patient = session.get(Patient, me.patient_id)
    assert (me.name, me.language, me.email, me.phone) == ("Kari Nordmann Berg", "nn", "kari.berg@example.no",
                                                          "+47 400 00 000")
    assert (patient.name, patient.language, patient.email) == ("Kari Nordmann Berg", "nn", "kari.berg@example.no")
    actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.patient_id == patient.id))]
    assert "patient.contact_changed" in actions


def test_a_relatives_details_change_and_the_patients_do_not(client, session, seed, login_as):
    seeded = seed()
    add_respondent(patient=session.get(Patient, seeded.pathway.patient_id), role="parent", name="Lise Berg")
    session.commit()
    login_as("clinician")
    url = contact_url(client, seeded.pathway.id, "Lise Berg")

    client.post(url, data={"csrf_token": csrf(client, url), "name": "Lise Berg", "language": "uk",
                           "email": "", "phone": "+47 411 11 111"})

    session.expire_all()
    lise = session.exec(select(Respondent).where(Respondent.name == "Lise Berg")).one()
    assert (lise.language, lise.email, lise.phone) == ("uk", None, "+47 411 11 111")
    assert session.get(Patient, seeded.pathway.patient_id).name == "Kari Nordmann"


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "Enter the respondent's name."),
    ({"email": "kari"}, "Enter a valid email address."),
    ({"language": "xx"}, "Choose a language from the list."),
])
def test_bad_input_gets_a_message_and_changes_nothing(client, session, seed, login_as, changes, message):
    seeded = seed()
    login_as("clinician")
    url = contact_url(client, seeded.pathway.id, "Kari Nordmann")
    data = {"csrf_token": csrf(client, url), "name": "Kari", "language": "nb", "email": "", "phone": "", **changes}

    response = client.post(url, data=data)

    assert response.status_code == 200 and message in response.get_data(as_text=True)
    session.expire_all()
    assert session.exec(select(Respondent)).one().name == "Kari Nordmann"


def test_another_units_clinician_and_another_patients_respondent_get_404(client, session, seed, make_unit, login_as):
    from pro_service.pathways.models import Unit

    seeded = seed()
    other = seed(unit=session.get(Unit, seeded.pathway.unit_id), external_id="EPR-2", name="Ola Nordmann")
    ola = session.exec(select(Respondent).where(Respondent.patient_id == other.pathway.patient_id)).one()
    login_as("clinician")
    wrong_patient = f"/clinic/pathways/{seeded.pathway.id}/respondents/{ola.id}"
    assert client.get(wrong_patient).status_code == 404

    login_as("clinician", unit=make_unit("DPS-B", "DPS B"))
    kari = session.exec(select(Respondent).where(Respondent.patient_id == seeded.pathway.patient_id)).one()
    url = f"/clinic/pathways/{seeded.pathway.id}/respondents/{kari.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"csrf_token": csrf(client), "name": "X", "language": "nb"}).status_code == 404
