"""Screens beside the scales: PCL-5's DSM-5 symptom criteria and WHO-5's depression screen, from data.

Each group's boundary is tested on both sides, and a screen is null exactly when an
unanswered item could still change the result.
"""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pro_service.instruments import CatalogError, load_instrument, score

CLUSTERS = {"B": [1, 2, 3, 4, 5], "C": [6, 7], "D": [8, 9, 10, 11, 12, 13, 14], "E": [15, 16, 17, 18, 19, 20]}
NEEDED = {"B": 1, "C": 1, "D": 2, "E": 2}


def _pcl5(symptoms: dict[str, int], *, level: int = 2, others: int = 1) -> dict[int, int | None]:
    """Answers with ``symptoms[cluster]`` items at ``level`` in each cluster and the rest at ``others``."""
    answers: dict[int, int | None] = {}
    for cluster, items in CLUSTERS.items():
        for index, number in enumerate(items):
            answers[number] = level if index < symptoms.get(cluster, 0) else others
    return answers


def _dsm5(catalog, answers) -> bool | None:
    return score(catalog["pcl5"], answers).screens["dsm5"].positive


def test_pcl5_dsm5_positive_at_the_minimum_of_every_cluster(catalog):
    assert _dsm5(catalog, _pcl5(NEEDED)) is True


@pytest.mark.parametrize("cluster", list(CLUSTERS))
def test_pcl5_dsm5_negative_with_one_symptom_too_few_in_any_cluster(catalog, cluster):
    counts = dict(NEEDED, **{cluster: NEEDED[cluster] - 1})
    assert _dsm5(catalog, _pcl5(counts)) is False


def test_pcl5_an_item_counts_as_a_symptom_from_2_moderately(catalog):
    assert _dsm5(catalog, _pcl5(NEEDED, level=1, others=0)) is False   # "A little bit" is not a symptom
    assert _dsm5(catalog, _pcl5(NEEDED, level=2, others=1)) is True
    assert _dsm5(catalog, _pcl5(NEEDED, level=4, others=0)) is True


@pytest.mark.parametrize("cluster", list(CLUSTERS))
def test_pcl5_missing_item_that_could_complete_a_cluster_makes_the_screen_null(catalog, cluster):
    answers = _pcl5(dict(NEEDED, **{cluster: NEEDED[cluster] - 1}), others=0)
    answers[CLUSTERS[cluster][-1]] = None        # an unanswered item in the one short cluster
    result = score(catalog["pcl5"], answers).screens["dsm5"]
    assert result.positive is None
    assert f"undecided: item {CLUSTERS[cluster][-1]} not answered" in result.basis


def test_pcl5_missing_item_that_cannot_change_the_result_leaves_it_decided(catalog):
    met = _pcl5(NEEDED, others=0)
    met[20] = None                                  # E already has its two symptoms
    assert _dsm5(catalog, met) is True
    failed = _pcl5(dict(NEEDED, C=0), others=0)     # C has no symptom and both C items answered
    failed[20] = None
    assert _dsm5(catalog, failed) is False


def test_pcl5_nothing_answered_is_null(catalog):
    assert _dsm5(catalog, {}) is None


@given(st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=20, max_size=20))
def test_pcl5_dsm5_agrees_with_the_rule_written_out(catalog, values):
    answers = {n: v for n, v in enumerate(values, start=1)}
    possible = []
    for fill in (0, 4):      # every missing item at its lowest, then its highest
        filled = {n: (fill if v is None else v) for n, v in answers.items()}
        possible.append(all(sum(1 for n in CLUSTERS[c] if filled[n] >= 2) >= NEEDED[c] for c in CLUSTERS))
    expected = possible[0] if possible[0] == possible[1] else None
    assert _dsm5(catalog, answers) is expected


def _depression(catalog, answers) -> bool | None:
    return score(catalog["who5"], dict(enumerate(answers, start=1))).screens["depression"].positive


@pytest.mark.parametrize(("answers", "positive", "why"), [
    ([3, 3, 3, 2, 2], False, "raw 13 and every item 2 or more"),
    ([3, 3, 2, 2, 2], True, "raw 12: below 13"),
    ([5, 5, 5, 5, 1], True, "raw 21 but one item answered 1"),
    ([5, 5, 5, 5, 0], True, "raw 20 but one item answered 0"),
    ([2, 2, 2, 2, 5], False, "raw 13, lowest item 2"),
    ([5, 5, 5, 5, 5], False, "the best score"),
    ([0, 0, 0, 0, 0], True, "the worst score"),
])
def test_who5_depression_screen_is_raw_below_13_or_any_item_0_or_1(catalog, answers, positive, why):
    assert _depression(catalog, answers) is positive, why


@pytest.mark.parametrize(("answers", "positive"), [
    ([5, 5, 5, 5, None], None),        # the missing item could be 0 or 1
    ([5, 5, 5, 1, None], True),        # already an item answered 1
    ([1, 1, 2, 2, None], True),        # items answered 1
    ([2, 2, 2, 2, None], None),        # raw 8 so far; 13 possible, and the missing item could be 0
    ([None] * 5, None),
])
def test_who5_depression_screen_with_a_missing_item_is_null_only_when_it_could_decide(catalog, answers, positive):
    assert _depression(catalog, answers) is positive


def test_screens_are_in_the_score_json(catalog):
    data = score(catalog["who5"], {1: 5, 2: 5, 3: 5, 4: 5, 5: 5}).as_dict()
    assert data["screens"]["depression"]["positive"] is False
    assert "WHO-5 scoring instructions" in data["screens"]["depression"]["basis"]
    assert score(catalog["phq9"], {}).as_dict()["screens"] == {}


def _screen(**screen: Any):
    base = {"id": "s", "name": {"en": "S"}, "rule": "all", "source": "T",
            "criteria": [{"items": [1, 2], "points": {"min": 2}, "min_count": 1}]}
    base.update(screen)
    return lambda d: d.update(screens=[base])


@pytest.mark.parametrize(("screen", "message"), [
    ({"criteria": [{"items": [1, 4], "points": {"min": 2}, "min_count": 1}]},
     "screens[0].criteria[0].items[1]: unknown item 4"),
    ({"criteria": [{"items": [1, 2], "points": {"min": 2}, "min_count": 3}]},
     "screens[0].criteria[0].min_count: 3 is more than the 2 items listed"),
    ({"criteria": [{"scale": "nosuch", "score": {"max": 3}}]},
     "screens[0].criteria[0].scale: unknown scale 'nosuch' (scales: total)"),
    ({"criteria": [{"items": [1], "scale": "total", "score": {"max": 3}}]},
     "screens[0].criteria[0]: give either items, points and min_count, or scale and score"),
    ({"rule": "some"}, "screens[0].rule: input should be 'all' or 'any'"),
    ({"name": {"fr": "S"}}, "screens[0].name.fr: language 'fr' is not declared under languages"),
    ({"criteria": []}, "screens[0].criteria: needs at least 1 entry"),
])
def test_the_loader_refuses_a_bad_screen_with_file_and_path(instrument_file, screen, message):
    path = instrument_file(_screen(**screen))
    with pytest.raises(CatalogError) as caught:
        load_instrument(path)
    assert any(message in line for line in str(caught.value).splitlines()), str(caught.value)


def test_a_screen_on_a_custom_file_needs_no_python(make_instrument):
    instrument = make_instrument(_screen(rule="any", criteria=[
        {"scale": "total", "score": {"min": 7}}, {"items": [3], "points": {"min": 3}, "min_count": 1}]))
    assert score(instrument, {1: 3, 2: 3, 3: 0}).screens["s"].positive is False
    assert score(instrument, {1: 3, 2: 3, 3: 1}).screens["s"].positive is True
    assert score(instrument, {1: 0, 2: 0, 3: 3}).screens["s"].positive is True
    assert score(instrument, {1: 3, 2: 3}).screens["s"].positive is None
