import pytest

from pro_service import definitions
from pro_service.charts import score_chart
from pro_service.survey.plan import minutes_for, missing_problems, page_of_item, pages_of


@pytest.fixture
def catalog(app):
    with app.app_context():
        return definitions.catalog()


def test_a_long_instrument_is_split_into_even_pages_of_at_most_ten(catalog):
    assert [[i.number for i in page] for page in pages_of(catalog["pcl5"])] == [list(range(1, 11)),
                                                                                 list(range(11, 21))]
    assert [len(page) for page in pages_of(catalog["asrs"])] == [9, 9]
    assert len(pages_of(catalog["phq9"])) == 1 and page_of_item(catalog["pcl5"], 11) == 2


def test_missing_answers_follow_the_prorating_rule(catalog):
    phq9 = catalog["phq9"]
    two_missing = {str(n): 1 for n in range(3, 10)}
    three_missing = {str(n): 1 for n in range(4, 10)}

    assert missing_problems(phq9, two_missing) == ()
    [problem] = missing_problems(phq9, three_missing)
    assert (problem.scale_id, problem.unanswered, problem.needed) == ("total", (1, 2, 3), 1)


def test_minutes_are_rounded_up_and_never_zero():
    assert (minutes_for(1), minutes_for(31)) == (1, 8)


def test_score_chart_is_plain_svg_with_a_text_alternative():
    svg = score_chart([("1 Jan", 12), ("1 Apr", 6)], low=0, high=27, title="PHQ-9 <total>",
                      summary="12, then 6", chart_id="c")

    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert "PHQ-9 &lt;total&gt;" in svg and "<desc id=\"c-desc\">12, then 6</desc>" in svg
    assert "style=" not in svg and "<polyline" in svg
