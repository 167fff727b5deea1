"""Skip rules in the pure core: synthetic instruments for each rule of the format, and properties over AUDIT."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pro_service.instruments import CatalogError, InvalidAnswers, score, skips


def _rules(*rules: dict[str, Any]):
    def change(data: dict[str, Any]) -> None:
        data["skip"] = [{"score": 0, "source": "test", **rule} for rule in rules]

    return change


def test_a_skipped_item_scores_the_rules_points_and_is_not_missing(make_instrument):
    instrument = make_instrument(_rules({"when": {1: 0}, "items": [2, 3], "score": 1}))
    total = score(instrument, {1: 0}).scales["total"]
    assert (total.score, total.missing, total.skipped) == (2, 0, (2, 3))


def test_nothing_is_skipped_until_the_deciding_item_is_answered(make_instrument):
    instrument = make_instrument(_rules({"when": {1: 0}, "items": [3]}))
    total = score(instrument, {2: 1, 3: 2}).scales["total"]
    assert (total.score, total.missing, total.skipped) == (None, 1, ())


def test_a_rule_reads_an_item_another_rule_skipped_as_its_score(make_instrument):
    instrument = make_instrument(_rules({"when": {1: 0}, "items": [2], "score": 1},
                                        {"when": {2: 1}, "items": [3], "score": 0}))
    assert score(instrument, {1: 0}).scales["total"].skipped == (2, 3)
    assert score(instrument, {1: 1, 2: 1}).scales["total"].skipped == (3,)
    assert score(instrument, {1: 1, 2: 2, 3: 0}).scales["total"].skipped == ()


def test_a_condition_on_a_reversed_item_reads_its_points_after_mirroring(make_instrument):
    def reversed_first(data: dict[str, Any]) -> None:
        data["items"][0]["reversed"] = True
        _rules({"when": {1: 0}, "items": [2, 3]})(data)

    instrument = make_instrument(reversed_first)
    assert score(instrument, {1: 3}).scales["total"].skipped == (2, 3)  # position 3 scores 0 once mirrored
    with pytest.raises(InvalidAnswers, match=r"^item 2 is not asked when item 1 is 0 points; give '-' for it$"):
        score(instrument, {1: 3, 2: 0})


def test_asked_and_set_aside_splits_answers_by_what_the_others_skip(make_instrument):
    instrument = make_instrument(_rules({"when": {1: 0}, "items": [2, 3]}))
    assert skips.asked_and_set_aside(instrument, {1: 0, 2: 3, 3: 1}) == ({1: 0}, {2: 3, 3: 1})
    assert skips.asked_and_set_aside(instrument, {1: 1, 2: 3}) == ({1: 1, 2: 3}, {})


def test_the_loader_checks_the_rules_against_the_items(instrument_file):
    from pro_service.instruments import load_instrument

    path = instrument_file(_rules({"when": {2: 5}, "items": [1, 4]}))
    with pytest.raises(CatalogError) as error:
        load_instrument(path)
    problems = {location: message for _file, location, message in error.value.problems}
    assert problems == {
        "skip[0].when.2": "5 is not a value item 2 can score (its options score 0, 1, 2, 3)",
        "skip[0].items[0]": "item 1 is not after item 2, which decides the rule; a rule skips only later items",
        "skip[0].items[1]": "unknown item 4",
    }


# Properties over AUDIT, the shipped instrument with skip rules ------------------------------------


def _audit_answers(audit) -> st.SearchStrategy[dict[int, int | None]]:
    return st.fixed_dictionaries({
        item.number: st.none() | st.integers(0, len(audit.response_scale(item).options) - 1) for item in audit.items})


@given(data=st.data())
def test_every_item_is_answered_skipped_or_missing_never_two(catalog, data):
    audit = catalog["audit"]
    given_answers = {n: v for n, v in data.draw(_audit_answers(audit)).items() if v is not None}
    asked, aside = skips.asked_and_set_aside(audit, given_answers)
    assert set(asked) | set(aside) == set(given_answers) and not set(asked) & set(aside)
    total = score(audit, asked).scales["total"]  # what is asked always scores, never raises
    assert len(asked) + total.missing + len(total.skipped) == 10
    assert not set(total.skipped) & set(asked)
    for number in aside:
        with pytest.raises(InvalidAnswers, match=rf"^item {number} is not asked when item"):
            score(audit, {**asked, number: aside[number]})


@given(data=st.data())
def test_a_skipped_item_never_changes_the_total_beyond_what_answering_0_would(catalog, data):
    """The manual scores a skipped item 0: the total equals the total with every skipped item answered 0."""
    audit = catalog["audit"]
    given_answers = {n: v for n, v in data.draw(_audit_answers(audit)).items() if v is not None}
    asked, _aside = skips.asked_and_set_aside(audit, given_answers)
    result = score(audit, asked).scales["total"]
    if result.score is None:
        return
    zeros = {**asked, **{number: 0 for number in result.skipped}}
    assert sum(audit.response_scale(audit.item(n)).options[v].points for n, v in zeros.items()) == result.score
