"""Care setting: an inpatient TSB pathway is held to the inpatient time limit (clinical decision within 7 days of
the first consultation, not 21) in the clinic and in the report, and an outpatient one never is.

Source of the figures: the TSB package file (surveys/packages/tsb.yaml, Helsedirektoratet's forløpstider).
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pro_service import definitions
from pro_service.pathways.models import CareSetting
from pro_service.pathways.operations import change_care_setting
from pro_service.pathways.package_rules import in_setting
from pro_service.pathways.queries import pathway_detail
from pro_service.reports.models import PathwayTimeLimit
from pathway_helpers import inpatient_tsb_quality_page

OSLO = "Europe/Oslo"


def _ids(package_id: str, care_setting: str) -> set[str]:
    return {rule.id for rule in in_setting(definitions.packages()[package_id].time_limits(), care_setting)}


def test_the_inpatient_limit_replaces_the_ordinary_one_only_for_inpatients(app):
    with app.app_context():
        every = {rule.id for rule in definitions.packages()["tsb"].time_limits()}
        outpatient, inpatient = _ids("tsb", "outpatient"), _ids("tsb", "inpatient")
        adults_out, adults_in = _ids("mh_adults", "outpatient"), _ids("mh_adults", "inpatient")
    assert {"clinical_decision", "clinical_decision.inpatient"} <= every
    assert outpatient == every - {"clinical_decision.inpatient", "evaluation.inpatient_interval"}
    assert inpatient == every - {"clinical_decision", "evaluation.interval"}
    assert adults_out == adults_in  # a package without an inpatient limit is the same in both settings


def _limits(session, pathway_id: str) -> dict[str, tuple[int | None, int]]:
    session.expire_all()
    return {row.time_limit: (row.taken_days, row.met) for row in
            session.scalars(select(PathwayTimeLimit).where(PathwayTimeLimit.pathway_id == pathway_id))}


@pytest.mark.parametrize("decided_after", [7, 10])
def test_report_rows_follow_the_care_setting(session, make_pathway, decided_after):
    pathway = make_pathway([("start", 0, None), ("first_consultation", 5, None),
                            ("clinical_decision", 5 + decided_after, None)], package="tsb")
    outpatient = _limits(session, pathway.id)
    assert outpatient["clinical_decision"] == (decided_after, 1)  # within 21 days
    assert "clinical_decision.inpatient" not in outpatient

    assert change_care_setting(pathway=pathway, care_setting=CareSetting.INPATIENT)
    session.commit()
    inpatient = _limits(session, pathway.id)
    assert "clinical_decision" not in inpatient
    assert inpatient["clinical_decision.inpatient"] == (decided_after, int(decided_after <= 7))

    assert not change_care_setting(pathway=pathway, care_setting=CareSetting.INPATIENT)  # no change, no rewrite
    assert change_care_setting(pathway=pathway, care_setting="outpatient")
    session.commit()
    assert _limits(session, pathway.id) == outpatient


def test_the_clinic_counts_an_inpatients_deadline_from_the_inpatient_limit(session, make_pathway):
    started = datetime(2026, 3, 2, 9, tzinfo=UTC)
    pathway = make_pathway([("start", 0, None), ("first_consultation", 1, None)], package="tsb", started=started)
    now = started + timedelta(days=3)
    tsb = definitions.packages()["tsb"]
    before = pathway_detail(pathway=pathway, package=tsb, now=now, timezone=OSLO)
    change_care_setting(pathway=pathway, care_setting=CareSetting.INPATIENT)
    after = pathway_detail(pathway=pathway, package=tsb, now=now, timezone=OSLO)
    decision = {limit.milestone: limit for limit in before.time_limits}["clinical_decision"]
    inpatient = {limit.milestone: limit for limit in after.time_limits}["clinical_decision"]
    assert (before.care_setting, decision.days, str(decision.deadline)) == ("outpatient", 21, "2026-03-24")
    assert (after.care_setting, inpatient.days, str(inpatient.deadline)) == ("inpatient", 7, "2026-03-10")


def test_the_quality_page_names_the_inpatient_limit(client, login_as, make_unit, make_pathway, session):
    html = inpatient_tsb_quality_page(client=client, login_as=login_as, make_unit=make_unit,
                                      make_pathway=make_pathway, session=session,
                                      milestones=[("start", 0, None), ("first_consultation", 5, None),
                                                  ("clinical_decision", 9, None), ("end", 60, None)])
    assert "within 7 days of first attendance (inpatient units)" in html
    assert "within 21 days" not in html
