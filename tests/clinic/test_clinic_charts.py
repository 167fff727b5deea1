"""The shared trajectory chart: pure SVG over plain numbers, checked by its coordinates."""
import re
import xml.etree.ElementTree as ET

from pro_service.charts import ChartBand, ChartMark, ChartPoint, Geometry, score_chart, trajectory_chart

SVG = "{http://www.w3.org/2000/svg}"
PHQ9_BANDS = [ChartBand(0, "Minimal"), ChartBand(5, "Mild"), ChartBand(10, "Moderate"),
              ChartBand(15, "Moderately severe"), ChartBand(20, "Severe")]
# Default geometry: plot from x 40 to 450 and y 24 (score 27) to 212 (score 0): 188 px for 27 points.


def chart(values, **extra):
    points = [ChartPoint(label=f"d{i}", value=v, href=f"/clinic/responses/r{i}" if v is not None else None)
              for i, v in enumerate(values)]
    return trajectory_chart(points, low=0, high=27, title="PHQ-9 – Patient", summary="18, 12, missing, 7",
                            chart_id="t0", bands=PHQ9_BANDS, cut_off=10, cut_off_label="cut-off",
                            marks=[ChartMark(0, "Start"), ChartMark(3, "Evaluation")], missing_label="missing", **extra)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_points_sit_at_their_scores_and_a_missing_one_leaves_a_gap():
    root = parsed(chart([18, 12, None, 7]))

    circles = [(c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle")]
    polylines = [p.get("points") for p in root.iter(f"{SVG}polyline")]
    missing = [(m.get("x1"), m.get("x2")) for m in root.iter(f"{SVG}line") if m.get("class") == "chart-missing"]

    # x: 40 + i × 410 / 3; y: 212 − score × 188 / 27
    assert circles == [("40.0", "86.7"), ("176.7", "128.4"), ("450.0", "163.3")]
    assert polylines == ["40.0,86.7 176.7,128.4"]  # the line stops at the gap and 7 stands alone
    assert missing == [("313.3", "313.3")]
    assert "missing" in [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-missing-label"]


def test_bands_are_shaded_and_named_and_the_cut_off_is_drawn():
    root = parsed(chart([18, 7]))

    rects = [(r.get("y"), r.get("height")) for r in root.iter(f"{SVG}rect")
             if r.get("class", "").startswith("chart-band chart-band-")]
    names = [" ".join(s.text for s in t) for t in root.iter(f"{SVG}text") if t.get("class") == "chart-band-label"]
    [cut] = [line for line in root.iter(f"{SVG}line") if line.get("class") == "chart-cutoff"]

    # Minimal 0–5, Mild 5–10, Moderate 10–15, Moderately severe 15–20, Severe 20–27
    assert rects == [("177.2", "34.8"), ("142.4", "34.8"), ("107.6", "34.8"), ("72.7", "34.8"), ("24.0", "48.7")]
    assert names == ["Minimal", "Mild", "Moderate", "Moderately severe", "Severe"]
    assert (cut.get("y1"), cut.get("y2"), cut.get("x1"), cut.get("x2")) == ("142.4", "142.4", "40", "450")


def test_milestones_are_marked_and_points_link_to_their_answers():
    svg = chart([18, 12, None, 7])
    root = parsed(svg)

    marks = [(m.get("x1"), m.get("y1"), m.get("y2")) for m in root.iter(f"{SVG}line") if m.get("class") == "chart-milestone"]
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-milestone-label"]
    links = [a.get("href") for a in root.iter(f"{SVG}a")]

    assert marks == [("40.0", "24", "212"), ("450.0", "24", "212")]
    assert labels == ["Start", "Evaluation"]
    assert links == ["/clinic/responses/r0", "/clinic/responses/r1", "/clinic/responses/r3"]
    assert root.get("role") is None  # an img may not contain links, and <svg> may not be a "group"
    assert root.find(f"{SVG}title").text == "PHQ-9 – Patient"


def test_text_is_escaped_and_a_chart_without_links_is_one_image():
    svg = trajectory_chart([ChartPoint("<b>", 3.0)], low=0, high=27, title="a & b", summary="<s>", chart_id="x",
                           geometry=Geometry(width=300))
    root = parsed(svg)

    assert root.get("role") == "img"
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a &amp; b" in svg
    assert [(c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle")] == [("115.0", "191.1")]


def test_score_chart_keeps_working_for_the_respondent_pages_and_letters():
    svg = score_chart([("1.1.", 18.0), ("2.2.", 7.0)], low=0, high=27, title="PHQ-9", summary="18, 7", chart_id="c")

    assert re.findall(r'<circle class="chart-mark" cx="([\d.]+)" cy="([\d.]+)"', svg) == [("36.0", "52.0"), ("308.0", "100.9")]


def test_the_y_axis_has_round_ticks_and_every_band_its_own_pattern():
    root = parsed(chart([18, 7]))

    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-tick" and t.get("text-anchor") == "end"]
    patterns = [p.find(f"{SVG}path").get("d") for p in root.iter(f"{SVG}pattern")]

    assert ticks == ["0", "5", "10", "15", "20", "25"]
    assert len(patterns) == 4 and len(set(patterns)) == 4  # the lowest band plain, each other one different


def test_band_names_wrap_and_stay_inside_the_picture():
    long = [ChartBand(0, "Subclinical"), ChartBand(10, "Significant functional impairment"),
            ChartBand(21, "Moderately severe or worse")]
    g = Geometry()
    root = parsed(trajectory_chart([ChartPoint("d0", 30)], low=0, high=40, title="WSAS", summary="30",
                                   chart_id="w", bands=long))

    for label in (t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-band-label"):
        lines = [s.text for s in label]
        assert len(lines) <= 2 and all(len(line) <= 17 for line in lines)
        assert float(label.get("x")) + 17 * 6 <= g.width  # about 6 px a character at the chart's 10 px
        assert g.pad_top <= float(label.get("y")) <= g.pad_top + g.inner_h


def test_reliable_change_is_a_shaded_band_around_the_baseline():
    root = parsed(chart([18, 7], reliable_change=(18, 6), reliable_change_label="no reliable change"))

    [band] = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-reliable"]
    # 18 ± 6 → scores 12 to 24: y 212 − 24 × 188/27 = 44.9 to 212 − 12 × 188/27 = 128.4
    assert (band.get("y"), band.get("height")) == ("44.9", "83.6")
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-reliable-label"] == [
        "no reliable change"]
