"""The thank-you page lists the respondent's scores in the order the questionnaires were asked (the package plan)."""
from __future__ import annotations

from survey_helpers import PLAN, all_answered

from pro_service import definitions
from pro_service.pathways.invitations import find_invitation
from pro_service.survey.queries import in_plan_order, own_scores


def test_instruments_follow_the_plan_whatever_order_they_come_in(app):
    shuffled = ["wsas", "core10", "extra_by_hand", "gad7", "phq9"]

    with app.app_context():
        assert in_plan_order(shuffled, package_id="mh_adults", milestone_id="start") == (*PLAN, "extra_by_hand")
        assert in_plan_order(set(shuffled), package_id="mh_adults", milestone_id="start") == (*PLAN, "extra_by_hand")


def test_the_thanks_page_and_its_scores_follow_the_plan(invite, browser, app):
    issued = invite(language="en")
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(all_answered(1))
    browser.post("/survey/submit", browser.submit_form())
    html = browser.get("/survey/thanks").get_data(as_text=True)

    catalog = definitions.catalog()
    with app.app_context():  # a fresh context: the scores are read without the request's remembered rows
        histories = own_scores(find_invitation(token=issued.token), locale="en")
    titles = [history.title.text for history in histories]
    assert titles == [catalog[i].title["en"] for i in PLAN if catalog[i].title["en"] in titles]
    assert len(titles) >= 3
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
