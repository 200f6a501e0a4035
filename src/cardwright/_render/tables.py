"""Computed results laid out for reading: summary, tables, charts, provenance.

Takes the results document (the tidy rows of ``cardwright compute``, as a dict or a pydantic
model) and the card's computation spec; formats, never computes.  A value is printed as
``0.912 (0.905–0.918)``; a suppressed group shows ``suppressed †`` with the reason in a note.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .charts import Point, dot_plot
from .text import SUPPRESSED, anchor, fmt, humanize, ordered_keys, slice_label, with_interval


@dataclass
class Table:
    """A table with a caption; the first column holds row headers."""

    id: str
    caption: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    charts: list[dict[str, str]] = field(default_factory=list)
    details: list[Table] = field(default_factory=list)
    heading: str = ""


@dataclass
class AnalysesView:
    computed: bool
    level: str = "95%"
    overall: Table | None = None
    factors: list[Table] = field(default_factory=list)
    intersections: list[Table] = field(default_factory=list)
    unobserved: list[dict[str, Any]] = field(default_factory=list)
    disparities: Table | None = None
    intersection_disparities: Table | None = None
    gates: Table | None = None
    gates_failed: int = 0
    provenance: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def has_summary(self) -> bool:
        return self.gates is not None or self.disparities is not None or self.overall is not None


def as_dict(results: Any) -> dict[str, Any] | None:
    """Results as plain JSON-like data, whatever form they were given in."""
    if results is None:
        return None
    if isinstance(results, BaseModel):
        return results.model_dump(mode="json", by_alias=True)
    return dict(results)


def _group_table(tid: str, caption: str, keys: list[str], rows: list[dict[str, Any]], metrics: list[str],
                 sizes: dict[tuple[tuple[str, str], ...], int | None] | None = None) -> Table:
    """One row per group: its size (from ``slices``: a row's ``n`` is its metric's denominator;
    ``suppressed †`` when the size is hidden) and each metric with its interval."""
    groups: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(tuple(str(r["slice"][k]) for k in keys), {})[r["metric"]] = r
    columns = [" × ".join(humanize(k) for k in keys), "n", *[humanize(m) for m in metrics]]
    body = []
    for g, by_metric in groups.items():
        key = tuple(sorted(zip(keys, g)))
        if sizes is not None and key in sizes:
            size = sizes[key]
            shown = SUPPRESSED if size is None else fmt(int(size))
        else:
            shown = fmt(int(max((r.get("n") or 0 for r in by_metric.values()), default=0)))
        cells = [" × ".join(g), shown]
        for m in metrics:
            row = by_metric.get(m)
            cells.append("–" if row is None else SUPPRESSED if row.get("suppressed") else with_interval(row))
        body.append(cells)
    return Table(tid, caption, columns, body)


def _charts(
    factor: str, rows: list[dict[str, Any]], metrics: list[str], overall: dict[str, Any]
) -> list[dict[str, str]]:
    charts = []
    for m in metrics:
        if m == "count":
            continue
        pts = [
            Point(
                str(r["slice"][factor]),
                r.get("value"),
                r.get("ci_low"),
                r.get("ci_high"),
                r.get("n"),
                bool(r.get("suppressed")) or r.get("value") is None,
            )
            for r in rows
            if r["metric"] == m
        ]
        if not pts:
            continue
        cid = anchor("chart", factor, m)
        title = f"{humanize(m)} by {humanize(factor).lower()}, with intervals"
        ov = overall.get(m, {}).get("value")
        charts.append(
            {
                "id": cid,
                "title": title,
                "svg": dot_plot(pts, chart_id=cid, title=title, metric=humanize(m), overall=ov),
            }
        )
    return charts


def _disparity_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    out = []
    for d in rows:
        ci = f"{fmt(d.get('ci_low'))} to {fmt(d.get('ci_high'))}" if d.get("ci_low") is not None else "–"
        over = " × ".join(humanize(k) for k in d.get("over", []))
        out.append(
            [
                humanize(d.get("metric", "")),
                over,
                _compared(d),
                fmt(d.get("difference")),
                ci,
                fmt(d.get("ratio")),
            ]
        )
    return out


_DISPARITY_COLUMNS = ["Metric", "Over", "Groups compared", "Difference", "Interval", "Ratio"]


def _disparities(view: AnalysesView, rows: list[dict[str, Any]], level: str) -> None:
    """The headline disparity of each metric and factor goes to the summary; per-group
    differences from the reference group go beside their factor's table; intersections'
    headline disparities get one table of their own."""
    headline = [_name_largest_gap(d, rows) for d in rows if d.get("group") is None]
    unitary = [d for d in headline if len(d.get("over", [])) == 1]
    if unitary:
        caption = f"Largest disparity per metric and factor ({level} intervals)"
        view.disparities = Table("disparities", caption, _DISPARITY_COLUMNS, _disparity_rows(unitary))
    multi = [d for d in headline if len(d.get("over", [])) > 1]
    if multi:
        caption = f"Largest disparity per metric within each intersection ({level} intervals)"
        view.intersection_disparities = Table(
            "intersection-disparities", caption, _DISPARITY_COLUMNS, _disparity_rows(multi)
        )
    for table in view.factors:
        factor = table.id.removeprefix("results-")
        mine = [d for d in rows if d.get("group") is not None and [anchor(k) for k in d.get("over", [])] == [factor]]
        if mine:
            ref = _slice_text(mine[0].get("reference") or {})
            caption = f"Differences from the reference group ({ref}), {level} intervals"
            table.details.append(Table(f"{table.id}-disparities", caption, _DISPARITY_COLUMNS, _disparity_rows(mine)))


def _name_largest_gap(headline: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A headline disparity against a reference group, with the group furthest from it named
    (the results give that group's own row; the headline holds the largest absolute gap)."""
    if headline.get("reference") is None:
        return headline
    if headline.get("pair") is not None:  # the results name the pair whose numbers the row holds
        return {**headline, "group": headline["pair"]}
    same = [
        r
        for r in rows
        if r.get("group") is not None
        and r.get("metric") == headline.get("metric")
        and r.get("over") == headline.get("over")
        and r.get("difference") is not None
    ]
    if not same:
        return headline
    return {**headline, "group": max(same, key=lambda r: abs(r["difference"]))["group"]}


def _slice_text(s: Any) -> str:
    if isinstance(s, dict):
        return " × ".join(str(v) for v in s.values()) or "all rows"
    return str(s)


def _compared(d: dict[str, Any]) -> str:
    """Which groups a disparity row compares, in words."""
    if d.get("group") is not None or d.get("reference") is not None:
        return f"{_slice_text(d.get('group') or {})} vs {_slice_text(d.get('reference') or {})} (reference)"
    if d.get("highest") is not None and d.get("lowest") is not None:
        return f"highest {_slice_text(d['highest'])} vs lowest {_slice_text(d['lowest'])}"
    if d.get("comparison") == "to-reference":
        return "largest gap to the reference"
    return "highest vs lowest group"


def _limit(gate: dict[str, Any], spec_gates: list[Any]) -> str:
    spec = next(
        (g for g in spec_gates if g.metric == gate.get("metric") and list(g.over) == list(gate.get("over", []))),
        None,
    )
    limit = gate.get("limit")
    if gate.get("kind") == "min_ratio":
        return f"ratio ≥ {fmt(limit)}"
    if gate.get("kind") == "max_difference":
        return f"difference ≤ {fmt(limit)}"
    if spec is not None and spec.min_ratio is not None:
        return f"ratio ≥ {fmt(spec.min_ratio)}"
    if spec is not None and spec.max_difference is not None:
        return f"difference ≤ {fmt(spec.max_difference)}"
    return fmt(limit)


def analyses_view(qa: Any, results: Any) -> AnalysesView:
    """The quantitative-analyses view for a card's spec ``qa`` and its results (or ``None``)."""
    data = as_dict(results)
    level = f"{qa.confidence.level * 100:g}%"
    if not data or not data.get("results"):
        msg = "Not computed yet: run `cardwright compute` on this card (or `cardwright render`, which computes first)."
        return AnalysesView(False, level, message=msg if qa.data is not None else "")
    view = AnalysesView(True, level)
    order = list(qa.factor_names)
    metrics = [m for m in qa.metrics if any(r["metric"] == m for r in data["results"])]
    extra = sorted({r["metric"] for r in data["results"]} - set(metrics))
    metrics += extra
    overall_rows = [r for r in data["results"] if not r.get("slice")]
    overall = {r["metric"]: r for r in overall_rows}
    if overall_rows:
        view.overall = Table(
            "overall",
            f"Overall results ({level} intervals)",
            ["Metric", f"Value ({level} interval)", "n"],
            [[humanize(m), with_interval(overall[m]), fmt(overall[m].get("n"))] for m in metrics if m in overall],
        )
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in data["results"]:
        if r.get("slice"):
            by_keys.setdefault(ordered_keys(r["slice"], order), []).append(r)
    sizes = {tuple(sorted((str(k), str(v)) for k, v in sl["slice"].items())): sl.get("n")
             for sl in data.get("slices") or [] if not sl.get("evaluation") and not sl.get("threshold")}
    any_suppressed = False
    for keys, rows in sorted(
        by_keys.items(), key=lambda kv: (len(kv[0]), [order.index(k) if k in order else 99 for k in kv[0]])
    ):
        title = " × ".join(humanize(k).lower() for k in keys)
        heading = f"By {title}"
        table = _group_table(
            anchor("results", *keys), f"Results by {title} ({level} intervals)", list(keys), rows, metrics, sizes
        )
        table.heading = heading
        any_suppressed = any_suppressed or any(r.get("suppressed") for r in rows)
        if len(keys) == 1:
            table.charts = _charts(keys[0], rows, metrics, overall)
            view.factors.append(table)
        else:
            view.intersections.append(table)
    reasons = sorted({str(r["reason"]) for r in data["results"] if r.get("suppressed") and r.get("reason")})
    if any_suppressed:
        view.notes.append(
            f"† Suppressed: the group has fewer than {qa.min_group_size} rows (`min_group_size`), "
            "too few for a reliable estimate, so its metrics are not shown and it is left out of gates; "
            f"or a count behind the value is below {qa.min_cell_size} (`min_cell_size`), or would give "
            "one away, so it is not published." + (f" Reason given: {'; '.join(reasons)}." if reasons else "")
        )
    undefined = sorted(
        {
            f"{humanize(r['metric'])}: {r['reason']}"
            for r in data["results"]
            if r.get("value") is None and not r.get("suppressed") and r.get("reason")
        }
    )
    if undefined:
        view.notes.append("– Undefined: " + "; ".join(undefined) + ".")
    # Intersections with no rows at all: every combination of observed groups that has no result.
    groups = {
        keys[0]: list(dict.fromkeys(str(r["slice"][keys[0]]) for r in rows))
        for keys, rows in by_keys.items()
        if len(keys) == 1
    }
    listed = data.get("unobserved")
    if isinstance(listed, list):  # the results say which intersections never occur
        for u in listed:
            s = u.get("slice", u) if isinstance(u, dict) else {}
            names = list(ordered_keys(s, order))
            view.unobserved.append({"over": " × ".join(humanize(k) for k in names), "group": slice_label(s, names)})
    else:
        for keys, rows in by_keys.items():
            if len(keys) < 2 or not all(k in groups for k in keys):
                continue
            seen = {tuple(str(r["slice"][k]) for k in keys) for r in rows}
            for combo in itertools.product(*(groups[k] for k in keys)):
                if combo not in seen:
                    view.unobserved.append({"over": " × ".join(humanize(k) for k in keys), "group": " × ".join(combo)})
    _disparities(view, data.get("disparities") or [], level)
    if data.get("gates"):
        gate_rows = []
        for g in data["gates"]:
            passed = bool(g.get("passed"))
            view.gates_failed += not passed
            gate_rows.append(
                [
                    humanize(g.get("metric", "")),
                    " × ".join(humanize(k) for k in g.get("over", [])),
                    "PASS" if passed else "FAIL",
                    fmt(g.get("value")),
                    _limit(g, qa.gates),
                ]
            )
            if g.get("reason"):
                view.notes.append(f"Gate on {humanize(g.get('metric', ''))}: {g['reason']}.")
        view.gates = Table("gates", "Gates", ["Metric", "Over", "Result", "Value", "Limit"], gate_rows)
    view.provenance = provenance(data)
    return view


def provenance(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The results' provenance block as labelled lines (every key kept)."""
    prov = data.get("provenance") or {}
    out = []
    for k, v in prov.items():
        if isinstance(v, dict) and v:
            v = ", ".join(f"{a}: {fmt(b)}" for a, b in v.items())
        out.append((humanize(k), fmt(v)))
    return out


_PER_EVALUATION = ("slices", "results", "disparities", "gates", "unobserved", "calibration")


def evaluation_results(data: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    """The part of a list card's results that belongs to evaluation ``name``, shaped as the
    results of a single evaluation (its provenance and settings from ``evaluations``)."""
    if not data or not data.get("evaluations"):
        return None
    entry = next((e for e in data["evaluations"] if e.get("name") == name), None)
    if entry is None:
        return None
    out: dict[str, Any] = {"provenance": entry.get("provenance"), "settings": entry.get("settings")}
    for key in _PER_EVALUATION:
        rows = [r for r in data.get(key) or [] if isinstance(r, dict) and r.get("evaluation") == name]
        out[key] = [r.get("slice", r) for r in rows] if key == "unobserved" else rows
    return out


def evaluations_view(evaluations: list[Any], results: Any) -> AnalysesView:
    """One view of several named evaluations: each evaluation's tables in turn, headed by its
    name; disparities, gates, notes and provenance of all of them together."""
    data = as_dict(results)
    views = [(ev.name, analyses_view(ev, evaluation_results(data, ev.name))) for ev in evaluations]
    merged = AnalysesView(any(v.computed for _, v in views), views[0][1].level if views else "95%")
    merged.message = next((v.message for _, v in views if v.message), "")
    disparities: list[list[str]] = []
    gates: list[list[str]] = []
    for name, v in views:
        for table in [t for t in (v.overall,) if t is not None] + v.factors + v.intersections:
            table.id = anchor(name, table.id)
            table.heading = f"{name}: {table.heading or table.caption}"
            table.caption = f"{name}: {table.caption}"
            for chart in table.charts:
                chart["id"] = anchor(name, chart["id"])
        merged.factors += ([v.overall] if v.overall is not None else []) + v.factors
        merged.intersections += v.intersections
        merged.unobserved += [{**u, "over": f"{name}: {u['over']}"} for u in v.unobserved]
        for summary, bucket in ((v.disparities, disparities), (v.intersection_disparities, disparities), (v.gates, gates)):
            if summary is not None:
                bucket += [[f"{name}: {row[0]}", *row[1:]] for row in summary.rows]
        merged.gates_failed += v.gates_failed
        merged.notes += [f"{name}: {n}" for n in v.notes]
        merged.provenance += [(f"{name}: {k}", val) for k, val in v.provenance]
    if disparities:
        merged.disparities = Table("disparities", f"Largest disparity per metric and factor ({merged.level} intervals)",
                                   _DISPARITY_COLUMNS, disparities)
    if gates:
        merged.gates = Table("gates", "Gates", ["Metric", "Over", "Result", "Value", "Limit"], gates)
    return merged
