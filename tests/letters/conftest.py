"""A seeded pathway with scores at start, clinical decision and evaluation, and the patient's GP."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.letters.operations import set_general_practitioner
from pro_service.pathways.models import Assessment, AssessmentStatus, Response, Score, Unit
from pro_service.pathways.operations import register_milestone, start_pathway

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MILESTONES = (("start", START), ("clinical_decision", START + timedelta(days=30)),
              ("evaluation", START + timedelta(days=120)))
SCORES = {"phq9": (19, 17, 8), "gad7": (15, 14, 13)}
"""From the baseline (the clinical decision): PHQ-9 17 → 8 is a reliable drop (≥ 6) below the cut-off 10:
recovered. GAD-7 14 → 13: unchanged. The start's scores are history (in the chart only)."""


def answer(session, assessment: Assessment, value: float, at: datetime) -> None:
    """A submitted response with its total score, as the respondent flow stores it."""
    instrument = definitions.catalog()[assessment.instrument_id]
    scale = instrument.default_scale
    response = Response(assessment_id=assessment.id, language="nb", instrument_version=instrument.version,
                        answers={}, submitted_at=at)
    session.add(response)
    session.flush()
    band = scale.band_for(value)
    session.add(Score(response_id=response.id, scale_id=scale.id, value=value, band=band.code if band else None))
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = at


@pytest.fixture
def make_letter_pathway(session, make_unit, make_patient):
    """A mh_adults pathway with PHQ-9 and GAD-7 answered at each milestone; returns (pathway, events by id)."""

    def make(*, language: str = "nb", name: str = "Ola Nordmann", external_id: str = "EPR-1", unit=None,
             scores=SCORES, milestones=MILESTONES, gp: bool = True):
        unit = unit or session.exec(select(Unit).where(Unit.code == "ABUP-OSLO")).first() or make_unit()
        patient = make_patient(unit=unit, external_id=external_id, name=name)
        package = definitions.packages()["mh_adults"]
        pathway, _ = start_pathway(patient=patient, package=package, started_at=milestones[0][1], by="test",
                                   base_url="http://localhost", responsible_clinician="Dr. Åse Bakke")
        events = {}
        for index, (milestone_id, at) in enumerate(milestones):
            event = (register_milestone(pathway=pathway, package=package, milestone_id=milestone_id,
                                        occurred_at=at, by="test", base_url="http://localhost").event)
            events[milestone_id] = event
            assessments = session.exec(select(Assessment).where(Assessment.milestone_event_id == event.id)).all()
            for assessment in assessments:
                if (assessment.instrument_id in scores and index < len(scores[assessment.instrument_id])
                        and scores[assessment.instrument_id][index] is not None):  # None: left unanswered
                    answer(session, assessment, scores[assessment.instrument_id][index], at - timedelta(days=1))
        if gp:
            set_general_practitioner(patient=patient, name="Dr. Per Hansen", practice="Storgata legekontor",
                                     language=language, address="Storgata 1, 0155 Oslo", her_id="123456")
        session.commit()
        return pathway, events

    return make
