"""The API says where a pathway's patient is treated: at the start and later (PATCH); the time limits follow."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from pro_service.audit.models import AuditEvent

BASE = "/api/v1"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _start(client, headers, **extra):
    patient = client.post(f"{BASE}/patients", headers=headers, json={
        "external_id": "EPR-7", "name": "Ola Nordmann", "birth_date": "1980-03-01"}).get_json()["id"]
    return client.post(f"{BASE}/pathways", headers=headers, json={
        "patient": patient, "package": "tsb", "started_at": T0.isoformat(), **extra})


def _decision_limit(pathway: dict) -> int:
    return next(limit["days"] for limit in pathway["time_limits"] if limit["milestone"] == "clinical_decision")


def test_a_pathway_starts_outpatient_unless_told_and_changes_with_patch(client, auth_a, session):
    outpatient = _start(client, auth_a).get_json()["pathway"]
    assert (outpatient["care_setting"], _decision_limit(outpatient)) == ("outpatient", 21)

    changed = client.patch(f"{BASE}/pathways/{outpatient['id']}", headers=auth_a, json={"care_setting": "inpatient"})
    assert changed.status_code == 200
    assert (changed.get_json()["care_setting"], _decision_limit(changed.get_json())) == ("inpatient", 7)
    again = client.patch(f"{BASE}/pathways/{outpatient['id']}", headers=auth_a, json={"care_setting": "inpatient"})
    assert again.status_code == 200
    actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.pathway_id == outpatient["id"])
                                              .order_by(AuditEvent.at))]
    assert actions[-2:] == ["pathway.care_setting_changed", "pathway.read"]


def test_a_pathway_can_start_inpatient(client, auth_a):
    pathway = _start(client, auth_a, care_setting="inpatient").get_json()["pathway"]
    assert (pathway["care_setting"], _decision_limit(pathway)) == ("inpatient", 7)


def test_a_wrong_care_setting_is_422_and_changes_nothing(client, auth_a, assert_problem):
    pathway = _start(client, auth_a).get_json()["pathway"]
    for body in ({"care_setting": "day_patient"}, {"care_setting": None}, {}, {"care_setting": "inpatient", "x": 1}):
        response = client.patch(f"{BASE}/pathways/{pathway['id']}", headers=auth_a, json=body)
        assert response.status_code == 422, body
    assert client.get(f"{BASE}/pathways/{pathway['id']}", headers=auth_a).get_json()["care_setting"] == "outpatient"


def test_another_units_pathway_is_not_found(client, auth_a, token_for, unit_b):
    pathway = _start(client, auth_a).get_json()["pathway"]
    response = client.patch(f"{BASE}/pathways/{pathway['id']}", headers=token_for(unit_b),
                            json={"care_setting": "inpatient"})
    assert response.status_code == 404
    assert client.get(f"{BASE}/pathways/{pathway['id']}", headers=auth_a).get_json()["care_setting"] == "outpatient"
