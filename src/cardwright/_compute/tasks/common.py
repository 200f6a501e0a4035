"""What the tasks that summarise numbers (regression, scored) share: slice sizes and effective
sample sizes, moments about the column's centre, histogram quantiles, and metrics with analytic
intervals whose draws come from those intervals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...schema.analysis import QuantitativeAnalyses
from ..counts import CountTable
from ..quantiles import interval as quantile_interval
from ..quantiles import quantile
from ..slices import Interval, MetricKey, SliceSet, interval_draws

ROUNDING = 8 * 2.0**-52
"""Relative rounding of a second moment ``E[x²]``: values are rounded about their column's centre
before the exact sums, and each moment is divided once by the weight.  A variance within
``ROUNDING · (E[(x − c)²] + c²)`` of zero cannot be told from zero."""


@dataclass
class Sizes:
    rows: np.ndarray
    """Rows per slice."""
    weight: np.ndarray
    """Total weight per slice (the rows without weights)."""
    n_eff: np.ndarray
    """Kish's effective sample size (the rows without weights)."""
    weighted: bool


def sizes(table: CountTable, over: tuple[str, ...]) -> Sizes:
    counts = table.over(over)
    slices = int(np.prod(counts.shape[: len(over)], dtype=np.int64))
    n = counts.reshape(slices, -1).sum(-1).astype(np.float64)
    w = table.sums_over("weight", over)
    w2 = table.sums_over("weight2", over)
    if w is None or w2 is None:
        return Sizes(n, n, n, False)
    total = w.reshape(len(n), -1).sum(-1)
    total2 = w2.reshape(len(n), -1).sum(-1)
    n_eff = np.divide(total * total, total2, out=np.zeros(len(n)), where=total2 > 0)
    return Sizes(n, total, n_eff, True)


def moments(table: CountTable, over: tuple[str, ...], size: Sizes) -> dict[str, np.ndarray]:
    """Every summed statistic of ``over``'s slices divided by the slice's weight: ``E[stat]``."""
    got = table.sums.get("values")
    values = table.sums_over("values", over)
    if got is None or values is None:
        return {}
    flat = values.reshape(len(size.rows), -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {name: np.where(size.weight > 0, flat[:, i] / size.weight, np.nan) for i, name in enumerate(got.stats)}


def adopt(ss: SliceSet, k: MetricKey, value: np.ndarray, low: np.ndarray, high: np.ndarray, methods: list[str | None],
          *, spec: QuantitativeAnalyses, rng: np.random.Generator, transform: str, reason: str,
          size: Sizes) -> None:
    """A metric with analytic intervals, and draws from them for the disparities."""
    conf = spec.confidence
    ss.reasons[k] = reason
    ss.intervals[k] = Interval(low, high, methods)
    ss.draws[k] = interval_draws(value, low, high, conf.level, max(0, conf.resamples), rng, transform=transform)
    ss.parametric.add(k)
    if size.weighted:
        ss.n_eff[k] = size.n_eff


def quantiles(table: CountTable, over: tuple[str, ...], q: float, size: Sizes, level: float,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str | None]]:
    """``(value, error bound, low, high, method)`` of the ``q`` quantile on every slice."""
    got = table.hist_over(over)
    assert got is not None
    counts, lo, hi = got
    weights = counts.astype(np.float64)
    if size.weighted:
        hw = table.sums_over("hist_weight", over)
        assert hw is not None
        weights = hw[..., 0].reshape(counts.shape)
    s = len(size.rows)
    value, error = np.full(s, np.nan), np.full(s, np.nan)
    low, high = np.full(s, np.nan), np.full(s, np.nan)
    methods: list[str | None] = [None] * s
    for i in range(s):
        located = quantile(weights[i], lo[i], hi[i], q, unit=not size.weighted)
        if located is None:
            continue
        value[i], error[i] = located.value, located.error
        bounds = quantile_interval(weights[i], lo[i], hi[i], q, level, float(size.n_eff[i]))
        if bounds is not None:  # holding the estimate (a weighted one at a low level may fall outside)
            low[i], high[i] = min(bounds[0], located.value), max(bounds[1], located.value)
            methods[i] = "order-statistic"
    return value, error, low, high, methods
