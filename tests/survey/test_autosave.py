"""Saving one answer as it is chosen (survey.js): POST /survey/q/<n>/<page>/autosave.

The endpoint is the page's form for one field: same session, same CSRF token
(sent in the X-CSRFToken header), same checks, same `save_answers`.
"""
from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import select

from pro_service.extensions import limiter
from pro_service.pathways.models import Assessment, Response
from survey_helpers import Browser, all_answered, csrf

PHQ9_PAGE = "/survey/q/1/1"
AUTOSAVE = "/survey/q/1/1/autosave"


def answers_saved(session) -> list[dict]:
    session.expire_all()
    return [r.answers for r in session.exec(select(Response)).all()]


def opened(browser: Browser, token: str) -> str:
    """Open the link and the first question page; returns the page's CSRF token."""
    browser.get(f"/i/{token}")
    return csrf(browser.get(PHQ9_PAGE).get_data(as_text=True))


def autosave(browser: Browser, token: str | None, *, url: str = AUTOSAVE, **body):
    headers = {"X-CSRFToken": token} if token else {}
    if "json" in body:
        return browser.client.post(url, json=body["json"], headers=headers)
    return browser.client.post(url, data=body["data"], headers=headers)


def test_one_answer_is_saved_and_resumed_in_a_new_browser(session, invite, browser, app):
    issued = invite()
    token = opened(browser, issued.token)

    saved = autosave(browser, token, json={"item": 3, "answer": 2})
    by_form = autosave(browser, token, data={"item_4": "1"})

    assert (saved.status_code, saved.get_data()) == (204, b"")
    assert by_form.status_code == 204
    assert saved.headers["Cache-Control"] == "no-store" and saved.headers["Referrer-Policy"] == "no-referrer"
    assert answers_saved(session) == [{"3": 2, "4": 1}]
    again = Browser(app.test_client())  # the browser was closed: no cookie, same link
    again.get(f"/i/{issued.token}")
    page = again.get(PHQ9_PAGE).get_data(as_text=True)
    assert 'id="item-3-2" name="item_3" value="2" checked' in page
    assert 'id="item-4-1" name="item_4" value="1" checked' in page and page.count("checked") == 2


def test_a_later_choice_replaces_the_earlier_and_keeps_the_others(session, invite, browser):
    issued = invite()
    token = opened(browser, issued.token)
    browser.answer_pages({1: {1: 0, 2: 0}}, stop_before=2)

    autosave(browser, token, json={"item": 2, "answer": 3})

    assert answers_saved(session) == [{"1": 0, "2": 3}]


@pytest.mark.parametrize("body", [
    {"json": {"item": 10, "answer": 1}},  # PHQ-9 has nine items
    {"json": {"item": 0, "answer": 1}},
    {"json": {"item": 3, "answer": 4}},  # positions 0–3
    {"json": {"item": 3, "answer": -1}},
    {"json": {"item": 3, "answer": "2"}},
    {"json": {"item": 3, "answer": True}},
    {"json": {"item": 3.0, "answer": 2}},
    {"json": {"item": 3}},
    {"json": {"item": 3, "answer": 2, "extra": 1}},
    {"json": [3, 2]},
    {"data": {"item_3": "4"}},
    {"data": {"item_3": ""}},
    {"data": {"item_11": "1"}},
    {"data": {"item_3": "1", "item_4": "1"}},
    {"data": {"item_3": ["1", "2"]}},
    {"data": {"nav": "next"}},
    {"data": {}},
])
def test_bad_input_is_refused_and_nothing_changes(session, invite, browser, body):
    issued = invite()
    token = opened(browser, issued.token)
    browser.answer_pages({1: {3: 1}}, stop_before=2)

    refused = autosave(browser, token, **body)

    assert refused.status_code == 400 and refused.is_json and refused.get_json()["error"]
    assert answers_saved(session) == [{"3": 1}]


def test_unknown_questionnaire_or_page_is_a_json_404(session, invite, browser):
    issued = invite()
    token = opened(browser, issued.token)

    for url in ("/survey/q/9/1/autosave", "/survey/q/1/2/autosave"):
        missing = autosave(browser, token, url=url, json={"item": 1, "answer": 1})
        assert missing.status_code == 404 and missing.is_json, url
    assert answers_saved(session) == []


def test_without_the_csrf_token_nothing_is_saved(session, invite, browser):
    issued = invite()
    opened(browser, issued.token)

    missing = autosave(browser, None, json={"item": 3, "answer": 2})
    wrong = autosave(browser, "not-the-token", data={"item_3": "2"})
    in_the_body = browser.client.post(AUTOSAVE, data={"item_3": "2", "csrf_token": "not-the-token"})

    for refused in (missing, wrong, in_the_body):
        assert refused.status_code == 400 and refused.is_json and "CSRF" in refused.get_json()["error"]
    assert answers_saved(session) == []


def test_a_submitted_response_cannot_be_changed(session, invite, browser):
    issued = invite()
    token = opened(browser, issued.token)
    browser.answer_pages(all_answered(1))
    browser.post("/survey/submit", browser.submit_form())
    before = answers_saved(session)

    refused = autosave(browser, token, json={"item": 3, "answer": 3})

    assert refused.status_code == 409 and refused.is_json
    assert answers_saved(session) == before


def test_only_the_sessions_own_invitation_is_changed(session, invite, browser, app, make_unit):
    unit = make_unit()
    mine, theirs = invite(unit=unit), invite(unit=unit, external_id="EPR-2")
    token = opened(browser, mine.token)
    stranger = Browser(app.test_client())
    stranger_token = opened(stranger, theirs.token)

    # The stranger's session only reaches the stranger's invitation, whichever token they send.
    autosave(stranger, stranger_token, json={"item": 1, "answer": 3})
    with_my_token = autosave(stranger, token, json={"item": 2, "answer": 3})
    no_session = autosave(Browser(app.test_client()), token, json={"item": 1, "answer": 3})

    assert with_my_token.status_code == 400  # my CSRF token is bound to my session, not theirs
    assert no_session.status_code in {400, 404} and no_session.is_json
    session.expire_all()
    [draft] = session.exec(select(Response)).all()
    assessment = session.get(Assessment, draft.assessment_id)
    assert assessment.respondent_id == theirs.invitation.respondent_id != mine.invitation.respondent_id
    assert draft.answers == {"1": 3}


def test_an_ended_session_gets_json_not_a_page(session, invite, browser, app):
    issued = invite()
    token = opened(browser, issued.token)
    with browser.client.session_transaction() as cookie:
        cookie.pop("survey_invitation")

    ended = autosave(browser, token, json={"item": 3, "answer": 2})

    assert ended.status_code == 404 and ended.is_json
    assert answers_saved(session) == []


def test_autosave_is_rate_limited(app, session, invite, browser, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_RATE_LIMITS_IN_TESTS", True)
    monkeypatch.setitem(app.config, "SURVEY_AUTOSAVE_RATE_LIMIT", "2 per minute")
    limiter.reset()
    issued = invite()
    token = opened(browser, issued.token)

    statuses = [autosave(browser, token, json={"item": 1, "answer": n}).status_code for n in range(3)]

    assert statuses == [204, 204, 429]
    limiter.reset()


def test_the_page_tells_the_script_where_and_what_to_say(invite, browser):
    issued = invite(language="nb")
    browser.get(f"/i/{issued.token}")
    html = browser.get(PHQ9_PAGE).get_data(as_text=True)

    assert 'data-autosave="/survey/q/1/1/autosave"' in html
    assert '<script src="/static/survey.js" defer></script>' in html
    assert 'role="status" aria-live="polite"' in html
    assert 'data-saved="Lagret"' in html and 'data-failed="Ikke lagret' in html


def test_two_tabs_saving_at_once_keep_both_answers(session, invite, browser, app):
    """A save that read the draft before another tab's save committed merges into that save, never over it."""
    from datetime import UTC, datetime

    from pro_service.pathways.models import Invitation
    from pro_service.survey import queries
    from pro_service.survey.operations import save_answers

    issued = invite()
    autosave(browser, opened(browser, issued.token), json={"item": 1, "answer": 0})
    invitation = session.get(Invitation, issued.invitation.id)
    first_tab = queries.survey_for(invitation, locale="en", now=datetime.now(UTC)).questionnaires[0]
    assert first_tab.answers == {"1": 0}  # what this tab read, before the other tab saved

    other_tab = Browser(app.test_client())
    autosave(other_tab, opened(other_tab, issued.token), json={"item": 2, "answer": 3})
    save_answers(questionnaire=first_tab, language="en", answers={3: 1}, now=datetime.now(UTC))
    session.commit()

    assert answers_saved(session) == [{"1": 0, "2": 3, "3": 1}]


def test_the_first_saves_of_two_tabs_make_one_draft(session, invite, browser, app):
    """Both tabs found no draft; the second insert meets the first's row and merges into it."""
    from datetime import UTC, datetime

    from pro_service.pathways.models import Invitation
    from pro_service.survey import queries
    from pro_service.survey.operations import save_answers

    issued = invite()
    invitation = session.get(Invitation, issued.invitation.id)
    first_tab = queries.survey_for(invitation, locale="en", now=datetime.now(UTC)).questionnaires[0]
    assert first_tab.draft is None

    other_tab = Browser(app.test_client())
    autosave(other_tab, opened(other_tab, issued.token), json={"item": 2, "answer": 3})
    save_answers(questionnaire=first_tab, language="en", answers={3: 1}, now=datetime.now(UTC))
    session.commit()

    assert answers_saved(session) == [{"2": 3, "3": 1}]


def test_the_first_saved_answer_puts_the_assessment_in_progress(session, invite, browser):
    from pro_service.pathways.models import AssessmentStatus

    issued = invite()
    autosave(browser, opened(browser, issued.token), json={"item": 1, "answer": 0})
    session.expire_all()
    statuses = {a.status for a in session.exec(select(Assessment)
                                               .where(Assessment.milestone_event_id == issued.invitation.milestone_event_id))}
    assert AssessmentStatus.IN_PROGRESS in statuses


def test_an_assessment_cancelled_while_the_page_was_open_stays_cancelled(session, invite, browser, app):
    """The save reads the assessment as open; a clinician cancels it before the save lands: the cancel stands."""
    from datetime import UTC, datetime

    from pro_service.pathways.models import AssessmentStatus, Invitation
    from pro_service.survey import queries
    from pro_service.survey.operations import save_answers

    issued = invite()
    invitation = session.get(Invitation, issued.invitation.id)
    tab = queries.survey_for(invitation, locale="en", now=datetime.now(UTC)).questionnaires[0]
    assert tab.assessment.status in {AssessmentStatus.SCHEDULED, AssessmentStatus.OPEN}
    with app.app_context():
        from pro_service import db

        other = db.engine(app).connect()
        other.execute(update(Assessment.__table__).where(Assessment.__table__.c.id == tab.assessment.id)
                      .values(status=AssessmentStatus.CANCELLED))
        other.commit()
        other.close()
    save_answers(questionnaire=tab, language="en", answers={1: 2}, now=datetime.now(UTC))
    session.commit()
    session.expire_all()

    assert session.get(Assessment, tab.assessment.id).status == AssessmentStatus.CANCELLED
    assert answers_saved(session) == [{"1": 2}]  # what the respondent chose is kept all the same
