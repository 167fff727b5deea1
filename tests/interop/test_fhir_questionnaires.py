"""Questionnaires from the instrument files (pure): valid R4B, items by number, points as ordinalValue, LOINC."""
from __future__ import annotations

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError

from pro_service import definitions
from pro_service.instruments import load_catalog
from pro_service.instruments.models import Loinc
from pro_service.interop.context import LOINC, ORDINAL_VALUE, FhirContext
from pro_service.interop.questionnaires import UnavailableLanguage, questionnaire

CONTEXT = FhirContext(canonical_base="https://pro.example.no/api/v1/fhir")


@pytest.fixture(scope="module")
def catalog():
    from pro_service.config import Settings

    return load_catalog(Settings().surveys_dir / "instruments")


def _every_instrument_language():
    from pro_service.config import Settings

    catalog = load_catalog(Settings().surveys_dir / "instruments")
    return [(i.id, language) for i in catalog.values() for language in i.languages]


@pytest.mark.parametrize(("instrument_id", "language"), _every_instrument_language())
def test_every_instrument_and_language_is_a_valid_questionnaire(catalog, instrument_id, language):
    instrument = catalog[instrument_id]

    found = questionnaire(instrument, language=language, context=CONTEXT)

    parsed = Questionnaire.model_validate_json(found.model_dump_json())
    assert parsed.url == f"https://pro.example.no/api/v1/fhir/Questionnaire/{instrument_id}"
    assert (parsed.version, parsed.language, parsed.status) == (instrument.version, language, "active")
    assert [item.linkId for item in parsed.item[1:]] == [str(item.number) for item in instrument.items]
    assert [item.text for item in parsed.item[1:]] == [item.text[language] for item in instrument.items]
    assert instrument.licence.holder in parsed.copyright and instrument.licence.name in parsed.copyright


def test_options_are_codings_by_position_with_their_points_as_ordinal_value(catalog):
    phq9 = questionnaire(catalog["phq9"], language="nb", context=CONTEXT)

    item9 = phq9.item[-1]
    assert (item9.linkId, item9.type) == ("9", "choice")
    assert [(o.valueCoding.code, o.valueCoding.display) for o in item9.answerOption] == [
        ("0", "Ikke i det hele tatt"), ("1", "Flere dager"), ("2", "Mer enn halvparten av dagene"),
        ("3", "Nesten hver dag")]
    assert {o.valueCoding.system for o in item9.answerOption} == {"urn:pro-service:answer:phq9:frequency"}
    assert [[(e.url, e.valueDecimal) for e in o.extension] for o in item9.answerOption] == [
        [(ORDINAL_VALUE, points)] for points in (0, 1, 2, 3)]


def test_a_reversed_item_carries_the_points_it_scores(catalog):
    core10 = catalog["core10"]
    reversed_item = next(item for item in core10.items if item.reversed)

    found = questionnaire(core10, language="en", context=CONTEXT)

    item = next(i for i in found.item if i.linkId == str(reversed_item.number))
    assert [o.extension[0].valueDecimal for o in item.answerOption] == [4, 3, 2, 1, 0]


def test_the_questionnaire_code_is_the_loinc_panel_where_the_file_gives_one(catalog):
    assert [(c.system, c.code) for c in questionnaire(catalog["phq9"], language="en", context=CONTEXT).code] == [
        (LOINC, "44249-1")]
    assert [(c.system, c.code) for c in questionnaire(catalog["audit"], language="en", context=CONTEXT).code] == [
        (LOINC, "72110-0")]
    assert questionnaire(catalog["who5"], language="en", context=CONTEXT).code is None
    items = questionnaire(catalog["phq9"], language="en", context=CONTEXT).item[1:]
    assert [item.code[0].code for item in items] == ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
                                                     "44258-2", "44252-5", "44253-3", "44260-8"]


def test_a_language_without_licensed_item_texts_is_refused_and_named(catalog):
    smfq = catalog["smfq"]
    missing = next(code for code in ("ar", "so", "uk", "pl", "se", "de") if code not in smfq.languages)

    with pytest.raises(UnavailableLanguage) as refused:
        questionnaire(smfq, language=missing, context=CONTEXT)

    assert refused.value.language == missing
    assert f"smfq has no licensed item texts in {missing!r}" in str(refused.value)


def test_every_loinc_code_in_the_files_names_its_source_on_loinc_org(app):
    with app.app_context():
        catalog = definitions.catalog()
    codes = [(i.id, i.loinc) for i in catalog.values() if i.loinc]
    codes += [(f"{i.id}.{s.id}", s.loinc) for i in catalog.values() for s in i.scales if s.loinc]
    items = [(f"{i.id}.{item.number}", item.loinc) for i in catalog.values() for item in i.items if item.loinc]

    assert {name for name, _code in items} == {f"phq9.{n}" for n in range(1, 10)}
    assert all("loinc.org/" in code.source for _name, code in items)
    assert {name: code.code for name, code in codes} == {
        "phq9": "44249-1", "audit": "72110-0", "phq9.total": "44261-6", "gad7.total": "70274-6",
        "audit.total": "75624-7", "audit.audit_c": "75626-2"}
    assert all("loinc.org/" in code.source for _name, code in codes)


@pytest.mark.parametrize("code", ["44261-5", "4426-16", "abc-1", "44261"])
def test_the_loader_refuses_a_loinc_code_with_a_wrong_form_or_check_digit(code):
    with pytest.raises(ValidationError, match="LOINC code"):
        Loinc(code=code, display="x", source="y")
