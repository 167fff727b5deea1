"""WCAG 2.1 AA in a real browser: axe-core finds no violation on any respondent page, in any language.

Each language walks a real invitation (adults' package start: PHQ-9, GAD-7,
CORE-10, WSAS) from the link to the thank-you page, and every page on the way
is checked at 320 px and at 1280 px: welcome, the instrument-language choice
(where an instrument lacks the language), every questionnaire page, a page
with its "please answer" errors, the review with required answers missing
(and refused when sent anyway), with allowed answers missing and with none,
the critical-answer page, the thank-you page with the respondent's own
scores, and the answered-link page. Then: the code entry page with and without
its error, the expired, unknown and ended-session pages, the clinic-tablet
flow (code → thank-you → back to /code), the language menu opened and used on
a question page. A second browser with JavaScript switched off walks the
whole flow too.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pro_service import db, definitions
from pro_service.i18n import LOCALES, RTL_LOCALES
from pro_service.pathways.operations import create_unit, register_patient, start_pathway
from pro_service.types import utcnow

QUESTION_PAGE = re.compile(r"^/survey/q/(\d+)/(\d+)$")
LANGUAGE_PAGE = re.compile(r"^/survey/q/(\d+)/language$")
PHQ9 = 1  # the adults' start plan lists PHQ-9 first: its item 9 is the critical one
CORE10, WSAS = 3, 4


@dataclass(frozen=True)
class Link:
    url: str
    code: str


@pytest.fixture
def invite(app, live_server):
    """invite(language, days_ago=0): a fresh unit, patient and adults' pathway; returns the link and code."""

    def make(language: str, *, days_ago: int = 0) -> Link:
        with app.app_context():
            session = db.session()
            unit = create_unit(code=f"T{uuid.uuid4().hex[:10]}", name="DPS Nordbyen", phone="22 11 22 33",
                               email="post@dps.example.no")
            patient, _ = register_patient(unit=unit, external_id="EPR-1", name="Kari Nordmann", language=language,
                                          birth_date=date(1980, 2, 1))
            _, registration = start_pathway(patient=patient, package=definitions.packages()["mh_adults"],
                                            started_at=utcnow() - timedelta(days=days_ago), by="dr",
                                            base_url=live_server)
            session.commit()
            issued = registration.invitations[0]
            return Link(url=issued.link, code=issued.short_code)

    return make


def path(driver) -> str:
    return urlparse(driver.current_url).path


def _replaced(element) -> bool:
    try:
        element.tag_name
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        # ChromeDriver answers this, not "stale element", for an element of a replaced document.
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


def click_and_wait(driver, selector: str, by: str = By.CSS_SELECTOR) -> None:
    """Click what submits or navigates, and wait until the next page has replaced this one and loaded."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(by, selector).click()
    WebDriverWait(driver, 15).until(lambda _: _replaced(page))
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def assert_language(driver, locale: str) -> None:
    html = driver.find_element(By.TAG_NAME, "html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (
        locale, "rtl" if locale in RTL_LOCALES else "ltr"), f"{path(driver)} is not in {locale}"


def answer_page(driver, skip=lambda questionnaire, item: False, only_unanswered: bool = False) -> None:
    """Choose an option for every item on this page: the lowest, but 1 for PHQ-9 item 9 (critical)."""
    questionnaire = int(QUESTION_PAGE.match(path(driver)).group(1))
    for fieldset in driver.find_elements(By.CSS_SELECTOR, "fieldset.item"):
        item = int(fieldset.get_attribute("id").removeprefix("item-"))
        if skip(questionnaire, item):
            continue
        if only_unanswered and fieldset.find_elements(By.CSS_SELECTOR, "input:checked"):
            continue
        option = 1 if (questionnaire, item) == (PHQ9, 9) else 0
        fieldset.find_element(By.CSS_SELECTOR, f"label[for='item-{item}-{option}']").click()


def save_page(driver) -> None:
    click_and_wait(driver, "button[name='nav'][value='next']")


def choose_first_language(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "label[for='language-0']").click()
    click_and_wait(driver, "form button[type='submit'].button")


def _leave_open(questionnaire: int, item: int) -> bool:
    # CORE-10 may be prorated with one item missing; WSAS left empty cannot be scored.
    return (questionnaire, item) == (CORE10, 1) or questionnaire == WSAS


def walk(driver, link: Link, locale: str, check, *, tablet: bool = False) -> list[str]:
    """Answer the invitation to the end; `check(where)` is called on every page. Returns the pages seen.

    On a tablet the respondent types the short code at /code instead of opening the link.
    """
    seen = []

    def at(where: str) -> None:
        assert_language(driver, locale)
        seen.append(where)
        check(f"{where} [{locale}]")

    if tablet:
        driver.get(link.url.split("/i/")[0] + "/code")
        driver.find_element(By.ID, "code").send_keys(link.code)
        click_and_wait(driver, "main form button[type='submit']")
    else:
        driver.get(link.url)
    assert path(driver) == "/survey", "the link or code should lead, without its token, to the welcome page"
    at("welcome")
    click_and_wait(driver, "main a.button")

    # First pass: every page, leaving CORE-10 item 1 and all of WSAS open.
    while path(driver) != "/survey/review":
        if match := LANGUAGE_PAGE.match(path(driver)):
            at(f"instrument language choice q{match.group(1)}")
            choose_first_language(driver)
            continue
        match = QUESTION_PAGE.match(path(driver))
        assert match, f"unexpected page {driver.current_url}"
        at(f"questionnaire q{match.group(1)} page {match.group(2)}")
        answer_page(driver, skip=_leave_open)
        save_page(driver)
        assert len(seen) < 40, "the walk does not reach the review page"

    at("review, required answers missing")
    # Sending now is refused with the problems listed, and nothing is stored.
    click_and_wait(driver, "form[action$='/survey/submit'] button")
    assert path(driver) == "/survey/submit" and driver.find_elements(By.CSS_SELECTOR, ".error-summary a")
    at("review, sending refused")

    # A required item's link opens its page with the errors shown.
    click_and_wait(driver, "//ul[@class='unanswered']/li[strong]/a", By.XPATH)
    assert QUESTION_PAGE.match(path(driver)) and "check=1" in driver.current_url
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary, .field-error")
    at("questionnaire page with errors")
    answer_page(driver, skip=lambda q, i: (q, i) == (CORE10, 1), only_unanswered=True)
    save_page(driver)
    while path(driver) != "/survey/review":  # WSAS is the last questionnaire: its pages lead to the review
        answer_page(driver, only_unanswered=True)
        save_page(driver)

    at("review, allowed answers missing")
    assert driver.find_elements(By.CSS_SELECTOR, "ul.unanswered a")
    assert driver.find_elements(By.CSS_SELECTOR, "form[action$='/survey/submit']")

    click_and_wait(driver, "ul.unanswered a")
    answer_page(driver, only_unanswered=True)
    save_page(driver)
    driver.get(driver.current_url.split("/survey/")[0] + "/survey/review")
    assert not driver.find_elements(By.CSS_SELECTOR, "ul.unanswered a")
    at("review, all answered")

    click_and_wait(driver, "form[action$='/survey/submit'] button")
    assert path(driver) == "/survey/done"
    assert "113" in driver.find_element(By.TAG_NAME, "main").text
    at("critical answer")
    click_and_wait(driver, "main a.button")
    assert path(driver) == "/survey/thanks"
    at("thank you, tablet" if tablet else "thank you")
    if tablet:
        click_and_wait(driver, "main a.button")
        assert path(driver) == "/code"

    driver.get(link.url)
    at("link already answered")
    return seen


@pytest.mark.parametrize("locale", list(LOCALES))
def test_not_found_page(browser, live_server, browser_language, assert_accessible, locale):
    browser_language(locale)

    assert_accessible(f"{live_server}/no-such-page", where=f"the 404 page ({locale})")

    assert_language(browser, locale)


@pytest.mark.parametrize("locale", list(LOCALES))
def test_every_page_of_an_answered_invitation(browser, browser_language, assert_accessible, invite, locale):
    browser_language(locale)

    seen = walk(browser, invite(locale), locale, check=lambda where: assert_accessible(None, where=where))

    assert {"welcome", "critical answer", "thank you"} <= set(seen)
    assert any(where.startswith("questionnaire q4") for where in seen)


@pytest.mark.parametrize("locale", ["nb", "ar"])
def test_every_page_answered_on_a_clinic_tablet(browser, browser_language, assert_accessible, invite, locale):
    browser_language(locale)

    seen = walk(browser, invite(locale), locale, check=lambda where: assert_accessible(None, where=where),
                tablet=True)

    assert "thank you, tablet" in seen


@pytest.mark.parametrize("locale", list(LOCALES))
def test_code_entry_and_link_problem_pages(browser, live_server, browser_language, assert_accessible, invite, locale):
    browser_language(locale)

    assert_accessible(f"{live_server}/code", where=f"code entry [{locale}]")
    assert_language(browser, locale)
    browser.find_element(By.ID, "code").send_keys("ABCD2345")
    click_and_wait(browser, "main form button[type='submit']")
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert_accessible(None, where=f"code entry with an error [{locale}]")

    assert_accessible(invite(locale, days_ago=100).url, where=f"expired link [{locale}]")
    assert_language(browser, locale)
    assert_accessible(f"{live_server}/i/no-such-token-{locale}", where=f"unknown link [{locale}]")
    assert_language(browser, locale)
    assert_accessible(f"{live_server}/survey", where=f"no respondent session (ended) [{locale}]")
    assert_language(browser, locale)


@pytest.mark.parametrize("locale", ["nb", "ar"])
def test_the_flow_works_without_javascript(browser_without_js, browser_language, invite, locale):
    driver = browser_without_js
    driver.get("data:text/html,<title>off</title><script>document.title = 'on'</script>")
    assert driver.title == "off", "this browser should not run the page's scripts"
    browser_language(locale, driver=driver)

    seen = walk(driver, invite(locale), locale, check=lambda where: None)

    assert seen[-3:] == ["critical answer", "thank you", "link already answered"]


def test_the_checks_find_what_they_look_for(browser, assert_accessible):
    """A page with a known fault fails both checks, so a green suite means something."""
    faulty = ("data:text/html;charset=utf-8,<html><body><img src='x.png'>"
              "<p style='width:600px'>wide</p></body></html>")

    with pytest.raises(AssertionError) as failure:
        assert_accessible(faulty, where="a faulty page")

    message = str(failure.value)
    assert "image-alt (critical)" in message and "html-has-lang" in message
    assert "https://dequeuniversity.com/rules/axe/" in message
    assert "scrolls sideways at 320 px" in message and "p (8..608 px)" in message


def test_changing_language_on_a_question_page_keeps_the_answers(browser, browser_language, assert_accessible,
                                                                invite):
    browser_language("nb")
    browser.get(invite("nb").url)
    click_and_wait(browser, "main a.button")
    assert path(browser) == "/survey/q/1/1"
    answer_page(browser, skip=lambda q, item: item > 3)

    browser.find_element(By.CSS_SELECTOR, ".language-menu summary").click()
    assert_accessible(None, where="question page with the language menu open [nb]")
    click_and_wait(browser, ".language-menu button[value='ar']")

    assert path(browser) == "/survey/q/1/1"
    assert_language(browser, "ar")
    checked = [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "fieldset.item input:checked")]
    assert checked == ["item-1-0", "item-2-0", "item-3-0"]
    browser.find_element(By.CSS_SELECTOR, ".language-menu summary").click()
    assert_accessible(None, where="question page with the language menu open [ar]")
