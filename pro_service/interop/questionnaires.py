"""A FHIR Questionnaire per instrument and language, generated from the instrument file.

Items keep the file's numbers as `linkId`, so a QuestionnaireResponse answer
maps back to exactly the item scoring reads. Each option is a coding whose code
is its 0-based position (what the service stores and `score()` takes) with its
points as the `ordinalValue` extension, so a receiver can score without us.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

from pro_service.instruments import Instrument, Item

from .context import LOINC, ORDINAL_VALUE, FhirContext

ITEM_TYPES = {"single_choice": "choice", "number": "decimal", "text": "text"}


class UnavailableLanguage(LookupError):
    """The instrument has no licensed item texts in this language; what it does have is in `languages`."""

    def __init__(self, instrument: Instrument, language: str) -> None:
        self.instrument_id, self.language = instrument.id, language
        self.languages = tuple(instrument.languages)
        super().__init__(f"{instrument.id} has no licensed item texts in {language!r}; "
                         f"its languages are {', '.join(self.languages)}")


def text(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, else English, else the first the file gives (labels may have fewer languages)."""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()))


def copyright_text(instrument: Instrument) -> str:
    licence = instrument.licence
    return " ".join(part for part in (f"© {licence.holder}.", f"{licence.name}.", licence.url) if part)


def questionnaire(instrument: Instrument, *, language: str, context: FhirContext) -> Questionnaire:
    """The instrument as a Questionnaire in `language`; raises `UnavailableLanguage` for one without item texts."""
    if language not in instrument.languages:
        raise UnavailableLanguage(instrument, language)
    body: dict[str, Any] = {
        "id": f"{instrument.id}-{language}".replace("_", "-"),  # a FHIR id has no "_"
        "language": language,
        "url": context.questionnaire_url(instrument.id),
        "version": instrument.version,
        "name": instrument.id.upper(),
        "title": text(instrument.title, language),
        "status": "active",
        "subjectType": ["Patient"],
        "copyright": copyright_text(instrument),
        "item": [{"linkId": "instructions", "type": "display", "text": text(instrument.instructions, language)}]
        + [_item(instrument, item, language, context) for item in instrument.items],
    }
    if instrument.description:
        body["description"] = text(instrument.description, language)
    if instrument.loinc is not None:
        body["code"] = [{"system": LOINC, "code": instrument.loinc.code, "display": instrument.loinc.display}]
    return Questionnaire.model_validate(body)


def _item(instrument: Instrument, item: Item, language: str, context: FhirContext) -> dict[str, Any]:
    response = instrument.response_scale(item)
    entry: dict[str, Any] = {"linkId": str(item.number), "prefix": f"{item.number}.",
                             "text": text(item.text, language), "type": ITEM_TYPES[response.type]}
    if item.loinc is not None:
        entry["code"] = [{"system": LOINC, "code": item.loinc.code, "display": item.loinc.display}]
    if response.type == "single_choice":
        system = context.answer_system(instrument.id, item.response)
        low, high = instrument.points_range(item)
        entry["answerOption"] = [
            {"valueCoding": {"system": system, "code": str(position), "display": text(option.label, language)},
             # The points the item scores (a reversed item's mirrored), so adding ordinal values gives the sum.
             "extension": [{"url": ORDINAL_VALUE,
                            "valueDecimal": low + high - option.points if item.reversed else option.points}]}
            for position, option in enumerate(response.options or ())
        ]
    return entry
