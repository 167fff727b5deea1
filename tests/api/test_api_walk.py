"""A D11 pathway walked through the API as an EPR would: register, start, clinical decision, two evaluations."""
from datetime import UTC, date, datetime, timedelta

from pro_service import definitions
from pro_service.pathways.invitations import find_invitation

BASE = "/api/v1"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def planned(package, milestone_id, age):
    return sorted((e.instrument, e.respondent, e.opens_days, e.due_days, e.expires_days)
                  for e in package.plan_for(milestone_id) if e.respondent == "self" and e.applies_to(age))


def scheduled(assessments, occurred_at):
    def days(at):
        return (datetime.fromisoformat(at) - occurred_at).days

    return sorted((a["instrument"], a["respondent_role"], days(a["opens_at"]), days(a["due_at"]),
                   days(a["expires_at"])) for a in assessments)


def test_a_d11_pathway_from_start_through_clinical_decision_and_two_evaluations(client, token_for, unit_a, app):
    auth = token_for(unit_a)
    with app.app_context():
        package = definitions.packages()["mh_adults"]
    patient = client.post(f"{BASE}/patients", headers=auth, json={
        "external_id": "DIPS-4711", "name": "Kari Nordmann", "birth_date": "1980-01-01",
        "email": "kari@example.no"}).get_json()
    age = 46

    started = client.post(f"{BASE}/pathways", headers=auth, json={
        "patient": patient["id"], "package": "D11", "started_at": T0.isoformat()})
    assert started.status_code == 201
    pathway = started.get_json()["pathway"]
    assert scheduled(pathway["assessments"], T0) == planned(package, "start", age)
    links = [i["link"] for i in started.get_json()["invitations"]]

    steps = [("clinical_decision", 30), ("evaluation", 90), ("evaluation", 180)]
    for milestone_id, day in steps:
        occurred_at = T0 + timedelta(days=day)
        response = client.post(f"{BASE}/pathways/{pathway['id']}/milestones", headers=auth,
                               json={"milestone": milestone_id, "occurred_at": occurred_at.isoformat()})
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert scheduled(body["assessments"], occurred_at) == planned(package, milestone_id, age)
        [invitation] = body["invitations"]
        assert invitation["respondent"] == patient["respondents"][0]["id"]
        links.append(invitation["link"])

    detail = client.get(f"{BASE}/pathways/{pathway['id']}", headers=auth).get_json()
    assert [(m["milestone"], m["occurred_at"][:10]) for m in detail["milestones"]] == [
        ("start", "2026-01-05"), ("clinical_decision", "2026-02-04"), ("evaluation", "2026-04-05"),
        ("evaluation", "2026-07-04")]
    expected_count = sum(len(planned(package, m, age)) for m in ["start", "clinical_decision", "evaluation",
                                                                 "evaluation"])
    assert len(detail["assessments"]) == expected_count == 18  # 4 instruments each time, readiness at evaluations
    assert len(detail["invitations"]) == 4 and all("link" not in i for i in detail["invitations"])
    # Every link shown once still opens its own invitation.
    with app.app_context():
        opened = [find_invitation(token=link.rsplit("/", 1)[1]).id for link in links]
    assert sorted(opened) == sorted(i["id"] for i in detail["invitations"])
    assert date.fromisoformat(patient["birth_date"]) == date(1980, 1, 1)
