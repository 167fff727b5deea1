"""AUDIT's skip rules in a real browser, with JavaScript and without; the review's question about an unanswered
critical item, checked with axe-core."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlmodel import select

from pro_service import db, definitions
from pro_service.pathways.models import Alert, AlertKind, Assessment, Response
from pro_service.pathways.operations import create_unit, register_patient, start_pathway
from pro_service.types import utcnow

from test_axe_pages import click_and_wait, path, save_page

AUDIT_PAGE = "/survey/q/1/1"  # the TSB start plan lists AUDIT first, then DUDIT and PHQ-9
PHQ9 = 3


@pytest.fixture
def tsb_link(app, live_server) -> str:
    with app.app_context():
        session = db.session()
        unit = create_unit(code=f"T{uuid.uuid4().hex[:10]}", name="TSB Nordbyen", phone="22 11 22 33")
        patient, _ = register_patient(unit=unit, external_id="EPR-1", name="Ola Hansen", language="en",
                                      birth_date=date(1975, 9, 3))
        _, registration = start_pathway(patient=patient, package=definitions.packages()["tsb"],
                                        started_at=utcnow() - timedelta(days=1), by="dr", base_url=live_server)
        session.commit()
        return registration.invitations[0].link


def items_shown(driver) -> list[int]:
    return [int(f.get_attribute("data-item")) for f in driver.find_elements(By.CSS_SELECTOR, "fieldset.item")
            if f.is_displayed()]


def choose(driver, item: int, position: int) -> None:
    driver.find_element(By.CSS_SELECTOR, f"label[for='item-{item}-{position}']").click()


def audit_answers(app) -> dict:
    with app.app_context():
        return db.session().exec(select(Response.answers).join(Assessment, Assessment.id == Response.assessment_id)
                                 .where(Assessment.instrument_id == "audit")).one()


def test_without_javascript_a_never_drinker_answers_items_1_9_and_10(app, browser_without_js, browser_language,
                                                                      tsb_link, live_server):
    driver = browser_without_js
    browser_language("en", driver=driver)
    driver.get(tsb_link)
    driver.get(live_server + AUDIT_PAGE)
    assert items_shown(driver) == [1]

    choose(driver, 1, 0)  # "Never"
    save_page(driver)
    assert path(driver) == "/survey/q/1/2" and items_shown(driver) == [9, 10]
    choose(driver, 9, 0)
    choose(driver, 10, 0)
    save_page(driver)

    assert path(driver) == "/survey/q/2/1"  # on to DUDIT after three answers
    assert audit_answers(app) == {"1": 0, "9": 0, "10": 0}


def test_with_javascript_skipped_items_hide_and_come_back_as_item_1_changes(app, browser, browser_language,
                                                                            assert_accessible, tsb_link, live_server):
    browser_language("en")
    browser.get(tsb_link)
    browser.get(live_server + AUDIT_PAGE)
    assert items_shown(browser) == list(range(1, 11))  # the script's cookie: one page, hidden as answers change

    choose(browser, 1, 0)  # "Never"
    assert items_shown(browser) == [1, 9, 10]
    choose(browser, 1, 1)  # "Monthly or less": items 2-8 are asked again
    assert items_shown(browser) == list(range(1, 11))
    choose(browser, 2, 0)
    choose(browser, 3, 0)  # 2 and 3 both score 0: items 4-8 are not asked
    assert items_shown(browser) == [1, 2, 3, 9, 10]
    choose(browser, 1, 0)
    assert items_shown(browser) == [1, 9, 10]
    assert_accessible(None, where="AUDIT with skipped items hidden")

    choose(browser, 9, 0)
    choose(browser, 10, 1)
    save_page(browser)

    assert path(browser) == "/survey/q/2/1"
    WebDriverWait(browser, 10).until(lambda _: audit_answers(app) == {"1": 0, "9": 0, "10": 1})


def test_the_review_asks_once_about_an_unanswered_critical_item(app, browser, browser_language, assert_accessible,
                                                                tsb_link, live_server):
    browser_language("en")
    browser.get(tsb_link)
    browser.get(live_server + AUDIT_PAGE)
    while path(browser) != "/survey/review":
        questionnaire = int(path(browser).split("/")[3])
        for item in items_shown(browser):
            if (questionnaire, item) != (PHQ9, 9) and item in items_shown(browser):  # "Never" hides 2-8
                choose(browser, item, 0)
        save_page(browser)

    click_and_wait(browser, "form[action$='/survey/submit'] button")
    assert path(browser) == "/survey/submit" and browser.find_elements(By.ID, "open-critical")
    assert "113" not in browser.find_element(By.TAG_NAME, "main").text
    assert_accessible(None, where="review asking about an unanswered critical item")

    click_and_wait(browser, "form[action$='/survey/submit'] button")
    assert urlparse(browser.current_url).path == "/survey/thanks"
    with app.app_context():
        [alert] = db.session().exec(select(Alert)).all()
        assert (alert.item, alert.kind, alert.value) == (9, AlertKind.UNANSWERED, None)
