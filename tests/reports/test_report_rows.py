"""Each pathway's report rows follow its data, and rebuilding them changes nothing."""
from __future__ import annotations

from datetime import timedelta

from report_helpers import BASE_URL, T0, settled
from sqlalchemy import delete, select

from pro_service import definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.models import Assessment, AssessmentStatus
from pro_service.pathways.operations import cancel_assessment, register_milestone
from pro_service.reports.models import PathwayOutcome, PathwayTimeLimit
from pro_service.reports.operations import fill_report_rows_if_missing


def rows(session):
    settled(session).expire_all()
    outcomes = sorted((r.pathway_id, r.respondent_role, r.instrument_id, r.scale_id, r.paired, r.baseline, r.final,
                       r.case_at_start, r.reliably_improved, r.reliably_deteriorated, r.recovered)
                      for r in session.scalars(select(PathwayOutcome)))
    limits = sorted((r.pathway_id, r.time_limit, r.deadline_day, r.taken_days, r.met)
                    for r in session.scalars(select(PathwayTimeLimit)))
    return outcomes, limits


def test_rows_follow_milestones_answers_and_cancellations(session, make_pathway):
    pathway = make_pathway([("start", 0, None), ("first_consultation", 10, None),
                            ("clinical_decision", 40, {"phq9": 18, "gad7": 15})])
    phq9 = next(r for r in rows(session)[0] if r[2] == "phq9" and r[3] == "total")
    assert phq9[4:7] == (False, None, None)
    (limit,) = rows(session)[1]
    assert (limit[1], limit[3], limit[4]) == ("clinical_decision", 30, True)
    package = definitions.packages()["mh_adults"]
    registration = register_milestone(pathway=pathway, package=package, milestone_id="end",
                                      occurred_at=T0 + timedelta(days=120), by="test", base_url=BASE_URL)
    wsas = next(a for a in registration.assessments if a.instrument_id == "wsas")
    cancel_assessment(assessment=wsas, by="test")
    for item in registration.invitations:
        answer_invitation(item.invitation, {"phq9": 7, "gad7": 4}, now=T0 + timedelta(days=120), language="en")
    session.commit()
    outcomes, _ = rows(session)
    phq9 = next(r for r in outcomes if r[2] == "phq9" and r[3] == "total")
    assert phq9[4:] == (True, 18, 7, True, True, False, True)
    both = next(r for r in outcomes if r[2] == "phq9+gad7")
    assert both[4] == 1 and both[8] == 1
    # WSAS is still eligible (scheduled earlier in the pathway) but its end answer was cancelled: not paired.
    assert next(r for r in outcomes if r[2] == "wsas")[4] == 0
    assert session.scalar(select(Assessment.status).where(Assessment.id == wsas.id)) == AssessmentStatus.CANCELLED


def test_rebuilding_every_pathways_rows_changes_nothing(app, session, make_pathway, make_unit):
    unit = make_unit()
    for before, after in ((20, 8), (8, 16)):
        make_pathway([("start", 0, None), ("first_consultation", 10, None),
                      ("clinical_decision", 40, {"phq9": before}), ("end", 120, {"phq9": after})], unit=unit)
    kept = rows(session)
    result = app.test_cli_runner().invoke(args=["report", "refresh"])
    assert result.exit_code == 0 and "2 pathway(s)" in result.output
    assert rows(session) == kept


def test_an_upgrade_writes_the_rows_of_pathways_made_before_them(app, session, make_pathway):
    make_pathway([("start", 0, None), ("clinical_decision", 40, {"phq9": 20}), ("end", 120, {"phq9": 8})])
    kept = rows(session)
    session.execute(delete(PathwayOutcome))
    session.execute(delete(PathwayTimeLimit))
    session.commit()
    assert fill_report_rows_if_missing() == 1
    assert rows(session) == kept
    assert fill_report_rows_if_missing() == 0
