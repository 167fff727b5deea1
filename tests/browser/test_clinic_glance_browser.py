"""Issue 13, clinician: at a glance. With the demo and six more pathways (started and answered through the same
operations the demo uses), ten or more caseload rows fit a 1440×900 screen above the fold; the evaluation page has
one card per instrument, each with its chart and its change category. Both pages pass axe. With CLINIC_SHOTS=<dir>
the pages are also saved as screenshots at 390 and 1440 px."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from sqlmodel import select

from pro_service import definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.models import Unit
from pro_service.pathways.operations import register_milestone, register_patient, start_pathway
from pro_service.types import utcnow
from test_clinic_priorities_browser import SHOTS, _shoot

MORE = [  # (external id, name, package, PHQ-9 at start, PHQ-9 at the clinical decision)
    ("GLANCE-1", "Per Olsen", "mh_adults", 18, 11),
    ("GLANCE-2", "Ingrid Dahl", "mh_adults", 14, 15),
    ("GLANCE-3", "Jonas Bakke", "tsb", 12, 6),
    ("GLANCE-4", "Sara Haugen", "mh_adults", 22, 20),
    ("GLANCE-5", "Ali Hassan", "psychosis", 9, 9),
    ("GLANCE-6", "Maja Strand", "mh_adults", 16, 8),
]


@pytest.fixture
def crowded(session, demo):
    """The demo unit with eleven open pathways."""
    packages = definitions.packages()
    unit = session.exec(select(Unit)).one()
    now = utcnow().replace(microsecond=0)
    for external_id, name, package_id, first, second in MORE:
        package = packages[package_id]
        patient, _ = register_patient(unit=unit, external_id=external_id, name=name, birth_date=date(1980, 1, 1),
                                      language="nb")
        pathway, registration = start_pathway(patient=patient, package=package, by="demo",
                                              base_url="https://pro.example.no", started_at=now - timedelta(days=40))
        for item in registration.invitations:
            answer_invitation(item.invitation, {"phq9": first, "gad7": first - 2, "audit": first, "core10": first, "wsas": first}, now=now -
                              timedelta(days=39))
        if "clinical_decision" in {m.id for m in package.milestones}:
            registration = register_milestone(pathway=pathway, package=package, milestone_id="clinical_decision",
                                              occurred_at=now - timedelta(days=10), by="demo",
                                              base_url="https://pro.example.no")
            for item in registration.invitations:
                answer_invitation(item.invitation, {"phq9": second, "gad7": second - 2, "audit": second, "core10": second, "wsas": second},
                                  now=now - timedelta(days=9))
    session.commit()
    return demo


def test_ten_rows_above_the_fold_and_one_card_per_instrument(browser, live_server, browser_language,
                                                            assert_accessible, crowded, log_in):
    browser_language("en")
    log_in(*crowded.clinician)
    try:
        browser.set_window_size(1440, 900)
        browser.get(f"{live_server}/clinic/")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.caseload tbody tr")
        assert len(rows) >= 10
        fold = browser.execute_script("return window.innerHeight")
        if SHOTS:
            browser.save_screenshot(f"{SHOTS}/glance-fold-1440.png")
        visible = [r for r in rows if browser.execute_script(
            "return arguments[0].getBoundingClientRect().bottom", r) <= fold]
        assert len(visible) >= 10, f"only {len(visible)} rows above the fold of {fold} px"
        assert not browser.find_element(By.ID, "package").get_attribute("multiple")
        _shoot(browser, "glance-caseload")
        assert_accessible(None, where="the crowded caseload")

        kari = re.search(r'href="(/clinic/pathways/[0-9a-f]{32})"[^>]*>Kari Nordmann<', browser.page_source).group(1)
        browser.get(f"{live_server}{kari}/evaluation")
        cards = browser.find_elements(By.CSS_SELECTOR, ".eval-card")
        assert len(cards) == 4  # PHQ-9, GAD-7, CORE-10, WSAS (the readiness question is words, not a change)
        for card in cards:
            assert card.find_elements(By.CSS_SELECTOR, "svg.chart")
            assert card.find_element(By.CSS_SELECTOR, ".category").text.strip()
            assert "→" in card.find_element(By.CSS_SELECTOR, ".eval-scores").text
        basis = browser.find_elements(By.CSS_SELECTOR, "details.eval-details")
        assert basis and not basis[0].get_attribute("open")
        _shoot(browser, "glance-evaluation")
        assert_accessible(None, where="the evaluation cards")
    finally:
        browser.delete_all_cookies()
