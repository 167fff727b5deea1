"""Issue 13, clinician: in a real Chromium, a fresh critical answer tops the caseload and stands out; the pathway
page's summary comes before its charts; a letter is finalized only after the confirming tick. Every page checked
here passes axe. With CLINIC_SHOTS=<dir> the pages are also saved as screenshots at 390 and 1440 px."""
from __future__ import annotations

import os
import re
from datetime import UTC, datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from sqlmodel import select

from pro_service.pathways.models import Alert, Pathway, Patient

SHOTS = os.environ.get("CLINIC_SHOTS")


def _shoot(browser, name: str) -> None:
    """Full-page screenshots at 390 and 1440 px, for a person to look at (only when CLINIC_SHOTS is set)."""
    if not SHOTS:
        return
    for width in (390, 1440):
        browser.set_window_size(width, 900)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(height + 140, 6000))
        browser.save_screenshot(os.path.join(SHOTS, f"{name}-{width}.png"))
    browser.set_window_size(1440, 900)


def _top(browser, css: str) -> float:
    return browser.execute_script("return document.querySelector(arguments[0]).getBoundingClientRect().top", css)


def test_fresh_critical_answer_tops_the_caseload(browser, live_server, browser_language, assert_accessible, session,
                                                 demo, log_in):
    alerts = session.exec(select(Alert)).all()
    fresh = alerts[-1]
    for alert in alerts:  # every other alert acknowledged: only one, raised just now, is open
        if alert is not fresh:
            alert.acknowledged_at, alert.acknowledged_by, alert.note = datetime.now(UTC), "demo", "Fulgt opp."
    fresh.created_at = datetime.now(UTC)
    name = session.exec(select(Patient.name).join(Pathway, Pathway.patient_id == Patient.id)
                        .where(Pathway.id == fresh.pathway_id)).one()
    session.commit()
    browser_language("en")
    log_in(*demo.clinician)
    try:
        browser.set_window_size(1440, 900)
        browser.get(f"{live_server}/clinic/")
        first = browser.find_element(By.CSS_SELECTOR, "table.caseload tbody tr")
        assert first.find_element(By.CSS_SELECTOR, "th a").text == name
        assert "row--urgent" in first.get_attribute("class")  # unmistakable from the first minute
        assert first.find_element(By.CSS_SELECTOR, ".alert-badge").text == "1 åpent varsel"  # the demo reads bokmål
        assert browser.find_element(By.CSS_SELECTOR, ".clinic-nav .nav-count").text.startswith("1")
        _shoot(browser, "caseload")
        assert_accessible(None, where="the caseload (fresh alert first)")
        browser.get(f"{live_server}/clinic/alerts")
        _shoot(browser, "alerts")
        assert_accessible(None, where="the alerts queue")
    finally:
        browser.delete_all_cookies()


def test_pathway_summary_before_charts_and_letter_needs_confirmation(browser, live_server, browser_language,
                                                                     assert_accessible, demo, log_in):
    browser_language("en")
    log_in(*demo.clinician)
    try:
        browser.set_window_size(1440, 900)
        browser.get(f"{live_server}/clinic/")
        kari = re.search(r'href="(/clinic/pathways/[0-9a-f]{32})"[^>]*>Kari Nordmann<', browser.page_source).group(1)
        browser.get(live_server + kari)
        assert _top(browser, "#summary-title") < _top(browser, "#trajectories") < _top(browser, "svg.chart")
        assert _top(browser, "svg.chart") < _top(browser, "#timeline")
        assert not browser.find_element(By.ID, "milestone").is_displayed()  # the form opens on demand
        _shoot(browser, "pathway")
        browser.get(f"{live_server}{kari}/evaluation")
        _shoot(browser, "evaluation")

        browser.get(live_server + kari)
        letters = re.findall(r'href="(/clinic/pathways/[0-9a-f]{32}/milestones/[0-9a-f]{32}/letter)"',
                             browser.page_source)
        browser.get(live_server + letters[-1])  # the evaluation's letter, not finalized yet
        browser.find_element(By.CSS_SELECTOR, "button[formaction$='/finalize']").click()
        # A loaded CI machine may still show the old page just after the click: wait for the answer.
        refused = WebDriverWait(browser, 20).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
        # the app's message, in the demo clinician's bokmål
        assert "Kryss av i boksen for å bekrefte før brevet ferdigstilles." in refused.text
        assert not browser.find_elements(By.ID, "versions")
        browser.find_element(By.ID, "confirm").click()
        browser.find_element(By.CSS_SELECTOR, "button[formaction$='/finalize']").click()
        versions = WebDriverWait(browser, 20).until(
            expected_conditions.presence_of_element_located((By.ID, "versions")))
        assert versions.is_displayed()
        _shoot(browser, "letter")
        assert_accessible(None, where="the finalized letter page")
    finally:
        browser.delete_all_cookies()


def test_login_page_language_choice(browser, live_server, browser_language, assert_accessible):
    browser_language("en")
    browser.get(f"{live_server}/login")
    _shoot(browser, "login")
    assert_accessible(None, where="the login page with its language menu")
    assert browser.find_element(By.ID, "email").get_attribute("autocomplete") == "email"
