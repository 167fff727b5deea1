"""CORE-10 scored as Barkham et al. 2013 and the CORE System Trust say.

Answers are option positions, lowest frequency first: 0 = 'Not at all' …
4 = 'Most or all of the time'. Items 2 and 3 are positively worded and scored
in reverse, so position 0 gives them 4 points.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import InvalidAnswers, score

# points of each position, item by item, from the CORE-10 scoring key
POINTS = {number: (0, 1, 2, 3, 4) for number in range(1, 11)}
POINTS[2] = POINTS[3] = (4, 3, 2, 1, 0)


def answers(*positions):
    assert len(positions) == 10
    return {number: position for number, position in enumerate(positions, start=1)}


def totalling(points):
    """A complete answer vector whose clinical score is ``points``, from the scoring key."""
    given = {}
    for number, table in POINTS.items():
        best = max((p for p in table if p <= points), default=0)
        given[number] = table.index(best)
        points -= best
    assert points == 0
    return given


def band_code(result):
    return getattr(result.band, "code", result.band)


@pytest.fixture(scope="module")
def core10(catalog):
    return catalog["core10"]


@pytest.mark.parametrize(
    ("positions", "total"),
    [
        ((0, 4, 4, 0, 0, 0, 0, 0, 0, 0), 0),     # lowest possible: items 2 and 3 answered 'most or all of the time'
        ((4, 0, 0, 4, 4, 4, 4, 4, 4, 4), 40),    # highest possible
        ((0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 8),     # all 'not at all': items 2 and 3 give 4 each
        ((4, 4, 4, 4, 4, 4, 4, 4, 4, 4), 32),    # all 'most or all of the time'
        ((2, 2, 2, 2, 2, 2, 2, 2, 2, 2), 20),    # the midpoint is its own mirror
        ((1, 3, 1, 2, 0, 0, 3, 2, 2, 1), 15),    # 1+1+3+2+0+0+3+2+2+1
    ],
)
def test_total_with_reversed_items(core10, positions, total):
    result = score(core10, answers(*positions)).scales["total"]
    assert result.score == total
    assert result.missing == 0
    assert result.prorated is False


@pytest.mark.parametrize(("item", "position", "points"), [(2, 0, 4), (2, 4, 0), (3, 0, 4), (3, 1, 3), (1, 0, 0), (1, 4, 4)])
def test_item_points(core10, item, position, points):
    given = totalling(0)
    given[item] = position
    assert score(core10, given).scales["total"].score == points


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "healthy"), (5, "healthy"),
        (6, "low"), (10, "low"),
        (11, "mild"), (14, "mild"),
        (15, "moderate"), (19, "moderate"),
        (20, "moderate_severe"), (24, "moderate_severe"),
        (25, "severe"), (40, "severe"),
    ],
)
def test_every_band_boundary(core10, total, band):
    result = score(core10, totalling(total)).scales["total"]
    assert result.score == total
    assert band_code(result) == band


@pytest.mark.parametrize(("total", "case"), [(10, False), (11, True)])
def test_clinical_cut_off_is_11(core10, total, case):
    assert score(core10, totalling(total)).scales["total"].caseness is case


@pytest.mark.parametrize(("position", "critical"), [(0, ()), (1, ((6, 1),)), (4, ((6, 4),))])
def test_item_6_plans_to_end_my_life_is_critical_above_0(core10, position, critical):
    given = totalling(0)
    given[6] = position
    result = score(core10, given)
    assert tuple((answer.item, answer.value) for answer in result.critical) == critical


def test_critical_item_is_reported_even_when_the_scale_cannot_be_scored(core10):
    given = totalling(20)
    given[6] = 2
    given[1] = given[4] = None
    result = score(core10, given)
    assert result.scales["total"].score is None
    assert tuple((answer.item, answer.value) for answer in result.critical) == ((6, 2),)


def test_item_6_unanswered_is_reported_with_no_value(core10):
    given = totalling(20)
    given[6] = None
    assert tuple((answer.item, answer.value) for answer in score(core10, given).critical) == ((6, None),)


@pytest.mark.parametrize(
    ("missing", "answered", "expected"),
    [
        # one missing: the total is the mean of the nine answered items × 10, rounded half up
        (5, {1: 2, 2: 2, 3: 2, 4: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2}, 20),   # 18 × 10/9 = 20
        (1, {2: 4, 3: 4, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0}, 0),   # nine items at 0 points
        (10, {1: 1, 2: 3, 3: 4, 4: 2, 5: 1, 6: 0, 7: 3, 8: 2, 9: 2}, 13),  # 1+1+0+2+1+0+3+2+2 = 12 → 13.3
        (2, {1: 4, 3: 0, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4, 9: 4, 10: 4}, 40),  # 36 × 10/9 = 40
    ],
)
def test_one_missing_item_is_prorated(core10, missing, answered, expected):
    given = dict(answered)
    given[missing] = None
    result = score(core10, given).scales["total"]
    assert result.missing == 1
    assert result.prorated is True
    assert result.score == expected


def test_prorated_score_is_rounded_to_the_nearest_point(core10):
    # nine answered items scoring 14 → 14 × 10 / 9 = 15.56 → 16 (moderate)
    given = totalling(14)
    assert given[10] == 0
    given[10] = None
    result = score(core10, given).scales["total"]
    assert result.score == 16
    assert band_code(result) == "moderate"


@pytest.mark.parametrize("missing", [(1, 2), (5, 9), (2, 3), (1, 4, 7)])
def test_two_or_more_missing_items_give_no_score(core10, missing):
    given = totalling(20)
    for number in missing:
        given[number] = None
    result = score(core10, given).scales["total"]
    assert result.score is None
    assert result.missing == len(missing)


def test_positions_beyond_the_scale_are_refused(core10):
    given = totalling(10)
    given[2] = 5
    with pytest.raises(InvalidAnswers):
        score(core10, given)


@pytest.mark.parametrize(
    ("before", "after", "reliable", "direction", "category"),
    [
        (20, 14, True, "better", "improved"),       # −6 at the threshold, still ≥ 11
        (20, 15, False, "better", "unchanged"),     # −5 just below
        (16, 10, True, "better", "recovered"),      # −6 and below the cut-off
        (12, 10, False, "better", "unchanged"),     # crossed the cut-off, not reliably
        (10, 16, True, "worse", "deteriorated"),
        (10, 15, False, "worse", "unchanged"),
    ],
)
def test_reliable_change_is_6_points(core10, before, after, reliable, direction, category):
    result = change(core10, "total", before, after)
    assert result.delta == after - before
    assert result.reliable is reliable
    assert result.direction == direction
    assert result.category == category
