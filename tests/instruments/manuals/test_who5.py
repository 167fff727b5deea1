"""WHO-5 scored as the WHO-5 scoring instructions and Topp et al. 2015 say.

Answers are option positions, lowest first: 0 = 'At no time' (0 points) …
5 = 'All of the time' (5 points). The raw score is 0–25; the percentage score
is the raw score × 4. Higher is better.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import score

ITEMS = 5


def answers(*positions):
    assert len(positions) == ITEMS
    return {number: position for number, position in enumerate(positions, start=1)}


def totalling(points):
    """A complete answer vector whose raw score is ``points`` (each item 0–5)."""
    positions = []
    for _ in range(ITEMS):
        positions.append(min(5, points))
        points -= positions[-1]
    assert points == 0
    return answers(*positions)


def band_code(result):
    return getattr(result.band, "code", result.band)


@pytest.fixture(scope="module")
def who5(catalog):
    return catalog["who5"]


@pytest.mark.parametrize(
    ("positions", "raw"),
    [
        ((0, 0, 0, 0, 0), 0),
        ((5, 5, 5, 5, 5), 25),
        ((1, 2, 3, 4, 5), 15),
        ((3, 3, 2, 2, 2), 12),
    ],
)
def test_raw_and_percentage_scores(who5, positions, raw):
    scales = score(who5, answers(*positions)).scales
    assert scales["total"].score == raw
    assert scales["percent"].score == raw * 4


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        (0, "likely_depression"), (7, "likely_depression"),
        (8, "poor_wellbeing"), (12, "poor_wellbeing"),
        (13, "above_cut_off"), (25, "above_cut_off"),
    ],
)
def test_every_band_boundary_on_both_scales(who5, raw, band):
    scales = score(who5, totalling(raw)).scales
    assert scales["total"].score == raw
    assert band_code(scales["total"]) == band
    assert scales["percent"].score == raw * 4
    assert band_code(scales["percent"]) == band


@pytest.mark.parametrize(
    ("raw", "case"),
    [(12, True), (13, False), (0, True), (25, False)],
)
def test_poor_wellbeing_is_raw_below_13_or_percent_50_or_less(who5, raw, case):
    scales = score(who5, totalling(raw)).scales
    assert scales["total"].caseness is case
    assert scales["percent"].caseness is case


@pytest.mark.parametrize("item", range(1, ITEMS + 1))
def test_no_item_may_be_missing(who5, item):
    given = totalling(15)
    given[item] = None
    scales = score(who5, given).scales
    for scale in ("total", "percent"):
        assert scales[scale].score is None
        assert scales[scale].missing == 1


def test_who5_has_no_critical_item(who5):
    assert score(who5, totalling(0)).critical == ()


@pytest.mark.parametrize(
    ("before", "after", "relevant", "direction", "category"),
    [
        (40, 50, True, "better", "relevant_improvement"),   # +10: at the threshold
        (40, 49, False, "better", "no_relevant_change"),    # +9: just below
        (48, 60, True, "better", "relevant_improvement"),   # crosses the cut-off, but never "recovered"
        (60, 50, True, "worse", "relevant_deterioration"),
        (60, 52, False, "worse", "no_relevant_change"),
        (60, 60, False, "same", "no_relevant_change"),
    ],
)
def test_percent_change_of_10_points_is_clinically_relevant(who5, before, after, relevant, direction, category):
    """Topp 2015's 10 points is a clinically relevant difference, not a reliable-change index: never "reliable"."""
    result = change(who5, "percent", before, after)
    assert result.delta == after - before
    assert (result.criterion, result.reliable, result.clinically_relevant) == (
        "clinically_relevant_difference", None, relevant)
    assert result.direction == direction
    assert result.category == category
    assert "not a reliable-change index" in result.basis
    assert "reliable change ≥" not in result.basis


def test_crossing_the_who5_cut_off_is_still_clinically_significant(who5):
    assert change(who5, "percent", 48, 60).clinically_significant is True


@pytest.mark.parametrize(
    ("before", "after", "relevant", "category"),
    [
        (10, 13, True, "relevant_improvement"),    # +3 raw = +12 percentage points
        (10, 12, False, "no_relevant_change"),     # +2 raw = +8 percentage points
        (20, 17, True, "relevant_deterioration"),
        (20, 18, False, "no_relevant_change"),
    ],
)
def test_raw_change_matches_the_percentage_rule(who5, before, after, relevant, category):
    result = change(who5, "total", before, after)
    assert result.clinically_relevant is relevant
    assert result.category == category
    assert change(who5, "percent", before * 4, after * 4).clinically_relevant is relevant
