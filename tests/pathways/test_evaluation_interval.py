"""The interval between evaluations follows the care setting: an inpatient TSB pathway's next evaluation falls
due 42 days after the last one, an outpatient one's 56 days after, in the caseload, on the pathway page (and the
API, which returns the same detail) and in the report's time-limit rows; the first evaluation stays 7 days after
the clinical decision in both.

Source of the figures: Helsedirektoratet, Rusbehandling (TSB), kapittel 5 Forløpstider, "Tid mellom hver
evaluering": poliklinikk inntil 56 kalenderdager (8 uker), døgnenhet inntil 42 (6 uker) (surveys/packages/tsb.yaml).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from pro_service import definitions
from pro_service.clinic.queries import CaseloadFilter, caseload
from pro_service.pathways.models import CareSetting
from pro_service.pathways.operations import change_care_setting
from pro_service.pathways.queries import TimeLimitStatus, pathway_detail
from pro_service.reports.days import day_number
from pro_service.reports.models import PathwayTimeLimit
from pro_service.reports.operations import refresh_queued
from pathway_helpers import inpatient_tsb_quality_page

OSLO = "Europe/Oslo"
STARTED = datetime(2026, 3, 2, 9, tzinfo=UTC)
EVALUATED = [("start", 0, None), ("first_consultation", 2, None), ("clinical_decision", 9, None),
             ("evaluation", 14, None)]
"""An evaluation on 16 March 2026; the next falls due on 27 April (inpatient) or 11 May (outpatient)."""


def _pathway(make_pathway, session, unit, care_setting: str, milestones=EVALUATED):
    pathway = make_pathway(milestones, package="tsb", started=STARTED, unit=unit)
    if care_setting == CareSetting.INPATIENT:
        change_care_setting(pathway=pathway, care_setting=CareSetting.INPATIENT)
        session.commit()
    return pathway


@pytest.mark.parametrize(("care_setting", "days", "deadline"), [("outpatient", 56, date(2026, 5, 11)),
                                                                 ("inpatient", 42, date(2026, 4, 27))])
def test_the_pathway_detail_counts_the_next_evaluation_from_the_last(session, make_unit, make_pathway, care_setting,
                                                                     days, deadline):
    pathway = _pathway(make_pathway, session, make_unit(), care_setting)
    detail = pathway_detail(pathway=pathway, package=definitions.packages()["tsb"], now=STARTED + timedelta(days=20),
                            timezone=OSLO)
    evaluation = {(limit.from_milestone, limit.days): limit for limit in detail.time_limits
                  if limit.milestone == "evaluation"}
    assert set(evaluation) == {("clinical_decision", 7), ("evaluation", days)}
    assert evaluation[("clinical_decision", 7)].status == TimeLimitStatus.MET
    assert (evaluation[("evaluation", days)].deadline, evaluation[("evaluation", days)].status) == (
        deadline, TimeLimitStatus.PENDING)


@pytest.mark.parametrize(("care_setting", "expected"), [("outpatient", (TimeLimitStatus.AT_RISK, date(2026, 5, 11))),
                                                        ("inpatient", (TimeLimitStatus.OVERDUE, date(2026, 4, 27)))])
def test_the_caseload_shows_the_next_evaluation_by_the_care_setting(app, session, make_unit, make_pathway,
                                                                    care_setting, expected):
    pathway = _pathway(make_pathway, session, make_unit(), care_setting)
    with app.test_request_context():
        rows = caseload(unit_ids=[pathway.unit_id], now=datetime(2026, 5, 6, 9, tzinfo=UTC), timezone=OSLO,
                        highlight_after=timedelta(hours=24), filters=CaseloadFilter())
    (row,) = rows
    assert [(limit.milestone, limit.from_milestone, limit.status, limit.deadline) for limit in row.time_limits] == [
        ("evaluation", "evaluation", *expected)]


def _rows(session, pathway_id: str) -> dict[str, tuple[int, int | None, int]]:
    """The pathway's rows once what is queued is rewritten, as a report read does first (reports' `settled`)."""
    refresh_queued(session=session, catalog=definitions.catalog(), packages=definitions.packages(), timezone=OSLO)
    session.expire_all()
    return {row.time_limit: (row.deadline_day, row.taken_days, row.met) for row in
            session.scalars(select(PathwayTimeLimit).where(PathwayTimeLimit.pathway_id == pathway_id))}


def _day(offset: int) -> int:
    return day_number((STARTED + timedelta(days=offset)).date())


@pytest.mark.parametrize("gap", [42, 50])
def test_report_rows_measure_the_interval_by_the_care_setting(session, make_unit, make_pathway, gap):
    unit, milestones = make_unit(), [*EVALUATED, ("end", 14 + gap, None)]
    outpatient = _rows(session, _pathway(make_pathway, session, unit, "outpatient", milestones).id)
    inpatient = _rows(session, _pathway(make_pathway, session, unit, "inpatient", milestones).id)
    assert outpatient["evaluation.interval"] == (_day(14 + 56), gap, 1)
    assert inpatient["evaluation.inpatient_interval"] == (_day(14 + 42), gap, int(gap <= 42))
    assert "evaluation.inpatient_interval" not in outpatient and "evaluation.interval" not in inpatient
    assert outpatient["evaluation"] == inpatient["evaluation"] == (_day(9 + 7), 5, 1)


def test_a_report_row_names_the_first_interval_that_ran_over_and_the_end_closes_the_last(session, make_unit,
                                                                                         make_pathway):
    unit = make_unit()
    evaluations = [*EVALUATED, ("evaluation", 60, None), ("evaluation", 90, None), ("end", 100, None)]
    late = _pathway(make_pathway, session, unit, "inpatient", evaluations)
    assert _rows(session, late.id)["evaluation.inpatient_interval"] == (_day(14 + 42), 46, 0)
    in_time = _pathway(make_pathway, session, unit, "outpatient", evaluations)
    assert _rows(session, in_time.id)["evaluation.interval"] == (_day(90 + 56), 10, 1)
    ended = _pathway(make_pathway, session, unit, "inpatient", [*EVALUATED, ("end", 40, None)])
    assert _rows(session, ended.id)["evaluation.inpatient_interval"] == (_day(14 + 42), 26, 1)
    waiting = _pathway(make_pathway, session, unit, "inpatient", EVALUATED)
    assert _rows(session, waiting.id)["evaluation.inpatient_interval"] == (_day(14 + 42), None, 0)


def test_the_quality_page_names_the_inpatient_interval(client, login_as, make_unit, make_pathway, session):
    html = inpatient_tsb_quality_page(client=client, login_as=login_as, make_unit=make_unit,
                                      make_pathway=make_pathway, session=session, started=STARTED,
                                      milestones=[*EVALUATED, ("evaluation", 50, None), ("end", 80, None)])
    assert "Evaluation within 42 days of the previous evaluation (inpatient units)" in html
    assert "within 56 days" not in html


def test_the_pathway_page_shows_the_next_evaluation_once_one_is_registered(client, login_as, make_unit,
                                                                          make_pathway, session):
    unit = make_unit()
    pathway = _pathway(make_pathway, session, unit, "inpatient")
    login_as("clinician", unit=unit)
    html = client.get(f"/clinic/pathways/{pathway.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "deadline Apr 27, 2026 (42 days from Evaluation)" in html
    assert "Next due: <strong class=\"limit--overdue\">Evaluation</strong>, deadline Apr 27, 2026" in html
