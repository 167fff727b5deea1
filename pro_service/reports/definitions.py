"""What the outcome report counts, as small pure functions over frozen data.

The SQL in `queries.py` computes the same figures at scale; these functions are
the definition it is tested against, and what the clinic and the GP letter use
to pick a pathway's baseline and final score.

- **baseline**: the first scored assessment at or after the first registration
  of the milestone the package names as its baseline (`outcome.baseline`);
- **final**: the last scored assessment after the baseline, from the end
  milestone when it was answered, else from the last evaluation; from the same
  respondent as the baseline;
- **paired**: a pathway with both.

No Flask, no database.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from statistics import NormalDist

FINAL_MILESTONES = ("end", "evaluation")


@dataclass(frozen=True)
class ScorePoint:
    """One scored assessment of one scale: when its milestone happened, and the score."""

    occurred_at: datetime
    milestone: str
    value: float
    caseness: bool | None = None
    respondent: str = ""
    order: int = 0
    """Breaks ties between points of one milestone registration (e.g. the respondent's creation order)."""


def baseline_of(points: Iterable[ScorePoint], *, baseline_at: datetime | None) -> ScorePoint | None:
    """The first point at or after the baseline milestone; none before it has happened."""
    if baseline_at is None:
        return None
    candidates = [p for p in points if p.occurred_at >= baseline_at]
    return min(candidates, key=lambda p: (p.occurred_at, p.order, p.respondent), default=None)


def final_of(points: Iterable[ScorePoint], *, baseline: ScorePoint | None) -> ScorePoint | None:
    """The end milestone's point when answered, else the last evaluation's; after the baseline."""
    if baseline is None:
        return None
    later = [p for p in points if p.respondent == baseline.respondent and p.occurred_at > baseline.occurred_at
             and p.milestone in FINAL_MILESTONES]
    ends = [p for p in later if p.milestone == "end"]
    return max(ends or later, key=lambda p: p.occurred_at, default=None)


def latest_of(points: Iterable[ScorePoint], *, baseline: ScorePoint | None) -> ScorePoint | None:
    """The latest point after the baseline, whatever its milestone: what the clinic compares while treating."""
    if baseline is None:
        return None
    later = [p for p in points if p.respondent == baseline.respondent and p.occurred_at > baseline.occurred_at]
    return max(later, key=lambda p: p.occurred_at, default=None)


@dataclass(frozen=True)
class ScaleRule:
    """What classifying one scale needs: which way is better, and the smallest reliable change."""

    instrument: str
    scale: str
    higher_is_better: bool
    criterion: float | None
    """Smallest reliable change in points; None: the scale has no reliable-change basis."""
    has_caseness: bool

    @property
    def better_sign(self) -> int:
        return 1 if self.higher_is_better else -1


@dataclass(frozen=True)
class PairFlags:
    """A paired pathway's classification; None where the scale has no basis for it."""

    case_at_start: bool | None
    reliably_improved: bool | None
    reliably_deteriorated: bool | None
    recovered: bool | None

    @property
    def no_reliable_change(self) -> bool | None:
        if self.reliably_improved is None:
            return None
        return not self.reliably_improved and not self.reliably_deteriorated

    @property
    def reliably_recovered(self) -> bool | None:
        if self.recovered is None or self.reliably_improved is None:
            return None
        return self.recovered and self.reliably_improved


def _reliable(rule: ScaleRule, baseline: float, final: float) -> tuple[bool | None, bool | None]:
    if rule.criterion is None:
        return None, None
    gain = (final - baseline) * rule.better_sign
    return gain >= rule.criterion - EPSILON, -gain >= rule.criterion - EPSILON


EPSILON = 1e-9
"""Scores are stored as floats; a change that equals the criterion counts as reliable (as `change()`)."""


def classify_pair(rule: ScaleRule, baseline: ScorePoint, final: ScorePoint) -> PairFlags:
    """Case at start and recovered come from the stored caseness (which honours sex- and age-specific cut-offs)."""
    improved, deteriorated = _reliable(rule, baseline.value, final.value)
    case = bool(baseline.caseness) if rule.has_caseness else None
    recovered = (case and final.caseness is False) if case is not None else None
    return PairFlags(case_at_start=case, reliably_improved=improved, reliably_deteriorated=deteriorated,
                     recovered=recovered)


@dataclass(frozen=True)
class CombinedPart:
    rule: ScaleRule
    case_min: float | None
    case_max: float | None

    def is_case(self, value: float) -> bool:
        return value >= self.case_min if self.case_min is not None else value <= self.case_max  # type: ignore[operator]


def classify_combined(parts: Sequence[tuple[CombinedPart, ScorePoint, ScorePoint]]) -> PairFlags:
    """NHS Talking Therapies' paired rule over several scales (see `pathways.packages.CombinedOutcome`)."""
    case = any(part.is_case(b.value) for part, b, _ in parts)
    still = any(part.is_case(f.value) for part, _, f in parts)
    reliable = [_reliable(part.rule, b.value, f.value) for part, b, f in parts]
    any_improved = any(bool(i) for i, _ in reliable)
    any_deteriorated = any(bool(d) for _, d in reliable)
    return PairFlags(case_at_start=case, reliably_improved=any_improved and not any_deteriorated,
                     reliably_deteriorated=any_deteriorated and not any_improved, recovered=case and not still)


COUNTS = ("eligible", "paired", "cases_at_start", "reliably_improved", "reliably_deteriorated",
          "no_reliable_change", "recovered", "reliably_recovered")
SUMS = ("n", "sum_baseline", "sum_sq_baseline", "sum_final", "sum_change", "sum_sq_change")


@dataclass(frozen=True)
class Tally:
    """Counts and sufficient statistics of one group; adding two tallies is the tally of both groups.

    A count is None where the scale has no basis for it (no caseness cut-off, no
    reliable-change basis), not zero.
    """

    eligible: int = 0
    paired: int = 0
    cases_at_start: int | None = 0
    reliably_improved: int | None = 0
    reliably_deteriorated: int | None = 0
    no_reliable_change: int | None = 0
    recovered: int | None = 0
    reliably_recovered: int | None = 0
    n: int = 0
    sum_baseline: float | None = 0.0
    sum_sq_baseline: float | None = 0.0
    sum_final: float | None = 0.0
    sum_change: float | None = 0.0
    sum_sq_change: float | None = 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{f.name: _add(getattr(self, f.name), getattr(other, f.name)) for f in fields(Tally)})

    def as_dict(self) -> dict[str, int | float | None]:
        return {f.name: getattr(self, f.name) for f in fields(Tally)}


def _add(a: int | float | None, b: int | float | None) -> int | float | None:
    return None if a is None or b is None else a + b


def tally(rule: ScaleRule | None, *, eligible: int, pairs: Iterable[tuple[ScorePoint, ScorePoint, PairFlags]],
          with_means: bool = True) -> Tally:
    """The tally of one group from its pairs: the reference the SQL is tested against."""
    counts = dict.fromkeys(COUNTS[1:], 0)
    sums = dict.fromkeys(SUMS, 0) if with_means else dict.fromkeys(SUMS[1:], None) | {"n": 0}
    for baseline, final, flags in pairs:
        counts["paired"] += 1
        for name in COUNTS[2:]:
            value = getattr(flags, "case_at_start" if name == "cases_at_start" else name)
            counts[name] = None if value is None else counts[name] + int(value)  # type: ignore[operator]
        if with_means:
            change = final.value - baseline.value
            sums["n"] += 1
            sums["sum_baseline"] += baseline.value
            sums["sum_sq_baseline"] += baseline.value ** 2
            sums["sum_final"] += final.value
            sums["sum_change"] += change
            sums["sum_sq_change"] += change ** 2
    result = Tally(eligible=eligible, **counts, **sums)
    if rule is not None:
        result = _blank_unclassified(rule, result)
    return result


def _blank_unclassified(rule: ScaleRule, t: Tally) -> Tally:
    if rule.criterion is None:
        t = replace(t, reliably_improved=None, reliably_deteriorated=None, no_reliable_change=None,
                    reliably_recovered=None)
    if not rule.has_caseness:
        t = replace(t, cases_at_start=None, recovered=None, reliably_recovered=None)
    return t


@dataclass(frozen=True)
class Figures:
    """What a reader is shown, derived from a tally; None where it cannot be computed."""

    paired_completeness: float | None
    pct_reliably_improved: float | None
    pct_reliably_deteriorated: float | None
    pct_no_reliable_change: float | None
    pct_recovered: float | None
    pct_reliably_recovered: float | None
    mean_baseline: float | None
    mean_final: float | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    sd_baseline: float | None
    effect_size: float | None


def _ratio(part: int | None, whole: int | None) -> float | None:
    return None if part is None or not whole else part / whole


def figures(t: Tally) -> Figures:
    """Percentages of recovery over paired cases at start, the others over paired; effect size = mean change ÷ SD at baseline."""
    n = t.n
    mean_baseline = mean_final = mean_change = ci_low = ci_high = sd_baseline = effect = None
    if n and t.sum_change is not None and t.sum_baseline is not None and t.sum_final is not None:
        mean_baseline, mean_final, mean_change = t.sum_baseline / n, t.sum_final / n, t.sum_change / n
        if n > 1:
            sd_change = _sd(n, t.sum_change, t.sum_sq_change)  # type: ignore[arg-type]
            half = t_quantile_975(n - 1) * sd_change / math.sqrt(n)
            ci_low, ci_high = mean_change - half, mean_change + half
            sd_baseline = _sd(n, t.sum_baseline, t.sum_sq_baseline)  # type: ignore[arg-type]
            effect = mean_change / sd_baseline if sd_baseline else None
    return Figures(
        paired_completeness=_ratio(t.paired, t.eligible),
        pct_reliably_improved=_ratio(t.reliably_improved, t.paired),
        pct_reliably_deteriorated=_ratio(t.reliably_deteriorated, t.paired),
        pct_no_reliable_change=_ratio(t.no_reliable_change, t.paired),
        pct_recovered=_ratio(t.recovered, t.cases_at_start),
        pct_reliably_recovered=_ratio(t.reliably_recovered, t.cases_at_start),
        mean_baseline=mean_baseline, mean_final=mean_final, mean_change=mean_change,
        ci_low=ci_low, ci_high=ci_high, sd_baseline=sd_baseline, effect_size=effect,
    )


def _sd(n: int, total: float, total_sq: float) -> float:
    """Sample standard deviation from sufficient statistics; never negative from rounding."""
    return math.sqrt(max(total_sq - total * total / n, 0.0) / (n - 1))


_T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
          2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
          2.045, 2.042)
"""Student's t, 97.5th percentile, for 1–30 degrees of freedom (any statistics table, to 3 decimals)."""


def t_quantile_975(df: int) -> float:
    """Two-sided 95 % t multiplier: the table up to 30 df, then the Cornish–Fisher expansion (error < 1e-4)."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df <= len(_T_975):
        return _T_975[df - 1]
    z = NormalDist().inv_cdf(0.975)
    return (z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3))
