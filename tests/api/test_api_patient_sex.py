"""The patient's administrative sex through the API (FHIR AdministrativeGender codes), and its OpenAPI description."""
import pytest

from pro_service.pathways.models import Patient

BASE = "/api/v1"
KARI = {"external_id": "EPR-1", "name": "Kari Nordmann", "birth_date": "1990-05-17"}


@pytest.mark.parametrize("sex", ["female", "male", "other", "unknown"])
def test_create_patient_takes_a_fhir_administrative_sex(client, auth_a, unit_a, session, sex):
    response = client.post(f"{BASE}/patients", json={**KARI, "sex": sex}, headers=auth_a)
    assert response.status_code == 201
    assert response.get_json()["sex"] == sex
    assert session.get(Patient, response.get_json()["id"]).sex == sex


def test_sex_may_be_left_out(client, auth_a, unit_a):
    response = client.post(f"{BASE}/patients", json=KARI, headers=auth_a)
    assert response.get_json()["sex"] is None


@pytest.mark.parametrize("sex", ["F", "woman", "Female", 1, ""])
def test_create_patient_refuses_another_code(client, auth_a, unit_a, sex, row_counts, assert_problem):
    counts = row_counts()
    response = client.post(f"{BASE}/patients", json={**KARI, "sex": sex}, headers=auth_a)
    assert_problem(response, 422, "sex: ", paths=["sex"])
    assert row_counts() == counts


def test_the_openapi_description_names_the_codes(client):
    spec = client.get(f"{BASE}/openapi.json").get_json()
    body = spec["components"]["schemas"]["PatientBody"]["properties"]["sex"]
    codes = next(option["enum"] for option in body["anyOf"] if "enum" in option)
    assert codes == ["female", "male", "other", "unknown"]
    assert "AdministrativeGender" in body["description"]
    assert "sex" in spec["components"]["schemas"]["PatientView"]["properties"]
