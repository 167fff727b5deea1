"""Scoring rules on small synthetic instruments, and properties over every shipped instrument."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pro_service.instruments import InvalidAnswers, ScaleScore, score, skips
from pro_service.instruments.models import Instrument, Item


def _scale(data: dict[str, Any]) -> dict[str, Any]:
    return data["scales"][0]


def _bands(*limits: tuple[str, float, float]) -> list[dict[str, Any]]:
    return [{"code": code, "min": low, "max": high, "label": {"en": code}} for code, low, high in limits]


def _prorated(max_missing: int, rounding: str = "nearest"):
    def change(data: dict[str, Any]) -> None:
        _scale(data).update(missing={"max": max_missing, "fill": "mean", "source": "manual"}, round=rounding)

    return change


def _total(instrument: Instrument, answers: dict[int, Any]) -> ScaleScore:
    return score(instrument, answers).scales["total"]


def test_score_sums_points_and_finds_the_band(make_instrument):
    assert _total(make_instrument(), {1: 1, 2: 2, 3: 1}) == ScaleScore(4, "low", None, 0, False)
    assert _total(make_instrument(), {1: 1, 2: 2, 3: 2}) == ScaleScore(5, "high", None, 0, False)


def test_score_uses_the_points_of_the_option_not_its_position(make_instrument):
    def weighted(data: dict[str, Any]) -> None:
        for option, points in zip(data["response_scales"]["frequency"]["options"], (0, 0, 2, 3)):
            option["points"] = points
        _scale(data)["bands"] = _bands(("low", 0, 4), ("high", 5, 9))

    assert _total(make_instrument(weighted), {1: 1, 2: 1, 3: 2}).score == 2


def test_score_mirrors_reversed_items(make_instrument):
    instrument = make_instrument(lambda d: d["items"][1].update(reversed=True))
    assert _total(instrument, {1: 0, 2: 0, 3: 0}).score == 3
    assert _total(instrument, {1: 0, 2: 3, 3: 0}).score == 0


def test_score_is_none_without_prorating_when_an_item_is_missing(make_instrument):
    assert _total(make_instrument(), {1: 1, 2: 1}) == ScaleScore(None, None, None, 1, False)
    assert _total(make_instrument(), {1: 1, 2: 1, 3: None}) == ScaleScore(None, None, None, 1, False)


def test_score_prorates_from_the_mean_and_rounds_half_up(make_instrument):
    instrument = make_instrument(_prorated(1))
    # 1 + 2 answered, mean 1.5 fills item 3: 4.5 rounds half up to 5 (round() would give 4).
    assert _total(instrument, {1: 1, 2: 2}) == ScaleScore(5, "high", None, 1, True)
    # 0 + 1, mean 0.5: 1.5 rounds to 2 (half up, not half to even).
    assert _total(instrument, {1: 0, 3: 1}).score == 2


def test_score_is_none_past_the_prorating_limit(make_instrument):
    assert _total(make_instrument(_prorated(1)), {1: 3}) == ScaleScore(None, None, None, 2, False)


def test_score_without_rounding_keeps_the_fraction_and_takes_the_lower_band(make_instrument):
    result = _total(make_instrument(_prorated(1, rounding="none")), {1: 1, 2: 2})
    assert result == ScaleScore(4.5, "low", None, 1, True)


def test_score_means_answered_items(make_instrument):
    def mean(data: dict[str, Any]) -> None:
        _scale(data).update(method="mean", bands=_bands(("low", 0, 1.4), ("high", 1.5, 3)))

    instrument = make_instrument(mean)
    assert _total(instrument, {1: 1, 2: 2, 3: 2}) == ScaleScore(5 / 3, "high", None, 0, False)
    assert _total(instrument, {1: 1, 2: 2, 3: 1}).band == "low"
    assert _total(instrument, {1: 3, 2: 3, 3: 3}).score == 3


def test_score_counts_answers_in_their_range(make_instrument):
    def count(data: dict[str, Any]) -> None:
        _scale(data).update(
            method="count",
            count_if={1: {"min": 2}, 2: {"min": 2}, 3: {"max": 0}},
            bands=_bands(("negative", 0, 1), ("positive", 2, 3)),
        )

    instrument = make_instrument(count)
    assert _total(instrument, {1: 2, 2: 1, 3: 0}) == ScaleScore(2, "positive", None, 0, False)
    assert _total(instrument, {1: 3, 2: 3, 3: 1}).score == 2
    assert _total(instrument, {1: 1, 2: 1, 3: 3}) == ScaleScore(0, "negative", None, 0, False)


@pytest.mark.parametrize(("transform", "bands", "answers", "expected"), [
    ({"multiply": 4}, (("low", 0, 16), ("high", 17, 36)), {1: 1, 2: 1, 3: 1}, ScaleScore(12, "low", None, 0, False)),
    ({"multiply": 4, "add": 1}, (("low", 1, 17), ("high", 18, 37)), {1: 3, 2: 1, 3: 1}, ScaleScore(21, "high", None, 0, False)),
    ({"multiply": -1, "add": 9}, (("low", 0, 4), ("high", 5, 9)), {1: 3, 2: 3, 3: 2}, ScaleScore(1, "low", None, 0, False)),
    ({"multiply": 0.5}, (("low", 0, 2), ("high", 2.5, 4.5)), {1: 1, 2: 1, 3: 1}, ScaleScore(1.5, "low", None, 0, False)),
], ids=["times 4", "times 4 plus 1", "mirrored", "halved"])
def test_score_applies_the_linear_transform(make_instrument, transform, bands, answers, expected):
    instrument = make_instrument(lambda d: _scale(d).update(transform=transform, bands=_bands(*bands)))
    assert _total(instrument, answers) == expected


@pytest.mark.parametrize(("caseness", "total", "expected"), [
    ({"min": 5}, 4, False), ({"min": 5}, 5, True), ({"max": 3}, 3, True), ({"max": 3}, 4, False),
])
def test_score_caseness_by_min_or_max(make_instrument, caseness, total, expected):
    instrument = make_instrument(lambda d: _scale(d).update(caseness={**caseness, "source": "manual"}))
    answers = {1: min(total, 3), 2: max(total - 3, 0), 3: 0}
    assert _total(instrument, answers).caseness is expected


def test_score_reports_critical_answers_in_points(make_instrument):
    def critical(data: dict[str, Any]) -> None:
        data["items"][0]["critical"] = {"min_points": 2}
        data["items"][2].update(critical={"min_points": 3}, reversed=True)

    instrument = make_instrument(critical)
    result = score(instrument, {1: 2, 2: 3, 3: 0})
    assert [(answer.item, answer.value) for answer in result.critical] == [(1, 2), (3, 3)]
    assert score(instrument, {1: 1, 2: 3, 3: 1}).critical == ()


def test_score_reports_an_unanswered_critical_item_with_no_value(make_instrument):
    instrument = make_instrument(lambda d: d["items"][0].update(critical={"min_points": 2}))
    assert [(answer.item, answer.value) for answer in score(instrument, {2: 3}).critical] == [(1, None)]
    assert [(answer.item, answer.value) for answer in score(instrument, {1: None, 2: 3}).critical] == [(1, None)]
    assert score(instrument, {1: 0, 2: 3}).critical == ()


def test_score_takes_numbers_for_number_items(make_instrument):
    def hours(data: dict[str, Any]) -> None:
        data["response_scales"]["hours"] = {"type": "number", "min": 0, "max": 3}
        data["items"][2]["response"] = "hours"
        _scale(data).update(bands=[])

    instrument = make_instrument(hours)
    assert _total(instrument, {1: 1, 2: 1, 3: 2.5}).score == 4.5
    assert _total(instrument, {1: 1, 2: 1, 3: 3}).score == 5


def test_score_as_dict_is_the_json_shape(make_instrument):
    instrument = make_instrument(lambda d: d["items"][1].update(critical={"min_points": 1}))
    assert score(instrument, {1: 1, 2: 1, 3: 1}).as_dict() == {
        "instrument": "tiny",
        "version": "1.0",
        "scales": {"total": {"score": 3, "band": "low", "caseness": None, "missing": 0, "skipped": [],
                             "prorated": False, "threshold": None}},
        "critical": [{"item": 2, "value": 1}],
        "screens": {},
    }


@pytest.mark.parametrize(("answers", "message"), [
    ({1: 1, 2: 1, 4: 1}, "unknown item 4: tiny has items 1–3"),
    ({0: 1}, "unknown item 0: tiny has items 1–3"),
    ({"1": 1}, "unknown item '1': tiny has items 1–3"),
    ({1: 4}, "item 1: position 4 is out of range (0–3)"),
    ({2: -1}, "item 2: position -1 is out of range (0–3)"),
    ({3: 1.5}, "item 3: position 1.5 is not a whole number"),
    ({3: 1.0}, "item 3: position 1.0 is not a whole number"),
    ({1: True}, "item 1: position True is not a whole number"),
    ({1: "2"}, "item 1: position '2' is not a whole number"),
])
def test_score_refuses_invalid_answers(make_instrument, answers, message):
    with pytest.raises(InvalidAnswers) as caught:
        score(make_instrument(), answers)
    assert str(caught.value) == message


@pytest.mark.parametrize(("answer", "message"), [
    (3.5, "item 3: 3.5 is outside 0–3"),
    (-1, "item 3: -1 is outside 0–3"),
    (float("nan"), "item 3: nan is not a number"),
    ("2", "item 3: '2' is not a number"),
])
def test_score_refuses_numbers_outside_their_range(make_instrument, answer, message):
    def hours(data: dict[str, Any]) -> None:
        data["response_scales"]["hours"] = {"type": "number", "min": 0, "max": 3}
        data["items"][2]["response"] = "hours"
        _scale(data).update(bands=[])

    with pytest.raises(InvalidAnswers) as caught:
        score(make_instrument(hours), {3: answer})
    assert str(caught.value) == message


def test_score_refuses_an_answer_to_a_text_item(make_instrument):
    def comment(data: dict[str, Any]) -> None:
        data["response_scales"]["comment"] = {"type": "text"}
        data["items"][2]["response"] = "comment"
        _scale(data).update(items=[1, 2], bands=[])

    instrument = make_instrument(comment)
    assert _total(instrument, {1: 1, 2: 1, 3: None}).score == 2
    with pytest.raises(InvalidAnswers, match=r"^item 3: is a free-text item; it takes no scored answer$"):
        score(instrument, {3: 1})


# Properties over every shipped instrument ------------------------------------------------


def _answer(instrument: Instrument, item: Item) -> st.SearchStrategy[Any]:
    response = instrument.response_scale(item)
    if response.type == "single_choice":
        return st.integers(0, len(response.options or ()) - 1)
    if response.type == "number":
        return st.integers(int(response.min), int(response.max)) | st.floats(response.min, response.max)
    return st.none()


def _answers(instrument: Instrument, *, missing: bool) -> st.SearchStrategy[dict[int, Any]]:
    """Answers to every item, those a skip rule leaves out (AUDIT) left out, as a respondent gives them."""
    return st.fixed_dictionaries({
        item.number: (st.none() | _answer(instrument, item)) if missing else _answer(instrument, item)
        for item in instrument.items
    }).map(lambda answers: _asked(instrument, answers))


def _asked(instrument: Instrument, answers: dict[int, Any]) -> dict[int, Any]:
    given = {number: value for number, value in answers.items() if value is not None}
    _asked_part, aside = skips.asked_and_set_aside(instrument, given)
    return {number: None if number in aside else value for number, value in answers.items()}


@given(data=st.data())
def test_score_stays_within_the_scale_range(shipped_instrument, data):
    instrument = shipped_instrument
    result = score(instrument, data.draw(_answers(instrument, missing=True)))
    for scale in instrument.scales:
        scored = result.scales[scale.id]
        if scored.score is None:
            assert scored.missing > scale.missing_allowed
            continue
        low, high = instrument.scale_range(scale)
        assert low <= scored.score <= high
        assert (scored.band is None) == (not scale.bands)
        assert (scored.caseness is None) == (scale.caseness is None)


def _expected_trend(instrument: Instrument, scale_id: str, item: Item) -> int:
    """+1 when raising this item's answer can only raise the score, −1 only lower it, 0 either."""
    scale = instrument.scale(scale_id)
    trend = -1 if item.reversed else 1
    if scale.method == "count":
        assert scale.count_if is not None
        rule = scale.count_if[item.number]
        trend *= 0 if rule.min is not None and rule.max is not None else (1 if rule.max is None else -1)
    sign = (scale.transform.multiply > 0) - (scale.transform.multiply < 0)
    return trend * sign


@given(data=st.data())
def test_score_is_monotone_in_each_item(shipped_instrument, data):
    instrument = shipped_instrument
    answers = data.draw(_answers(instrument, missing=True))
    choices = [
        item for item in instrument.items
        if instrument.response_scale(item).type == "single_choice"
        and answers[item.number] is not None
        and answers[item.number] < len(instrument.response_scale(item).options or ()) - 1
    ]
    if not choices:
        return
    item = data.draw(st.sampled_from(choices))
    before = score(instrument, answers)
    after = score(instrument, _asked(instrument, {**answers, item.number: answers[item.number] + 1}))
    for scale in instrument.scales:
        if item.number not in scale.items or None in (before.scales[scale.id].score, after.scales[scale.id].score):
            continue  # a missing item, or one a changed skip rule now asks (AUDIT item 1 from "Never")
        step = after.scales[scale.id].score - before.scales[scale.id].score
        assert step * _expected_trend(instrument, scale.id, item) >= 0, (scale.id, item.number, step)


def _plain(instrument: Instrument, scale_id: str, answers: dict[int, Any]) -> Fraction:
    """The scale computed the obvious way, without prorating, to check the core against."""
    scale = instrument.scale(scale_id)
    points = {}
    not_asked = {n: rule for rule in instrument.skip for n in rule.items
                 if all(answers[c] is None or instrument.response_scale(instrument.item(c)).options[answers[c]].points == v
                        for c, v in rule.when.items()) and answers[n] is None}
    for number in scale.items:
        if number in not_asked:
            points[number] = Fraction(str(not_asked[number].score))
            continue
        response = instrument.response_scale(instrument.item(number))
        value = Fraction(str(response.options[answers[number]].points)) if response.options else Fraction(str(answers[number]))
        if instrument.item(number).reversed:
            low, high = instrument.points_range(instrument.item(number))
            value = Fraction(str(low)) + Fraction(str(high)) - value
        points[number] = value
    if scale.method == "count":
        raw = Fraction(sum(1 for n, value in points.items() if scale.count_if[n].contains(value)))
    else:
        raw = sum(points.values(), Fraction(0)) / (len(points) if scale.method == "mean" else 1)
    if scale.round == "nearest":
        raw = Fraction(int(raw + Fraction(1, 2)) if raw >= 0 else -int(-raw + Fraction(1, 2)))
    return raw * Fraction(str(scale.transform.multiply)) + Fraction(str(scale.transform.add))


@given(data=st.data())
def test_score_prorated_equals_plain_when_nothing_is_missing(shipped_instrument, data):
    instrument = shipped_instrument
    answers = data.draw(_answers(instrument, missing=False))
    result = score(instrument, answers)
    for scale in instrument.scales:
        scored = result.scales[scale.id]
        assert (scored.missing, scored.prorated) == (0, False)
        assert scored.score == _plain(instrument, scale.id, answers)
