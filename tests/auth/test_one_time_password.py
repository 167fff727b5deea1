"""A one-time password lets the user in once, straight to a form where they choose their own."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from pro_service.auth.models import User
from pro_service.auth.users import create_user
from pro_service.extensions import limiter
from tests.conftest import TEST_PASSWORD, csrf_token

CHOSEN = "tre katter på taket"


@pytest.fixture
def newcomer(session, make_unit):
    """A clinician as `users create` makes them: with a one-time password."""
    limiter.reset()
    user, password = create_user(email="lege@example.no", name="Dr. Lege", unit=make_unit(), role="clinician",
                                 language="en")
    session.commit()
    return user, password


def log_in(client, email, password, language="en"):
    return client.post("/login", data={"csrf_token": csrf_token(client), "email": email, "password": password},
                       headers={"Accept-Language": language})


def choose(client, password, confirm=None, language="en"):
    return client.post("/password", data={"csrf_token": csrf_token(client, "/password"), "password": password,
                                          "confirm": password if confirm is None else confirm},
                       headers={"Accept-Language": language})


def test_a_one_time_password_leads_to_the_set_password_form_and_nowhere_else(client, newcomer):
    user, password = newcomer

    response = log_in(client, user.email, password)

    assert response.headers["Location"] == "/password"
    page = client.get("/password").get_data(as_text=True)
    assert "<h1>Choose your password</h1>" in page
    assert 'autocomplete="new-password"' in page and 'aria-describedby="password-hint"' in page
    for path in ("/clinic/", "/clinic/alerts", "/clinic/quality", "/login"):
        blocked = client.get(path)
        assert (blocked.status_code, blocked.headers.get("Location")) == (302, "/password"), path


def test_a_one_time_password_works_only_once(app, client, newcomer):
    user, password = newcomer
    log_in(client, user.email, password)

    again = log_in(app.test_client(), user.email, password)

    assert again.status_code == 200 and "The email address or password is wrong." in again.get_data(as_text=True)


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("kort", None, "Use at least 8 characters."),
    ("password1", None, "This password is too common and easy to guess. Choose another."),
    ("Lege på vakt 2026", None,
     "The password must not contain your name, your email address or the name of the service."),
    (CHOSEN, "tre katter på taket!", "The two passwords are not the same."),
    ("", None, "Enter a new password."),
])
def test_set_password_refuses_with_a_message_linked_to_the_field(session, client, newcomer, password, confirm,
                                                                message):
    user, one_time = newcomer
    log_in(client, user.email, one_time)

    response = choose(client, password, confirm)

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert 'class="error-summary"' in page and 'aria-invalid="true"' in page
    session.expire_all()
    assert session.get(User, user.id).must_set_password
    assert client.get("/clinic/").headers["Location"] == "/password"


def test_set_password_messages_are_in_the_users_language(session, client, make_unit):
    limiter.reset()
    user, one_time = create_user(email="lege@example.no", name="Dr. Lege", unit=make_unit(), role="clinician",
                                 language="nb")
    session.commit()
    log_in(client, user.email, one_time, language="nb")

    short = choose(client, "kort", language="nb").get_data(as_text=True)
    common = choose(client, "password1", language="nb").get_data(as_text=True)

    assert 'lang="nb"' in short and "Use at least" not in short and "Enter a new password" not in short
    assert "too common" not in common


def test_a_chosen_password_opens_the_clinic_and_is_the_one_that_works(app, session, client, newcomer):
    user, one_time = newcomer
    log_in(client, user.email, one_time)
    other = app.test_client()  # a copy of the session that logged in with the one-time password
    other.set_cookie("session", client.get_cookie("session").value)

    response = choose(client, CHOSEN)

    assert response.headers["Location"] in {"/clinic/", "/clinic"}
    assert client.get("/clinic/").status_code == 200
    assert other.get("/clinic/").status_code == 302  # the session on the one-time password has ended
    session.expire_all()
    stored = session.get(User, user.id)
    assert not stored.must_set_password and CHOSEN not in stored.password_hash
    assert client.get("/password").headers["Location"] in {"/clinic/", "/clinic"}  # nothing to set now
    limiter.reset()
    assert log_in(app.test_client(), user.email, CHOSEN).headers["Location"] in {"/clinic/", "/clinic"}


def test_where_the_user_was_going_waits_until_the_password_is_set(client, newcomer):
    user, one_time = newcomer
    client.get("/clinic/alerts")

    assert log_in(client, user.email, one_time).headers["Location"] == "/password"
    assert choose(client, CHOSEN).headers["Location"] == "/clinic/alerts"


def test_the_set_password_page_needs_a_login(client):
    assert client.get("/password").headers["Location"] == "/login"


def test_a_user_with_a_permanent_password_never_sees_the_form(client, session, make_unit):
    limiter.reset()
    user, password = create_user(email="lege@example.no", name="Dr. Lege", unit=make_unit(), role="clinician",
                                 language="en", password=TEST_PASSWORD)
    session.commit()

    assert log_in(client, user.email, password).headers["Location"] in {"/clinic/", "/clinic"}
    assert session.exec(select(User)).one().must_set_password is False


def test_the_demo_prints_a_one_time_password_that_leads_a_newcomer_to_choose_their_own(app, client):
    output = app.test_cli_runner().invoke(args=["demo"]).output
    assert re.search(r"Clinic: log in at \S+/login", output)
    email, password = re.search(r"clinician:\s+(\S+)\s+one-time password (\S+)", output).groups()
    assert "asks you to choose your own password" in output
    limiter.reset()

    assert log_in(client, email, password).headers["Location"] == "/password"
    assert choose(client, CHOSEN).headers["Location"] in {"/clinic/", "/clinic"}
    assert log_in(app.test_client(), email, password).status_code == 200  # used up
    again = app.test_cli_runner().invoke(args=["demo"]).output  # a re-run gives a fresh one
    fresh = re.search(r"clinician:\s+\S+\s+one-time password (\S+)", again).group(1)
    assert fresh != password
    assert log_in(app.test_client(), email, fresh).headers["Location"] == "/password"
