"""Every factor's groups in one chart: small multiples, a panel per metric, a row per group.

Each panel is a dot plot on its own axis: the estimate as a dot, its interval as a bar, the
overall value as a dashed line.  Rows are grouped under their factor's name; suppressed groups are
written out ("suppressed, n = 21") instead of plotted.  Panels wrap onto further rows when there
are more metrics than fit side by side.  The ``<desc>`` states every number, so colour and
position never carry meaning alone.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..schema.results import ResultRow
from .labels import metric
from .svg import ACCENT, GRID, INK, MUTED, Axis, Svg, f1, fit_axis, num, text_width

WIDTH = 660.0
ROW = 15.0
PANEL_GAP = 12.0
MIN_PANEL = 54.0
LABEL_SIZE = 10.0


@dataclass
class Chart:
    """One figure: inline SVG (with its own title and description) and a caption; ``wide``: it
    needs the full width (else two sit side by side)."""

    id: str
    title: str
    caption: str
    svg: str
    wide: bool = True
    narrow_svg: str = ""
    """The same chart drawn for half the page's width, when it reads well there (a group chart
    of one metric); the PDF sets it beside its table."""


@dataclass(frozen=True)
class GroupRow:
    """One group: its display name, its result row per metric and its size as the results
    publish it (``None``: hidden), the same number the group's table shows."""

    label: str
    rows: Mapping[str, ResultRow]
    n: int | None

    @property
    def size_text(self) -> str:
        return "n suppressed" if self.n is None else f"n = {self.n}"

    @property
    def suppressed(self) -> bool:
        return bool(self.rows) and all(r.suppressed for r in self.rows.values())


Sections = Sequence[tuple[str, Sequence[GroupRow]]]


def _wrap(text: str, width: float, size: float, lines: int = 2) -> list[str]:
    """Words of ``text`` on at most ``lines`` lines no wider than ``width`` (the last one may be)."""
    out: list[str] = []
    for word in text.split():
        if out and text_width(out[-1] + " " + word, size) <= width:
            out[-1] += " " + word
        elif len(out) < lines:
            out.append(word)
        else:
            out[-1] += " " + word
    return out


def _desc(sections: Sections, metrics: Sequence[str], overall: Mapping[str, ResultRow]) -> list[str]:
    parts = []
    for m in metrics:
        ov = overall.get(m)
        items = [f"{metric(m).title}" + (f" (overall {num(ov.value)})" if ov is not None and ov.value is not None
                                          else "") + ":"]
        for title, rows in sections:
            for g in rows:
                r = g.rows.get(m)
                if r is None:
                    continue
                if r.suppressed or r.value is None:
                    items.append(f"{title} {g.label}: {'suppressed' if r.suppressed else 'undefined'} ({g.size_text}).")
                else:
                    ci = f", interval {num(r.ci_low)} to {num(r.ci_high)}" if r.ci_low is not None else ""
                    items.append(f"{title} {g.label}: {num(r.value)}{ci}, {g.size_text}.")
        parts.append(" ".join(items))
    return parts


def _panel(svg: Svg, m: str, axis: Axis, top: float, lines: list[tuple[str, GroupRow | None]],
           overall: ResultRow | None, title_lines: int) -> None:
    """One metric's panel: title, grid, overall line, a dot and a bar per shown group, axis labels.
    Marks of a kind share one path, so a chart stays a few dozen elements however many groups."""
    x0, w = axis.x0, axis.width
    lines_of_title = _wrap(metric(m).title, w - 4, 9, title_lines)
    for i, line in enumerate(lines_of_title):
        svg.text(x0 + w / 2, top - 6 - (len(lines_of_title) - 1 - i) * 10.5, line, size=9, anchor="middle",
                 extra=' font-weight="bold"')
    bottom = top + ROW * len(lines)
    ticks = thin_ticks(axis)
    grid = "".join(f"M{f1(axis.x(t))} {f1(top)}V{f1(bottom)}" for t in ticks)
    svg.add(f'<path d="{grid}M{f1(x0)} {f1(bottom)}H{f1(x0 + w)}" stroke="{GRID}" stroke-width="1" fill="none"/>')
    for t in ticks:
        svg.text(axis.x(t), bottom + 11, axis.label(t), size=8.5, anchor="middle", fill=MUTED)
    if overall is not None and overall.value is not None:
        xo = axis.x(overall.value)
        svg.line(xo, top - 2, xo, bottom, stroke="#444", extra=' stroke-dasharray="3 2" class="overall"')
    bars, dots = [], []
    for i, (_, g) in enumerate(lines):
        r = g.rows.get(m) if g is not None else None
        if r is None or r.value is None or r.suppressed:
            continue
        cy = f1(top + ROW * i + ROW / 2)
        if r.ci_low is not None and r.ci_high is not None:
            bars.append(f"M{f1(axis.x(r.ci_low))} {cy}H{f1(axis.x(r.ci_high))}")
        dots.append(f"M{f1(axis.x(r.value))} {cy}h0.01")
    if bars:
        svg.add(f'<path class="intervals" d="{"".join(bars)}" stroke="{ACCENT}" stroke-width="1.6" fill="none"/>')
    if dots:
        svg.add(f'<path class="estimates" d="{"".join(dots)}" stroke="{ACCENT}" stroke-width="6.4" '
                f'stroke-linecap="round" fill="none"/>')


def thin_ticks(axis: Axis, most: int = 3) -> list[float]:
    """At most ``most`` ticks whose labels do not touch (else the two ends only)."""
    ticks = axis.ticks(most)
    while len(ticks) > 2:
        gaps = [axis.x(b) - axis.x(a) for a, b in itertools.pairwise(ticks)]
        widest = max(text_width(axis.label(t), 8.5) for t in ticks)
        if min(gaps) >= widest + 4:
            break
        ticks = [ticks[0], ticks[-1]]
    return ticks


def _lines(sections: Sections) -> list[tuple[str, GroupRow | None]]:
    """The chart's rows: each factor's name (``None``: a heading), then its groups."""
    lines: list[tuple[str, GroupRow | None]] = []
    for factor, rows in sections:
        lines.append((factor, None))
        lines += [(g.label, g) for g in rows]
    return lines


def label_width(sections: Sections) -> float:
    """The width the group labels take (at most 200, wider labels run past the left edge)."""
    return min(200.0, max(90.0, *(text_width(t, LABEL_SIZE) + 14 for t, _ in _lines(sections))))


def group_panels(sections: Sections, metrics: Sequence[str], overall: Mapping[str, ResultRow], *, chart_id: str,
                 title: str, width: float = WIDTH) -> str:
    """Small multiples: a panel per metric (wrapping), a row per group under its factor's name;
    ``width``: the drawing's width (the full page's by default)."""
    lines = _lines(sections)
    label_w = label_width(sections)
    per_row = max(1, min(len(metrics), int((width - label_w + PANEL_GAP) // (MIN_PANEL + PANEL_GAP))))
    panel_rows = math.ceil(len(metrics) / per_row)
    panel_w = (width - 10 - label_w - PANEL_GAP * (per_row - 1)) / per_row
    title_lines = max(len(_wrap(metric(m).title, panel_w - 4, 9, 3)) for m in metrics)
    head = 10 + 10.5 * title_lines
    block = head + ROW * len(lines) + 22
    svg = Svg(chart_id, title, width, block * panel_rows + 4)
    svg.desc = _desc(sections, metrics, overall)
    for pr in range(panel_rows):
        top = pr * block + head
        for i, (text, g) in enumerate(lines):
            y = top + ROW * i + ROW / 2 + 3.5
            if g is None:
                svg.text(4, y, text, size=LABEL_SIZE, extra=' font-weight="bold"')
            else:
                svg.text(label_w - 8, y, text, size=LABEL_SIZE, anchor="end", fill=INK)
                if g.suppressed:
                    svg.text(label_w + 4, y, f"suppressed, {g.size_text}", size=9, fill=MUTED,
                             extra=' font-style="italic" class="suppressed"')
        for j, m in enumerate(metrics[pr * per_row:(pr + 1) * per_row]):
            values = [v for _, g in lines if g is not None and (r := g.rows.get(m)) is not None and not r.suppressed
                      for v in (r.value, r.ci_low, r.ci_high)]
            ov = overall.get(m)
            axis = fit_axis([*values, ov.value if ov is not None else None], share=metric(m).share or None,
                            most_ticks=4).placed(label_w + j * (panel_w + PANEL_GAP) + 6, panel_w - 12)
            _panel(svg, m, axis, top, lines, ov, title_lines)
    return svg.render()
