"""Demo data for `make run`: one unit, patients in several packages at different milestones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import select

from pro_service import db
from pro_service.pathways.invitations import reissue_invitation
from pro_service.pathways.models import Invitation, MilestoneEvent, Pathway, Unit
from pro_service.pathways.operations import (
    add_respondent,
    create_unit,
    register_milestone,
    register_patient,
    start_pathway,
)
from pro_service.pathways.packages import Packages
from pro_service.types import utcnow

DEMO_UNIT_CODE = "DEMO-DPS"

# (external id, name, birth date, package, milestones after start as (id, days ago), parent's name)
PATIENTS = [
    ("DEMO-1", "Kari Nordmann", date(1988, 4, 12), "mh_adults",
     [("clinical_decision", 90), ("evaluation", 0)], None),
    ("DEMO-2", "Ola Hansen", date(1975, 9, 3), "tsb", [("clinical_decision", 20)], None),
    ("DEMO-3", "Emma Berg", date(2012, 2, 20), "mh_children", [], "Lise Berg"),
    ("DEMO-4", "Ahmed Ali", date(1995, 6, 30), "psychosis", [], None),
]
START_DAYS_AGO = {"DEMO-1": 150, "DEMO-2": 40, "DEMO-3": 2, "DEMO-4": 1}


@dataclass(frozen=True)
class DemoResult:
    created: bool
    links: tuple[tuple[str, str, str], ...]  # (respondent name, link, short code)


def create_demo(*, packages: Packages, base_url: str) -> DemoResult:
    """Idempotent: a second run finds the demo unit and only issues fresh links to its open invitations."""
    existing = db.session().exec(select(Unit).where(Unit.code == DEMO_UNIT_CODE)).first()
    if existing:
        return DemoResult(created=False, links=_fresh_links(existing, base_url))
    unit = create_unit(code=DEMO_UNIT_CODE, name="Demo DPS, allmennpoliklinikk", phone="22 00 00 00",
                       email="post@demo-dps.example")
    now = utcnow().replace(microsecond=0)
    links = []
    for external_id, name, birth_date, package_id, milestones, parent in PATIENTS:
        package = packages[package_id]
        patient, _ = register_patient(unit=unit, external_id=external_id, name=name, birth_date=birth_date,
                                      language="nb")
        if parent:
            add_respondent(patient=patient, role="parent", name=parent, language="nb")
        pathway, registration = start_pathway(patient=patient, package=package, by="demo", base_url=base_url,
                                              started_at=now - timedelta(days=START_DAYS_AGO[external_id]))
        issued = list(registration.invitations)
        for milestone_id, days_ago in milestones:
            registration = register_milestone(pathway=pathway, package=package, milestone_id=milestone_id,
                                              occurred_at=now - timedelta(days=days_ago), by="demo",
                                              base_url=base_url)
            issued = list(registration.invitations) or issued
        for item in issued:
            links.append((item.invitation.respondent.name, item.link, item.short_code))
    return DemoResult(created=True, links=tuple(links))


def _fresh_links(unit: Unit, base_url: str) -> tuple[tuple[str, str, str], ...]:
    # Tokens are stored only as hashes, so a re-run cannot print the old links: it adds new ones.
    now = utcnow()
    invitations = db.session().exec(
        select(Invitation).join(MilestoneEvent).join(Pathway)
        .where(Pathway.unit_id == unit.id, Invitation.used_at.is_(None), Invitation.expires_at > now)
    ).all()
    issued = [reissue_invitation(invitation=invitation, base_url=base_url) for invitation in invitations]
    return tuple((item.invitation.respondent.name, item.link, item.short_code) for item in issued)
