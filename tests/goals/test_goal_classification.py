"""GBO change per goal: reliable only beyond 2.45 points (Edbrooke-Childs et al. 2015), first rating to latest."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pro_service.goals.classification import RELIABLE_CHANGE, GoalChange, classify_change, goal_change

RATINGS = st.integers(min_value=0, max_value=10)


def test_reliable_change_is_the_published_value():
    assert RELIABLE_CHANGE == 2.45


@pytest.mark.parametrize("first", range(11))
@pytest.mark.parametrize("latest", range(11))
def test_every_pair_of_ratings_is_classified_by_whole_points(first, latest):
    expected = (GoalChange.RELIABLY_IMPROVED if latest - first >= 3 else
                GoalChange.RELIABLY_DETERIORATED if latest - first <= -3 else GoalChange.NO_RELIABLE_CHANGE)
    assert classify_change(first, latest) == expected


@given(first=st.floats(min_value=0, max_value=10), difference=st.floats(min_value=-10, max_value=10))
def test_change_is_reliable_exactly_when_it_exceeds_the_index(first, difference):
    latest = first + difference
    change = classify_change(first, latest)
    actual = latest - first
    assert (change == GoalChange.RELIABLY_IMPROVED) == (actual > RELIABLE_CHANGE)
    assert (change == GoalChange.RELIABLY_DETERIORATED) == (actual < -RELIABLE_CHANGE)


@given(first=st.floats(min_value=0, max_value=7.55))
def test_at_the_boundary_the_index_itself_is_not_reliable(first):
    assert classify_change(first, first + RELIABLE_CHANGE) in {GoalChange.NO_RELIABLE_CHANGE,
                                                               GoalChange.RELIABLY_IMPROVED}
    assert classify_change(2.0, 4.45) == GoalChange.NO_RELIABLE_CHANGE
    assert classify_change(2.0, 4.46) == GoalChange.RELIABLY_IMPROVED
    assert classify_change(4.46, 2.0) == GoalChange.RELIABLY_DETERIORATED


@given(ratings=st.lists(RATINGS, max_size=8))
def test_goal_change_compares_the_first_rating_with_the_latest(ratings):
    if len(ratings) < 2:
        assert goal_change(ratings) is None
    else:
        assert goal_change(ratings) == classify_change(ratings[0], ratings[-1])


def test_classification_is_pure():
    from pathlib import Path

    import pro_service.goals.classification as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "flask" not in source and "sqlmodel" not in source and "Edbrooke-Childs" in source
