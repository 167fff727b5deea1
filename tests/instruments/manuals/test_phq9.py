"""PHQ-9 scored as its manual says (Kroenke, Spitzer & Williams 2001; PHQ instruction manual).

Answers are option positions (0 = 'Not at all' … 3 = 'Nearly every day'); on the
PHQ-9 a position's points equal the position. Change follows NHS Talking
Therapies: 6 points or more is reliable; 10 or more is a case.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import ScaleScore, score

ITEMS = 9


def totalling(points, *, missing=()):
    """Answers to the items not in ``missing`` whose points add up to ``points``."""
    answers = {number: None for number in missing}
    for number in range(1, ITEMS + 1):
        if number not in missing:
            answers[number] = min(3, points)
            points -= answers[number]
    assert points == 0
    return answers


@pytest.fixture(scope="module")
def phq9(catalog):
    return catalog["phq9"]


@pytest.mark.parametrize(("total", "band", "caseness"), [
    (0, "minimal", False),
    (4, "minimal", False),
    (5, "mild", False),
    (9, "mild", False),
    (10, "moderate", True),
    (14, "moderate", True),
    (15, "moderately_severe", True),
    (19, "moderately_severe", True),
    (20, "severe", True),
    (27, "severe", True),
])
def test_phq9_band_boundaries_and_caseness(phq9, total, band, caseness):
    assert score(phq9, totalling(total)).scales["total"] == ScaleScore(total, band, caseness, 0, False)


@pytest.mark.parametrize(("answered", "missing", "expected"), [
    # 8 items answered, mean 13/8 = 1.625: 13 + 1.625 = 14.625 → 15.
    ({1: 3, 2: 3, 3: 2, 4: 2, 5: 1, 6: 1, 7: 1, 8: 0}, (9,), ScaleScore(15, "moderately_severe", True, 1, True)),
    # 7 answered, mean 7/7 = 1: 7 + 2 = 9.
    ({n: 1 for n in range(1, 8)}, (8, 9), ScaleScore(9, "mild", False, 2, True)),
    # 7 answered, mean 10/7: 10 + 20/7 = 12.857… → 13.
    ({1: 3, 2: 3, 3: 2, 4: 2, 5: 0, 6: 0, 7: 0}, (8, 9), ScaleScore(13, "moderate", True, 2, True)),
    # 8 answered, mean 4/8 = 0.5: 4.5 rounds half up to 5 — minimal would be wrong.
    ({1: 1, 2: 1, 3: 1, 4: 1, 5: 0, 6: 0, 7: 0, 8: 0}, (9,), ScaleScore(5, "mild", False, 1, True)),
    # 3 missing: too many to prorate.
    ({n: 3 for n in range(1, 7)}, (7, 8, 9), ScaleScore(None, None, None, 3, False)),
], ids=["1 missing", "2 missing", "2 missing, rounded", "half rounds up", "3 missing"])
def test_phq9_prorates_one_or_two_missing_items(phq9, answered, missing, expected):
    answers = {**answered, **{number: None for number in missing}}
    assert score(phq9, answers).scales["total"] == expected


@pytest.mark.parametrize(("position", "critical"), [(0, []), (1, [(9, 1)]), (2, [(9, 2)]), (3, [(9, 3)])])
def test_phq9_item_9_is_critical_above_not_at_all(phq9, position, critical):
    answers = {**totalling(0), 9: position}
    assert [(answer.item, answer.value) for answer in score(phq9, answers).critical] == critical


def test_phq9_item_9_unanswered_is_a_risk_not_a_gap(phq9):
    """An unanswered item 9 has not ruled out thoughts of self-harm: it is reported, with no value."""
    result = score(phq9, totalling(12, missing=(9,)))
    assert [(answer.item, answer.value, answer.answered) for answer in result.critical] == [(9, None, False)]
    assert result.as_dict()["critical"] == [{"item": 9, "value": None}]
    assert result.scales["total"].prorated


@pytest.mark.parametrize(("before", "after", "reliable", "category"), [
    (16, 10, True, "improved"),
    (16, 11, False, "unchanged"),
    (12, 6, True, "recovered"),
    (12, 7, False, "unchanged"),
    (6, 12, True, "deteriorated"),
    (7, 12, False, "unchanged"),
])
def test_phq9_change_of_6_points_is_reliable_5_is_not(phq9, before, after, reliable, category):
    result = change(phq9, "total", before, after)
    assert (result.reliable, result.category) == (reliable, category)
