"""Own goals on the clinician's pages (issue 17): the patient's words, ratings over time as a chart, the change per
goal in words, an audit row on every view, and a change of wording only with the patient present."""
import re

import pytest
from sqlmodel import select

from clinic_helpers import csrf
from pro_service import definitions
from pro_service.audit.models import AuditEvent
from pro_service.goals.demo import add_demo_goals
from pro_service.goals.models import Goal, GoalEdit

ARABIC_GOAL = "أن أنام طوال الليل"


@pytest.fixture
def with_goals(session, seeded):
    """The seeded pathway with three goals set at the clinical decision and rated again at the evaluation."""
    package = definitions.packages()["mh_adults"]
    goals = add_demo_goals(pathway=seeded.pathway, package=package,
                           goals=((ARABIC_GOAL, (2, 7)), ("Ringe en venn hver uke", (3, 4)),
                                  ("Gå en tur hver dag", (8, 4))))
    session.commit()
    return seeded, goals


def _goal_reads(session) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == "goal.read")))


def _card(html: str, goal: Goal) -> str:
    start = html.index(f'id="goal-{goal.id}-heading"')
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize("page", ["", "/evaluation"])
def test_goals_shown_with_words_ratings_chart_and_change_category(client, session, login_as, with_goals, page):
    seeded, (first, second, third) = with_goals
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}{page}").get_data(as_text=True)

    assert 'id="goals"' in html
    card = _card(html, first)
    assert f'<p class="goal-text" dir="auto"><bdi>{ARABIC_GOAL}</bdi></p>' in card
    assert "Goal 1 – Patient" in card
    assert re.search(r"<strong>2</strong> → .*<strong>7</strong>", card)
    assert '<span class="category category--improved">Reliably improved</span>' in card
    assert 'class="chart chart--trajectory"' in card and "chart-reliable" in card
    assert "Clinical decision" in card and "Evaluation" in card
    assert "No reliable change" in _card(html, second)
    assert '<span class="category category--deteriorated">Reliably deteriorated</span>' in _card(html, third)
    assert "2.45 points" in html


@pytest.mark.parametrize("page", ["", "/evaluation"])
def test_each_view_of_the_goals_leaves_one_audit_row_without_goal_text(client, session, login_as, with_goals, page):
    seeded, _goals = with_goals
    login_as("clinician")
    assert _goal_reads(session) == []

    client.get(f"/clinic/pathways/{seeded.pathway.id}{page}")

    rows = _goal_reads(session)
    assert [(row.pathway_id, row.detail) for row in rows] == [(seeded.pathway.id, None)]


def test_goal_wording_refused_without_the_patient_present_and_nothing_changes(client, session, login_as,
                                                                              with_goals):
    seeded, (goal, *_rest) = with_goals
    login_as("clinician")

    response = client.post(f"/clinic/pathways/{seeded.pathway.id}/goals/{goal.id}/wording",
                           data={"csrf_token": csrf(client), "text": "Sove hele natta"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "wording can only be changed with the patient present." in html
    card = _card(html, goal)
    assert re.search(rf'<details class="eval-details" id="goal-{goal.id}-wording" open>\s*<summary>Change the wording', card)
    assert f'/wording#goal-{goal.id}-wording"' in card  # the refused form comes back into view
    assert re.search(r'class="field-error"[^>]*>.*wording can only be changed with the patient present', card)
    assert "<textarea" in card and "Sove hele natta</textarea>" in card  # what was typed is kept
    session.expire_all()
    assert session.get(Goal, goal.id).text == ARABIC_GOAL
    assert session.exec(select(GoalEdit)).all() == []
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "goal.edited")).all() == []


def test_goal_wording_changed_with_the_patient_present_keeps_the_original(client, session, login_as, with_goals):
    seeded, (goal, *_rest) = with_goals
    user = login_as("clinician")

    response = client.post(f"/clinic/pathways/{seeded.pathway.id}/goals/{goal.id}/wording",
                           data={"csrf_token": csrf(client), "text": "Sove hele natta", "patient_present": "y"})

    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Goal, goal.id)
    assert (stored.text, stored.original_text) == ("Sove hele natta", ARABIC_GOAL)
    edit = session.exec(select(GoalEdit)).one()
    assert (edit.previous_text, edit.new_text, edit.edited_by, edit.patient_present) == (
        ARABIC_GOAL, "Sove hele natta", user.email, True)
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "goal.edited")).one()
    assert (audit.pathway_id, audit.detail) == (seeded.pathway.id, goal.id)
    card = _card(client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True), goal)
    assert "<bdi>Sove hele natta</bdi>" in card
    assert f'own words: <bdi dir="auto">{ARABIC_GOAL}</bdi>' in card


def test_goal_wording_of_another_units_pathway_is_not_found(client, session, login_as, make_unit, with_goals):
    seeded, (goal, *_rest) = with_goals
    login_as("clinician", unit=make_unit("OTHER", "Another unit"))

    response = client.post(f"/clinic/pathways/{seeded.pathway.id}/goals/{goal.id}/wording",
                           data={"csrf_token": csrf(client), "text": "Noe annet", "patient_present": "y"})

    assert response.status_code == 404
    session.expire_all()
    assert session.get(Goal, goal.id).text == ARABIC_GOAL


def test_a_pathway_without_goals_says_so(client, login_as, seeded):
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True)

    assert "No goals written yet." in html


def test_goal_wording_refused_when_empty_and_nothing_changes(client, session, login_as, with_goals):
    seeded, (goal, *_rest) = with_goals
    login_as("clinician")

    response = client.post(f"/clinic/pathways/{seeded.pathway.id}/goals/{goal.id}/wording",
                           data={"csrf_token": csrf(client), "text": "  ", "patient_present": "y"})

    assert response.status_code == 200
    assert re.search(r"Write the goal(&#39;|')s new wording\.", response.get_data(as_text=True))
    session.expire_all()
    assert session.get(Goal, goal.id).text == ARABIC_GOAL
    assert session.exec(select(GoalEdit)).all() == []
