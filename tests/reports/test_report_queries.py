"""The report's SQL on hand-computed pathways, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

import pytest
from report_helpers import PERIOD

from pro_service import definitions
from pro_service.reports.model import ReportRequest
from pro_service.reports.queries import outcome_report


def report(session, units, *, by="unit", role=None, package=None, period=PERIOD):
    request = ReportRequest(start=period[0], end=period[1], units=tuple(u.id for u in units), package=package,
                            role=role, by=by)
    return outcome_report(session, request, catalog=definitions.catalog(), packages=definitions.packages(),
                          timezone="Europe/Oslo")


def outcome(group, instrument, scale="total", role="self"):
    return next(row.tally for row in group.outcomes if row.key == (instrument, scale, role))


@pytest.fixture
def adults(make_pathway, make_unit):
    """Six ended adult pathways and one open one, hand-computed below (PHQ-9 / GAD-7 totals)."""
    unit = make_unit()
    cd, ev, end = "clinical_decision", "evaluation", "end"
    make_pathway([("start", 0, {"phq9": 22, "gad7": 18}), ("first_consultation", 10, None),
                  (cd, 40, {"phq9": 18, "gad7": 15}), (ev, 100, {"phq9": 14, "gad7": 12}),
                  (end, 160, {"phq9": 7, "gad7": 5})], unit=unit)               # A: improved, recovered
    make_pathway([("start", 0, None), ("first_consultation", 10, None), (cd, 50, {"phq9": 12, "gad7": 9}),
                  (ev, 100, {"phq9": 14, "gad7": 9}), (end, 160, None)], unit=unit)   # B: final = evaluation
    make_pathway([("start", 0, None), ("first_consultation", 10, None), (cd, 60, {"phq9": 8, "gad7": 6}),
                  (end, 160, {"phq9": 16, "gad7": 6})], unit=unit)              # C: deteriorated
    make_pathway([("start", 0, None), ("first_consultation", 10, None), (cd, 40, {"phq9": 20, "gad7": 14}),
                  (end, 160, None)], unit=unit)                                   # D: baseline only
    make_pathway([("start", 0, {"phq9": 20, "gad7": 14}), (end, 160, {"phq9": 5, "gad7": 3})],
                 unit=unit)                                                       # E: never a clinical decision
    make_pathway([("start", 0, None), ("first_consultation", 10, None), (cd, 40, None),
                  (ev, 100, {"phq9": 15, "gad7": 10}), (end, 160, {"phq9": 9, "gad7": 5})],
                 unit=unit)                                                       # F: baseline = evaluation
    make_pathway([("start", 0, None), (cd, 40, {"phq9": 20, "gad7": 20})], unit=unit)  # G: still open
    return unit


def test_each_definition_on_hand_computed_pathways(session, adults):
    (group,) = report(session, [adults]).groups
    assert (group.key.unit, group.key.package, group.pathways_started, group.pathways_ended) == (
        "ABUP-OSLO", "mh_adults", 7, 6)
    phq9 = outcome(group, "phq9")
    # Paired: A (18→7), B (12→14), C (8→16), F (15→9). D has only a baseline, E no baseline.
    assert (phq9.eligible, phq9.paired, phq9.cases_at_start) == (6, 4, 3)
    assert (phq9.reliably_improved, phq9.reliably_deteriorated, phq9.no_reliable_change) == (2, 1, 1)
    assert (phq9.recovered, phq9.reliably_recovered) == (2, 2)   # A and F below 10 at the end
    assert (phq9.n, phq9.sum_baseline, phq9.sum_final, phq9.sum_change) == (4, 53, 46, -7)
    assert phq9.sum_sq_change == 11 ** 2 + 2 ** 2 + 8 ** 2 + 6 ** 2
    gad7 = outcome(group, "gad7")
    # GAD-7 caseness in its file is ≥ 10: A 15→5 (improved, recovered), B 9→9, C 6→6, F 10→5 (improved, recovered).
    assert (gad7.paired, gad7.cases_at_start, gad7.reliably_improved, gad7.recovered) == (4, 2, 2, 2)


def test_the_paired_phq9_gad7_rule_is_its_own_row(session, adults):
    (group,) = report(session, [adults]).groups
    both = outcome(group, "phq9+gad7", scale="combined")
    # Cases (PHQ-9 ≥ 10 or GAD-7 ≥ 8): A, B (12, 9), F (15, 10); C (8, 6) is not.
    # A improves on both; B unchanged; C deteriorates on PHQ-9; F improves on both. Recovered: A, F.
    assert (both.eligible, both.paired, both.cases_at_start) == (6, 4, 3)
    assert (both.reliably_improved, both.reliably_deteriorated, both.no_reliable_change) == (2, 1, 1)
    assert (both.recovered, both.reliably_recovered) == (2, 2)
    assert both.sum_change is None


def test_a_role_with_no_answers_is_eligible_but_never_paired(session, make_pathway, make_unit):
    unit = make_unit()
    for _ in range(2):
        make_pathway([("start", 0, None), ("first_consultation", 7, None),
                      ("clinical_decision", 40, {"smfq": 14}), ("end", 150, {"smfq": 4})],
                     package="mh_children", unit=unit, birth_date=date(2012, 3, 1), parent={})
    (group,) = report(session, [unit]).groups
    child, parent = outcome(group, "smfq"), outcome(group, "smfq_parent", role="parent")
    # SMFQ has a caseness cut-off (≥ 12) but no published reliable-change basis; the parent form has neither.
    assert (child.eligible, child.paired, child.cases_at_start, child.recovered, child.reliably_improved) == (
        2, 2, 2, 2, None)
    assert (parent.eligible, parent.paired, parent.cases_at_start, parent.n) == (2, 0, None, 0)


def test_process_time_limits_due_met_and_median(session, adults):
    (group,) = report(session, [adults]).groups
    (limit,) = group.process
    # Clinical decision within 42 days of the first consultation (day 10): due for A, B, C, D, F (G has none);
    # taken 30, 40, 50, 30, 30 days → met by A, B, D, F.
    assert (limit.time_limit, limit.due, limit.met, limit.median_days) == ("clinical_decision", 5, 4, 30)


def test_another_units_data_never_appears(session, adults, make_pathway, make_unit):
    other = make_unit(code="DPS-BERGEN", name="DPS Bergen")
    make_pathway([("start", 0, None), ("clinical_decision", 40, {"phq9": 20}), ("end", 100, {"phq9": 2})],
                 unit=other)
    (group,) = report(session, [other]).groups
    assert group.key.unit == "DPS-BERGEN" and outcome(group, "phq9").eligible == 1
    both = report(session, [adults, other], by="package").groups
    assert [(g.key.unit, outcome(g, "phq9").eligible) for g in both] == [(None, 7)]


def test_period_and_quarters_follow_the_end_date_in_local_time(session, adults):
    assert report(session, [adults], period=(date(2026, 1, 1), date(2026, 6, 13))).groups[0].pathways_ended == 0
    # Ended 160 days after 5 January 09:00 UTC: 14 June 2026.
    by_quarter = report(session, [adults], by="quarter").groups
    assert [(g.key.quarter, g.pathways_started, g.pathways_ended) for g in by_quarter] == [
        ("2026-Q1", 7, 0), ("2026-Q2", 0, 6)]
