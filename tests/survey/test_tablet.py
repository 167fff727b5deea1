from sqlmodel import select
from survey_helpers import all_answered, csrf

from pro_service.extensions import limiter
from pro_service.pathways.models import Invitation

WRONG = "That code did not work"


def test_a_wrong_code_says_so_without_telling_whether_it_exists(invite, browser):
    form = browser.get("/code").get_data(as_text=True)

    wrong = browser.post("/code", {"csrf_token": csrf(form), "code": "ZZZZ9999"}).get_data(as_text=True)

    assert WRONG in wrong and 'aria-describedby="code-hint code-error"' in wrong and 'href="#code"' in wrong


def test_an_expired_code_reads_like_a_wrong_one(invite, browser):
    from datetime import UTC, datetime, timedelta

    issued = invite(started_at=datetime.now(UTC) - timedelta(days=60))
    form = browser.get("/code").get_data(as_text=True)

    response = browser.post("/code", {"csrf_token": csrf(form), "code": issued.short_code})

    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)


def test_tablet_mode_ends_the_session_after_submit(session, invite, browser):
    issued = invite()
    form = browser.get("/code").get_data(as_text=True)
    code = f"{issued.short_code[:4].lower()} {issued.short_code[4:]}"  # as people type it
    entered = browser.post("/code", {"csrf_token": csrf(form), "code": code})
    assert entered.headers["Location"] == "/survey"
    browser.answer_pages(all_answered(0))
    browser.post("/survey/submit", browser.submit_form())

    thanks = browser.get(browser.get("/survey/done").headers["Location"])
    html = thanks.get_data(as_text=True)

    assert 'href="/code"' in html and 'class="chart' not in html  # nothing of the respondent's scores
    assert thanks.headers["Cache-Control"] == "no-store"
    with browser.client.session_transaction() as cookie:
        assert "survey_invitation" not in cookie
    back = browser.get("/survey/q/1/1")  # the back button: the page is gone with the session
    assert back.status_code == 404 and "Lite interesse" not in back.get_data(as_text=True)
    session.expire_all()
    assert session.exec(select(Invitation)).one().used_at is not None


def test_code_entry_is_rate_limited(app, browser, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_RATE_LIMITS_IN_TESTS", True)
    monkeypatch.setitem(app.config, "SURVEY_CODE_RATE_LIMIT", "3 per minute")
    limiter.reset()
    form = browser.get("/code").get_data(as_text=True)

    statuses = [browser.post("/code", {"csrf_token": csrf(form), "code": "ZZZZ9999"}).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limiter.reset()


def test_the_bare_address_leads_to_the_code_page(client):
    response = client.get("/")

    assert response.status_code == 302 and response.headers["Location"] == "/code"
