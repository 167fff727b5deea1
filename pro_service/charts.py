"""Small server-side SVG charts: no JavaScript, no inline style, shared by respondent pages, clinic and letters.

Pure: takes plain numbers and already-translated words, returns SVG text.
The chart is decoration for sighted readers; every page that shows one also
states the same values in words.
"""
from __future__ import annotations

from collections.abc import Sequence
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
