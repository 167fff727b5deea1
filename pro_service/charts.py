"""Small server-side SVG charts: no JavaScript, no inline style, shared by respondent pages, clinic and letters.

Pure: takes plain numbers and already-translated words, returns SVG text.
The chart is decoration for sighted readers; every page that shows one also
states the same values in words. The SVG is built as an element tree and
serialised by ElementTree, never by joining strings: a label or title is
always text or an attribute value, whatever characters it holds.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, replace

WIDTH, HEIGHT = 320, 160
PAD_START, PAD_END, PAD_TOP, PAD_BOTTOM = 36, 12, 12, 28


def score_chart(points: Sequence[tuple[str, float]], *, low: float, high: float, title: str, summary: str,
                chart_id: str, stylesheet: str | None = None) -> str:
    """A line of scores over time on a fixed scale from `low` to `high`.

    :param points: (label under the mark, e.g. a formatted date; score), oldest first.
    :param summary: the text alternative, read instead of the picture.
    :param stylesheet: CSS for a `<style>` inside the SVG, for renderers that style an SVG only from within
        (WeasyPrint); a constant of the caller's, never data.
    """
    span = (high - low) or 1
    inner_w, inner_h = WIDTH - PAD_START - PAD_END, HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return PAD_START + (index * step if len(points) > 1 else inner_w / 2)

    def y(value: float) -> float:
        return PAD_TOP + inner_h - (min(max(value, low), high) - low) / span * inner_h

    marks = [(x(i), y(value), label, value) for i, (label, value) in enumerate(points)]
    svg = _svg(class_="chart", viewBox=f"0 0 {WIDTH} {HEIGHT}", role="img",
               aria_labelledby=f"{chart_id}-title {chart_id}-desc", focusable="false")
    if stylesheet is not None:
        _add(svg, "style", stylesheet)
    _add(svg, "title", title, id=f"{chart_id}-title")
    _add(svg, "desc", summary, id=f"{chart_id}-desc")
    _add(svg, "line", class_="chart-axis", x1=PAD_START, y1=PAD_TOP, x2=PAD_START, y2=PAD_TOP + inner_h)
    _add(svg, "line", class_="chart-axis", x1=PAD_START, y1=PAD_TOP + inner_h, x2=WIDTH - PAD_END,
         y2=PAD_TOP + inner_h)
    _add(svg, "text", _number(high), class_="chart-tick", x=PAD_START - 6, y=PAD_TOP + 4, text_anchor="end")
    _add(svg, "text", _number(low), class_="chart-tick", x=PAD_START - 6, y=PAD_TOP + inner_h, text_anchor="end")
    if len(marks) > 1:
        _add(svg, "polyline", class_="chart-line",
             points=" ".join(f"{mx:.1f},{my:.1f}" for mx, my, _label, _value in marks))
    for index, (mx, my, label, value) in enumerate(marks):
        _add(svg, "circle", class_="chart-mark", cx=f"{mx:.1f}", cy=f"{my:.1f}", r=4)
        _add(svg, "text", _number(value), class_="chart-value", x=f"{mx:.1f}", y=f"{my - 8:.1f}",
             text_anchor="middle")
        # The last label of several ends at its mark: centred, a date would run past the right edge.
        last = len(marks) > 1 and index == len(marks) - 1
        _add(svg, "text", label, class_="chart-tick", x=f"{mx:.1f}", y=HEIGHT - 8,
             text_anchor="end" if last else "middle")
    return _serialise(svg)


def _svg(**attributes: object) -> ET.Element:
    # A plain xmlns attribute, not a namespaced tag: serialised as <svg xmlns="…">, as HTML and SVG expect.
    return ET.Element("svg", _attributes({"xmlns": "http://www.w3.org/2000/svg", **attributes}))


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: object) -> ET.Element:
    """A child element; `class_` is `class`, `text_anchor` is `text-anchor`, and so on."""
    element = ET.SubElement(parent, tag, _attributes(attributes))
    element.text = text
    return element


def _attributes(attributes: dict[str, object]) -> dict[str, str]:
    return {name.rstrip("_").replace("_", "-"): str(value) for name, value in attributes.items()}


def _serialise(svg: ET.Element) -> str:
    return ET.tostring(svg, encoding="unicode")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


@dataclass(frozen=True)
class ChartPoint:
    """One time point of a trajectory; `value` None is a score that was due and never came."""

    label: str
    value: float | None
    href: str | None = None
    link_text: str | None = None
    """The link's accessible name, e.g. "PHQ-9, 3 March: 12 (moderate) – open the answers"."""


@dataclass(frozen=True)
class ChartBand:
    """A severity band from `low` up to (not including) the next band's low; `label` is written in the chart."""

    low: float
    label: str


@dataclass(frozen=True)
class ChartMark:
    """A milestone marked above the point at `index`."""

    index: int
    label: str


@dataclass(frozen=True)
class Geometry:
    width: int = 560
    height: int = 240
    pad_start: int = 40
    pad_end: int = 110  # room for the band names
    pad_top: int = 24  # room for milestone names
    pad_bottom: int = 28
    label_advance: float = 6.0
    """The widest average advance of a character of a band name, in chart units (DejaVu Sans at 11px ≈ 0.55em);
    band names wrap to fit the right padding at this width."""
    milestone_advance: float = 7.0
    """The same for a milestone's name, which is never wrapped: the widest average over the packages' names in
    every language is 6.97 (Ukrainian, DejaVu Sans at 11px), so names estimated at this width never touch."""

    @property
    def inner_w(self) -> float:
        return self.width - self.pad_start - self.pad_end

    @property
    def inner_h(self) -> float:
        return self.height - self.pad_top - self.pad_bottom

    def x(self, index: int, count: int) -> float:
        if count <= 1:
            return self.pad_start + self.inner_w / 2
        return self.pad_start + index * self.inner_w / (count - 1)

    def y(self, value: float, low: float, high: float) -> float:
        span = (high - low) or 1
        return self.pad_top + self.inner_h - (min(max(value, low), high) - low) / span * self.inner_h


def trajectory_chart(points: Sequence[ChartPoint], *, low: float, high: float, title: str, summary: str,
                     chart_id: str, bands: Sequence[ChartBand] = (), cut_off: float | None = None,
                     cut_off_label: str = "", marks: Sequence[ChartMark] = (), missing_label: str = "",
                     geometry: Geometry = Geometry(), reliable_change: tuple[float, float] | None = None,
                     reliable_change_label: str = "", stylesheet: str | None = None) -> str:
    """Score over time with band shading, the caseness line, milestone marks and gaps where a score is missing.

    Points are evenly spaced, oldest first. The line breaks at a missing point,
    which gets a dashed marker and `missing_label` instead of a dot, so a gap
    never reads as a score. Band names are written beside the shading, and each
    band has its own pattern, so the bands never rely on colour (black-and-white
    print, colour blindness). `reliable_change` (baseline, threshold) shades the
    scores within ± the threshold of the baseline: a later point outside it has
    changed reliably. With links on points the picture keeps SVG's own role (an `img` may
    not hold links); without, it is one image as `score_chart`. Milestone names that would
    touch are staggered onto rows above the plot (`milestone_labels`); each row makes the
    chart taller, never the plot smaller.
    """
    count = len(points)
    names = milestone_labels(marks, count, geometry)
    # Each raised row of names lowers the plot by a row, so the names never reach into it.
    raised = max((name.row for name in names), default=0) * MILESTONE_ROW
    g = replace(geometry, pad_top=geometry.pad_top + raised, height=geometry.height + raised)
    linked = any(p.href for p in points)
    top, bottom = g.pad_top, g.pad_top + g.inner_h
    right = g.width - g.pad_end
    # With links the picture keeps SVG's own role (graphics-document), which may hold them; "group" is not
    # allowed on <svg> (the Nu HTML checker).
    role = {} if linked else {"role": "img"}
    svg = _svg(class_="chart chart--trajectory", viewBox=f"0 0 {g.width} {g.height}", **role,
               aria_labelledby=f"{chart_id}-title", aria_describedby=f"{chart_id}-desc", focusable="false")
    if stylesheet is not None:
        _add(svg, "style", stylesheet)
    _add(svg, "title", title, id=f"{chart_id}-title")
    _add(svg, "desc", summary, id=f"{chart_id}-desc")
    _bands(svg, bands, low=low, high=high, g=g, chart_id=chart_id)
    if reliable_change is not None:
        _reliable_band(svg, *reliable_change, label=reliable_change_label, low=low, high=high, g=g)
    _add(svg, "line", class_="chart-axis", x1=g.pad_start, y1=top, x2=g.pad_start, y2=bottom)
    _add(svg, "line", class_="chart-axis", x1=g.pad_start, y1=bottom, x2=right, y2=bottom)
    for tick in ticks(low, high):
        ty = g.y(tick, low, high)
        _add(svg, "line", class_="chart-tick-mark", x1=g.pad_start - 4, y1=f"{ty:.1f}", x2=g.pad_start,
             y2=f"{ty:.1f}", stroke="#000")
        _add(svg, "text", _number(tick), class_="chart-tick", x=g.pad_start - 6, y=f"{ty + 4:.1f}",
             text_anchor="end", aria_hidden="true")
    if cut_off is not None:
        cy = g.y(cut_off, low, high)
        _add(svg, "line", class_="chart-cutoff", x1=g.pad_start, y1=f"{cy:.1f}", x2=right, y2=f"{cy:.1f}",
             stroke="#000", stroke_dasharray="6 4")
        _add(svg, "text", f"{cut_off_label} {_number(cut_off)}", class_="chart-cutoff-label", x=g.pad_start + 4,
             y=f"{cy - 4:.1f}", aria_hidden="true")
    for name in names:
        mx = g.x(name.mark.index, count)
        _add(svg, "line", class_="chart-milestone", x1=f"{mx:.1f}", y1=top, x2=f"{mx:.1f}", y2=bottom,
             stroke="#666", stroke_dasharray="2 3")
        _add(svg, "text", name.mark.label, class_="chart-milestone-label", x=f"{name.x:.1f}",
             y=top - 8 - name.row * MILESTONE_ROW, text_anchor=name.anchor, aria_hidden="true")
    for segment in _segments(points):
        if len(segment) > 1:
            _add(svg, "polyline", class_="chart-line",
                 points=" ".join(f"{g.x(i, count):.1f},{g.y(v, low, high):.1f}" for i, v in segment))
    for index, point in enumerate(points):
        _point(svg, point, index, count, low=low, high=high, g=g, missing_label=missing_label)
    return _serialise(svg)


MILESTONE_ROW = 12
"""The height of one row of milestone names (11px text and a little air)."""
MILESTONE_GAP = 6
"""The least room between two milestone names on one row."""


@dataclass(frozen=True)
class MilestoneLabel:
    """Where a milestone's name is written: from `start` to `end` across, on `row` (0 just above the plot)."""

    mark: ChartMark
    x: float
    anchor: str
    start: float
    end: float
    row: int


def milestone_labels(marks: Sequence[ChartMark], count: int, g: Geometry) -> list[MilestoneLabel]:
    """Each name over its mark, inside the chart, on the lowest row where it touches no name already placed.

    Milestones close together (start and clinical decision) got names written over each other; a name that
    would touch one is raised a row instead, so each stays whole and beside its own mark.
    """
    placed: list[MilestoneLabel] = []
    for mark in sorted((m for m in marks if 0 <= m.index < count), key=lambda m: m.index):
        mx = g.x(mark.index, count)
        width = len(mark.label) * g.milestone_advance
        # The first name starts at its mark rather than centring on it, which would cut it at the edge.
        first = mark.index == 0 and count > 1
        start = mx if first else mx - width / 2
        if start + width > g.width:
            x, anchor, start = g.width, "end", g.width - width
        elif start < 0:
            x, anchor, start = 0.0, "start", 0.0
        else:
            x, anchor = mx, "start" if first else "middle"
        end = start + width
        row = 0
        while any(other.row == row and start < other.end + MILESTONE_GAP and other.start < end + MILESTONE_GAP
                  for other in placed):
            row += 1
        placed.append(MilestoneLabel(mark=mark, x=x, anchor=anchor, start=start, end=end, row=row))
    return placed


PATTERNS = (None, "M0,6 L6,0", "M0,3 L6,3", "M0,6 L6,0 M0,0 L6,6", "M3,0 L3,6", "M0,0 L6,6")
"""The stroke of each band's pattern, from the lowest band up (none, diagonal, horizontal, cross, …): bands
stay apart in black and white."""
LABEL_GAP = 4
"""Space between the plot and a band's name."""


def label_chars(g: Geometry) -> int:
    """Characters per line of a band's name that fit the right padding (two such lines at most)."""
    return max(4, int((g.pad_end - LABEL_GAP - 2) / g.label_advance))


def ticks(low: float, high: float, *, most: int = 7) -> list[float]:
    """Round values from `low` to `high` for the y-axis: steps of 1, 2, 5, 10, … with at most `most` ticks."""
    span = high - low
    if span <= 0:
        return [low]
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if span / s <= most - 1 or s == 1000)
    first = -(-low // step) * step
    values = []
    value = first
    while value <= high + 1e-9:
        values.append(value)
        value += step
    return values


def _bands(svg: ET.Element, bands: Sequence[ChartBand], *, low: float, high: float, g: Geometry,
           chart_id: str = "chart") -> None:
    ordered = sorted(bands, key=lambda b: b.low)
    defs = _add(svg, "defs") if ordered else None
    for index, band in enumerate(ordered):
        upper = ordered[index + 1].low if index + 1 < len(ordered) else high
        y_top, y_bottom = g.y(upper, low, high), g.y(band.low, low, high)
        attributes = dict(x=g.pad_start, y=f"{y_top:.1f}", width=f"{g.inner_w:.1f}", height=f"{y_bottom - y_top:.1f}")
        _add(svg, "rect", class_=f"chart-band chart-band-{index % 2}", **attributes,
             fill="#eeeeee" if index % 2 else "#f8f8f8")
        stroke = PATTERNS[index % len(PATTERNS)]
        if stroke is not None and defs is not None:
            pattern_id = f"{chart_id}-band-{index}"
            pattern = _add(defs, "pattern", id=pattern_id, width=6, height=6, patternUnits="userSpaceOnUse")
            _add(pattern, "path", d=stroke, stroke="#b0b0b0", stroke_width="0.8")
            _add(svg, "rect", class_="chart-band-pattern", **attributes, fill=f"url(#{pattern_id})")
        _band_label(svg, band.label, x=g.width - g.pad_end + LABEL_GAP, y_top=y_top, y_bottom=y_bottom, g=g)


def _band_label(svg: ET.Element, label: str, *, x: float, y_top: float, y_bottom: float, g: Geometry) -> None:
    """The band's name beside it, on at most two lines, kept inside the chart (never cut at an edge)."""
    lines = _wrap(label, label_chars(g))
    middle = (y_top + y_bottom) / 2 - (len(lines) - 1) * 5 + 4
    first = min(max(middle, g.pad_top + 4), g.pad_top + g.inner_h - (len(lines) - 1) * 10)
    text = _add(svg, "text", None, class_="chart-band-label", x=x, y=f"{first:.1f}", aria_hidden="true")
    for index, line in enumerate(lines):
        _add(text, "tspan", line, x=x, dy="0" if index == 0 else "10")


def _wrap(label: str, width: int) -> list[str]:
    """Two lines at most, broken at spaces; a word longer than a line is cut with an ellipsis."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [line if len(line) <= width else line[:width - 1] + "…" for line in lines] or [""]


def _reliable_band(svg: ET.Element, baseline: float, threshold: float, *, label: str, low: float, high: float,
                   g: Geometry) -> None:
    """Scores within ± the reliable-change threshold of the baseline: no reliable change."""
    y_top, y_bottom = g.y(baseline + threshold, low, high), g.y(baseline - threshold, low, high)
    _add(svg, "rect", class_="chart-reliable", x=g.pad_start, y=f"{y_top:.1f}", width=f"{g.inner_w:.1f}",
         height=f"{y_bottom - y_top:.1f}", fill="#000", fill_opacity="0.10", stroke="#000", stroke_width="0.5",
         stroke_dasharray="3 2")
    if label:
        # At the band's top right, inside it: the cut-off's name sits at the left, so the two never overlap
        # (in a letter the band's lower edge was often the cut-off line itself).
        _add(svg, "text", label, class_="chart-reliable-label", x=g.width - g.pad_end - 4,
             y=f"{min(y_top + 10, y_bottom - 2):.1f}", text_anchor="end", aria_hidden="true")


def _segments(points: Sequence[ChartPoint]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive present scores: the line never bridges a missing one."""
    segments: list[list[tuple[int, float]]] = [[]]
    for index, point in enumerate(points):
        if point.value is None:
            segments.append([])
        else:
            segments[-1].append((index, point.value))
    return [s for s in segments if s]


def _point(svg: ET.Element, point: ChartPoint, index: int, count: int, *, low: float, high: float, g: Geometry,
           missing_label: str) -> None:
    px = g.x(index, count)
    bottom = g.pad_top + g.inner_h
    _add(svg, "text", point.label, class_="chart-tick", x=f"{px:.1f}", y=g.height - 8, text_anchor="middle",
         aria_hidden="true")
    if point.value is None:
        _add(svg, "line", class_="chart-missing", x1=f"{px:.1f}", y1=g.pad_top, x2=f"{px:.1f}", y2=bottom,
             stroke="#000", stroke_dasharray="1 4")
        _add(svg, "text", missing_label, class_="chart-missing-label", x=f"{px:.1f}", y=bottom - 6,
             text_anchor="middle", aria_hidden="true")
        return
    py = g.y(point.value, low, high)
    parent = svg
    if point.href:
        parent = _add(svg, "a", class_="chart-link", href=point.href,
                      aria_label=point.link_text or f"{point.label}: {_number(point.value)}")
    _add(parent, "circle", class_="chart-mark", cx=f"{px:.1f}", cy=f"{py:.1f}", r=5)
    _add(parent, "text", _number(point.value), class_="chart-value", x=f"{px:.1f}", y=f"{py - 9:.1f}",
         text_anchor="middle", aria_hidden="true")
