"""Sessions that end: logout ends copies of the cookie, an idle or too-old session ends, a reset ends all.

Time is moved by rewriting the session's own stamps (`_seen`, `_started`), never by sleeping.
"""
from __future__ import annotations

import re

import pytest

from pro_service.auth import sessions
from pro_service.types import utcnow
from tests.conftest import TEST_PASSWORD, csrf_token

CLINIC = "/clinic/"


def now() -> int:
    return int(utcnow().timestamp())


def copy_of_cookie(client, app):
    """A second browser holding the same session cookie (as an attacker who copied it would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def follow_to_login(client, response) -> str:
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    return client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_copied_cookie_stops_working_when_the_user_logs_out(app, client, login_as):
    login_as()
    thief = copy_of_cookie(client, app)
    assert thief.get(CLINIC).status_code == 200  # the copy works while the session lives

    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})

    assert thief.get(CLINIC).status_code == 302
    assert client.get(CLINIC).status_code == 302


def test_logging_out_in_one_browser_ends_the_session_in_another(app, client, login_as):
    user = login_as()
    other = app.test_client()
    other.post("/login", data={"csrf_token": csrf_token(other), "email": user.email,
                               "password": TEST_PASSWORD})
    assert other.get(CLINIC).status_code == 200

    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})

    assert other.get(CLINIC).status_code == 302


@pytest.mark.parametrize(("idle_minutes", "open"), [(29, True), (31, False)])
def test_a_session_ends_after_thirty_minutes_without_a_request(client, login_as, idle_minutes, open):
    login_as()
    with client.session_transaction() as cookie:
        cookie[sessions.SEEN_KEY] = now() - idle_minutes * 60

    response = client.get(CLINIC)

    if open:
        assert response.status_code == 200
        with client.session_transaction() as cookie:
            assert cookie[sessions.SEEN_KEY] >= now() - 5  # the request counts as activity
    else:
        page = follow_to_login(client, response)
        assert "You were logged out after 30 minutes without activity. Please log in again." in page
        with client.session_transaction() as cookie:
            assert "_user_id" not in cookie and sessions.SEEN_KEY not in cookie
            assert cookie["next"] == CLINIC  # back to the caseload after logging in again


def test_a_session_ends_twelve_hours_after_the_login_however_active(client, login_as):
    login_as()
    with client.session_transaction() as cookie:
        cookie[sessions.STARTED_KEY] = now() - 12 * 3600 - 5
        cookie[sessions.SEEN_KEY] = now() - 10

    page = follow_to_login(client, client.get(CLINIC))

    assert "Your session ended 12 hours after you logged in. Please log in again." in page


def test_the_idle_timeout_and_lifetime_are_settings(app, client, login_as, monkeypatch):
    settings = app.config["SETTINGS"].model_copy(update={"session_idle_minutes": 5, "session_lifetime_hours": 1})
    monkeypatch.setitem(app.config, "SETTINGS", settings)
    login_as()
    with client.session_transaction() as cookie:
        cookie[sessions.SEEN_KEY] = now() - 6 * 60

    page = follow_to_login(client, client.get(CLINIC))

    assert "You were logged out after 5 minutes without activity." in page
    login_as()
    with client.session_transaction() as cookie:
        cookie[sessions.STARTED_KEY] = now() - 3601

    assert "Your session ended 1 hour after you logged in." in follow_to_login(client, client.get(CLINIC))


def test_a_session_without_stamps_is_refused(client, login_as):
    """A cookie made before the stamps existed (or forged without them) logs nobody in."""
    login_as()
    with client.session_transaction() as cookie:
        del cookie[sessions.VERSION_KEY]

    assert client.get(CLINIC).status_code == 302


def test_an_administrators_reset_ends_every_session_and_the_old_password(app, client, login_as):
    user = login_as()
    assert client.get(CLINIC).status_code == 200

    result = app.test_cli_runner().invoke(args=["users", "reset-password", user.email.upper()])

    assert result.exit_code == 0, result.output
    assert client.get(CLINIC).status_code == 302
    old = client.post("/login", data={"csrf_token": csrf_token(client), "email": user.email,
                                      "password": TEST_PASSWORD})
    assert old.status_code == 200  # refused: the login page again
    new_password = re.search(r"One-time password .*: (\S+)$", result.output, re.MULTILINE).group(1)
    fresh = client.post("/login", data={"csrf_token": csrf_token(client), "email": user.email,
                                        "password": new_password})
    assert fresh.headers["Location"] == "/password"


def test_reset_password_names_an_unknown_user(app, client):
    result = app.test_cli_runner().invoke(args=["users", "reset-password", "nobody@example.no"])

    assert result.exit_code == 1 and "no user with email 'nobody@example.no'" in result.output
