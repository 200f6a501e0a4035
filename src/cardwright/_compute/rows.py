"""Results rows from the evaluated slices: one row per slice × metric (× threshold or class),
the slices' published counts, the calibration tables and the settings block."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..schema.analysis import QuantitativeAnalyses
from ..schema.metric_names import BINARY, MULTICLASS, PER_CLASS_METRICS, threshold_dependent
from .counts import CountTable
from .intervals import percentile
from .slice_privacy import CONFUSION, Shield
from .slices import MetricKey, SliceSet

BOOTSTRAP = {"roc_auc": "bootstrap-shifted", "average_precision": "bootstrap-shifted"}


def num(x: Any) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def thresholds(spec: QuantitativeAnalyses, table: CountTable) -> list[float] | None:
    """The operating points rows are reported at (``None``: one, unnamed)."""
    if spec.task != BINARY or spec.data is None or spec.data.thresholds is None or table.plan is None:
        return None
    return list(table.plan.thresholds or ())


def per_class(spec: QuantitativeAnalyses) -> bool:
    return spec.task == MULTICLASS and bool(spec.per_class)


def metric_keys(spec: QuantitativeAnalyses, table: CountTable, metrics: list[str]) -> list[MetricKey]:
    """The rows of each slice, in order: every metric, at every threshold, then per class."""
    points = thresholds(spec, table)
    out: list[MetricKey] = []
    for metric in metrics:
        if points is not None and threshold_dependent(spec.task, metric):
            out += [(metric, t, None) for t in points]
        else:
            out.append((metric, None, None))
    if per_class(spec):
        out += [(m, None, c) for m in PER_CLASS_METRICS for c in table.classes or []]
    return out


def interval(ss: SliceSet, k: MetricKey, i: int, level: float) -> tuple[float | None, float | None, str | None]:
    """The interval a results row shows: the analytic one where the task has it, else the
    percentile interval of the bootstrap draws (widened, where it must be, to contain the estimate)."""
    got = ss.intervals.get(k)
    if got is not None and got.method[i] is not None:
        return num(got.low[i]), num(got.high[i]), got.method[i]
    draws = ss.draws[k]
    if draws.shape[0] <= 1 or k in ss.parametric:
        return None, None, None
    lo, hi = percentile(draws[1:, i : i + 1], level)
    low, high = around((num(lo[0]), num(hi[0])), num(draws[0, i]))
    return low, high, BOOTSTRAP.get(k[0], "bootstrap-percentile")


def around(interval: tuple[float | None, float | None], estimate: float | None) -> tuple[float | None, float | None]:
    """A percentile interval widened, where it must be, to contain its own estimate (the bootstrap
    distribution of a difference near 0, or of a ratio at 1, can sit to one side of it)."""
    lo, hi = interval
    if lo is None or hi is None or estimate is None:
        return lo, hi
    return min(lo, estimate), max(hi, estimate)


NO_WEIGHT = "no weight: every row of the slice has weight 0"
"""Why a slice whose rows all weigh 0 has no value, whatever the metric (its `count` still says
how many rows it has)."""


def result_row(ss: SliceSet, i: int, k: MetricKey, spec: QuantitativeAnalyses, evaluation: str | None,
               shield: Shield) -> dict[str, Any]:
    """One slice's row of one metric, with what the protection lets it publish."""
    return shield.publish(ss.over, i, k, _row(ss, i, k, spec, evaluation, shield.small(ss.over, i, k)))


def _row(ss: SliceSet, i: int, k: MetricKey, spec: QuantitativeAnalyses, evaluation: str | None,
         small: bool) -> dict[str, Any]:
    metric, threshold, class_ = k
    n = int(ss.n[i])
    row: dict[str, Any] = {"slice": ss.keys[i], "metric": metric, "n": n, "value": None, "suppressed": False,
                           "evaluation": evaluation, "class": class_, "threshold": threshold}
    if metric == "count":
        row["value"] = float(n)
        return row
    if small:
        row.update(suppressed=True, reason=f"fewer than {spec.min_group_size} rows (min_group_size)")
        return row
    value = num(ss.draws[k][0, i])
    row["value"] = value
    if value is None:
        weightless = ss.weight is not None and n > 0 and not ss.weight[i] > 0
        row["reason"] = NO_WEIGHT if weightless else ss.reasons.get(k, "undefined")
        return row
    if k in ss.n_eff:
        row["n_effective"] = num(ss.n_eff[k][i])
    if spec.confidence.resamples <= 0:
        return row
    lo, hi, method = interval(ss, k, i, spec.confidence.level)
    if method is not None:
        row.update(ci_low=lo, ci_high=hi, interval=method)
    return row


def slice_rows(ss: SliceSet, i: int, evaluation: str | None, shield: Shield) -> list[dict[str, Any]]:
    """The published counts of one slice (one entry per threshold with several); a hidden count
    is ``None``."""
    over, axis = ss.over, shield.axis
    small = shield.small(over, i, ("count", None, None))
    hidden = shield.size_hidden(over, i)
    base: dict[str, Any] = {"evaluation": evaluation, "slice": ss.keys[i], "n": shield.count(over, i, axis.all),
                            "suppressed": small}
    if ss.weight is not None and not small and not hidden:
        base["weight"] = num(ss.weight[i])
        if ss.effective is not None:
            base["n_effective"] = num(ss.effective[i])
    if ss.confusion is not None and shield.matrix_published(over, i):
        k = ss.confusion.shape[-1]
        base["confusion"] = [[shield.count(over, i, axis.matrix(a, b)) for b in range(k)] for a in range(k)]
    if not ss.counts:
        return [base]
    out = []
    for threshold in ss.counts:
        counts = {name: shield.count(over, i, axis.confusion(threshold, (c,))) for c, name in enumerate(CONFUSION)}
        out.append({**base, "threshold": threshold, **counts})
    return out


def calibration_rows(ss: SliceSet, evaluation: str | None, shield: Shield) -> list[dict[str, Any]]:
    """The calibration table of every slice that shows one: its size published and at least
    ``min_group_size``, each bin's counts protected with every other count
    (:mod:`.calibration_grid`)."""
    if ss.calibration is None:
        return []
    cal = shield.calibration
    return [{"evaluation": evaluation, "slice": ss.keys[i], "bins": cal.bins(ss.over, i, bins)}
            for i, bins in enumerate(ss.calibration)
            if cal.tables.get((ss.over, i), False) and not shield.size_hidden(ss.over, i)]


def settings(spec: QuantitativeAnalyses, table: CountTable, sets: dict[tuple[str, ...], SliceSet],
             reported: list[tuple[str, ...]]) -> dict[str, Any]:
    conf = spec.confidence
    data = spec.data
    binary = spec.task == BINARY
    positive = data.positive_label if data is not None else 1
    out: dict[str, Any] = {
        "task": None if binary else spec.task,
        "factors": spec.factor_names, "metrics": list(spec.metrics), "level": conf.level,
        "resamples": conf.resamples, "seed": conf.seed, "interval_method": conf.method,
        "min_group_size": spec.min_group_size, "min_group_size_applies_to": spec.min_group_size_applies_to,
        "min_cell_size": spec.min_cell_size, "missing_values": spec.missing_values,
        "positive_label": (([str(p) for p in positive] if isinstance(positive, list) else str(positive))
                           if binary else None),
        "threshold": data.threshold if binary and data is not None and data.prediction is None else None,
        "thresholds": thresholds(spec, table),
        "auc": _binned_info(table, sets, reported, "auc") if binary and "roc_auc" in spec.metrics else None,
        "average_precision": (_binned_info(table, sets, reported, "average_precision")
                              if binary and "average_precision" in spec.metrics else None),
        "quantiles": _quantile_info(table, sets, reported, data.path if data is not None else "<data>"),
    }
    if data is not None and data.weight is not None:
        out.update(weight=data.weight, effective_sample_size="kish")
    if spec.task == MULTICLASS:
        out.update(classes=list(table.classes or []), top_k=spec.k if data is not None and data.class_scores else None)
    if spec.task == "scored" and data is not None:
        out["pass_threshold"] = data.pass_threshold
    if binary and "expected_calibration_error" in spec.metrics:
        out["calibration_bins"] = spec.bins
    return out


def _binned_info(table: CountTable, sets: dict[tuple[str, ...], SliceSet], reported: list[tuple[str, ...]],
                 name: str) -> dict[str, Any] | None:
    if table.bins is None:
        return None
    errors = [float(np.nanmax(err, initial=0.0)) for o in reported
              if (err := sets[o].errors.get(name)) is not None and err.size]
    return {"method": table.bins.method, "bins": table.bins.size,
            "max_error": max(errors, default=0.0) if table.bins.method == "binned" else 0.0}


def _quantile_info(table: CountTable, sets: dict[tuple[str, ...], SliceSet], reported: list[tuple[str, ...]],
                   display: str) -> dict[str, Any] | None:
    if table.hist is None:
        return None
    errors = [float(np.nanmax(err, initial=0.0)) for o in reported
              if (err := sets[o].errors.get("quantiles")) is not None and err.size]
    worst = max(errors, default=0.0)
    _coarse_quantiles(sets, reported, display)
    return {"method": "exact" if worst == 0 else "binned", "bins": 1 << table.hist.grid.bits, "max_error": worst}


QUANTILE_METRICS = ("median_absolute_error", "p10", "p50", "p90")


def _coarse_quantiles(sets: dict[tuple[str, ...], SliceSet], reported: list[tuple[str, ...]], display: str) -> None:
    """A warning when a binned quantile's bound is not small beside its value: values spanning more
    than the grid's octaves share its lowest bin, and a quantile there is only known to that bin's
    width (the value is then within its bound, the interval wide enough, but a reader should know)."""
    from ..errors import Finding, warn

    for o in reported:
        ss = sets[o]
        error = ss.errors.get("quantiles")
        if error is None:
            continue
        for k in ss.draws:
            if k[0] not in QUANTILE_METRICS:
                continue
            value = ss.draws[k][0]
            with np.errstate(invalid="ignore"):
                coarse = np.flatnonzero(np.nan_to_num(error) > 0.01 * np.abs(np.nan_to_num(value)) + 1e-12)
            if coarse.size:
                i = int(coarse[0])
                where = ", ".join(f"{f}={g}" for f, g in ss.keys[i].items()) or "overall"
                warn(Finding(display, "coarse-quantile",
                             f"{k[0]} ({where}) = {float(value[i]):.6g} is only known to within "
                             f"±{float(error[i]):.3g}: the values span more than the histogram's 64 binary "
                             f"octaves (the largest is over 10^19 times the typical one)",
                             hint="check the column for a sentinel or an outlier (e.g. 1e22 for 'unknown'); "
                                  "`na_values:` or a `filter:` can leave it out", severity="warning"))
                return
