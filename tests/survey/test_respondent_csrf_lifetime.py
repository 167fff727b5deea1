"""A slow respondent keeps their page: the CSRF token lasts as long as the respondent's session."""
from __future__ import annotations

import time

from itsdangerous import TimestampSigner
from sqlmodel import select

from pro_service.pathways.models import Response
from survey_helpers import csrf

PHQ9_PAGE = "/survey/q/1/1"


def test_a_page_posted_two_hours_after_it_was_opened_is_saved(session, invite, browser, monkeypatch):
    issued = invite()
    browser.get(f"/i/{issued.token}")
    token = csrf(browser.get(PHQ9_PAGE).get_data(as_text=True))

    # Two hours at the kitchen table: the token's signature says it was made two hours ago.
    later = int(time.time()) + 2 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = browser.post(PHQ9_PAGE, {"csrf_token": token, "nav": "next", "item_1": "2", "item_2": "1"})

    assert response.status_code == 303, response.get_data(as_text=True)
    session.expire_all()
    assert [r.answers for r in session.exec(select(Response)).all()] == [{"1": 2, "2": 1}]


def test_a_token_from_another_session_is_still_refused(session, invite, browser, app):
    issued = invite()
    browser.get(f"/i/{issued.token}")
    stranger = app.test_client()
    stranger.get(f"/i/{issued.token}")
    foreign = csrf(stranger.get(PHQ9_PAGE).get_data(as_text=True))

    response = browser.post(PHQ9_PAGE, {"csrf_token": foreign, "nav": "next", "item_1": "2"})

    assert response.status_code == 400
