"""What the pathway, evaluation and response pages read, as plain data.

The caller has already passed the unit check (`auth.access.get_pathway_or_404`);
these functions only read. A pathway page is nine queries however long its history.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from pro_service import db, definitions
from pro_service.clinic.queries import AlertRow, open_alerts
from pro_service.clinic.trajectories import AnswerInfo, Comparison, Trajectory, build_trajectories, compare
from pro_service.letters.wording import READINESS
from pro_service.pathways.models import Assessment, Invitation, MilestoneEvent, Pathway, Respondent, Response, Score
from pro_service.pathways.queries import MilestoneEventView, PathwayDetail, PatientView, pathway_detail, patient_view


@dataclass(frozen=True)
class PathwayPage:
    detail: PathwayDetail
    patient: PatientView
    trajectories: tuple[Trajectory, ...]
    alerts: tuple[AlertRow, ...]
    answers: dict[str, AnswerInfo]
    """Submitted responses by assessment id."""


def pathway_page(*, pathway: Pathway, now: datetime, timezone: str, unit_ids: Collection[str]) -> PathwayPage:
    package = definitions.packages()[pathway.package_id]
    detail = pathway_detail(pathway=pathway, package=package, now=now, timezone=timezone)
    patient = patient_view(pathway.patient)
    answers = {
        assessment_id: AnswerInfo(response_id=rid, submitted_at=submitted_at, language=language, entered_by=entered_by)
        for assessment_id, rid, submitted_at, language, entered_by in db.session().exec(
            select(Response.assessment_id, Response.id, Response.submitted_at, Response.language, Response.entered_by)
            .join(Assessment, col(Assessment.id) == Response.assessment_id)
            .where(Assessment.pathway_id == pathway.id, col(Response.submitted_at).is_not(None))
        )
    }
    trajectories = build_trajectories(
        assessments=detail.assessments, occurred_at={m.id: m.occurred_at for m in detail.milestones},
        respondent_names={r.id: r.name for r in patient.respondents}, answers=answers,
        catalog=definitions.catalog())
    order = {entry.instrument: index for index, entry in reversed(list(enumerate(package.plan)))}
    trajectories = tuple(sorted(trajectories, key=lambda t: (order.get(t.instrument_id, len(order)), t.instrument_id,
                                                             t.respondent_role != "self", t.respondent_role)))
    return PathwayPage(detail=detail, patient=patient, trajectories=trajectories,
                       alerts=open_alerts(unit_ids=unit_ids, pathway_id=pathway.id), answers=answers)


@dataclass(frozen=True)
class Evaluation:
    page: PathwayPage
    from_event: MilestoneEventView | None
    """Where the baseline is sought from; None while the package's baseline milestone is not registered."""
    to_event: MilestoneEventView
    baseline_milestone: str
    """The package's baseline milestone (`outcome.baseline`)."""
    comparisons: tuple[Comparison, ...]


def evaluation(*, page: PathwayPage, from_id: str | None, to_id: str | None) -> Evaluation | None:
    """Compare the baseline with the chosen (default: latest evaluation) milestone's score, or the latest before it.

    The baseline is the first score at or after the chosen milestone; by default the
    package's baseline milestone (its first registration), as in the GP letter and the
    outcome report. None when the pathway has no milestones, or an id names no milestone
    of this pathway.
    """
    events = page.detail.milestones
    if not events:
        return None
    baseline_milestone = definitions.packages()[page.detail.package].outcome.baseline
    by_id = {event.id: event for event in events}
    evaluations = [event for event in events if event.milestone == "evaluation"]
    registered = next((event for event in events if event.milestone == baseline_milestone), None)
    from_event = by_id.get(from_id) if from_id else registered
    to_event = by_id.get(to_id) if to_id else (evaluations or list(events))[-1]
    if (from_id and from_event is None) or to_event is None:
        return None
    if from_event is not None and from_event.occurred_at > to_event.occurred_at:
        from_event, to_event = to_event, from_event
    catalog = definitions.catalog()
    defaults = [t for t in page.trajectories if t.scale_id == catalog[t.instrument_id].default_scale.id]
    comparisons = compare(defaults, baseline_at=from_event.occurred_at if from_event else None,
                          to_at=to_event.occurred_at, catalog=catalog)
    return Evaluation(page=page, from_event=from_event, to_event=to_event, baseline_milestone=baseline_milestone,
                      comparisons=comparisons)


@dataclass(frozen=True)
class ResponseRecord:
    response: Response
    assessment: Assessment
    milestone_id: str
    occurred_at: datetime
    respondent_role: str
    scores: tuple[Score, ...]


def response_record(response_id: str) -> ResponseRecord | None:
    """A submitted response with its assessment and scores; None for a draft or an unknown id."""
    session = db.session()
    row = session.exec(
        select(Response, Assessment, MilestoneEvent.milestone_id, MilestoneEvent.occurred_at, Respondent.role)
        .join(Assessment, col(Assessment.id) == Response.assessment_id)
        .join(Respondent, col(Respondent.id) == Assessment.respondent_id)
        .join(MilestoneEvent, col(MilestoneEvent.id) == Assessment.milestone_event_id)
        .where(Response.id == response_id, col(Response.submitted_at).is_not(None))
    ).first() if response_id else None
    if row is None:
        return None
    response, assessment, milestone_id, occurred_at, role = row
    scores = session.exec(select(Score).where(Score.response_id == response.id).order_by(col(Score.scale_id))).all()
    return ResponseRecord(response=response, assessment=assessment, milestone_id=milestone_id,
                          occurred_at=occurred_at, respondent_role=str(role), scores=tuple(scores))


def invitation_of(invitation_id: str) -> tuple[Invitation, Any] | None:
    """The invitation and its milestone event (whose pathway the caller checks)."""
    row = db.session().exec(
        select(Invitation, MilestoneEvent).join(MilestoneEvent, col(MilestoneEvent.id) == Invitation.milestone_event_id)
        .where(Invitation.id == invitation_id)
    ).first() if invitation_id else None
    return tuple(row) if row is not None else None


def readiness_rows(*, pathway_id: str, until: datetime | None = None) -> list[tuple[Any, ...]]:
    """The patient's answers to the readiness questions (readiness.yaml), oldest first, up to `until`.

    Rows as `letters.wording.patient_view` reads them (score, response, assessment, respondent, milestone, when),
    so the clinic states the patient's view in the words the GP letter uses.
    """
    statement = (
        select(Score, Response, Assessment, Respondent, MilestoneEvent.milestone_id, MilestoneEvent.occurred_at)
        .join(Response, col(Response.id) == Score.response_id)
        .join(Assessment, col(Assessment.id) == Response.assessment_id)
        .join(MilestoneEvent, col(MilestoneEvent.id) == Assessment.milestone_event_id)
        .join(Respondent, col(Respondent.id) == Assessment.respondent_id)
        .where(Assessment.pathway_id == pathway_id, Assessment.instrument_id == READINESS,
               col(Response.submitted_at).is_not(None))
        .order_by(col(MilestoneEvent.occurred_at), col(Response.submitted_at), col(Score.id)))
    if until is not None:
        statement = statement.where(MilestoneEvent.occurred_at <= until)
    return list(db.session().exec(statement).all())
