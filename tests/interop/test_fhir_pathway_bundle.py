"""GET /api/v1/pathways/{id}/fhir: valid R4B resources that carry the same scores as the scoring core."""
from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from sqlmodel import select

from pro_service import definitions
from pro_service.audit.models import AuditEvent
from pro_service.commands.instruments import score as score_command
from pro_service.instruments import score
from pro_service.interop.context import LOINC

MILESTONES = [("start", 0, {"phq9": 17, "gad7": 12, "core10": 20, "wsas": 18}),
              ("clinical_decision", 30, {"phq9": 11, "gad7": 9, "core10": 14, "wsas": 12})]


def _bundle(client, pathway, headers) -> Bundle:
    response = client.get(f"/api/v1/pathways/{pathway.id}/fhir", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    return Bundle.model_validate_json(response.get_data())


def _of(bundle: Bundle, kind: str) -> list:
    return [entry.resource for entry in bundle.entry if entry.resource.get_resource_type() == kind]


def test_the_bundle_is_a_valid_collection_of_the_patient_responses_and_scores(client, make_pathway, unit_a, auth_a):
    pathway = make_pathway(MILESTONES, unit=unit_a)

    bundle = _bundle(client, pathway, auth_a)

    assert bundle.type == "collection"
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds.count("Patient") == 1 and kinds.count("QuestionnaireResponse") == 8
    assert kinds.count("Observation") == 8  # one scale each (PHQ-9, GAD-7, CORE-10, WSAS) at two milestones
    for entry in bundle.entry:  # every entry parses again on its own as its R4B type
        resource = entry.resource
        type(resource).model_validate_json(resource.model_dump_json())
        assert entry.fullUrl.endswith(f"/{resource.get_resource_type()}/{resource.id}")
    patient = _of(bundle, "Patient")[0]
    assert [(i.system, i.value) for i in patient.identifier] == [("urn:pro-service:patient", "EPR-1")]
    assert patient.name is None  # the EPR has the name; what is not sent cannot leak


def test_a_phq9_observation_carries_loinc_44261_6_and_the_total_the_cli_scores(client, make_pathway, unit_a, auth_a,
                                                                             session):
    pathway = make_pathway(MILESTONES[:1], unit=unit_a)
    bundle = _bundle(client, pathway, auth_a)
    responses = {r.id: r for r in _of(bundle, "QuestionnaireResponse")}
    phq9 = next(o for o in _of(bundle, "Observation") if any(c.code == "44261-6" for c in o.code.coding))
    answered = responses[phq9.derivedFrom[0].reference.removeprefix("QuestionnaireResponse/")]
    positions = {int(item.linkId): item.answer[0].valueCoding.code for item in answered.item}

    printed = CliRunner().invoke(score_command, ["phq9", *(positions.get(n, "-") for n in range(1, 10))])

    assert printed.exit_code == 0, printed.output
    assert [(c.system, c.code) for c in phq9.code.coding] == [(LOINC, "44261-6"),
                                                                 ("urn:pro-service:scale", "phq9.total")]
    assert phq9.valueInteger == json.loads(printed.stdout)["scales"]["total"]["score"] == 17
    assert [c.code for c in phq9.category[0].coding] == ["survey"]
    assert phq9.subject.reference == f"Patient/{pathway.patient_id}"
    assert answered.questionnaire == "http://127.0.0.1:5000/api/v1/fhir/Questionnaire/phq9|1.0"
    assert answered.status == "completed" and answered.author.reference == f"Patient/{pathway.patient_id}"
    interpretation = [(c.system.rsplit("/", 1)[-1].rsplit(":", 1)[-1], c.code) for i in phq9.interpretation
                      for c in i.coding]
    assert interpretation == [("band", "phq9.total.moderately_severe"), ("v3-ObservationInterpretation", "POS")]


def test_answers_round_trip_to_the_same_scores(client, make_pathway, unit_a, auth_a):
    pathway = make_pathway(MILESTONES, unit=unit_a)
    bundle = _bundle(client, pathway, auth_a)
    catalog = definitions.catalog()
    observations = _of(bundle, "Observation")

    for answered in _of(bundle, "QuestionnaireResponse"):
        instrument = catalog[answered.questionnaire.split("/Questionnaire/")[1].split("|")[0]]
        rescored = score(instrument, {int(i.linkId): int(i.answer[0].valueCoding.code) for i in answered.item})
        exported = {o.code.coding[-1].code.split(".", 1)[1]: o.valueInteger for o in observations
                    if o.derivedFrom[0].reference == f"QuestionnaireResponse/{answered.id}"}
        assert exported == {scale_id: s.score for scale_id, s in rescored.scales.items() if s.score is not None}


def test_skipped_items_are_left_out_and_a_parent_answers_as_a_related_person(client, make_pathway, unit_a, auth_a):
    never_drinks = make_pathway([("start", 0, {"audit": 0, "dudit": 0, "phq9": 3})], package="tsb", unit=unit_a)
    child = make_pathway([("start", 0, {"smfq": 8})], package="mh_children", unit=unit_a,
                         birth_date=date(2012, 3, 1), parent={"start": {"smfq_parent": 10}})

    audit = next(r for r in _of(_bundle(client, never_drinks, auth_a), "QuestionnaireResponse")
                 if "/audit|" in r.questionnaire)
    parent = next(r for r in _of(_bundle(client, child, auth_a), "QuestionnaireResponse")
                  if "/smfq_parent|" in r.questionnaire)

    assert [item.linkId for item in audit.item] == ["1", "9", "10"]  # "Never" skips items 2-8
    assert parent.author.reference == parent.source.reference == "#respondent"
    related = parent.contained[0]
    assert related.get_resource_type() == "RelatedPerson" and related.patient.reference == f"Patient/{child.patient_id}"
    assert [(c.code, c.display) for c in related.relationship[0].coding] == [("PRN", "parent")]
    QuestionnaireResponse.model_validate_json(parent.model_dump_json())


def test_each_read_is_audited_and_another_units_pathway_is_an_operation_outcome_404(client, session, make_pathway,
                                                                                   unit_a, unit_b, auth_a):
    mine, theirs = make_pathway(MILESTONES[:1], unit=unit_a), make_pathway(MILESTONES[:1], unit=unit_b)

    client.get(f"/api/v1/pathways/{mine.id}/fhir", headers=auth_a)
    refused = client.get(f"/api/v1/pathways/{theirs.id}/fhir", headers=auth_a)

    assert refused.status_code == 404 and refused.mimetype == "application/fhir+json"
    outcome = refused.get_json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "not-found" and theirs.id in outcome["issue"][0]["diagnostics"]
    session.expire_all()
    reads = session.exec(select(AuditEvent).where(AuditEvent.action == "pathway.fhir_read")).all()
    assert [(e.actor_kind, e.pathway_id, e.patient_id) for e in reads] == [("api_client", mine.id, mine.patient_id)]


def test_without_a_token_the_answer_is_an_operation_outcome_401(client, make_pathway, unit_a):
    pathway = make_pathway(MILESTONES[:1], unit=unit_a)

    response = client.get(f"/api/v1/pathways/{pathway.id}/fhir")

    assert response.status_code == 401 and response.mimetype == "application/fhir+json"
    assert response.get_json()["issue"][0]["code"] == "login"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
