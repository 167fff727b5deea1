from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from pro_service import db
from pro_service.pathways.invitations import find_invitation
from pro_service.pathways.models import Assessment, AssessmentStatus, InvitationToken, Response, Score

BASE = "/api/v1"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def patient_id(client, auth_a, unit_a):
    body = {"external_id": "EPR-1", "name": "Kari Nordmann", "birth_date": "1985-03-01", "email": "kari@example.no"}
    return client.post(f"{BASE}/patients", json=body, headers=auth_a).get_json()["id"]


@pytest.fixture
def start(client, auth_a, patient_id):
    def start(package="mh_adults", started_at=T0.isoformat(), **extra):
        return client.post(f"{BASE}/pathways", headers=auth_a,
                           json={"patient": patient_id, "package": package, "started_at": started_at, **extra})
    return start


@pytest.fixture
def pathway_id(start):
    return start().get_json()["pathway"]["id"]


def test_create_pathway_returns_the_pathway_and_its_new_invitations_with_link_and_code(start, session):
    response = start(started_at="2026-01-05T10:00:00+01:00", responsible_clinician="Dr. Berg")

    assert response.status_code == 201
    body = response.get_json()
    pathway = body["pathway"]
    assert response.headers["Location"].endswith(f"{BASE}/pathways/{pathway['id']}")
    assert (pathway["package"], pathway["status"], pathway["unit"]) == ("mh_adults", "open", "UNIT-A")
    assert pathway["started_at"] == "2026-01-05T09:00:00Z"
    assert [m["milestone"] for m in pathway["milestones"]] == ["start"]
    assert sorted(a["instrument"] for a in pathway["assessments"]) == ["core10", "gad7", "phq9", "wsas"]
    [invitation] = body["invitations"]
    assert invitation["link"].startswith("http") and "/i/" in invitation["link"] and len(invitation["short_code"]) == 8
    # The link and the code open the invitation; only their hashes are stored.
    token = invitation["link"].rsplit("/", 1)[1]
    assert find_invitation(token=token).id == invitation["id"]
    assert find_invitation(code=invitation["short_code"]).id == invitation["id"]
    hashes = set(session.exec(select(InvitationToken.secret_hash)))
    assert token not in hashes and invitation["short_code"] not in hashes


def test_create_pathway_accepts_the_package_code(start):
    assert start(package="D11").get_json()["pathway"]["package"] == "mh_adults"


def test_create_pathway_with_an_unknown_package_is_422_and_changes_nothing(start, row_counts, assert_problem):
    counts = row_counts()

    response = start(package="D99")

    problem = assert_problem(response, 422, "package: unknown package 'D99' (packages: ", paths=["package"])
    assert "mh_adults" in problem["detail"]
    assert row_counts() == counts


@pytest.mark.parametrize("started_at, message", [
    ("2026-01-05T09:00:00", "this one has no offset"),
    ("05.01.2026 09:00", "must be an ISO 8601 date and time with an offset"),
    ("2026-01-05", "must be an ISO 8601 date and time with an offset"),
    (1767603600, "must be an ISO 8601 date and time with an offset"),
])
def test_create_pathway_refuses_a_time_without_offset_or_in_the_wrong_format(
        start, started_at, message, row_counts, assert_problem):
    counts = row_counts()

    response = start(started_at=started_at)

    problem = assert_problem(response, 422, "started_at: ", paths=["started_at"])
    assert message in problem["errors"][0]["message"]
    assert row_counts() == counts


def test_create_pathway_for_another_units_patient_is_404_and_changes_nothing(
        client, token_for, unit_b, patient_id, row_counts, assert_problem):
    auth_b = token_for(unit_b)
    counts = row_counts()

    response = client.post(f"{BASE}/pathways", headers=auth_b,
                           json={"patient": patient_id, "package": "mh_adults", "started_at": T0.isoformat()})

    assert_problem(response, 404, f"no patient with id '{patient_id}'")
    assert row_counts() == counts


def test_register_milestone_returns_its_assessments_and_new_invitations(client, auth_a, pathway_id):
    response = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a,
                           json={"milestone": "clinical_decision", "occurred_at": "2026-02-10T08:00:00+01:00"})

    assert response.status_code == 201
    body = response.get_json()
    assert body["created"] is True
    assert (body["milestone"]["milestone"], body["milestone"]["occurred_at"]) == ("clinical_decision",
                                                                                  "2026-02-10T07:00:00Z")
    assert sorted(a["instrument"] for a in body["assessments"]) == ["core10", "gad7", "phq9", "wsas"]
    assert {a["milestone_event"] for a in body["assessments"]} == {body["milestone"]["id"]}
    [invitation] = body["invitations"]
    assert invitation["milestone_event"] == body["milestone"]["id"] and invitation["link"]


def test_registering_the_same_milestone_at_the_same_time_again_is_200_and_changes_nothing(
        client, auth_a, pathway_id, row_counts):
    body = {"milestone": "evaluation", "occurred_at": "2026-03-01T09:00:00+00:00"}
    first = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a, json=body)
    counts = row_counts()

    again = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a,
                        json={**body, "occurred_at": "2026-03-01T10:00:00+01:00"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["created"] is False and again.get_json()["invitations"] == []
    assert again.get_json()["milestone"] == first.get_json()["milestone"]
    assert row_counts() == counts


def test_a_milestone_the_package_does_not_have_is_422_and_changes_nothing(client, auth_a, start, row_counts,
                                                                         assert_problem):
    pathway_id = start(package="psychosis").get_json()["pathway"]["id"]
    counts = row_counts()

    response = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a,
                           json={"milestone": "follow_up", "occurred_at": "2026-03-01T09:00:00+00:00"})

    assert_problem(response, 422, "milestone: package 'psychosis' has no milestone 'follow_up' (milestones: start, ",
                   paths=["milestone"])
    assert row_counts() == counts


def test_a_follow_up_is_scheduled_from_the_end_so_registering_one_is_409_and_changes_nothing(
        client, auth_a, pathway_id, row_counts, assert_problem):
    counts = row_counts()

    response = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a,
                           json={"milestone": "follow_up", "occurred_at": "2026-03-01T09:00:00+00:00"})

    assert_problem(response, 409, "milestone 'follow_up' is a follow-up: registering the end schedules it")
    assert row_counts() == counts


@pytest.mark.parametrize("body, detail", [
    ({"milestone": "start", "occurred_at": "2026-02-11T09:00:00+00:00"}, "does not repeat"),
    ({"milestone": "evaluation", "occurred_at": "2025-12-01T09:00:00+00:00"}, "before the pathway started"),
])
def test_milestones_against_the_pathways_rules_are_409_and_change_nothing(
        client, auth_a, pathway_id, body, detail, row_counts, assert_problem):
    client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a,
                json={"milestone": "clinical_decision", "occurred_at": "2026-02-10T09:00:00+00:00"})
    counts = row_counts()

    response = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a, json=body)

    assert_problem(response, 409, detail)
    assert row_counts() == counts


def test_register_milestone_names_wrong_fields(client, auth_a, pathway_id, row_counts, assert_problem):
    counts = row_counts()

    response = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a,
                           json={"occurred_at": "yesterday", "by": "me"})

    assert_problem(response, 422, "milestone: required", paths=["milestone", "occurred_at", "by"])
    assert row_counts() == counts


def test_another_units_pathway_is_404_for_reading_and_for_milestones(
        client, token_for, unit_b, pathway_id, row_counts, assert_problem):
    auth_b = token_for(unit_b)
    counts = row_counts()

    read = client.get(f"{BASE}/pathways/{pathway_id}", headers=auth_b)
    write = client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_b,
                        json={"milestone": "evaluation", "occurred_at": "2026-03-01T09:00:00+00:00"})
    missing = client.get(f"{BASE}/pathways/{'f' * 32}", headers=auth_b)

    assert_problem(read, 404, f"no pathway with id '{pathway_id}'")
    assert_problem(write, 404, f"no pathway with id '{pathway_id}'")
    assert_problem(missing, 404, "no pathway with id")
    assert row_counts() == counts


def test_a_client_of_both_units_sees_both(client, token_for, unit_a, unit_b, pathway_id):
    assert client.get(f"{BASE}/pathways/{pathway_id}", headers=token_for(unit_a, unit_b)).status_code == 200


def test_pathway_detail_shows_invitations_without_secrets_and_assessment_status(client, auth_a, pathway_id):
    body = client.get(f"{BASE}/pathways/{pathway_id}", headers=auth_a).get_json()

    [invitation] = body["invitations"]
    assert set(invitation) == {"id", "milestone_event", "respondent", "expires_at", "used_at", "reminders_sent",
                               "created_at"}
    # Started on 5 January 2026, read now: the start assessments have expired after 42 days.
    assert {a["status"] for a in body["assessments"]} == {"expired"}


def test_pathway_detail_shows_scores_of_submitted_responses(client, auth_a, pathway_id, session):
    assessment = session.exec(select(Assessment).where(Assessment.pathway_id == pathway_id,
                                                       Assessment.instrument_id == "phq9")).one()
    response = Response(assessment_id=assessment.id, language="nb", instrument_version="1",
                        answers={"1": 2}, submitted_at=T0 + timedelta(days=1))
    session.add(response)
    session.flush()
    session.add(Score(response_id=response.id, scale_id="total", value=14, band="moderate", caseness=True))
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = T0 + timedelta(days=1)
    session.commit()

    body = client.get(f"{BASE}/pathways/{pathway_id}", headers=auth_a).get_json()

    phq9 = next(a for a in body["assessments"] if a["instrument"] == "phq9")
    assert phq9["status"] == "completed" and phq9["completed_at"] == "2026-01-06T09:00:00Z"
    assert phq9["scores"] == [{"scale": "total", "value": 14.0, "band": "moderate", "caseness": True, "missing": 0,
                               "prorated": False}]
    assert all(a["scores"] == [] for a in body["assessments"] if a["instrument"] != "phq9")


def test_pathway_detail_time_limits(client, auth_a, pathway_id):
    milestones = f"{BASE}/pathways/{pathway_id}/milestones"
    before = client.get(f"{BASE}/pathways/{pathway_id}", headers=auth_a).get_json()["time_limits"]
    client.post(milestones, headers=auth_a, json={"milestone": "first_consultation",
                                                  "occurred_at": "2026-01-10T12:00:00+01:00"})
    running = client.get(f"{BASE}/pathways/{pathway_id}", headers=auth_a).get_json()["time_limits"]
    client.post(milestones, headers=auth_a, json={"milestone": "clinical_decision",
                                                  "occurred_at": "2026-02-21T23:30:00+01:00"})
    done = client.get(f"{BASE}/pathways/{pathway_id}", headers=auth_a).get_json()["time_limits"]

    assert before == [{"milestone": "clinical_decision", "from_milestone": "first_consultation", "days": 42,
                       "deadline": None, "occurred_at": None, "status": "not_started"}]
    assert running[0]["deadline"] == "2026-02-21" and running[0]["status"] == "overdue"
    # 23:30 in Oslo on the deadline day is still within the limit (calendar days, local time).
    assert (done[0]["status"], done[0]["occurred_at"]) == ("met", "2026-02-21T22:30:00Z")


def test_pathway_detail_uses_the_same_number_of_queries_however_long_the_pathway(client, auth_a, pathway_id, app):
    def queries_for_detail() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine(app), "before_cursor_execute", listener)
        try:
            assert client.get(f"{BASE}/pathways/{pathway_id}", headers=auth_a).status_code == 200
        finally:
            event.remove(db.engine(app), "before_cursor_execute", listener)
        return len(statements)

    short = queries_for_detail()
    for day in (30, 60, 90, 120, 150):
        client.post(f"{BASE}/pathways/{pathway_id}/milestones", headers=auth_a,
                    json={"milestone": "evaluation", "occurred_at": (T0 + timedelta(days=day)).isoformat()})

    assert queries_for_detail() == short


def _assessment_ids(client, auth, pathway_id) -> list[str]:
    return [a["id"] for a in client.get(f"{BASE}/pathways/{pathway_id}", headers=auth).get_json()["assessments"]]


def test_cancel_an_assessment_returns_the_pathway_with_it_cancelled_and_a_repeat_changes_nothing(
        client, auth_a, pathway_id, session, row_counts):
    first = _assessment_ids(client, auth_a, pathway_id)[0]
    url = f"{BASE}/pathways/{pathway_id}/assessments/{first}/cancel"

    cancelled = client.post(url, headers=auth_a)
    before = row_counts()
    again = client.post(url, headers=auth_a)

    assert cancelled.status_code == again.status_code == 200
    statuses = {a["id"]: a["status"] for a in cancelled.get_json()["assessments"]}
    assert statuses[first] == "cancelled" and list(statuses.values()).count("cancelled") == 1
    assert row_counts() == before
    session.expire_all()
    assert session.get(Assessment, first).cancelled_by.startswith("api-client:")


def test_a_completed_assessment_cannot_be_cancelled(client, auth_a, pathway_id, session, assert_problem):
    first = _assessment_ids(client, auth_a, pathway_id)[0]
    session.get(Assessment, first).status = AssessmentStatus.COMPLETED
    session.commit()

    response = client.post(f"{BASE}/pathways/{pathway_id}/assessments/{first}/cancel", headers=auth_a)

    assert_problem(response, 409, "completed assessment cannot be cancelled")
    session.expire_all()
    assert session.get(Assessment, first).status == AssessmentStatus.COMPLETED


def test_cancel_is_404_for_another_units_pathway_or_another_pathways_assessment(
        client, auth_a, token_for, unit_b, pathway_id, start, session, assert_problem):
    first = _assessment_ids(client, auth_a, pathway_id)[0]
    other_pathway = start(package="tsb").get_json()["pathway"]["id"]

    wrong_pathway = client.post(f"{BASE}/pathways/{other_pathway}/assessments/{first}/cancel", headers=auth_a)
    other_unit = client.post(f"{BASE}/pathways/{pathway_id}/assessments/{first}/cancel", headers=token_for(unit_b))

    assert_problem(wrong_pathway, 404, "no assessment with id")
    assert_problem(other_unit, 404, "no pathway with id")
    session.expire_all()
    assert session.get(Assessment, first).status != AssessmentStatus.CANCELLED
