"""GET /api/v1/fhir/Observation: a patient's scores by code, paged by next links; scoped, audited, FHIR errors."""
from __future__ import annotations

from urllib.parse import urlsplit

from fhir.resources.R4B.bundle import Bundle
from sqlmodel import select

from pro_service.audit.models import AuditEvent

MILESTONES = [("start", 0, {"phq9": 17, "gad7": 12, "core10": 20, "wsas": 18}),
              ("clinical_decision", 30, {"phq9": 11, "gad7": 9, "core10": 14, "wsas": 12}),
              ("evaluation", 90, {"phq9": 6, "gad7": 5, "core10": 8, "wsas": 7})]
SEARCH = "/api/v1/fhir/Observation"


def _search(client, headers, **params) -> Bundle:
    response = client.get(SEARCH, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    return Bundle.model_validate_json(response.get_data())


def _values(bundle: Bundle) -> list[int]:
    return [entry.resource.valueInteger for entry in bundle.entry or []]


def test_a_loinc_code_finds_the_patients_phq9_totals_oldest_first(client, make_pathway, unit_a, auth_a):
    pathway = make_pathway(MILESTONES, unit=unit_a)

    found = _search(client, auth_a, patient=pathway.patient_id, code="http://loinc.org|44261-6")

    assert found.type == "searchset" and found.total == 3
    assert _values(found) == [17, 11, 6]
    assert {entry.search.mode for entry in found.entry} == {"match"}
    assert [link.relation for link in found.link] == ["self"]


def test_a_local_code_a_bare_code_and_several_codes_find_the_same_way(client, make_pathway, unit_a, auth_a):
    pathway = make_pathway(MILESTONES, unit=unit_a)
    patient = pathway.patient_id

    assert _values(_search(client, auth_a, patient=patient, code="urn:pro-service:scale|wsas.total")) == [18, 12, 7]
    assert _values(_search(client, auth_a, patient=patient, code="70274-6")) == [12, 9, 5]
    assert _search(client, auth_a, patient=f"Patient/{patient}", code="44261-6,70274-6").total == 6
    assert _search(client, auth_a, patient=patient, code="http://snomed.info/sct|44261-6").total == 0
    assert _search(client, auth_a, patient=patient).total == 14  # 4 instruments × 3, and readiness's 2 answers


def test_pages_follow_next_links_to_every_observation_once(client, make_pathway, unit_a, auth_a):
    pathway = make_pathway(MILESTONES, unit=unit_a)
    seen, page = [], _search(client, auth_a, patient=pathway.patient_id, _count="5")

    while True:
        seen += [entry.resource.id for entry in page.entry]
        following = [link.url for link in page.link if link.relation == "next"]
        if not following:
            break
        url = urlsplit(following[0])
        assert url.path == SEARCH
        page = Bundle.model_validate_json(client.get(f"{url.path}?{url.query}", headers=auth_a).get_data())

    assert len(seen) == len(set(seen)) == 14
    assert page.total == 14


def test_each_search_is_audited_once_for_the_patient(client, session, make_pathway, unit_a, auth_a):
    pathway = make_pathway(MILESTONES[:1], unit=unit_a)

    _search(client, auth_a, patient=pathway.patient_id, code="44261-6")

    session.expire_all()
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "fhir.observations_read")).all()
    assert [(e.actor_kind, e.patient_id, e.unit_id, e.detail) for e in events] == [
        ("api_client", pathway.patient_id, unit_a.id, "1 of 1 from 0")]


def test_another_units_patient_is_an_operation_outcome_404_and_not_audited(client, session, make_pathway, unit_a,
                                                                          unit_b, auth_a):
    theirs = make_pathway(MILESTONES[:1], unit=unit_b)

    response = client.get(SEARCH, query_string={"patient": theirs.patient_id}, headers=auth_a)

    assert response.status_code == 404 and response.mimetype == "application/fhir+json"
    assert response.get_json()["issue"][0]["code"] == "not-found"
    session.expire_all()
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "fhir.observations_read")).all() == []


def test_wrong_parameters_are_operation_outcomes_naming_the_parameter(client, make_pathway, unit_a, auth_a):
    patient = make_pathway(MILESTONES[:1], unit=unit_a).patient_id
    cases = [({}, "patient"), ({"patient": patient, "date": "2026"}, "date"),
             ({"patient": patient, "_count": "0"}, "_count"), ({"patient": patient, "_count": "abc"}, "_count"),
             ({"patient": patient, "_offset": "-1"}, "_offset")]

    for params, parameter in cases:
        response = client.get(SEARCH, query_string=params, headers=auth_a)
        assert response.status_code == 400, params
        issue = response.get_json()["issue"][0]
        assert (issue["code"], issue["expression"]) == ("invalid", [parameter])
        assert issue["diagnostics"].startswith(f"{parameter}: ")
    control = client.get(SEARCH, query_string={"patient": patient, "code": "a\x00b"}, headers=auth_a)
    assert control.status_code == 400 and control.get_json()["resourceType"] == "OperationOutcome"
