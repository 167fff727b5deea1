"""The demo a newcomer sees with `make run` tells a coherent clinical story (issue 13, Newcomer)."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from pro_service import definitions
from pro_service.demo import DEMO_UNIT_CODE, create_demo
from pro_service.instruments.change import change
from pro_service.pathways.models import Assessment, MilestoneEvent, Pathway, Patient, Response, Score, Unit
from pro_service.types import utcnow


def _demo(session):
    create_demo(packages=definitions.packages(), base_url="https://pro.example.no")
    session.commit()
    return session.exec(select(Unit).where(Unit.code == DEMO_UNIT_CODE)).one()


def _answers(session, unit):
    return session.exec(
        select(Response, Assessment, MilestoneEvent, Patient)
        .join(Assessment, Response.assessment_id == Assessment.id)
        .join(MilestoneEvent, Assessment.milestone_event_id == MilestoneEvent.id)
        .join(Pathway, Assessment.pathway_id == Pathway.id)
        .join(Patient, Pathway.patient_id == Patient.id)
        .where(Patient.unit_id == unit.id, Response.submitted_at.is_not(None), Patient.external_id.like("DEMO-%"))
    ).all()


def test_every_demo_answer_is_dated_at_or_after_its_milestone_and_not_in_the_future(app, session):
    unit = _demo(session)
    rows = _answers(session, unit)

    assert rows
    for response, _assessment, event, patient in rows:
        assert event.occurred_at <= response.submitted_at <= utcnow(), patient.external_id


def test_each_demo_pathway_runs_in_the_packages_order(app, session):
    unit = _demo(session)
    order = ["start", "first_consultation", "clinical_decision", "evaluation", "end", "follow_up"]
    pathways = session.exec(select(Pathway).join(Patient).where(Patient.unit_id == unit.id,
                                                                Patient.external_id.like("DEMO-%"))).all()
    for pathway in pathways:
        events = sorted(pathway.milestone_events, key=lambda e: e.occurred_at)
        steps = [order.index(e.milestone_id) for e in events]
        assert steps == sorted(steps), (pathway.patient.external_id, [e.milestone_id for e in events])
        if "clinical_decision" in {e.milestone_id for e in events}:
            assert "first_consultation" in {e.milestone_id for e in events}


def test_the_recovered_demo_patient_has_recovered_on_every_scale_and_a_recent_critical_answer_waits(app, session):
    unit = _demo(session)
    catalog = definitions.catalog()
    scores: dict[tuple[str, str], tuple[float, bool | None]] = {}
    for response, assessment, event, patient in _answers(session, unit):
        if patient.external_id != "DEMO-1":
            continue
        instrument = catalog[assessment.instrument_id]
        for score in session.exec(select(Score).where(Score.response_id == response.id)).all():
            if score.scale_id == instrument.default_scale.id:
                scores[(assessment.instrument_id, event.milestone_id)] = (score.value, score.caseness)

    for instrument_id in ("phq9", "gad7", "core10", "wsas"):
        (before, was_case), (after, is_case) = scores[(instrument_id, "clinical_decision")], scores[(instrument_id, "evaluation")]
        instrument = catalog[instrument_id]
        result = change(instrument, instrument.default_scale.id, before, after, cases=(was_case, is_case))
        if result.criterion is None:  # WSAS has no published reliable-change value: better and no longer a case
            assert result.direction == "better" and was_case and not is_case, (instrument_id, before, after)
        else:
            assert result.category == "recovered", (instrument_id, before, after, result.category)

    critical = session.exec(
        select(Response).join(Assessment, Response.assessment_id == Assessment.id).join(Pathway)
        .join(Patient).where(Patient.external_id == "DEMO-2", Assessment.instrument_id == "phq9")
        .order_by(Response.submitted_at.desc())
    ).first()
    assert utcnow() - critical.submitted_at < timedelta(hours=12)


def test_a_demo_patient_answered_the_six_month_follow_up_and_the_change_lasted(app, session):
    unit = _demo(session)
    rows = [(assessment.instrument_id, event.milestone_id) for _r, assessment, event, patient in _answers(session, unit)
            if patient.external_id == "DEMO-5"]

    assert {("phq9", "end"), ("phq9", "follow_up"), ("readiness", "end")} <= set(rows)


def test_a_demo_patient_has_goals_rated_over_time_her_view_of_the_treatment_and_a_follow_up_answered(app, session):
    from pro_service.goals.models import Goal, GoalRating

    unit = _demo(session)
    nora = session.exec(select(Pathway).join(Patient).where(Patient.unit_id == unit.id,
                                                            Patient.external_id == "DEMO-5")).one()
    goals = session.exec(select(Goal).where(Goal.pathway_id == nora.id).order_by(Goal.number)).all()
    assert len(goals) == 3
    for goal in goals:
        rated = session.exec(select(MilestoneEvent.milestone_id).join(
            GoalRating, GoalRating.milestone_event_id == MilestoneEvent.id).where(GoalRating.goal_id == goal.id)
            .order_by(MilestoneEvent.occurred_at)).all()
        assert rated == ["clinical_decision", "evaluation", "end"]

    answered = {(event.milestone_id, assessment.instrument_id)
                for _response, assessment, event, patient in _answers(session, unit) if patient.id == nora.patient_id}
    assert {("evaluation", "readiness"), ("end", "readiness"), ("follow_up", "phq9")} <= answered
    ready = session.exec(select(Score.value).join(Response, Response.id == Score.response_id)
                         .join(Assessment, Assessment.id == Response.assessment_id)
                         .join(MilestoneEvent, MilestoneEvent.id == Assessment.milestone_event_id)
                         .where(Assessment.pathway_id == nora.id, Assessment.instrument_id == "readiness",
                                Score.scale_id == "ready", MilestoneEvent.milestone_id == "end")).one()
    assert ready == 3  # she felt ready to end when the pathway ended
