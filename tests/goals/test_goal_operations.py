"""Goals: written (any script, idempotent), rated 0–10 per event, edited only with the patient present."""
import logging
from datetime import timedelta

import pytest
from sqlmodel import select

from pro_service.audit.models import AuditEvent
from pro_service.goals import operations
from pro_service.goals.classification import GoalChange
from pro_service.goals.models import Goal, GoalEdit, GoalRating
from pro_service.goals.operations import GoalError, edit_goal_wording, rate_goal, remove_goal, save_goal
from pro_service.goals.queries import goal_in_pathway, pathway_goals
from pro_service.pathways.models import Unit
from pro_service.pathways.operations import register_milestone

from goal_fixtures import MILESTONES, event, package, respondent

ARABIC = "أريد أن أنام جيداً وأن أذهب إلى المدرسة كل يوم"
SECRET = "Slutte å skade meg selv før jul"


@pytest.fixture
def pathway(make_pathway):
    return make_pathway(MILESTONES)


def test_goal_saved_in_any_script_and_again_unchanged(session, pathway):
    me = respondent(session, pathway)
    first = save_goal(pathway=pathway, package=package(), respondent=me, number=1, text=f"  {ARABIC}\n")
    again = save_goal(pathway=pathway, package=package(), respondent=me, number=1, text=ARABIC)
    session.commit()
    assert first.id == again.id and again.text == ARABIC == again.original_text
    assert first.milestone_event_id == event(session, pathway, "clinical_decision").id
    assert len(session.exec(select(Goal)).all()) == 1


def test_goal_saved_again_replaces_the_respondents_own_wording(session, pathway):
    me = respondent(session, pathway)
    save_goal(pathway=pathway, package=package(), respondent=me, number=2, text="Sove bedre")
    goal = save_goal(pathway=pathway, package=package(), respondent=me, number=2, text="Sove hele natta")
    assert (goal.text, goal.original_text) == ("Sove hele natta", "Sove hele natta")


@pytest.mark.parametrize(("number", "text", "code"), [
    (4, "Sove", "number"), (0, "Sove", "number"), (True, "Sove", "number"), (1, "   ", "empty"),
    (1, "x" * 501, "too_long"), (1, "Sove\x0cbedre", "control"), (1, "Sove\x00", "control"),
])
def test_goal_refused(session, pathway, number, text, code):
    with pytest.raises(GoalError) as refused:
        save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=number,
                  text=text)
    assert refused.value.code == code and str(refused.value) == code


def test_goal_at_most_500_characters_in_any_script(session, pathway):
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=3,
                     text="ж" * 500)
    session.commit()
    assert len(session.get(Goal, goal.id).text) == 500


def test_goal_refused_before_the_setting_milestone_and_in_a_package_without_goals(session, make_pathway):
    early = make_pathway([("start", 0, None)])
    with pytest.raises(GoalError, match="not_yet"):
        save_goal(pathway=early, package=package(), respondent=respondent(session, early), number=1, text="Sove")
    psychosis = make_pathway([("start", 0, None)], package="psychosis", unit=session.get(Unit, early.unit_id))
    with pytest.raises(GoalError, match="no_goals"):
        save_goal(pathway=psychosis, package=package("psychosis"), respondent=respondent(session, psychosis),
                  number=1, text="Sove")


def test_child_and_parent_each_have_their_own_three_goals(session, make_pathway):
    from datetime import date

    pathway = make_pathway(MILESTONES[:3], package="mh_children", parent={}, birth_date=date(2012, 3, 1))
    child, parent = respondent(session, pathway), respondent(session, pathway, "parent")
    for number in (1, 2, 3):
        save_goal(pathway=pathway, package=package("mh_children"), respondent=child, number=number, text=f"Barn {number}")
        save_goal(pathway=pathway, package=package("mh_children"), respondent=parent, number=number,
                  text=f"Forelder {number}")
    session.commit()
    views = pathway_goals(pathway=pathway)
    assert [(v.respondent_role, v.number) for v in views] == [("self", 1), ("self", 2), ("self", 3),
                                                              ("parent", 1), ("parent", 2), ("parent", 3)]
    assert [v.text for v in pathway_goals(pathway=pathway, respondent=parent)] == ["Forelder 1", "Forelder 2",
                                                                                  "Forelder 3"]


def test_ratings_one_per_goal_and_event_and_change_classified(session, pathway):
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1,
                     text="Gå på jobb")
    decision, evaluation = event(session, pathway, "clinical_decision"), event(session, pathway, "evaluation")
    rate_goal(goal=goal, event=decision, package=package(), rating=2)
    rate_goal(goal=goal, event=evaluation, package=package(), rating=4)
    rate_goal(goal=goal, event=evaluation, package=package(), rating=4)   # a repeated submit
    rate_goal(goal=goal, event=evaluation, package=package(), rating=5)   # changed before the end of the visit
    session.commit()
    assert len(session.exec(select(GoalRating)).all()) == 2
    [view] = pathway_goals(pathway=pathway)
    assert [(p.milestone_id, p.rating) for p in view.ratings] == [("clinical_decision", 2), ("evaluation", 5)]
    assert view.change == GoalChange.RELIABLY_IMPROVED and view.latest_rating == 5
    end = register_milestone(pathway=pathway, package=package(), milestone_id="end",
                             occurred_at=pathway.started_at + timedelta(days=150), by="test",
                             base_url="https://pro.example.no").event
    rate_goal(goal=goal, event=end, package=package(), rating=3)
    session.commit()
    [view] = pathway_goals(pathway=pathway)
    assert view.change == GoalChange.NO_RELIABLE_CHANGE


@pytest.mark.parametrize("rating", [-1, 11, 5.5, True, None, "7"])
def test_rating_outside_0_to_10_refused(session, pathway, rating):
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1,
                     text="Gå på jobb")
    with pytest.raises(GoalError, match="rating"):
        rate_goal(goal=goal, event=event(session, pathway, "evaluation"), package=package(), rating=rating)


def test_rating_refused_at_another_milestone(session, pathway):
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1,
                     text="Gå på jobb")
    with pytest.raises(GoalError, match="milestone"):
        rate_goal(goal=goal, event=event(session, pathway, "first_consultation"), package=package(), rating=3)


def test_clinician_edit_needs_the_patient_present_and_keeps_the_original(session, pathway):
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1,
                     text="Bli frisk")
    for present in (False, None, "yes"):
        with pytest.raises(GoalError, match="not_present"):
            edit_goal_wording(goal=goal, text="Gå tur tre ganger i uka", by="lege@example.no",
                              patient_present=present)
    edit = edit_goal_wording(goal=goal, text="Gå tur tre ganger i uka", by="lege@example.no", patient_present=True)
    assert edit_goal_wording(goal=goal, text="Gå tur tre ganger i uka", by="lege@example.no",
                             patient_present=True) is None
    session.commit()
    stored = session.get(Goal, goal.id)
    assert (stored.text, stored.original_text) == ("Gå tur tre ganger i uka", "Bli frisk")
    [row] = session.exec(select(GoalEdit)).all()
    assert (row.previous_text, row.new_text, row.edited_by, row.patient_present) == (
        "Bli frisk", "Gå tur tre ganger i uka", "lege@example.no", True)
    assert row.edited_at == edit.edited_at
    [view] = pathway_goals(pathway=pathway)
    assert view.edits[0].previous_text == "Bli frisk"
    with pytest.raises(GoalError, match="edited"):
        save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1,
                  text="Noe annet")


def test_remove_goal_only_before_it_is_rated(session, pathway):
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1,
                     text="Sove")
    rate_goal(goal=goal, event=event(session, pathway, "evaluation"), package=package(), rating=3)
    with pytest.raises(GoalError, match="rated"):
        remove_goal(goal=goal, pathway=pathway)
    other = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=2,
                      text="Spise")
    remove_goal(goal=other, pathway=pathway)
    session.commit()
    assert goal_in_pathway(goal_id=other.id, pathway=pathway) is None
    assert goal_in_pathway(goal_id=goal.id, pathway=pathway) is not None


def test_every_read_is_audited_without_goal_text(session, pathway):
    save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1, text=SECRET)
    pathway_goals(pathway=pathway)
    pathway_goals(pathway=pathway, respondent=respondent(session, pathway))
    session.commit()
    rows = session.exec(select(AuditEvent).where(AuditEvent.action == "goal.read")).all()
    assert [(r.patient_id, r.pathway_id, r.unit_id) for r in rows] == [
        (pathway.patient_id, pathway.id, pathway.unit_id)] * 2
    assert all(SECRET not in (r.detail or "") for r in rows)


def test_goal_text_never_logged_nor_in_an_error(session, pathway, caplog):
    caplog.set_level(logging.DEBUG)
    me = respondent(session, pathway)
    goal = save_goal(pathway=pathway, package=package(), respondent=me, number=1, text=SECRET)
    save_goal(pathway=pathway, package=package(), respondent=me, number=1, text=SECRET + " nå")
    edit_goal_wording(goal=goal, text=SECRET + " i år", by="lege@example.no", patient_present=True)
    rate_goal(goal=goal, event=event(session, pathway, "evaluation"), package=package(), rating=4)
    pathway_goals(pathway=pathway)
    errors = []
    for text in (SECRET + "\x00", SECRET * 30):
        with pytest.raises(GoalError) as refused:
            save_goal(pathway=pathway, package=package(), respondent=me, number=2, text=text)
        errors.append(refused.value)
    with pytest.raises(GoalError) as refused:
        edit_goal_wording(goal=goal, text=SECRET, by="x", patient_present=False)
    errors.append(refused.value)
    session.commit()
    assert all("skade" not in f"{e} {e!r} {e.args}" for e in errors)
    assert all("skade" not in record.getMessage() for record in caplog.records)


def test_every_refusal_has_a_translated_message(app):
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        for code in operations.MESSAGES:
            message = GoalError(code).message
            assert message and "%(" not in message


def test_goal_task_says_when_to_write_and_when_to_rate(session, pathway):
    from pro_service.goals.queries import goal_task

    me = respondent(session, pathway)
    ask = {m: goal_task(pathway=pathway, package=package(), event=event(session, pathway, m), respondent=me)
           for m in ("start", "first_consultation", "clinical_decision", "evaluation")}
    assert ask == {"start": None, "first_consultation": None, "clinical_decision": "set", "evaluation": None}
    save_goal(pathway=pathway, package=package(), respondent=me, number=1, text="Sove")
    assert goal_task(pathway=pathway, package=package(), event=event(session, pathway, "evaluation"),
                     respondent=me) == "rate"


def test_goals_refused_once_the_pathway_has_ended_and_ratings_only_within_the_pathway(session, pathway,
                                                                                     make_pathway):
    me = respondent(session, pathway)
    goal = save_goal(pathway=pathway, package=package(), respondent=me, number=1, text="Sove")
    other = make_pathway(MILESTONES, unit=session.get(Unit, pathway.unit_id))
    with pytest.raises(GoalError, match="milestone"):
        rate_goal(goal=goal, event=event(session, other, "evaluation"), package=package(), rating=5)
    with pytest.raises(GoalError, match="respondent"):
        save_goal(pathway=pathway, package=package(), respondent=respondent(session, other), number=2, text="Sove")
    register_milestone(pathway=pathway, package=package(), milestone_id="end",
                       occurred_at=pathway.started_at + timedelta(days=150), by="test",
                       base_url="https://pro.example.no")
    with pytest.raises(GoalError, match="ended"):
        save_goal(pathway=pathway, package=package(), respondent=me, number=2, text="Spise")
