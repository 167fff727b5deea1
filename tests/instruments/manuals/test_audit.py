"""AUDIT scored as the WHO manual (Babor et al. 2001) says; AUDIT-C as Bradley et al. 2007.

Answers are option positions, lowest first. Items 1–8 score 0–4 by position;
items 9 and 10 have three options scored 0, 2 and 4, so position 2 gives 4 points.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import InvalidAnswers, score

# points of each position, item by item, from the manual's scoring key
POINTS = {number: (0, 1, 2, 3, 4) for number in range(1, 9)}
POINTS[9] = POINTS[10] = (0, 2, 4)


def answers(*positions):
    assert len(positions) == 10
    return {number: position for number, position in enumerate(positions, start=1)}


def totalling(points, items=tuple(POINTS)):
    """An answer vector whose total over ``items`` is ``points`` (the other items at 0).

    Item 1 is filled first (so a skip rule leaves out as little as it can), then
    items 10 and 9, so an odd remainder falls to an item that scores 1. Items a
    skip rule leaves out are not answered (they score 0).
    """
    given = {number: 0 for number in POINTS}
    for number in sorted(items, key=lambda n: (n != 1, -n if n >= 9 else n)):
        table = POINTS[number]
        best = max(p for p in table if p <= points)
        given[number] = table.index(best)
        points -= best
    assert points == 0
    return asked(given)


def asked(given):
    return {number: None if number in SKIPPED_BY(given) else value for number, value in given.items()}


def SKIPPED_BY(given):  # noqa: N802 - the manual's two rules, written out independently of the file
    if given[1] == 0:
        return set(range(2, 9))
    if given[2] == 0 and given[3] == 0:
        return set(range(4, 9))
    return set()


def band_code(result):
    return getattr(result.band, "code", result.band)


@pytest.fixture(scope="module")
def audit(catalog):
    return catalog["audit"]


@pytest.mark.parametrize(
    ("positions", "total", "audit_c"),
    [
        ((0, None, None, None, None, None, None, None, 0, 0), 0, 0),    # never drinks: items 2–8 skipped
        ((4, 4, 4, 4, 4, 4, 4, 4, 2, 2), 40, 12),
        ((0, None, None, None, None, None, None, None, 2, 0), 4, 0),    # item 9, position 2: 4 points
        ((0, None, None, None, None, None, None, None, 1, 1), 4, 0),    # items 9 and 10, position 1: 2 points each
        ((1, 0, 0, None, None, None, None, None, 0, 2), 5, 1),          # 2 and 3 both 0: items 4–8 skipped
        ((2, 1, 1, 0, 0, 0, 0, 0, 0, 0), 4, 4),      # consumption only
        ((3, 2, 2, 1, 0, 0, 1, 0, 1, 0), 11, 7),     # 3+2+2+1+0+0+1+0+2+0
        ((4, 4, 4, 0, 0, 0, 0, 0, 0, 0), 12, 12),
    ],
)
def test_total_and_audit_c_with_weighted_items(audit, positions, total, audit_c):
    scales = score(audit, answers(*positions)).scales
    assert scales["total"].score == total
    assert scales["audit_c"].score == audit_c


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "zone_1"), (7, "zone_1"),
        (8, "zone_2"), (15, "zone_2"),
        (16, "zone_3"), (19, "zone_3"),
        (20, "zone_4"), (40, "zone_4"),
    ],
)
def test_every_zone_boundary(audit, total, band):
    result = score(audit, totalling(total)).scales["total"]
    assert result.score == total
    assert band_code(result) == band


@pytest.mark.parametrize(("total", "case"), [(7, False), (8, True)])
def test_hazardous_or_harmful_use_from_8(audit, total, case):
    assert score(audit, totalling(total)).scales["total"].caseness is case


@pytest.mark.parametrize(("points", "case"), [(0, False), (3, False), (4, True), (12, True)])
def test_audit_c_cut_off_is_4(audit, points, case):
    result = score(audit, totalling(points, items=(1, 2, 3))).scales["audit_c"]
    assert result.score == points
    assert result.caseness is case


# Skip rules: Babor 2001, Box 4 (the AUDIT as an interview) -----------------------------------------


def test_never_drinking_skips_items_2_to_8_which_score_0(audit):
    result = score(audit, {1: 0, 9: 0, 10: 0})
    assert (result.scales["total"].score, result.scales["total"].missing) == (0, 0)
    assert result.scales["total"].skipped == (2, 3, 4, 5, 6, 7, 8)
    assert (result.scales["audit_c"].score, result.scales["audit_c"].skipped) == (0, (2, 3))
    assert result.as_dict()["scales"]["total"]["skipped"] == [2, 3, 4, 5, 6, 7, 8]


def test_never_drinking_still_counts_injury_and_concern(audit):
    assert score(audit, {1: 0, 9: 1, 10: 2}).scales["total"].score == 6


@pytest.mark.parametrize("first", [1, 2, 3, 4])
def test_no_heavy_drinking_and_one_or_two_drinks_skip_items_4_to_8(audit, first):
    result = score(audit, {1: first, 2: 0, 3: 0, 9: 0, 10: 1}).scales["total"]
    assert (result.score, result.missing, result.skipped) == (first + 2, 0, (4, 5, 6, 7, 8))


@pytest.mark.parametrize(("two", "three"), [(1, 0), (0, 1), (4, 4)])
def test_items_4_to_8_are_asked_when_2_or_3_scores(audit, two, three):
    result = score(audit, {1: 1, 2: two, 3: three, 9: 0, 10: 0}).scales["total"]
    assert (result.score, result.missing, result.skipped) == (None, 5, ())


@pytest.mark.parametrize(("given", "item"), [
    ({1: 0, 2: 0, 9: 0, 10: 0}, 2),
    ({1: 0, 8: 3, 9: 0, 10: 0}, 8),
    ({1: 2, 2: 0, 3: 0, 4: 0, 9: 0, 10: 0}, 4),
])
def test_an_answer_to_a_skipped_item_is_refused(audit, given, item):
    with pytest.raises(InvalidAnswers, match=rf"^item {item} is not asked when item"):
        score(audit, given)


def test_nothing_is_skipped_while_item_1_is_unanswered(audit):
    result = score(audit, {9: 0, 10: 0}).scales["total"]
    assert (result.missing, result.skipped) == (8, ())


@pytest.mark.parametrize("item", range(1, 11))
def test_no_item_may_be_missing_from_the_total(audit, item):
    given = totalling(20)
    given[item] = None
    scales = score(audit, given).scales
    assert scales["total"].score is None
    assert scales["total"].missing == 1
    if item <= 3:
        assert scales["audit_c"].score is None
        assert scales["audit_c"].missing == 1
    else:
        assert scales["audit_c"].missing == 0
        assert scales["audit_c"].score is not None


def test_item_9_has_only_three_options(audit):
    given = totalling(20)
    given[9] = 3
    with pytest.raises(InvalidAnswers):
        score(audit, given)


def test_audit_has_no_critical_item(audit):
    assert score(audit, totalling(40)).critical == ()


def test_the_manual_gives_no_reliable_change_basis(audit):
    result = change(audit, "total", 20, 10)
    assert result.delta == -10
    assert result.direction == "better"
    assert result.reliable is None
    assert result.category is None
