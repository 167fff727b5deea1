"""GET /api/v1/fhir/Questionnaire/{instrument}?lang=…, and FHIR errors for whatever else is asked under /fhir."""
from __future__ import annotations

from fhir.resources.R4B.questionnaire import Questionnaire

QUESTIONNAIRE = "/api/v1/fhir/Questionnaire"


def test_the_questionnaire_in_the_language_asked_for(client, auth_a):
    response = client.get(f"{QUESTIONNAIRE}/phq9", query_string={"lang": "nn"}, headers=auth_a)

    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    found = Questionnaire.model_validate_json(response.get_data())
    assert (found.language, found.version) == ("nn", "1.0")
    assert found.url == "http://127.0.0.1:5000/api/v1/fhir/Questionnaire/phq9"
    assert found.item[1].text == "Lite interesse for eller glede av å gjere ting"


def test_a_language_without_licensed_item_texts_is_an_operation_outcome_saying_which_there_are(client, auth_a):
    response = client.get(f"{QUESTIONNAIRE}/smfq_parent", query_string={"lang": "de"}, headers=auth_a)

    assert response.status_code == 404 and response.mimetype == "application/fhir+json"
    issue = response.get_json()["issue"][0]
    assert issue["code"] == "not-found" and issue["expression"] == ["lang"]
    assert issue["diagnostics"].startswith("smfq_parent has no licensed item texts in 'de'; its languages are ")


def test_an_unknown_instrument_or_resource_type_is_an_operation_outcome_404(client, auth_a):
    for path in (f"{QUESTIONNAIRE}/sdq", "/api/v1/fhir/Patient/123"):
        response = client.get(path, headers=auth_a)
        assert response.status_code == 404 and response.mimetype == "application/fhir+json", path
        assert response.get_json()["resourceType"] == "OperationOutcome"


def test_the_questionnaire_needs_a_token_too(client):
    response = client.get(f"{QUESTIONNAIRE}/phq9")

    assert response.status_code == 401
    assert response.get_json()["issue"][0]["code"] == "login"
