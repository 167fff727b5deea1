"""The outcome definitions on hand-computed tables (pure: no database)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pro_service.reports.definitions import (
    CombinedPart, ScaleRule, ScorePoint, Tally, baseline_of, classify_combined, classify_pair, figures, final_of,
    latest_of, t_quantile_975, tally,
)

T = datetime(2026, 1, 5, tzinfo=UTC)
PHQ9 = ScaleRule(instrument="phq9", scale="total", higher_is_better=False, criterion=6, has_caseness=True)
GAD7 = ScaleRule(instrument="gad7", scale="total", higher_is_better=False, criterion=4, has_caseness=True)
WHO5 = ScaleRule(instrument="who5", scale="percent", higher_is_better=True, criterion=10, has_caseness=True)
WSAS = ScaleRule(instrument="wsas", scale="total", higher_is_better=False, criterion=None, has_caseness=False)


def point(day: int, milestone: str, value: float, case: bool | None = None, respondent: str = "r1") -> ScorePoint:
    return ScorePoint(occurred_at=T + timedelta(days=day), milestone=milestone, value=value, caseness=case,
                      respondent=respondent)


SERIES = [point(0, "start", 20), point(40, "clinical_decision", 18), point(100, "evaluation", 12),
          point(160, "evaluation", 9), point(200, "end", 7)]


def test_baseline_is_the_first_score_at_or_after_the_baseline_milestone():
    assert baseline_of(SERIES, baseline_at=T + timedelta(days=40)).value == 18
    assert baseline_of(SERIES, baseline_at=T).value == 20
    assert baseline_of(SERIES, baseline_at=None) is None
    # The clinical decision unanswered: the first evaluation is the baseline.
    assert baseline_of([p for p in SERIES if p.value != 18], baseline_at=T + timedelta(days=40)).value == 12


def test_final_is_the_end_when_answered_else_the_last_evaluation():
    baseline = SERIES[1]
    assert final_of(SERIES, baseline=baseline).value == 7
    assert final_of(SERIES[:-1], baseline=baseline).value == 9
    assert final_of(SERIES[:2], baseline=baseline) is None
    assert final_of(SERIES, baseline=None) is None


def test_final_never_comes_from_another_respondent_or_before_the_baseline():
    baseline = point(40, "clinical_decision", 18, respondent="r1")
    other = [baseline, point(200, "end", 3, respondent="r2"), point(30, "evaluation", 1, respondent="r1")]
    assert final_of(other, baseline=baseline) is None


def test_latest_is_any_later_milestone_for_the_clinic():
    baseline = SERIES[1]
    assert latest_of(SERIES + [point(300, "follow_up", 5)], baseline=baseline).value == 5
    assert final_of(SERIES + [point(300, "follow_up", 5)], baseline=baseline).value == 7


@pytest.mark.parametrize(("rule", "before", "after", "case_before", "case_after", "expected"), [
    # reliably improved, case at start, recovered, reliably deteriorated
    (PHQ9, 18, 7, True, False, (True, True, True, False)),
    (PHQ9, 18, 12, True, True, (True, True, False, False)),    # exactly 6 points: reliable (≥ 6)
    (PHQ9, 18, 13, True, True, (False, True, False, False)),
    (PHQ9, 12, 7, True, False, (False, True, True, False)),    # recovered without reliable improvement
    (PHQ9, 8, 16, False, True, (False, False, False, True)),
    (PHQ9, 8, 14, False, True, (False, False, False, True)),   # +6 deteriorates
    (PHQ9, 8, 13, False, True, (False, False, False, False)),
    (WHO5, 28, 52, True, False, (True, True, True, False)),    # higher is better
    (WHO5, 52, 40, False, True, (False, False, False, True)),
])
def test_classify_pair(rule, before, after, case_before, case_after, expected):
    flags = classify_pair(rule, point(0, "clinical_decision", before, case_before),
                          point(90, "end", after, case_after))
    improved, case, recovered, deteriorated = expected
    assert (flags.reliably_improved, flags.case_at_start, flags.recovered, flags.reliably_deteriorated) == expected
    assert flags.reliably_recovered is (recovered and improved)
    assert flags.no_reliable_change is (not improved and not deteriorated)


def test_a_scale_without_bases_is_not_classified():
    flags = classify_pair(WSAS, point(0, "clinical_decision", 30), point(90, "end", 10))
    assert (flags.reliably_improved, flags.case_at_start, flags.recovered, flags.no_reliable_change,
            flags.reliably_recovered) == (None, None, None, None, None)


PARTS = (CombinedPart(rule=PHQ9, case_min=10, case_max=None), CombinedPart(rule=GAD7, case_min=8, case_max=None))


@pytest.mark.parametrize(("phq9", "gad7", "expected"), [
    # (before, after) per scale → case at start, recovered, improved, deteriorated
    ((12, 5), (6, 6), (True, True, True, False)),      # a case on PHQ-9 only, below both at the end
    ((8, 8), (9, 7), (True, True, False, False)),      # a case on GAD-7 ≥ 8 (not the file's 10); no reliable change
    ((15, 8), (10, 15), (True, False, False, False)),  # one improves, the other deteriorates: neither
    ((15, 8), (10, 7), (True, True, True, False)),     # PHQ-9 improves reliably, GAD-7 3 points only; both below
    ((5, 12), (3, 3), (False, False, False, True)),    # not a case at start; PHQ-9 deteriorates
    ((9, 9), (7, 7), (False, False, False, False)),
])
def test_nhs_talking_therapies_paired_rule(phq9, gad7, expected):
    flags = classify_combined([
        (PARTS[0], point(0, "clinical_decision", phq9[0]), point(90, "end", phq9[1])),
        (PARTS[1], point(0, "clinical_decision", gad7[0]), point(90, "end", gad7[1])),
    ])
    assert (flags.case_at_start, flags.recovered, flags.reliably_improved, flags.reliably_deteriorated) == expected


def test_tally_and_figures_on_a_hand_computed_group():
    pairs = [(18, 7, True, False), (12, 14, True, True), (8, 16, False, True), (20, 8, True, False)]
    rows = []
    for before, after, case_before, case_after in pairs:
        b, f = point(0, "clinical_decision", before, case_before), point(90, "end", after, case_after)
        rows.append((b, f, classify_pair(PHQ9, b, f)))
    result = tally(PHQ9, eligible=6, pairs=rows)
    assert (result.eligible, result.paired, result.cases_at_start, result.reliably_improved,
            result.reliably_deteriorated, result.no_reliable_change, result.recovered,
            result.reliably_recovered) == (6, 4, 3, 2, 1, 1, 2, 2)
    assert (result.n, result.sum_baseline, result.sum_final, result.sum_change, result.sum_sq_change) == (
        4, 58, 45, -13, 121 + 4 + 64 + 144)
    shown = figures(result)
    assert shown.paired_completeness == pytest.approx(4 / 6)
    assert shown.pct_reliably_improved == 0.5
    assert shown.pct_recovered == pytest.approx(2 / 3)
    assert shown.mean_baseline == 14.5 and shown.mean_final == 11.25 and shown.mean_change == -3.25
    # SD of baseline: values 18, 12, 8, 20 → mean 14.5, squares of deviations 12.25+6.25+42.25+30.25 = 91 → √(91/3)
    assert shown.sd_baseline == pytest.approx((91 / 3) ** 0.5)
    assert shown.effect_size == pytest.approx(-3.25 / (91 / 3) ** 0.5)
    # changes −11, +2, +8, −12: SD √((333 − 4·3.25²)/3) = √(290.75/3); t(3) = 3.182
    half = 3.182 * (290.75 / 3) ** 0.5 / 2
    assert (shown.ci_low, shown.ci_high) == (pytest.approx(-3.25 - half), pytest.approx(-3.25 + half))


def test_figures_of_an_empty_or_single_group_are_none_not_zero():
    empty = figures(Tally(eligible=3))
    assert empty.paired_completeness == 0 and empty.mean_change is None and empty.pct_recovered is None
    one = figures(Tally(eligible=1, paired=1, n=1, sum_baseline=10, sum_sq_baseline=100, sum_final=4,
                        sum_change=-6, sum_sq_change=36))
    assert one.mean_change == -6 and one.ci_low is None and one.effect_size is None


@pytest.mark.parametrize(("df", "expected"), [(1, 12.706), (10, 2.228), (30, 2.042), (40, 2.0211), (60, 2.0003),
                                              (120, 1.9799), (10_000, 1.9602)])
def test_t_quantile_matches_the_tables(df, expected):
    assert t_quantile_975(df) == pytest.approx(expected, abs=2e-4)


counts = st.integers(min_value=0, max_value=50)


@given(st.lists(st.tuples(counts, counts, st.integers(0, 27), st.integers(0, 27)), min_size=2, max_size=6))
def test_adding_tallies_is_the_tally_of_all_pairs(groups):
    """The sufficient statistics are additive: a merged report equals one over all the data."""
    def group_tally(before: int, after: int, repeat: int) -> Tally:
        b, f = point(0, "clinical_decision", before, before >= 10), point(90, "end", after, after >= 10)
        return tally(PHQ9, eligible=repeat, pairs=[(b, f, classify_pair(PHQ9, b, f))] * repeat)

    parts = [group_tally(before, after, repeat) for repeat, _, before, after in groups]
    whole_pairs = []
    for repeat, _, before, after in groups:
        b, f = point(0, "clinical_decision", before, before >= 10), point(90, "end", after, after >= 10)
        whole_pairs += [(b, f, classify_pair(PHQ9, b, f))] * repeat
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    assert total == tally(PHQ9, eligible=sum(r for r, *_ in groups), pairs=whole_pairs)
