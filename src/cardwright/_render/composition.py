"""A datasheet's computed composition statistics laid out as tables (formats, never computes)."""

from __future__ import annotations

from typing import Any

from .explain import bias_tables
from .tables import AnalysesView, Table, as_dict, provenance
from .text import SUPPRESSED, anchor, fmt, humanize, ordered_keys, slice_label


def composition_view(spec: Any, results: Any) -> AnalysesView:
    """A datasheet's composition statistics: columns, label shares, shares of groups."""
    data = as_dict(results)
    if not data or "columns" not in data:
        return AnalysesView(False, message="Not computed yet: run `cardwright compute` on this datasheet.")
    view = AnalysesView(True, "")
    view.overall = Table(
        "composition-overview",
        "Overview",
        ["Fact", "Value"],
        [["Rows", fmt(data.get("rows"))], ["Columns", fmt(len(data["columns"]))]]
        + ([["Label", str(data["label"])]] if data.get("label") else []),
    )
    col_rows = []
    suppressed = False
    for c in data["columns"]:
        num = c.get("numeric") or {}
        low, high = num.get("low", num.get("min")), num.get("high", num.get("max"))
        rng = f"{_num(low)} to {_num(high)}" if num and (low is not None or high is not None) else "–"
        hidden = c.get("missing") is None
        suppressed |= hidden
        col_rows.append(
            [
                str(c["name"]),
                str(c.get("type", "")),
                SUPPRESSED if hidden else f"{fmt(c.get('missing'))} ({_pct(c.get('missing_share'))})",
                fmt(c.get("distinct")),
                rng,
                _num(num.get("mean")) if num else "–",
            ]
        )
    view.factors.append(
        Table(
            "composition-columns",
            "Columns",
            ["Column", "Type", "Missing", "Distinct", "Range", "Mean"],
            col_rows,
        )
    )
    k = data.get("min_cell_size", spec.min_cell_size)
    if any(c.get("numeric") for c in data["columns"]):
        view.notes.append(
            f"Range: from the {_ordinal(k)} smallest to the {_ordinal(k)} largest value, so that at least {k} rows "
            "(`min_cell_size`) lie at or beyond each end; a single row's value is never shown."
        )
    if data.get("label_shares"):
        rows = [
            [
                str(c["value"]),
                SUPPRESSED if c.get("suppressed") else fmt(c.get("count")),
                _pct(c.get("share")),
            ]
            for c in data["label_shares"]
        ]
        suppressed |= any(c.get("suppressed") for c in data["label_shares"])
        view.factors.append(
            Table("composition-label", f"Label shares ({data.get('label')})", ["Value", "Count", "Share"], rows)
        )
    order = list(data.get("sensitive_attributes") or [])
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for g in data.get("groups") or []:
        by_keys.setdefault(ordered_keys(g["slice"], order), []).append(g)
    for keys, groups in sorted(by_keys.items(), key=lambda kv: (len(kv[0]), [_index(order, k) for k in kv[0]])):
        rows = [
            [
                slice_label(g["slice"], list(keys)),
                SUPPRESSED if g.get("suppressed") else fmt(g.get("count")),
                _pct(g.get("share")),
            ]
            for g in groups
        ]
        suppressed |= any(g.get("suppressed") for g in groups)
        title = " × ".join(humanize(k) for k in keys)
        table = Table(anchor("composition", *keys), f"Shares by {title.lower()}", [title, "Count", "Share"], rows)
        table.heading = f"By {title.lower()}"
        (view.factors if len(keys) == 1 else view.intersections).append(table)
    for u in data.get("unobserved") or []:
        names = list(ordered_keys(u, order))
        view.unobserved.append({"over": " × ".join(humanize(k) for k in names), "group": slice_label(u, names)})
    unitary, multi, notes = bias_tables(data)
    view.factors += unitary
    view.intersections += multi
    view.notes += notes
    suppressed |= any(SUPPRESSED in cell for t in unitary + multi for r in t.rows for cell in r)
    if suppressed:
        view.notes.append(
            f"† Suppressed: counts below {k} (`min_cell_size`) are never published, nor any count from which "
            "one could be worked out (complementary suppression)."
        )
    view.provenance = provenance(data)
    return view


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _index(order: list[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


def _num(x: Any) -> str:
    """A summary statistic: whole numbers without decimals, others to three."""
    if x is None:
        return "–"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.3f}"


def _pct(x: Any) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"
