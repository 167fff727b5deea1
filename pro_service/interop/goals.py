"""FHIR R4B `Goal` resources from a pathway's own goals (pure: records in, resources out).

Goal.description.text is the respondent's wording (what FHIR Goal is for); the
GBO ratings 0–10 are notes with their milestone's time, the target is 10 (the
goal reached), and achievementStatus follows the change from the first rating to
the latest, classified with the GBO reliable change index.
"""
from __future__ import annotations

from typing import Any

from fhir.resources.R4B.goal import Goal

from .context import FhirContext
from .records import GoalRecord
from .resources import RELATIONSHIPS

ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
ACHIEVEMENTS = {
    # pro_service.goals.classification.GoalChange values, as strings so the mapping imports nothing outside interop
    "reliably_improved": ("improving", "Improving"),
    "no_reliable_change": ("no-change", "No Change"),
    "reliably_deteriorated": ("worsening", "Worsening"),
}
GBO_TOP = 10


def goal(record: GoalRecord, *, context: FhirContext) -> Goal:
    subject = {"reference": f"Patient/{record.patient_id}"}
    body: dict[str, Any] = {
        "id": record.id,
        "lifecycleStatus": "active" if record.active else "completed",
        "description": {"text": record.text},
        "subject": subject,
        "startDate": record.created_at.date().isoformat(),
        "target": [{"measure": {"coding": [{"system": context.system("goal"), "code": "gbo",
                                            "display": "Goal Based Outcome progress, 0-10"}]},
                    "detailInteger": GBO_TOP}],
        "identifier": [{"system": context.system("goal", "number"), "value": str(record.number)}],
    }
    if record.respondent_role == "self":
        body["expressedBy"] = subject
    else:
        system, code, display = RELATIONSHIPS[record.respondent_role]
        body["contained"] = [{"resourceType": "RelatedPerson", "id": "respondent", "patient": subject,
                              "relationship": [{"coding": [{"system": system, "code": code, "display": display}],
                                                "text": record.respondent_role.replace("_", " ")}]}]
        body["expressedBy"] = {"reference": "#respondent"}
    if record.ratings:
        latest = record.ratings[-1]
        body["statusDate"] = latest.occurred_at.date().isoformat()
        body["note"] = [{"time": point.occurred_at.isoformat(),
                         "text": f"GBO rating {point.rating} of {GBO_TOP} at {point.milestone_id.replace('_', ' ')}"}
                        for point in record.ratings]
        achievement = _achievement(record)
        if achievement:
            body["achievementStatus"] = {"coding": [{"system": ACHIEVEMENT, "code": achievement[0],
                                                     "display": achievement[1]}]}
    return Goal.model_validate(body)


def _achievement(record: GoalRecord) -> tuple[str, str] | None:
    if record.ratings[-1].rating == GBO_TOP:
        return "achieved", "Achieved"
    if record.change is None:
        return "in-progress", "In Progress"
    return ACHIEVEMENTS[record.change]
