"""A tampered answer (an option that does not exist, a word for a number) is a translated error on the page.

The other answers of that page are kept on the page as sent, and nothing answered before is lost.
"""
from sqlmodel import select

from pro_service.pathways.models import Response
from survey_helpers import csrf

PHQ9_PAGE = "/survey/q/1/1"


def saved_answers(session) -> dict:
    session.expire_all()
    return {k: v for r in session.exec(select(Response)).all() for k, v in r.answers.items()}


def _open(browser, invite) -> str:
    issued = invite(language="en")
    browser.get(f"/i/{issued.token}")
    return browser.get(PHQ9_PAGE).get_data(as_text=True)


def test_an_option_out_of_range_is_a_translated_error_and_keeps_earlier_answers(session, invite, browser):
    html = _open(browser, invite)
    first = browser.post(PHQ9_PAGE, {"csrf_token": csrf(html), "item_1": "2", "nav": "next"})
    assert first.status_code == 303

    html = browser.get(PHQ9_PAGE).get_data(as_text=True)
    tampered = browser.post(PHQ9_PAGE, {"csrf_token": csrf(html), "item_1": "2", "item_2": "99", "nav": "next"})
    page = tampered.get_data(as_text=True)

    assert tampered.status_code == 422
    assert "Choose one of the answer options." in page and 'aria-describedby="item-2-error"' in page
    assert 'id="item-1-2" name="item_1" value="2" checked' in page  # the page's other answer, as sent
    assert saved_answers(session) == {"1": 2}  # what the first post saved is still there


def test_a_word_for_an_answer_is_a_translated_error(session, invite, browser):
    html = _open(browser, invite)

    tampered = browser.post(PHQ9_PAGE, {"csrf_token": csrf(html), "item_1": "many", "nav": "next"})

    assert tampered.status_code == 422
    assert "Choose one of the answer options." in tampered.get_data(as_text=True)
