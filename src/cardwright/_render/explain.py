"""Explanations and dataset bias laid out as tables and charts (formats, never computes).

A datasheet's pre-training bias measures (:func:`bias_tables`); a model card's feature importance
from attributions (:func:`attribution_tables`, charts in :mod:`.attribution_charts`) and its
distribution shift from the training data (:func:`shift_table`), together :func:`explain_tables`.

One table per sensitive attribute (and intersection): a row per group *d*, its size, the share of
favourable labels in it and in the rest of the data, and every measure of *d* against the rest
with its interval.  For conditional demographic disparity, one table per group with every stratum:
the favourable-label rate of the group and of the rest within the stratum, and the stratum's
demographic disparity.
"""

from __future__ import annotations

from typing import Any

from .charts import Chart
from .tables import Table, text_rows
from .text import SUPPRESSED, anchor, fmt, humanize, interval, minus, slice_label

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
    text = minus(fmt(row["value"]))
    if row.get("ci_low") is not None and row.get("ci_high") is not None:
        text += f" ({interval(row['ci_low'], row['ci_high'])})"
    return text


def _rate(row: dict[str, Any] | None, side: str) -> str:
    if row is None or row.get("suppressed") or row.get(f"{side}_rate") is None:
        return "–"
    lo, hi = row.get(f"{side}_rate_ci_low"), row.get(f"{side}_rate_ci_high")
    text = _pct(row[f"{side}_rate"])
    return text + (f" ({interval(lo, hi, _pct)})" if lo is not None and hi is not None else "")


def _table(tid: str, caption: str, columns: list[str], rows: list[list[str]]) -> Table:
    """A table of text cells (suppressed ones marked so), as every table of the render is."""
    table = Table.plain(tid, caption, columns, text_rows(rows))
    for row in table.rows:
        for i, cell in enumerate(row):
            if cell.text.startswith("suppressed"):
                row[i] = type(cell)(cell.text, cell.sub, "suppressed", cell.span)
    return table


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
            outcome = f"{humanize(str(bias.get('label')))} = {bias.get('positive_label')}"
            columns += [f"{outcome}: group", f"{outcome}: the rest"]
        columns += [ABBREVIATIONS.get(m, humanize(m)) for m in metrics]
        rows = []
        for label, by_metric in facets.items():
            first = next(iter(by_metric.values()))
            rate_row = next((by_metric[m] for m in rates if m in by_metric and not by_metric[m].get("suppressed")),
                            None)
            cells = [label, SUPPRESSED if first.get("n_facet") is None else fmt(first.get("n_facet"))]
            if rates:
                cells += [_rate(rate_row, "facet"), _rate(rate_row, "rest")]
            cells += [_value(by_metric[m]) if m in by_metric else "–" for m in metrics]
            rows.append(cells)
        caption = f"Pre-training bias measures by {title.lower()}: each group against the rest ({level} intervals)"
        table = _table(anchor("bias", *keys), caption, columns, rows)
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
        dropped = ", ".join(f"{r.replace('_', ' ')} ({SUPPRESSED})" if n is None else f"{n:,} {r.replace('_', ' ')}"
                            for r, n in bias["rows_dropped"].items())
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
        group = f"{label} ({' × '.join(humanize(k) for k in keys).lower()})"
        caption = (f"Demographic disparity of {group} within each {title.lower()}, and the favourable-label "
                   f"rates ({level} intervals); CDDL = {_value(cdd)}")
        out.append(_table(anchor("bias-strata", *keys, label), caption,
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
    text = minus(f"{row['value']:.3g}")
    if row.get("ci_low") is not None and row.get("ci_high") is not None:
        text += f" ({interval(row['ci_low'], row['ci_high'], lambda v: f'{v:.3g}')})"
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
    table = _table("distribution-shift", caption, ["Column", *SHIFT_MEASURES.values()], rows)
    table.heading = "Distribution shift from the training data"
    return table


def attribution_tables(data: dict[str, Any]) -> list[Table]:
    """Feature importance from per-row attributions: overall (with the distribution plot), then per
    factor and intersection with a top-k bar chart per group; rank flags as a table."""
    from .attribution_charts import Distribution, distribution_swarm, importance_bars

    att = data.get("attributions")
    if not att:
        return []
    level = f"{round(float(att.get('level', 0.95)) * 100):g}%"
    top_k = int(att.get("top_k") or 10)
    by_slice: dict[tuple[tuple[str, str], ...], dict[str, dict[str, dict[str, Any]]]] = {}
    for r in att.get("importance") or []:
        key = tuple(r["slice"].items())
        by_slice.setdefault(key, {}).setdefault(r["feature"], {})[r["metric"]] = r
    tables: list[Table] = []
    overall = by_slice.get((), {})
    ranked = sorted(overall, key=lambda f: overall[f]["mean_abs_attribution"].get("rank") or 10**9)[:top_k]
    rows = [[f, _rank(overall[f]["mean_abs_attribution"]), _value(overall[f]["mean_abs_attribution"]),
             _value(overall[f]["mean_attribution"])] for f in ranked]
    table = _table("feature-importance", f"Feature importance, all rows: the {len(ranked)} most important features "
                  f"({level} intervals)", ["Feature", "Rank (range)", "Mean |attribution|", "Mean attribution"], rows)
    table.heading = "Feature importance"
    cid = "chart-importance-overall"
    title = "Mean absolute attribution, all rows"
    table.charts.append(Chart(cid, title, _bar_caption(title, level),
                              importance_bars(_bars(overall, ranked), chart_id=cid, title=title)))
    dists = [Distribution(d["feature"], d["edges"], d["counts"]) for d in att.get("distributions") or []]
    if dists:
        cid = "chart-attribution-distribution"
        title = "Distribution of the attributions of the most important features"
        caption = (f"{title}. Each column of dots is a bin of attribution values, its height the rows in it; "
                   "hollow circles: bins with too few rows to publish; dashed line: 0.")
        table.charts.append(Chart(cid, title, caption, distribution_swarm(dists, chart_id=cid, title=title)))
    tables.append(table)
    groups: dict[tuple[str, ...], list[tuple[tuple[str, str], ...]]] = {}
    for key in by_slice:
        if key:
            groups.setdefault(tuple(k for k, _ in key), []).append(key)
    for over, keys in groups.items():
        title = " × ".join(humanize(k) for k in over)
        labels = [" × ".join(v for _, v in key) for key in keys]
        rows = []
        for f in ranked:
            rows.append([f, *(_value(by_slice[key][f]["mean_abs_attribution"]) for key in keys)])
        t = _table(anchor("feature-importance", *over), f"Mean absolute attribution by {title.lower()} "
                  f"({level} intervals)", ["Feature", *labels], rows)
        t.heading = f"Feature importance by {title.lower()}"
        for key, label in zip(keys, labels):
            features = by_slice[key]
            if all(features[f]["mean_abs_attribution"].get("value") is None for f in features):
                continue
            order = sorted(features, key=lambda f: features[f]["mean_abs_attribution"].get("rank") or 10**9)[:top_k]
            cid = anchor("chart-importance", *over, label)
            ctitle = f"Mean absolute attribution, {title.lower()} {label}"
            t.charts.append(Chart(cid, ctitle, _bar_caption(ctitle, level),
                                  importance_bars(_bars(features, order), chart_id=cid, title=ctitle)))
        tables.append(t)
    flags = att.get("rank_flags") or []
    if flags:
        rows = [[f["feature"], " × ".join(humanize(k) for k in f["over"]),
                 "; ".join(f"{slice_label(g['slice'], list(f['over']))}: {g['rank']} ({g['rank_low']} to {g['rank_high']})"
                           for g in f["groups"])] for f in flags]
        t = _table("feature-rank-flags", "Features whose importance rank differs between groups beyond the intervals",
                  ["Feature", "Over", "Rank (range) per group"], rows)
        tables.append(t)
    return tables


def _bar_caption(title: str, level: str) -> str:
    return f"{title}. Bars: estimates; whiskers: {level} intervals. The same numbers are in the table."


def _rank(row: dict[str, Any]) -> str:
    if row.get("rank") is None:
        return "–"
    return f"{row['rank']} ({row.get('rank_low')} to {row.get('rank_high')})"


def _bars(features: dict[str, dict[str, dict[str, Any]]], order: list[str]) -> list[Any]:
    from .attribution_charts import Bar

    out = []
    for f in order:
        r = features[f]["mean_abs_attribution"]
        if r.get("value") is not None:
            out.append(Bar(f, float(r["value"]), r.get("ci_low"), r.get("ci_high")))
    return out


def _aggregate(row: dict[str, Any], name: str) -> str:
    """An aggregate value, or ``suppressed`` where a group's own value is hidden."""
    return "suppressed" if row.get(name) is None and row.get("aggregate_reason") else fmt(row.get(name))


def _left_out(row: dict[str, Any]) -> str:
    """How many strata are left out, and by which setting: `` (2 left out: 1 by min_group_size, 1
    by min_cell_size)``."""
    left = row.get("strata_left_out") or []
    if not left:
        return ""
    by = list(row.get("strata_left_out_by") or [])
    counts = {name: by.count(name) for name in ("min_group_size", "min_cell_size") if name in by}
    if not counts:
        return f" ({len(left)} left out)"
    return f" ({len(left)} left out: " + ", ".join(f"{n} by {name}" for name, n in counts.items()) + ")"


def conditional_table(data: dict[str, Any]) -> Table | None:
    """Disparities within strata beside the same pair's disparity over all rows."""
    found = data.get("conditional_disparities")
    if not found:
        return None
    rows = []
    for r in found:
        over = list(r.get("over") or [])
        pair = "–" if r.get("group") is None else (
            f"{slice_label(r['group'], over)} vs {slice_label(r['reference'], over)} (reference)")
        diff = _value({"value": r.get("difference"), "ci_low": r.get("ci_low"), "ci_high": r.get("ci_high")})
        ratio = _value({"value": r.get("ratio"), "ci_low": r.get("ratio_ci_low"), "ci_high": r.get("ratio_ci_high")})
        rows.append([humanize(r.get("metric", "")), pair, " × ".join(humanize(k) for k in r.get("conditional_on") or []),
                     diff if r.get("difference") is not None else str(r.get("reason") or "–"), ratio,
                     _aggregate(r, "aggregate_difference"), _aggregate(r, "aggregate_ratio"),
                     fmt(r.get("strata_used")) + _left_out(r)])
    table = _table("conditional-disparities", "Disparities within strata (weighted difference and Mantel–Haenszel "
                  "ratio), beside the same pair over all rows", ["Metric", "Groups compared", "Within",
                  "Difference", "Ratio (MH)", "Difference, all rows", "Ratio, all rows", "Strata"], rows)
    table.heading = "Disparities within strata"
    return table


def explain_tables(data: dict[str, Any] | None) -> list[Table]:
    """A model card's feature importance, conditional disparities and distribution shift tables."""
    if not data:
        return []
    extra = [t for t in (conditional_table(data), shift_table(data)) if t is not None]
    return attribution_tables(data) + extra
