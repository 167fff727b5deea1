"""Reliable change, clinical significance and change category."""
from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pro_service.instruments import Change, change
from pro_service.instruments.models import Instrument


def _scale(data: dict[str, Any]) -> dict[str, Any]:
    return data["scales"][0]


def _with(**scale: Any):
    """The 0–9 synthetic instrument with these scale keys."""
    return lambda data: _scale(data).update(scale)


JACOBSON_TRUAX = {"reliability": 0.84, "sd": 5, "source": "Test manual"}


@pytest.mark.parametrize(("before", "after", "reliable", "significant", "category"), [
    (15, 9, True, True, "recovered"),
    (15, 10, False, False, "unchanged"),
    (20, 14, True, False, "improved"),
    (9, 15, True, False, "deteriorated"),
    (9, 14, False, False, "unchanged"),
    (12, 12, False, False, "unchanged"),
    (10, 9, False, True, "unchanged"),
], ids=["recovered", "5 points", "improved but still a case", "deteriorated", "5 points worse", "same", "crossed, not reliable"])
def test_change_by_published_threshold(catalog, before, after, reliable, significant, category):
    result = change(catalog["phq9"], "total", before, after)
    assert (result.reliable, result.clinically_significant, result.category) == (reliable, significant, category)
    assert result.delta == after - before


@pytest.mark.parametrize(("sex", "cases", "significant", "category"), [
    ("female", (True, True), False, "improved"),  # 15 → 4: women's cut-off 2, still a case
    ("male", (True, False), True, "recovered"),  # men's cut-off 6
    (None, None, True, "recovered"),  # nothing stored: the file's default (6)
    ("female", (True, None), False, "improved"),  # an unknown stored caseness: the sex-specific cut-off decides
], ids=["woman by stored caseness", "man by stored caseness", "default cut-off", "stored caseness incomplete"])
def test_change_takes_clinical_significance_from_the_stored_caseness(catalog, sex, cases, significant, category):
    result = change(catalog["dudit"], "total", 15, 4, sex=sex, cases=cases)
    assert (result.clinically_significant, result.category) == (significant, category)
    assert ("caseness as scored" in result.basis) is (cases is not None and None not in cases)


def test_stored_caseness_is_ignored_on_a_scale_without_a_cut_off(make_instrument):
    instrument = make_instrument(_with(caseness=None, reliable_change={"threshold": 3, "source": "Test manual"}))
    assert change(instrument, "total", 8, 2, cases=(True, False)).clinically_significant is None


@pytest.mark.parametrize(("delta", "reliable"), [(6, True), (5, False), (-6, True), (-5, False)])
def test_change_is_reliable_exactly_at_the_threshold(catalog, delta, reliable):
    assert change(catalog["phq9"], "total", 13, 13 + delta).reliable is reliable


def test_change_by_jacobson_truax_with_a_worked_number(make_instrument):
    # 1.96 × 5 × √(2 × (1 − 0.84)) = 9.8 × √0.32 = 5.5437…: 6 points are reliable, 5 are not.
    instrument = make_instrument(_with(reliable_change=JACOBSON_TRUAX, caseness={"min": 5, "source": "Test"}))
    assert 1.96 * 5 * math.sqrt(2 * (1 - 0.84)) == pytest.approx(5.5437, abs=1e-4)
    assert change(instrument, "total", 7, 1).category == "recovered"
    assert change(instrument, "total", 6, 1).category == "unchanged"
    assert change(instrument, "total", 1, 7).category == "deteriorated"
    assert change(instrument, "total", 1, 7).basis == (
        "reliable change ≥ 5.54 points (Jacobson–Truax RCI: 1.96 × SD 5 × √(2 × (1 − 0.84)); Test manual);"
        " caseness ≥ 5 (Test)"
    )


def test_change_knows_higher_is_better(make_instrument):
    instrument = make_instrument(_with(
        direction="higher_is_better",
        caseness={"max": 4, "source": "Test"},
        reliable_change={"threshold": 3, "source": "Test"},
    ))
    up = change(instrument, "total", 2, 8)
    assert (up.delta, up.direction, up.reliable, up.clinically_significant, up.category) == (6, "better", True, True, "recovered")
    down = change(instrument, "total", 8, 2)
    assert (down.direction, down.clinically_significant, down.category) == ("worse", False, "deteriorated")
    assert change(instrument, "total", 5, 8).category == "improved"
    assert change(instrument, "total", 3, 5).category == "unchanged"


def test_change_without_a_reliable_change_basis_has_no_category(make_instrument):
    result = change(make_instrument(_with(caseness={"min": 5, "source": "Test"})), "total", 9, 0)
    assert (result.direction, result.reliable, result.clinically_significant, result.category) == ("better", None, True, None)
    assert result.basis == "not classified — no published basis; caseness ≥ 5 (Test)"


def test_change_without_caseness_can_improve_but_not_recover(make_instrument):
    result = change(make_instrument(_with(reliable_change={"threshold": 3, "source": "Test"})), "total", 9, 0)
    assert (result.clinically_significant, result.category) == (None, "improved")
    assert result.basis == "reliable change ≥ 3 points (Test); no caseness cut-off"


def test_change_as_dict_has_the_cli_keys(catalog):
    assert change(catalog["phq9"], "total", 15, 8).as_dict() == {
        "instrument": "phq9",
        "scale": "total",
        "before": 15,
        "after": 8,
        "delta": -7,
        "direction": "better",
        "criterion": "reliable_change",
        "reliable": True,
        "clinically_relevant": None,
        "clinically_significant": True,
        "category": "recovered",
        "basis": (
            "reliable change ≥ 6 points (IAPT / NHS Talking Therapies Manual: reliable change on PHQ-9 is a change"
            " of 6 points or more); caseness ≥ 10 (Kroenke 2001: a score of 10 or more has 88% sensitivity and 88%"
            " specificity for major depression)"
        ),
    }


@pytest.mark.parametrize(("scale", "before", "after", "message"), [
    ("subscale", 1, 2, "phq9 has no scale 'subscale' (scales: total)"),
    ("total", 28, 2, "before score 28 is outside the phq9 total range 0–27"),
    ("total", 2, -1, "after score -1 is outside the phq9 total range 0–27"),
    ("total", 2.5, 2, "before score 2.5 is not a whole number, as every phq9 total score is"),
    ("total", "2", 2, "before score '2' is not a number"),
    ("total", 2, float("nan"), "after score nan is not a number"),
])
def test_change_refuses_an_unknown_scale_or_impossible_score(catalog, scale, before, after, message):
    with pytest.raises(ValueError) as caught:
        change(catalog["phq9"], scale, before, after)
    assert str(caught.value) == message


def _scales_with_a_basis(instrument: Instrument) -> list[str]:
    return [scale.id for scale in instrument.scales
            if scale.reliable_change is not None and scale.reliable_change.kind != "not_classified"]


@given(data=st.data())
def test_change_swapped_is_the_mirror_image(shipped_instrument, data):
    scale_ids = _scales_with_a_basis(shipped_instrument)
    if not scale_ids:
        return
    scale = shipped_instrument.scale(data.draw(st.sampled_from(scale_ids)))
    low, high = shipped_instrument.scale_range(scale)
    scores = st.integers(math.ceil(low), math.floor(high))
    if not shipped_instrument.scale_is_whole(scale):
        scores = st.floats(low, high)
    before, after = data.draw(scores), data.draw(scores)
    forward: Change = change(shipped_instrument, scale.id, before, after)
    backward: Change = change(shipped_instrument, scale.id, after, before)
    assert forward.reliable == backward.reliable
    assert forward.clinically_relevant == backward.clinically_relevant
    assert forward.delta == -backward.delta
    mirror = {"same": "same", "better": "worse", "worse": "better"}
    assert backward.direction == mirror[forward.direction]
    if forward.category in ("improved", "recovered"):
        assert backward.category == "deteriorated"
    elif forward.category == "deteriorated":
        assert backward.category in ("improved", "recovered")
    elif forward.category == "relevant_improvement":
        assert backward.category == "relevant_deterioration"
    elif forward.category == "relevant_deterioration":
        assert backward.category == "relevant_improvement"
    else:
        assert backward.category == forward.category
