"""FHIR R4 for EPRs: Questionnaires, a pathway's resources as a Bundle, and a patient's Observations.

Same bearer tokens and unit scoping as the rest of the API (another unit's
pathway or patient is answered as a missing one), every read of a patient's data
audited, `application/fhir+json`, and errors as OperationOutcomes. The
resources are built in `pro_service/interop`; these views only look up, check
access, audit and serialise.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, current_app, request
from fhir.resources.R4B.resource import Resource

from pro_service import definitions
from pro_service.api import lookups
from pro_service.api.problems import FHIR_ENDPOINTS, Problem, outcome_response
from pro_service.api.views import bp
from pro_service.audit.operations import record
from pro_service.interop import bundles, queries, search
from pro_service.interop.context import FHIR_MIMETYPE, context_for
from pro_service.interop.export import pathway_bundle
from pro_service.interop.questionnaires import UnavailableLanguage, questionnaire
from pro_service.interop.resources import observation


@bp.get("/fhir/Questionnaire/<instrument_id>")
def fhir_questionnaire(instrument_id: str) -> Response:
    """The instrument in `lang` (default: the service's default language); no patient data, so not audited."""
    instrument = definitions.catalog().get(instrument_id)
    if instrument is None:
        raise Problem(404, "Not Found", f"no instrument {instrument_id!r} (instruments: "
                                        f"{', '.join(definitions.catalog())})")
    language = request.args.get("lang") or current_app.config["SETTINGS"].default_locale
    try:
        found = questionnaire(instrument, language=language, context=_context())
    except UnavailableLanguage as exc:
        return outcome_response(404, str(exc), expression=["lang"])
    return _fhir(found)


@bp.get("/pathways/<pathway_id>/fhir")
def pathway_fhir(pathway_id: str) -> Response:
    """The Patient, every QuestionnaireResponse and every Observation of the pathway, as a collection."""
    pathway = lookups.pathway(pathway_id)
    found = queries.pathway_record(pathway)
    record(action="pathway.fhir_read", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id)
    return _fhir(pathway_bundle(found, catalog=definitions.catalog(), context=_context()))


@bp.get("/fhir/Observation")
def fhir_observations() -> Response:
    """A patient's scores, oldest first, `_count` a page (default 50, at most 200); `next` links the next page."""
    try:
        wanted = search.parse(request.args.items(multi=True))
    except search.SearchError as exc:
        return outcome_response(400, str(exc), expression=[exc.parameter])
    patient = lookups.patient(wanted.patient_id)
    context, catalog = _context(), definitions.catalog()
    codes = None if wanted.codes is None else search.matching_scales(catalog, wanted.codes, context=context)
    page, total = queries.observation_page(patient_id=patient.id, codes=codes, offset=wanted.offset,
                                           count=wanted.count)
    record(action="fhir.observations_read", patient_id=patient.id, unit_id=patient.unit_id,
           detail=f"{len(page)} of {total} from {wanted.offset}")
    found = [observation(item.score, item.response, catalog[item.response.instrument_id], context=context)
             for item in page]
    after = wanted.offset + wanted.count
    bundle = bundles.searchset(found, base=context.canonical_base, total=total,
                               self_url=_search_url(wanted.query(offset=wanted.offset)),
                               next_url=_search_url(wanted.query(offset=after)) if after < total else None)
    return _fhir(bundle)


FHIR_ENDPOINTS.update({"api.fhir_questionnaire", "api.pathway_fhir", "api.fhir_observations"})


def _context():
    return context_for(current_app.config["SETTINGS"])


def _search_url(params: list[tuple[str, str]]) -> str:
    return f"{_context().canonical_base}/Observation?{urlencode(params)}"


def _fhir(resource: Resource) -> Response:
    return Response(resource.model_dump_json(), mimetype=FHIR_MIMETYPE)
