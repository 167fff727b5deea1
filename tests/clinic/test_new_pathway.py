"""Starting a pathway from the clinic, for a patient the EPR does not send."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from clinic_helpers import csrf
from pro_service.audit.models import AuditEvent
from pro_service.pathways.models import Assessment, Pathway, Patient

NEW = "/clinic/pathways/new"


def _today() -> date:
    """The clinic's today (Europe/Oslo): between 23:00 and midnight UTC it is already tomorrow there."""
    return datetime.now(ZoneInfo("Europe/Oslo")).date()


def form(client, unit, **changes) -> dict:
    data = {"csrf_token": csrf(client, NEW), "unit": unit.id, "external_id": "EPR-77", "name": "Siri Dahl",
            "birth_date": "1990-05-17", "language": "nn", "email": "siri@example.no", "phone": "",
            "package": "mh_adults", "started_on": (_today() - timedelta(days=1)).isoformat(),
            "responsible_clinician": "Dr. Åse Bakke"}
    return {**data, **changes}


def stored(session) -> tuple[list[Patient], list[Pathway]]:
    session.expire_all()
    return list(session.exec(select(Patient))), list(session.exec(select(Pathway)))


def test_the_form_offers_the_clinicians_units_and_every_package(client, make_unit, login_as):
    login_as("clinician", unit=make_unit())
    make_unit("DPS-B", "DPS B")  # not theirs

    page = client.get(NEW).get_data(as_text=True)

    assert "BUP Oslo" in page and "DPS B" not in page
    assert 'value="mh_adults"' in page and 'value="tsb"' in page and 'value="dk_depression"' in page
    assert 'href="/clinic/pathways/new"' in client.get("/clinic/").get_data(as_text=True)


def test_a_new_patient_and_pathway_are_stored_scheduled_invited_and_audited(client, session, make_unit, login_as):
    unit = make_unit()
    login_as("clinician", unit=unit)

    page = client.post(NEW, data=form(client, unit)).get_data(as_text=True)

    [patient], [pathway] = stored(session)
    assert (patient.unit_id, patient.external_id, patient.name, patient.birth_date, patient.language) == (
        unit.id, "EPR-77", "Siri Dahl", date(1990, 5, 17), "nn")
    assert (pathway.package_id, pathway.responsible_clinician) == ("mh_adults", "Dr. Åse Bakke")
    assert "Pathway started" in page and 'class="short-code"' in page and "siri@example.no" in page
    assessments = session.exec(select(Assessment).where(Assessment.pathway_id == pathway.id)).all()
    assert {a.instrument_id for a in assessments} >= {"phq9", "gad7"}
    actions = {e.action for e in session.exec(select(AuditEvent).where(AuditEvent.patient_id == patient.id))}
    assert {"patient.registered", "pathway.started"} <= actions


def test_a_patient_already_in_the_unit_is_found_by_record_number(client, session, make_unit, make_patient, login_as):
    unit = make_unit()
    existing = make_patient(unit=unit, external_id="EPR-77", name="Siri Dahl", birth_date=date(1990, 5, 17))
    login_as("clinician", unit=unit)

    client.post(NEW, data=form(client, unit, package="tsb"))

    patients, [pathway] = stored(session)
    assert [p.id for p in patients] == [existing.id] and pathway.patient_id == existing.id


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": "Someone Else"}, "registered in the unit for a patient with another name"),
    ({"birth_date": "1991-01-01"}, "registered in the unit for a patient with another name"),
    ({"package": "mh_adults"}, "already has an open pathway in this package"),
])
def test_a_record_number_that_does_not_fit_changes_nothing(client, session, make_unit, make_patient, login_as,
                                                            changes, message):
    from datetime import UTC, datetime

    from pro_service import definitions
    from pro_service.pathways.operations import start_pathway

    unit = make_unit()
    patient = make_patient(unit=unit, external_id="EPR-77", name="Siri Dahl", birth_date=date(1990, 5, 17))
    start_pathway(patient=patient, package=definitions.packages()["mh_adults"], by="dr",
                  started_at=datetime.now(UTC) - timedelta(days=3), base_url="https://pro.example.no")
    session.commit()
    login_as("clinician", unit=unit)

    response = client.post(NEW, data=form(client, unit, **{"package": "tsb", **changes}))

    assert response.status_code == 200 and message in response.get_data(as_text=True)
    patients, pathways = stored(session)
    assert len(patients) == 1 and len(pathways) == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "Enter the patient's name."),
    ({"external_id": ""}, "Enter the patient's record number."),
    ({"birth_date": "17.05.1990"}, "Enter the date as YYYY-MM-DD."),
    ({"package": ""}, "Choose a package."),
    ({"package": "sdq"}, "Not a valid choice"),
    ({"email": "siri"}, "Enter a valid email address."),
    ({"started_on": (_today() + timedelta(days=1)).isoformat()}, "A pathway cannot start in the future."),
    ({"birth_date": _today().isoformat(), "started_on": (_today() - timedelta(days=2)).isoformat()},
     "The date of birth is after the start date."),
])
def test_bad_input_gets_a_message_and_changes_nothing(client, session, make_unit, login_as, changes, message):
    unit = make_unit()
    login_as("clinician", unit=unit)

    response = client.post(NEW, data=form(client, unit, **changes))

    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert stored(session) == ([], [])


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client, session, make_unit, login_as):
    unit = make_unit()
    login_as("clinician", unit=unit)

    response = client.post(NEW, data=form(client, unit, csrf_token=""))

    assert response.status_code == 400
    assert stored(session) == ([], [])


def test_a_pathway_cannot_be_started_in_another_unit(client, session, make_unit, login_as):
    login_as("clinician", unit=make_unit())
    other = make_unit("DPS-B", "DPS B")

    response = client.post(NEW, data=form(client, other))

    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert stored(session) == ([], [])


def test_an_administrator_without_a_clinician_role_cannot_start_one(client, make_unit, login_as):
    login_as("administrator", unit=make_unit())

    assert client.get(NEW).status_code in (403, 404)


def test_the_page_needs_a_login(client):
    response = client.get(NEW)

    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_an_inpatient_pathway_is_started_as_one(client, session, make_unit, login_as):
    unit = make_unit()
    login_as("clinician", unit=unit)

    assert 'value="inpatient"' in client.get(NEW).get_data(as_text=True)
    client.post(NEW, data=form(client, unit, package="tsb", care_setting="inpatient"))

    _patients, [pathway] = stored(session)
    assert (pathway.package_id, pathway.care_setting) == ("tsb", "inpatient")


def test_an_unknown_care_setting_is_refused_and_stores_nothing(client, session, make_unit, login_as):
    unit = make_unit()
    login_as("clinician", unit=unit)

    response = client.post(NEW, data=form(client, unit, care_setting="day_ward"))

    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert stored(session) == ([], [])
