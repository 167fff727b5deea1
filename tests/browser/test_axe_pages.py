"""WCAG 2.1 AA in a real browser: axe-core finds no violation on any respondent page, in any language."""
from __future__ import annotations

import pytest

from pro_service.i18n import LOCALES, RTL_LOCALES

pytestmark = pytest.mark.usefixtures("clean_database")


@pytest.mark.parametrize("locale", list(LOCALES))
def test_not_found_page(browser, live_server, browser_language, assert_accessible, locale):
    browser_language(locale)

    assert_accessible(f"{live_server}/no-such-page", where=f"the 404 page ({locale})")

    html = browser.find_element("tag name", "html")
    assert html.get_attribute("lang") == locale
    assert html.get_attribute("dir") == ("rtl" if locale in RTL_LOCALES else "ltr")
