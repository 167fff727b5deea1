"""The patient's administrative sex in the clinic: the new-pathway form and the patient's own details."""
import re

import pytest
from sqlmodel import select

from clinic_helpers import csrf
from pro_service.pathways.models import Patient
from pro_service.pathways.operations import add_respondent
from test_new_pathway import NEW, form


def contact_url(client, pathway_id: str, name: str) -> str:
    page = client.get(f"/clinic/pathways/{pathway_id}").get_data(as_text=True)
    return re.search(rf'{re.escape(name)} \([^)]*\) – [^<]* <a href="([^"]+)"', page).group(1)


@pytest.mark.parametrize(("sex", "stored"), [("female", "female"), ("male", "male"), ("other", "other"),
                                              ("unknown", "unknown"), ("", None)])
def test_a_new_patient_is_registered_with_the_chosen_sex(client, session, make_unit, login_as, sex, stored):
    unit = make_unit()
    login_as("clinician", unit)
    page = client.get(NEW).get_data(as_text=True)
    assert '<select id="sex" name="sex">' in page
    client.post(NEW, data=form(client, unit, sex=sex))
    assert session.exec(select(Patient)).one().sex == stored


def test_the_new_pathway_form_refuses_another_code(client, session, make_unit, login_as):
    unit = make_unit()
    login_as("clinician", unit)
    page = client.post(NEW, data=form(client, unit, sex="woman")).get_data(as_text=True)
    assert "Not a valid choice" in page
    assert session.exec(select(Patient)).all() == []


def test_the_patients_own_details_show_and_change_the_sex(client, session, seed, login_as):
    seeded = seed()
    login_as("clinician")
    url = contact_url(client, seeded.pathway.id, "Kari Nordmann")
    assert '<option selected value="">Not recorded</option>' in client.get(url).get_data(as_text=True)

    client.post(url, data={"csrf_token": csrf(client, url), "name": "Kari Nordmann", "language": "nb",
                           "email": "", "phone": "", "sex": "female"})

    session.expire_all()
    assert session.get(Patient, seeded.pathway.patient_id).sex == "female"
    assert '<option selected value="female">Female</option>' in client.get(url).get_data(as_text=True)


def test_a_relatives_details_have_no_sex_field(client, session, seed, login_as):
    seeded = seed()
    add_respondent(patient=session.get(Patient, seeded.pathway.patient_id), role="parent", name="Lise Berg")
    session.commit()
    login_as("clinician")
    url = contact_url(client, seeded.pathway.id, "Lise Berg")
    assert 'name="sex"' not in client.get(url).get_data(as_text=True)
