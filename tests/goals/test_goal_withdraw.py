"""Withdrawing a goal while goals are being written: its baseline rating goes with it; a later rating keeps it."""
import pytest
from sqlmodel import select

from pro_service.goals.models import Goal, GoalRating
from pro_service.goals.operations import GoalError, edit_goal_wording, rate_goal, save_goal, withdraw_goal

from goal_fixtures import MILESTONES, event, package, respondent


@pytest.fixture
def pathway(make_pathway):
    return make_pathway(MILESTONES)


def test_withdraw_goal_takes_its_baseline_rating_along(session, pathway):
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1,
                     text="Sove bedre")
    rate_goal(goal=goal, event=event(session, pathway, "clinical_decision"), package=package(), rating=3)

    withdraw_goal(goal=goal, pathway=pathway)
    session.commit()

    assert session.exec(select(Goal)).all() == [] and session.exec(select(GoalRating)).all() == []


@pytest.mark.parametrize("later", ["rated", "edited"])
def test_withdraw_goal_refused_once_rated_later_or_edited(session, pathway, later):
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=1,
                     text="Sove bedre")
    rate_goal(goal=goal, event=event(session, pathway, "clinical_decision"), package=package(), rating=3)
    if later == "rated":
        rate_goal(goal=goal, event=event(session, pathway, "evaluation"), package=package(), rating=6)
    else:
        edit_goal_wording(goal=goal, text="Sove hele natta", by="dr", patient_present=True)
    session.commit()

    with pytest.raises(GoalError, match=later):
        withdraw_goal(goal=goal, pathway=pathway)

    assert len(session.exec(select(GoalRating)).all()) == (2 if later == "rated" else 1)
