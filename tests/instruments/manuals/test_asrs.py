"""ASRS v1.1 scored as its Symptom Checklist and Kessler et al. 2005 say.

Answers are option positions (0 = 'Never', 1 'Rarely', 2 'Sometimes', 3 'Often',
4 'Very often'); points equal positions. Part A (items 1–6) counts answers in
the shaded boxes: items 1–3 from 'Sometimes', items 4–6 from 'Often'; four or
more is a positive screen. The total is the sum of all 18 items, without bands.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import score

ITEMS = 18
SHADED_FROM = {1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3}


def answers(*positions):
    assert len(positions) == ITEMS
    return {number: position for number, position in enumerate(positions, start=1)}


def none_shaded(**overrides):
    """All items 'Never', then the given ``item_<n>=position`` overrides."""
    given = answers(*(0,) * ITEMS)
    for key, position in overrides.items():
        given[int(key.removeprefix("item_"))] = position
    return given


def part_a_counting(count):
    """Part A answers with exactly ``count`` items in the shaded range (each just at its threshold)."""
    given = answers(*(0,) * ITEMS)
    for number in list(SHADED_FROM)[:count]:
        given[number] = SHADED_FROM[number]
    for number in list(SHADED_FROM)[count:]:
        given[number] = SHADED_FROM[number] - 1
    return given


@pytest.fixture(scope="module")
def asrs(catalog):
    return catalog["asrs"]


def test_definition(asrs):
    assert asrs.id == "asrs"
    assert [item.number for item in asrs.items] == list(range(1, ITEMS + 1))
    assert [scale.id for scale in asrs.scales] == ["part_a", "total"]
    assert asrs.scale("part_a").method == "count"
    assert asrs.licence.electronic_use is True
    assert asrs.licence.holder == "World Health Organization"
    options = asrs.response_scale(asrs.item(1)).options
    assert [option.label["en"] for option in options] == ["Never", "Rarely", "Sometimes", "Often", "Very often"]
    assert [option.points for option in options] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(("item", "threshold"), list(SHADED_FROM.items()))
def test_each_part_a_item_counts_exactly_from_its_shaded_box(asrs, item, threshold):
    at = score(asrs, none_shaded(**{f"item_{item}": threshold})).scales["part_a"]
    below = score(asrs, none_shaded(**{f"item_{item}": threshold - 1})).scales["part_a"]
    top = score(asrs, none_shaded(**{f"item_{item}": 4})).scales["part_a"]
    assert (at.score, below.score, top.score) == (1, 0, 1)


def test_part_b_never_counts_in_part_a(asrs):
    given = answers(*((0,) * 6 + (4,) * 12))
    result = score(asrs, given).scales
    assert result["part_a"].score == 0
    assert result["total"].score == 48


@pytest.mark.parametrize(
    ("count", "band", "case"),
    [(0, "negative", False), (3, "negative", False), (4, "positive", True), (6, "positive", True)],
)
def test_part_a_bands_and_cut_off_at_4(asrs, count, band, case):
    result = score(asrs, part_a_counting(count)).scales["part_a"]
    assert result.score == count
    assert result.band == band
    assert result.caseness is case


@pytest.mark.parametrize(
    ("positions", "part_a", "total"),
    [
        ((0,) * 18, 0, 0),
        ((4,) * 18, 6, 72),
        ((2,) * 18, 3, 36),           # 'Sometimes' throughout: only items 1–3 shaded
        ((3,) * 18, 6, 54),           # 'Often' throughout: all six shaded
        ((1, 2, 3, 2, 3, 4) + (1,) * 12, 4, 27),
    ],
)
def test_known_answer_vectors(asrs, positions, part_a, total):
    result = score(asrs, answers(*positions)).scales
    assert result["part_a"].score == part_a
    assert result["total"].score == total
    assert result["total"].band is None
    assert result["total"].caseness is None


@pytest.mark.parametrize("item", [1, 6, 7, 18])
def test_no_item_may_be_missing(asrs, item):
    given = answers(*(3,) * ITEMS)
    given[item] = None
    result = score(asrs, given).scales
    assert result["total"].score is None
    assert result["total"].missing == 1
    if item <= 6:
        assert result["part_a"].score is None
        assert result["part_a"].missing == 1
    else:
        assert result["part_a"].score == 6


def test_asrs_has_no_critical_item(asrs):
    assert score(asrs, answers(*(4,) * ITEMS)).critical == ()


def test_no_reliable_change_basis_is_claimed(asrs):
    result = change(asrs, "total", 50, 20)
    assert result.reliable is None
    assert result.category is None
