"""Charts are element trees serialised by ElementTree: any label stays text, and the SVG always parses."""
import xml.etree.ElementTree as ET

import pytest

from pro_service.charts import ChartBand, ChartMark, ChartPoint, score_chart, trajectory_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ['"/><script>alert(1)</script>', "</svg><img src=x onerror=alert(1)>", "a & b 'c' \"d\"", "]]>--><!--"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_words_stay_text_in_every_place_a_chart_writes_words(text):
    points = [ChartPoint(label=text, value=3.0, href=f"/clinic/responses/r?{text}", link_text=text),
              ChartPoint(label=text, value=None)]
    svg = trajectory_chart(points, low=0, high=27, title=text, summary=text, chart_id="c",
                           bands=[ChartBand(0, text)], cut_off=10, cut_off_label=text, marks=[ChartMark(0, text)],
                           missing_label=text)
    root = ET.fromstring(svg)

    assert root.find(f"{SVG}title").text == text and root.find(f"{SVG}desc").text == text
    assert [a.get("aria-label") for a in root.iter(f"{SVG}a")] == [text]
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script")) and not list(root.iter("img"))
    assert ET.fromstring(score_chart([(text, 1.0)], low=0, high=27, title=text, summary=text,
                                     chart_id="s")).find(f"{SVG}title").text == text


def test_a_stylesheet_is_the_charts_first_element():
    root = ET.fromstring(score_chart([("1.1.", 3.0)], low=0, high=27, title="PHQ-9", summary="3", chart_id="s",
                                     stylesheet=".chart-line{stroke:#000}"))

    assert root[0].tag == f"{SVG}style" and root[0].text == ".chart-line{stroke:#000}"
    assert root[1].tag == f"{SVG}title"


@pytest.mark.parametrize("count", [1, 2, 4])
def test_the_last_date_ends_at_its_mark_so_it_stays_inside_the_chart(count):
    """A centred date under the rightmost mark ran past the right edge and was cut off in the GP letter."""
    points = [(f"{day:02d}.08.2026", 10.0) for day in range(1, count + 1)]
    root = ET.fromstring(score_chart(points, low=0, high=27, title="PHQ-9", summary="", chart_id="s"))
    anchors = [t.get("text-anchor") for t in root.iter(f"{SVG}text") if t.text in dict(points)]

    assert anchors == (["middle"] if count == 1 else ["middle"] * (count - 1) + ["end"])
