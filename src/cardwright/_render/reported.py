"""Reported results laid out for reading: one table per dataset, task and source, and the gates
on them — shown like computed results, but every caption says the numbers are reported.

Takes the card's ``reported_results`` section and the gate outcomes the API evaluated; formats,
never computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..schema.reported import ReportedGateResult, ReportedResult, ReportedResults
from .tables import Cell, Table
from .text import anchor, humanize, interval, minus

NOTE = ("Reported by their source and not computed by cardwright: the numbers, their intervals and how they "
        "were obtained are as the source gives them.")


@dataclass
class ReportedView:
    """Everything the reported-results partials lay out."""

    tables: list[Table] = field(default_factory=list)
    gates: Table | None = None
    gates_failed: int = 0
    note: str = NOTE
    notes: str = ""

    @property
    def empty(self) -> bool:
        return not self.tables and self.gates is None


def _number(v: float) -> str:
    return f"{v:.4g}" if abs(v) < 1e6 else f"{v:,.0f}"


def value_text(r: ReportedResult) -> str:
    """``0.912 (0.905 to 0.918)``; text values as given; ``± stderr`` when that is all there is."""
    return str(value_cell(r))


def value_cell(r: ReportedResult) -> Cell:
    """The value, its interval (or standard error) under it, as the computed tables show theirs."""
    num = r.number
    text = str(r.value) if num is None else minus(_number(num))
    if r.ci_low is not None and r.ci_high is not None:
        return Cell(text, interval(r.ci_low, r.ci_high, _number), cls="num")
    if r.stderr is not None:
        return Cell(text, f"± {_number(r.stderr)} (s.e.)", cls="num")
    return Cell(text, cls="num" if num is not None else "")


def _dataset_label(r: ReportedResult) -> str:
    ds = r.dataset
    if ds is None:
        return "unnamed data"
    extra = [x for x in (ds.config, f"{ds.split} split" if ds.split else None) if x and x not in ds.name]
    return ds.name + (f" ({', '.join(extra)})" if extra else "")


def _source_label(r: ReportedResult) -> str:
    s = r.source
    if s is None:
        return "source not stated"
    parts = [p for p in (s.name, " ".join(x for x in (s.harness, s.version) if x)) if p]
    text = ", ".join(dict.fromkeys(parts)) or "source not stated"
    if r.date:
        text += f", {r.date.isoformat()}"
    return text


def _settings_label(r: ReportedResult) -> str:
    return "; ".join(f"{humanize(k)}: {v}" for k, v in r.settings.items())


def _slice_label(s: dict[str, str]) -> str:
    return "overall" if not s else " × ".join(f"{humanize(k)}: {v}" for k, v in s.items())


def _tables(results: Sequence[ReportedResult]) -> list[Table]:
    groups: dict[tuple[str, str, str, str], list[ReportedResult]] = {}
    for r in results:
        task = (r.task.name or r.task.type) if r.task else ""
        groups.setdefault((_dataset_label(r), task, _source_label(r), _settings_label(r)), []).append(r)
    out = []
    for i, ((dataset, task, source, settings), rows) in enumerate(groups.items()):
        caption = f"Reported on {dataset}" + (f" · {task}" if task else "")
        notes = [f"Source: {source}."] + ([f"Settings: {settings}."] if settings else [])
        papers = sorted({r.source.paper for r in rows if r.source and r.source.paper})
        urls = sorted({r.source.url for r in rows if r.source and r.source.url})
        notes += [f"Paper: {p}." for p in papers] + [f"Details: {u}" for u in urls]
        notes += [f"{humanize(r.metric)}: {r.notes.strip()}" for r in rows if r.notes and r.notes.strip()]
        body = [[Cell(r.metric_name or humanize(r.metric)), Cell(_slice_label(r.slice)), value_cell(r),
                 Cell(f"{r.n:,}" if r.n is not None else "–", cls="num")] for r in rows]
        table = Table.plain(anchor("reported", i + 1, dataset), caption, ["Metric", "Group", "Value (interval)", "n"],
                            body)
        table.notes = notes
        out.append(table)
    return out


def _limit(g: ReportedGateResult) -> str:
    return {"max_difference": "difference ≤ ", "min_ratio": "ratio ≥ ", "min": "value ≥ ", "max": "value ≤ "}[g.kind] + \
        f"{g.limit:g}"


def _gates(outcomes: Sequence[ReportedGateResult]) -> Table | None:
    if not outcomes:
        return None
    rows = []
    for g in outcomes:
        where = " × ".join(humanize(k) for k in g.over) if g.over else "whole dataset"
        if g.dataset:
            where += f" on {g.dataset}"
        status = (Cell("PASS", cls="pass") if g.passed else Cell("FAIL", cls="fail") if g.severity == "error"
                  else Cell("WARN", "warning gate", cls="warn"))
        value = Cell(g.reason or "") if g.value is None else Cell(_number(g.value), cls="num")
        rows.append([Cell(humanize(g.metric)), Cell(where), Cell(_limit(g)), value, status])
    return Table.plain("reported-gates", "Gates on reported results", ["Metric", "Compared", "Limit", "Value", "Result"],
                       rows)


def reported_view(section: ReportedResults | None, gates: Sequence[ReportedGateResult] = ()) -> ReportedView | None:
    """The view of a card's reported results with its gate outcomes; ``None`` without the section."""
    if section is None:
        return None
    view = ReportedView(tables=_tables(section.results), gates=_gates(gates), notes=section.notes or "")
    view.gates_failed = sum(1 for g in gates if not g.passed and g.severity == "error")
    return view


__all__ = ["ReportedView", "reported_view", "value_cell", "value_text"]
