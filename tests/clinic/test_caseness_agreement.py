""""Recovered" means the same in the clinic, the GP letter and the outcome report when the cut-off depends on sex.

DUDIT (Berman 2005; the DUDIT manual): drug-related problems at 6 or more points for men,
2 or more for women; reliable change ≥ 9.92 points (Jacobson–Truax, 1.96 × 8.0 × √(2 × 0.2)).
A woman who goes from 15 to 4 improved reliably but is still a case, so she has not
recovered; a man with the same scores has. Each place must read the caseness stored
with the scores (judged with the patient's sex), not the file's default cut-off of 6.
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
from pro_service.reports.model import ReportRequest
from pro_service.reports.queries import outcome_report

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DUDIT = [("start", 0, 20), ("clinical_decision", 30, 15), ("end", 150, 4)]


@pytest.fixture
def dudit_pathway(session, make_unit, make_patient):
    def build(sex: str):
        unit = make_unit(code=sex.upper(), name=f"Unit {sex}")
        patient = make_patient(unit=unit, external_id=f"EPR-{sex}", name="Pasient", sex=sex,
                               birth_date=date(1980, 3, 1))
        package = definitions.packages()["tsb"]
        pathway, registration = start_pathway(patient=patient, package=package, by="test",
                                              base_url="https://x", started_at=T0)
        event = registration.event
        for milestone, days, total in DUDIT:
            at = T0 + timedelta(days=days)
            if milestone != "start":
                registration = register_milestone(pathway=pathway, package=package, milestone_id=milestone,
                                                  occurred_at=at, by="test", base_url="https://x")
                event = registration.event
            for item in registration.invitations:
                answer_invitation(item.invitation, {"dudit": total}, now=at, language="en")
        set_general_practitioner(patient=patient, name="Dr. Per Hansen", practice="Storgata legekontor",
                                 language="en")
        session.commit()
        return unit, pathway, event

    return build


@pytest.mark.parametrize(("sex", "category", "recovered"), [("female", "improved", 0), ("male", "recovered", 1)])
def test_recovered_follows_the_patients_cut_off_everywhere(app, session, dudit_pathway, sex, category, recovered):
    unit, pathway, end = dudit_pathway(sex)

    with app.test_request_context():
        (row,) = caseload(unit_ids=[unit.id], now=datetime.now(UTC), timezone="Europe/Oslo",
                          highlight_after=timedelta(hours=24), filters=CaseloadFilter(include_ended=True))
        page = pathway_page(pathway=pathway, now=datetime.now(UTC), timezone="Europe/Oslo", unit_ids=[unit.id])
        compared = evaluation(page=page, from_id=None, to_id=end.id).comparisons
    letter = letter_context(milestone_event_id=end.id, note="")
    report = outcome_report(session, ReportRequest(start=date(2026, 1, 1), end=date(2026, 12, 31), units=(unit.id,),
                                                   package="tsb", role="self"),
                            catalog=definitions.catalog(), packages=definitions.packages(), timezone="Europe/Oslo")

    assert next(c.category for c in row.changes if c.instrument == "dudit") == category
    dudit = next(c for c in compared if c.trajectory.instrument_id == "dudit")
    assert (dudit.before.value, dudit.after.value) == (15, 4)
    assert dudit.change.category == category
    assert next(r.category for r in letter.results if "DUDIT" in r.instrument) == category
    tally = next(r.tally for g in report.groups for r in g.outcomes if (r.instrument, r.scale) == ("dudit", "total"))
    assert (tally.n, tally.cases_at_start, tally.reliably_improved, tally.recovered) == (1, 1, 1, recovered)
