import re

from sqlmodel import select

from pro_service.auth.models import Membership, User
from pro_service.extensions import limiter
from tests.conftest import csrf_token


def test_users_create_prints_a_one_time_password_that_logs_in(app, client, session, make_unit):
    unit = make_unit("DPS-A", "DPS A")

    result = app.test_cli_runner().invoke(
        args=["users", "create", "Lege@Example.no", "--unit", "DPS-A", "--role", "clinician", "--name", "Dr. Lege"])

    assert result.exit_code == 0, result.output
    password = re.search(r"One-time password .*: (\S+)$", result.output, re.MULTILINE).group(1)
    user = session.exec(select(User)).one()
    assert (user.email, user.name) == ("lege@example.no", "Dr. Lege")
    assert [(m.unit_id, m.role) for m in session.exec(select(Membership))] == [(unit.id, "clinician")]
    limiter.reset()
    response = client.post("/login", data={"csrf_token": csrf_token(client), "email": "lege@example.no",
                                           "password": password})
    assert response.status_code == 302


def test_users_create_refuses_a_second_user_with_the_same_email(app, session, make_unit):
    make_unit("DPS-A", "DPS A")
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "create", "a@example.no", "--unit", "DPS-A", "--role", "clinician"])

    again = runner.invoke(args=["users", "create", "A@example.no", "--unit", "DPS-A", "--role", "clinician"])

    assert again.exit_code == 1 and "already exists" in again.output
    assert len(session.exec(select(User)).all()) == 1


def test_users_create_names_an_unknown_unit_and_role(app, session):
    runner = app.test_cli_runner()

    no_unit = runner.invoke(args=["users", "create", "a@example.no", "--unit", "NOPE", "--role", "clinician"])
    bad_role = runner.invoke(args=["users", "create", "a@example.no", "--unit", "NOPE", "--role", "boss"])

    assert no_unit.exit_code == 1 and "no unit with code 'NOPE'" in no_unit.output
    assert bad_role.exit_code == 2 and "boss" in bad_role.output
    assert session.exec(select(User)).all() == []


def test_users_grant_gives_a_role_in_another_unit(app, session, make_unit):
    make_unit("DPS-A", "DPS A")
    other = make_unit("DPS-B", "DPS B")
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "create", "a@example.no", "--unit", "DPS-A", "--role", "administrator"])

    result = runner.invoke(args=["users", "grant", "a@example.no", "--unit", "DPS-B", "--role", "clinician"])

    assert result.exit_code == 0, result.output
    roles = {(m.unit_id, m.role) for m in session.exec(select(Membership))}
    assert (other.id, "clinician") in roles and len(roles) == 2
