"""The long run in the outcome report (issue 17): of the pathways reliably improved at the end, how many are
still so at each follow-up, with completeness at follow-up; counted by hand below."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.demo import answer_invitation
from pro_service.pathways.follow_up import decline_follow_up
from pro_service.pathways.invitations import issue_invitations
from pro_service.pathways.models import MilestoneEvent
from pro_service.pathways.operations import register_milestone
from pro_service.reports.export import document, merge
from pro_service.reports.model import ReportRequest
from pro_service.reports.queries import outcome_report
from pro_service.reports.suppression import suppress
from report_helpers import BASE_URL, T0

STEADY = {"gad7": 10, "core10": 15}  # unchanged, so only PHQ-9 is reliably improved
TODAY = (T0 + timedelta(days=540)).date()


def _through_end(make_pathway, unit, baseline: int, end: int, end_day: int = 120):
    return make_pathway(unit=unit, milestones=[("start", 0, None), ("first_consultation", 10, None),
                                               ("clinical_decision", 30, {"phq9": baseline, **STEADY}),
                                               ("end", end_day, {"phq9": end, **STEADY})])


def _answer_follow_up(session, pathway, days_after_end: int, phq9: int) -> None:
    event = next(e for e in session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id,
                                                                      MilestoneEvent.milestone_id == "follow_up"))
                 if round((e.occurred_at - pathway.ended_at).total_seconds() / 86_400) == days_after_end)
    for item in issue_invitations(event=event, base_url=BASE_URL):
        answer_invitation(item.invitation, {"phq9": phq9, **STEADY}, now=event.occurred_at + timedelta(days=2),
                          language="en")
    session.commit()


@pytest.fixture
def long_run(session, make_unit, make_pathway):
    unit = make_unit()
    a = _through_end(make_pathway, unit, 18, 7)             # improved; 8 at 6 months (still), 15 at 12 (no longer)
    _answer_follow_up(session, a, 182, 8)
    _answer_follow_up(session, a, 365, 15)
    b = _through_end(make_pathway, unit, 20, 8, end_day=200)  # improved; 19 at 6 months; 12 months not over yet
    _answer_follow_up(session, b, 182, 19)
    _through_end(make_pathway, unit, 16, 6)                  # improved; never answers: both follow-ups expire
    _through_end(make_pathway, unit, 12, 10)                 # not reliably improved at the end: not followed
    package = definitions.packages()["mh_adults"]
    declined = make_pathway(unit=unit, milestones=[("start", 0, None), ("first_consultation", 10, None),
                                                   ("clinical_decision", 30, {"phq9": 18, **STEADY})])
    decline_follow_up(pathway=declined, by="patient", at=T0 + timedelta(days=119))
    registration = register_milestone(pathway=declined, package=package, milestone_id="end",
                                      occurred_at=T0 + timedelta(days=120), by="test", base_url=BASE_URL)
    for item in registration.invitations:
        answer_invitation(item.invitation, {"phq9": 6, **STEADY}, now=T0 + timedelta(days=120), language="en")
    session.commit()
    return unit


def _report(session, unit, **request):
    return outcome_report(session, ReportRequest(start=date(2026, 1, 1), end=date(2026, 12, 31), units=(unit.id,),
                                                 package="mh_adults", **request),
                          catalog=definitions.catalog(), packages=definitions.packages(), timezone="Europe/Oslo",
                          today=TODAY)


def test_follow_up_counts_as_counted_by_hand(app, session, long_run):
    (group,) = document(_report(session, long_run))["groups"]
    rows = {r["days_after_end"]: r for r in group["follow_ups"] if (r["instrument"], r["scale"]) == ("phq9", "total")}
    improved = next(o for o in group["outcomes"] if (o["instrument"], o["scale"]) == ("phq9", "total"))

    assert improved["reliably_improved"] == 4  # a, b, c and the one who declined
    assert {k: (r["due"], r["answered"], r["still_improved"]) for k, r in rows.items()} == {182: (3, 2, 1),
                                                                                         365: (2, 1, 0)}
    assert rows[182]["pct_answered"] == pytest.approx(2 / 3) and rows[182]["pct_still_improved"] == 0.5
    assert rows[365]["pct_answered"] == 0.5 and rows[365]["pct_still_improved"] == 0.0
    assert {(r["instrument"], r["scale"]) for r in group["follow_ups"]} == {("phq9", "total")}


def test_a_follow_up_not_yet_over_is_not_counted_until_it_is(app, session, long_run):
    later = outcome_report(session, ReportRequest(start=date(2026, 1, 1), end=date(2026, 12, 31),
                                                  units=(long_run.id,), package="mh_adults"),
                           catalog=definitions.catalog(), packages=definitions.packages(), timezone="Europe/Oslo",
                           today=(T0 + timedelta(days=700)).date())
    (group,) = document(later)["groups"]
    rows = {r["days_after_end"]: r["due"] for r in group["follow_ups"]}

    assert rows == {182: 3, 365: 3}  # b's 12-month follow-up expired unanswered by then


def test_small_follow_up_counts_are_suppressed_and_documents_merge(app, session, long_run):
    doc = document(_report(session, long_run))
    shown = suppress(doc)
    (row,) = [r for r in shown["groups"][0]["follow_ups"] if r["days_after_end"] == 182]

    assert (row["due"], row["answered"], row["still_improved"], row["pct_answered"]) == (None, None, None, None)
    merged = merge([doc, doc])
    (twice,) = [r for r in merged["groups"][0]["follow_ups"] if r["days_after_end"] == 182]
    assert (twice["due"], twice["answered"], twice["still_improved"]) == (6, 4, 2)
    old = {**doc, "groups": [{k: v for k, v in g.items() if k != "follow_ups"} for g in doc["groups"]]}
    assert merge([old, doc])["groups"][0]["follow_ups"][0]["due"] == 3  # a document from before follow-up


def test_the_quality_page_shows_whether_change_lasted(app, client, session, make_unit, make_pathway, login_as):
    unit = make_unit()
    for number in range(6):  # six improved 18 → 6; five still improved at 6 months (7), one no longer (16)
        pathway = _through_end(make_pathway, unit, 18, 6)
        _answer_follow_up(session, pathway, 182, 16 if number == 0 else 7)
    login_as("unit_leader", unit=unit)

    html = client.get("/clinic/quality", query_string={"period": "custom", "start": "2026-01-01",
                                                       "end": "2026-12-31"},
                      headers={"Accept-Language": "en"}).get_data(as_text=True)

    section = html[html.index("Does the change last?"):html.index("Change per questionnaire")]
    row = section[section.index("Patient Health Questionnaire (PHQ-9)"):]
    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", row[:row.index("</tr>")], re.S)]
    assert cells == ["Patient", "6 months after the end", "6", "6", "6 (100%)", "5 (83%)"]


def test_a_follow_up_across_summer_time_is_still_six_months(app, session, make_unit, make_pathway):
    from zoneinfo import ZoneInfo

    unit = make_unit()
    winter = T0.astimezone(ZoneInfo("Europe/Oslo"))  # January: the 6-month follow-up falls in July
    pathway = make_pathway(unit=unit, started=winter, milestones=[
        ("start", 0, None), ("first_consultation", 10, None), ("clinical_decision", 30, {"phq9": 18, **STEADY}),
        ("end", 60, {"phq9": 6, **STEADY})])
    _answer_follow_up(session, pathway, 182, 7)

    (group,) = document(_report(session, unit))["groups"]
    assert {r["days_after_end"] for r in group["follow_ups"]} == {182, 365}
