"""Regression: errors, squared errors and the fit of predictions to numeric labels, from exact
sums per slice (moments about the labels' mean, so a large mean costs no digits), and the median
absolute error from histograms.

Intervals (see docs/statistics.md): Hall's skewness-corrected Student interval for the signed
means (`mean_error`, `mean_label`, `mean_prediction`); for the means of unbounded positive errors
(`mean_absolute_error`, `mean_squared_error`, and its square root for the root mean squared error)
Hall's interval widened on the log scale by Bonett's constant n / (n − z) (`hall-bonett`), whose
upper end reaches further for the squared errors, whose tail is heavier (`hall-bonett-tail`); for
R² = 1 − MSE / Var(y), the MOVER combination of the mean squared error's and the labels'
variance's intervals on the log scale (`mover-log`); the distribution-free order-statistic
interval for the median absolute error.  With weights every interval uses Kish's effective
sample size.  Disparities draw from these intervals.
"""

from __future__ import annotations

import math

import numpy as np

from ...schema.analysis import QuantitativeAnalyses
from ..counts import CountTable
from ..distributions import t_quantile
from ..intervals import mean_interval, mover_difference, positive_mean_interval, variance_interval
from ..slices import MetricKey, SliceSet, slice_keys
from .common import ROUNDING, Sizes, adopt, moments, quantiles, sizes

SIGNED = {"mean_error": ("e", "e2", "e3"), "mean_label": ("y", "y2", "y3"), "mean_prediction": ("p", "p2", "p3")}
POSITIVE = {"mean_absolute_error": ("abs_e", "e2", "abs_e3"), "mean_squared_error": ("e2", "e4", "e6")}
_LOG_MAX = math.log(np.finfo(float).max)
UNDEFINED = {"r2": "undefined: the labels are constant (or fewer than two rows)"}


def evaluate(table: CountTable, spec: QuantitativeAnalyses, overs: list[tuple[str, ...]], wanted: list[str],
             ) -> dict[tuple[str, ...], SliceSet]:
    rng = np.random.default_rng([spec.confidence.seed, 3])
    out = {}
    for over in overs:
        size = sizes(table, over)
        ss = SliceSet(over, slice_keys(table, over), size.rows)
        if size.weighted:
            ss.weight, ss.effective = size.weight, size.n_eff
        mean = moments(table, over, size)
        for metric in wanted:
            _metric(ss, table, spec, metric, mean, size, rng)
        out[over] = ss
    return out


def _metric(ss: SliceSet, table: CountTable, spec: QuantitativeAnalyses, metric: str, mean: dict[str, np.ndarray],
            size: Sizes, rng: np.random.Generator) -> None:
    k: MetricKey = (metric, None, None)
    level = spec.confidence.level
    centre = table.plan.centre if table.plan is not None else 0.0
    if metric == "count":
        ss.draws[k] = size.rows[None, :]
        return
    if metric in SIGNED:
        first, second, third = SIGNED[metric]
        shift = centre if metric != "mean_error" else 0.0
        value = mean[first] + shift
        low, high, methods = _each(value - shift, mean[second], mean.get(third), size, level)
        adopt(ss, k, value, low + shift, high + shift, methods, spec=spec, rng=rng, transform="identity",
              reason="no rows", size=size)
    elif metric in POSITIVE or metric == "root_mean_squared_error":
        first, second, third = POSITIVE.get(metric, ("e2", "e4", "e6"))
        value = mean[first]
        low, high, methods = _each(value, mean[second], mean.get(third), size, level, positive=True,
                                   tail=metric != "mean_absolute_error")
        if metric == "root_mean_squared_error":
            value, low, high = np.sqrt(value), np.sqrt(np.maximum(low, 0.0)), np.sqrt(high)
            methods = [None if m is None else f"{m}-sqrt" for m in methods]
        low = np.maximum(low, 0.0)
        adopt(ss, k, value, low, high, methods, spec=spec, rng=rng, transform="log", reason="no rows", size=size)
    elif metric == "r2":
        value, low, high, methods = _r2(mean, size, level, centre)
        adopt(ss, k, value, low, high, methods, spec=spec, rng=rng, transform="identity", reason=UNDEFINED["r2"],
              size=size)
    elif metric == "median_absolute_error":
        value, error, low, high, methods = quantiles(table, ss.over, 0.5, size, level)
        ss.errors["quantiles"] = error
        adopt(ss, k, value, low, high, methods, spec=spec, rng=rng, transform="log", reason="no rows", size=size)


def _each(mean: np.ndarray, second: np.ndarray, third: np.ndarray | None, size: Sizes, level: float,
          positive: bool = False, tail: bool = False) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    """Each slice's interval of a mean: Hall's, or for an absolute or squared error
    (``positive``) Hall's widened on the log scale by Bonett's constant, its upper end reaching
    further for squared errors (``tail``)."""
    low, high = np.full(len(mean), np.nan), np.full(len(mean), np.nan)
    methods: list[str | None] = [None] * len(mean)
    for i in range(len(mean)):
        if np.isfinite(mean[i]) and size.n_eff[i] >= 2:
            args = (float(mean[i]), float(second[i]), float(size.n_eff[i]), level,
                    None if third is None else float(third[i]))
            lo, hi, method = positive_mean_interval(*args, tail=tail) if positive else mean_interval(*args)
            if math.isfinite(lo) and math.isfinite(hi):
                low[i], high[i], methods[i] = lo, hi, method
    return low, high, methods


def _r2(mean: dict[str, np.ndarray], size: Sizes, level: float, centre: float,
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str | None]]:
    """R² = 1 − MSE / V, V the labels' (population) variance.  The labels' moments are taken about
    the column's ``centre``: a variance within their rounding is no variance (constant labels, R²
    undefined), not a tiny one that would divide by noise.

    The interval is one for log(MSE / σ²), σ² the labels' variance, by Zou & Donner's (2008)
    MOVER from the two estimates' own intervals: the mean squared error's (`hall-bonett-tail`) and
    Bonett's kurtosis-aware interval of the labels' variance, each logged, and
    the correlation of the two estimates, (E[e²(y − ȳ)²] − MSE·V) / √(Var e² · Var (y − ȳ)²)
    (`mover-log`).  The delta method on log(MSE / V) with one symmetric quantile (`delta-log`,
    kept for slices of three rows) ignored that a mean of squared errors is skewed and covered
    86–93 % at 40 rows."""
    m1, m2 = mean["y"], mean["y2"]
    mse = mean["e2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        var = m2 - m1 * m1
        var = np.where(var > ROUNDING * (m2 + centre * centre), var, 0.0)
        value = np.where((var > 0) & (size.rows >= 2), 1 - mse / var, np.nan)
        mu4 = mean["y4"] - 4 * m1 * mean["y3"] + 6 * m1 * m1 * m2 - 3 * m1**4
        cross = mean["e2y2"] - 2 * m1 * mean["e2y"] + m1 * m1 * mse
    low, high = np.full(len(value), np.nan), np.full(len(value), np.nan)
    methods: list[str | None] = [None] * len(value)
    for i in range(len(value)):
        n = float(size.n_eff[i])
        if not (np.isfinite(value[i]) and mse[i] > 0 and n >= 3):
            continue
        got = _r2_mover(float(mse[i]), float(mean["e4"][i]), None if "e6" not in mean else float(mean["e6"][i]),
                        float(var[i]), float(mu4[i]), float(cross[i]), n, level)
        if got is None:
            got = _r2_delta(float(mse[i]), float(mean["e4"][i]), float(var[i]), float(mu4[i]), float(cross[i]), n,
                            level)
        if got is not None:
            low[i], high[i], methods[i] = got
    return value, low, high, methods


def _r2_mover(mse: float, e4: float, e6: float | None, var: float, mu4: float, cross: float, n: float,
              level: float) -> tuple[float, float, str] | None:
    spread_e2, spread_y2 = e4 - mse * mse, mu4 - var * var
    labels = variance_interval(var, mu4, n, level)
    if labels is None or not (spread_e2 > 0 and spread_y2 > 0):
        return None
    errors_low, errors_high, _ = positive_mean_interval(mse, e4, n, level, e6, tail=True)
    if not (math.isfinite(errors_low) and math.isfinite(errors_high)):
        return None
    rho = min(1.0, max(-1.0, (cross - mse * var) / math.sqrt(spread_e2 * spread_y2)))
    log_mse = math.log(mse)
    first = (log_mse, math.log(errors_low) if errors_low > 0 else -math.inf, math.log(errors_high))
    second = (math.log(var * n / (n - 1)), math.log(labels[0]), math.log(labels[1]))
    below, above = mover_difference(first, second, rho)
    if not (math.isfinite(below) or below == -math.inf) or not math.isfinite(above) or above > _LOG_MAX:
        return None  # an end that is not a number, or below any float: the delta method instead
    return 1 - math.exp(above), 1 - math.exp(below), "mover-log"


def _r2_delta(mse: float, e4: float, var: float, mu4: float, cross: float, n: float, level: float,
              ) -> tuple[float, float, str] | None:
    """The delta method on log(MSE / V), whose influence function is (e² − MSE) / MSE −
    ((y − ȳ)² − V) / V, with Student's quantile."""
    influence = ((e4 - mse * mse) / (mse * mse) + (mu4 - var * var) / (var * var)
                 - 2 * (cross - mse * var) / (mse * var))
    if not influence > 0:
        return None
    half = t_quantile(0.5 + level / 2, n - 1) * math.sqrt(influence / n)
    centre = math.log(mse / var)
    if centre + half > _LOG_MAX:  # the interval's low end is below any float: no interval
        return None
    return 1 - math.exp(centre + half), 1 - math.exp(centre - half), "delta-log"
