"""The day tables always equal the per-pathway rows added up, however the rows got there."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from report_helpers import BASE_URL, T0, settled
from sqlalchemy import select, text, update

from pro_service import db, definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.models import Pathway
from pro_service.pathways.operations import register_milestone
from pro_service.reports import daily
from pro_service.reports.models import OutcomeDay, PathwayOutcome, PathwayTimeLimit, TimeLimitDay
from pro_service.reports.days import day_number
from pro_service.reports.operations import fill_report_rows_if_missing, refresh_pathway

ENDED = [("start", 0, None), ("first_consultation", 10, None), ("clinical_decision", 40, {"phq9": 18, "gad7": 12})]


def by_hand(session):
    """The per-pathway rows summed in Python: what the day tables must hold."""
    settled(session).expire_all()
    outcomes = defaultdict(lambda: [0] * 9 + [0.0] * 5)
    for r in session.scalars(select(PathwayOutcome).where(PathwayOutcome.ended_day.is_not(None))):
        sums = outcomes[(r.unit_id, r.package_id, r.ended_day, r.respondent_role, r.instrument_id, r.scale_id)]
        change = (r.final - r.baseline) if r.baseline is not None and r.final is not None else 0.0
        for i, value in enumerate((1, r.paired, r.case_at_start, r.reliably_improved, r.reliably_deteriorated,
                                   r.no_reliable_change, r.recovered, r.reliably_recovered, 0,
                                   r.baseline or 0.0, (r.baseline or 0.0) ** 2, r.final or 0.0, change, change ** 2)):
            sums[i] += value
    limits = defaultdict(lambda: [0, 0])
    for r in session.scalars(select(PathwayTimeLimit)):
        sums = limits[(r.unit_id, r.package_id, r.deadline_day, r.time_limit, r.taken_days)]
        sums[0] += 1
        sums[1] += r.met
    return ({key: tuple(v[:8] + v[9:]) for key, v in outcomes.items()},
            {key: tuple(v) for key, v in limits.items()})


def days(session):
    settled(session).expire_all()
    outcomes = {(d.unit_id, d.package_id, d.ended_day, d.respondent_role, d.instrument_id, d.scale_id):
                (d.eligible, d.paired, d.case_at_start, d.reliably_improved, d.reliably_deteriorated,
                 d.no_reliable_change, d.recovered, d.reliably_recovered, d.sum_baseline, d.sum_sq_baseline,
                 d.sum_final, d.sum_change, d.sum_sq_change) for d in session.scalars(select(OutcomeDay))}
    limits = {(d.unit_id, d.package_id, d.deadline_day, d.time_limit, d.taken_days): (d.due, d.met)
              for d in session.scalars(select(TimeLimitDay))}
    return outcomes, limits


def test_days_follow_ends_answers_and_late_answers(session, make_pathway, make_unit):
    unit = make_unit()
    package = definitions.packages()["mh_adults"]
    make_pathway(ENDED + [("end", 120, {"phq9": 6, "gad7": 5})], unit=unit)
    make_pathway(ENDED + [("end", 120, {"phq9": 17, "gad7": 12})], unit=unit)  # the same day: one day row, two pathways
    late = make_pathway(ENDED, unit=unit)
    assert days(session) == by_hand(session)
    assert sum(v[0] for v in days(session)[0].values()) > 0

    registration = register_milestone(pathway=late, package=package, milestone_id="end",
                                      occurred_at=T0 + timedelta(days=121), by="test", base_url=BASE_URL)
    session.commit()
    assert days(session) == by_hand(session)  # ended, unanswered: eligible, not paired
    for item in registration.invitations:
        answer_invitation(item.invitation, {"phq9": 4, "gad7": 3}, now=T0 + timedelta(days=125), language="en")
    session.commit()
    assert days(session) == by_hand(session)  # answered after the end: the end day's sums change

    end_120, end_121 = (day_number((T0 + timedelta(days=n)).astimezone(ZoneInfo("Europe/Oslo")).date())
                        for n in (120, 121))
    outcomes = days(session)[0]
    assert outcomes[(unit.id, "mh_adults", end_120, "self", "phq9", "total")][:2] == (2, 2)
    assert outcomes[(unit.id, "mh_adults", end_121, "self", "phq9", "total")][:2] == (1, 1)
    assert outcomes[(unit.id, "mh_adults", end_121, "self", "phq9", "total")][8:] == (18, 324, 4, -14, 196)


def test_report_refresh_and_an_upgrade_rebuild_the_same_days(app, session, make_pathway):
    make_pathway(ENDED + [("end", 120, {"phq9": 6, "gad7": 5})])
    kept = days(session)
    assert kept == by_hand(session) and kept[0]

    result = app.test_cli_runner().invoke(args=["report", "refresh"])
    assert result.exit_code == 0
    assert days(session) == kept

    # Rows written before the day tables existed (migration 0014) have no end day and no day sums.
    session.execute(update(PathwayOutcome).values(ended_day=None))
    session.execute(OutcomeDay.__table__.delete())
    session.execute(TimeLimitDay.__table__.delete())
    session.commit()
    assert fill_report_rows_if_missing() == 1
    assert days(session) == kept
    assert fill_report_rows_if_missing() == 0


def test_a_pathway_moved_to_another_unit_leaves_its_old_day(session, make_pathway, make_unit):
    pathway = make_pathway(ENDED + [("end", 120, {"phq9": 6, "gad7": 5})])
    other = make_unit(code="OTHER", name="Other unit")
    session.execute(update(Pathway).where(Pathway.id == pathway.id).values(unit_id=other.id))
    refresh_pathway(pathway.id)
    session.commit()
    outcomes, limits = days(session)
    assert (outcomes, limits) == by_hand(session)
    assert {key[0] for key in outcomes} == {other.id} and {key[0] for key in limits} == {other.id}


def test_two_transactions_take_turns_on_a_day(app, session, make_pathway):
    if db.engine(app).dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the advisory lock is PostgreSQL's")
    pathway = make_pathway(ENDED + [("end", 120, {"phq9": 6, "gad7": 5})])
    (key,) = {row[:3] for row in daily.outcome_rows_of(session, [pathway.id])}
    daily.recompute(session, outcome_days=[key], time_limit_days=[])  # holds the day's lock until commit
    with db.engine(app).connect() as other:
        taken = other.execute(text("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))"),
                              {"key": f"report-day:outcome:{key[0]}:{key[1]}:{key[2]}"}).scalar_one()
        other.rollback()
    session.commit()
    assert taken is False


def test_a_rewrite_that_changes_no_row_touches_no_day(session, make_pathway):
    pathway = make_pathway(ENDED + [("end", 120, {"phq9": 6, "gad7": 5})])
    outcomes = daily.outcome_rows_of(session, [pathway.id])
    limits = daily.time_limit_rows_of(session, [pathway.id])
    as_written = [dict(zip(daily.OUTCOME_FIELDS, row, strict=True)) for row in outcomes.elements()]
    assert outcomes and limits
    assert daily.changed_days(outcomes, as_written, daily.OUTCOME_FIELDS) == set()
    moved = [{**row, "recovered": 1 - row["recovered"]} if row["instrument_id"] == "phq9" else row
             for row in as_written]
    assert daily.changed_days(outcomes, moved, daily.OUTCOME_FIELDS) == {row[:3] for row in outcomes}
