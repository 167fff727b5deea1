from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import g
from flask_login import login_user
from sqlmodel import select

from pro_service import create_app, db, definitions
from pro_service.audit.models import AuditEvent
from pro_service.audit.operations import record
from pro_service.auth.access import clinician_required, get_pathway_or_404
from pro_service.auth.users import create_user
from pro_service.extensions import limiter
from pro_service.pathways.operations import start_pathway
from tests.conftest import TEST_PASSWORD, csrf_token


@pytest.fixture
def pathway(session, make_patient):
    pathway, _ = start_pathway(patient=make_patient(), package=definitions.packages()["mh_adults"], by="dr",
                               started_at=datetime(2026, 1, 5, tzinfo=UTC), base_url="https://pro.example.no")
    session.commit()
    return pathway


@pytest.fixture
def probe_app(app):
    """The app again, on the same database, with a page that reads a pathway and answers `status`."""
    probe = create_app(app.config["SETTINGS"].model_dump())

    @probe.route("/probe/<pathway_id>/<int:status>")
    @clinician_required
    def read_pathway(pathway_id, status):
        pathway = get_pathway_or_404(pathway_id)
        record(action="pathway.read", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
               pathway_id=pathway.id, detail="overview")
        return "read", status

    yield probe
    db.engine(probe).dispose()


@pytest.fixture
def probe_client(probe_app, session, pathway):
    """A client of the probe app, logged in as a clinician of the pathway's unit."""
    from pro_service.pathways.models import Unit

    user, password = create_user(email="lege@example.no", name="Dr. Lege", unit=session.get(Unit, pathway.unit_id),
                                 role="clinician", password=TEST_PASSWORD)
    session.commit()
    client = probe_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    limiter.reset()
    client.post("/login", data={"csrf_token": csrf_token(client), "email": user.email, "password": password})
    client.user, client.password = user, password
    return client


def events(session):
    session.expire_all()
    return session.exec(select(AuditEvent)).all()


def test_a_served_read_writes_one_row_naming_the_user_and_address(session, pathway, probe_client):
    response = probe_client.get(f"/probe/{pathway.id}/200")

    assert response.status_code == 200
    [event] = events(session)
    assert (event.actor_kind, event.actor_id, event.action) == ("user", probe_client.user.id, "pathway.read")
    assert (event.patient_id, event.pathway_id, event.unit_id) == (pathway.patient_id, pathway.id, pathway.unit_id)
    assert (event.remote_addr, event.detail) == ("10.1.2.3", "overview")


def test_a_session_cookie_replayed_from_another_address_is_refused(session, pathway, probe_client):
    response = probe_client.get(f"/probe/{pathway.id}/200", environ_base={"REMOTE_ADDR": "10.9.9.9"})

    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert events(session) == []


def test_login_returns_to_the_page_that_asked_for_it(probe_app, pathway, probe_client):
    probe_client.post("/logout", data={"csrf_token": csrf_token(probe_client, "/logout")})
    asked = probe_client.get(f"/probe/{pathway.id}/200")
    login = probe_client.post("/login", data={"csrf_token": csrf_token(probe_client), "email": "lege@example.no",
                                              "password": probe_client.password})

    assert asked.headers["Location"] == "/login"  # where to return is kept in the session, not the URL
    assert login.headers["Location"] == f"/probe/{pathway.id}/200"


def test_a_request_that_fails_rolls_its_audit_row_back(session, pathway, probe_client):
    response = probe_client.get(f"/probe/{pathway.id}/500")

    assert response.status_code == 500
    assert events(session) == []


@pytest.mark.parametrize("status", [409, 422])
def test_a_refused_request_keeps_its_audit_row(session, pathway, probe_client, status):
    """A refused form is shown again with the patient's data it read: that read is audited, its changes are not
    kept (the rest of the request is rolled back)."""
    response = probe_client.get(f"/probe/{pathway.id}/{status}")

    assert response.status_code == status
    assert [(event.action, event.pathway_id) for event in events(session)] == [("pathway.read", pathway.id)]


def test_another_units_pathway_is_404_and_unaudited(session, make_unit, make_patient, probe_client):
    other, _ = start_pathway(patient=make_patient(unit=make_unit("DPS-B", "DPS B"), external_id="EPR-9"),
                             package=definitions.packages()["mh_adults"], by="dr",
                             started_at=datetime(2026, 1, 5, tzinfo=UTC), base_url="https://pro.example.no")
    session.commit()

    response = probe_client.get(f"/probe/{other.id}/200")

    assert response.status_code == 404
    assert events(session) == []


def test_the_actor_is_the_api_client_when_no_user_is_logged_in(app, session, pathway):
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.9"}):
        g.api_client = SimpleNamespace(id="c" * 32)
        record(action="pathway.milestone_registered", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
               pathway_id=pathway.id)
        db.session().commit()

    [event] = events(session)
    assert (event.actor_kind, event.actor_id, event.remote_addr) == ("api_client", "c" * 32, "10.0.0.9")


def test_a_logged_in_user_wins_over_an_api_client(app, session, pathway):
    from pro_service.pathways.models import Unit

    user, _ = create_user(email="a@example.no", name="A", unit=session.get(Unit, pathway.unit_id), role="clinician")
    session.commit()
    with app.test_request_context():
        login_user(user)
        g.api_client = SimpleNamespace(id="c" * 32)
        event = record(action="response.read", patient_id=pathway.patient_id, unit_id=pathway.unit_id)

    assert (event.actor_kind, event.actor_id) == ("user", user.id)


def test_outside_a_request_the_actor_is_the_system(session, pathway):
    event = record(action="letter.generated", patient_id=pathway.patient_id, unit_id=pathway.unit_id,
                   detail="x" * 500)
    session.commit()

    assert (event.actor_kind, event.actor_id, event.remote_addr) == ("system", None, None)
    assert len(event.detail) == 200
