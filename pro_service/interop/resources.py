"""Patient, QuestionnaireResponse and Observation resources from plain records (pure).

Ids are the service's own opaque ids (UUIDs), never the external id, so a
resource's URL names no patient. The Patient carries only what a receiver needs
to match and to read cut-offs (identifier, administrative gender, birth date),
not the name: the EPR has it already, and what is not sent cannot leak.
"""
from __future__ import annotations

from typing import Any

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from pro_service.instruments import Instrument, Scale

from .context import (CONTACT_ROLE, INTERPRETATION, LOINC, OBSERVATION_CATEGORY, ROLE_CODE, UCUM, FhirContext,
                      scale_code)
from .questionnaires import text
from .records import PatientRecord, ResponseRecord, ScoreRecord

# The respondent's relationship to the patient, in the codes FHIR's RelatedPerson.relationship binds to.
RELATIONSHIPS = {
    "parent": (ROLE_CODE, "PRN", "parent"),
    "other_relative": (ROLE_CODE, "FAMMEMB", "family member"),
    "teacher": (CONTACT_ROLE, "O", "Other"),
}


def patient(record: PatientRecord, *, context: FhirContext) -> Patient:
    body: dict[str, Any] = {"id": record.id,
                            "identifier": [{"system": context.patient_system, "value": record.external_id}]}
    if record.sex:
        body["gender"] = record.sex
    if record.birth_date:
        body["birthDate"] = record.birth_date.isoformat()
    return Patient.model_validate(body)


def questionnaire_response(record: ResponseRecord, instrument: Instrument, *,
                           context: FhirContext) -> QuestionnaireResponse:
    """The answers as codings in item order; skipped and unanswered items are left out (they were not answered)."""
    subject = {"reference": f"Patient/{record.patient_id}"}
    body: dict[str, Any] = {
        "id": record.id,
        "questionnaire": f"{context.questionnaire_url(record.instrument_id)}|{record.instrument_version}",
        "status": "completed",
        "subject": subject,
        "authored": record.submitted_at.isoformat(),
        "language": record.language,
        "item": [item for item in (_answer(instrument, n, record, context) for n in _numbers(instrument, record))
                 if item],
    }
    if record.respondent_role == "self":
        body["author"] = body["source"] = subject
    else:
        system, code, display = RELATIONSHIPS[record.respondent_role]
        body["contained"] = [{"resourceType": "RelatedPerson", "id": "respondent", "patient": subject,
                              "relationship": [{"coding": [{"system": system, "code": code, "display": display}],
                                                "text": record.respondent_role.replace("_", " ")}]}]
        body["author"] = body["source"] = {"reference": "#respondent"}
    return QuestionnaireResponse.model_validate(body)


def _numbers(instrument: Instrument, record: ResponseRecord) -> list[int]:
    return [item.number for item in instrument.items if record.answers.get(item.number) is not None]


def _answer(instrument: Instrument, number: int, record: ResponseRecord, context: FhirContext) -> dict[str, Any]:
    item = instrument.item(number)
    response = instrument.response_scale(item)
    value = record.answers[number]
    if response.type == "single_choice":
        option = (response.options or ())[value]
        answer = {"valueCoding": {"system": context.answer_system(instrument.id, item.response), "code": str(value),
                                  "display": text(option.label, record.language)}}
    elif response.type == "number":
        answer = {"valueDecimal": value}
    else:
        answer = {"valueString": str(value)}
    return {"linkId": str(number), "text": text(item.text, record.language), "answer": [answer]}


def observation(score: ScoreRecord, response: ResponseRecord, instrument: Instrument, *,
                context: FhirContext) -> Observation | None:
    """One scale's score; None when the scale was not scored (too many items missing)."""
    if score.value is None:
        return None
    scale = instrument.scale(score.scale_id)
    body: dict[str, Any] = {
        "id": score.id,
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": observation_code(instrument, scale, context=context),
        "subject": {"reference": f"Patient/{response.patient_id}"},
        "effectiveDateTime": response.submitted_at.isoformat(),
        "derivedFrom": [{"reference": f"QuestionnaireResponse/{response.id}"}],
    }
    if whole_scale(instrument, scale) and float(score.value).is_integer():
        body["valueInteger"] = int(score.value)
    else:
        body["valueQuantity"] = {"value": score.value, "unit": "{score}", "system": UCUM, "code": "{score}"}
    interpretation = _interpretation(instrument, scale, score, context)
    if interpretation:
        body["interpretation"] = interpretation
    if score.prorated:
        body["note"] = [{"text": f"prorated: {score.missing} item(s) missing, filled with the mean of the answered "
                                 f"items as the manual allows"}]
    return Observation.model_validate(body)


def observation_code(instrument: Instrument, scale: Scale, *, context: FhirContext) -> dict[str, Any]:
    """LOINC first where the instrument file gives a checked code, always with the local code beside it."""
    name = f"{text(instrument.title, 'en')}: {text(scale.name, 'en')}"
    coding = [{"system": context.scale_system, "code": scale_code(instrument.id, scale.id), "display": name}]
    if scale.loinc is not None:
        coding.insert(0, {"system": LOINC, "code": scale.loinc.code, "display": scale.loinc.display})
    return {"coding": coding, "text": name}


def whole_scale(instrument: Instrument, scale: Scale) -> bool:
    """Whether every score the scale can give is a whole number: then valueInteger, else valueQuantity.

    Decided per scale, not per value, so every Observation of one code has the same value type.
    """
    if scale.method == "mean" or (scale.missing_allowed and scale.round != "nearest"):
        return False
    responses = [instrument.response_scale(instrument.item(number)) for number in scale.items]
    whole_points = scale.method == "count" or all(response.kind.whole(response) for response in responses)
    return whole_points and all(float(n).is_integer() for n in (scale.transform.multiply, scale.transform.add))


def _interpretation(instrument: Instrument, scale: Scale, score: ScoreRecord,
                    context: FhirContext) -> list[dict[str, Any]]:
    concepts = []
    band = next((b for b in scale.bands if b.code == score.band), None)
    if band is not None:
        concepts.append({"coding": [{"system": context.band_system,
                                     "code": f"{scale_code(instrument.id, scale.id)}.{band.code}",
                                     "display": text(band.label, "en")}], "text": text(band.label, "en")})
    if score.caseness is not None and scale.caseness is not None:
        code, display = ("POS", "Positive") if score.caseness else ("NEG", "Negative")
        cut_off = f"{scale.caseness.sign} {score.threshold:g}" if score.threshold is not None else ""
        concepts.append({"coding": [{"system": INTERPRETATION, "code": code, "display": display}],
                         "text": f"{'case' if score.caseness else 'not a case'} (caseness cut-off {cut_off})"})
    return concepts

