"""What a respondent request costs the server beyond its answer: no cookie rewritten, few statements.

The benchmark (benchmarks/respondent_flow.py) measures the time; these guard the two things that
made it grow unnoticed: Flask-Login rewriting a respondent's session cookie on every page, and
statements added to the flow one query at a time.
"""
from __future__ import annotations

from sqlalchemy import event

from pro_service import db
from survey_helpers import all_answered

MAX_STATEMENTS_PER_FLOW = 55
"""Every statement of one mh_adults start flow (4 questionnaires), link to thanks: 98 before the survey was
read in one query with its invitation, 71 after (SQLite, 2026-11-26), 53 once the submit queued the report
rows and the link and thanks pages stopped lazy-loading the respondent (2026-11-27); a new query per page
shows up here."""


def test_no_set_cookie_on_respondent_get_pages(invite, browser):
    issued = invite(language="nb")
    browser.get(f"/i/{issued.token}")
    browser.get("/survey")  # the first form of the session stores its CSRF token: one cookie
    for url in ("/survey", "/survey/q/1/1", "/survey/q/1/1", "/survey/q/2/1"):
        response = browser.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, url
    assert browser.answer_pages(all_answered(1)) == "/survey/review"
    review = browser.get("/survey/review")
    assert review.status_code == 200 and "Set-Cookie" not in review.headers


def test_statements_per_flow(app, invite, browser):
    issued = invite(language="nb")
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine(app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        browser.get(f"/i/{issued.token}")
        browser.get("/survey")
        assert browser.answer_pages(all_answered(0)) == "/survey/review"
        assert browser.post("/survey/submit", browser.submit_form()).status_code == 303
        browser.get("/survey/done")
        assert browser.get("/survey/thanks").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    print(f"{len(statements)} statements per flow")
    assert len(statements) <= MAX_STATEMENTS_PER_FLOW
