"""An unanswered critical item is a risk, not a gap: asked about once, then alerted, never shown as a crisis."""
from __future__ import annotations

import re

from sqlmodel import select
from survey_helpers import KEY, all_answered, csrf

from pro_service.pathways.models import Alert, AlertKind, Assessment, Invitation

ASKED = 'id="open-critical"'


def alerts(session) -> list[tuple[str, int, AlertKind, float | None]]:
    session.expire_all()
    return sorted((instrument, alert.item, alert.kind, alert.value) for alert, instrument in session.exec(
        select(Alert, Assessment.instrument_id).join(Assessment, Assessment.id == Alert.assessment_id)))


def submit(browser, html: str):
    data = {"csrf_token": csrf(html), "key": KEY.search(html).group(1)}
    asked = re.search(r'name="asked"[^>]*value="([^"]*)"', html)
    if asked:
        data["asked"] = asked.group(1)
    return browser.post("/survey/submit", data)


def test_the_first_submit_asks_once_kindly_and_the_second_goes_through(session, invite, browser):
    issued = invite()
    answers = all_answered(0)
    del answers[1][9]  # PHQ-9 item 9, thoughts of self-harm
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(answers)
    review = browser.get("/survey/review").get_data(as_text=True)
    assert ASKED not in review  # the review page lists it as unanswered; the question comes with the submit

    first = submit(browser, review)
    asked = first.get_data(as_text=True)
    assert first.status_code == 200 and ASKED in asked
    assert 'href="/survey/q/1/1?check=1#item-9-0"' in asked.split(ASKED)[1].split("</section>")[0]
    assert "tel:113" not in asked  # nothing was answered: no crisis text
    assert session.exec(select(Invitation)).one().used_at is None and alerts(session) == []

    second = submit(browser, asked)
    assert second.status_code == 303
    done = browser.get("/survey/done")
    assert done.status_code == 303 and done.headers["Location"] == "/survey/thanks"
    assert alerts(session) == [("phq9", 9, AlertKind.UNANSWERED, None)]


def test_answering_after_being_asked_raises_no_unanswered_alert(session, invite, browser):
    issued = invite()
    answers = all_answered(0)
    del answers[1][9]
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(answers)
    asked = submit(browser, browser.get("/survey/review").get_data(as_text=True)).get_data(as_text=True)
    assert ASKED in asked
    page = browser.get("/survey/q/1/1").get_data(as_text=True)
    browser.post("/survey/q/1/1", {"csrf_token": csrf(page), "nav": "next", "item_9": "0"})

    assert submit(browser, browser.get("/survey/review").get_data(as_text=True)).status_code == 303
    assert alerts(session) == []


def test_two_unanswered_critical_items_are_asked_about_together(session, invite, browser):
    issued = invite()
    answers = all_answered(1)
    del answers[1][9]  # PHQ-9 item 9
    del answers[3][6]  # CORE-10 item 6, "I made plans to end my life"
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(answers)
    asked = submit(browser, browser.get("/survey/review").get_data(as_text=True)).get_data(as_text=True)
    section = asked.split(ASKED)[1].split("</section>")[0]
    assert "#item-9-0" in section and "#item-6-0" in section

    assert submit(browser, asked).status_code == 303
    assert alerts(session) == [("core10", 6, AlertKind.UNANSWERED, None), ("phq9", 9, AlertKind.UNANSWERED, None)]


def test_an_answered_critical_item_still_shows_help_and_is_not_asked_about(session, invite, browser):
    issued = invite()
    answers = all_answered(0)
    answers[1][9] = 1
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(answers)
    assert submit(browser, browser.get("/survey/review").get_data(as_text=True)).status_code == 303
    assert 'href="tel:113"' in browser.get("/survey/done").get_data(as_text=True)
    assert alerts(session) == [("phq9", 9, AlertKind.ANSWER, 1.0)]
