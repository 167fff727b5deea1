"""A seeded pathway with real answers (through the survey operations), and a client logged in to see it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from clinic_helpers import BASE_URL, TOTALS, Seeded

from pro_service import definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.operations import register_milestone, start_pathway


@pytest.fixture
def seed(session, make_unit, make_patient):
    """An mh_adults pathway answered at start, clinical decision and evaluation; the evaluation raised alerts."""

    def make(unit=None, external_id: str = "EPR-1", name: str = "Kari Nordmann", answered=TOTALS,
             registered=("clinical_decision", "evaluation")) -> Seeded:
        unit = unit or make_unit()
        package = definitions.packages()["mh_adults"]
        now = datetime.now(UTC).replace(microsecond=0)
        patient = make_patient(unit=unit, external_id=external_id, name=name, email="kari@example.no")
        started_at = now - timedelta(days=150)
        pathway, registration = start_pathway(patient=patient, package=package, by="dr", base_url=BASE_URL,
                                              started_at=started_at)
        events = {"start": registration.event.id}
        for item in registration.invitations:
            if "start" in answered:
                answer_invitation(item.invitation, answered["start"], now=started_at + timedelta(hours=2), language="en")
        for milestone, days_ago in (("clinical_decision", 90), ("evaluation", 1)):
            if milestone not in registered:
                continue
            occurred_at = now - timedelta(days=days_ago)
            registration = register_milestone(pathway=pathway, package=package, milestone_id=milestone,
                                              occurred_at=occurred_at, by="dr", base_url=BASE_URL)
            events[milestone] = registration.event.id
            if milestone in answered:
                for item in registration.invitations:
                    answer_invitation(item.invitation, answered[milestone], now=occurred_at - timedelta(hours=2),
                                      language="en")
        session.commit()
        return Seeded(pathway=pathway, events=events)

    return make


@pytest.fixture
def seeded(seed):
    return seed()
