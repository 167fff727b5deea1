"""Issue 13: a WHO-5 pathway charts both of its banded scales (raw and percentage score), each with its own chart
and table, in a real Chromium; the page passes axe. With CLINIC_SHOTS=<dir> it is saved at 390 and 1440 px."""
from __future__ import annotations

import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from pro_service.extensions import limiter
from pro_service.pathways.models import Unit

SHOTS = os.environ.get("CLINIC_SHOTS")
TEST_PASSWORD = "Blå fjell og grønne enger 7"


def _log_in(browser, live_server, email: str, password: str) -> None:
    limiter.reset()
    browser.get(f"{live_server}/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/clinic"))


def test_who5_pathway_shows_one_chart_per_banded_scale(browser, live_server, browser_language, assert_accessible,
                                                        session, make_pathway):
    from pro_service.auth.users import create_user

    pathway = make_pathway([("start", 0, {"phq9": 12, "who5": 10, "wsas": 20}),
                            ("clinical_decision", 30, {"phq9": 18, "who5": 6, "wsas": 22}),
                            ("evaluation", 90, {"phq9": 7, "who5": 18, "wsas": 10})], package="dk_depression")
    user, _password = create_user(email="banded@example.no", name="Dr Band", unit=session.get(Unit, pathway.unit_id), role="clinician",
                                  language="en", password=TEST_PASSWORD)
    session.commit()
    browser_language("en")
    _log_in(browser, live_server, user.email, TEST_PASSWORD)
    try:
        browser.set_window_size(1440, 900)
        browser.get(f"{live_server}/clinic/pathways/{pathway.id}")
        headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.trajectory h3")]
        assert [h for h in headings if h.startswith("WHO-5")] == [
            "WHO-5 Well-Being Index – Well-being (raw score) – Patient (Pasient 1)",
            "WHO-5 Well-Being Index – Well-being (percentage score) – Patient (Pasient 1)"]
        charts = browser.find_elements(By.CSS_SELECTOR, "section.trajectory svg.chart--trajectory")
        assert len(charts) == len(headings) == 4
        if SHOTS:
            for width in (390, 1440):
                browser.set_window_size(width, 900)
                height = browser.execute_script("return document.documentElement.scrollHeight")
                browser.set_window_size(width, min(height + 140, 8000))
                browser.save_screenshot(os.path.join(SHOTS, f"pathway-banded-{width}.png"))
            browser.set_window_size(1440, 900)
        assert_accessible(None, where="the pathway page with two WHO-5 charts")
    finally:
        browser.delete_all_cookies()
