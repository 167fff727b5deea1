"""The set-password page a one-time password leads to, empty and with its errors, is axe-clean in the clinicians'
languages and does not scroll sideways at 320 px."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from pro_service.auth.models import USER_LANGUAGES
from pro_service.auth.users import create_user
from pro_service.extensions import limiter


@pytest.fixture
def newcomer(session, make_unit):
    def make(language: str):
        user, password = create_user(email="ny.lege@example.no", name="Ny Lege", unit=make_unit(),
                                     role="clinician", language=language)
        session.commit()
        return user.email, password

    return make


@pytest.mark.parametrize("locale", USER_LANGUAGES)
def test_set_password_page_and_its_errors(browser, live_server, browser_language, assert_accessible, newcomer,
                                          locale):
    email, one_time = newcomer(locale)
    browser_language(locale)
    limiter.reset()
    browser.get(f"{live_server}/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(one_time)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/password"))
    try:
        assert_accessible(None, where=f"the set-password page ({locale})")
        browser.find_element(By.ID, "password").send_keys("password1")
        browser.find_element(By.ID, "confirm").send_keys("password1")
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        summary_link = WebDriverWait(browser, 10).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".error-summary a")))
        assert summary_link.get_attribute("href").endswith("#password")
        assert_accessible(None, where=f"the set-password page with errors ({locale})")
    finally:
        browser.delete_all_cookies()
