"""One metric over intersections of factors as a heat map: groups × groups, small multiples for a
third factor and beyond.

The factor with the most groups gives the rows, the next the columns, the rest one panel per
combination of their groups.  A cell prints its estimate; its colour says how far it lies from the
overall value and in which direction (worse in orange, better in blue, by the metric's own
direction), strong when the cell's interval excludes the overall value and pale when it does not.
Suppressed cells are grey (their sizes are in the description); combinations that never occur are
crossed.
The ``<desc>`` lists every cell with its interval, so colour never carries meaning alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..schema.results import ResultRow
from .labels import Labels, MetricInfo
from .svg import MUTED, Svg, f1, num, text_width
from .text import fmt

WIDTH = 660.0
HALF = 340.0
CELL = 31.0
MIN_CELL = 24.0
ROW = 15.0
GAP = 10.0
WORSE = (217, 95, 2)
BETTER = (31, 120, 180)
LABEL = 8.0
SUPPRESSED = "#e9e9e9"


def _mix(rgb: tuple[int, int, int], a: float) -> str:
    r, g, b = (round(255 * (1 - a) + c * a) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Layout:
    """Which factor goes where, and each factor's groups in display order."""

    rows: str
    cols: str
    panels: tuple[str, ...]
    values: Mapping[str, Sequence[str]]
    hidden: Mapping[str, Sequence[str]]
    """Groups left out because every cell they would fill is suppressed or has no rows."""

    def panel_slices(self) -> list[dict[str, str]]:
        combos = itertools.product(*(self.values[p] for p in self.panels))
        return [dict(zip(self.panels, c, strict=True)) for c in combos]


def layout(keys: Sequence[str], rows: Sequence[ResultRow], labels: Labels,
           unobserved: Sequence[Mapping[str, str]] = ()) -> Layout:
    seen = [dict(r.slice) for r in rows] + [dict(u) for u in unobserved if set(u) == set(keys)]
    every = {k: labels.factor(k).sort(s[k] for s in seen) for k in keys}
    measured = {k: {r.slice[k] for r in rows if not r.suppressed} for k in keys}
    values = {k: [v for v in every[k] if v in measured[k]] or every[k] for k in keys}
    hidden = {k: [v for v in every[k] if v not in values[k]] for k in keys}
    by_size = sorted(keys, key=lambda k: (-len(values[k]), list(keys).index(k)))
    return Layout(by_size[0], by_size[1], tuple(k for k in keys if k not in by_size[:2]), values, hidden)


def _colour(row: ResultRow, info: MetricInfo, overall: float | None, scale: float) -> tuple[str, bool]:
    """The cell's fill and whether the text should be light."""
    if overall is None or row.value is None:
        return "#ffffff", False
    diff = row.value - overall
    worse = info.unfavourable(diff) > 0 if info.better is not None else diff < 0
    clear = row.ci_low is not None and row.ci_high is not None and not (row.ci_low <= overall <= row.ci_high)
    step = min(4, int(abs(diff) / scale * 4.999))  # five shades, so cells of a shade share one path
    a = 0.18 + 0.155 * step if clear else 0.06 + 0.04 * step
    return _mix(WORSE if worse else BETTER, a), a > 0.55


def _desc(cells: Sequence[tuple[str, ResultRow | None, bool]], info: MetricInfo, overall: float | None) -> list[str]:
    out = [f"{info.title}" + (f", overall {num(overall)}" if overall is not None else "") + "."]
    for name, row, never in cells:
        if never:
            out.append(f"{name}: no rows.")
        elif row is None:
            continue
        elif row.suppressed:
            out.append(f"{name}: suppressed ({'n suppressed' if row.n is None else f'n = {fmt(row.n)}'}).")
        elif row.value is None:
            out.append(f"{name}: undefined (n = {fmt(row.n)}).")
        else:
            ci = f" ({num(row.ci_low)} to {num(row.ci_high)})" if row.ci_low is not None else ""
            out.append(f"{name}: {num(row.value)}{ci}, n = {fmt(row.n)}.")
    return out


@dataclass
class _Grid:
    label_w: float
    cell_w: float
    row_h: float
    per_row: int
    col_lines: int
    label_lines: dict[str, list[str]]
    col_labels: dict[str, list[str]]


def _grid(lay: Layout, labels: Labels) -> _Grid:
    """Cells of a readable size; half the page wide when that is enough, else up to the full
    width, panels wrapping onto further lines beyond it."""
    names = {v: labels.value(lay.rows, v) for v in lay.values[lay.rows]}
    label_w = min(112.0, max(50.0, *(text_width(t, LABEL) + 10 for t in names.values())))
    wrapped = {v: _wrap(t, label_w - 8, LABEL) for v, t in names.items()}
    two = any(len(w) > 1 for w in wrapped.values())
    ncols = len(lay.values[lay.cols])
    panels = max(1, len(lay.panel_slices()))
    per_row = panels
    while per_row > 1 and label_w + per_row * ncols * MIN_CELL + GAP * (per_row - 1) > WIDTH:
        per_row -= 1
    room = WIDTH if label_w + per_row * ncols * MIN_CELL + GAP * (per_row - 1) > HALF else HALF
    cell_w = max(MIN_CELL, min(CELL if room == HALF else 60.0, (room - label_w - GAP * (per_row - 1)) / (per_row * ncols)))
    cols = {v: _wrap(labels.value(lay.cols, v), cell_w - 3, 7.5) for v in lay.values[lay.cols]}
    return _Grid(label_w, cell_w, 21.0 if two else ROW, per_row, min(3, max(len(c) for c in cols.values())),
                 wrapped, cols)


@dataclass
class _Marks:
    """Cells collected by fill, drawn as one path per fill; texts drawn after them."""

    fills: dict[str, list[str]]
    crosses: list[str]
    texts: list[tuple[float, float, str, bool]]

    def draw(self, svg: Svg) -> None:
        for fill, rects in sorted(self.fills.items()):
            svg.add(f'<path d="{"".join(rects)}" fill="{fill}"/>')
        if self.crosses:
            svg.add(f'<path class="unobserved" d="{"".join(self.crosses)}" stroke="#999" fill="#ffffff"/>')
        for x, y, text, light in self.texts:
            svg.text(x, y, text, size=7.5, anchor="middle", fill="#ffffff" if light else "#1a1a1a")


def _cell(marks: _Marks, x: float, y: float, g: _Grid, row: ResultRow | None, never: bool, info: MetricInfo,
          overall: float | None, scale: float) -> None:
    w, h = g.cell_w - 2, g.row_h - 2
    box = f"M{f1(x)} {f1(y)}h{f1(w)}v{f1(h)}h{f1(-w)}Z"
    if never:
        marks.crosses.append(f"{box}M{f1(x + 3)} {f1(y + 2)}L{f1(x + w - 3)} {f1(y + h - 2)}"
                             f"M{f1(x + 3)} {f1(y + h - 2)}L{f1(x + w - 3)} {f1(y + 2)}")
    elif row is None:
        marks.fills.setdefault("#fafafa", []).append(box)
    elif row.suppressed:
        marks.fills.setdefault(SUPPRESSED, []).append(box)
    else:
        fill, light = _colour(row, info, overall, scale)
        marks.fills.setdefault(fill, []).append(box)
        digits = 3 if g.cell_w >= 36 else 2
        text = "–" if row.value is None else f"{row.value:.{digits}f}"
        marks.texts.append((x + w / 2, y + h / 2 + 2.8, text, light))


def heat_map_legend(min_group_size: int, *, chart_id: str = "heatmap-legend") -> str:
    """The key every heat map shares, drawn once above them."""
    items = [(_mix(WORSE, 0.7), "worse than overall"), (_mix(BETTER, 0.7), "better than overall"),
             (_mix(WORSE, 0.15), "pale: interval includes the overall value"),
             (SUPPRESSED, f"suppressed (n < {min_group_size})"), ("#ffffff", "no rows")]
    widths = [16 + text_width(text, 8.5) * 0.92 + 14 for _, text in items]
    svg = Svg(chart_id, "Key to the heat maps", sum(widths), 16, css_class="chart legend")
    svg.desc = ["Orange: worse than the overall value; blue: better (for metrics without a better direction: "
                "below and above); strong colours when the interval excludes the overall value, pale when it "
                f"includes it; grey: suppressed, fewer than {min_group_size} rows; crossed: no rows."]
    x = 0.0
    for (fill, text), w in zip(items, widths, strict=True):
        svg.rect(x, 3, 12, 10, fill=fill, extra=' stroke="#999"')
        if text == "no rows":
            svg.line(x + 1, 4, x + 11, 12, stroke="#999")
            svg.line(x + 1, 12, x + 11, 4, stroke="#999")
        svg.text(x + 16, 12, text, size=8.5, fill=MUTED)
        x += w
    return svg.render()


def ncols_of(lay: Layout) -> int:
    return len(lay.values[lay.cols])


def _line_height(lay: Layout, g: _Grid) -> float:
    """One line of panels: the panel title, column labels and the rows."""
    return 13 * bool(lay.panels) + 9.5 * g.col_lines + 4 + g.row_h * len(lay.values[lay.rows]) + 6


@dataclass(frozen=True)
class HeatMap:
    svg: str
    wide: bool
    """Needs the full width (else half the page holds it)."""
    hidden: list[str]
    """Groups left out, every cell of theirs suppressed or without rows (display names)."""


def heat_map_chart(sets: Mapping[tuple[str, ...], Sequence[ResultRow]], info: MetricInfo, overall: ResultRow | None,
                   labels: Labels, *, chart_id: str, title: str,
                   unobserved: Sequence[Mapping[str, str]] = ()) -> HeatMap:
    """One SVG with a heat map block per intersection in ``sets`` (its rows for one metric)."""
    ov = overall.value if overall is not None else None
    diffs = [abs(r.value - ov) for rows in sets.values() for r in rows if r.value is not None and ov is not None]
    scale = max(0.02, *diffs) if diffs else 1.0
    blocks = []
    y, width = 0.0, 0.0
    for keys, rows in sets.items():
        lay = layout(keys, rows, labels, unobserved)
        g = _grid(lay, labels)
        npanels = max(1, len(lay.panel_slices()))
        lines = -(-npanels // g.per_row)
        blocks.append((keys, rows, lay, g, y))
        y += lines * _line_height(lay, g) + 4
        width = max(width, g.label_w + g.per_row * ncols_of(lay) * g.cell_w + GAP * (g.per_row - 1))
    svg = Svg(chart_id, title, round(width + 2), y, css_class="chart heatmap")
    cells: list[tuple[str, ResultRow | None, bool]] = []
    marks = _Marks({}, [], [])
    for keys, rows, lay, g, top in blocks:
        _block(svg, marks, keys, rows, lay, g, top, info, ov, scale, labels, unobserved, cells)
    marks.draw(svg)
    hidden = list(dict.fromkeys(labels.value(k, v) for _, _, lay, _, _ in blocks for k, vs in lay.hidden.items()
                                for v in vs))
    svg.desc = _desc(cells, info, ov)
    if hidden:
        svg.desc.append(f"Left out, every intersection of theirs suppressed or without rows: {', '.join(hidden)}.")
    return HeatMap(svg.render(), svg.width > HALF + 8, hidden)


def _block(svg: Svg, marks: _Marks, keys: Sequence[str], rows: Sequence[ResultRow], lay: Layout, g: _Grid, top: float,
           info: MetricInfo, ov: float | None, scale: float, labels: Labels,
           unobserved: Sequence[Mapping[str, str]], cells: list[tuple[str, ResultRow | None, bool]]) -> None:
    by_slice = {tuple(sorted(r.slice.items())): r for r in rows}
    never = {tuple(sorted(u.items())) for u in unobserved if set(u) == set(keys)}
    panels = lay.panel_slices() or [{}]
    ncols = len(lay.values[lay.cols])
    line_h = _line_height(lay, g)
    for p, fixed in enumerate(panels):
        line, slot = divmod(p, g.per_row)
        x0 = g.label_w + slot * (ncols * g.cell_w + GAP)
        y0 = top + line * line_h
        if lay.panels:
            svg.text(x0, y0 + 10, labels.group(fixed, lay.panels), size=8.5, extra=' font-weight="bold"')
            y0 += 14
        for c, col in enumerate(lay.values[lay.cols]):
            for i, text in enumerate(g.col_labels[col][: g.col_lines]):
                svg.text(x0 + c * g.cell_w + (g.cell_w - 2) / 2, y0 + 8 + 9.5 * i, text, size=7.5, anchor="middle")
        y0 += 9.5 * g.col_lines + 4
        for r, value in enumerate(lay.values[lay.rows]):
            y = y0 + r * g.row_h
            if slot == 0:
                for i, text in enumerate(g.label_lines[value]):
                    offset = (g.row_h - 2) / 2 + 3 - 4.5 * (len(g.label_lines[value]) - 1) + 9 * i
                    svg.text(g.label_w - 6, y + offset, text, size=LABEL, anchor="end")
            for c, col in enumerate(lay.values[lay.cols]):
                s = {**fixed, lay.rows: value, lay.cols: col}
                key = tuple(sorted(s.items()))
                row = by_slice.get(key)
                _cell(marks, x0 + c * g.cell_w, y, g, row, key in never, info, ov, scale)
                cells.append((labels.group(s, keys), row, key in never))
