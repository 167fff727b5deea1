"""Extreme values are a 4xx problem that changes nothing, never a 500: dates far out, JSON nested thousands deep,
huge numbers where an id goes, bodies and URLs too long; and no API response may be cached."""
from __future__ import annotations

import pytest

BASE = "/api/v1"
KARI = {"external_id": "EPR-1", "name": "Kari Nordmann", "birth_date": "1990-05-17"}


@pytest.mark.parametrize("body", ["[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000])
def test_json_nested_ten_thousand_deep_is_a_400_problem(client, auth_a, row_counts, assert_problem, body):
    before = row_counts()

    response = client.post(f"{BASE}/patients", data=body, content_type="application/json", headers=auth_a)

    assert_problem(response, 400, "nested too deeply")
    assert row_counts() == before


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"])
def test_a_birth_date_outside_1900_to_2200_is_422(client, auth_a, row_counts, assert_problem, day):
    before = row_counts()

    response = client.post(f"{BASE}/patients", json={**KARI, "birth_date": day}, headers=auth_a)

    assert_problem(response, 422, "birth_date: Value error, must be a date between 1900-01-01 and 2200-12-31",
                   paths=["birth_date"])
    assert row_counts() == before


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "1850-01-01T00:00:00Z"])
def test_a_start_time_outside_the_range_is_422_not_an_overflow(client, auth_a, assert_problem, when):
    patient = client.post(f"{BASE}/patients", json=KARI, headers=auth_a).get_json()

    response = client.post(f"{BASE}/pathways", json={"patient": patient["id"], "package": "mh_adults",
                                                      "started_at": when}, headers=auth_a)

    assert_problem(response, 422, "started_at: Value error, must be a date and time between", paths=["started_at"])


def test_a_milestone_time_outside_the_range_is_422(client, auth_a, assert_problem):
    patient = client.post(f"{BASE}/patients", json=KARI, headers=auth_a).get_json()
    pathway = client.post(f"{BASE}/pathways", json={"patient": patient["id"], "package": "mh_adults",
                                                     "started_at": "2026-01-05T09:00:00+01:00"}, headers=auth_a)

    response = client.post(f"{BASE}/pathways/{pathway.get_json()['pathway']['id']}/milestones", headers=auth_a,
                           json={"milestone": "evaluation", "occurred_at": "9999-12-31T23:59:59-14:00"})

    assert_problem(response, 422, "occurred_at: Value error, must be a date and time between", paths=["occurred_at"])


def test_report_dates_outside_the_range_are_a_422_problem(client, auth_a, assert_problem):
    response = client.get(f"{BASE}/reports/outcomes?from=0001-01-01&to=0001-12-31", headers=auth_a)

    assert_problem(response, 422, "from: Value error, must be a date between 1900-01-01 and 2200-12-31",
                   paths=["from", "to"])


@pytest.mark.parametrize("path", [f"/pathways/{'9' * 400}", f"/pathways/{'9' * 40}/fhir",
                                  f"/pathways/{'9' * 40}/letters", f"/letters/{'9' * 60}.pdf"])
def test_a_huge_number_as_an_id_is_a_404(client, auth_a, path):
    response = client.get(f"{BASE}{path}", headers=auth_a)

    assert response.status_code == 404
    assert response.mimetype in {"application/problem+json", "application/fhir+json"}


def test_a_huge_number_in_the_query_is_a_4xx(client, auth_a):
    response = client.get(f"{BASE}/fhir/Observation?_count={'9' * 5000}", headers=auth_a)

    assert response.status_code == 400 and response.mimetype == "application/fhir+json"


def test_a_body_over_the_limit_is_a_413_problem(app, client, auth_a, assert_problem):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024

    response = client.post(f"{BASE}/patients", data=b"x" * (1024 * 1024 + 1), content_type="application/json",
                           headers=auth_a)

    assert_problem(response, 413, "exceeds the capacity limit")


def test_an_overlong_url_is_a_414_problem(client, auth_a, assert_problem):
    response = client.get(f"{BASE}/packages?filler={'a' * 9000}", headers=auth_a)

    assert_problem(response, 414, "length of the requested URL")


def test_a_wrong_method_is_a_405_problem_naming_the_allowed_ones(client, auth_a, assert_problem):
    response = client.delete(f"{BASE}/packages", headers=auth_a)

    assert_problem(response, 405, "not allowed")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("call", ["ok", "not_found", "unauthorized", "problem", "description"])
def test_every_api_response_is_no_store(client, auth_a, call):
    response = {
        "ok": lambda: client.post(f"{BASE}/patients", json=KARI, headers=auth_a),
        "not_found": lambda: client.get(f"{BASE}/pathways/nope", headers=auth_a),
        "unauthorized": lambda: client.get(f"{BASE}/packages"),
        "problem": lambda: client.post(f"{BASE}/patients", json={}, headers=auth_a),
        "description": lambda: client.get(f"{BASE}/openapi.json"),
    }[call]()

    assert response.headers["Cache-Control"] == "no-store"


def test_the_description_states_the_date_range_and_the_400_of_every_operation(client):
    import re

    doc = client.get(f"{BASE}/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    date_pattern = re.compile(schemas["PathwayBody"]["properties"]["started_at"]["pattern"])

    assert date_pattern.match("2200-12-31T23:59:59+01:00") and date_pattern.match("1900-01-01")
    assert not date_pattern.match("1899-12-31") and not date_pattern.match("2201-01-01")
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            assert "400" in operation["responses"], (method, path)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert parameter["schema"]["pattern"] == "^[^\\x00-\\x1f\\x7f-\\x9f]*$", (path, parameter)


@pytest.mark.parametrize("offset", ["9" * 30, "9" * 5000, "2147483648"])
def test_a_huge_search_offset_is_a_400_not_an_overflow(client, auth_a, offset):
    patient = client.post(f"{BASE}/patients", json=KARI, headers=auth_a).get_json()

    response = client.get(f"{BASE}/fhir/Observation?patient={patient['id']}&_offset={offset}", headers=auth_a)

    assert response.status_code == 400 and response.mimetype == "application/fhir+json"
    assert response.get_json()["issue"][0]["diagnostics"] == "_offset: must be between 0 and 2147483647"


@pytest.mark.parametrize("query", ["=", "=x", "%20=1"])
def test_a_search_parameter_without_a_name_is_a_400_outcome(client, auth_a, query):
    patient = client.post(f"{BASE}/patients", json=KARI, headers=auth_a).get_json()

    response = client.get(f"{BASE}/fhir/Observation?patient={patient['id']}&{query}", headers=auth_a)

    assert response.status_code == 400 and response.mimetype == "application/fhir+json"
    assert "not supported" in response.get_json()["issue"][0]["diagnostics"]
