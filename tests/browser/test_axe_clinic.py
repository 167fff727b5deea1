"""The clinic pages, filled by the demo (charts, evaluation, alert, GP letters, own goals, the patient's view,
follow-up after the end), are axe-clean in the clinicians' languages."""
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from pro_service.auth.models import USER_LANGUAGES


@pytest.mark.parametrize("locale", USER_LANGUAGES)
def test_clinic_pages(browser, live_server, browser_language, assert_accessible, demo, log_in, locale):
    browser_language(locale)
    log_in(*demo.clinician)
    browser.get(f"{live_server}/clinic/")
    caseload = browser.page_source
    kari = re.search(r'href="(/clinic/pathways/[0-9a-f]{32})"[^>]*>Kari Nordmann<', caseload).group(1)
    browser.get(live_server + kari)
    response = re.search(r'href="(/clinic/responses/[0-9a-f]{32})"', browser.page_source).group(1)
    letters = re.findall(r'href="(/clinic/pathways/[0-9a-f]{32}/milestones/[0-9a-f]{32}/letter)"', browser.page_source)
    assert len(letters) == 2  # clinical decision (finalized) and evaluation (not started)
    contact = re.search(r'href="(/clinic/pathways/[0-9a-f]{32}/respondents/[0-9a-f]{32})"',
                        browser.page_source).group(1)
    ahmed = re.search(r'href="(/clinic/pathways/[0-9a-f]{32})"[^>]*>Ahmed Ali<', caseload).group(1)
    # Nora ended with own goals rated over time and a follow-up answered; ended pathways are listed on request.
    browser.get(f"{live_server}/clinic/?ended=1")
    nora = re.search(r'href="(/clinic/pathways/[0-9a-f]{32})"[^>]*>Nora Lie<', browser.page_source).group(1)
    browser.get(live_server + ahmed)
    paper = re.search(r'href="(/clinic/assessments/[0-9a-f]{32}/paper)"', browser.page_source).group(1)

    try:
        for path, where in (("/clinic/", "caseload"), (kari, "pathway"), (f"{kari}/evaluation", "evaluation"),
                            (response, "answers"), ("/clinic/alerts", "alerts"), (ahmed, "open pathway"),
                            (paper, "paper answers"), (letters[0], "finalized letter"), (letters[1], "letter"),
                            ("/clinic/pathways/new", "new pathway"), (contact, "contact details"),
                            (nora, "ended pathway with goals and follow-up"),
                            (f"{nora}/evaluation", "evaluation with goals and the patient's view")):
            assert_accessible(live_server + path, where=f"the clinic {where} page ({locale})")
        # A goal's wording changed without ticking "the patient is present": refused beside the form.
        browser.get(live_server + nora)
        wording = browser.find_elements(By.CSS_SELECTOR, ".goal-card details summary")[1]
        browser.execute_script("arguments[0].scrollIntoView()", wording)
        wording.click()
        browser.find_element(By.CSS_SELECTOR, ".goal-card form button").click()
        WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".goal-card .field-error"))
        assert_accessible(None, where=f"the clinic refused goal wording ({locale})")
    finally:
        browser.delete_all_cookies()
