"""Reads for the FHIR export, as plain records: a pathway's submitted responses with their scores, and score pages.

A pathway costs three queries whatever its length (patient, responses with
their respondents, scores). Callers check access first: these functions take
ids a caller may already see.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import func, or_, tuple_
from sqlmodel import select

from pro_service import db
from pro_service.goals.models import Goal, GoalRating
from pro_service.goals.queries import goal_views
from pro_service.pathways.models import Assessment, Pathway, PathwayStatus, Patient, Respondent, Response, Score

from .records import (GoalRatingRecord, GoalRecord, ObservationRecord, PathwayRecord, PatientRecord, ResponseRecord,
                      ScoreRecord)


def patient_record(patient: Patient) -> PatientRecord:
    return PatientRecord(id=patient.id, external_id=patient.external_id, birth_date=patient.birth_date,
                         sex=str(patient.sex) if patient.sex else None)


def pathway_record(pathway: Pathway, *, since: datetime | None = None) -> PathwayRecord:
    """The pathway's patient and submitted responses (only those submitted at or after `since`, when given)."""
    patient = db.session().get(Patient, pathway.patient_id)
    condition = [Assessment.pathway_id == pathway.id]
    if since is not None:
        condition.append(Response.submitted_at >= since)
    return PathwayRecord(id=pathway.id, unit_id=pathway.unit_id, patient=patient_record(patient),
                         responses=tuple(_responses(condition, pathway.patient_id)), goals=_goals(pathway))


def _goals(pathway: Pathway) -> tuple[GoalRecord, ...]:
    """The pathway's own goals; the caller's audit row for the export covers reading them (see goals.queries)."""
    active = pathway.status == PathwayStatus.OPEN
    return tuple(GoalRecord(id=view.id, patient_id=pathway.patient_id, respondent_role=view.respondent_role,
                            number=view.number, text=view.text, created_at=view.created_at, active=active,
                            ratings=tuple(GoalRatingRecord(milestone_id=p.milestone_id, occurred_at=p.occurred_at,
                                                           rating=p.rating) for p in view.ratings),
                            change=str(view.change) if view.change else None)
                 for view in goal_views(pathway_id=pathway.id))


def pathway_ids_since(since: datetime) -> list[str]:
    """Pathways with a response submitted, or a goal written or rated, at or after `since`, oldest first
    (the NDJSON export's work list)."""
    session = db.session()
    first: dict[str, datetime] = {}
    for statement in (
        select(Assessment.pathway_id, func.min(Response.submitted_at))
        .join(Response, Response.assessment_id == Assessment.id)
        .where(Response.submitted_at >= since).group_by(Assessment.pathway_id),
        select(Goal.pathway_id, func.min(Goal.updated_at)).where(Goal.updated_at >= since).group_by(Goal.pathway_id),
        select(Goal.pathway_id, func.min(GoalRating.updated_at)).join(Goal, Goal.id == GoalRating.goal_id)
        .where(GoalRating.updated_at >= since).group_by(Goal.pathway_id),
    ):
        for pathway_id, at in session.exec(statement).all():
            first[pathway_id] = min(at, first.get(pathway_id, at))
    return sorted(first, key=lambda pathway_id: (first[pathway_id], pathway_id))


def observation_page(*, patient_id: str, codes: Collection[tuple[str, str]] | None, offset: int,
                     count: int) -> tuple[list[ObservationRecord], int]:
    """One page of a patient's scores (oldest first), limited to (instrument, scale) pairs when `codes` is given.

    Scores that could not be computed (too many items missing) are no Observation, so never counted.
    """
    where = [Pathway.patient_id == patient_id, Response.submitted_at.is_not(None), Score.value.is_not(None)]
    if codes is not None:
        if not codes:
            return [], 0
        where.append(or_(*(tuple_(Assessment.instrument_id, Score.scale_id) == pair for pair in sorted(codes))))
    base = (select(Score.id).join(Response, Response.id == Score.response_id)
            .join(Assessment, Assessment.id == Response.assessment_id)
            .join(Pathway, Pathway.id == Assessment.pathway_id).where(*where))
    session = db.session()
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    score_ids = session.exec(base.order_by(Response.submitted_at, Score.id).offset(offset).limit(count)).all()
    if not score_ids:
        return [], total
    scores = {s.id: s for s in session.exec(select(Score).where(Score.id.in_(score_ids)))}
    response_ids = {score.response_id for score in scores.values()}
    responses = {r.id: r for r in _responses([Response.id.in_(response_ids)], patient_id)}
    records = [ObservationRecord(score=_score(scores[i]), response=responses[scores[i].response_id])
               for i in score_ids]
    return records, total


def _responses(condition: Iterable, patient_id: str) -> list[ResponseRecord]:
    session = db.session()
    rows = session.exec(
        select(Response, Assessment.instrument_id, Respondent.id, Respondent.role)
        .join(Assessment, Assessment.id == Response.assessment_id)
        .join(Respondent, Respondent.id == Assessment.respondent_id)
        .where(Response.submitted_at.is_not(None), *condition)
        .order_by(Response.submitted_at, Response.id)).all()
    scores: dict[str, list[ScoreRecord]] = {}
    if rows:
        for score in session.exec(select(Score).where(Score.response_id.in_([r[0].id for r in rows]))
                                  .order_by(Score.response_id, Score.id)):
            scores.setdefault(score.response_id, []).append(_score(score))
    return [
        ResponseRecord(id=response.id, patient_id=patient_id, instrument_id=instrument_id,
                       instrument_version=response.instrument_version, language=response.language,
                       submitted_at=response.submitted_at, respondent_id=respondent_id, respondent_role=str(role),
                       answers={int(k): v for k, v in response.answers.items() if v is not None},
                       scores=tuple(scores.get(response.id, ())))
        for response, instrument_id, respondent_id, role in rows
    ]


def _score(score: Score) -> ScoreRecord:
    return ScoreRecord(id=score.id, scale_id=score.scale_id, value=score.value, band=score.band,
                       caseness=score.caseness, threshold=score.threshold, missing=score.missing,
                       prorated=score.prorated)
