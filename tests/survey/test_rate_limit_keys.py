"""Rate limits count what the attacker cannot choose: tablets behind one address are counted per invitation,
guesses at a code per address and per code, and X-Forwarded-For only as far as TRUSTED_PROXIES says."""
from __future__ import annotations

import pytest

from pro_service import create_app, db
from pro_service.extensions import limiter
from survey_helpers import Browser, csrf

AUTOSAVE = "/survey/q/1/1/autosave"
CLINIC_ADDRESS = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def limits_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_RATE_LIMITS_IN_TESTS", True)
    limiter.reset()
    yield app.config
    limiter.reset()


def tablet(app) -> Browser:
    client = app.test_client()
    client.environ_base.update(CLINIC_ADDRESS, HTTP_ACCEPT_LANGUAGE="en")
    return Browser(client)


def open_invitation(browser: Browser, token: str) -> str:
    browser.get(f"/i/{token}")
    return csrf(browser.get("/survey/q/1/1").get_data(as_text=True))


def save(browser: Browser, csrf_token: str, answer: int) -> int:
    return browser.client.post(AUTOSAVE, json={"item": 1, "answer": answer},
                               headers={"X-CSRFToken": csrf_token}).status_code


def test_two_tablets_behind_one_address_are_not_throttled_together(app, limits_on, invite, make_unit, monkeypatch):
    monkeypatch.setitem(limits_on, "SURVEY_AUTOSAVE_RATE_LIMIT", "2 per minute")
    first, second, unit = tablet(app), tablet(app), make_unit()
    token_a = open_invitation(first, invite(unit=unit, external_id="EPR-A").token)
    token_b = open_invitation(second, invite(unit=unit, external_id="EPR-B").token)

    a = [save(first, token_a, n) for n in range(2)]
    b = [save(second, token_b, n) for n in range(2)]

    assert a == b == [204, 204]
    assert save(first, token_a, 3) == 429  # each invitation still has its own limit


def test_page_answers_are_limited_per_invitation(app, limits_on, invite, make_unit, monkeypatch):
    monkeypatch.setitem(limits_on, "SURVEY_PAGE_RATE_LIMIT", "1 per minute")
    first, second, unit = tablet(app), tablet(app), make_unit()
    token_a = open_invitation(first, invite(unit=unit, external_id="EPR-A").token)
    token_b = open_invitation(second, invite(unit=unit, external_id="EPR-B").token)

    answer = {"item_1": "1", "nav": "next"}
    statuses = [first.post("/survey/q/1/1", {"csrf_token": token_a, **answer}).status_code,
                second.post("/survey/q/1/1", {"csrf_token": token_b, **answer}).status_code,
                first.post("/survey/q/1/1", {"csrf_token": token_a, **answer}).status_code]

    assert statuses == [303, 303, 429]


def test_guessing_one_code_from_many_addresses_is_throttled(app, client, limits_on, monkeypatch):
    monkeypatch.setitem(limits_on, "SURVEY_CODE_TARGET_RATE_LIMIT", "3 per minute")
    token = csrf(client.get("/code").get_data(as_text=True))

    statuses = [client.post("/code", data={"csrf_token": token, "code": "ABCD-EFGH"},
                            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"}).status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]


def _addresses_seen(app, spoofed: list[str]) -> list[int]:
    """Wrong codes from one connection that claims another client address each time (X-Forwarded-For)."""
    client = app.test_client()
    token = csrf(client.get("/code").get_data(as_text=True))
    return [client.post("/code", data={"csrf_token": token, "code": f"WXYZ-{n:04d}"},
                        headers={"X-Forwarded-For": address}, environ_base=CLINIC_ADDRESS).status_code
            for n, address in enumerate(spoofed)]


def test_a_spoofed_x_forwarded_for_is_ignored_without_trusted_proxies(app, limits_on, monkeypatch):
    assert app.config["SETTINGS"].trusted_proxies == 0
    monkeypatch.setitem(limits_on, "SURVEY_CODE_RATE_LIMIT", "2 per minute")

    statuses = _addresses_seen(app, ["203.0.113.1", "203.0.113.2", "203.0.113.3"])

    assert statuses == [200, 200, 429]  # all counted against the connection's own address


def test_x_forwarded_for_is_honoured_with_one_trusted_proxy(app, _empty_tables):
    behind = create_app({**app.config["SETTINGS"].model_dump(), "trusted_proxies": 1})
    behind.config.update(SURVEY_RATE_LIMITS_IN_TESTS=True, SURVEY_CODE_RATE_LIMIT="2 per minute")
    limiter.reset()

    try:
        statuses = _addresses_seen(behind, ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
    finally:
        db.engine(behind).dispose()  # an engine left open is collected later, open, in some other test

    assert statuses == [200, 200, 200]  # three clients, as the proxy reported them
    limiter.reset()


def test_the_limits_are_settings_checked_at_start_up():
    from pydantic import ValidationError

    from pro_service.config import Settings

    limits = Settings(survey_page_rate_limit="3 per hour", login_rate_limit="2 per minute").rate_limits()

    assert limits["SURVEY_PAGE_RATE_LIMIT"] == "3 per hour" and limits["LOGIN_RATE_LIMIT"] == "2 per minute"
    with pytest.raises(ValidationError, match="is not a rate limit"):
        Settings(survey_submit_rate_limit="lots")
