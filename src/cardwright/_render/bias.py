"""A datasheet's pre-training bias measures laid out as tables (formats, never computes).

One table per sensitive attribute (and intersection): a row per group *d*, its size, the share of
favourable labels in it and in the rest of the data, and every measure of *d* against the rest
with its interval.  For conditional demographic disparity, one table per group with every stratum:
the favourable-label rate of the group and of the rest within the stratum, and the stratum's
demographic disparity.
"""

from __future__ import annotations

from typing import Any

from .tables import Table
from .text import SUPPRESSED, anchor, fmt, humanize, slice_label

ABBREVIATIONS = {
    "class_imbalance": "CI",
    "difference_in_label_proportions": "DPL",
    "kl_divergence": "KL",
    "js_divergence": "JS",
    "lp_norm": "LP",
    "total_variation_distance": "TVD",
    "kolmogorov_smirnov": "KS",
    "conditional_demographic_disparity": "CDDL",
}


def _pct(x: Any) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"


def _value(row: dict[str, Any]) -> str:
    if row.get("suppressed"):
        return SUPPRESSED
    if row.get("value") is None:
        reason = str(row.get("reason") or "")
        return "∞" if reason.startswith("infinite") else "–"
    text = fmt(row["value"])
    if row.get("ci_low") is not None and row.get("ci_high") is not None:
        text += f" ({fmt(row['ci_low'])} to {fmt(row['ci_high'])})"
    return text


def _rate(row: dict[str, Any] | None, side: str) -> str:
    if row is None or row.get("suppressed") or row.get(f"{side}_rate") is None:
        return "–"
    lo, hi = row.get(f"{side}_rate_ci_low"), row.get(f"{side}_rate_ci_high")
    text = _pct(row[f"{side}_rate"])
    return text + (f" ({_pct(lo)}–{_pct(hi)})" if lo is not None and hi is not None else "")


def bias_tables(data: dict[str, Any]) -> tuple[list[Table], list[Table], list[str]]:
    """``(per-attribute tables, intersection tables, notes)`` for a composition results dict."""
    bias = data.get("bias")
    if not bias:
        return [], [], []
    metrics = list(bias.get("metrics") or [])
    level = f"{round(float(bias.get('level', 0.95)) * 100):g}%"
    by_over: dict[tuple[str, ...], dict[str, dict[str, dict[str, Any]]]] = {}
    for m in bias.get("measures") or []:
        keys = tuple(m["over"])
        label = slice_label(m["facet"], list(keys))
        by_over.setdefault(keys, {}).setdefault(label, {})[m["metric"]] = m
    unitary: list[Table] = []
    multi: list[Table] = []
    rates = [m for m in ("difference_in_label_proportions", "conditional_demographic_disparity") if m in metrics]
    for keys, facets in by_over.items():
        title = " × ".join(humanize(k) for k in keys)
        columns = [title, "Rows"]
        if rates:
            columns += [f"{humanize(str(bias.get('label')))} = {bias.get('positive_label')}, group",
                        "the rest"]
        columns += [ABBREVIATIONS.get(m, humanize(m)) for m in metrics]
        rows = []
        for label, by_metric in facets.items():
            first = next(iter(by_metric.values()))
            rate_row = next((by_metric[m] for m in rates if m in by_metric), None)
            cells = [label, SUPPRESSED if first.get("suppressed") else fmt(first.get("n_facet"))]
            if rates:
                cells += [_rate(rate_row, "facet"), _rate(rate_row, "rest")]
            cells += [_value(by_metric[m]) if m in by_metric else "–" for m in metrics]
            rows.append(cells)
        caption = f"Pre-training bias measures by {title.lower()}: each group against the rest ({level} intervals)"
        table = Table(anchor("bias", *keys), caption, columns, rows)
        table.heading = f"Bias measures by {title.lower()}"
        table.details = _strata_tables(keys, facets, bias, level)
        (unitary if len(keys) == 1 else multi).append(table)
    notes = [
        "Bias measures as SageMaker Clarify defines them, each group *d* against all other rows *a*: "
        + ", ".join(f"{ABBREVIATIONS[m]} = {humanize(m).lower()}" for m in metrics if m in ABBREVIATIONS)
        + ". Positive CI: the group is smaller than the rest; positive DPL: its favourable-label rate is "
        "lower; positive CDDL: within strata, the group holds more of the unfavourable than of the "
        "favourable labels. See docs/statistics.md."
    ]
    if bias.get("rows_dropped"):
        dropped = ", ".join(f"{n:,} {r.replace('_', ' ')}" for r, n in bias["rows_dropped"].items())
        notes.append(f"Rows left out of the bias measures: {dropped}.")
    return unitary, multi, notes


def _strata_tables(keys: tuple[str, ...], facets: dict[str, dict[str, dict[str, Any]]], bias: dict[str, Any],
                   level: str) -> list[Table]:
    out = []
    strata_names = list(bias.get("conditional_on") or [])
    for label, by_metric in facets.items():
        cdd = by_metric.get("conditional_demographic_disparity")
        if cdd is None or not cdd.get("strata"):
            continue
        title = " × ".join(humanize(k) for k in strata_names)
        rows = []
        for s in cdd["strata"]:
            name = slice_label(s["stratum"], strata_names)
            dd = {"value": s.get("disparity"), "ci_low": s.get("ci_low"), "ci_high": s.get("ci_high")}
            rows.append([name, fmt(s.get("n")), _pct(s.get("weight")), _rate(s, "facet"), _rate(s, "rest"), _value(dd)])
        group = f"{' × '.join(humanize(k) for k in keys).lower()} {label}"
        caption = (f"Demographic disparity of {group} within each {title.lower()}, and the favourable-label "
                   f"rates ({level} intervals); CDDL = {_value(cdd)}")
        out.append(Table(anchor("bias-strata", *keys, label), caption,
                         [title, "Rows", "Weight", f"Rate, {label}", "Rate, the rest", "DD"], rows))
    return out


SHIFT_MEASURES = {"js_divergence": "JS", "total_variation_distance": "TVD", "kolmogorov_smirnov": "KS",
                  "population_stability_index": "PSI"}


def _small_value(row: dict[str, Any]) -> str:
    """A distance with three significant digits (shifts are often far below 0.001)."""
    if row.get("suppressed"):
        return SUPPRESSED
    if row.get("value") is None:
        return "–"
    text = f"{row['value']:.3g}"
    if row.get("ci_low") is not None and row.get("ci_high") is not None:
        text += f" ({row['ci_low']:.3g} to {row['ci_high']:.3g})"
    return text


def shift_table(data: dict[str, Any]) -> Table | None:
    """A model card's distribution shift from its training data: a row per compared column."""
    shift = data.get("shift")
    if not shift:
        return None
    level = f"{round(float(shift.get('level', 0.95)) * 100):g}%"
    by_column: dict[str, dict[str, dict[str, Any]]] = {}
    for m in shift.get("measures") or []:
        by_column.setdefault(m["column"], {})[m["measure"]] = m
    rows = []
    for column, measures in by_column.items():
        name = "Label (positive share)" if column == "(label)" else humanize(column)
        rows.append([name, *(_small_value(measures[m]) if m in measures else "–" for m in SHIFT_MEASURES)])
    caption = (f"Distribution shift from the training data ({shift.get('training_data_path')}, "
               f"{fmt(shift.get('training_rows'))} rows) to the evaluation data "
               f"({fmt(shift.get('evaluation_rows'))} rows), {level} intervals")
    table = Table("distribution-shift", caption, ["Column", *SHIFT_MEASURES.values()], rows)
    table.heading = "Distribution shift from the training data"
    return table
