"""Every API read and change of a patient's data leaves one audit row naming the API client."""
from sqlmodel import select

from pro_service.audit.models import AuditEvent
from pro_service.auth.api_clients import ApiClient

BASE = "/api/v1"
KARI = {"external_id": "EPR-1", "name": "Kari Nordmann", "birth_date": "1990-05-17"}


def trail(session):
    session.expire_all()
    return [(e.actor_kind, e.action) for e in session.exec(select(AuditEvent).order_by(AuditEvent.at))]


def test_each_api_call_on_a_patient_writes_one_audit_row(client, session, auth_a, unit_a):
    patient = client.post(f"{BASE}/patients", json=KARI, headers=auth_a).get_json()
    client.post(f"{BASE}/patients", json=KARI, headers=auth_a)
    pathway = client.post(f"{BASE}/pathways", headers=auth_a, json={
        "patient": patient["id"], "package": "mh_adults", "started_at": "2026-01-05T09:00:00+00:00"}).get_json()["pathway"]
    client.post(f"{BASE}/pathways/{pathway['id']}/milestones", headers=auth_a,
                json={"milestone": "clinical_decision", "occurred_at": "2026-02-01T09:00:00+00:00"})
    client.get(f"{BASE}/pathways/{pathway['id']}", headers=auth_a)

    assert trail(session) == [("api_client", "patient.registered"), ("api_client", "patient.read"),
                              ("api_client", "pathway.started"), ("api_client", "pathway.milestone_registered"),
                              ("api_client", "pathway.read")]
    client_id = session.exec(select(ApiClient.id)).one()
    events = session.exec(select(AuditEvent)).all()
    assert {(e.actor_id, e.patient_id) for e in events} == {(client_id, patient["id"])}
    assert {e.pathway_id for e in events} == {None, pathway["id"]}


def test_a_refused_api_call_leaves_no_audit_row(client, session, auth_a, token_for, unit_b):
    patient = client.post(f"{BASE}/patients", json={**KARI, "unit": "UNIT-B"}, headers=token_for(unit_b)).get_json()

    response = client.post(f"{BASE}/patients/{patient['id']}/respondents", headers=auth_a,
                           json={"role": "parent", "name": "Ola"})

    assert response.status_code == 404
    assert trail(session) == [("api_client", "patient.registered")]
