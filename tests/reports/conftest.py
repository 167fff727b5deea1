"""Ended pathways with real answers, made through the same operations the app uses."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from report_helpers import BASE_URL, T0

from pro_service import definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.operations import add_respondent, register_milestone, start_pathway



@pytest.fixture
def make_pathway(session, make_unit, make_patient):
    """A pathway through `milestones` [(milestone, days after start, {instrument: total} or None)].

    A milestone's answers are submitted the day it is registered; None leaves its
    invitations unanswered. `parent` answers are given for a parent respondent.
    """
    numbers = iter(range(1, 10_000))

    def make(milestones, *, package: str = "mh_adults", unit=None, started: datetime = T0, parent=None,
             birth_date: date = date(1990, 5, 17)):
        unit = unit or make_unit()
        number = next(numbers)
        patient = make_patient(unit=unit, external_id=f"EPR-{number}", name=f"Pasient {number}",
                               birth_date=birth_date)
        if parent is not None:
            add_respondent(patient=patient, role="parent", name=f"Forelder {number}")
        chosen = definitions.packages()[package]
        pathway, registration = start_pathway(patient=patient, package=chosen, by="test", base_url=BASE_URL,
                                              started_at=started)
        for milestone, days, totals in milestones:
            at = started + timedelta(days=days)
            if milestone != "start":
                registration = register_milestone(pathway=pathway, package=chosen, milestone_id=milestone,
                                                  occurred_at=at, by="test", base_url=BASE_URL)
            for item in registration.invitations:
                answers = (parent or {}).get(milestone) if item.invitation.respondent.role == "parent" else totals
                if answers is not None:
                    answer_invitation(item.invitation, answers, now=at, language="en")
        session.commit()
        return pathway

    return make
