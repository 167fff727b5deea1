"""AUDIT's skip rules on the respondent's pages: pages rebuilt from the answers so far, nothing answered lost."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from survey_helpers import ITEM, Browser, csrf

from pro_service import definitions
from pro_service.pathways.models import Assessment, Response, Score
from pro_service.pathways.operations import start_pathway
from pro_service.survey.respondent import LIVE_COOKIE

AUDIT = 1
"""AUDIT is the TSB start milestone's first questionnaire (then DUDIT and PHQ-9)."""
FORM_SKIPS = re.compile(r"data-skips='([^']+)'")


@pytest.fixture
def tsb_invite(session, make_patient):
    package = definitions.packages()["tsb"]
    _pathway, registration = start_pathway(patient=make_patient(), package=package, by="dr",
                                           base_url="https://pro.example.no",
                                           started_at=datetime.now(UTC) - timedelta(days=1))
    session.commit()
    [issued] = registration.invitations
    return issued


@pytest.fixture
def respondent(client, tsb_invite):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    browser = Browser(client)
    browser.get(f"/i/{tsb_invite.token}")
    return browser


def items_on(browser: Browser, url: str) -> list[int]:
    html = browser.get(url).get_data(as_text=True)
    return sorted({int(n) for n in ITEM.findall(html)})


def post_page(browser: Browser, url: str, answers: dict[int, int], nav: str = "next") -> str:
    html = browser.get(url).get_data(as_text=True)
    response = browser.post(url, {"csrf_token": csrf(html), "nav": nav,
                                  **{f"item_{n}": str(v) for n, v in answers.items()}})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def audit_draft(session) -> Response:
    session.expire_all()
    return session.exec(select(Response).join(Assessment, Assessment.id == Response.assessment_id)
                        .where(Assessment.instrument_id == "audit")).one()


def test_without_script_a_never_drinker_answers_three_questions_on_two_pages(session, respondent):
    assert items_on(respondent, "/survey/q/1/1") == [1]  # the page ends after the deciding question
    after = post_page(respondent, "/survey/q/1/1", {1: 0})  # "Never"
    assert after == "/survey/q/1/2"
    assert items_on(respondent, after) == [9, 10]
    assert post_page(respondent, after, {9: 0, 10: 0}) == "/survey/q/2/1"  # on to DUDIT
    assert audit_draft(session).answers == {"1": 0, "9": 0, "10": 0}
    review = respondent.get("/survey/review").get_data(as_text=True)
    audit_row = review.split('id="questionnaire-1"')[1].split("</section>")[0]
    assert "class=\"unanswered\"" not in audit_row and "<h2" in audit_row


def test_without_script_items_4_to_8_follow_only_when_2_or_3_scores(respondent):
    post_page(respondent, "/survey/q/1/1", {1: 2})
    assert items_on(respondent, "/survey/q/1/2") == [2, 3]
    assert post_page(respondent, "/survey/q/1/2", {2: 0, 3: 0}) == "/survey/q/1/3"
    assert items_on(respondent, "/survey/q/1/3") == [9, 10]
    post_page(respondent, "/survey/q/1/2", {3: 1}, nav="back")
    assert items_on(respondent, "/survey/q/1/3") == [4, 5, 6, 7, 8, 9, 10]


def test_changing_item_1_to_never_sets_answers_aside_and_changing_back_restores_them(session, respondent):
    post_page(respondent, "/survey/q/1/1", {1: 1})  # "Monthly or less"
    post_page(respondent, "/survey/q/1/2", {2: 1, 3: 2})
    post_page(respondent, "/survey/q/1/3", {4: 1, 5: 0, 6: 0, 7: 3, 8: 0, 9: 0, 10: 2})

    post_page(respondent, "/survey/q/1/1", {1: 0})  # now "Never"
    draft = audit_draft(session)
    assert draft.answers == {"1": 0, "9": 0, "10": 2}
    assert draft.set_aside == {"2": 1, "3": 2, "4": 1, "5": 0, "6": 0, "7": 3, "8": 0}
    assert items_on(respondent, "/survey/q/1/2") == [9, 10]

    post_page(respondent, "/survey/q/1/1", {1: 1})  # back to "Monthly or less": nothing was lost
    draft = audit_draft(session)
    assert draft.answers == {"1": 1, "2": 1, "3": 2, "4": 1, "5": 0, "6": 0, "7": 3, "8": 0, "9": 0, "10": 2}
    assert draft.set_aside == {}


def test_a_set_aside_answer_is_kept_but_not_scored_at_submit(session, respondent):
    post_page(respondent, "/survey/q/1/1", {1: 3})
    post_page(respondent, "/survey/q/1/2", {2: 4, 3: 4})
    post_page(respondent, "/survey/q/1/1", {1: 0})
    url = post_page(respondent, "/survey/q/1/2", {9: 1, 10: 1})
    while url.startswith("/survey/q/"):
        page_items = items_on(respondent, url)
        url = post_page(respondent, url, {n: 0 for n in page_items})
    html = respondent.get("/survey/review").get_data(as_text=True)
    key = re.search(r'name="key"[^>]*value="([^"]+)"', html).group(1)
    assert respondent.post("/survey/submit", {"csrf_token": csrf(html), "key": key}).status_code == 303

    response = audit_draft(session)
    assert response.submitted_at is not None
    assert (response.answers, response.set_aside) == ({"1": 0, "9": 1, "10": 1}, {"2": 4, "3": 4})
    scores = {s.scale_id: s for s in session.exec(select(Score).where(Score.response_id == response.id)).all()}
    assert (scores["total"].value, scores["total"].missing) == (4.0, 0)
    assert (scores["audit_c"].value, scores["audit_c"].missing) == (0.0, 0)


def test_with_the_script_all_items_share_a_page_and_skipped_ones_come_hidden(client, session, respondent):
    client.set_cookie(LIVE_COOKIE, "1")
    html = respondent.get("/survey/q/1/1").get_data(as_text=True)
    assert sorted({int(n) for n in ITEM.findall(html)}) == list(range(1, 11))
    assert json.loads(FORM_SKIPS.search(html).group(1).replace("&#34;", '"')) == [
        {"when": [{"item": 1, "positions": [0], "if_skipped": False}], "items": [2, 3, 4, 5, 6, 7, 8]},
        {"when": [{"item": 2, "positions": [0], "if_skipped": True},
                  {"item": 3, "positions": [0], "if_skipped": True}], "items": [4, 5, 6, 7, 8]},
    ]
    post_page(respondent, "/survey/q/1/1", {1: 0, 9: 0, 10: 0})
    html = respondent.get("/survey/q/1/1").get_data(as_text=True)
    assert 'id="item-2" data-item="2" hidden disabled' in html
    assert 'id="item-9" data-item="9">' in html
    assert audit_draft(session).answers == {"1": 0, "9": 0, "10": 0}


def test_with_the_script_answers_sent_to_items_the_same_page_skips_are_set_aside(client, session, respondent):
    client.set_cookie(LIVE_COOKIE, "1")
    post_page(respondent, "/survey/q/1/1", {1: 0, 2: 3, 9: 0, 10: 0})
    draft = audit_draft(session)
    assert (draft.answers, draft.set_aside) == ({"1": 0, "9": 0, "10": 0}, {"2": 3})


def test_autosave_refuses_an_answer_to_a_skipped_item(client, session, respondent):
    client.set_cookie(LIVE_COOKIE, "1")
    html = respondent.get("/survey/q/1/1").get_data(as_text=True)
    headers = {"X-CSRFToken": csrf(html)}
    assert client.post("/survey/q/1/1/autosave", json={"item": 1, "answer": 0}, headers=headers).status_code == 204
    refused = client.post("/survey/q/1/1/autosave", json={"item": 4, "answer": 1}, headers=headers)
    assert refused.status_code == 409
    assert refused.get_json() == {"error": "item 4 is not asked because of an earlier answer (a skip rule)"}
    assert audit_draft(session).answers == {"1": 0}


def test_a_page_a_changed_answer_took_away_leads_to_the_last_page(respondent):
    post_page(respondent, "/survey/q/1/1", {1: 1})
    post_page(respondent, "/survey/q/1/2", {2: 1, 3: 1})
    assert items_on(respondent, "/survey/q/1/3") == [4, 5, 6, 7, 8, 9, 10]
    post_page(respondent, "/survey/q/1/1", {1: 0})  # "Never": two pages are left

    stale = respondent.get("/survey/q/1/3")
    assert (stale.status_code, stale.headers["Location"]) == (303, "/survey/q/1/2")
    assert respondent.get("/survey/q/1/9").status_code == 303
