"""The respondent's pages as a phone shows them (issue 13): numbers read in order in Arabic, the start in view.

Set RESPONDENT_SCREENSHOTS=<folder> to also save each page at 390 and 1440 px
in Arabic and Norwegian, for a person to look at.
"""
from __future__ import annotations

import os
from pathlib import Path

from selenium.webdriver.common.by import By

from test_axe_pages import LANGUAGE_PAGE, QUESTION_PAGE, answer_page, click_and_wait, invite, path, save_page  # noqa: F401

PHONE = (390, 844)
WIDE = (1440, 900)
SHOTS = os.environ.get("RESPONDENT_SCREENSHOTS")

# Where each digit of a text lands on screen: one rect per character, in the text's logical order.
_DIGIT_XS = """
const element = arguments[0];
const text = element.firstChild;
const xs = [];
for (let i = 0; i < text.length; i++) {
  if (!/[0-9]/.test(text.data[i])) continue;
  const range = document.createRange();
  range.setStart(text, i); range.setEnd(text, i + 1);
  xs.push(range.getClientRects()[0].left);
}
return xs;
"""


def _size(driver, width: int, height: int) -> None:
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner != [width, height]:
        driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])


def _shoot(driver, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width, height in (PHONE, WIDE):
        _size(driver, width, height)
        full = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, max(height, full))
        driver.save_screenshot(str(Path(SHOTS) / f"{name}-{width}.png"))
    _size(driver, *PHONE)


def _walk_to_review(driver, locale: str) -> None:
    while path(driver) != "/survey/review":
        if LANGUAGE_PAGE.match(path(driver)):
            _shoot(driver, f"{locale}-language")
            click_and_wait(driver, "main form button[type='submit']")  # the preselected language
        else:
            where = QUESTION_PAGE.match(path(driver))
            assert where, path(driver)
            if where.group(2) == "1":
                _shoot(driver, f"{locale}-q{where.group(1)}")
            answer_page(driver)
            save_page(driver)


def test_arabic_crisis_page_reads_phone_numbers_left_to_right(browser, browser_language, invite):
    for locale in ("ar", "nb"):
        browser_language(locale)
        link = invite(locale)
        browser.get(link.url)
        _size(browser, *PHONE)
        _shoot(browser, f"{locale}-welcome")
        start = browser.find_element(By.CSS_SELECTOR, "main a.button#start")
        assert start.rect["y"] + start.rect["height"] <= PHONE[1], "the start button is below the fold"
        click_and_wait(browser, "main a.button#start")
        _walk_to_review(browser, locale)
        browser.execute_script("document.querySelectorAll('details.review-answers').forEach(d => d.open = true)")
        _shoot(browser, f"{locale}-review")
        click_and_wait(browser, "form[action$='/survey/submit'] button")
        assert path(browser) == "/survey/done"
        _shoot(browser, f"{locale}-critical")
        if locale == "ar":
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
            phones = browser.find_elements(By.CSS_SELECTOR, "a.phone > bdi[dir='ltr']")
            assert [p.text for p in phones] == ["113", "116 117", "22 11 22 33"]
            for size in (PHONE, WIDE):  # on its own line on a phone, inside the sentence's line on a wide screen
                _size(browser, *size)
                for phone in phones[1:]:
                    xs = browser.execute_script(_DIGIT_XS, phone)
                    assert xs == sorted(xs) and len(set(xs)) == len(xs), f"{phone.text} reads out of order at {size}"
            _size(browser, *PHONE)
        click_and_wait(browser, "main a.button")
        assert path(browser) == "/survey/thanks"
        _shoot(browser, f"{locale}-thanks")
        summaries = browser.find_elements(By.CSS_SELECTOR, "p.score-summary")
        assert len(summaries) == len(browser.find_elements(By.CSS_SELECTOR, "section.history")) > 0
        assert not browser.find_elements(By.CSS_SELECTOR, "section.history svg")  # one score each: no chart
        browser.get(link.url.split("/i/")[0] + "/code")
        _shoot(browser, f"{locale}-code")
