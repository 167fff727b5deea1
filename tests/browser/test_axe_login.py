"""The clinician's login page, empty and with its errors, is axe-clean in the clinicians' languages."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from pro_service.auth.models import USER_LANGUAGES
from pro_service.extensions import limiter


@pytest.mark.parametrize("locale", USER_LANGUAGES)
def test_login_page_and_its_errors(browser, live_server, browser_language, assert_accessible, locale):
    browser_language(locale)
    limiter.reset()

    assert_accessible(f"{live_server}/login", where=f"the login page ({locale})")
    browser.find_element(By.ID, "email").send_keys("nobody@example.no")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

    # The click starts a navigation; wait for the answer page rather than racing it.
    summary_link = WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".error-summary a"))
    )
    assert summary_link.get_attribute("href").endswith("#password")
    assert_accessible(None, where=f"the login page with an error ({locale})")
