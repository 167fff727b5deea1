import logging

BASE = "/api/v1"


def test_no_token_and_no_patient_name_reaches_a_log(client, auth_a, unit_a, caplog):
    caplog.set_level(logging.DEBUG)
    token = auth_a["Authorization"].split()[1]

    patient = client.post(f"{BASE}/patients", headers=auth_a,
                          json={"external_id": "E1", "name": "Ingrid Tveit", "email": "ingrid@example.no", "birth_date": "1980-02-01"}).get_json()
    started = client.post(f"{BASE}/pathways", headers=auth_a, json={
        "patient": patient["id"], "package": "mh_adults", "started_at": "2026-01-05T09:00:00+01:00"}).get_json()
    client.post(f"{BASE}/patients", headers={"Authorization": f"Bearer {token}x"}, json={"name": "Ingrid Tveit"})
    client.post(f"{BASE}/patients", headers=auth_a, json={"external_id": "E2", "name": "Ingrid Tveit", "x": 1})

    invitation_token = started["invitations"][0]["link"].rsplit("/", 1)[1]
    for secret in (token, "Ingrid Tveit", invitation_token, started["invitations"][0]["short_code"]):
        assert secret not in caplog.text
