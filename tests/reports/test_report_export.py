"""Documents, small-number suppression and merging (pure: built from report objects)."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.reports.definitions import Tally
from pro_service.reports.export import document, merge
from pro_service.reports.model import Group, GroupKey, OutcomeRow, ProcessRow, Report, ReportRequest, regroup
from pro_service.reports.suppression import suppress, suppress_with_parts

REQUEST = ReportRequest(start=date(2026, 1, 1), end=date(2026, 12, 31), units=("u1",), by="unit")


def tally(eligible=20, paired=12, up=6, down=1, cases=10, recovered=5, rrec=4, n=None):
    n = paired if n is None else n
    return Tally(eligible=eligible, paired=paired, cases_at_start=cases, reliably_improved=up,
                 reliably_deteriorated=down, no_reliable_change=paired - up - down, recovered=recovered,
                 reliably_recovered=rrec, n=n, sum_baseline=15.0 * n, sum_sq_baseline=240.0 * n,
                 sum_final=9.0 * n, sum_change=-6.0 * n, sum_sq_change=50.0 * n)


def group(unit="A", quarter=None, started=30, ended=25, due=20, met=15, days=((30, 10), (50, 5)), **counts):
    return Group(key=GroupKey(unit=unit, package="mh_adults", quarter=quarter), pathways_started=started,
                 pathways_ended=ended, process=(ProcessRow("clinical_decision", due=due, met=met, days=days),),
                 outcomes=(OutcomeRow("phq9", "total", "self", tally(**counts)),))


def test_a_document_follows_the_api_contract():
    doc = document(Report(request=REQUEST, groups=(group(),)))
    (g,) = doc["groups"]
    assert (doc["from"], doc["to"], g["unit"], g["package"], g["pathways_started"], g["pathways_ended"]) == (
        "2026-01-01", "2026-12-31", "A", "mh_adults", 30, 25)
    assert g["process"][0] | {"days": None} == {"time_limit": "clinical_decision", "due": 20, "met": 15,
                                                "median_days": 30.0, "days": None}
    (row,) = g["outcomes"]
    assert {k: row[k] for k in ("instrument", "scale", "respondent_role", "eligible", "paired", "cases_at_start",
                                "reliably_improved", "reliably_deteriorated", "no_reliable_change", "recovered",
                                "reliably_recovered", "n")} == {
        "instrument": "phq9", "scale": "total", "respondent_role": "self", "eligible": 20, "paired": 12,
        "cases_at_start": 10, "reliably_improved": 6, "reliably_deteriorated": 1, "no_reliable_change": 5,
        "recovered": 5, "reliably_recovered": 4, "n": 12}
    assert (row["mean_baseline"], row["mean_final"], row["mean_change"], row["pct_recovered"]) == (15, 9, -6, 0.5)
    assert row["effect_size"] == -6 / ((240 * 12 - 15 * 15 * 12) / 11) ** 0.5


def test_counts_of_one_to_four_are_suppressed_with_what_is_computed_from_them():
    doc = suppress(document(Report(request=REQUEST, groups=(group(started=4, due=3, met=0, days=((9, 3),),
                                                                  recovered=2),),)))
    (g,) = doc["groups"]
    assert g["pathways_started"] is None and g["pathways_ended"] == 25
    assert (g["process"][0]["due"], g["process"][0]["met"], g["process"][0]["median_days"]) == (None, 0, None)
    row = g["outcomes"][0]
    assert (row["recovered"], row["pct_recovered"], row["cases_at_start"]) == (None, None, 10)
    assert "days" not in str([r.get("days") for r in g["process"] if r.get("days")])
    assert doc["suppressed"] is True


def test_a_complementary_cell_that_would_reveal_a_suppressed_one_is_suppressed_too():
    # paired 12 = improved 6 + deteriorated 1 + unchanged 5: the 1 is suppressed, so is the 5 (the smallest other).
    row = suppress(document(Report(request=REQUEST, groups=(group(),))))["groups"][0]["outcomes"][0]
    assert (row["paired"], row["reliably_improved"], row["reliably_deteriorated"], row["no_reliable_change"]) == (
        12, 6, None, None)
    assert row["pct_no_reliable_change"] is None and row["pct_reliably_improved"] == 0.5


def test_quarters_shown_beside_the_total_cannot_reveal_each_other():
    quarters = (group(quarter="2026-Q1", started=3, ended=10), group(quarter="2026-Q2", started=27, ended=15))
    whole = document(Report(request=REQUEST, groups=regroup(quarters, "package")))
    parts = document(Report(request=REQUEST, groups=regroup(quarters, "quarter")))
    whole, parts = suppress_with_parts(whole, parts)
    assert [g["pathways_started"] for g in parts["groups"]] == [None, None]   # 3 is small; 27 = 30 − 3 would tell
    assert whole["groups"][0]["pathways_started"] == 30


tallies = st.builds(tally, eligible=st.integers(10, 40), paired=st.integers(8, 10), up=st.integers(0, 4),
                    down=st.integers(0, 4), cases=st.integers(0, 8), recovered=st.integers(0, 3),
                    rrec=st.integers(0, 3))
groups = st.builds(group, unit=st.sampled_from(["A", "B", "C"]), quarter=st.sampled_from(["2026-Q1", "2026-Q2"]),
                   started=st.integers(0, 9), ended=st.integers(0, 9), due=st.integers(0, 9), met=st.integers(0, 5),
                   days=st.lists(st.tuples(st.integers(0, 90), st.integers(1, 3)), max_size=3).map(tuple))


@settings(max_examples=60, deadline=None)
@given(st.lists(groups, min_size=1, max_size=8), st.integers(0, 7), st.sampled_from(["unit", "package", "quarter"]))
def test_merging_the_documents_of_several_installations_equals_one_report_over_all_data(all_groups, cut, by):
    """Split the data between two installations: merge(A, B) is the report over A ∪ B, medians included."""
    left, right = all_groups[:cut], all_groups[cut:]
    base = lambda gs: document(Report(request=REQUEST, groups=regroup(gs, "quarter" if by == "quarter" else "unit")))  # noqa: E731
    whole = document(Report(request=REQUEST, groups=regroup(all_groups, by)))
    merged = merge([base(left), base(right)], by=by)
    assert merged["groups"] == whole["groups"]
    assert suppress(merged)["groups"] == suppress(whole)["groups"]


def test_merging_suppressed_documents_keeps_what_is_unknown_unknown():
    a = suppress(document(Report(request=REQUEST, groups=(group(unit="A", started=3),))))
    b = suppress(document(Report(request=REQUEST, groups=(group(unit="B", started=30),))))
    merged = merge([a, b], by="package")
    (g,) = merged["groups"]
    assert g["pathways_started"] is None and g["pathways_ended"] == 50
    assert g["process"][0]["median_days"] is None        # two installations' medians do not combine
    assert g["outcomes"][0]["paired"] == 24 and merged["suppressed"] is True
