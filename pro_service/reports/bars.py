"""Geometry of the quality page's bar charts, as plain numbers: the template draws them (Jinja escapes the words).

Pure: shares of 0–1 in, rectangles out. A share that is unknown (suppressed
or not computable) gets no bar, and the template writes why instead, so a
missing figure never reads as zero. Every chart has a table beside it.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 400
LABEL_H = 20  # the row's name, written above its bars
BAR_H = 22
COMPLETENESS_H = 10
ROW_GAP = 18
PAD = 8
MIN_LABELLED = 0.09
"""A segment narrower than this share gets no number inside it (the table has it)."""


@dataclass(frozen=True)
class Segment:
    kind: str
    """improved, unchanged or deteriorated: the CSS class and the legend entry."""
    x: float
    width: float
    share: float
    text: str
    show_label: bool


@dataclass(frozen=True)
class StackedRow:
    label: str
    y: float
    segments: tuple[Segment, ...]
    """Empty when the shares are unknown."""
    completeness: float | None
    completeness_width: float
    completeness_text: str
    unknown_text: str


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    left: int
    inner: int
    bar_h: int
    completeness_h: int
    rows: tuple[StackedRow, ...]


def stacked(rows: Sequence[tuple[str, float | None, float | None, float | None, float | None, str, str]], *,
            percent: Callable[[float], str]) -> StackedChart:
    """One row per outcome: (label, improved, unchanged, deteriorated, completeness, completeness text, unknown text).

    The three shares are of paired pathways and stack to 100 %; completeness
    (paired ÷ eligible) is a thin bar of its own under them, on the same 0–100 % scale.
    """
    inner = WIDTH - 2 * PAD
    made, y = [], 0
    for label, improved, unchanged, deteriorated, completeness, completeness_text, unknown_text in rows:
        shares = (("improved", improved), ("unchanged", unchanged), ("deteriorated", deteriorated))
        segments, x = [], float(PAD)
        if all(share is not None for _kind, share in shares):
            for kind, share in shares:
                width = inner * share  # type: ignore[operator]
                segments.append(Segment(kind=kind, x=round(x, 1), width=round(width, 1), share=share,  # type: ignore[arg-type]
                                        text=percent(share), show_label=share >= MIN_LABELLED))  # type: ignore[operator]
                x += width
        made.append(StackedRow(label=label, y=y, segments=tuple(segments), completeness=completeness,
                               completeness_width=round(inner * (completeness or 0), 1),
                               completeness_text=completeness_text, unknown_text=unknown_text))
    # Each row is drawn as an image of its own under its name in HTML (a long name wraps there, not off the edge).
    return StackedChart(width=WIDTH, height=BAR_H + 4 + COMPLETENESS_H + LABEL_H + 2, left=PAD, inner=inner, bar_h=BAR_H,
                        completeness_h=COMPLETENESS_H, rows=tuple(made))


@dataclass(frozen=True)
class TrendBar:
    x: float
    y: float
    height: float
    share: float


@dataclass(frozen=True)
class TrendColumn:
    label: str
    centre: float
    improved: TrendBar | None
    completeness: TrendBar | None
    show_label: bool
    """Only every so many quarters is named under the axis when they are many (the table names them all)."""


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    top: int
    bottom: float
    left: int
    right: int
    bar_w: float
    columns: tuple[TrendColumn, ...]
    ticks: tuple[tuple[float, str], ...]
    """(y, label) of the 0, 50 and 100 % lines."""


TREND_H = 180
TREND_LEFT, TREND_TOP, TREND_BOTTOM = 52, 14, 30


def trend(points: Sequence[tuple[str, float | None, float | None]], *, percent: Callable[[float], str]
          ) -> TrendChart:
    """Per quarter (label, % reliably improved, paired completeness), as two bars side by side on 0–100 %."""
    count = max(len(points), 1)
    width = WIDTH
    inner_w = width - TREND_LEFT - PAD
    inner_h = TREND_H - TREND_TOP - TREND_BOTTOM
    bottom = TREND_TOP + inner_h
    step = inner_w / count
    bar_w = max(2.0, min(28.0, step / 2 - 6))
    every = max(1, math.ceil(64 / step))

    def bar(x: float, share: float | None) -> TrendBar | None:
        if share is None:
            return None
        height = inner_h * share
        return TrendBar(x=round(x, 1), y=round(bottom - height, 1), height=round(height, 1), share=share)

    columns = []
    for index, (label, improved, completeness) in enumerate(points):
        centre = TREND_LEFT + step * index + step / 2
        columns.append(TrendColumn(label=label, centre=round(centre, 1), improved=bar(centre - bar_w - 1, improved),
                                   completeness=bar(centre + 1, completeness), show_label=index % every == 0))
    return TrendChart(width=width, height=TREND_H, top=TREND_TOP, bottom=bottom, left=TREND_LEFT,
                      right=width - PAD, bar_w=round(bar_w, 1), columns=tuple(columns),
                      ticks=tuple((round(bottom - inner_h * t, 1), percent(t)) for t in (0, 0.5, 1)))
