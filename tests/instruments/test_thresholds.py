"""Caseness cut-offs by sex and age: the manuals' values, which cut-off is used and said, and the loader's rules."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pro_service.instruments import CatalogError, change, load_instrument, score


def _answers_for_total(instrument, total: int, items: list[int]) -> dict[int, int]:
    """Positions giving ``total`` points on items whose positions equal their points (0–4)."""
    answers, left = {}, total
    for number in items:
        answers[number] = min(left, 4)
        left -= answers[number]
    assert left == 0
    return answers


def _audit(total: int) -> dict[int, int]:
    # Items 1–8 score their position (0–4); keep item 1 ≥ 1 and items 2/3 > 0 so no skip rule applies.
    answers = {n: 0 for n in range(1, 11)}
    first = [1, 2, 3, 4, 5, 6, 7, 8]
    answers.update({1: 1, 2: 1, 3: 1})
    left = total - 3
    for number in first[3:]:
        answers[number] = min(left, 4)
        left -= answers[number]
    assert left == 0
    return answers


@pytest.mark.parametrize(("sex", "age", "total", "case", "cut_off"), [
    (None, None, 7, False, 8), (None, None, 8, True, 8),
    ("male", 40, 7, False, 8), ("male", 40, 8, True, 8),
    ("female", 40, 6, False, 7), ("female", 40, 7, True, 7),
    ("female", None, 7, True, 7),
    ("male", 65, 7, False, 8),          # 65 is not "over 65"
    ("male", 66, 6, False, 7), ("male", 66, 7, True, 7),
    (None, 66, 7, True, 7),
    ("unknown", 30, 7, False, 8), ("other", 30, 7, False, 8),
])
def test_audit_total_cut_off_is_7_for_women_and_over_65(catalog, sex, age, total, case, cut_off):
    result = score(catalog["audit"], _audit(total), sex=sex, age=age).scales["total"]
    assert (result.score, result.caseness, result.threshold.value) == (total, case, cut_off)


@pytest.mark.parametrize(("sex", "total", "case", "cut_off"), [
    ("female", 2, False, 3), ("female", 3, True, 3),
    ("male", 3, False, 4), ("male", 4, True, 4),
    (None, 3, False, 4), (None, 4, True, 4),
])
def test_audit_c_cut_off_is_3_for_women_4_for_men(catalog, sex, total, case, cut_off):
    answers = {n: 0 for n in range(1, 11)}
    answers.update({1: min(total - 1, 4), 2: 1, 3: 0} if total > 1 else {1: 1, 2: 1})
    answers[1] = total - 1
    result = score(catalog["audit"], answers, sex=sex).scales["audit_c"]
    assert (result.score, result.caseness, result.threshold.value) == (total, case, cut_off)


@pytest.mark.parametrize(("sex", "total", "case", "cut_off"), [
    ("female", 1, False, 2), ("female", 2, True, 2),
    ("male", 5, False, 6), ("male", 6, True, 6),
    (None, 5, False, 6), ("unknown", 2, False, 6),
])
def test_dudit_cut_off_is_2_for_women_6_for_men(catalog, sex, total, case, cut_off):
    answers = {n: 0 for n in range(1, 12)}
    answers.update(_answers_for_total(catalog["dudit"], total, [1, 2, 3, 4, 5, 6, 7, 8, 9]))
    result = score(catalog["dudit"], answers, sex=sex).scales["total"]
    assert (result.score, result.caseness, result.threshold.value) == (total, case, cut_off)


def test_the_threshold_basis_says_which_cut_off_and_why(catalog):
    female = score(catalog["audit"], _audit(7), sex="female", age=70).scales["total"].threshold
    assert female.basis.startswith("caseness ≥ 7 for women (Babor 2001")   # the first rule that applies wins
    older = score(catalog["audit"], _audit(7), sex="male", age=70).scales["total"].threshold
    assert older.basis.startswith("caseness ≥ 7 for age 66 or over (Babor 2001")
    default = score(catalog["audit"], _audit(7)).scales["total"].threshold
    assert default.basis.startswith("caseness ≥ 8 (default, Babor")


def test_a_scale_without_cut_off_has_no_threshold(catalog):
    result = score(catalog["pcl5"], {n: 1 for n in range(1, 21)})
    assert result.scales["intrusion"].threshold is None
    assert result.as_dict()["scales"]["intrusion"]["threshold"] is None
    assert result.as_dict()["scales"]["total"]["threshold"]["value"] == 33


def test_a_missing_score_has_no_caseness_but_names_its_cut_off(catalog):
    result = score(catalog["dudit"], {}, sex="female").scales["total"]
    assert (result.score, result.caseness, result.threshold.value) == (None, None, 2)


@pytest.mark.parametrize("age", [-1, 1.5, True, "40"])
def test_score_refuses_an_age_that_is_not_whole_years(catalog, age):
    with pytest.raises(ValueError):
        score(catalog["audit"], _audit(7), age=age)


def test_change_judges_clinical_significance_by_the_patients_cut_off(catalog):
    # DUDIT 4 → 1: a woman's case (≥ 2) becomes a non-case; for a man 4 was never a case.
    assert change(catalog["dudit"], "total", 4, 1, sex="female").clinically_significant is True
    assert change(catalog["dudit"], "total", 4, 1, sex="male").clinically_significant is False
    assert change(catalog["dudit"], "total", 4, 1).clinically_significant is False
    assert "caseness ≥ 2 for women" in change(catalog["dudit"], "total", 4, 1, sex="female").basis


@given(sex=st.sampled_from([None, "female", "male", "other", "unknown"]), age=st.one_of(st.none(), st.integers(0, 120)),
       total=st.integers(3, 23))
def test_audit_caseness_always_agrees_with_the_threshold_it_names(catalog, sex, age, total):
    result = score(catalog["audit"], _audit(total), sex=sex, age=age).scales["total"]
    assert result.caseness == (result.score >= result.threshold.value)
    expected = 7 if sex == "female" or (age is not None and age >= 66) else 8
    assert result.threshold.value == expected


def _caseness(**caseness: Any):
    return lambda d: d["scales"][0].update(caseness=caseness)


@pytest.mark.parametrize(("caseness", "message"), [
    ({"min": 5, "source": "T", "by": [{"min": 4, "source": "T"}]},
     "scales[0].caseness.by[0]: give sex, age or both: a rule for everyone is the scale's own min or max"),
    ({"min": 5, "source": "T", "by": [{"sex": "female", "max": 4, "source": "T"}]},
     "scales[0].caseness.by[0]: must give min, as the default cut-off does (a case is always on the same side)"),
    ({"min": 5, "source": "T", "by": [{"sex": "female", "min": 12, "source": "T"}]},
     "scales[0].caseness.by[0]: cut-off 12 is outside the scale's range 0–9"),
    ({"min": 5, "source": "T", "by": [{"sex": "women", "min": 4, "source": "T"}]},
     "scales[0].caseness.by[0].sex: input should be 'female' or 'male'"),
    ({"min": 5, "source": "T", "by": [{"age": {}, "min": 4, "source": "T"}]},
     "scales[0].caseness.by[0]: age: give min, max or both"),
    ({"min": 5, "source": "T", "by": [{"sex": "female", "min": 4, "source": "T"},
                                      {"sex": "female", "min": 3, "source": "T"}]},
     "scales[0].caseness.by[1]: repeats the condition of an earlier rule, so it could never apply"),
    ({"min": 5, "source": "T", "by": [{"sex": "female", "min": 4}]},
     "scales[0].caseness.by[0].source: required"),
])
def test_the_loader_refuses_a_bad_caseness_rule_with_file_and_path(instrument_file, caseness, message):
    path = instrument_file(_caseness(**caseness))
    with pytest.raises(CatalogError) as caught:
        load_instrument(path)
    assert any(message in line for line in str(caught.value).splitlines()), str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")


def test_a_rule_by_age_range_applies_within_it_only(make_instrument):
    instrument = make_instrument(_caseness(min=5, source="T", by=[{"age": {"min": 12, "max": 17}, "min": 3,
                                                                    "source": "Teen"}]))
    answers = {1: 1, 2: 1, 3: 1}
    assert [score(instrument, answers, age=age).scales["total"].caseness for age in (11, 12, 17, 18, None)] == [
        False, True, True, False, False]
