"""Shared helpers for the goals tests: a pathway with goals set at the clinical decision."""
from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.models import MilestoneEvent, Respondent

MILESTONES = [("start", 0, None), ("first_consultation", 7, None), ("clinical_decision", 20, None),
              ("evaluation", 80, None)]


def respondent(session, pathway, role: str = "self") -> Respondent:
    return session.exec(select(Respondent).where(Respondent.patient_id == pathway.patient_id,
                                                 Respondent.role == role)).one()


def event(session, pathway, milestone_id: str) -> MilestoneEvent:
    return session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id,
                                                     MilestoneEvent.milestone_id == milestone_id)
                        .order_by(MilestoneEvent.occurred_at)).first()


def package(package_id: str = "mh_adults"):
    return definitions.packages()[package_id]
