"""The summary a reader who stops after one page needs: for whom the model works less well.

Per metric: the overall value, and the group furthest behind its reference group with *that
pair's own* signed difference, interval and ratio (the per-group rows of the results, never the
statistic of a maximum); the gates, failed ones first; the groups too small to measure and the
intersections never seen; the rows the numbers rest on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..schema.analysis import QuantitativeAnalyses
from ..schema.results import AnalysisResults, Disparity, GateResult, ResultRow, failed_gates
from .labels import Labels, MetricInfo, metric, signed
from .tables import Cell, Table
from .text import fmt, interval, minus

SliceId = tuple[tuple[str, str], ...]


def slice_id(s: dict[str, str]) -> SliceId:
    return tuple(sorted(s.items()))


@dataclass
class SummaryView:
    """The summary: a verdict on the gates, what the numbers rest on, a table per evaluation of
    who is furthest behind on each metric, the gates (failed first) and flags."""

    verdict: str
    verdict_cls: str
    basis: str
    tables: list[Table]
    gates: Table | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def table(self) -> Table:
        return self.tables[0]


def _value_cell(row: ResultRow | None) -> Cell:
    if row is None or row.value is None:
        return Cell("–", cls="num")
    sub = interval(row.ci_low, row.ci_high) if row.ci_low is not None and row.ci_high is not None else ""
    return Cell(minus(fmt(row.value)), sub, cls="num")


def _clearly_behind(d: Disparity, info: MetricInfo) -> bool:
    """The whole interval of the difference lies on the unfavourable side of zero."""
    if d.ci_low is None or d.ci_high is None or info.better is None:
        return False
    return info.unfavourable(d.ci_low) > 0 and info.unfavourable(d.ci_high) > 0


def per_group(disparities: Sequence[Disparity], name: str, *, unitary: bool = True) -> list[Disparity]:
    """The per-group differences to a reference for one metric (factors alone, or intersections)."""
    return [d for d in disparities if d.metric == name and d.group is not None and d.difference is not None
            and (len(d.over) == 1) == unitary]


def worst(rows: Sequence[Disparity], info: MetricInfo) -> Disparity | None:
    """The group furthest behind its reference, by the metric's direction (ties: the first)."""
    return max(rows, key=lambda d: info.unfavourable(d.difference or 0.0), default=None)


def _between(disparities: Sequence[Disparity], name: str) -> Disparity | None:
    """Without reference groups: the widest highest-vs-lowest gap of a factor."""
    rows = [d for d in disparities if d.metric == name and d.comparison == "between-groups" and len(d.over) == 1
            and d.difference is not None]
    return max(rows, key=lambda d: d.difference or 0.0, default=None)


def _metric_row(name: str, overall: ResultRow | None, disparities: Sequence[Disparity], labels: Labels,
                values: dict[SliceId, ResultRow]) -> list[Cell]:
    info = metric(name)
    head = [Cell(info.title), _value_cell(overall)]
    candidates = per_group(disparities, name)
    w = worst(candidates, info)
    if w is not None and w.group is not None:
        if info.better is not None and info.unfavourable(w.difference or 0.0) <= 0:
            return [*head, Cell("no group behind its reference", cls="quiet", span=4)]
        also = [labels.group(d.group) for d in candidates if d is not w and d.group is not None
                and _clearly_behind(d, info)]
        ref = labels.group(w.reference or {})
        group = Cell(labels.group(w.group), f"vs {ref}" + (f"; also behind: {', '.join(also)}" if also else ""))
        ratio = Cell(fmt(w.ratio), cls="num")
        return [*head, group, _value_cell(values.get(slice_id(w.group))), _gap(w, info), ratio]
    b = _between(disparities, name)
    if b is not None and b.highest is not None and b.lowest is not None:
        # without a reference group: the group at the worse end against the one at the better end
        flip = info.better != "lower"
        worse, better = (b.lowest, b.highest) if flip else (b.highest, b.lowest)
        d, lo, hi = b.difference or 0.0, b.ci_low, b.ci_high
        gap_sub = ""
        if lo is not None and hi is not None:
            gap_sub = f"{signed(-hi)} to {signed(-lo)}" if flip else f"{signed(lo)} to {signed(hi)}"
        gap = Cell(signed(-d if flip else d), gap_sub, cls="num")
        return [*head, Cell(labels.group(worse), f"vs {labels.group(better)}, the best group (no reference set)"),
                _value_cell(values.get(slice_id(worse))), gap, Cell(fmt(b.ratio), cls="num")]
    return [*head, Cell("not compared in the results", cls="quiet", span=4)]


def _gap(d: Disparity, info: MetricInfo) -> Cell:
    sub = f"{signed(d.ci_low)} to {signed(d.ci_high)}" if d.ci_low is not None and d.ci_high is not None else ""
    return Cell(signed(d.difference), sub, cls="num bad" if _clearly_behind(d, info) else "num")


def _all_hidden(rows: Sequence[ResultRow], slice_: dict[str, str]) -> bool:
    """Every value of a group is hidden (its size may still be published)."""
    own = [r for r in rows if r.slice == slice_]
    return bool(own) and all(r.suppressed for r in own)


def _flags(qa: QuantitativeAnalyses, results: AnalysisResults, labels: Labels) -> list[str]:
    flags = []
    singles = [s for s in results.slices if len(s.slice) == 1]
    factors = list(dict.fromkeys(next(iter(s.slice)) for s in singles))  # in the card's order
    singles.sort(key=lambda s: (factors.index(next(iter(s.slice))), labels.rank(s.slice)))
    protected = []
    for s in singles:
        (factor, value), = s.slice.items()
        name = f"{labels.value(factor, value)} ({labels.title(factor).lower()}"
        if s.suppressed:
            size = "size suppressed" if s.n is None else f"n = {fmt(s.n)}"
            flags.append(f"Not measured, too few rows: {name}; {size}, below {qa.min_group_size}).")
        elif s.n is None or any(r.suppressed for r in results.results if r.slice == s.slice):
            protected.append(name + ")")
    if protected:
        flags.append(f"Values hidden to protect small counts (`min_cell_size`): {'; '.join(protected)}.")
    inter = {slice_id(s.slice): s.suppressed or s.n is None or _all_hidden(results.results, s.slice)
             for s in results.slices if len(s.slice) > 1}
    if inter:
        hidden = sum(inter.values())
        verbs = ("has", "is") if hidden == 1 else ("have", "are")
        text = (f"{hidden} of {len(inter)} intersectional groups {verbs[0]} too few rows (`min_group_size`) or "
                f"counts too small to publish (`min_cell_size`) and {verbs[1]} suppressed" if hidden
                else f"All {len(inter)} intersectional groups are large enough to report")
        if results.unobserved:
            k = len(results.unobserved)
            text += f"; {k} combination{'s' * (k != 1)} never occur{'s' * (k == 1)} in the data"
        flags.append(text + ".")
    line = _worst_intersection(results.disparities, labels)
    if line:
        flags.append(line)
    for g in results.gates:
        if g.reason:
            flags.append(f"Gate on {metric(g.metric).title} could not be evaluated: {g.reason}.")
    return flags


def _worst_intersection(disparities: Sequence[Disparity], labels: Labels) -> str:
    """The intersectional group furthest behind its reference, among gaps whose interval excludes zero."""
    best: tuple[float, Disparity] | None = None
    for d in disparities:
        info = metric(d.metric)
        if d.group is None or len(d.over) < 2 or d.difference is None or not info.share or not _clearly_behind(d, info):
            continue
        score = info.unfavourable(d.difference)
        if best is None or score > best[0]:
            best = (score, d)
    if best is None:
        return ""
    d = best[1]
    return (f"Largest intersectional gap: {metric(d.metric).title.lower()} for {labels.group(d.group or {})}, "
            f"{signed(d.difference)} ({signed(d.ci_low)} to {signed(d.ci_high)}) against "
            f"{labels.group(d.reference or {})}.")


def verdict(gates: Sequence[GateResult]) -> tuple[str, str]:
    """``All 2 gates passed.`` / ``1 of 3 gates failed.`` (warning gates counted apart), and a class."""
    if not gates:
        return "No gates are set for these results.", ""
    n = len(gates)
    failed, warned = failed_gates(gates)
    warnings = f"{warned} warning gate{'s' * (warned != 1)} failed (reported, not blocking)" if warned else ""
    if failed:
        return f"{failed} of {n} gate{'s' * (n != 1)} failed." + (f" {warnings}." if warned else ""), "fail"
    if warned:
        return f"No blocking gate failed; {warnings}.", "warn"
    return (f"All {n} gates passed." if n > 1 else "The gate passed."), "pass"


def _basis(results: AnalysisResults) -> str:
    p = results.provenance
    dropped = sum(p.rows_dropped.values())
    level = results.settings.level if results.settings is not None else 0.95
    return (f"{fmt(p.rows_used)} evaluation rows" + (f" ({fmt(dropped)} dropped)" if dropped else "")
            + f"; {level * 100:g}% intervals.")


def summary_view(qa: QuantitativeAnalyses, results: AnalysisResults, metrics: list[str], labels: Labels,
                 level: str, *, gates: Sequence[GateResult] | None = None, ids: str = "") -> SummaryView:
    """The summary of one evaluation's results (``results``: the rows the main tables show;
    ``gates``: every gate of the evaluation, when they are more than those)."""
    overall = {r.metric: r for r in results.results if not r.slice}
    values: dict[str, dict[SliceId, ResultRow]] = {}
    for r in results.results:
        values.setdefault(r.metric, {})[slice_id(r.slice)] = r
    rows = [_metric_row(m, overall.get(m), results.disparities, labels, values.get(m, {}))
            for m in metrics if m != "count"]
    columns = ["Metric", "Overall", "Group furthest behind", "Its value", "Gap to reference", "Ratio"]
    table = Table.plain(f"{ids}summary-metrics", f"Where the model works less well ({level} intervals under each value)",
                        columns, rows)
    every = list(gates if gates is not None else results.gates)
    text, cls = verdict(every)
    gates_shown = None
    if every:
        gates_shown = gates_table(sorted(every, key=lambda g: (not g.blocking, g.passed)), labels)
        gates_shown.id = f"{ids}summary-gates"
    return SummaryView(text, cls, _basis(results), [table], gates_shown, _flags(qa, results, labels))


def combined(parts: Sequence[tuple[str, SummaryView]], gates: Sequence[GateResult]) -> SummaryView:
    """One summary of several named evaluations: a table each, every gate, every flag."""
    text, cls = verdict(gates)
    tables, rows, flags = [], [], []
    for name, part in parts:
        for t in part.tables:
            t.caption = f"{name}: {t.caption}"
            tables.append(t)
        if part.gates is not None:
            rows += [[Cell(f"{name}: {r[0].text}"), *r[1:]] for r in part.gates.rows]
        flags += [f"{name}: {f}" for f in part.flags]
    basis = " ".join(f"{name}: {part.basis}" for name, part in parts)
    table = None
    if rows:
        rows.sort(key=lambda r: {"FAIL": 0, "WARN": 1}.get(r[1].text, 2))
        table = Table.plain("summary-gates", "Gates", ["Gate", "Result", "Value", "Limit"], rows)
    return SummaryView(text, cls, basis, tables, table, flags)


def gate_limit(g: GateResult) -> str:
    return {"min_ratio": "ratio ≥ ", "max_difference": "difference ≤ ", "min": "every group ≥ ",
            "max": "every group ≤ ", "baseline": "regression ≤ "}[g.kind] + fmt(g.limit)


def gate_name(g: GateResult, labels: Labels) -> str:
    """``False negative rate over sex`` (with its class or operating point when it has one)."""
    over = f" over {labels.titles(labels.keys(g.over)).lower()}" if g.over else " overall"
    extra = [f"class {g.class_}"] if g.class_ is not None else []
    extra += [f"at threshold {g.threshold:g}"] if g.threshold is not None else []
    return metric(g.metric).title + over + (f" ({', '.join(extra)})" if extra else "")


def gates_table(gates: Sequence[GateResult], labels: Labels) -> Table:
    rows = []
    for g in gates:
        status = (Cell("PASS", cls="pass") if g.passed else Cell("FAIL", cls="fail") if g.blocking
                  else Cell("WARN", "warning gate", cls="warn"))
        rows.append([Cell(gate_name(g, labels)), status, Cell(fmt(g.value), cls="num"), Cell(gate_limit(g))])
    return Table.plain("gates", "Gates", ["Gate", "Result", "Value", "Limit"], rows)
