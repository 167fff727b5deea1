"""WSAS scored as Mundt et al. 2002 say; prorating as the NHS (IAPT) data dictionary says.

Answers are option positions 0–8 ('Not at all' … 'Very severely'); points equal
positions. Bands (Mundt 2002): below 10 subclinical, 10–20 significant
impairment, above 20 moderately severe or worse. One missing item — including
item 1 left blank by someone retired or not working for reasons unrelated to
the problem — is filled with the mean of the other four; two are too many.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import score

ITEMS = 5


def answers(*positions):
    assert len(positions) == ITEMS
    return {number: position for number, position in enumerate(positions, start=1)}


def totalling(points):
    positions = []
    for _ in range(ITEMS):
        positions.append(min(8, points))
        points -= positions[-1]
    assert points == 0
    return answers(*positions)


@pytest.fixture(scope="module")
def wsas(catalog):
    return catalog["wsas"]


def test_definition(wsas):
    assert wsas.id == "wsas"
    assert [item.number for item in wsas.items] == [1, 2, 3, 4, 5]
    options = wsas.response_scale(wsas.item(1)).options
    assert [option.points for option in options] == list(range(9))
    assert options[0].label["en"].endswith("Not at all")
    assert options[8].label["en"].endswith("Very severely")
    assert wsas.licence.electronic_use is True


@pytest.mark.parametrize(
    ("positions", "total"),
    [
        ((0, 0, 0, 0, 0), 0),
        ((8, 8, 8, 8, 8), 40),
        ((1, 2, 3, 4, 5), 15),
        ((8, 0, 6, 2, 4), 20),
    ],
)
def test_total_is_the_sum_of_the_5_items(wsas, positions, total):
    result = score(wsas, answers(*positions)).scales["total"]
    assert result.score == total
    assert result.missing == 0
    assert result.prorated is False


@pytest.mark.parametrize(
    ("total", "band", "case"),
    [
        (0, "subclinical", False), (9, "subclinical", False),
        (10, "significant_impairment", True), (20, "significant_impairment", True),
        (21, "moderately_severe_or_worse", True), (40, "moderately_severe_or_worse", True),
    ],
)
def test_every_band_boundary_and_the_cut_off_at_10(wsas, total, band, case):
    result = score(wsas, totalling(total)).scales["total"]
    assert result.score == total
    assert result.band == band
    assert result.caseness is case


@pytest.mark.parametrize(
    ("positions", "total", "band"),
    [
        ((None, 2, 2, 2, 2), 10, "significant_impairment"),   # 'retired': mean 2 × 5
        ((None, 8, 8, 8, 7), 39, "moderately_severe_or_worse"),  # 7.75 × 5 = 38.75 → 39
        ((None, 2, 2, 2, 3), 11, "significant_impairment"),   # 2.25 × 5 = 11.25 → 11
        ((None, 2, 0, 0, 0), 3, "subclinical"),               # 0.5 × 5 = 2.5 → 3 (half up)
        ((4, 4, None, 4, 4), 20, "significant_impairment"),
        ((8, 8, 8, 8, None), 40, "moderately_severe_or_worse"),
        ((1, 2, 1, 2, None), 8, "subclinical"),               # 1.5 × 5 = 7.5 → 8 (half up)
    ],
)
def test_one_missing_item_is_prorated(wsas, positions, total, band):
    result = score(wsas, answers(*positions)).scales["total"]
    assert result.score == total
    assert result.band == band
    assert result.missing == 1
    assert result.prorated is True


@pytest.mark.parametrize("missing", [(1, 2), (1, 5), (3, 4)])
def test_two_missing_items_give_no_score(wsas, missing):
    given = answers(4, 4, 4, 4, 4)
    for item in missing:
        given[item] = None
    result = score(wsas, given).scales["total"]
    assert result.score is None
    assert result.band is None
    assert result.missing == 2


def test_wsas_has_no_critical_item(wsas):
    assert score(wsas, totalling(40)).critical == ()


def test_no_reliable_change_basis_is_claimed(wsas):
    result = change(wsas, "total", 30, 5)
    assert result.reliable is None
    assert result.category is None
    assert result.clinically_significant is True   # from ≥ 10 (clinical) to < 10
