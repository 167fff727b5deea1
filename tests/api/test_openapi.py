"""The OpenAPI description is true: every route is described, every description is a route, answers fit."""
import re
from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator, FormatChecker

BASE = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _validator(spec, schema_name):
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    return Draft202012Validator(root, format_checker=FormatChecker())


def _response_schema(spec, path, method, status, content="application/json"):
    ref = spec["paths"][path][method]["responses"][str(status)]["content"][content]["schema"]["$ref"]
    return ref.rsplit("/", 1)[1]


@pytest.fixture
def spec(client):
    return client.get(f"{BASE}/openapi.json").get_json()


def test_every_api_route_is_described_and_every_description_is_a_route(app, spec):
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
        for method in rule.methods - IGNORED_METHODS
    }
    described = {(path, method) for path, operations in spec["paths"].items() for method in operations}

    assert routes == described


def test_the_description_is_a_valid_openapi_3_1_document_with_schemas(spec):
    assert spec["openapi"] == "3.1.0"
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', str(spec).replace("'", '"')))
    assert refs <= set(schemas), refs - set(schemas)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], (path, method)
            if method == "post" and not path.endswith("/cancel"):  # an action on a resource needs no body
                assert "requestBody" in operation, path
            params = re.findall(r"{(\w+)}", path)
            assert [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"] == params


def test_real_answers_fit_their_schemas(client, spec, auth_a, unit_a):
    patient = client.post(f"{BASE}/patients", json={"external_id": "E1", "name": "Kari", "birth_date": "1990-01-01"},
                          headers=auth_a)
    started = client.post(f"{BASE}/pathways", headers=auth_a, json={
        "patient": patient.get_json()["id"], "package": "mh_adults",
        "started_at": datetime(2026, 1, 5, 9, tzinfo=UTC).isoformat()})
    pathway_id = started.get_json()["pathway"]["id"]
    milestone = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a,
                            json={"milestone": "clinical_decision", "occurred_at": "2026-02-01T10:00:00+01:00"})
    respondent = client.post(f"{BASE}/patients/{patient.get_json()['id']}/respondents", headers=auth_a,
                             json={"role": "other_relative", "name": "Per"})
    answers = [
        ("/api/v1/patients", "post", patient),
        ("/api/v1/pathways", "post", started),
        ("/api/v1/pathways/{pathway_id}/milestones", "post", milestone),
        ("/api/v1/patients/{patient_id}/respondents", "post", respondent),
        ("/api/v1/pathways/{pathway_id}", "get", client.get(f"{BASE}/pathways/{pathway_id}", headers=auth_a)),
        ("/api/v1/packages", "get", client.get(f"{BASE}/packages", headers=auth_a)),
        ("/api/v1/instruments", "get", client.get(f"{BASE}/instruments", headers=auth_a)),
    ]
    for path, method, response in answers:
        name = _response_schema(spec, path, method, response.status_code)
        errors = list(_validator(spec, name).iter_errors(response.get_json()))
        assert errors == [], (path, [e.message for e in errors[:3]])


def test_problems_fit_the_problem_schema(client, spec, auth_a, unit_a):
    answers = [
        ("/api/v1/patients", "post", client.post(f"{BASE}/patients", data=b"{", headers=auth_a)),
        ("/api/v1/patients", "post", client.post(f"{BASE}/patients", json={"name": 1}, headers=auth_a)),
        ("/api/v1/pathways/{pathway_id}", "get", client.get(f"{BASE}/pathways/x", headers=auth_a)),
        ("/api/v1/packages", "get", client.get(f"{BASE}/packages")),
    ]
    for path, method, response in answers:
        name = _response_schema(spec, path, method, response.status_code, "application/problem+json")
        assert list(_validator(spec, name).iter_errors(response.get_json())) == []
