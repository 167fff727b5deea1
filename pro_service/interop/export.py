"""A pathway's resources in one list, as a collection Bundle, and many pathways as NDJSON (FHIR Bulk Data).

Pure apart from writing files: it takes records and the catalogue, so the API,
the CLI and the tests assemble resources in exactly one way.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from pro_service.instruments import Instrument

from . import bundles, goals, resources
from .context import FhirContext
from .records import PathwayRecord, ResponseRecord

NDJSON_TYPES = ("Patient", "QuestionnaireResponse", "Observation", "Goal")


def response_resources(response: ResponseRecord, instrument: Instrument, *, context: FhirContext) -> list[Resource]:
    """The QuestionnaireResponse, then one Observation per scored scale, in the instrument's scale order."""
    order = {scale.id: index for index, scale in enumerate(instrument.scales)}
    observations = (resources.observation(score, response, instrument, context=context)
                    for score in sorted(response.scores, key=lambda s: order.get(s.scale_id, len(order))))
    return [resources.questionnaire_response(response, instrument, context=context),
            *(o for o in observations if o is not None)]


def pathway_resources(record: PathwayRecord, *, catalog: Mapping[str, Instrument],
                      context: FhirContext) -> list[Resource]:
    found: list[Resource] = [resources.patient(record.patient, context=context)]
    for response in record.responses:
        found += response_resources(response, catalog[response.instrument_id], context=context)
    found += [goals.goal(goal, context=context) for goal in record.goals]
    return found


def pathway_bundle(record: PathwayRecord, *, catalog: Mapping[str, Instrument], context: FhirContext) -> Bundle:
    return bundles.collection(pathway_resources(record, catalog=catalog, context=context),
                              base=context.canonical_base)


def write_ndjson(records: Iterable[PathwayRecord], directory: Path, *, catalog: Mapping[str, Instrument],
                 context: FhirContext, progress: Callable[[], None] = lambda: None) -> Counter[str]:
    """One file per resource type (`Patient.ndjson`, …), one resource a line; returns the lines per type.

    A patient with several pathways is written once. Every type's file is written, empty when there is none,
    so a reader finds the same files every time.
    """
    directory.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter({kind: 0 for kind in NDJSON_TYPES})
    patients: set[str] = set()
    handles = {kind: (directory / f"{kind}.ndjson").open("w", encoding="utf-8") for kind in NDJSON_TYPES}
    try:
        for record in records:
            for resource in pathway_resources(record, catalog=catalog, context=context):
                kind = resource.get_resource_type()
                if kind == "Patient":
                    if resource.id in patients or not (record.responses or record.goals):
                        continue
                    patients.add(resource.id)
                handles[kind].write(json.dumps(resource.model_dump(mode="json"), ensure_ascii=False) + "\n")
                counts[kind] += 1
            progress()
    finally:
        for handle in handles.values():
            handle.close()
    return counts
