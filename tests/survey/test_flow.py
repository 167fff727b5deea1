from datetime import UTC, datetime, timedelta

from sqlmodel import select

from pro_service import definitions
from pro_service.instruments.scoring import score
from pro_service.pathways.models import (
    Alert,
    Assessment,
    AssessmentStatus,
    Invitation,
    Response,
    Score,
)
from survey_helpers import PLAN, Browser, all_answered, csrf

RESPONDENT_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def stored(session):
    session.expire_all()
    return {
        "responses": session.exec(select(Response)).all(),
        "scores": session.exec(select(Score)).all(),
        "alerts": session.exec(select(Alert)).all(),
        "assessments": session.exec(select(Assessment)).all(),
        "invitation": session.exec(select(Invitation)).one(),
    }


def test_link_to_scores_end_to_end(session, invite, browser):
    issued = invite(language="nb")
    answers = all_answered(1)
    answers[1][9] = 0  # PHQ-9 item 9 not critical
    answers[3][6] = 0  # CORE-10 item 6 not critical

    opened = browser.get(f"/i/{issued.token}")
    assert opened.status_code == 303 and opened.headers["Location"] == "/survey"
    welcome = browser.get("/survey").get_data(as_text=True)
    assert "BUP Oslo" in welcome and 'lang="nb"' in welcome and issued.token not in welcome
    assert browser.answer_pages(answers) == "/survey/review"
    submitted = browser.post("/survey/submit", browser.submit_form())
    assert submitted.status_code == 303 and submitted.headers["Location"] == "/survey/done"
    assert browser.get("/survey/done").headers["Location"] == "/survey/thanks"
    thanks = browser.get("/survey/thanks")

    shown = thanks.get_data(as_text=True)
    assert thanks.status_code == 200 and 'class="score-summary"' in shown
    assert 'class="chart' not in shown  # one score is no line: a chart only from the second on
    data = stored(session)
    assert data["invitation"].used_at is not None
    assert {a.status for a in data["assessments"]} == {AssessmentStatus.COMPLETED}
    catalog = definitions.catalog()
    by_assessment = {a.id: a.instrument_id for a in data["assessments"]}
    for response in data["responses"]:
        instrument_id = by_assessment[response.assessment_id]
        number = PLAN.index(instrument_id) + 1
        expected = score(catalog[instrument_id], answers[number])
        got = {s.scale_id: (s.value, s.band, s.missing) for s in data["scores"] if s.response_id == response.id}
        assert got == {k: (float(v.score), v.band, v.missing) for k, v in expected.scales.items()}
        assert response.submitted_at is not None and response.language == "nb"
        assert response.instrument_version == catalog[instrument_id].version
    assert data["alerts"] == []
    for response in browser.visited:
        for name, value in RESPONDENT_HEADERS.items():
            assert response.headers[name] == value, (response.request.path, name)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        # A template name clash once printed "<Macro 'error_summary'>" on every question page.
        assert "<Macro" not in response.get_data(as_text=True), response.request.path


def test_closed_browser_resumes_with_saved_answers(session, invite, client, app):
    issued = invite()
    first = Browser(client)
    first.get(f"/i/{issued.token}")
    assert first.answer_pages(all_answered(2), stop_before=2) == "/survey/q/2/1"

    again = Browser(app.test_client())  # a new browser: no cookie, same link
    again.get(f"/i/{issued.token}")
    welcome = again.get("/survey").get_data(as_text=True)
    page = again.get("/survey/q/1/1").get_data(as_text=True)

    assert 'href="/survey/q/2/1"' in welcome
    assert page.count("checked") == 9 and 'id="item-1-2" name="item_1" value="2" checked' in page
    draft = stored(session)["responses"]
    assert len(draft) == 1 and draft[0].answers == {str(n): 2 for n in range(1, 10)}
    assert draft[0].submitted_at is None


def test_language_change_keeps_unsaved_answers(session, invite, browser):
    issued = invite(language="nb")
    browser.get(f"/i/{issued.token}")
    html = browser.get("/survey/q/1/1").get_data(as_text=True)
    assert "Lite interesse" in html

    changed = browser.post("/survey/q/1/1", {"csrf_token": csrf(html), "item_1": "3", "lang": "en"})
    page = browser.get(changed.headers["Location"]).get_data(as_text=True)

    assert changed.headers["Location"] == "/survey/q/1/1"
    assert '<html lang="en" dir="ltr">' in page and "Little interest or pleasure" in page
    assert 'value="3" checked' in page


def test_arabic_page_is_right_to_left(invite, browser):
    issued = invite(language="ar")
    browser.get(f"/i/{issued.token}")

    assert '<html lang="ar" dir="rtl">' in browser.get("/survey").get_data(as_text=True)


def test_instrument_without_the_chosen_language_asks_and_stores_the_answer(session, invite, browser):
    issued = invite(language="pl")
    catalog = definitions.catalog()
    number, instrument = next((n, catalog[i]) for n, i in enumerate(PLAN, start=1) if "pl" not in catalog[i].languages)
    browser.get(f"/i/{issued.token}")
    asked = browser.get(f"/survey/q/{number}/1")
    assert asked.status_code == 303 and asked.headers["Location"] == f"/survey/q/{number}/language"
    choice = browser.get(asked.headers["Location"]).get_data(as_text=True)
    assert 'lang="nb">Norsk bokmål' in choice and 'lang="en">English' in choice

    chose = browser.post(f"/survey/q/{number}/language", {"csrf_token": csrf(choice), "language": "en"})
    page = browser.get(chose.headers["Location"]).get_data(as_text=True)

    assert '<html lang="pl"' in page and '<div lang="en" dir="auto">' in page and instrument.items[0].text["en"] in page
    [draft] = stored(session)["responses"]
    assert draft.language == "en"


def test_submitting_twice_stores_once(session, invite, browser):
    issued = invite()
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(all_answered(0))
    form = browser.submit_form()

    first = browser.post("/survey/submit", form)
    counts = {k: len(v) for k, v in stored(session).items() if isinstance(v, list)}
    second = browser.post("/survey/submit", form)

    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == "/survey/done"
    assert {k: len(v) for k, v in stored(session).items() if isinstance(v, list)} == counts
    assert counts["responses"] == 4 and counts["scores"] == sum(len(definitions.catalog()[i].scales) for i in PLAN)


def test_a_submit_form_of_another_invitation_is_refused(session, invite, browser, app, make_unit):
    unit = make_unit()
    mine, theirs = invite(unit=unit), invite(unit=unit, external_id="EPR-2")
    browser.get(f"/i/{mine.token}")
    foreign = Browser(app.test_client())
    foreign.get(f"/i/{theirs.token}")
    form = browser.submit_form()
    form["key"] = foreign.submit_form()["key"]

    assert browser.post("/survey/submit", form).status_code == 400
    session.expire_all()
    assert [i.used_at for i in session.exec(select(Invitation)).all()] == [None, None]


def test_critical_answer_raises_an_alert_and_shows_help_before_thanks(session, invite, browser):
    issued = invite()
    answers = all_answered(0)
    answers[1][9] = 2  # PHQ-9 item 9: "more than half the days"
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(answers)
    browser.post("/survey/submit", browser.submit_form())

    done = browser.get("/survey/done")
    html = done.get_data(as_text=True)

    assert done.status_code == 200
    assert 'href="tel:113"' in html and 'href="tel:116117"' in html and "22 00 00 00" in html
    assert 'href="/survey/thanks"' in html
    [alert] = stored(session)["alerts"]
    phq9 = next(a for a in stored(session)["assessments"] if a.instrument_id == "phq9")
    assert (alert.assessment_id, alert.item, alert.value) == (phq9.id, 9, 2.0)
    assert alert.unit_id == phq9.pathway.unit_id and alert.acknowledged_at is None


def test_too_many_missing_answers_are_refused_and_nothing_is_stored(session, invite, browser):
    issued = invite(language="en")
    answers = all_answered(1)
    for item in (1, 2, 3):  # PHQ-9 prorates at most two missing items
        del answers[1][item]
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(answers)
    review = browser.get("/survey/review").get_data(as_text=True)
    assert review.count("must be answered") >= 3 and 'href="/survey/q/1/1?check=1#item-1-0"' in review

    refused = browser.post("/survey/submit", browser.submit_form())
    html = refused.get_data(as_text=True)

    assert refused.status_code == 422
    assert 'class="error-summary"' in html and 'href="#questionnaire-1"' in html
    data = stored(session)
    assert data["scores"] == [] and data["invitation"].used_at is None
    assert all(r.submitted_at is None for r in data["responses"])
    marked = browser.get("/survey/q/1/1?check=1").get_data(as_text=True)
    assert 'aria-describedby="item-1-error"' in marked and 'href="#item-1-0"' in marked


def test_fewer_missing_answers_than_the_rule_allows_are_prorated(session, invite, browser):
    issued = invite()
    answers = all_answered(2)
    del answers[1][4]
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(answers)
    assert browser.post("/survey/submit", browser.submit_form()).status_code == 303

    phq9 = next(a for a in stored(session)["assessments"] if a.instrument_id == "phq9")
    total = next(s for s in stored(session)["scores"]
                 if s.scale_id == "total" and s.response.assessment_id == phq9.id)
    assert (total.value, total.missing, total.prorated) == (18.0, 1, True)


def test_expired_used_and_unknown_links_get_a_friendly_page(session, invite, browser, app):
    expired = invite(started_at=datetime.now(UTC) - timedelta(days=60))
    unknown = browser.get("/i/not-a-real-token-at-all")
    gone = app.test_client().get(f"/i/{expired.token}")

    assert unknown.status_code == 404 and "Traceback" not in unknown.get_data(as_text=True)
    assert gone.status_code == 410 and "22 00 00 00" in gone.get_data(as_text=True)
    assert unknown.headers["Cache-Control"] == "no-store"


def test_a_used_link_says_so(session, invite, browser, app):
    issued = invite(external_id="EPR-3", language="en")
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(all_answered(0))
    browser.post("/survey/submit", browser.submit_form())

    again = app.test_client().get(f"/i/{issued.token}", headers={"Accept-Language": "en"})

    assert again.status_code == 410 and "already been sent" in again.get_data(as_text=True)
