from datetime import UTC, datetime

import pytest
from flask_login import login_user
from werkzeug.exceptions import Forbidden, NotFound

from pro_service import definitions
from pro_service.auth.access import (
    get_pathway_or_404,
    get_patient_or_404,
    get_unit_or_404,
    patient_data_units,
    require_role,
    units_with_role,
    visible_to,
)
from pro_service.auth.users import create_user, grant_role
from pro_service.pathways.models import Pathway
from pro_service.pathways.operations import start_pathway


@pytest.fixture
def units(make_unit):
    return make_unit("DPS-A", "DPS A"), make_unit("DPS-B", "DPS B")


@pytest.fixture
def pathways(session, units, make_patient):
    """One pathway in each unit."""
    made = []
    for unit in units:
        patient = make_patient(unit=unit, external_id=f"EPR-{unit.code}")
        pathway, _ = start_pathway(patient=patient, package=definitions.packages()["mh_adults"], by="dr",
                                   started_at=datetime(2026, 1, 5, tzinfo=UTC), base_url="https://pro.example.no")
        made.append(pathway)
    session.commit()
    return made


def make_user(session, unit, role, email="user@example.no"):
    user, _password = create_user(email=email, name="User", unit=unit, role=role)
    session.commit()
    return user


@pytest.mark.parametrize(("role", "sees"), [("clinician", True), ("unit_leader", True), ("administrator", False)])
def test_patient_data_units_follow_the_role(app, session, units, role, sees):
    user = make_user(session, units[0], role)

    with app.test_request_context():
        assert patient_data_units(user) == (frozenset({units[0].id}) if sees else frozenset())


def test_an_administrator_sees_patients_only_where_also_a_clinician(app, session, units):
    user = make_user(session, units[0], "administrator")
    grant_role(user=user, unit=units[1], role="clinician")
    session.commit()

    with app.test_request_context():
        assert patient_data_units(user) == frozenset({units[1].id})
        assert units_with_role(user, "administrator") == frozenset({units[0].id})


def test_anonymous_and_inactive_users_see_no_patients(app, session, units):
    user = make_user(session, units[0], "clinician")
    user.is_active = False
    session.commit()

    with app.test_request_context():
        assert patient_data_units() == frozenset()  # anonymous current_user
        assert patient_data_units(user) == frozenset()


def test_get_pathway_or_404_gives_the_own_units_pathway_and_404_for_another(app, session, units, pathways):
    user = make_user(session, units[0], "clinician")

    with app.test_request_context():
        login_user(user)
        assert get_pathway_or_404(pathways[0].id).id == pathways[0].id
        assert get_patient_or_404(pathways[0].patient_id).id == pathways[0].patient_id
        assert get_unit_or_404(units[0].id).id == units[0].id
        for lookup, missing in [(get_pathway_or_404, pathways[1].id), (get_pathway_or_404, "0" * 32),
                                (get_patient_or_404, pathways[1].patient_id), (get_unit_or_404, units[1].id)]:
            with pytest.raises(NotFound):
                lookup(missing)


def test_an_administrator_gets_404_for_their_own_units_pathway(app, session, units, pathways):
    user = make_user(session, units[0], "administrator")

    with app.test_request_context():
        login_user(user)
        with pytest.raises(NotFound):
            get_pathway_or_404(pathways[0].id)


def test_visible_to_limits_a_query_to_the_users_units(app, session, units, pathways):
    from sqlmodel import select

    from pro_service import db

    user = make_user(session, units[1], "unit_leader")

    with app.test_request_context():
        login_user(user)
        found = db.session().exec(select(Pathway.id).where(visible_to(Pathway.unit_id))).all()

    assert found == [pathways[1].id]


def test_require_role_refuses_other_roles_with_403(app, session, units):
    user = make_user(session, units[0], "clinician")
    view = require_role("administrator")(lambda: "admin page")

    with app.test_request_context():
        login_user(user)
        with pytest.raises(Forbidden):
            view()
    with app.app_context(), app.test_request_context():
        assert view().status_code == 302  # anonymous: to the login page


def test_require_role_lets_the_role_in(app, session, units):
    user = make_user(session, units[0], "unit_leader")
    view = require_role("unit_leader", "administrator")(lambda: "report")

    with app.test_request_context():
        login_user(user)
        assert view() == "report"
