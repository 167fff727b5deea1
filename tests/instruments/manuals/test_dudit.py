"""DUDIT scored as the DUDIT manual (Berman et al. 2003) and Berman et al. 2005 say.

Answers are option positions, lowest first. Items 1–9 score 0–4 by position;
items 10 and 11 have three options scored 0, 2 and 4.
"""
import math

import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import InvalidAnswers, score

# points of each position, item by item, from the manual's scoring key
POINTS = {number: (0, 1, 2, 3, 4) for number in range(1, 10)}
POINTS[10] = POINTS[11] = (0, 2, 4)


def answers(*positions):
    assert len(positions) == 11
    return {number: position for number, position in enumerate(positions, start=1)}


def totalling(points):
    """A complete answer vector whose total is ``points``; items 10 and 11 are filled first."""
    given = {}
    for number in sorted(POINTS, key=lambda n: -n):
        table = POINTS[number]
        best = max(p for p in table if p <= points)
        given[number] = table.index(best)
        points -= best
    assert points == 0
    return dict(sorted(given.items()))


def band_code(result):
    return getattr(result.band, "code", result.band)


@pytest.fixture(scope="module")
def dudit(catalog):
    return catalog["dudit"]


@pytest.mark.parametrize(
    ("positions", "total"),
    [
        ((0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0),
        ((4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2), 44),
        ((0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0), 4),     # item 10, position 2: 'Yes, over the past year' = 4 points
        ((0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1), 4),     # 'Yes, but not over the past year' = 2 points each
        ((1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), 2),
        ((2, 1, 2, 1, 0, 1, 0, 0, 1, 1, 2), 14),    # 2+1+2+1+0+1+0+0+1+2+4
    ],
)
def test_total_with_weighted_items(dudit, positions, total):
    result = score(dudit, answers(*positions)).scales["total"]
    assert result.score == total
    assert result.missing == 0


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "below_probable_dependence"), (24, "below_probable_dependence"),
        (25, "probable_dependence"), (44, "probable_dependence"),
    ],
)
def test_probable_dependence_from_25(dudit, total, band):
    result = score(dudit, totalling(total)).scales["total"]
    assert result.score == total
    assert band_code(result) == band


@pytest.mark.parametrize(("total", "case"), [(5, False), (6, True)])
def test_drug_related_problems_from_6(dudit, total, case):
    assert score(dudit, totalling(total)).scales["total"].caseness is case


@pytest.mark.parametrize("item", range(1, 12))
def test_no_item_may_be_missing(dudit, item):
    given = totalling(20)
    given[item] = None
    result = score(dudit, given).scales["total"]
    assert result.score is None
    assert result.missing == 1


def test_item_11_has_only_three_options(dudit):
    given = totalling(0)
    given[11] = 3
    with pytest.raises(InvalidAnswers):
        score(dudit, given)


def test_dudit_has_no_critical_item(dudit):
    assert score(dudit, totalling(44)).critical == ()


RCI = 1.96 * 8.0 * math.sqrt(2 * (1 - 0.80))  # Jacobson–Truax, Berman 2005: 9.92 points


@pytest.mark.parametrize(
    ("before", "after", "reliable", "direction", "category"),
    [
        (30, 20, True, "better", "improved"),       # −10 ≥ 9.92, still ≥ 6
        (30, 21, False, "better", "unchanged"),     # −9 just below
        (14, 4, True, "better", "recovered"),       # reliable and below the cut-off
        (8, 5, False, "better", "unchanged"),
        (10, 20, True, "worse", "deteriorated"),
        (10, 19, False, "worse", "unchanged"),
    ],
)
def test_jacobson_truax_reliable_change(dudit, before, after, reliable, direction, category):
    assert 9 < RCI < 10
    result = change(dudit, "total", before, after)
    assert result.delta == after - before
    assert result.reliable is reliable
    assert result.direction == direction
    assert result.category == category
