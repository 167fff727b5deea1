"""The demo hook gives a pathway three goals rated over time, also on a pathway that has ended."""
from sqlmodel import select

from goal_fixtures import MILESTONES, package
from pro_service.goals.classification import GoalChange
from pro_service.goals.demo import add_demo_goals
from pro_service.goals.models import GoalRating
from pro_service.goals.queries import pathway_goals


def test_demo_goals_are_rated_at_each_milestone_and_idempotent(session, make_pathway):
    pathway = make_pathway(MILESTONES + [("end", 120, None)])
    add_demo_goals(pathway=pathway, package=package())
    add_demo_goals(pathway=pathway, package=package())
    session.commit()
    views = pathway_goals(pathway=pathway)
    assert [[p.rating for p in v.ratings] for v in views] == [[2, 6, 8], [1, 5, 7], [3, 4, 4]]
    assert [v.change for v in views] == [GoalChange.RELIABLY_IMPROVED, GoalChange.RELIABLY_IMPROVED,
                                         GoalChange.NO_RELIABLE_CHANGE]
    assert [p.milestone_id for p in views[0].ratings] == ["clinical_decision", "evaluation", "end"]
    assert len(session.exec(select(GoalRating)).all()) == 9
