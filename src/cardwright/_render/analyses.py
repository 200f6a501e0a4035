"""A model card's computed results laid out for reading: a table of every factor's groups with a
small-multiples chart beside it, one heat map per metric for the intersections, the gates, the
notes and the provenance; full intersection and difference tables for the appendix.

Takes the card's computation spec and its results (already validated into the results model);
formats, never computes.  Results keep raw group values as keys; every label here is a display
name (:mod:`.labels`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..schema.analysis import QuantitativeAnalyses
from ..schema.results import AnalysisResults, Disparity, ResultRow
from .charts import Chart, GroupRow, group_panels, label_width
from .explain import explain_tables
from .focus import Ids, main_part, unobserved_slices
from .heatmap import heat_map_chart, heat_map_legend
from .labels import Labels, metric, signed
from .summary import SummaryView, gates_table, summary_view
from .tables import Cell, RowGroup, Table, num, provenance_lines
from .task_charts import task_views
from .text import anchor, fmt, interval, metric_value, minus


@dataclass
class AnalysesView:
    """Everything the quantitative-analyses section and the summary show."""

    computed: bool
    level: str = "95%"
    message: str = ""
    name: str = ""
    """The evaluation's name, in a card with a list of evaluations."""
    task: str = "binary-classification"
    metrics: list[str] = field(default_factory=list)
    overall: Table | None = None
    group_tables: list[Table] = field(default_factory=list)
    """Every factor's groups: one table, or several side by side in turn when the metrics are more
    than fit across a page (:data:`MAX_METRIC_COLUMNS` each)."""
    group_chart: Chart | None = None
    intersection_charts: list[Chart] = field(default_factory=list)
    intersection_key: str = ""
    task_charts: list[Chart] = field(default_factory=list)
    task_tables: list[Table] = field(default_factory=list)
    task_heading: str = ""
    """The heading over what the task adds (per class, errors, calibration, operating points)."""
    explanations: list[Table] = field(default_factory=list)
    """Feature importance from attributions, conditional disparities, distribution shift: each
    table with its heading and charts."""
    gaps: list[Table] = field(default_factory=list)
    intersections: list[Table] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)
    suppressed_intersections: list[str] = field(default_factory=list)
    suppressed_note: str = ""
    """For outputs without charts (Markdown)."""
    suppressed_note_charted: str = ""
    """For outputs with the heat maps (HTML, PDF)."""
    hidden_note: str = ""
    appendix: bool = True
    unobserved: list[str] = field(default_factory=list)
    gates: Table | None = None
    gates_failed: int = 0
    notes: list[str] = field(default_factory=list)
    provenance: list[tuple[str, str]] = field(default_factory=list)
    summary: SummaryView | None = None

    @property
    def intersection_rows(self) -> list[list[Chart]]:
        """The heat maps in rows: two half-width charts side by side, a wide one alone."""
        rows: list[list[Chart]] = []
        for c in self.intersection_charts:
            if c.wide or not rows or len(rows[-1]) == 2 or rows[-1][0].wide:
                rows.append([c])
            else:
                rows[-1].append(c)
        return rows

    @property
    def chart_beside(self) -> bool:
        """The PDF sets the group chart beside its table: one metric, one table of few columns and
        rows, labels that fit half the width."""
        chart, tables = self.group_chart, self.group_tables
        return (chart is not None and bool(chart.narrow_svg) and len(tables) == 1 and tables[0].width <= 4
                and sum(len(g.rows) + bool(g.title) for g in tables[0].groups) <= BESIDE_ROWS)

    @property
    def groups(self) -> Table | None:
        """The first (usually the only) table of every factor's groups."""
        return self.group_tables[0] if self.group_tables else None

    @property
    def has_appendix(self) -> bool:
        return bool(self.gaps or self.intersections or self.suppressed_intersections)


def _ratio_interval(d: Disparity) -> str:
    return "" if d.ratio_ci_low is None or d.ratio_ci_high is None else interval(d.ratio_ci_low, d.ratio_ci_high)


def with_interval(row: ResultRow) -> Cell:
    """``0.712`` over ``0.685 to 0.737`` (``−0.010`` over ``−0.120 to 0.101``); suppressed and
    undefined values say so."""
    if row.suppressed:
        return Cell("suppressed", cls="suppressed")
    if row.value is None:
        return Cell("–", cls="num undefined")
    sub = interval(row.ci_low, row.ci_high) if row.ci_low is not None and row.ci_high is not None else ""
    return Cell(minus(metric_value(row.metric, row.value)), sub, cls="num")


def analyses_view(qa: QuantitativeAnalyses, results: AnalysisResults | None, labels: Labels | None = None, *,
                  appendix: bool = True, name: str = "") -> AnalysesView:
    """The view of a card's quantitative analyses ``qa`` (one evaluation; ``name`` in a list of them)
    with its ``results`` (or ``None``); ``appendix``: the full tables are rendered (notes may point
    to them).  Tables and charts show each metric at the first operating point and over all classes;
    per-class values and other operating points get tables and charts of their own."""
    level = f"{qa.confidence.level * 100:g}%"
    if results is None or not results.results:
        message = ("Not computed yet: run `cardwright compute` on this card (or `cardwright render`, "
                   "which computes first).") if qa.data is not None else ""
        return AnalysesView(False, level, message=message, name=name, task=qa.task)
    labels = labels or Labels.of(qa.factors)
    ids = Ids(name)
    main = main_part(results)
    view = AnalysesView(True, level, name=name, task=qa.task, metrics=_metrics(qa, main), appendix=appendix)
    by_keys = _by_keys(main.results, labels)
    sizes = Sizes.of(main)
    overall = {r.metric: r for r in by_keys.get((), [])}
    view.overall = _overall_table(view.metrics, overall, level, ids)
    unitary: dict[tuple[str, ...], list[ResultRow]] = {k: rows for k, rows in by_keys.items() if len(k) == 1}
    if unitary:
        view.group_tables = _groups_tables(unitary, view.metrics, labels, qa, level, ids, sizes)
        view.group_chart = _group_chart(unitary, view.metrics, overall, labels, level, ids, sizes)
    multi = {k: rows for k, rows in by_keys.items() if len(k) > 1}
    view.intersections = [_intersection_table(k, rows, chunk, labels, level, ids, sizes, part)
                          for k, rows in multi.items()
                          for part, chunk in enumerate(metric_chunks(view.metrics))]
    view.intersection_charts, view.hidden_note = _intersection_charts(multi, view.metrics, overall, labels,
                                                                      unobserved_slices(main), ids)
    if view.intersection_charts:
        view.intersection_key = heat_map_legend(qa.min_group_size, chart_id=ids("heatmap-legend"))
    view.gaps = _gap_tables(main.disparities, labels, level, ids)
    _suppression(view, by_keys, labels, qa, appendix, sizes)
    view.unobserved = [labels.group(u) for u in sorted(unobserved_slices(main), key=labels.rank)]
    view.notes = _notes(main)
    if results.gates:
        view.gates = gates_table(results.gates, labels)
        view.gates_failed = sum(g.blocking for g in results.gates)
    view.task_charts, view.task_tables, view.task_heading = task_views(qa.task, results, labels, level, ids)
    view.explanations = explain_tables(results.model_dump(mode="json", by_alias=True))
    view.provenance = provenance_lines(results.provenance)
    view.summary = summary_view(qa, main, view.metrics, labels, level, gates=results.gates)
    return view


def _suppression(view: AnalysesView, by_keys: dict[tuple[str, ...], list[ResultRow]], labels: Labels,
                 qa: QuantitativeAnalyses, appendix: bool, sizes: Sizes) -> None:
    view.suppressed, view.suppressed_intersections = _suppressed(by_keys, labels, sizes)
    listed = "listed in the appendix" if appendix else ""
    view.suppressed_note = _suppressed_note(view, qa, listed)
    charted = "grey in the heat maps" + (f"; {listed}" if listed else "") if view.intersection_charts else listed
    view.suppressed_note_charted = _suppressed_note(view, qa, charted)


def _metrics(qa: QuantitativeAnalyses, results: AnalysisResults) -> list[str]:
    """The card's metrics that have results, in the card's order, then any others the results hold."""
    present = {r.metric for r in results.results}
    ordered = [m for m in qa.metrics if m in present]
    return ordered + sorted(present - set(ordered))


def _by_keys(rows: Sequence[ResultRow], labels: Labels) -> dict[tuple[str, ...], list[ResultRow]]:
    """Result rows by the factors of their slice (in the card's order), slices in display order."""
    out: dict[tuple[str, ...], list[ResultRow]] = {}
    for r in rows:
        out.setdefault(labels.keys(r.slice), []).append(r)
    for keys, group in out.items():
        group.sort(key=lambda r: labels.rank(r.slice, keys))
    return dict(sorted(out.items(), key=lambda kv: (len(kv[0]), [list(labels.factors).index(k) if k in labels.factors
                                                                  else len(labels.factors) for k in kv[0]])))


def _overall_table(metrics: list[str], overall: dict[str, ResultRow], level: str, ids: Ids) -> Table | None:
    if not overall:
        return None
    rows = [[Cell(metric(m).title), with_interval(overall[m]), num(overall[m].n)] for m in metrics if m in overall]
    return Table.plain(ids("overall"), f"Overall results ({level} intervals)",
                       ["Metric", f"Value ({level} interval)", "n"], rows)


def _slices(rows: list[ResultRow], keys: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, ResultRow]]:
    """Rows by group (raw values in factor order), then by metric; groups in display order."""
    out: dict[tuple[str, ...], dict[str, ResultRow]] = {}
    for r in rows:
        out.setdefault(tuple(r.slice[k] for k in keys), {})[r.metric] = r
    return out


def _group_rows(keys: tuple[str, ...], rows: list[ResultRow], metrics: list[str], labels: Labels, sizes: Sizes,
                reference: dict[str, str] | None = None, *, skip_suppressed: bool = False) -> list[list[Cell]]:
    out = []
    for values, by_metric in _slices(rows, keys).items():
        slice_ = dict(zip(keys, values, strict=True))
        name = labels.group(slice_, keys)
        is_ref = reference is not None and all(reference.get(k) == v for k, v in slice_.items())
        n = sizes.cell(slice_, by_metric)
        head = Cell(name, "reference" if is_ref else "", cls="ref" if is_ref else "")
        if any(r.suppressed for r in by_metric.values()) and all(r.suppressed for r in by_metric.values()):
            if skip_suppressed:
                continue
            reason = next((r.reason for r in by_metric.values() if r.reason), None) or "too few rows"
            out.append([head, n, Cell(f"suppressed: {reason}", cls="suppressed", span=len(metrics))])
            continue
        cells = [with_interval(by_metric[m]) if m in by_metric else Cell("–", cls="num") for m in metrics]
        out.append([head, n, *cells])
    return out


@dataclass
class Sizes:
    """Each slice's size as the results publish it (``None``: hidden, see `min_cell_size`); a
    metric row's ``n`` is its own denominator, so a group's size is read from here."""

    by_slice: dict[tuple[str | None, tuple[tuple[str, str], ...]], int | None]

    @classmethod
    def of(cls, results: AnalysisResults) -> Sizes:
        return cls({(s.evaluation, tuple(sorted(s.slice.items()))): s.n for s in results.slices})

    def size(self, slice_: dict[str, str], by_metric: dict[str, ResultRow]) -> int | None:
        evaluation = next(iter(by_metric.values())).evaluation if by_metric else None
        key = (evaluation, tuple(sorted(slice_.items())))
        if key in self.by_slice:
            return self.by_slice[key]
        count = by_metric.get("count")
        return count.n if count is not None else None

    def cell(self, slice_: dict[str, str], by_metric: dict[str, ResultRow]) -> Cell:
        size = self.size(slice_, by_metric)
        return Cell("suppressed", cls="suppressed") if size is None else num(size)


def _metric_columns(metrics: list[str]) -> list[str]:
    return [metric(m).title for m in metrics]


MAX_METRIC_COLUMNS = 7
NARROW_WIDTH = 330.0
"""The drawing width of a group chart set beside its table (half the full width: its text prints
at the size of the full-width charts')."""
NARROW_LABELS = 140.0
"""The widest group labels a half-width chart takes (wider ones keep the chart below its table)."""
BESIDE_ROWS = 24
"""The most rows (groups and factor headings) a table with its chart beside it may have: the pair
is kept on one page."""
"""Metric columns a table holds before it is split: each shows a value over its interval, and
seven of them with the group and n fit across an A4 page and a laptop screen."""


def metric_chunks(metrics: list[str]) -> list[list[str]]:
    """The metrics in as few, as even, runs of at most :data:`MAX_METRIC_COLUMNS` as there can be."""
    parts = -(-len(metrics) // MAX_METRIC_COLUMNS) or 1
    size = -(-len(metrics) // parts)
    return [metrics[i:i + size] for i in range(0, len(metrics), size)] or [[]]


def _groups_tables(unitary: dict[tuple[str, ...], list[ResultRow]], metrics: list[str], labels: Labels,
                   qa: QuantitativeAnalyses, level: str, ids: Ids, sizes: Sizes) -> list[Table]:
    """Every factor's groups, a heading row per factor naming its reference group (as many tables
    as the metrics need, each with every group)."""
    chunks = metric_chunks(metrics)
    tables = []
    for i, chunk in enumerate(chunks):
        groups = []
        for keys, rows in unitary.items():
            factor = keys[0]
            ref = qa.reference_groups.get(factor)
            title = labels.title(factor) + (f" (reference: {labels.value(factor, ref)})" if ref is not None else "")
            groups.append(RowGroup(title, _group_rows(keys, rows, chunk, labels, sizes, {factor: ref} if ref else None)))
        part = f", part {i + 1} of {len(chunks)}" if len(chunks) > 1 else ""
        tables.append(Table(ids("results-by-group") + (f"-{i + 1}" if i else ""),
                            f"Every metric by group ({level} intervals under each value{part})",
                            ["Group", "n", *_metric_columns(chunk)], groups))
    return tables


def _group_chart(unitary: dict[tuple[str, ...], list[ResultRow]], metrics: list[str], overall: dict[str, ResultRow],
                 labels: Labels, level: str, ids: Ids, sizes: Sizes) -> Chart | None:
    shown = [m for m in metrics if m != "count"]
    if not shown:
        return None
    sections = []
    for keys, rows in unitary.items():
        items = [GroupRow(labels.group(slice_ := dict(zip(keys, values, strict=True)), keys), by_metric,
                          sizes.size(slice_, by_metric))
                 for values, by_metric in _slices(rows, keys).items()]
        sections.append((labels.title(keys[0]), items))
    cid = ids("chart-groups")
    title = "Every metric by group, with intervals"
    svg = group_panels(sections, shown, overall, chart_id=cid, title=title)
    caption = (f"{title}. Dots: estimates; bars: {level} intervals; dashed lines: the overall values. "
               "Suppressed groups are named, not plotted.")
    narrow = ""
    if len(shown) == 1 and label_width(sections) <= NARROW_LABELS:
        narrow = group_panels(sections, shown, overall, chart_id=cid, title=title, width=NARROW_WIDTH)
    return Chart(cid, title, caption, svg, narrow_svg=narrow)


def _intersection_table(keys: tuple[str, ...], rows: list[ResultRow], metrics: list[str], labels: Labels,
                        level: str, ids: Ids, sizes: Sizes, part: int = 0) -> Table:
    title = labels.titles(keys)
    more = ", continued" if part else ""
    table = Table.plain(ids(anchor("results", *keys)) + (f"-{part + 1}" if part else ""),
                        f"Results by {title.lower()} ({level} intervals{more})",
                        [title, "n", *_metric_columns(metrics)],
                        _group_rows(keys, rows, metrics, labels, sizes, skip_suppressed=True))
    table.heading = f"By {title.lower()}"
    hidden = sum(all(r.suppressed for r in by_metric.values()) for by_metric in _slices(rows, keys).values())
    if hidden:
        table.notes.append(f"{hidden} suppressed group{'s' * (hidden != 1)} left out; the appendix lists them with "
                           "their sizes.")
    return table


def _intersection_charts(multi: dict[tuple[str, ...], list[ResultRow]], metrics: list[str],
                         overall: dict[str, ResultRow], labels: Labels, unobserved: Sequence[dict[str, str]],
                         ids: Ids) -> tuple[list[Chart], str]:
    """One heat map per metric over the largest intersections (those inside no other), and a
    note on the groups left out of every chart."""
    sets = [k for k in multi if not any(set(k) < set(other) for other in multi)]
    if not sets:
        return [], ""
    charts, hidden = [], []
    for m in metrics:
        if m == "count":
            continue
        cid = ids(anchor("chart-intersections", m))
        title = f"{metric(m).title} by {' and '.join(labels.titles(k).lower() for k in sets)}"
        hm = heat_map_chart({k: [r for r in multi[k] if r.metric == m] for k in sets}, metric(m),
                            overall.get(m), labels, chart_id=cid, title=title, unobserved=unobserved)
        charts.append(Chart(cid, title, title + ".", hm.svg, hm.wide))
        hidden.append(hm.hidden)
    if any(hidden) and all(h == hidden[0] for h in hidden):
        return charts, f"Not shown, every intersection of theirs suppressed: {', '.join(hidden[0])}."
    for c, h in zip(charts, hidden, strict=True):
        if h:
            c.caption += f" Not shown, every intersection suppressed: {', '.join(h)}."
    return charts, ""


def _compared(d: Disparity, labels: Labels) -> str:
    if d.group is not None:
        return labels.group(d.group)
    if d.highest is not None and d.lowest is not None:
        return f"highest {labels.group(d.highest)} vs lowest {labels.group(d.lowest)}"
    return "largest gap between groups"


def gap_cell(d: Disparity) -> Cell:
    """A signed difference with its interval."""
    sub = f"{signed(d.ci_low)} to {signed(d.ci_high)}" if d.ci_low is not None and d.ci_high is not None else ""
    return Cell(signed(d.difference), sub, cls="num")


def _gap_tables(disparities: Sequence[Disparity], labels: Labels, level: str, ids: Ids) -> list[Table]:
    """Per factor and intersection: every group's signed difference and ratio to its reference."""
    by_over: dict[tuple[str, ...], list[Disparity]] = {}
    for d in disparities:
        if d.group is not None or d.comparison == "between-groups":
            by_over.setdefault(tuple(d.over), []).append(d)
    tables = []
    for over, rows in sorted(by_over.items(), key=lambda kv: (len(kv[0]), labels.keys(kv[0]))):
        keys = labels.keys(over)
        ref = next((d.reference for d in rows if d.reference), None)
        caption = f"Differences by {labels.titles(keys).lower()}" + (
            f" from the reference group ({labels.group(ref)})" if ref else " between the highest and lowest groups")
        body = [[Cell(metric(d.metric).title), Cell(_compared(d, labels)), gap_cell(d),
                 Cell(fmt(d.ratio), _ratio_interval(d), cls="num")] for d in rows]
        tables.append(Table.plain(ids(anchor("differences", *keys)), f"{caption}, {level} intervals",
                                  ["Metric", "Group", "Difference", "Ratio"], body))
    return tables


def _suppressed(by_keys: dict[tuple[str, ...], list[ResultRow]], labels: Labels,
                sizes: Sizes) -> tuple[list[str], list[str]]:
    """Each suppressed group once with its size (``Female × Asian × Under 25 (n = 12)``, or ``(n
    suppressed)`` when the size itself is hidden): those of single factors, and those of
    intersections."""
    single: list[str] = []
    multi: list[str] = []
    for keys, rows in by_keys.items():
        for values, by_metric in _slices(rows, keys).items():
            if keys and all(r.suppressed for r in by_metric.values()):
                slice_ = dict(zip(keys, values, strict=True))
                size = sizes.size(slice_, by_metric)
                shown = "n suppressed" if size is None else f"n = {fmt(size)}"
                text = f"{labels.group(slice_, keys)} ({shown})"
                (single if len(keys) == 1 else multi).append(text)
    return single, multi


def _suppressed_note(view: AnalysesView, qa: QuantitativeAnalyses, where: str) -> str:
    """One sentence on suppression, naming each small group of a single factor and counting the
    intersectional ones (``where`` says where those are shown, if anywhere)."""
    if not (view.suppressed or view.suppressed_intersections):
        return ""
    named = "; ".join(view.suppressed)
    k = len(view.suppressed_intersections)
    counted = f"{k} intersectional group{'s' * (k != 1)}" + (f" ({where})" if where and k else "") if k else ""
    groups = f"{named}; and {counted}" if named and counted else named or counted
    return (f"Suppressed, fewer than {qa.min_group_size} rows (`min_group_size`), or a count behind the values "
            f"below {qa.min_cell_size} (`min_cell_size`) or able to give one away: {groups}. Its metrics are too "
            "uncertain to show, or would reveal a small count; a gate over it fails, as it cannot check it "
            "(unless the gate includes the groups below min_group_size).")


def _notes(results: AnalysisResults) -> list[str]:
    notes = []
    undefined = sorted({f"{metric(r.metric).title}: {r.reason}" for r in results.results
                        if r.value is None and not r.suppressed and r.reason})
    if undefined:
        notes.append("Undefined (–): " + "; ".join(undefined) + ".")
    for g in results.gates:
        if g.reason:
            notes.append(f"Gate on {metric(g.metric).title}: {g.reason}.")
    return notes
