"""On a phone the caseload is one card per patient: every cell is on screen, named by its column, and the
caseload does not scroll sideways inside its box (before, the change and the time limits sat off screen).
A TSB pathway's care-setting form, opened, is axe-clean too. The pathway page's latest scores do the same on a
phone, and on a desktop a long band name wraps instead of pushing the change column out of its box."""
from __future__ import annotations

import re

from selenium.webdriver.common.by import By


def _cells_named_and_on_screen(browser, selector: str) -> list:
    width = browser.execute_script("return document.documentElement.clientWidth")
    cells = browser.find_elements(By.CSS_SELECTOR, selector)
    assert cells
    for cell in cells:
        right = browser.execute_script("return arguments[0].getBoundingClientRect().right", cell)
        assert right <= width, f"a cell ends at {right} px on a {width} px screen: {cell.text!r}"
        label = browser.execute_script("return getComputedStyle(arguments[0], '::before').content", cell)
        assert label.strip('"') == cell.get_attribute("data-label")
    return cells


def _olas_pathway(browser) -> str:
    """The path of Ola Hansen's pathway page (the demo's TSB patient), from the caseload the browser shows."""
    return re.search(r'href="(/clinic/pathways/[0-9a-f]{32})"[^>]*>Ola Hansen<', browser.page_source).group(1)


def _no_sideways_scroll(browser, selector: str) -> bool:
    box = browser.find_element(By.CSS_SELECTOR, selector)
    return browser.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", box)


def test_caseload_rows_are_cards_on_a_phone(browser, live_server, browser_language, assert_accessible, demo,
                                           log_in):
    browser_language("en")
    log_in(*demo.clinician)
    try:
        browser.set_window_size(390, 844)
        browser.get(f"{live_server}/clinic/")
        assert _no_sideways_scroll(browser, ".caseload-wrap")
        cells = _cells_named_and_on_screen(browser, "table.caseload tbody td")
        headers = [th.get_attribute("textContent").strip()
                   for th in browser.find_elements(By.CSS_SELECTOR, "table.caseload thead th")]
        assert [cell.get_attribute("data-label") for cell in cells[:6]] == headers[1:]  # the clinician's language

        browser.set_window_size(1440, 900)
        browser.get(f"{live_server}/clinic/")
        header = browser.find_element(By.CSS_SELECTOR, "table.caseload thead")
        assert header.is_displayed()  # the desktop keeps its table
        assert_accessible(None, where="the caseload, phone and desktop", widths=(320, 1280))

        browser.get(live_server + _olas_pathway(browser))
        browser.find_element(By.CSS_SELECTOR, "#care-setting summary").click()
        assert browser.find_element(By.ID, "care_setting").is_displayed()
        assert_accessible(None, where="a TSB pathway with its care-setting form open", widths=(320, 1280))
    finally:
        browser.delete_all_cookies()


def test_a_pathways_latest_scores_fit_a_phone_and_a_desktop(browser, live_server, browser_language, demo, log_in):
    browser_language("en")
    log_in(*demo.clinician)
    try:
        browser.get(f"{live_server}/clinic/")
        ola = _olas_pathway(browser)
        browser.set_window_size(390, 844)
        browser.get(live_server + ola)
        assert _no_sideways_scroll(browser, ".summary .table-wrap")
        cells = _cells_named_and_on_screen(browser, "table.summary-scores tbody td")
        headers = [th.get_attribute("textContent").strip()
                   for th in browser.find_elements(By.CSS_SELECTOR, "table.summary-scores thead th")]
        assert [cell.get_attribute("data-label") for cell in cells[:4]] == headers[1:]  # the clinician's language

        browser.set_window_size(1440, 900)
        browser.get(live_server + ola)  # AUDIT's band name is long: it wraps, the change column stays in view
        assert _no_sideways_scroll(browser, ".summary .table-wrap")
    finally:
        browser.delete_all_cookies()
