"""Charts of feature attributions, as deterministic, self-contained SVG.

* :func:`importance_bars`: the top features of one group, a bar per feature for its mean absolute
  attribution with the interval as a whisker;
* :func:`distribution_swarm`: a beeswarm-like plot of the attributions of the top features: one
  row per feature, the attributions binned along the value axis, and a column of dots per bin
  whose height is proportional to the rows in it (suppressed bins are drawn as a hollow marker and
  named in the description), with a line at 0.

Like :mod:`.charts`, every coordinate is printed with fixed precision, ids come from the caller,
and a ``<title>`` and ``<desc>`` say in words what the marks show, so the same results give the
same bytes and colour is never the only carrier.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

_WIDTH = 640
_LABEL_W = 200
_RIGHT = 70
_TOP = 30
_BOTTOM = 40
_PLOT_W = _WIDTH - _LABEL_W - _RIGHT


def _f(x: float) -> str:
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _g(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3g}"


@dataclass(frozen=True)
class Bar:
    """One feature's importance in one group."""

    feature: str
    value: float
    low: float | None = None
    high: float | None = None


def _nice(hi: float) -> float:
    if hi <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(hi))
    return next(m * step for m in (1, 2, 2.5, 5, 10) if m * step >= hi)


def _open(chart_id: str, title: str, desc: str, height: float) -> list[str]:
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{_WIDTH}" height="{_f(height)}" '
        f'viewBox="0 0 {_WIDTH} {_f(height)}" aria-labelledby="{tid} {did}">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
    ]


def importance_bars(bars: Sequence[Bar], *, chart_id: str, title: str, unit: str = "mean |attribution|") -> str:
    """Horizontal bars with interval whiskers, most important feature first."""
    row_h = 22
    top = max((b.high if b.high is not None else b.value) for b in bars) if bars else 1.0
    scale_max = _nice(max(top, 1e-12))
    height = _TOP + row_h * max(len(bars), 1) + _BOTTOM
    desc = " ".join(f"{b.feature}: {_g(b.value)}" + (f" (interval {_g(b.low)} to {_g(b.high)})."
                                                     if b.low is not None and b.high is not None else ".")
                    for b in bars)
    out = _open(chart_id, title, desc, height)

    def x(v: float) -> float:
        return _LABEL_W + max(0.0, min(v, scale_max)) / scale_max * _PLOT_W

    bottom = _TOP + row_h * max(len(bars), 1)
    out.append('<g class="axis" font-size="11" fill="#333">')
    for k in range(5):
        v = scale_max * k / 4
        out.append(f'<line x1="{_f(x(v))}" y1="{_TOP - 4}" x2="{_f(x(v))}" y2="{bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{_f(x(v))}" y="{bottom + 15}" text-anchor="middle">{_g(v)}</text>')
    out.append(f'<text x="{_f(_LABEL_W + _PLOT_W / 2)}" y="{bottom + 32}" text-anchor="middle">{escape(unit)}</text>')
    out.append("</g>")
    for i, b in enumerate(bars):
        y = _TOP + row_h * i
        cy = y + row_h / 2
        out.append(f'<text x="{_LABEL_W - 8}" y="{_f(cy + 4)}" font-size="12" text-anchor="end" fill="#111">'
                   f"{escape(b.feature)}</text>")
        out.append(f'<rect x="{_LABEL_W}" y="{_f(y + 4)}" width="{_f(x(b.value) - _LABEL_W)}" height="{row_h - 8}" '
                   'fill="#9dc3e6"/>')
        if b.low is not None and b.high is not None:
            x1, x2 = _f(x(b.low)), _f(x(b.high))
            out.append(f'<line x1="{x1}" y1="{_f(cy)}" x2="{x2}" y2="{_f(cy)}" stroke="#1f4e79" stroke-width="2"/>')
            for xe in (x1, x2):
                out.append(f'<line x1="{xe}" y1="{_f(cy - 5)}" x2="{xe}" y2="{_f(cy + 5)}" stroke="#1f4e79" '
                           'stroke-width="2"/>')
        out.append(f'<text x="{_f(x(max(b.value, b.high or b.value)) + 6)}" y="{_f(cy + 4)}" font-size="11" '
                   f'fill="#222">{_g(b.value)}</text>')
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Distribution:
    """One feature's attributions as a histogram (``None``: a suppressed bin)."""

    feature: str
    edges: Sequence[float]
    counts: Sequence[int | None]


def distribution_swarm(rows: Sequence[Distribution], *, chart_id: str, title: str, max_dots: int = 8) -> str:
    """A binned beeswarm: a row per feature, a column of dots per bin (one dot per ``unit`` rows)."""
    row_h = 46
    lo = min((r.edges[0] for r in rows), default=-1.0)
    hi = max((r.edges[-1] for r in rows), default=1.0)
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = hi - lo or 1.0
    biggest = max((c for r in rows for c in r.counts if c is not None), default=1)
    unit = max(1, math.ceil(biggest / max_dots))
    height = _TOP + row_h * max(len(rows), 1) + _BOTTOM
    parts = []
    for r in rows:
        hidden = sum(1 for c in r.counts if c is None)
        parts.append(f"{r.feature}: {sum(c for c in r.counts if c):,} rows from {_g(r.edges[0])} to {_g(r.edges[-1])}"
                     + (f", {hidden} {'bin' if hidden == 1 else 'bins'} suppressed." if hidden else "."))
    desc = f"One dot is up to {unit:,} rows. " + " ".join(parts)
    out = _open(chart_id, title, desc, height)

    def x(v: float) -> float:
        return _LABEL_W + (v - lo) / span * _PLOT_W

    bottom = _TOP + row_h * max(len(rows), 1)
    out.append('<g class="axis" font-size="11" fill="#333">')
    for k in range(5):
        v = lo + span * k / 4
        out.append(f'<line x1="{_f(x(v))}" y1="{_TOP - 4}" x2="{_f(x(v))}" y2="{bottom}" stroke="#eee"/>')
        out.append(f'<text x="{_f(x(v))}" y="{bottom + 15}" text-anchor="middle">{_g(v)}</text>')
    out.append(f'<line class="zero" x1="{_f(x(0.0))}" y1="{_TOP - 4}" x2="{_f(x(0.0))}" y2="{bottom}" '
               'stroke="#444" stroke-dasharray="3 3"/>')
    out.append(f'<text x="{_f(_LABEL_W + _PLOT_W / 2)}" y="{bottom + 32}" text-anchor="middle">attribution '
               f"(one dot: up to {unit:,} rows)</text>")
    out.append("</g>")
    for i, r in enumerate(rows):
        cy = _TOP + row_h * i + row_h / 2
        out.append(f'<text x="{_LABEL_W - 8}" y="{_f(cy + 4)}" font-size="12" text-anchor="end" fill="#111">'
                   f"{escape(r.feature)}</text>")
        for j, c in enumerate(r.counts):
            cx = x((r.edges[j] + r.edges[j + 1]) / 2)
            if c is None:
                out.append(f'<circle class="suppressed" cx="{_f(cx)}" cy="{_f(cy)}" r="2.5" fill="none" '
                           'stroke="#888"/>')
                continue
            dots = math.ceil(c / unit)
            for d in range(dots):
                offset = (d - (dots - 1) / 2) * 4.2
                out.append(f'<circle cx="{_f(cx)}" cy="{_f(cy + offset)}" r="2" fill="#1f4e79"/>')
    out.append("</svg>")
    return "\n".join(out)
