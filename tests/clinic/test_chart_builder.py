"""Charts are element trees serialised by ElementTree: any label stays text, and the SVG always parses."""
import xml.etree.ElementTree as ET

import pytest

from pro_service.charts import ChartBand, ChartMark, ChartPoint, Geometry, score_chart, trajectory_chart
from pro_service.letters.context import LETTER_CHART

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


def _trajectory(points=(ChartPoint("05.01.2026", 19.0), ChartPoint("09.02.2026", 14.0),
                        ChartPoint("04.05.2026", 6.0)), **overrides):
    arguments = dict(low=0, high=27, title="PHQ-9", summary="19, 14, 6", chart_id="t",
                     bands=[ChartBand(0, "Minimal depression"), ChartBand(5, "Mild depression"),
                            ChartBand(10, "Moderate depression"), ChartBand(15, "Moderately severe depression"),
                            ChartBand(20, "Severe depression")],
                     cut_off=10, cut_off_label="cut-off", marks=[ChartMark(0, "Start"), ChartMark(2, "Evaluation")],
                     reliable_change=(19.0, 6.0), reliable_change_label="no reliable change")
    return ET.fromstring(trajectory_chart(points, **(arguments | overrides)))


def test_trajectory_chart_is_an_image_with_title_and_description():
    root = _trajectory()

    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "PHQ-9" and root.find(f"{SVG}desc").text == "19, 14, 6"
    assert root.get("aria-labelledby") == "t-title" and root.get("aria-describedby") == "t-desc"


def test_the_y_axis_has_a_tick_and_a_number_every_five_points_from_low_to_high():
    root = _trajectory()
    numbers = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-tick" and "." not in t.text]

    assert numbers == ["0", "5", "10", "15", "20", "25"]
    assert len([line for line in root.iter(f"{SVG}line") if line.get("class") == "chart-tick-mark"]) == 6


def test_the_cut_off_line_is_drawn_at_the_cut_off_and_named():
    root = _trajectory()
    line = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "chart-cutoff")
    label = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-cutoff-label")
    geometry = Geometry()

    assert float(line.get("y1")) == pytest.approx(geometry.y(10, 0, 27), abs=0.1) == float(line.get("y2"))
    assert label.text == "cut-off 10"


def test_reliable_change_is_a_band_of_plus_minus_the_threshold_around_the_baseline():
    root = _trajectory()
    band = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-reliable")
    geometry = Geometry()
    top, height = float(band.get("y")), float(band.get("height"))

    assert top == pytest.approx(geometry.y(25, 0, 27), abs=0.1)
    assert top + height == pytest.approx(geometry.y(13, 0, 27), abs=0.1)
    assert "no reliable change" in [t.text for t in root.iter(f"{SVG}text")]


def test_without_a_cut_off_or_threshold_neither_is_drawn():
    root = _trajectory(cut_off=None, reliable_change=None)
    classes = {element.get("class") for element in root.iter()}

    assert "chart-cutoff" not in classes and "chart-reliable" not in classes


def test_each_band_has_its_own_pattern_or_none_so_bands_survive_black_and_white_print():
    root = _trajectory()
    patterns = [p.find(f"{SVG}path").get("d") for p in root.iter(f"{SVG}pattern")]

    assert len(patterns) == 4 and len(set(patterns)) == 4  # the lowest band is plain, the four above differ


# An upper bound on the advance of one character of a date (digits and full stops, DejaVu Sans 11px).
CHAR_WIDTH = 6.2
LETTER = LETTER_CHART


@pytest.mark.parametrize("label", ["Minimal depression", "Moderately severe depression",
                                   "Moderat til alvorleg depresjon", "Mellemsvær depression",
                                   "Klinisk signifikant symptombelastningsniveau", "x"])
@pytest.mark.parametrize("geometry", [Geometry(), LETTER, Geometry(width=300, height=160, pad_end=70)])
def test_band_labels_never_clip_at_the_charts_edges(label, geometry):
    root = _trajectory(bands=[ChartBand(0, label), ChartBand(5, label), ChartBand(20, label), ChartBand(26, label)],
                       geometry=geometry)
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-band-label"]

    assert len(labels) == 4
    for text in labels:
        x = float(text.get("x"))
        lines = [span.text for span in text.iter(f"{SVG}tspan")]
        first_baseline = float(text.get("y"))
        last_baseline = first_baseline + 10 * (len(lines) - 1)
        assert 1 <= len(lines) <= 2
        assert x >= geometry.width - geometry.pad_end
        assert all(x + len(line) * geometry.label_advance <= geometry.width for line in lines), lines
        assert first_baseline - 10 >= 0 and last_baseline + 3 <= geometry.height


def test_dates_under_the_first_and_last_points_stay_inside_the_chart():
    root = _trajectory()
    geometry = Geometry()
    dates = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-tick" and "." in t.text]

    assert [d.text for d in dates] == ["05.01.2026", "09.02.2026", "04.05.2026"]
    for text in dates:
        half = len(text.text) * CHAR_WIDTH / 2
        assert float(text.get("x")) - half >= 0 and float(text.get("x")) + half <= geometry.width


def test_milestone_marks_are_labelled_at_their_points():
    root = _trajectory()

    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-milestone-label"] == [
        "Start", "Evaluation"]


def test_the_reliable_change_name_and_the_cut_off_name_never_share_a_place():
    """With the band's lower edge on the cut-off line, both names were written on top of each other."""
    root = _trajectory(reliable_change=(16.0, 6.0))
    texts = {t.get("class"): t for t in root.iter(f"{SVG}text")}
    cut_off, reliable = texts["chart-cutoff-label"], texts["chart-reliable-label"]

    assert float(cut_off.get("x")) < Geometry().pad_start + 10 and cut_off.get("text-anchor") is None
    assert reliable.get("text-anchor") == "end" and float(reliable.get("x")) > Geometry().width / 2


# An upper bound on the advance of one character of a milestone's name in any language (DejaVu Sans 11px: 6.97).
NAME_WIDTH = 7.0
DEMO_NAMES = ["Nasjonalt pasientforløp start", "Klinisk beslutning", "Evaluering",
              "Avslutning av nasjonalt pasientforløp", "Oppfølging etter avslutning"]


def _names(root):
    """(left, right, baseline) of each milestone name, by its anchor and the widest advance of its characters."""
    found = []
    for text in root.iter(f"{SVG}text"):
        if text.get("class") == "chart-milestone-label":
            x, width = float(text.get("x")), len(text.text) * NAME_WIDTH
            left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
            found.append((left, left + width, float(text.get("y"))))
    return found


@pytest.mark.parametrize("names", [DEMO_NAMES, DEMO_NAMES[:3], ["Start", "Evaluering"] + ["Evaluering"] * 8,
                                   ["Завершення програми лікування", "Спостереження після завершення"]])
@pytest.mark.parametrize("geometry", [Geometry(), Geometry(width=300, height=160, pad_end=70)])
def test_milestone_names_close_together_are_staggered_and_never_overlap(names, geometry):
    """Nora Lie's charts wrote "Nasjonalt pasientforløp start" over "Klinisk beslutning"."""
    points = [ChartPoint(f"{day:02d}.01.2026", 10.0) for day in range(1, len(names) + 1)]
    root = _trajectory(points=points, marks=[ChartMark(i, name) for i, name in enumerate(names)], geometry=geometry)
    found = _names(root)
    [plot_top] = {float(line.get("y1")) for line in root.iter(f"{SVG}line") if line.get("class") == "chart-milestone"}
    height = float(root.get("viewBox").split()[3])

    assert len(found) == len(names)
    for index, (left, right, y) in enumerate(found):
        assert 0 <= left and right <= geometry.width and 11 <= y <= plot_top - 6
        assert all(right <= other_left or other_right <= left
                   for other_left, other_right, other_y in found[index + 1:] if other_y == y)
    assert plot_top - geometry.pad_top == height - geometry.height  # the plot keeps its height


def test_the_start_and_the_clinical_decision_close_together_get_a_row_each():
    root = _trajectory(marks=[ChartMark(i, name) for i, name in enumerate(DEMO_NAMES[:3])])

    assert [y for _left, _right, y in _names(root)] == [28.0, 16.0, 28.0]
    assert root.get("viewBox") == "0 0 560 252"


def test_milestone_names_that_fit_stay_on_one_row_in_a_chart_of_its_usual_size():
    root = _trajectory()

    assert {y for _left, _right, y in _names(root)} == {16.0}
    assert root.get("viewBox") == "0 0 560 240"
