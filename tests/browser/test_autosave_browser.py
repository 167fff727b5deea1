"""survey.js in a real browser: an answer is saved as it is chosen, without pressing "next"."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlmodel import select

from pro_service import db, definitions
from pro_service.pathways.models import Response
from pro_service.pathways.operations import create_unit, register_patient, start_pathway
from pro_service.types import utcnow

PAGE = "/survey/q/1/1"  # PHQ-9, all nine items on one page


@pytest.fixture
def link(app, live_server) -> str:
    with app.app_context():
        session = db.session()
        unit = create_unit(code=f"T{uuid.uuid4().hex[:10]}", name="DPS Nordbyen", phone="22 11 22 33")
        patient, _ = register_patient(unit=unit, external_id="EPR-1", name="Kari Nordmann", language="nb",
                                      birth_date=date(1980, 2, 1))
        _, registration = start_pathway(patient=patient, package=definitions.packages()["mh_adults"],
                                        started_at=utcnow() - timedelta(days=1), by="dr", base_url=live_server)
        session.commit()
        return registration.invitations[0].link


def saved_answers(app) -> list[dict]:
    with app.app_context():
        return [r.answers for r in db.session().exec(select(Response)).all()]


def status_text(driver) -> str:
    return driver.find_element(By.ID, "autosave-status").text


def test_a_chosen_answer_is_saved_without_pressing_next(app, browser, browser_language, link, live_server):
    browser_language("nb")
    browser.get(link)
    browser.get(live_server + PAGE)

    browser.find_element(By.CSS_SELECTOR, "label[for='item-3-2']").click()
    WebDriverWait(browser, 10).until(lambda d: status_text(d) == "Lagret")
    browser.find_element(By.CSS_SELECTOR, "label[for='item-5-1']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='item-3-3']").click()
    WebDriverWait(browser, 10).until(lambda _: saved_answers(app) == [{"3": 3, "5": 1}])
    browser.refresh()

    assert urlparse(browser.current_url).path == PAGE
    assert browser.find_element(By.ID, "item-3-3").is_selected()
    assert browser.find_element(By.ID, "item-5-1").is_selected()
    assert not browser.find_element(By.ID, "item-3-2").is_selected()
    assert status_text(browser) == ""  # nothing to report until something is chosen


def test_a_failed_save_says_the_answer_is_saved_on_continue(app, browser, browser_language, link, live_server):
    browser_language("nb")
    browser.get(link)
    browser.get(live_server + PAGE)
    browser.delete_all_cookies()  # the session is gone: the autosave is refused

    browser.find_element(By.CSS_SELECTOR, "label[for='item-1-1']").click()

    WebDriverWait(browser, 10).until(
        lambda d: status_text(d) == "Ikke lagret – svaret ditt blir lagret når du går videre")
    assert browser.find_element(By.ID, "item-1-1").is_selected()
    assert saved_answers(app) == []
