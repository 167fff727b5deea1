"""Package, milestone and instrument names on the respondent's pages: in their language, or marked with the one shown.

A name the files lack in the reader's language falls back to English; the page
must then say so with ``lang`` (WCAG 3.1.2, language of parts), or a screen
reader reads an English phrase with Polish pronunciation.
"""
from __future__ import annotations

from markupsafe import Markup

from pro_service import definitions
from pro_service.definitions import CATALOG_KEY, PACKAGES_KEY
from pro_service.instruments.catalog import Catalog
from pro_service.instruments.scoring import score
from pro_service.pathways.packages import Packages
from pro_service.i18n import force_locale
from pro_service.survey.context import marked, sentence
from pro_service.survey.welcome import WHY
from pro_service.survey.plan import Phrase, phrase_in
from survey_helpers import PLAN, all_answered, csrf


def _without(text, language: str) -> dict[str, str]:
    return {code: words for code, words in text.items() if code != language}


def test_welcome_says_what_and_why_in_plain_words_without_the_package_name(invite, browser):
    """Patients do not know "Pakkeforløp start": the page says what is happening in their treatment, and why."""
    issued = invite(language="nb")
    browser.get(f"/i/{issued.token}")

    welcome = browser.get("/survey").get_data(as_text=True)

    assert '<html lang="nb"' in welcome
    assert "Pakkeforløp" not in welcome and "pakkeforløp" not in welcome
    assert definitions.packages()["mh_adults"].milestone("start").name["nb"] not in welcome
    with force_locale("nb"):
        assert str(WHY["start"]) in welcome
    assert welcome.index("Behandlingen din") < welcome.index('id="start"') < welcome.index("<h2>")


def test_welcome_counts_with_the_languages_own_punctuation(invite, browser):
    issued = invite(language="ar")
    browser.get(f"/i/{issued.token}")

    welcome = browser.get("/survey").get_data(as_text=True)

    assert '<html lang="ar" dir="rtl"' in welcome
    how_long = welcome.split("</h1>")[1].split('id="start"')[0]
    assert "، " in how_long and ", " not in how_long  # the Arabic comma between the two counts


def test_welcome_lists_each_title_and_description_in_the_language_it_is_shown_in(invite, browser):
    """CORE-10's items are not in Polish, but its title and description are: the list reads Polish throughout."""
    issued = invite(language="pl")
    catalog = definitions.catalog()
    browser.get(f"/i/{issued.token}")

    welcome = browser.get("/survey").get_data(as_text=True)

    for instrument_id in ("phq9", "core10"):
        assert f'<span lang="pl">{catalog[instrument_id].title["pl"]}</span>' in welcome
        assert f'<span class="hint" lang="pl">{catalog[instrument_id].description["pl"]}</span>' in welcome


def test_a_question_the_file_lacks_in_its_language_is_marked_on_the_page(app, monkeypatch, invite, browser):
    catalog = definitions.catalog()
    phq9 = catalog["phq9"]
    first = phq9.items[0]
    gap = phq9.model_copy(update={"items": (first.model_copy(update={"text": _without(first.text, "pl")}),
                                            *phq9.items[1:])})
    monkeypatch.setitem(app.extensions, CATALOG_KEY, Catalog([gap, *(i for i in catalog.values() if i.id != "phq9")]))
    issued = invite(language="pl")
    browser.get(f"/i/{issued.token}")

    page = browser.get("/survey/q/1/1").get_data(as_text=True)

    assert '<div lang="pl" dir="auto">' in page
    assert f'1.</span> <span lang="en">{first.text["en"]}</span></legend>' in page
    assert f'2.</span> {phq9.items[1].text["pl"]}</legend>' in page


def test_own_scores_mark_titles_and_bands_answered_in_another_language(session, invite, browser):
    issued = invite(language="pl")
    catalog = definitions.catalog()
    browser.get(f"/i/{issued.token}")
    for number, instrument_id in enumerate(PLAN, start=1):
        if "pl" not in catalog[instrument_id].languages:
            choice = browser.get(f"/survey/q/{number}/language").get_data(as_text=True)
            browser.post(f"/survey/q/{number}/language", {"csrf_token": csrf(choice), "language": "en"})
    answers = all_answered(1)
    answers[1][9] = 0  # PHQ-9 item 9 not critical
    answers[3][6] = 0  # CORE-10 item 6 not critical
    assert browser.answer_pages(answers) == "/survey/review"
    browser.post("/survey/submit", browser.submit_form())

    thanks = browser.get("/survey/thanks").get_data(as_text=True)

    assert f'<h3>{catalog["phq9"].title["pl"]}</h3>' in thanks
    assert f'<h3>{catalog["core10"].title["pl"]}</h3>' in thanks  # answered in English, named in Polish
    core10 = catalog["core10"].default_scale
    band = next(b for b in core10.bands if b.code == score(catalog["core10"], answers[3]).scales[core10.id].band)
    assert f'<bdi>{band.label["pl"]}</bdi>' in thanks
    assert "&lt;span" not in thanks


def test_phrase_in_says_which_language_it_fell_back_to():
    text = {"nb": "Evaluering", "en": "Evaluation"}

    assert phrase_in(text, "nb") == Phrase("Evaluering", "nb")
    assert phrase_in(text, "pl") == Phrase("Evaluation", "en")
    assert phrase_in({"nb": "Evaluering"}, "pl") == Phrase("Evaluering", "nb")
    assert phrase_in(text, None) == Phrase("Evaluation", "en")


def test_a_phrase_is_marked_only_where_it_differs_from_the_language_around_it():
    assert marked(Phrase("Ocena <leczenia>", "pl"), "pl") == Markup("Ocena &lt;leczenia&gt;")
    assert marked(Phrase("Evaluation", "en"), "pl") == Markup('<span lang="en">Evaluation</span>')


def test_a_sentence_marks_its_phrase_and_escapes_the_rest():
    made = sentence(lambda title: f"{title}: odpowiedz na <2> pytania", Phrase("CORE-10 & co", "en"), "pl")

    assert made == Markup('<bdi><span lang="en">CORE-10 &amp; co</span></bdi>: odpowiedz na &lt;2&gt; pytania')
