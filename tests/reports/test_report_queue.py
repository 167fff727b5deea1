"""A respondent's submit queues its pathway's report rows; the worker or the next report read rewrites them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from report_helpers import PERIOD, T0
from sqlalchemy import func, select
from sqlmodel import Session

from pro_service import db, definitions
from pro_service.reports.model import ReportRequest
from pro_service.reports.models import PathwayOutcome, QueuedRefresh
from pro_service.reports.operations import queue_refresh, refresh_queued
from pro_service.reports.queries import base_groups
from pro_service.worker import jobs

DECIDED = [("start", 0, None), ("first_consultation", 10, None), ("clinical_decision", 40, {"phq9": 18, "gad7": 12})]
ENDED = DECIDED + [("end", 120, {"phq9": 6, "gad7": 5})]


def queued(session) -> set[str]:
    return set(session.scalars(select(QueuedRefresh.pathway_id)))


def phq9_final(session, pathway_id: str) -> float | None:
    return session.scalar(select(PathwayOutcome.final).where(
        PathwayOutcome.pathway_id == pathway_id, PathwayOutcome.respondent_role == "self",
        PathwayOutcome.instrument_id == "phq9", PathwayOutcome.scale_id == "total"))


def test_a_submit_queues_the_pathway_and_leaves_its_rows_until_the_worker_runs(app, session, make_pathway):
    pathway = make_pathway(ENDED)
    session.expire_all()

    assert queued(session) == {pathway.id}
    assert phq9_final(session, pathway.id) is None  # the end's answer is not in the rows yet

    assert jobs.refresh_reports(timezone=app.config["SETTINGS"].timezone, batch=50).done == 1
    session.expire_all()
    assert queued(session) == set()
    assert phq9_final(session, pathway.id) == 6


def test_a_report_read_rewrites_what_is_queued_first(app, session, make_pathway, make_unit):
    unit = make_unit()
    pathway = make_pathway(ENDED, unit=unit)
    settings = app.config["SETTINGS"]

    groups = base_groups(session, ReportRequest(start=PERIOD[0], end=PERIOD[1], units=(unit.id,)),
                         catalog=definitions.catalog(), packages=definitions.packages(), timezone=settings.timezone)

    assert queued(session) == set()
    phq9 = next(row for group in groups for row in group.outcomes
                if row.key == ("phq9", "total", "self"))
    assert (phq9.tally.eligible, phq9.tally.paired) == (1, 1)
    assert phq9_final(session, pathway.id) == 6


def test_the_worker_rewrites_in_batches(app, session, make_pathway, make_unit):
    unit = make_unit()
    pathways = [make_pathway(ENDED, unit=unit) for _ in range(3)]
    session.expire_all()
    assert queued(session) == {p.id for p in pathways}

    assert jobs.refresh_reports(timezone=app.config["SETTINGS"].timezone, batch=2).done == 3
    session.expire_all()
    assert queued(session) == set()
    assert {phq9_final(session, p.id) for p in pathways} == {6}
    assert session.scalar(select(func.count()).select_from(QueuedRefresh)) == 0


def test_queueing_a_pathway_again_keeps_one_entry_with_the_latest_time(session, make_pathway):
    pathway = make_pathway(DECIDED)
    later = T0 + timedelta(days=200)
    queue_refresh(pathway.id, now=later)
    session.commit()
    session.expire_all()

    (entry,) = session.scalars(select(QueuedRefresh)).all()
    assert (entry.pathway_id, entry.queued_at) == (pathway.id, later)


def test_a_worker_passes_over_pathways_another_is_rewriting(app, session, make_pathway, make_unit):
    if db.engine(app).dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; row locks are PostgreSQL's")
    # In two units: rewriting a pathway also takes its day's lock, which the other pathway would wait for.
    first = make_pathway(ENDED, unit=make_unit(code="A", name="A"))
    second = make_pathway(ENDED, unit=make_unit(code="B", name="B"))
    settings = app.config["SETTINGS"]
    args = {"catalog": definitions.catalog(), "packages": definitions.packages(), "timezone": settings.timezone}
    assert refresh_queued(session=session, limit=1, skip_locked=True, **args) == 1  # holds its entry until commit
    held = session.scalar(select(PathwayOutcome.pathway_id).where(PathwayOutcome.pathway_id.in_(
        [first.id, second.id]), PathwayOutcome.final.is_not(None)).limit(1))
    with Session(db.engine(app)) as other:
        assert refresh_queued(session=other, skip_locked=True, **args) == 1
        other.commit()
        assert set(other.scalars(select(QueuedRefresh.pathway_id))) == {held}
    session.commit()
    session.expire_all()
    assert queued(session) == set()
