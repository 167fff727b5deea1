"""Clinic forms refuse days outside 1900–2200, locale codes that are not offered and phone numbers that are not
numbers with a translated message on the form, and change nothing."""
from datetime import date, timedelta

import pytest
from sqlmodel import select

from clinic_helpers import csrf
from pro_service.pathways.models import Pathway, Patient

NEW = "/clinic/pathways/new"


def form(client, unit, **changes) -> dict:
    data = {"csrf_token": csrf(client, NEW), "unit": unit.id, "external_id": "EPR-77", "name": "Siri Dahl",
            "birth_date": "1990-05-17", "language": "nn", "email": "siri@example.no", "phone": "",
            "package": "mh_adults", "started_on": (date.today() - timedelta(days=1)).isoformat()}
    return {**data, **changes}


@pytest.mark.parametrize(("changes", "message"), [
    ({"birth_date": "0001-01-01"}, "Enter a date between 1900-01-01 and 2200-12-31."),
    ({"birth_date": "1899-12-31"}, "Enter a date between 1900-01-01 and 2200-12-31."),
    ({"started_on": "0001-01-02"}, "Enter a date between 1900-01-01 and 2200-12-31."),
    ({"birth_date": "99999-01-01"}, "Enter the date as YYYY-MM-DD."),
    ({"language": "xx"}, "Choose a language from the list."),
    ({"language": "nb_NO"}, "Choose a language from the list."),
    ({"phone": "+47 900\u2028Bcc: x"}, "Enter a mobile number in digits, e.g. +47 912 34 567."),
    ({"phone": "call me"}, "Enter a mobile number in digits, e.g. +47 912 34 567."),
    ({"email": "siri@example.no Bcc:eve@example.org"}, "Enter a valid email address."),
])
def test_an_extreme_value_is_a_form_error_and_changes_nothing(client, session, make_unit, login_as, changes,
                                                              message):
    unit = make_unit()
    login_as("clinician", unit=unit)

    response = client.post(NEW, data=form(client, unit, **changes))

    assert response.status_code == 200 and message in response.get_data(as_text=True)
    session.expire_all()
    assert list(session.exec(select(Patient))) == [] and list(session.exec(select(Pathway))) == []


def test_a_milestone_date_far_out_is_a_form_error(client, session, make_unit, make_patient, login_as):
    from pro_service import definitions
    from pro_service.pathways.operations import start_pathway
    from datetime import UTC, datetime

    unit = make_unit()
    pathway, _registration = start_pathway(patient=make_patient(unit=unit), package=definitions.packages()["mh_adults"],
                                           started_at=datetime.now(UTC) - timedelta(days=3), by="dr",
                                           base_url="https://pro.example.no")
    session.commit()
    login_as("clinician", unit=unit)
    url = f"/clinic/pathways/{pathway.id}"

    response = client.post(f"{url}/milestones", data={"csrf_token": csrf(client, url), "milestone": "evaluation",
                                                      "occurred_on": "9999-12-31"}, follow_redirects=True)

    assert "Enter a date between 1900-01-01 and 2200-12-31." in response.get_data(as_text=True)


def test_a_quality_report_period_far_out_is_a_form_error(client, make_unit, login_as):
    login_as("unit_leader", unit=make_unit())

    response = client.get("/clinic/quality?period=custom&start=0001-01-01&end=0001-12-31")

    assert response.status_code == 400  # the page shows the form and its errors
    assert "Enter a date between 1900-01-01 and 2200-12-31." in response.get_data(as_text=True)
