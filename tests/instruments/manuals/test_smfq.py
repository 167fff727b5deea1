"""SMFQ, child self-report and parent report, scored as Angold et al. 1995 say.

Answers are option positions (0 = 'Not true', 1 = 'Sometimes', 2 = 'True'); the
points equal the positions; 13 items, total 0–26, no reversed items, no
prorating. The child version's cut-off is ≥ 12 (Thabrew et al. 2018); no
parent-report cut-off is claimed.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import score

ITEMS = 13
VERSIONS = ["smfq", "smfq_parent"]


def answers(*positions):
    assert len(positions) == ITEMS
    return {number: position for number, position in enumerate(positions, start=1)}


def totalling(points):
    positions = []
    for _ in range(ITEMS):
        positions.append(min(2, points))
        points -= positions[-1]
    assert points == 0
    return answers(*positions)


@pytest.fixture(params=VERSIONS)
def smfq(request, catalog):
    return catalog[request.param]


def test_who_answers(catalog):
    assert catalog["smfq"].respondents == ("self",)
    assert catalog["smfq_parent"].respondents == ("parent",)


def test_both_versions_score_alike(smfq):
    assert [item.number for item in smfq.items] == list(range(1, ITEMS + 1))
    assert not any(item.reversed for item in smfq.items)
    options = smfq.response_scale(smfq.item(1)).options
    assert [option.label["en"] for option in options] == ["Not true", "Sometimes", "True"]
    assert [option.points for option in options] == [0, 1, 2]
    assert [scale.id for scale in smfq.scales] == ["total"]
    assert smfq.licence.electronic_use is True


@pytest.mark.parametrize(
    ("positions", "total"),
    [
        ((0,) * 13, 0),
        ((2,) * 13, 26),
        ((1,) * 13, 13),
        ((2, 1, 0, 0, 1, 2, 0, 1, 0, 2, 1, 0, 1), 11),
        ((0,) * 12 + (1,), 1),
    ],
)
def test_total_is_the_sum_of_the_13_items(smfq, positions, total):
    result = score(smfq, answers(*positions)).scales["total"]
    assert result.score == total
    assert result.missing == 0
    assert result.prorated is False
    assert result.band is None


@pytest.mark.parametrize(("total", "case"), [(0, False), (11, False), (12, True), (26, True)])
def test_child_cut_off_is_12(catalog, total, case):
    result = score(catalog["smfq"], totalling(total)).scales["total"]
    assert result.score == total
    assert result.caseness is case


@pytest.mark.parametrize("total", [0, 11, 12, 26])
def test_parent_version_claims_no_cut_off(catalog, total):
    assert score(catalog["smfq_parent"], totalling(total)).scales["total"].caseness is None


@pytest.mark.parametrize("item", [1, 7, 13])
def test_no_item_may_be_missing(smfq, item):
    given = totalling(13)
    given[item] = None
    result = score(smfq, given).scales["total"]
    assert result.score is None
    assert result.missing == 1


def test_smfq_has_no_critical_item(smfq):
    assert score(smfq, totalling(26)).critical == ()


def test_no_reliable_change_basis_is_claimed(smfq):
    result = change(smfq, "total", 20, 4)
    assert result.reliable is None
    assert result.category is None
