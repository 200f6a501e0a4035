"""A datasheet's computed composition statistics laid out as tables (formats, never computes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema.analysis import CompositionData
from ..schema.results import CompositionResults, GroupShare, NumericSummary
from .explain import bias_tables
from .labels import Labels
from .tables import Cell, Table, num, provenance_lines
from .text import anchor, fmt


@dataclass
class CompositionView:
    """Everything the data section of a datasheet shows."""

    computed: bool
    message: str = ""
    overview: Table | None = None
    tables: list[Table] = field(default_factory=list)
    intersections: list[Table] = field(default_factory=list)
    unobserved: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    provenance: list[tuple[str, str]] = field(default_factory=list)


def _number(x: float | None) -> str:
    """A summary statistic: whole numbers without decimals, others to three places."""
    if x is None:
        return "–"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.3f}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"


def _count(count: int | None, suppressed: bool) -> Cell:
    return Cell("suppressed", cls="suppressed") if suppressed else num(count)


def _range(n: NumericSummary | None) -> str:
    """From the ``min_cell_size``-th smallest to the ``min_cell_size``-th largest value (the
    extremes themselves when enough rows hold them)."""
    if n is None:
        return "–"
    low = n.low if n.low is not None else n.min
    high = n.high if n.high is not None else n.max
    return "–" if low is None and high is None else f"{_number(low)} to {_number(high)}"


def _columns_table(results: CompositionResults) -> Table:
    rows = []
    for c in results.columns:
        n = c.numeric
        missing = (_count(None, True) if c.missing is None
                   else Cell(fmt(c.missing), _pct(c.missing_share), cls="num"))
        rows.append([Cell(c.name), Cell(c.type), missing, num(c.distinct), Cell(_range(n), cls="num"),
                     Cell(_number(n.mean) if n else "–", cls="num")])
    return Table.plain("composition-columns", "Columns (missing values with their share)",
                       ["Column", "Type", "Missing", "Distinct", "Range", "Mean"], rows)


def _shares_table(keys: tuple[str, ...], groups: list[GroupShare], labels: Labels) -> Table:
    title = labels.titles(keys)
    rows = [[Cell(labels.group(g.slice, keys)), _count(g.count, g.suppressed), Cell(_pct(g.share), cls="num")]
            for g in sorted(groups, key=lambda g: labels.rank(g.slice, keys))]
    table = Table.plain(anchor("composition", *keys), f"Shares by {title.lower()}", [title, "Count", "Share"], rows)
    table.heading = f"By {title.lower()}"
    return table


def composition_view(spec: CompositionData, results: CompositionResults | None,
                     labels: Labels | None = None) -> CompositionView:
    """A datasheet's composition statistics: columns, label shares, shares of groups."""
    if results is None:
        return CompositionView(False, message="Not computed yet: run `cardwright compute` on this datasheet.")
    labels = labels or Labels.of(spec.sensitive_attributes)
    view = CompositionView(True)
    facts = [[Cell("Rows"), num(results.rows)], [Cell("Columns"), num(len(results.columns))]]
    if results.label:
        facts.append([Cell("Label"), Cell(results.label)])
    view.overview = Table.plain("composition-overview", "Overview", ["Fact", "Value"], facts)
    view.tables.append(_columns_table(results))
    suppressed = any(c.missing is None for c in results.columns)
    k = results.min_cell_size
    if any(c.numeric for c in results.columns):
        view.notes.append(
            f"Range: from the {_ordinal(k)} smallest to the {_ordinal(k)} largest value, so that at least {k} rows "
            "(`min_cell_size`) lie at or beyond each end; a single row's value is never shown."
        )
    if results.label_shares:
        rows = [[Cell(c.value), _count(c.count, c.suppressed), Cell(_pct(c.share), cls="num")]
                for c in results.label_shares]
        suppressed |= any(c.suppressed for c in results.label_shares)
        view.tables.append(Table.plain("composition-label", f"Label shares ({results.label})",
                                       ["Value", "Count", "Share"], rows))
    by_keys: dict[tuple[str, ...], list[GroupShare]] = {}
    for g in results.groups:
        by_keys.setdefault(labels.keys(g.slice), []).append(g)
    for keys, groups in sorted(by_keys.items(), key=lambda kv: (len(kv[0]), labels.keys(kv[0]))):
        suppressed |= any(g.suppressed for g in groups)
        (view.tables if len(keys) == 1 else view.intersections).append(_shares_table(keys, groups, labels))
    view.unobserved = [labels.group(u) for u in sorted(results.unobserved, key=labels.rank)]
    unitary, multi, notes = bias_tables(results.model_dump(mode="json"))
    view.tables += unitary
    view.intersections += multi
    view.notes += notes
    suppressed |= any(c.cls == "suppressed" for t in unitary + multi for r in t.rows for c in r)
    if suppressed:
        view.notes.append(f"Suppressed: counts below {k} (`min_cell_size`) are never published, nor any count from "
                          "which one could be worked out (complementary suppression).")
    view.provenance = provenance_lines(results.provenance)
    return view


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
