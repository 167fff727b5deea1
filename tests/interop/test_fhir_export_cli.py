"""`pro-service export fhir`: a pathway's Bundle to a file; NDJSON since a date, one file per type; audited."""
from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from sqlmodel import select

from pro_service.audit.models import AuditEvent

START = ("start", 0, {"phq9": 17, "gad7": 12, "core10": 20, "wsas": 18})
DECISION = ("clinical_decision", 30, {"phq9": 11, "gad7": 9, "core10": 14, "wsas": 12})
TYPES = {"Patient": Patient, "QuestionnaireResponse": QuestionnaireResponse, "Observation": Observation}


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["export", "fhir", *args])


def test_a_pathway_is_written_as_a_collection_bundle(app, session, make_pathway, tmp_path):
    pathway = make_pathway([START])
    out = tmp_path / "pathway.json"

    result = _run(app, "--pathway", pathway.id, "--out", str(out))

    assert result.exit_code == 0, result.output
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    assert bundle.type == "collection" and len(bundle.entry) == 1 + 4 + 4
    assert "Wrote a Bundle of 9 resource(s)" in result.output
    session.expire_all()
    assert [(e.actor_kind, e.pathway_id) for e in session.exec(
        select(AuditEvent).where(AuditEvent.action == "pathway.fhir_export"))] == [("system", pathway.id)]


def test_since_writes_one_ndjson_file_per_type_with_one_resource_a_line(app, session, make_pathway, make_unit,
                                                                         tmp_path):
    unit = make_unit()
    make_pathway([START, DECISION], unit=unit)  # responses on 2026-01-05 and 2026-02-04
    make_pathway([START], unit=unit)
    make_pathway([START, ("clinical_decision", 30, None)], unit=unit)  # nothing answered since February

    result = _run(app, "--since", "2026-02-01", "--out", str(tmp_path))

    assert result.exit_code == 0, result.output
    lines = {kind: (tmp_path / f"{kind}.ndjson").read_text(encoding="utf-8").splitlines() for kind in TYPES}
    assert {kind: len(found) for kind, found in lines.items()} == {
        "Patient": 1, "QuestionnaireResponse": 4, "Observation": 4}
    for kind, found in lines.items():
        for line in found:
            TYPES[kind].model_validate(json.loads(line))
    everything = _run(app, "--since", "2026-01-01", "--out", str(tmp_path / "all"))
    assert everything.exit_code == 0, everything.output
    counts = {kind: len((tmp_path / "all" / f"{kind}.ndjson").read_text().splitlines()) for kind in TYPES}
    assert counts == {"Patient": 3, "QuestionnaireResponse": 16, "Observation": 16}
    assert "Wrote 3 Patient, 16 QuestionnaireResponse, 16 Observation" in everything.output


def test_one_of_pathway_or_since_is_required_and_an_unknown_pathway_is_refused(app, session, tmp_path):
    assert _run(app, "--out", str(tmp_path)).exit_code == 2
    assert _run(app, "--pathway", "x", "--since", "2026-01-01", "--out", str(tmp_path)).exit_code == 2
    unknown = _run(app, "--pathway", "nope", "--out", str(tmp_path / "x.json"))
    assert unknown.exit_code == 1 and "no pathway with id 'nope'" in unknown.output
