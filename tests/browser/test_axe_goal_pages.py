"""The goals step (issue 17) passes axe-core at 320 px (and 1280 px) in all ten languages, in one browser.

Per language: a clinical decision's invitation opens on the welcome page (the goals step listed); the write page
empty, refused (nothing written) and filled in; the baseline rating page; the review with the goals; then an
evaluation's invitation opens on the rating page with the goals set before. With GOAL_SHOTS=<dir> the pages are
saved at 390 and 1440 px (en, nb, ar).
"""
from __future__ import annotations

import os
import uuid
from datetime import date, timedelta

from selenium.webdriver.common.by import By
from sqlmodel import select

from pro_service import db, definitions
from pro_service.i18n import LOCALES
from pro_service.pathways.models import MilestoneEvent, Pathway
from pro_service.pathways.operations import create_unit, register_milestone, register_patient, start_pathway
from pro_service.types import utcnow
from test_axe_pages import assert_language, click_and_wait, path

SHOTS = os.environ.get("GOAL_SHOTS")
PHONE_ONLY = (320,)
GOALS = {"ar": "أريد أن أنام طوال الليل وأن أذهب إلى العمل كل يوم",
         "uk": "Я хочу спати всю ніч і щодня ходити на роботу"}
LATIN = "Sove hele natta og gå på jobb hver dag, også når det regner og jeg er sliten"


def _decision(app, base_url: str, locale: str) -> tuple[str, str]:
    """A fresh unit, patient and adults' pathway with its clinical decision an hour ago: (pathway id, link)."""
    with app.app_context():
        package = definitions.packages()["mh_adults"]
        unit = create_unit(code=f"G{uuid.uuid4().hex[:10]}", name="DPS Nordbyen", phone="22 11 22 33")
        patient, _ = register_patient(unit=unit, external_id="EPR-1", name="Kari Nordmann", language=locale,
                                      birth_date=date(1980, 2, 1))
        now = utcnow()
        pathway, _ = start_pathway(patient=patient, package=package, by="dr", base_url=base_url,
                                   started_at=now - timedelta(days=30))
        register_milestone(pathway=pathway, package=package, milestone_id="first_consultation",
                           occurred_at=now - timedelta(days=20), by="dr", base_url=base_url)
        registration = register_milestone(pathway=pathway, package=package, milestone_id="clinical_decision",
                                          occurred_at=now - timedelta(hours=2), by="dr", base_url=base_url)
        db.session().commit()
        return pathway.id, registration.invitations[0].link


def _evaluation(app, base_url: str, pathway_id: str) -> str:
    with app.app_context():
        session = db.session()
        pathway = session.get(Pathway, pathway_id)
        registration = register_milestone(pathway=pathway, package=definitions.packages()["mh_adults"],
                                          milestone_id="evaluation", occurred_at=utcnow() - timedelta(hours=1),
                                          by="dr", base_url=base_url)
        session.commit()
        assert session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway_id)).all()
        return registration.invitations[0].link


def _shoot(driver, name: str) -> None:
    for width in (390, 1440):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(height + 140, 8000))
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{width}.png"))
    driver.set_window_size(1280, 900)


def test_goal_pages_in_every_language(app, browser, live_server, browser_language, assert_accessible):
    for locale in LOCALES:
        browser_language(locale)
        shots = SHOTS and locale in ("en", "nb", "ar")

        def check(where: str, widths=(320, 1280), shot: str | None = None) -> None:
            assert_language(browser, locale)
            if shots and shot:
                _shoot(browser, f"goals-{shot}-{locale}")
            assert_accessible(None, where=f"{where} [{locale}]", widths=widths)

        pathway_id, link = _decision(app, live_server, locale)
        browser.get(link)
        assert browser.find_elements(By.CSS_SELECTOR, "main a[href$='/survey/goals']")
        check("welcome with the goals step", PHONE_ONLY, shot="welcome")

        click_and_wait(browser, "main a[href$='/survey/goals']")
        check("goals: write", shot="write")
        click_and_wait(browser, "button[name='nav'][value='next']")
        assert browser.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#goal-1']")
        check("goals: write, nothing written", PHONE_ONLY, shot="write-refused")

        browser.find_element(By.ID, "goal-1").send_keys(GOALS.get(locale, LATIN))
        browser.find_element(By.ID, "goal-2").send_keys(LATIN)
        click_and_wait(browser, "button[name='nav'][value='next']")
        assert path(browser) == "/survey/goals/rating"
        check("goals: baseline rating", shot="baseline")
        browser.find_element(By.CSS_SELECTOR, "label[for='rating-1-3']").click()
        browser.find_element(By.CSS_SELECTOR, "label[for='rating-2-0']").click()
        if shots:
            _shoot(browser, f"goals-baseline-chosen-{locale}")
        click_and_wait(browser, "button[name='nav'][value='next']")
        assert path(browser) == "/survey/review"
        assert browser.find_elements(By.CSS_SELECTOR, "#goals dl .review-answer")
        check("review with goals", PHONE_ONLY, shot="review")

        browser.delete_all_cookies()
        browser.get(_evaluation(app, live_server, pathway_id))
        click_and_wait(browser, "main a[href$='/survey/goals/rating']")
        assert len(browser.find_elements(By.CSS_SELECTOR, "fieldset.goal-rating")) == 2
        check("goals: rating at an evaluation", shot="rate")
