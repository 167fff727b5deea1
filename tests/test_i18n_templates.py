"""Templates translate in the locale they are rendered in: the page's, or one forced (a letter's)."""
from __future__ import annotations

from flask import render_template_string

from pro_service.i18n import force_locale

PLURAL = ("{{ ngettext('You were logged out after %(num)d minute without activity. Please log in again.', "
          "'You were logged out after %(num)d minutes without activity. Please log in again.', 5) }}")
MENU = '{% from "survey/_macros.html" import language_menu %}{{ language_menu(locales, "nb", "answers") }}'


def test_a_template_translates_in_the_request_locale_and_in_a_forced_one(app):
    with app.test_request_context("/", headers={"Accept-Language": "nb"}):
        assert render_template_string("{{ _('Skip to content') }}") == "Gå til innholdet"
        with force_locale("da"):
            assert render_template_string("{{ _('Skip to content') }}") == "Gå til indholdet"
        assert render_template_string("{{ _('Skip to content') }}") == "Gå til innholdet"


def test_plural_forms_and_their_number(app):
    with app.test_request_context("/", headers={"Accept-Language": "nb"}):
        norwegian = render_template_string(PLURAL)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = render_template_string(PLURAL)

    assert english == "You were logged out after 5 minutes without activity. Please log in again."
    assert "5" in norwegian and norwegian != english


def test_a_macro_imported_without_context_translates_in_the_locale_of_each_render(app):
    from pro_service.i18n import LOCALES

    with app.test_request_context("/", headers={"Accept-Language": "nb"}):
        assert "Språk" in render_template_string(MENU, locales=LOCALES)
        with force_locale("en"):
            assert "Language" in render_template_string(MENU, locales=LOCALES)
