"""GP letters for the EPR: a pathway's letters, and each one's PDF/A bytes exactly as finalized."""
from __future__ import annotations

from flask import Response

from pro_service.api import lookups
from pro_service.api.problems import Problem, not_found
from pro_service.api.views import _json, bp
from pro_service.audit.operations import record
from pro_service.letters import queries
from pro_service.letters.operations import download_letter


@bp.get("/pathways/<pathway_id>/letters")
def list_letters(pathway_id: str) -> Response:
    pathway = lookups.pathway(pathway_id)
    record(action="letters.read", patient_id=pathway.patient_id, unit_id=pathway.unit_id, pathway_id=pathway.id)
    return _json(queries.letters_of(pathway.id))


@bp.get("/letters/<letter_id>.pdf")
def get_letter_pdf(letter_id: str) -> Response:
    letter = queries.letter_by_id(letter_id)
    if letter is None:
        raise not_found("letter", letter_id)
    try:
        lookups.pathway(letter.pathway_id)
    except Problem:
        raise not_found("letter", letter_id) from None  # another unit's letter is answered as a missing one
    pdf = download_letter(letter=letter)
    return Response(pdf, mimetype="application/pdf", headers={"ETag": f'"{letter.sha256}"'})
