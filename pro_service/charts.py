"""Small server-side SVG charts: no JavaScript, no inline style, shared by respondent pages, clinic and letters.

Pure: takes plain numbers and already-translated words, returns SVG text.
The chart is decoration for sighted readers; every page that shows one also
states the same values in words.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 320, 160
PAD_START, PAD_END, PAD_TOP, PAD_BOTTOM = 36, 12, 12, 28


def score_chart(points: Sequence[tuple[str, float]], *, low: float, high: float, title: str, summary: str,
                chart_id: str) -> str:
    """A line of scores over time on a fixed scale from `low` to `high`.

    :param points: (label under the mark, e.g. a formatted date; score), oldest first.
    :param summary: the text alternative, read instead of the picture.
    """
    span = (high - low) or 1
    inner_w, inner_h = WIDTH - PAD_START - PAD_END, HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return PAD_START + (index * step if len(points) > 1 else inner_w / 2)

    def y(value: float) -> float:
        return PAD_TOP + inner_h - (min(max(value, low), high) - low) / span * inner_h

    marks = [(x(i), y(value), label, value) for i, (label, value) in enumerate(points)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
        f'<line class="chart-axis" x1="{PAD_START}" y1="{PAD_TOP}" x2="{PAD_START}" y2="{PAD_TOP + inner_h}"/>',
        f'<line class="chart-axis" x1="{PAD_START}" y1="{PAD_TOP + inner_h}" x2="{WIDTH - PAD_END}" '
        f'y2="{PAD_TOP + inner_h}"/>',
        f'<text class="chart-tick" x="{PAD_START - 6}" y="{PAD_TOP + 4}" text-anchor="end">{_number(high)}</text>',
        f'<text class="chart-tick" x="{PAD_START - 6}" y="{PAD_TOP + inner_h}" text-anchor="end">{_number(low)}</text>',
    ]
    if len(marks) > 1:
        line = " ".join(f"{mx:.1f},{my:.1f}" for mx, my, _label, _value in marks)
        parts.append(f'<polyline class="chart-line" points="{line}"/>')
    for mx, my, label, value in marks:
        parts.append(f'<circle class="chart-mark" cx="{mx:.1f}" cy="{my:.1f}" r="4"/>')
        parts.append(f'<text class="chart-value" x="{mx:.1f}" y="{my - 8:.1f}" text-anchor="middle">'
                     f'{_number(value)}</text>')
        parts.append(f'<text class="chart-tick" x="{mx:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


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
                     geometry: Geometry = Geometry()) -> str:
    """Score over time with band shading, the caseness line, milestone marks and gaps where a score is missing.

    Points are evenly spaced, oldest first. The line breaks at a missing point,
    which gets a dashed marker and `missing_label` instead of a dot, so a gap
    never reads as a score. Band names are written beside the shading, so the
    bands never rely on colour alone. With links on points the picture is a
    group (an `img` may not hold links); without, it is one image as `score_chart`.
    """
    g = geometry
    count = len(points)
    linked = any(p.href for p in points)
    top, bottom = g.pad_top, g.pad_top + g.inner_h
    right = g.width - g.pad_end
    role = "group" if linked else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--trajectory" viewBox="0 0 {g.width} {g.height}" '
        f'role="{role}" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    parts += _bands(bands, low=low, high=high, g=g)
    parts += [
        f'<line class="chart-axis" x1="{g.pad_start}" y1="{top}" x2="{g.pad_start}" y2="{bottom}"/>',
        f'<line class="chart-axis" x1="{g.pad_start}" y1="{bottom}" x2="{right}" y2="{bottom}"/>',
        f'<text class="chart-tick" x="{g.pad_start - 6}" y="{top + 4}" text-anchor="end" aria-hidden="true">'
        f'{_number(high)}</text>',
        f'<text class="chart-tick" x="{g.pad_start - 6}" y="{bottom}" text-anchor="end" aria-hidden="true">'
        f'{_number(low)}</text>',
    ]
    if cut_off is not None:
        cy = g.y(cut_off, low, high)
        parts.append(f'<line class="chart-cutoff" x1="{g.pad_start}" y1="{cy:.1f}" x2="{right}" y2="{cy:.1f}" '
                     f'stroke="#000" stroke-dasharray="6 4"/>')
        parts.append(f'<text class="chart-cutoff-label" x="{g.pad_start + 4}" y="{cy - 4:.1f}" aria-hidden="true">'
                     f'{escape(cut_off_label)} {_number(cut_off)}</text>')
    for mark in marks:
        if 0 <= mark.index < count:
            mx = g.x(mark.index, count)
            parts.append(f'<line class="chart-milestone" x1="{mx:.1f}" y1="{top}" x2="{mx:.1f}" y2="{bottom}" '
                         f'stroke="#666" stroke-dasharray="2 3"/>')
            # The first name starts at its mark rather than centring on it, which would cut it at the edge.
            anchor = "start" if mark.index == 0 and count > 1 else "middle"
            parts.append(f'<text class="chart-milestone-label" x="{mx:.1f}" y="{top - 8}" text-anchor="{anchor}" '
                         f'aria-hidden="true">{escape(mark.label)}</text>')
    for segment in _segments(points):
        if len(segment) > 1:
            line = " ".join(f"{g.x(i, count):.1f},{g.y(v, low, high):.1f}" for i, v in segment)
            parts.append(f'<polyline class="chart-line" points="{line}"/>')
    for index, point in enumerate(points):
        parts += _point(point, index, count, low=low, high=high, g=g, missing_label=missing_label)
    parts.append("</svg>")
    return "".join(parts)


def _bands(bands: Sequence[ChartBand], *, low: float, high: float, g: Geometry) -> list[str]:
    ordered = sorted(bands, key=lambda b: b.low)
    parts = []
    for index, band in enumerate(ordered):
        upper = ordered[index + 1].low if index + 1 < len(ordered) else high
        y_top, y_bottom = g.y(upper, low, high), g.y(band.low, low, high)
        parts.append(f'<rect class="chart-band chart-band-{index % 2}" x="{g.pad_start}" y="{y_top:.1f}" '
                     f'width="{g.inner_w:.1f}" height="{y_bottom - y_top:.1f}" '
                     f'fill="{"#eeeeee" if index % 2 else "#f8f8f8"}"/>')
        parts.append(f'<text class="chart-band-label" x="{g.width - g.pad_end + 4}" '
                     f'y="{(y_top + y_bottom) / 2 + 4:.1f}" aria-hidden="true">{escape(band.label)}</text>')
    return parts


def _segments(points: Sequence[ChartPoint]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive present scores: the line never bridges a missing one."""
    segments: list[list[tuple[int, float]]] = [[]]
    for index, point in enumerate(points):
        if point.value is None:
            segments.append([])
        else:
            segments[-1].append((index, point.value))
    return [s for s in segments if s]


def _point(point: ChartPoint, index: int, count: int, *, low: float, high: float, g: Geometry,
           missing_label: str) -> list[str]:
    px = g.x(index, count)
    bottom = g.pad_top + g.inner_h
    parts = [f'<text class="chart-tick" x="{px:.1f}" y="{g.height - 8}" text-anchor="middle" aria-hidden="true">'
             f'{escape(point.label)}</text>']
    if point.value is None:
        parts.append(f'<line class="chart-missing" x1="{px:.1f}" y1="{g.pad_top}" x2="{px:.1f}" y2="{bottom}" '
                     f'stroke="#000" stroke-dasharray="1 4"/>')
        parts.append(f'<text class="chart-missing-label" x="{px:.1f}" y="{bottom - 6}" text-anchor="middle" '
                     f'aria-hidden="true">{escape(missing_label)}</text>')
        return parts
    py = g.y(point.value, low, high)
    mark = (f'<circle class="chart-mark" cx="{px:.1f}" cy="{py:.1f}" r="5"/>'
            f'<text class="chart-value" x="{px:.1f}" y="{py - 9:.1f}" text-anchor="middle" aria-hidden="true">'
            f'{_number(point.value)}</text>')
    if point.href:
        name = escape(point.link_text or f"{point.label}: {_number(point.value)}")
        mark = f'<a class="chart-link" href="{escape(point.href)}" aria-label="{name}">{mark}</a>'
    parts.append(mark)
    return parts
