"""Control characters in a body, a path or a query are a 4xx that changes nothing; never a 500 (on PostgreSQL a
NUL cannot even be bound to a statement)."""
from __future__ import annotations

import pytest

from pro_service.plain_text import SINGLE_LINE_PATTERN

BASE = "/api/v1"
KARI = {"external_id": "EPR-1", "name": "Kari Nordmann", "birth_date": "1990-05-17", "email": "kari@example.no",
        "phone": "+47 900 00 000"}
HOSTILE = ["\x00", "\x0c", "\n", "\r", "\t", "\x1b", "\x7f", "\x85"]


@pytest.mark.parametrize("char", HOSTILE)
@pytest.mark.parametrize("field", ["external_id", "name", "email", "phone", "unit"])
def test_a_patient_field_with_a_control_character_is_422(client, auth_a, row_counts, assert_problem, field, char):
    before = row_counts()
    value = {"unit": "UNIT-A"}.get(field, KARI.get(field, ""))
    body = {**KARI, field: value[:3] + char + value[3:]}

    response = client.post(f"{BASE}/patients", json=body, headers=auth_a)

    code = f"U+{ord(char):04X}"
    assert_problem(response, 422, f"{field}: must not contain control characters (found {code})", paths=[field])
    assert row_counts() == before


def test_a_respondent_name_and_a_pathway_field_with_a_nul_are_422(client, auth_a, row_counts, assert_problem):
    patient = client.post(f"{BASE}/patients", json=KARI, headers=auth_a).get_json()
    before = row_counts()

    respondent = client.post(f"{BASE}/patients/{patient['id']}/respondents", headers=auth_a,
                             json={"role": "parent", "name": "Per\x00 Hansen"})
    pathway = client.post(f"{BASE}/pathways", headers=auth_a, json={
        "patient": patient["id"], "package": "mh\x00adults", "started_at": "2026-01-05T09:00:00+01:00",
        "responsible_clinician": "Dr.\x0c Bakke"})

    assert_problem(respondent, 422, "name: must not contain control characters", paths=["name"])
    assert_problem(pathway, 422, "must not contain control characters", paths=["package", "responsible_clinician"])
    assert row_counts() == before


@pytest.mark.parametrize("path", [
    "/pathways/%00", "/pathways/abc%00def", "/patients/%00/respondents", "/letters/%00.pdf",
    "/pathways/%0c/letters",
])
def test_a_control_character_in_the_path_is_a_4xx_problem(client, auth_a, path):
    response = client.get(f"{BASE}{path}", headers=auth_a) if "respondents" not in path else client.post(
        f"{BASE}{path}", headers=auth_a, json={"role": "parent", "name": "Per"})

    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json"


def test_a_control_character_in_the_query_is_a_400_problem(client, auth_a):
    response = client.get(f"{BASE}/reports/outcomes?from=2026-01-01&to=2026-03-31&package=mh%00", headers=auth_a)

    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert "control character" in response.get_json()["detail"]


def test_the_openapi_description_states_the_rule_on_every_text_of_a_body(client):
    schemas = client.get(f"{BASE}/openapi.json").get_json()["components"]["schemas"]

    for name in ("PatientBody", "RespondentBody", "PathwayBody", "MilestoneBody"):
        for field, spec in schemas[name]["properties"].items():
            for option in spec.get("anyOf", [spec]):
                if option.get("type") == "string" and "enum" not in option and "format" not in option:
                    assert "pattern" in option, (name, field)
    assert schemas["PatientBody"]["properties"]["name"]["pattern"] == SINGLE_LINE_PATTERN
