"""Questionnaire names on the respondent's pages: in the reader's language, even where the items are not.

CORE-10 and WSAS have item texts only in English and bokmål, but their titles
and descriptions are in all ten languages (``label_languages``). A Nynorsk or
Arabic reader sees them named in their language, and is still asked which
language to answer them in: names never make a questionnaire answerable.
"""
from __future__ import annotations

import pytest

from pro_service import definitions
from survey_helpers import PLAN


@pytest.mark.parametrize("language", ["nn", "ar"])
def test_welcome_names_and_describes_every_questionnaire_in_the_readers_language(invite, browser, language):
    issued = invite(language=language)
    catalog = definitions.catalog()
    browser.get(f"/i/{issued.token}")

    welcome = browser.get("/survey").get_data(as_text=True)

    for instrument_id in PLAN:
        instrument = catalog[instrument_id]
        assert f'<span lang="{language}">{instrument.title[language]}</span>' in welcome, instrument_id
        assert f'<span class="hint" lang="{language}">{instrument.description[language]}</span>' in welcome
        assert instrument.title["en"] not in welcome, instrument_id


@pytest.mark.parametrize("language", ["nn", "ar"])
def test_a_questionnaire_without_item_texts_in_the_language_still_asks_which_language_to_use(
        invite, browser, language):
    issued = invite(language=language)
    core10 = definitions.catalog()["core10"]
    number = PLAN.index("core10") + 1
    browser.get(f"/i/{issued.token}")

    page = browser.get(f"/survey/q/{number}/1")
    assert page.status_code == 303
    assert page.headers["Location"] == f"/survey/q/{number}/language"
    choice = browser.get(f"/survey/q/{number}/language").get_data(as_text=True)

    assert f'<strong lang="{language}">{core10.title[language]}</strong>' in choice
    assert f'<span lang="{language}">{core10.description[language]}</span>' in choice
    offered = [code for code in ("en", "nb", "nn", "se", "da", "sv", "ar", "pl", "so", "uk")
               if f'name="language" value="{code}"' in choice]
    assert offered == ["en", "nb"] and set(core10.languages) == {"en", "nb"}
