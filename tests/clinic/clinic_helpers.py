"""Helpers for the clinic tests: the seeded answers, reading a CSRF token, finding responses and alerts."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import select

from pro_service.pathways.models import Alert, Assessment, MilestoneEvent, Pathway, Response

BASE_URL = "https://pro.example.no"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# milestone -> main-scale totals. Change counts from the package's baseline, the clinical decision:
# PHQ-9 18 → 7 recovers; GAD-7 20 → 15 improves but stays a case; CORE-10 22 → 28 deteriorates; WSAS has no
# reliable-change basis. The start is history: from the start, PHQ-9 12 → 7 would be no reliable change.
TOTALS = {
    "start": {"phq9": 12, "gad7": 20, "core10": 22, "wsas": 26},
    "clinical_decision": {"phq9": 18, "gad7": 20, "core10": 22, "wsas": 22},
    "evaluation": {"phq9": 7, "gad7": 15, "core10": 28, "wsas": 15, "critical": 1},
}


@dataclass
class Seeded:
    pathway: Pathway
    events: dict[str, str]
    """milestone id -> milestone event id"""


def csrf(client, path: str = "/clinic/") -> str:
    """The CSRF token of the session, read from a clinic page (its logout form carries one)."""
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)



def responses_of(session, pathway_id: str, milestone_id: str | None = None) -> list[Response]:
    query = (select(Response).join(Assessment, Assessment.id == Response.assessment_id)
             .join(MilestoneEvent, MilestoneEvent.id == Assessment.milestone_event_id)
             .where(Assessment.pathway_id == pathway_id, Response.submitted_at.is_not(None)))
    if milestone_id:
        query = query.where(MilestoneEvent.milestone_id == milestone_id)
    return list(session.exec(query))


def alerts_of(session, pathway_id: str) -> list[Alert]:
    session.expire_all()
    return list(session.exec(select(Alert).where(Alert.pathway_id == pathway_id).order_by(Alert.item)))
