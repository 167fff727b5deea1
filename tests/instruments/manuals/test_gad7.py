"""GAD-7 scored as Spitzer et al. 2006 says; change as NHS Talking Therapies says.

Answers are option positions (0 = 'Not at all' … 3 = 'Nearly every day'); on
the GAD-7 a position's points equal the position.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import score

ITEMS = 7


def answers(*positions):
    assert len(positions) == ITEMS
    return {number: position for number, position in enumerate(positions, start=1)}


def totalling(points):
    """A complete answer vector whose total is ``points`` (each item 0–3)."""
    positions = []
    for _ in range(ITEMS):
        positions.append(min(3, points))
        points -= positions[-1]
    assert points == 0
    return answers(*positions)


def band_code(result):
    return getattr(result.band, "code", result.band)


@pytest.fixture(scope="module")
def gad7(catalog):
    return catalog["gad7"]


@pytest.mark.parametrize(
    ("positions", "total"),
    [
        ((0, 0, 0, 0, 0, 0, 0), 0),
        ((3, 3, 3, 3, 3, 3, 3), 21),
        ((1, 2, 3, 0, 1, 2, 3), 12),
        ((0, 0, 0, 0, 0, 0, 1), 1),
        ((2, 2, 2, 2, 2, 2, 2), 14),
    ],
)
def test_total_is_the_sum_of_the_items(gad7, positions, total):
    result = score(gad7, answers(*positions)).scales["total"]
    assert result.score == total
    assert result.missing == 0
    assert result.prorated is False


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"), (4, "minimal"),
        (5, "mild"), (9, "mild"),
        (10, "moderate"), (14, "moderate"),
        (15, "severe"), (21, "severe"),
    ],
)
def test_every_band_boundary(gad7, total, band):
    result = score(gad7, totalling(total)).scales["total"]
    assert result.score == total
    assert band_code(result) == band


@pytest.mark.parametrize(("total", "case"), [(9, False), (10, True)])
def test_caseness_cut_off_is_10(gad7, total, case):
    assert score(gad7, totalling(total)).scales["total"].caseness is case


@pytest.mark.parametrize("item", range(1, ITEMS + 1))
def test_no_item_may_be_missing(gad7, item):
    given = totalling(12)
    given[item] = None
    result = score(gad7, given).scales["total"]
    assert result.score is None
    assert result.missing == 1


def test_gad7_has_no_critical_item(gad7):
    assert score(gad7, totalling(21)).critical == ()


@pytest.mark.parametrize(
    ("before", "after", "reliable", "direction", "category"),
    [
        (15, 11, True, "better", "improved"),      # −4: at the threshold, still a case
        (15, 12, False, "better", "unchanged"),    # −3: just below
        (12, 8, True, "better", "recovered"),      # −4 and from case to non-case
        (11, 9, False, "better", "unchanged"),     # crossed the cut-off, but not reliably
        (8, 12, True, "worse", "deteriorated"),    # +4
        (8, 11, False, "worse", "unchanged"),      # +3
        (10, 10, False, "same", "unchanged"),
    ],
)
def test_reliable_change_is_4_points(gad7, before, after, reliable, direction, category):
    result = change(gad7, "total", before, after)
    assert result.delta == after - before
    assert result.reliable is reliable
    assert result.direction == direction
    assert result.category == category


def test_clinically_significant_means_crossing_the_cut_off_in_the_good_direction(gad7):
    assert change(gad7, "total", 12, 8).clinically_significant is True
    assert change(gad7, "total", 15, 11).clinically_significant is False
    assert change(gad7, "total", 8, 12).clinically_significant is False
