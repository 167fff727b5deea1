"""PCL-5 scored as the National Center for PTSD says (Weathers et al. 2013; Blevins et al. 2015).

Answers are option positions (0 = 'Not at all' … 4 = 'Extremely'); on the
PCL-5 a position's points equal the position. Clusters: B items 1–5, C 6–7,
D 8–14, E 15–20. NCPTSD gives no prorating rule and no severity bands.
"""
import pytest

from pro_service.instruments.change import change
from pro_service.instruments.scoring import score

ITEMS = 20
CLUSTERS = {
    "intrusion": range(1, 6),
    "avoidance": range(6, 8),
    "negative_cognition_mood": range(8, 15),
    "arousal_reactivity": range(15, 21),
}


def answers(*positions):
    assert len(positions) == ITEMS
    return {number: position for number, position in enumerate(positions, start=1)}


def totalling(points):
    """A complete answer vector whose total is ``points`` (each item 0–4)."""
    positions = []
    for _ in range(ITEMS):
        positions.append(min(4, points))
        points -= positions[-1]
    assert points == 0
    return answers(*positions)


@pytest.fixture(scope="module")
def pcl5(catalog):
    return catalog["pcl5"]


def test_definition(pcl5):
    assert pcl5.id == "pcl5"
    assert [item.number for item in pcl5.items] == list(range(1, ITEMS + 1))
    assert [scale.id for scale in pcl5.scales] == ["total", *CLUSTERS]
    assert pcl5.licence.electronic_use is True
    assert pcl5.respondents == ("self",)
    assert not any(item.reversed for item in pcl5.items)
    assert all(scale.missing is None and scale.bands == () for scale in pcl5.scales)
    assert pcl5.scale("total").loinc is None  # 101698-9 is not yet checked against LOINC's own text (pcl5.yaml)


@pytest.mark.parametrize(
    ("positions", "total"),
    [
        ((0,) * 20, 0),
        ((4,) * 20, 80),
        ((1,) * 20, 20),
        ((0, 1, 2, 3, 4) * 4, 40),
        ((2, 0, 1, 0, 3, 4, 0, 1, 1, 2, 0, 0, 3, 0, 4, 0, 2, 1, 0, 1), 25),
    ],
)
def test_total_is_the_sum_of_the_20_items(pcl5, positions, total):
    result = score(pcl5, answers(*positions)).scales["total"]
    assert result.score == total
    assert result.missing == 0
    assert result.prorated is False
    assert result.band is None


# positions chosen so every cluster sum is distinct: B 2+0+1+0+3, C 4+0, D 1+1+2+0+0+3+0, E 4+0+2+1+0+1
@pytest.mark.parametrize(
    ("cluster", "expected"),
    [("intrusion", 6), ("avoidance", 4), ("negative_cognition_mood", 7), ("arousal_reactivity", 8)],
)
def test_cluster_scores_are_the_dsm5_criterion_sums(pcl5, cluster, expected):
    positions = (2, 0, 1, 0, 3, 4, 0, 1, 1, 2, 0, 0, 3, 0, 4, 0, 2, 1, 0, 1)
    assert score(pcl5, answers(*positions)).scales[cluster].score == expected


@pytest.mark.parametrize(("cluster", "items"), list(CLUSTERS.items()))
def test_each_item_belongs_to_exactly_its_cluster(pcl5, cluster, items):
    given = answers(*(4 if n in items else 0 for n in range(1, ITEMS + 1)))
    result = score(pcl5, given).scales
    assert result[cluster].score == 4 * len(items)
    assert result["total"].score == 4 * len(items)
    assert all(result[other].score == 0 for other in CLUSTERS if other != cluster)


@pytest.mark.parametrize(
    ("cluster", "maximum"),
    [("intrusion", 20), ("avoidance", 8), ("negative_cognition_mood", 28), ("arousal_reactivity", 24)],
)
def test_cluster_ranges(pcl5, cluster, maximum):
    assert pcl5.scale_range(pcl5.scale(cluster)) == (0, maximum)


@pytest.mark.parametrize(("total", "case"), [(0, False), (31, False), (32, False), (33, True), (34, True), (80, True)])
def test_caseness_cut_off_is_33(pcl5, total, case):
    result = score(pcl5, totalling(total)).scales["total"]
    assert result.score == total
    assert result.caseness is case


@pytest.mark.parametrize("item", range(1, ITEMS + 1))
def test_no_item_may_be_missing(pcl5, item):
    given = totalling(40)
    given[item] = None
    result = score(pcl5, given).scales
    assert result["total"].score is None
    assert result["total"].missing == 1
    assert result["total"].caseness is None
    for cluster, items in CLUSTERS.items():
        if item in items:
            assert result[cluster].score is None
            assert result[cluster].missing == 1
        else:
            assert result[cluster].score is not None


def test_pcl5_has_no_critical_item(pcl5):
    assert score(pcl5, totalling(80)).critical == ()


@pytest.mark.parametrize(
    ("before", "after", "reliable", "direction", "category"),
    [
        (60, 45, True, "better", "improved"),       # −15: at the threshold, still a case
        (60, 46, False, "better", "unchanged"),     # −14: just below
        (45, 30, True, "better", "recovered"),      # −15 and from case to non-case
        (36, 30, False, "better", "unchanged"),     # crossed the cut-off, but not reliably
        (20, 35, True, "worse", "deteriorated"),    # +15
        (20, 34, False, "worse", "unchanged"),      # +14
        (33, 33, False, "same", "unchanged"),
    ],
)
def test_reliable_change_is_15_points(pcl5, before, after, reliable, direction, category):
    result = change(pcl5, "total", before, after)
    assert result.delta == after - before
    assert result.reliable is reliable
    assert result.direction == direction
    assert result.category == category


def test_clinically_significant_means_crossing_33_in_the_good_direction(pcl5):
    assert change(pcl5, "total", 45, 30).clinically_significant is True
    assert change(pcl5, "total", 33, 32).clinically_significant is True
    assert change(pcl5, "total", 60, 45).clinically_significant is False
    assert change(pcl5, "total", 20, 35).clinically_significant is False


def test_clusters_have_no_cut_off_and_no_reliable_change_basis(pcl5):
    result = change(pcl5, "intrusion", 15, 5)
    assert result.reliable is None
    assert result.category is None
    assert result.clinically_significant is None
