"""Pathways with real, scored answers, made through the same operations the app uses (API tokens: tests/conftest.py)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pro_service import definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.operations import add_respondent, register_milestone, start_pathway

BASE_URL = "https://pro.example.no"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FHIR = "/api/v1/fhir"


@pytest.fixture
def make_pathway(session, make_unit, make_patient):
    """A pathway through `milestones` [(milestone, days after start, {instrument: total} or None)].

    Every invitation of a milestone is answered the day it is registered with the totals given (the parent's
    with `parent[milestone]`); None leaves them unanswered.
    """
    numbers = iter(range(1, 10_000))

    def make(milestones, *, package: str = "mh_adults", unit=None, parent=None, language: str = "en",
             birth_date: date = date(1990, 5, 17), sex: str | None = None):
        unit = unit or make_unit()
        number = next(numbers)
        patient = make_patient(unit=unit, external_id=f"EPR-{number}", name=f"Pasient {number}",
                               birth_date=birth_date, sex=sex)
        if parent is not None:
            add_respondent(patient=patient, role="parent", name=f"Forelder {number}")
        chosen = definitions.packages()[package]
        pathway, registration = start_pathway(patient=patient, package=chosen, by="test", base_url=BASE_URL,
                                              started_at=T0)
        for milestone, days, totals in milestones:
            at = T0 + timedelta(days=days)
            if milestone != "start":
                registration = register_milestone(pathway=pathway, package=chosen, milestone_id=milestone,
                                                  occurred_at=at, by="test", base_url=BASE_URL)
            for item in registration.invitations:
                role = item.invitation.respondent.role
                answers = (parent or {}).get(milestone) if role == "parent" else totals
                if answers is not None:
                    answer_invitation(item.invitation, answers, now=at, language=language)
        session.commit()
        return pathway

    return make
