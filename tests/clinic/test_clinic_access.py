"""Every clinic route: another unit's clinician gets 404 (never 403), and every read leaves its audit row."""
import pytest
from sqlmodel import select

from clinic_helpers import alerts_of, csrf, responses_of
from pro_service.audit.models import AuditEvent
from pro_service.pathways.models import Assessment, AssessmentStatus, Invitation


@pytest.fixture
def records(session, seeded):
    """One id of each kind the routes take, all of unit ABUP-OSLO."""
    pathway_id = seeded.pathway.id
    open_assessment = session.exec(select(Assessment).where(Assessment.pathway_id == pathway_id,
                                                            Assessment.status != AssessmentStatus.COMPLETED)).first()
    invitation = session.exec(select(Invitation).where(Invitation.milestone_event_id == seeded.events["start"])).first()
    return {"pathway": pathway_id, "response": responses_of(session, pathway_id)[0].id,
            "alert": alerts_of(session, pathway_id)[0].id, "invitation": invitation.id,
            "assessment": (open_assessment or session.exec(select(Assessment)).first()).id}


ROUTES = [
    ("get", "/clinic/pathways/{pathway}"),
    ("get", "/clinic/pathways/{pathway}/evaluation"),
    ("get", "/clinic/responses/{response}"),
    ("get", "/clinic/assessments/{assessment}/paper"),
    ("post", "/clinic/assessments/{assessment}/paper"),
    ("post", "/clinic/assessments/{assessment}/cancel"),
    ("post", "/clinic/pathways/{pathway}/milestones"),
    ("post", "/clinic/pathways/{pathway}/respondents"),
    ("post", "/clinic/invitations/{invitation}/resend"),
    ("post", "/clinic/invitations/{invitation}/letter"),
    ("post", "/clinic/alerts/{alert}/acknowledge"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_another_units_clinician_gets_404(client, session, make_unit, login_as, records, method, route):
    login_as("clinician", unit=make_unit("DPS-B", "DPS B"))
    url = route.format(**records)
    data = {"csrf_token": csrf(client), "note": "x", "name": "x", "milestone": "evaluation",
            "occurred_on": "2026-01-01", "role": "parent", "language": "nb"}

    response = client.get(url) if method == "get" else client.post(url, data=data)

    assert response.status_code == 404
    session.expire_all()
    assert session.exec(select(AuditEvent).where(AuditEvent.pathway_id == records["pathway"])).all() == []


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_routes_need_a_login(client, records, method, route):
    url = route.format(**records)
    response = client.get(url) if method == "get" else client.post(url, data={})
    assert response.status_code in (302, 400)  # to the login page; a POST without a CSRF token stops even earlier
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")


def test_another_units_lists_do_not_show_the_patient(client, make_unit, login_as, seeded):
    login_as("clinician", unit=make_unit("DPS-B", "DPS B"))

    caseload = client.get("/clinic/").get_data(as_text=True)
    alerts = client.get("/clinic/alerts").get_data(as_text=True)

    assert "Kari Nordmann" not in caseload and seeded.pathway.id not in caseload
    assert "Kari Nordmann" not in alerts and "No open alerts." in alerts


READS = [
    ("/clinic/", "caseload.read"),
    ("/clinic/alerts", "alert.read"),
    ("/clinic/pathways/{pathway}", "pathway.read"),
    ("/clinic/pathways/{pathway}/evaluation", "evaluation.read"),
    ("/clinic/responses/{response}", "response.read"),
    ("/clinic/assessments/{assessment}/paper", "assessment.read"),
]


@pytest.mark.parametrize(("route", "action"), READS)
def test_every_read_is_audited_with_who_and_which_patient(client, session, login_as, records, seeded, route, action):
    user = login_as("clinician")

    response = client.get(route.format(**records))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    session.expire_all()
    [row] = session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()
    assert (row.actor_id, row.patient_id, row.pathway_id, row.unit_id) == (
        user.id, seeded.pathway.patient_id, seeded.pathway.id, seeded.pathway.unit_id)


def test_an_administrator_without_a_clinical_role_sees_no_patients(client, login_as, records):
    login_as("administrator")

    assert client.get(f"/clinic/pathways/{records['pathway']}").status_code == 404
    assert "Kari Nordmann" not in client.get("/clinic/").get_data(as_text=True)
