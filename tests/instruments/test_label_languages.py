"""Names and labels in more languages than the item texts, without making the instrument answerable in them.

``languages`` lists the languages of the item texts, the only ones a respondent
can answer in; ``label_languages`` lists the languages the title, description,
scale names and band labels are given in beyond those (or with their own
status), so a Norwegian page never shows an English title for a questionnaire
whose Nynorsk item texts are not licensed.
"""
from __future__ import annotations

from typing import Any

import pytest

from pro_service.instruments import CatalogError, load_instrument

NYNORSK = {"status": "provisional", "source": "Names and labels written for pro-service; not reviewed"}


def _nynorsk_labels(d: dict[str, Any]) -> None:
    d["label_languages"] = {"nn": NYNORSK}
    d["title"]["nn"] = "Lita"
    d["description"] = {"en": "How small things are.", "nn": "Kor små ting er."}
    scale = d["scales"][0]
    scale["name"]["nn"] = "Total"
    scale["bands"][0]["label"]["nn"] = "Låg"
    scale["bands"][1]["label"]["nn"] = "Høg"


def test_labels_in_a_label_language_load_and_leave_the_answerable_languages_alone(make_instrument):
    instrument = make_instrument(_nynorsk_labels)

    assert instrument.title["nn"] == "Lita"
    assert instrument.description["nn"] == "Kor små ting er."
    assert set(instrument.languages) == {"en", "nb"}
    assert instrument.label_language("nn").status == "provisional"
    assert instrument.label_language("nn").source == NYNORSK["source"]


def test_label_status_falls_back_to_the_item_texts_status(make_instrument):
    instrument = make_instrument(_nynorsk_labels)

    assert instrument.label_language("en").status == "official"
    assert instrument.label_language("nb").status == "provisional"
    assert instrument.label_language("sv") is None


def test_label_languages_may_give_names_another_status_than_the_item_texts(make_instrument):
    def official_items_provisional_names(d: dict[str, Any]) -> None:
        d["label_languages"] = {"en": {"status": "provisional", "source": "Description written for pro-service"}}
        d["description"] = {"en": "How small things are."}

    instrument = make_instrument(official_items_provisional_names)

    assert instrument.languages["en"].status == "official"
    assert instrument.label_language("en").status == "provisional"


def test_description_and_label_languages_are_optional(make_instrument):
    instrument = make_instrument()

    assert instrument.description is None
    assert dict(instrument.label_languages) == {}


@pytest.mark.parametrize(("change", "line"), [
    (lambda d: d["items"][0]["text"].update(nn="spørsmål 1"),
     "items[0].text.nn: language 'nn' is listed under label_languages only;"
     " an item text makes the instrument answerable, so declare it under languages"),
    (lambda d: d["response_scales"]["frequency"]["options"][0]["label"].update(nn="aldri"),
     "response_scales.frequency.options[0].label.nn: language 'nn' is listed under label_languages only;"
     " an item text makes the instrument answerable, so declare it under languages"),
    (lambda d: d["instructions"].update(nn="Svar"),
     "instructions.nn: language 'nn' is listed under label_languages only;"
     " an item text makes the instrument answerable, so declare it under languages"),
    (lambda d: d["scales"][0]["bands"][1]["label"].pop("nn"),
     "scales[0].bands[1].label: missing language 'nn' (listed under label_languages)"),
    (lambda d: d["description"].pop("nn"),
     "description: missing language 'nn' (listed under label_languages)"),
    (lambda d: d["description"].update(sv="Hur små saker är."),
     "description.sv: language 'sv' is not declared under languages"),
    (lambda d: d["label_languages"]["nn"].update(status="draft"),
     "label_languages.nn.status: input should be 'official' or 'provisional'"),
], ids=["item text", "option label", "instructions", "band label missing", "description missing",
        "undeclared description language", "unknown status"])
def test_label_languages_are_checked(instrument_file, change, line):
    path = instrument_file(lambda d: (_nynorsk_labels(d), change(d)))

    with pytest.raises(CatalogError) as caught:
        load_instrument(path)

    assert str(caught.value) == f"{path}: {line}"
