"""Dot plots with error bars, as deterministic SVG.

One chart per metric and factor (or intersection): a row per group with the estimate as a dot and
its interval as a bar, a dashed reference line at the overall value, and suppressed groups written
out as "suppressed (n = …)" instead of a dot.  Every number is printed with fixed precision, ids
are derived from the chart's position in the document, and nothing depends on the clock or the
platform, so the same results give the same bytes.  Colour is never the only carrier: the row
labels, the legend and a ``<desc>`` say everything the marks show, and the table sits beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

_WIDTH = 640
_LABEL_W = 210
_RIGHT_PAD = 24
_ROW_H = 26
_TOP = 34
_BOTTOM = 40
_PLOT_W = _WIDTH - _LABEL_W - _RIGHT_PAD


@dataclass(frozen=True)
class Point:
    """One group's row in a chart."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    n: int | None = None
    suppressed: bool = False


def _f(x: float) -> str:
    """Coordinates with one decimal, no negative zero: stable text for stable bytes."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _axis(points: Sequence[Point], overall: float | None) -> tuple[float, float, float]:
    """The plotted range: every estimate, interval end and the overall value with a margin,
    rounded out to a multiple of a round step, and kept within [0, 1] for rates."""
    vals = [v for p in points if not p.suppressed for v in (p.value, p.low, p.high) if v is not None]
    if overall is not None:
        vals.append(overall)
    if not vals:
        return 0.0, 1.0, 0.25
    lo, hi = min(vals), max(vals)
    rate = lo >= 0 and hi <= 1
    span = max(hi - lo, 0.02 if rate else abs(hi) * 0.1 or 1.0)
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 1e9) if span / s <= 8)
    lo, hi = math.floor((lo - span * 0.05) / step) * step, math.ceil((hi + span * 0.05) / step) * step
    if rate:
        lo, hi = max(lo, 0.0), min(hi, 1.0)
    return round(lo, 10), round(hi, 10), step


def dot_plot(
    points: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    metric: str,
    overall: float | None = None,
) -> str:
    """An accessible SVG dot plot; ``chart_id`` must be unique within the document."""
    lo, hi, step = _axis(points, overall)
    span = hi - lo

    def x(v: float) -> float:
        return _LABEL_W + (min(max(v, lo), hi) - lo) / span * _PLOT_W

    height = _TOP + _ROW_H * max(len(points), 1) + _BOTTOM
    desc_parts = []
    if overall is not None:
        desc_parts.append(f"Overall {metric}: {_num(overall)}.")
    for p in points:
        if p.suppressed or p.value is None:
            desc_parts.append(f"{p.label}: suppressed (n = {p.n if p.n is not None else 'n/a'}).")
        else:
            ci = f", interval {_num(p.low)} to {_num(p.high)}" if p.low is not None and p.high is not None else ""
            desc_parts.append(f"{p.label}: {_num(p.value)}{ci}, n = {p.n if p.n is not None else 'n/a'}.")
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{_WIDTH}" height="{height}" viewBox="0 0 {_WIDTH} {height}" aria-labelledby="{tid} {did}">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(" ".join(desc_parts))}</desc>',
    ]
    bottom = _TOP + _ROW_H * max(len(points), 1)
    # axis: a tick at every step (every other one when there are many)
    out.append('<g class="axis" font-size="11" fill="#333">')
    ticks = round((hi - lo) / step)
    every = 1 if ticks <= 8 else 2
    digits = 2 if step >= 0.01 else 3
    for k in range(0, ticks + 1, every):
        v = lo + k * step
        xv = _f(x(v))
        out.append(f'<line x1="{xv}" y1="{_TOP - 6}" x2="{xv}" y2="{bottom}" stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text x="{xv}" y="{bottom + 16}" text-anchor="middle">{v:.{digits}f}</text>')
    out.append(f'<text x="{_f(_LABEL_W + _PLOT_W / 2)}" y="{bottom + 32}" text-anchor="middle">{escape(metric)}</text>')
    out.append("</g>")
    if overall is not None:
        xo = _f(x(overall))
        out.append(
            f'<line class="overall" x1="{xo}" y1="{_TOP - 10}" x2="{xo}" y2="{bottom}" stroke="#444" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{xo}" y="{_TOP - 14}" font-size="11" text-anchor="middle" fill="#222">'
            f"overall {_num(overall)}</text>"
        )
    for i, p in enumerate(points):
        cy = _TOP + _ROW_H * i + _ROW_H / 2
        out.append(
            f'<text x="{_LABEL_W - 8}" y="{_f(cy + 4)}" font-size="12" text-anchor="end" fill="#111">'
            f"{escape(p.label)}</text>"
        )
        if p.suppressed or p.value is None:
            out.append(
                f'<text class="suppressed" x="{_LABEL_W + 4}" y="{_f(cy + 4)}" font-size="11" '
                f'font-style="italic" fill="#555">suppressed (n = {p.n if p.n is not None else "n/a"})</text>'
            )
            continue
        if p.low is not None and p.high is not None:
            x1, x2 = _f(x(p.low)), _f(x(p.high))
            out.append(f'<line x1="{x1}" y1="{_f(cy)}" x2="{x2}" y2="{_f(cy)}" stroke="#1f4e79" stroke-width="2"/>')
            for xe in (x1, x2):
                out.append(
                    f'<line x1="{xe}" y1="{_f(cy - 5)}" x2="{xe}" y2="{_f(cy + 5)}" stroke="#1f4e79" stroke-width="2"/>'
                )
        out.append(f'<circle cx="{_f(x(p.value))}" cy="{_f(cy)}" r="4.5" fill="#1f4e79"/>')
    out.append("</svg>")
    return "\n".join(out)
