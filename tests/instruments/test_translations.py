"""Every text of the shipped instruments is there in the languages we promise, with its status.

PHQ-9, GAD-7 and WHO-5 are offered in all ten languages of the service; every
other shipped instrument in at least English and Norwegian bokmål. Every shipped
instrument's title, description, scale names and band labels are in all ten, so
no page shows an English title to a Norwegian or Arabic reader. Each language
an instrument uses must be declared under ``languages`` (item texts) or
``label_languages`` (names and labels only) as official or provisional, with a
source clinicians can check.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from pro_service.instruments import Catalog, Instrument
from pro_service.instruments.rules import label_texts

ALL_LANGUAGES = frozenset({"en", "nb", "nn", "se", "da", "sv", "ar", "pl", "so", "uk"})
BASE_LANGUAGES = frozenset({"en", "nb"})
FULLY_TRANSLATED = ("phq9", "gad7", "who5")


def _texts(instrument: Instrument) -> Iterator[tuple[str, Mapping[str, str]]]:
    """Every text shown to a respondent or clinician, with where it is in the file."""
    yield "title", instrument.title
    yield "instructions", instrument.instructions
    for key, response in instrument.response_scales.items():
        for position, option in enumerate(response.options or ()):
            yield f"response_scales.{key}.options[{position}].label", option.label
    for item in instrument.items:
        yield f"items[{item.number}].text", item.text
    for scale in instrument.scales:
        yield f"scales.{scale.id}.name", scale.name
        for band in scale.bands:
            yield f"scales.{scale.id}.bands.{band.code}.label", band.label


def _missing(instrument: Instrument, wanted: frozenset[str]) -> list[str]:
    return [
        f"{where}: {', '.join(sorted(wanted - {lang for lang, words in text.items() if words.strip()}))}"
        for where, text in _texts(instrument)
        if not wanted <= {lang for lang, words in text.items() if words.strip()}
    ]


@pytest.mark.parametrize("instrument_id", FULLY_TRANSLATED)
def test_fully_translated_instruments_have_every_text_in_all_ten_languages(catalog: Catalog, instrument_id: str):
    instrument = catalog[instrument_id]
    assert _missing(instrument, ALL_LANGUAGES) == []
    assert set(instrument.languages) == ALL_LANGUAGES


def test_fully_translated_instruments_cover_every_kind_of_text(catalog: Catalog):
    """Guard the test itself: options, items, scale names and bands are all reached."""
    for instrument_id in FULLY_TRANSLATED:
        places = [where for where, _ in _texts(catalog[instrument_id])]
        for kind in ("title", "instructions", ".options[", "items[", ".name", ".bands."):
            assert any(kind in where for where in places), (instrument_id, kind)


def test_every_other_shipped_instrument_has_english_and_bokmal(catalog: Catalog):
    others = [i for i in catalog if i not in FULLY_TRANSLATED]
    assert others, "expected more shipped instruments than the fully translated ones"
    missing = {i: _missing(catalog[i], BASE_LANGUAGES) for i in others}
    assert {i: m for i, m in missing.items() if m} == {}


def test_every_language_used_is_declared_with_status_and_source(shipped_instrument: Instrument):
    used = {lang for _, text in _texts(shipped_instrument) for lang in text}
    declared = {**shipped_instrument.languages, **shipped_instrument.label_languages}
    assert used <= set(declared), sorted(used - set(declared))
    for lang, language in declared.items():
        assert language.status in ("official", "provisional"), lang
        assert language.source.strip(), lang


def test_every_shipped_instrument_has_title_description_scale_names_and_band_labels_in_all_ten_languages(
        shipped_instrument: Instrument):
    assert shipped_instrument.description is not None
    missing = [f"{where}: {', '.join(sorted(ALL_LANGUAGES - {lang for lang, words in text.items() if words.strip()}))}"
               for where, text in label_texts(shipped_instrument)
               if not ALL_LANGUAGES <= {lang for lang, words in text.items() if words.strip()}]
    assert missing == []
    assert all(shipped_instrument.label_language(lang) is not None for lang in ALL_LANGUAGES)


def test_an_instrument_is_answerable_only_in_the_languages_every_item_text_is_in(shipped_instrument: Instrument):
    """Names and labels in a language must not offer a questionnaire whose item texts are not in it."""
    answer_texts = [text for where, text in _texts(shipped_instrument)
                    if where == "instructions" or where.startswith(("items[", "response_scales."))]
    complete = set.intersection(*({lang for lang, words in text.items() if words.strip()} for text in answer_texts))
    assert set(shipped_instrument.languages) == complete


def test_a_provisional_description_is_said_to_be_provisional(catalog: Catalog):
    """A label written here is provisional: where the item texts are official, the names must say so themselves."""
    for instrument in catalog.values():
        for lang in ALL_LANGUAGES - {"en"}:
            assert instrument.label_language(lang).status == "provisional", (instrument.id, lang)
