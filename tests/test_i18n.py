"""The UI's ten languages: complete catalogues, right plural rules, an up-to-date .pot, right-to-left pages."""
from __future__ import annotations

import gettext
import io
import re
import shutil

import pytest
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from pro_service.i18n import LOCALES, text_direction
from pro_service.i18n_commands import (
    PLURAL_FORMS,
    TEMPLATE,
    TRANSLATIONS_DIR,
    extract_template,
    po_path,
    translations,
    untranslated,
    update_catalogues,
)

PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


def _catalog(locale: str):
    with po_path(locale).open("rb") as file:
        return read_po(file, locale=locale)


def _messages(locale: str):
    return [message for message in _catalog(locale) if message.id]


def _strings(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def compiled():
    """The .mo files the app reads, built as `make test` builds them."""
    result = CliRunner().invoke(translations, ["compile"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete_without_fuzzy(locale):
    messages = _messages(locale)
    assert messages
    assert [m.id for m in messages if untranslated(m)] == []
    assert [m.id for m in messages if m.fuzzy] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_compiles_and_passes_babels_checks(locale):
    catalog = _catalog(locale)
    assert [(message.id, errors) for message, errors in catalog.check()] == []
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    assert gettext.GNUTranslations(buffer).info()["language"] == locale


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_keeps_every_placeholder(locale):
    wrong = []
    for message in _messages(locale):
        expected = _placeholders(_strings(message.id)[-1])  # msgid_plural for plurals
        wrong += [(message.id, s) for s in _strings(message.string) if _placeholders(s) != expected]
    assert wrong == []


def test_english_catalogue_says_what_the_source_says():
    for message in _messages("en"):
        ids = _strings(message.id)
        assert _strings(message.string)[0] == ids[0]
        assert set(_strings(message.string)[1:]) <= {ids[-1]}


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_follow_cldr(locale):
    """msgstr[i] is the i-th of the locale's CLDR categories for whole numbers, in CLDR's order."""
    catalog = _catalog(locale)
    rule = Locale.parse(locale).plural_form
    categories = [c for c in CLDR_ORDER if c in {rule(n) for n in range(1000)}]
    choose = gettext.c2py(catalog.plural_expr)
    assert catalog.num_plurals == len(categories)
    assert [choose(n) for n in range(1000)] == [categories.index(rule(n)) for n in range(1000)]


def test_northern_sami_has_three_plural_forms():
    assert _catalog("se").plural_forms == "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"


def test_template_is_up_to_date_with_the_sources(tmp_path):
    fresh = tmp_path / "messages.pot"
    extract_template(fresh)
    with fresh.open("rb") as new, TEMPLATE.open("rb") as shipped:
        extracted, committed = ({(m.id, m.context) for m in read_po(f) if m.id} for f in (new, shipped))
    assert sorted(map(str, extracted - committed)) == [], "run `pro-service translations extract` and `update`"
    assert sorted(map(str, committed - extracted)) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_updated_from_the_template(locale):
    with TEMPLATE.open("rb") as file:
        template = {(m.id, m.context) for m in read_po(file) if m.id}
    assert {(m.id, m.context) for m in _messages(locale)} == template


def test_update_keeps_translations_and_hand_set_plural_rules(tmp_path):
    root = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS_DIR, root, ignore=shutil.ignore_patterns("*.mo"))
    shutil.rmtree(root / "ar")  # a language added: made by `init`, which writes Babel's own rule

    counts = update_catalogues(root)

    for locale in LOCALES:
        with po_path(locale, root).open("rb") as file:
            updated = read_po(file, locale=locale)
        assert updated.plural_forms == PLURAL_FORMS.get(locale, _catalog(locale).plural_forms)
        if locale != "ar":
            assert {m.id: m.string for m in updated} == {m.id: m.string for m in _catalog(locale)}
    assert counts["ar"] == (len(_messages("ar")), len(_messages("ar")))
    assert counts["se"] == (len(_messages("se")), 0)


def test_text_direction_is_rtl_for_arabic_only():
    assert text_direction("ar") == "rtl"
    assert [code for code in LOCALES if text_direction(code) == "rtl"] == ["ar"]


def test_page_in_arabic_is_right_to_left(client, compiled):
    response = client.get("/no-such-page", headers={"Accept-Language": "ar, en;q=0.5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>الصفحة غير موجودة</h1>" in html


def test_locale_from_session_beats_the_browser(client, compiled):
    with client.session_transaction() as session:
        session["locale"] = "nn"
    html = client.get("/no-such-page", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="nn" dir="ltr">' in html
    assert "<h1>Fann ikkje sida</h1>" in html


def test_trans_block_is_looked_up_trimmed_as_extracted(app, compiled):
    template = app.jinja_env.from_string("{% trans %}\n    Page\n    not found\n  {% endtrans %}")
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        assert template.render() == "Fant ikke siden"
