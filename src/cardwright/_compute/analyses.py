"""A model card's quantitative analyses: count once, estimate, resample, compare, gate."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError, Finding
from ..schema.analysis import Gate, QuantitativeAnalyses
from ..schema.results import AnalysisResults
from . import disparities as dsp
from .bootstrap import SliceSet, evaluate
from .counts import CountTable
from .intervals import (
    auc_logit_interval,
    auc_score_interval,
    balanced_accuracy_interval,
    f1_interval,
    percentile,
    wilson,
)
from .metrics import PROPORTIONS, UNDEFINED, proportion_parts
from .provenance import provenance
from .reading import Locate

#: Below this many positives or negatives, ROC AUC gets the (conservative) score interval instead
#: of DeLong's, whose variance is too small there (docs/statistics.md, measured coverage).
DELONG_MIN_CLASS = 30

def _num(x: Any) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def unsupported(spec: QuantitativeAnalyses) -> tuple[tuple[str | int, ...], str] | None:
    """``(key, what)`` for the first setting this version cannot compute yet, or ``None``."""
    from ..schema.metric_names import BINARY, BINARY_COUNT_METRICS

    if spec.task != BINARY:
        return ("task",), f"task {spec.task!r}"
    data = spec.data
    if data is not None:
        for key in ("thresholds", "weight", "class_scores", "pass_threshold"):
            if getattr(data, key) is not None:
                return ("data", key), f"`data.{key}`"
        if isinstance(data.positive_label, list):
            return ("data", "positive_label"), "a list of positive labels"
    for i, metric in enumerate(spec.metrics):
        if metric not in BINARY_COUNT_METRICS and metric != "roc_auc":
            return ("metrics", i), f"metric {metric!r}"
    for i, gate in enumerate(spec.gates):
        if gate.kind not in ("max_difference", "min_ratio"):
            return ("gates", i), f"a {gate.kind} gate"
        if gate.warning:
            return ("gates", i, "severity"), "a gate of severity warning"
    return None


def slice_sets(spec: QuantitativeAnalyses) -> list[tuple[str, ...]]:
    """Overall, each factor, then the intersections the card asks for (and those gates need)."""
    names = spec.factor_names
    overs: list[tuple[str, ...]] = [(), *((n,) for n in names)]
    if spec.intersections == "all":
        for k in range(2, len(names) + 1):
            overs += list(itertools.combinations(names, k))
    elif isinstance(spec.intersections, list):
        overs += [tuple(n for n in names if n in combo) for combo in spec.intersections]
    overs += [tuple(n for n in names if n in g.over) for g in spec.gates]
    return list(dict.fromkeys(o for o in overs if len(o) == len(set(o))))


def _default_locate(display: str) -> Locate:
    def at(_key: tuple[str | int, ...], message: str, hint: str) -> DataError:
        return DataError(Finding(display, "data-error", message, hint=hint))

    return at


def compute_analyses(
    spec: QuantitativeAnalyses,
    source: Any = None,
    *,
    base_dir: Path | None = None,
    locate: Locate | None = None,
    progress: bool = False,
    max_groups: int | None = None,
    engine: str | None = None,
    session: Any = None,
) -> AnalysisResults:
    """Compute ``spec`` from ``source``: a path, a pandas DataFrame, a pyarrow Table or a Spark
    DataFrame (``None``: what ``spec.data.path`` names, relative to ``base_dir``).  ``engine``
    overrides ``spec.engine``; ``session`` is the SparkSession the spark engine uses."""
    if spec.data is None:
        raise DataError(Finding("<card>", "data-error", "quantitative_analyses has no `data:`",
                                hint="name the evaluation file under quantitative_analyses.data"))
    from . import engines

    base = base_dir or Path.cwd()
    inp = engines.resolve(source, spec.data.path, spec.data.format, base)
    name, _reason = engines.choose(engine or spec.engine, inp)
    engines.require(name, inp.display)
    engines.check_input(name, inp)
    path = inp.path if inp.kind in ("file", "glob", "folder") else None
    loc = locate or _default_locate(inp.display)
    wanted = list(spec.metrics)
    if "roc_auc" in wanted + [g.metric for g in spec.gates] and spec.data.score is None:
        raise loc(("quantitative_analyses", "metrics"), "roc_auc needs scores, and `data` names no `score` column",
                  "add `score:` under data, or remove roc_auc from metrics")
    args = {"spec": spec.data, "factors": spec.factors, "missing_values": spec.missing_values,
            "locate": lambda key, m, h: loc(("quantitative_analyses", *key), m, h),
            "delimiter": spec.data.delimiter, **({} if max_groups is None else {"max_groups": max_groups})}
    table = engines.count_table(args, inp, name, progress=progress, session=session)
    overs = slice_sets(spec)
    from .decode import MAX_GROUPS, check_intersections

    check_intersections(table.factors, [len(lv) for lv in table.levels],
                        [tuple(table.factors.index(n) for n in o) for o in overs], max_groups or MAX_GROUPS,
                        lambda m, h: loc(("quantitative_analyses", "intersections"), m, h))
    needed = list(dict.fromkeys(
        [m for m in wanted if m != "count"] + ["selection_rate", "recall", "false_positive_rate"]
        + [m for g in spec.gates for m in dsp.needed_metrics(g.metric)]))
    if "count" not in needed:
        needed.append("count")
    sets = evaluate(table, overs, needed, resamples=spec.confidence.resamples, seed=spec.confidence.seed)
    prov = provenance(data_path=path, base_dir=base, sha256=inp.digest(), rows_read=table.rows_read,
                      rows_used=table.rows_used, dropped=table.dropped or {}, spec=spec, engine=name,
                      size=inp.size)
    results = build_results(spec, table, sets, overs, prov)
    if spec.conditional_disparities is not None or any(g.conditional_on for g in spec.gates):
        from .conditional import apply

        results = apply(spec, table, results)
    return results


def build_results(
    spec: QuantitativeAnalyses,
    table: CountTable,
    sets: dict[tuple[str, ...], SliceSet],
    overs: list[tuple[str, ...]],
    prov: dict[str, Any],
) -> AnalysisResults:
    conf = spec.confidence
    k = spec.min_group_size
    reported = [o for o in overs if o in _reported(spec)]
    slices, rows, unobserved = [], [], []
    for over in reported:
        ss = sets[over]
        for i, key in enumerate(ss.keys):
            n = int(ss.n[i])
            if n == 0:
                unobserved.append(key)
                continue
            small = n < k
            counts = dict(zip(("tn", "fp", "fn", "tp"), map(int, ss.conf[i])))
            slices.append({"slice": key, "n": n, "suppressed": small, **({} if small else counts)})
            for metric in spec.metrics:
                rows.append(_row(ss, i, key, metric, n, small, spec))
    auc_info = None
    if "roc_auc" in spec.metrics and table.bins is not None:
        errors = [float(np.nanmax(err, initial=0.0)) for o in reported
                  if (err := sets[o].auc_error) is not None and err.size]
        auc_info = {"method": table.bins.method, "bins": table.bins.size,
                    "max_error": max(errors, default=0.0) if table.bins.method == "binned" else 0.0}
    settings = {
        "factors": spec.factor_names, "metrics": list(spec.metrics), "level": conf.level,
        "resamples": conf.resamples, "seed": conf.seed, "interval_method": conf.method,
        "min_group_size": k, "missing_values": spec.missing_values,
        "positive_label": str(spec.data.positive_label) if spec.data else "1",
        "threshold": spec.data.threshold if spec.data and spec.data.prediction is None else None,
        "auc": auc_info,
    }
    disparity_rows = []
    for over in reported:
        if over:
            disparity_rows += _disparities(spec, sets[over], over)
    gates = [_gate(spec, sets, g) for g in spec.gates]
    return AnalysisResults.model_validate({
        "provenance": prov, "settings": settings, "slices": slices, "results": rows,
        "disparities": disparity_rows, "gates": gates, "unobserved": unobserved,
    })


def _reported(spec: QuantitativeAnalyses) -> set[tuple[str, ...]]:
    no_gates = spec.model_copy(update={"gates": []})
    return set(slice_sets(no_gates))


def reported_slice_sets(spec: QuantitativeAnalyses) -> list[tuple[str, ...]]:
    """The slice sets a results file reports (overall, factors, intersections), in order."""
    return slice_sets(spec.model_copy(update={"gates": []}))


def _row(ss: SliceSet, i: int, key: dict[str, str], metric: str, n: int, small: bool,
         spec: QuantitativeAnalyses) -> dict[str, Any]:
    row: dict[str, Any] = {"slice": key, "metric": metric, "n": n, "value": None, "suppressed": False}
    if metric == "count":
        row["value"] = float(n)
        return row
    if small:
        row.update(suppressed=True, reason=f"fewer than {spec.min_group_size} rows (min_group_size)")
        return row
    draws = ss.draws[metric]
    value = _num(draws[0, i])
    row["value"] = value
    if value is None:
        row["reason"] = UNDEFINED.get(metric, "undefined")
        return row
    conf = spec.confidence
    if conf.resamples <= 0:
        return row
    analytic = None
    if conf.method != "percentile":
        var = float(ss.auc_variance[i]) if metric == "roc_auc" and ss.auc_variance is not None else None
        analytic = _analytic_interval(metric, ss.conf[i], value, conf.level, var)
    if analytic is not None:
        lo, hi, method = analytic
        row.update(ci_low=_num(lo), ci_high=_num(hi), interval=method)
    else:
        lo, hi = percentile(draws[1:, i : i + 1], conf.level)
        method = "bootstrap-shifted" if metric == "roc_auc" else "bootstrap-percentile"
        row.update(ci_low=_num(lo[0]), ci_high=_num(hi[0]), interval=method)
    return row


def _analytic_interval(
    metric: str, conf: np.ndarray, value: float, level: float, auc_var: float | None = None
) -> tuple[Any, Any, str] | None:
    """Score-type intervals that keep their coverage for small groups and rates near 0 or 1,
    where the percentile bootstrap collapses (see docs/statistics.md)."""
    tn, fp, fn, tp = (float(c) for c in conf)
    if metric in PROPORTIONS:
        num, den = proportion_parts(conf, metric)
        return (*wilson(num, den, level), "wilson")
    if metric == "balanced_accuracy":
        return (*balanced_accuracy_interval(tp, fn, tn, fp, level), "wilson-effective")
    if metric == "f1":
        return (*f1_interval(tp, fp, fn, level), "wilson-transformed")
    if metric == "roc_auc":
        big = min(tp + fn, tn + fp) >= DELONG_MIN_CLASS
        if big and auc_var is not None and np.isfinite(auc_var) and auc_var > 0 and 0 < value < 1:
            return (*auc_logit_interval(value, auc_var, level), "delong-logit")
        return (*auc_score_interval(value, tp + fn, tn + fp, level), "auc-score")
    return None


def _reference(spec: QuantitativeAnalyses, ss: SliceSet, over: tuple[str, ...]) -> tuple[int | None, dict[str, str] | None]:
    refs = spec.reference_groups
    if not over or not all(f in refs for f in over):
        return None, None
    key = {f: str(refs[f]) for f in over}
    return (ss.keys.index(key) if key in ss.keys else -1), key


def _ci(draws: np.ndarray | None, level: float) -> tuple[float | None, float | None]:
    if draws is None or draws.shape[0] <= 1:
        return None, None
    lo, hi = percentile(draws[1:, None], level)
    return _num(lo[0]), _num(hi[0])


def _disparities(spec: QuantitativeAnalyses, ss: SliceSet, over: tuple[str, ...]) -> list[dict[str, Any]]:
    measures = [m for m in spec.metrics if m != "count"] + list(dsp.FAIRNESS)
    suppressed = ss.n < spec.min_group_size
    ref, ref_key = _reference(spec, ss, over)
    level = spec.confidence.level
    out = []
    for measure in measures:
        base = {"over": list(over), "metric": measure, "groups": 0}
        if ref is None:
            base["comparison"] = "between-groups"
            idx = dsp.eligible(ss, measure, suppressed, False)
            if len(idx) < 2:
                out.append({**base, "difference": None, "reason": "fewer than two groups to compare"})
                continue
            comps = dsp.components(ss, measure)
            summary = dsp.between(comps, idx, measure)
            first = comps[0][0]
            row = {**base, **_summary_fields(summary, level),
                   "highest": ss.keys[idx[np.argmax(first[idx])]],
                   "lowest": ss.keys[idx[np.argmin(first[idx])]]}
            out.append(row)
            continue
        base.update(comparison="to-reference", reference=ref_key)
        idx = dsp.eligible(ss, measure, suppressed, False)
        if ref < 0 or ref not in idx:
            out.append({**base, "difference": None,
                        "reason": "the reference group is suppressed, unobserved or undefined for this metric"})
            continue
        if len(idx) < 2:
            out.append({**base, "difference": None, "reason": "no other group to compare with the reference"})
            continue
        diff, rat, summary = dsp.to_reference(dsp.components(ss, measure), ref, idx, measure)
        out.append({**base, **_summary_fields(summary, level)})
        for j, g in enumerate(i for i in idx if i != ref):
            lo, hi = _ci(diff[:, j], level)
            row = {**base, "group": ss.keys[g], "groups": 2, "difference": _num(diff[0, j]),
                   "ci_low": lo, "ci_high": hi}
            if rat is not None:
                rlo, rhi = _ci(rat[:, j], level)
                row.update(ratio=_num(rat[0, j]), ratio_ci_low=rlo, ratio_ci_high=rhi)
            out.append(row)
    return out


def _summary_fields(summary: dsp.Summary, level: float) -> dict[str, Any]:
    lo, hi = _ci(summary.difference, level)
    fields: dict[str, Any] = {"difference": _num(summary.difference[0]), "ci_low": lo, "ci_high": hi,
                              "groups": summary.groups}
    if summary.ratio is not None:
        rlo, rhi = _ci(summary.ratio, level)
        fields.update(ratio=_num(summary.ratio[0]), ratio_ci_low=rlo, ratio_ci_high=rhi)
    return fields


def _gate(spec: QuantitativeAnalyses, sets: dict[tuple[str, ...], SliceSet], gate: Gate) -> dict[str, Any]:
    over = tuple(n for n in spec.factor_names if n in gate.over)
    kind = "max_difference" if gate.max_difference is not None else "min_ratio"
    limit = gate.max_difference if kind == "max_difference" else gate.min_ratio
    assert limit is not None  # the schema requires exactly one limit
    row = {"metric": gate.metric, "over": list(over), "kind": kind, "limit": limit, "use": gate.use,
           "value": None, "passed": False, "groups": 0, "include_suppressed": gate.include_suppressed}
    unknown = [f for f in gate.over if f not in spec.factor_names]
    if unknown:
        return {**row, "reason": f"not a factor: {', '.join(unknown)}"}
    ss = sets[over]
    ref, _ = _reference(spec, ss, over)
    summary, reason = dsp.summarize(ss, gate.metric, ss.n < spec.min_group_size,
                                    reference=None if ref is None else (ref if ref >= 0 else -1),
                                    include_suppressed=gate.include_suppressed)
    if summary is None:
        return {**row, "reason": reason}
    row["groups"] = summary.groups
    stat = summary.difference if kind == "max_difference" else summary.ratio
    if stat is None:
        return {**row, "reason": f"{gate.metric} has no ratio; use max_difference"}
    if gate.use == "estimate":
        value = _num(stat[0])
    else:
        if stat.shape[0] <= 1:
            return {**row, "reason": "interval gates need confidence.resamples > 0"}
        lo, hi = _ci(stat, spec.confidence.level)
        value = hi if kind == "max_difference" else lo
    if value is None:
        return {**row, "reason": "the compared value is undefined"}
    passed = value <= limit if kind == "max_difference" else value >= limit
    return {**row, "value": value, "passed": bool(passed)}
