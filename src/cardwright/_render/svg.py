"""What every chart shares: fixed-precision coordinates, an axis fitted to the data, a text width
estimate, and the accessible SVG frame (``role="img"``, ``<title>``, ``<desc>``).

Every number is printed with fixed precision and ids come from the chart's place in the document,
so the same results give the same bytes on every platform.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape

from .text import decimal

INK = "#1a1a1a"
MUTED = "#555"
GRID = "#e2e2e2"
ACCENT = "#1f4e79"
FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'


def f1(x: float) -> str:
    """A coordinate with one decimal and no negative zero."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def num(x: float | None, digits: int = 3) -> str:
    """A number as charts state it (a true minus sign, see :func:`.text.decimal`)."""
    return "n/a" if x is None else decimal(x, digits)


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` at font ``size`` (DejaVu Sans is wide)."""
    return len(text) * size * 0.62


@dataclass(frozen=True)
class Axis:
    """A linear scale from ``lo`` to ``hi`` drawn over ``[x0, x0 + width]``, ticks every ``step``."""

    lo: float
    hi: float
    step: float
    x0: float = 0.0
    width: float = 1.0

    def x(self, v: float) -> float:
        # halves, exactly as the whole differences would read, but never past the largest float
        span = self.hi / 2 - self.lo / 2 or 0.5
        return self.x0 + (min(max(v, self.lo), self.hi) / 2 - self.lo / 2) / span * self.width

    def ticks(self, most: int = 8) -> list[float]:
        count = round((self.hi / 2 - self.lo / 2) / (self.step / 2))
        every = max(1, math.ceil((count + 1) / most))
        return [min((self.lo / 2 + k * (self.step / 2)) * 2, self.hi) for k in range(0, count + 1, every)]

    def label(self, v: float) -> str:
        digits = 0 if self.step >= 1 else 1 if self.step >= 0.1 else 2 if self.step >= 0.01 else 3
        text = f"{v:.{digits}f}"
        if self.step >= 1e9:  # 1e+12, not a row of thirteen digits
            text = f"{v:.4g}".replace("e+0", "e").replace("e+", "e")
        return "0" if float(text) == 0 and digits == 0 else text.replace("-", "\u2212")

    def placed(self, x0: float, width: float) -> Axis:
        return Axis(self.lo, self.hi, self.step, x0, width)


def fit_axis(values: Iterable[float | None], *, share: bool | None = None, most_ticks: int = 8) -> Axis:
    """An axis holding every value with a margin, its ends on a round step; shares (every value in
    ``[0, 1]``, or ``share=True``) stay inside ``[0, 1]``.  Any finite values fit, up to the
    largest float."""
    vals = [v for v in values if v is not None and math.isfinite(v)]
    if not vals:
        return Axis(0.0, 1.0, 0.25)
    lo, hi = min(vals), max(vals)
    rate = share if share is not None else (lo >= 0 and hi <= 1)
    span = max(min(hi / 2 - lo / 2, _LARGEST / 2) * 2, 0.02 if rate else abs(hi) * 0.1 or 1.0)
    step = _round_step(span, most_ticks)
    lo, hi = _on_step(lo - span * 0.05, step, math.floor), _on_step(hi + span * 0.05, step, math.ceil)
    if rate:
        lo, hi = max(lo, 0.0), min(hi, 1.0)
    elif min(vals) >= 0:
        lo = max(lo, 0.0)  # a non-negative quantity's axis never starts below zero
    return Axis(round(lo, 10), round(hi, 10), step)


_LARGEST = sys.float_info.max


def _round_step(span: float, most_ticks: int) -> float:
    """The smallest step of 1, 2 or 5 times a power of ten (at least 0.0001) that covers ``span``
    in ``most_ticks`` steps."""
    exponent = max(-4, math.floor(math.log10(span / most_ticks)) - 1)
    while True:
        for m in (1, 2, 5):
            step = m * 10.0**exponent
            if span / step <= most_ticks:
                return step
        exponent += 1


def _on_step(v: float, step: float, rounding: Callable[[float], int]) -> float:
    """``v`` rounded to a multiple of ``step`` (by ``rounding``), kept within the floats."""
    v = min(max(v, -_LARGEST), _LARGEST)
    return min(max(rounding(v / step) * step, -_LARGEST), _LARGEST)


@dataclass
class Svg:
    """An accessible SVG being built: a title, a description stating every number, the marks."""

    chart_id: str
    title: str
    width: float
    height: float
    desc: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    css_class: str = "chart"

    def add(self, element: str) -> None:
        self.body.append(element)

    def text(self, x: float, y: float, content: str, *, size: float = 11, anchor: str = "start",
             fill: str = INK, extra: str = "") -> None:
        attrs = f' text-anchor="{anchor}"' if anchor != "start" else ""
        self.add(f'<text x="{f1(x)}" y="{f1(y)}" font-size="{size:g}"{attrs} fill="{fill}"{extra}>'
                 f"{escape(content)}</text>")

    def line(self, x1: float, y1: float, x2: float, y2: float, *, stroke: str = GRID, width: float = 1,
             extra: str = "") -> None:
        self.add(f'<line x1="{f1(x1)}" y1="{f1(y1)}" x2="{f1(x2)}" y2="{f1(y2)}" stroke="{stroke}" '
                 f'stroke-width="{width:g}"{extra}/>')

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str, extra: str = "") -> None:
        self.add(f'<rect x="{f1(x)}" y="{f1(y)}" width="{f1(w)}" height="{f1(h)}" fill="{fill}"{extra}/>')

    def render(self, defs: str = "") -> str:
        tid, did = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        w, h = f1(self.width).removesuffix(".0"), f1(self.height).removesuffix(".0")
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{self.css_class}" role="img" width="{w}" height="{h}" '
            f'viewBox="0 0 {w} {h}" aria-labelledby="{tid} {did}" {FONT}>'
        )
        parts = [head, f'<title id="{tid}">{escape(self.title)}</title>',
                 f'<desc id="{did}">{escape(" ".join(self.desc))}</desc>']
        if defs:
            parts.append(f"<defs>{defs}</defs>")
        return "\n".join([*parts, *self.body, "</svg>"])
