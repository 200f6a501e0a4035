"""Charts and tables for what each task reports beyond one number per group and metric:

* binary classification: a reliability diagram per group from the calibration tables, and the
  metrics at each operating point when the card asks for several thresholds;
* multiclass: per-class bars (precision, recall, F1 with intervals) and their table;
* regression: the errors by group — the signed bias (mean error) around zero, and the size of
  errors (mean absolute error with its interval, the median absolute error marked);
* scored: the score distribution by group — 10th to 90th percentile, the median, the mean with
  its interval.

Every chart is SVG with a ``<desc>`` stating every number; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..schema.metric_names import MULTICLASS, PER_CLASS_METRICS, REGRESSION, SCORED
from ..schema.results import AnalysisResults, CalibrationBin, CalibrationTable, ResultRow
from .charts import Chart, thin_ticks
from .focus import Ids, primary_threshold
from .labels import Labels, metric
from .svg import ACCENT, GRID, MUTED, Axis, Svg, f1, fit_axis, num, text_width
from .tables import Cell, Table
from .text import interval, minus

WIDTH = 660.0
ROW = 16.0
Draw = Callable[[Svg, Axis, float, "Line"], None]


@dataclass(frozen=True)
class Line:
    """One row of a chart: a label and the result rows drawn on it, by metric."""

    label: str
    rows: dict[str, ResultRow]
    heading: bool = False

    def get(self, m: str) -> ResultRow | None:
        r = self.rows.get(m)
        return None if r is None or r.value is None or r.suppressed else r


@dataclass(frozen=True)
class Panel:
    title: str
    axis: Axis
    draw: Draw
    zero: bool = False


def _interval(row: ResultRow) -> str:
    return f" ({num(row.ci_low)} to {num(row.ci_high)})" if row.ci_low is not None and row.ci_high is not None else ""


def _row_chart(lines: Sequence[Line], panels: Sequence[Panel], *, chart_id: str, title: str, desc: list[str]) -> str:
    """Rows of groups down the side, one panel per quantity across: the frame every chart here shares."""
    label_w = min(200.0, max(80.0, *(text_width(line.label, 10) + 14 for line in lines)))
    gap = 28.0
    panel_w = (WIDTH - 14 - label_w - gap * (len(panels) - 1)) / max(1, len(panels))
    top = 30.0
    bottom = top + ROW * len(lines)
    svg = Svg(chart_id, title, WIDTH, bottom + 30)
    svg.desc = desc
    for i, line in enumerate(lines):
        y = top + ROW * i + ROW / 2 + 3.5
        if line.heading:
            svg.text(4, y, line.label, size=10, extra=' font-weight="bold"')
        else:
            svg.text(label_w - 8, y, line.label, size=10, anchor="end")
    for j, p in enumerate(panels):
        axis = p.axis.placed(label_w + j * (panel_w + gap) + 4, panel_w - 8)
        svg.text(axis.x0 + axis.width / 2, top - 12, p.title, size=9.5, anchor="middle", extra=' font-weight="bold"')
        ticks = thin_ticks(axis, 4)
        svg.add(f'<path d="{"".join(f"M{f1(axis.x(t))} {f1(top)}V{f1(bottom)}" for t in ticks)}" stroke="{GRID}" '
                f'fill="none"/>')
        for t in ticks:
            svg.text(axis.x(t), bottom + 12, axis.label(t), size=8.5, anchor="middle", fill=MUTED)
        if p.zero and axis.lo < 0 < axis.hi:
            svg.line(axis.x(0), top - 2, axis.x(0), bottom, stroke="#444", extra=' stroke-dasharray="3 2"')
        for i, line in enumerate(lines):
            if not line.heading:
                p.draw(svg, axis, top + ROW * i + ROW / 2, line)
    return svg.render()


def _dot(m: str, *, size: float = 3.2) -> Draw:
    def draw(svg: Svg, axis: Axis, cy: float, line: Line) -> None:
        r = line.get(m)
        if r is None:
            return
        if r.ci_low is not None and r.ci_high is not None:
            svg.line(axis.x(r.ci_low), cy, axis.x(r.ci_high), cy, stroke=ACCENT, width=1.6)
        svg.add(f'<circle cx="{f1(axis.x(r.value or 0.0))}" cy="{f1(cy)}" r="{size:g}" fill="{ACCENT}"/>')
    return draw


def _bar(m: str, *, tick: str | None = None) -> Draw:
    """A bar from the axis' start to the value, its interval as a whisker, ``tick`` marked on it."""
    def draw(svg: Svg, axis: Axis, cy: float, line: Line) -> None:
        r = line.get(m)
        if r is None:
            return
        x0, x = axis.x(max(axis.lo, 0.0)), axis.x(r.value or 0.0)
        svg.rect(min(x0, x), cy - 5, abs(x - x0), 10, fill="#9ab7d3")
        if r.ci_low is not None and r.ci_high is not None:
            svg.line(axis.x(r.ci_low), cy, axis.x(r.ci_high), cy, stroke="#1a1a1a", width=1.2)
        t = line.get(tick) if tick else None
        if t is not None:
            svg.line(axis.x(t.value or 0.0), cy - 6, axis.x(t.value or 0.0), cy + 6, stroke="#1a1a1a", width=2)
    return draw


def _spread(low: str, mid: str, high: str, centre: str) -> Draw:
    """``low``–``high`` as a line, ``mid`` as a tick, ``centre`` as a dot with its interval."""
    def draw(svg: Svg, axis: Axis, cy: float, line: Line) -> None:
        lo, md, hi, c = line.get(low), line.get(mid), line.get(high), line.get(centre)
        if lo is not None and hi is not None:
            svg.line(axis.x(lo.value or 0.0), cy, axis.x(hi.value or 0.0), cy, stroke="#9ab7d3", width=5)
        if md is not None:
            svg.line(axis.x(md.value or 0.0), cy - 6, axis.x(md.value or 0.0), cy + 6, stroke="#1a1a1a", width=2)
        if c is not None:
            _dot(centre, size=2.8)(svg, axis, cy, line)
    return draw


def _lines(results: AnalysisResults, labels: Labels, class_: str | None = None) -> list[Line]:
    """Overall, then every factor's groups under its name (the rows of one class, or of none)."""
    at = primary_threshold(results)
    by_slice: dict[tuple[tuple[str, str], ...], dict[str, ResultRow]] = {}
    for r in results.results:
        if len(r.slice) <= 1 and r.class_ == class_ and r.threshold in (None, at):
            by_slice.setdefault(tuple(sorted(r.slice.items())), {})[r.metric] = r
    lines = [Line("Overall", by_slice.get((), {}))]
    for factor in labels.keys({k for s in by_slice for k, _ in s}):
        groups = sorted((dict(s) for s in by_slice if s and s[0][0] == factor), key=labels.rank)
        lines.append(Line(labels.title(factor), {}, heading=True))
        lines += [Line(labels.group(g), by_slice[tuple(sorted(g.items()))]) for g in groups]
    return lines


def _describe(lines: Sequence[Line], metrics: Sequence[str]) -> list[str]:
    out = []
    for line in lines:
        if line.heading:
            out.append(f"{line.label}:")
            continue
        parts = [f"{metric(m).title} {num(r.value)}{_interval(r)}" for m in metrics if (r := line.get(m)) is not None]
        suppressed = any(r.suppressed for r in line.rows.values())
        out.append(f"{line.label}: " + ("suppressed." if suppressed and not parts else "; ".join(parts) + "."))
    return out


def _values(lines: Sequence[Line], metrics: Sequence[str]) -> list[float | None]:
    return [v for line in lines for m in metrics if (r := line.get(m)) is not None
            for v in (r.value, r.ci_low, r.ci_high)]


def regression_chart(results: AnalysisResults, labels: Labels, level: str, ids: Ids) -> Chart | None:
    lines = _lines(results, labels)
    if not any(line.get("mean_error") or line.get("mean_absolute_error") for line in lines):
        return None
    bias = fit_axis(_values(lines, ["mean_error"]) + [0.0], share=False, most_ticks=5)
    size = fit_axis(_values(lines, ["mean_absolute_error", "median_absolute_error"]) + [0.0], share=False,
                    most_ticks=5)
    cid = ids("chart-errors")
    title = "Errors by group: bias and size"
    panels = [Panel("Mean error (prediction − label)", bias, _dot("mean_error"), zero=True),
              Panel("Absolute error: mean (bar), median (tick)", size,
                    _bar("mean_absolute_error", tick="median_absolute_error"))]
    svg = _row_chart(lines, panels, chart_id=cid, title=title,
                     desc=_describe(lines, ["mean_error", "mean_absolute_error", "median_absolute_error"]))
    caption = (f"{title}. Left: the mean error, which is zero for an unbiased model, with its {level} interval. "
               f"Right: the mean absolute error with its {level} interval and the median absolute error.")
    return Chart(cid, title, caption, svg)


def score_chart(results: AnalysisResults, labels: Labels, level: str, ids: Ids) -> Chart | None:
    lines = _lines(results, labels)
    if not any(line.get("p50") or line.get("mean") for line in lines):
        return None
    axis = fit_axis(_values(lines, ["p10", "p90", "mean", "p50"]), most_ticks=6)
    cid = ids("chart-scores")
    title = "Score distribution by group"
    panels = [Panel("Scores: 10th–90th percentile, median, mean", axis, _spread("p10", "p50", "p90", "mean"))]
    if any(line.get("pass_rate") for line in lines):
        panels.append(Panel("Pass rate", fit_axis(_values(lines, ["pass_rate"]), share=True), _dot("pass_rate")))
    svg = _row_chart(lines, panels, chart_id=cid, title=title,
                     desc=_describe(lines, ["p10", "p50", "p90", "mean", "pass_rate"]))
    caption = (f"{title}. Band: the 10th to 90th percentile of the scores; tick: the median; dot: the mean with "
               f"its {level} interval.")
    return Chart(cid, title, caption, svg)


def class_views(results: AnalysisResults, level: str, ids: Ids) -> tuple[Chart | None, Table | None]:
    """Per-class precision, recall and F1: a table and bars, over the whole evaluation set."""
    rows = [r for r in results.results if r.class_ is not None and not r.slice and r.metric in PER_CLASS_METRICS]
    if not rows:
        return None, None
    classes = list(dict.fromkeys(r.class_ for r in rows if r.class_ is not None))
    metrics = [m for m in PER_CLASS_METRICS if any(r.metric == m for r in rows)]
    lines = [Line(c, {r.metric: r for r in rows if r.class_ == c}) for c in classes]
    body = [[Cell(line.label), *(_value(line.rows.get(m)) for m in metrics)] for line in lines]
    table = Table.plain(ids("per-class"), f"Per class, whole evaluation set ({level} intervals under each value)",
                        ["Class", *(metric(m).title for m in metrics)], body)
    panels = [Panel(metric(m).title, fit_axis([0.0, *_values(lines, [m])], share=True), _bar(m)) for m in metrics]
    cid = ids("chart-per-class")
    title = "Precision, recall and F1 per class"
    svg = _row_chart(lines, panels, chart_id=cid, title=title, desc=_describe(lines, metrics))
    return Chart(cid, title, f"{title}. Bars: estimates; whiskers: {level} intervals.", svg), table


def _value(row: ResultRow | None) -> Cell:
    if row is None:
        return Cell("–", cls="num")
    if row.suppressed:
        return Cell("suppressed", cls="suppressed")
    sub = interval(row.ci_low, row.ci_high, num) if row.ci_low is not None and row.ci_high is not None else ""
    return Cell(minus(num(row.value)), sub, cls="num")


def operating_points(results: AnalysisResults, level: str, ids: Ids) -> Table | None:
    """Every threshold-dependent metric, over the whole set, at each operating point."""
    rows = [r for r in results.results if r.threshold is not None and not r.slice and r.class_ is None]
    thresholds = sorted({r.threshold for r in rows if r.threshold is not None})
    if len(thresholds) < 2:
        return None
    metrics = list(dict.fromkeys(r.metric for r in rows))
    by = {(r.threshold, r.metric): r for r in rows}
    body = [[Cell(f"{t:g}", cls="num"), *(_value(by.get((t, m))) for m in metrics)] for t in thresholds]
    return Table.plain(ids("operating-points"), f"At each operating point, whole evaluation set ({level} intervals)",
                       ["Threshold", *(metric(m).title for m in metrics)], body)


def reliability_chart(tables: Sequence[CalibrationTable], labels: Labels, ids: Ids,
                      ece: dict[tuple[tuple[str, str], ...], ResultRow]) -> Chart | None:
    """Reliability diagrams: predicted probability against the share of positives per bin, one
    panel per slice (overall first, then every group), the diagonal for perfect calibration."""
    shown = [t for t in tables if len(t.slice) <= 1 and t.bins]
    if not shown:
        return None
    order = list(labels.factors)
    shown.sort(key=lambda t: (len(t.slice), [order.index(k) if k in order else len(order) for k in t.slice],
                              labels.rank(t.slice)))
    shown = shown[:12]
    per_row, gap = 4, 30.0
    size = (WIDTH - 40 - gap * (per_row - 1)) / per_row
    rows = -(-len(shown) // per_row)
    cid = ids("chart-calibration")
    title = "Calibration: predicted probability against the observed share of positives"
    svg = Svg(cid, title, WIDTH, rows * (size + 58) + 6)
    for i, t in enumerate(shown):
        x0 = 34 + (i % per_row) * (size + gap)
        y0 = 30 + (i // per_row) * (size + 58)
        name = labels.group(t.slice) if t.slice else "Overall"
        e = ece.get(tuple(sorted(t.slice.items())))
        svg.text(x0 + size / 2, y0 - 16, name, size=9.5, anchor="middle", extra=' font-weight="bold"')
        if e is not None and e.value is not None:
            svg.text(x0 + size / 2, y0 - 5, f"ECE {num(e.value)}{_interval(e)}", size=8, anchor="middle", fill=MUTED)
        svg.add(f'<rect x="{f1(x0)}" y="{f1(y0)}" width="{f1(size)}" height="{f1(size)}" fill="none" stroke="#bbb"/>')
        svg.line(x0, y0 + size, x0 + size, y0, stroke="#999", extra=' stroke-dasharray="3 2"')
        for v in (0.0, 0.5, 1.0):
            svg.text(x0 + v * size, y0 + size + 11, f"{v:g}", size=8, anchor="middle", fill=MUTED)
            svg.text(x0 - 4, y0 + size - v * size + 3, f"{v:g}", size=8, anchor="end", fill=MUTED)
        points = [(b.mean_score, b.fraction_positive, b.n) for b in t.bins
                  if b.mean_score is not None and b.fraction_positive is not None and b.n is not None]
        if points:
            path = "".join(f"{'M' if k == 0 else 'L'}{f1(x0 + p * size)} {f1(y0 + size - q * size)}"
                           for k, (p, q, _) in enumerate(points))
            svg.add(f'<path d="{path}" stroke="{ACCENT}" stroke-width="1.4" fill="none"/>')
            most = max(n for _, _, n in points) or 1
            for p, q, n in points:
                svg.add(f'<circle cx="{f1(x0 + p * size)}" cy="{f1(y0 + size - q * size)}" '
                        f'r="{1.8 + 2.6 * (n / most) ** 0.5:.1f}" fill="{ACCENT}"/>')
    svg.desc = [f"{labels.group(t.slice) if t.slice else 'Overall'}: " + "; ".join(map(_bin_text, t.bins)) + "."
                for t in shown]
    caption = (f"{title}. Each dot is a bin of predicted probabilities (its size: the rows in it); on the dashed "
               "diagonal the predictions would be perfectly calibrated. ECE: expected calibration error.")
    return Chart(cid, title, caption, svg.render())


def _bin_text(b: CalibrationBin) -> str:
    """A reliability diagram's bin in words: what it draws, or that it is suppressed."""
    where = f"bin {num(b.low, 2)}–{num(b.high, 2)}"
    if b.suppressed or b.n is None:
        return f"{where}: suppressed ({'n suppressed' if b.n is None else f'n = {b.n}'})"
    return f"{where}: predicted {num(b.mean_score)}, observed {num(b.fraction_positive)}, n = {b.n}"


def task_views(task: str, results: AnalysisResults, labels: Labels, level: str, ids: Ids
               ) -> tuple[list[Chart], list[Table], str]:
    """The charts and tables one task adds to the groups table and the heat maps, and their heading."""
    charts: list[Chart | None] = []
    tables: list[Table | None] = []
    heading = ""
    if task == MULTICLASS:
        chart, table = class_views(results, level, ids)
        charts.append(chart)
        tables.append(table)
        heading = "Per class"
    elif task == REGRESSION:
        charts.append(regression_chart(results, labels, level, ids))
        heading = "Errors"
    elif task == SCORED:
        charts.append(score_chart(results, labels, level, ids))
        heading = "Score distribution"
    else:
        points = operating_points(results, level, ids)
        tables.append(points)
        calibration = None
        if results.calibration:
            ece = {tuple(sorted(r.slice.items())): r for r in results.results
                   if r.metric == "expected_calibration_error" and r.class_ is None}
            calibration = reliability_chart(results.calibration, labels, ids, ece)
        charts.append(calibration)
        heading = " and ".join(h for h, x in (("Calibration", calibration), ("operating points", points)) if x)
        heading = heading[:1].upper() + heading[1:]
    shown_charts = [c for c in charts if c is not None]
    shown_tables = [t for t in tables if t is not None]
    return shown_charts, shown_tables, heading if shown_charts or shown_tables else ""
