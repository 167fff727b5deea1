"""One baseline rule everywhere: the clinic, the GP letter and the outcome report pick the same baseline and final.

Each pathway is made through the app's own operations; the expected values are
computed by hand from the package rule (`outcome.baseline: clinical_decision`):
the baseline is the first score at or after the clinical decision, the final the
end's score when answered, else the last evaluation's.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pro_service import definitions
from pro_service.clinic.pathway_queries import evaluation, pathway_page
from pro_service.clinic.queries import CaseloadFilter, caseload
from pro_service.demo import answer_invitation
from pro_service.letters.context import letter_context
from pro_service.letters.operations import set_general_practitioner
from pro_service.pathways.operations import register_milestone, start_pathway
from pro_service.reports import definitions as outcome
from pro_service.reports.model import ReportRequest
from pro_service.reports.queries import outcome_report

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
OTHERS = {"gad7": 10, "core10": 15, "wsas": 20}

# (milestone, days after start, PHQ-9 total or None for unanswered), expected (baseline, final)
ANSWERED = ([("start", 0, 20), ("clinical_decision", 30, 16), ("evaluation", 90, 12), ("end", 150, 5)], (16, 5))
"""The start's 20 is history: change is 16 → 5, not 20 → 5."""
DECISION_UNANSWERED = ([("start", 0, 20), ("clinical_decision", 30, None), ("evaluation", 90, 14),
                        ("evaluation", 120, 9), ("end", 150, None)], (14, 9))
"""The clinical decision was not answered: the first evaluation is the baseline; the end was not answered either,
so the last evaluation is final."""
NO_DECISION = ([("start", 0, 20), ("evaluation", 90, 12), ("end", 150, 6)], (None, None))
"""No clinical decision registered: no baseline, so nothing is paired and no change is shown."""


@pytest.fixture
def make(session, make_unit, make_patient):
    def build(milestones, code: str):
        unit = make_unit(code=code, name=f"Unit {code}")
        patient = make_patient(unit=unit, external_id=f"EPR-{code}", name=f"Pasient {code}")
        package = definitions.packages()["mh_adults"]
        pathway, registration = start_pathway(patient=patient, package=package, by="test",
                                              base_url="https://x", started_at=T0)
        events = []
        for milestone, days, phq9 in milestones:
            at = T0 + timedelta(days=days)
            if milestone != "start":
                registration = register_milestone(pathway=pathway, package=package, milestone_id=milestone,
                                                  occurred_at=at, by="test", base_url="https://x")
            events.append(registration.event)
            if phq9 is not None:
                for item in registration.invitations:
                    answer_invitation(item.invitation, {"phq9": phq9, **OTHERS}, now=at, language="en")
        set_general_practitioner(patient=patient, name="Dr. Per Hansen", practice="Storgata legekontor",
                                 language="en")
        session.commit()
        return unit, pathway, events

    return build


def by_hand(milestones) -> tuple[float | None, float | None]:
    """`reports.definitions` over the same points, built from the table rather than the database."""
    points = [outcome.ScorePoint(occurred_at=T0 + timedelta(days=days), milestone=milestone, value=value,
                                 respondent="self") for milestone, days, value in milestones if value is not None]
    baseline_at = next((T0 + timedelta(days=d) for m, d, _v in milestones if m == "clinical_decision"), None)
    baseline = outcome.baseline_of(points, baseline_at=baseline_at)
    final = outcome.final_of(points, baseline=baseline)
    return (baseline.value if baseline else None), (final.value if final else None)


def from_report(session, unit) -> tuple[float | None, float | None]:
    request = ReportRequest(start=date(2026, 1, 1), end=date(2026, 12, 31), units=(unit.id,), package="mh_adults",
                            role="self")
    report = outcome_report(session, request, catalog=definitions.catalog(), packages=definitions.packages(),
                            timezone="Europe/Oslo")
    row = next(r for g in report.groups for r in g.outcomes if (r.instrument, r.scale) == ("phq9", "total"))
    if row.tally.n == 0:
        return None, None
    assert row.tally.n == 1
    return row.tally.sum_baseline, row.tally.sum_final


def from_letter(end_event) -> tuple[float | None, float | None]:
    letter = letter_context(milestone_event_id=end_event.id, note="")
    result = next(r for r in letter.results if "PHQ-9" in r.instrument)
    return (result.baseline.value if result.baseline else None,
            result.latest.value if result.baseline and result.latest else None)


def from_clinic(app, unit, pathway, end_event) -> tuple[float | None, float | None]:
    with app.test_request_context():
        page = pathway_page(pathway=pathway, now=datetime.now(UTC), timezone="Europe/Oslo", unit_ids=[unit.id])
        found = evaluation(page=page, from_id=None, to_id=end_event.id)
    compared = next(c for c in found.comparisons if c.trajectory.instrument_id == "phq9")
    return (compared.before.value if compared.before else None,
            compared.after.value if compared.before and compared.after else None)


def caseload_category(app, unit) -> str | None:
    with app.test_request_context():
        rows = caseload(unit_ids=[unit.id], now=datetime.now(UTC), timezone="Europe/Oslo",
                        highlight_after=timedelta(hours=24), filters=CaseloadFilter(include_ended=True))
    (row,) = rows
    return next((c.category for c in row.changes if c.instrument == "phq9"), None)


@pytest.mark.parametrize(("case", "code"), [(ANSWERED, "A"), (DECISION_UNANSWERED, "B"), (NO_DECISION, "C")],
                         ids=["answered", "decision-unanswered", "no-decision"])
def test_clinic_letter_and_report_pick_the_same_baseline_and_final(app, session, make, case, code):
    milestones, expected = case
    unit, pathway, events = make(milestones, code)

    assert by_hand(milestones) == expected
    assert from_report(session, unit) == expected
    assert from_letter(events[-1]) == expected
    assert from_clinic(app, unit, pathway, events[-1]) == expected


@pytest.mark.parametrize(("case", "code", "category"), [
    (ANSWERED, "A", "recovered"),  # 16 → 5: at least 6 points better and below 10
    (DECISION_UNANSWERED, "B", "unchanged"),  # 14 → 9 is 5 points; from the start's 20 it would have "recovered"
    (NO_DECISION, "C", None),
], ids=["answered", "decision-unanswered", "no-decision"])
def test_caseload_change_is_from_the_same_baseline(app, session, make, case, code, category):
    milestones, _expected = case
    unit, _pathway, _events = make(milestones, code)

    assert caseload_category(app, unit) == category
