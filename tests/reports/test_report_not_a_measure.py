"""Questions that are not a measure (the readiness questions, `outcome_measure: false`) are answered, scored and
shown, but never counted as an outcome in the report."""
from __future__ import annotations

from sqlmodel import select

from pro_service import definitions
from pro_service.instruments.scoring import score
from pro_service.reports.models import PathwayOutcome


def test_readiness_is_scored_as_words_and_left_out_of_the_report(app, session, make_pathway):
    with app.app_context():
        readiness = definitions.catalog()["readiness"]
    scored = score(readiness, {1: 2, 2: 3})
    assert (scored.scales["helps"].band, scored.scales["ready"].band) == ("somewhat", "ready")
    assert readiness.outcome_measure is False and definitions.catalog()["phq9"].outcome_measure is True

    pathway = make_pathway([("start", 0, None), ("first_consultation", 10, None),
                            ("clinical_decision", 30, {"phq9": 18}), ("evaluation", 90, {"phq9": 9, "readiness": 1}),
                            ("end", 120, {"phq9": 6, "readiness": 3})])

    instruments = set(session.exec(select(PathwayOutcome.instrument_id)
                                   .where(PathwayOutcome.pathway_id == pathway.id)).all())
    assert "phq9" in instruments and "readiness" not in instruments
