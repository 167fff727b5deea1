import pytest

from pro_service.pathways.models import Patient

BASE = "/api/v1"
KARI = {"external_id": "EPR-1", "name": "Kari Nordmann", "birth_date": "1990-05-17", "language": "nn",
        "email": "kari@example.no", "phone": "+47 900 00 000"}


def test_create_patient_returns_201_with_the_patient_and_their_own_respondent(client, auth_a, unit_a):
    response = client.post(f"{BASE}/patients", json=KARI, headers=auth_a)

    assert response.status_code == 201
    patient = response.get_json()
    assert {k: patient[k] for k in KARI} == KARI
    assert patient["unit"] == "UNIT-A" and len(patient["id"]) == 32
    assert [(r["role"], r["name"], r["language"]) for r in patient["respondents"]] == [("self", "Kari Nordmann", "nn")]


def test_create_patient_is_idempotent_on_external_id_within_the_unit(client, auth_a, unit_a, row_counts):
    first = client.post(f"{BASE}/patients", json=KARI, headers=auth_a)
    counts = row_counts()

    again = client.post(f"{BASE}/patients", json={**KARI, "name": "Someone Else", "unit": "UNIT-A"}, headers=auth_a)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert row_counts() == counts


def test_the_same_external_id_in_another_unit_is_another_patient(client, token_for, unit_a, unit_b, session):
    both = token_for(unit_a, unit_b)

    a = client.post(f"{BASE}/patients", json={**KARI, "unit": "UNIT-A"}, headers=both).get_json()
    b = client.post(f"{BASE}/patients", json={**KARI, "unit": "UNIT-B"}, headers=both).get_json()

    assert a["id"] != b["id"] and (a["unit"], b["unit"]) == ("UNIT-A", "UNIT-B")


def test_a_client_with_several_units_must_name_the_unit(client, token_for, unit_a, unit_b, row_counts,
                                                        assert_problem):
    both = token_for(unit_a, unit_b)
    counts = row_counts()

    response = client.post(f"{BASE}/patients", json=KARI, headers=both)

    assert_problem(response, 422, "unit: required: this API client has several units (UNIT-A, UNIT-B)",
                   paths=["unit"])
    assert row_counts() == counts


@pytest.mark.parametrize("code", ["UNIT-B", "NO-SUCH-UNIT"])
def test_another_units_code_is_answered_as_an_unknown_one(client, auth_a, unit_b, code, row_counts, assert_problem):
    counts = row_counts()

    response = client.post(f"{BASE}/patients", json={**KARI, "unit": code}, headers=auth_a)

    assert_problem(response, 422, f"unit: unknown unit '{code}'", paths=["unit"])
    assert row_counts() == counts


@pytest.mark.parametrize("body, path, message", [
    ({**KARI, "birth_date": "17.05.1990"}, "birth_date", "valid date in the format YYYY-MM-DD"),
    ({**KARI, "birth_date": 19900517}, "birth_date", "valid date"),
    ({k: v for k, v in KARI.items() if k != "name"}, "name", "required"),
    ({**KARI, "name": "  "}, "name", "at least 1 character"),
    ({**KARI, "language": "de"}, "language", "'nb'"),
    ({**KARI, "email": "not an address"}, "email", "should match pattern"),
    ({**KARI, "ssn": "01019012345"}, "ssn", "unknown field"),
    ({**KARI, "external_id": 17}, "external_id", "valid string"),
])
def test_create_patient_names_the_wrong_field(client, auth_a, body, path, message, row_counts, assert_problem):
    counts = row_counts()

    response = client.post(f"{BASE}/patients", json=body, headers=auth_a)

    problem = assert_problem(response, 422, f"{path}: ", paths=[path])
    assert message in problem["errors"][0]["message"]
    assert row_counts() == counts


@pytest.mark.parametrize("raw, detail", [
    (b'{"external_id": "EPR-1",', "the request body is not valid JSON"),
    (b"", "the request body is not valid JSON"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_invalid_json_is_a_400_problem(client, auth_a, raw, detail, row_counts, assert_problem):
    counts = row_counts()

    response = client.post(f"{BASE}/patients", data=raw, headers={**auth_a, "Content-Type": "application/json"})

    assert_problem(response, 400, detail)
    assert row_counts() == counts


def test_a_body_that_is_not_an_object_is_a_422_problem(client, auth_a, assert_problem):
    response = client.post(f"{BASE}/patients", json=[KARI], headers=auth_a)

    assert_problem(response, 422, "(body): Input should be an object", paths=["(body)"])


def test_add_respondent_returns_201_and_the_patient_has_them(client, auth_a, unit_a, session):
    patient = client.post(f"{BASE}/patients", json=KARI, headers=auth_a).get_json()

    response = client.post(f"{BASE}/patients/{patient['id']}/respondents", headers=auth_a,
                           json={"role": "parent", "name": "Lise Nordmann", "language": "en",
                                 "email": "lise@example.no"})

    assert response.status_code == 201
    assert {k: v for k, v in response.get_json().items() if k != "id"} == {
        "role": "parent", "name": "Lise Nordmann", "language": "en", "email": "lise@example.no", "phone": None}
    stored = session.get(Patient, patient["id"])
    assert sorted(r.role for r in stored.respondents) == ["parent", "self"]


def test_add_respondent_refuses_the_role_self(client, auth_a, unit_a, row_counts, assert_problem):
    patient = client.post(f"{BASE}/patients", json=KARI, headers=auth_a).get_json()
    counts = row_counts()

    response = client.post(f"{BASE}/patients/{patient['id']}/respondents", headers=auth_a,
                           json={"role": "self", "name": "Kari"})

    assert_problem(response, 422, "role: Input should be 'parent', 'other_relative' or 'teacher'", paths=["role"])
    assert row_counts() == counts


def test_add_respondent_to_another_units_patient_is_404_and_changes_nothing(
        client, token_for, unit_a, unit_b, row_counts, assert_problem):
    other = client.post(f"{BASE}/patients", json=KARI, headers=token_for(unit_b)).get_json()
    auth_a = token_for(unit_a)
    counts = row_counts()

    response = client.post(f"{BASE}/patients/{other['id']}/respondents", headers=auth_a,
                           json={"role": "parent", "name": "Lise"})
    missing = client.post(f"{BASE}/patients/{'0' * 32}/respondents", headers=auth_a,
                          json={"role": "parent", "name": "Lise"})

    assert_problem(response, 404, f"no patient with id '{other['id']}'")
    # Another unit's patient and a patient that does not exist look the same.
    assert_problem(missing, 404, "no patient with id")
    assert response.get_json()["title"] == missing.get_json()["title"]
    assert row_counts() == counts
