"""The slices of one ``over`` and every metric on them: estimates, intervals and the draws the
disparities are computed from, whatever the task.

A metric is identified by a :data:`MetricKey`: its name, the threshold (binary classification
with several operating points) and the class (multiclass per-class metrics).  For every key a
:class:`SliceSet` holds ``draws[key]`` of shape ``(1 + R, S)``: row 0 the estimate of each of
the ``S`` slices, rows 1… the bootstrap resamples (joint over the slices, so a difference between
two groups is computed resample by resample), and where the task has one, an analytic interval
per slice.  Tasks without a cell bootstrap (regression, scored, the probability metrics) draw
from their intervals (:func:`interval_draws`), independently per slice: the groups of one ``over``
are disjoint sets of rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .counts import CountTable

MetricKey = tuple[str, float | None, str | None]
"""``(metric, threshold, class)``; ``None`` where the metric has no threshold or class."""


def key(metric: str, threshold: float | None = None, class_: str | None = None) -> MetricKey:
    return (metric, threshold, class_)


@dataclass
class Interval:
    """Analytic intervals of one metric on every slice."""

    low: np.ndarray
    high: np.ndarray
    method: list[str | None]


@dataclass
class SliceSet:
    """Every slice of one ``over`` (a tuple of factor names; ``()`` is overall)."""

    over: tuple[str, ...]
    keys: list[dict[str, str]]
    n: np.ndarray
    """Rows in each slice, ``(S,)``."""
    draws: dict[MetricKey, np.ndarray] = field(default_factory=dict)
    """``(1 + R, S)``: row 0 the estimate, rows 1… the resamples (R may be 0)."""
    intervals: dict[MetricKey, Interval] = field(default_factory=dict)
    reasons: dict[MetricKey, str] = field(default_factory=dict)
    """Why a metric is undefined where its value is NaN."""
    n_eff: dict[MetricKey, np.ndarray] = field(default_factory=dict)
    """With weights: the effective sample size each metric's interval used, per slice."""
    weight: np.ndarray | None = None
    """With weights: each slice's total weight."""
    effective: np.ndarray | None = None
    """With weights: each slice's effective sample size."""
    counts: dict[float | None, np.ndarray] = field(default_factory=dict)
    """Binary: confusion counts ``(S, 4)`` (TN, FP, FN, TP) per threshold."""
    confusion: np.ndarray | None = None
    """Multiclass: confusion matrices ``(S, C, C)``."""
    calibration: list[list[dict[str, Any]]] | None = None
    """Binary with `expected_calibration_error`: the bins of each slice that hold rows (``bin``:
    the bin's index, which the published table leaves out)."""
    errors: dict[str, np.ndarray] = field(default_factory=dict)
    """Bounds of binned metrics per slice: ``auc``, ``average_precision``, ``quantiles``."""
    parametric: set[MetricKey] = field(default_factory=set)
    """Metrics whose draws come from their intervals, not from a bootstrap."""

    def value(self, k: MetricKey) -> np.ndarray:
        out: np.ndarray = self.draws[k][0]
        return out


def slice_keys(table: CountTable, over: tuple[str, ...]) -> list[dict[str, str]]:
    levels = [table.levels[table.factors.index(f)] for f in over]
    return [dict(zip(over, combo)) for combo in itertools.product(*levels)]


def interval_draws(value: np.ndarray, low: np.ndarray, high: np.ndarray, level: float, resamples: int,
                   rng: np.random.Generator, *, transform: str = "identity") -> np.ndarray:
    """``(1 + R, S)`` draws whose percentile interval is the given interval: a normal with the
    lower and upper half-widths on either side of the estimate (a two-piece normal, so the draws
    keep an asymmetric interval's shape), on the log scale for positive metrics whose interval
    stays above 0 (``log``), and kept within [0, 1] for shares (``unit``) or above 0 (``log``)."""
    from .distributions import z_value

    z = z_value(level)
    logs = transform == "log"
    scale = logs & (low > 0) if logs else np.zeros(len(value), dtype=bool)
    with np.errstate(all="ignore"):
        centre = np.where(scale, np.log(np.where(scale, value, 1.0)), value)
        lo = np.where(scale, np.log(np.where(scale, low, 1.0)), low)
        hi = np.where(scale, np.log(np.where(scale, high, 1.0)), high)
        below, above = (centre - lo) / z, (hi - centre) / z
    normal = rng.standard_normal((resamples, len(value)))
    spread = np.where(normal < 0, below, above)
    with np.errstate(all="ignore"):
        drawn = centre + normal * np.where(np.isfinite(spread), spread, np.nan)
        drawn = np.where(scale, np.exp(drawn), drawn)
    if transform == "unit":
        drawn = np.clip(drawn, 0.0, 1.0)
    elif logs:
        drawn = np.maximum(drawn, 0.0)
    drawn = np.where(np.isfinite(low) & np.isfinite(high), drawn, np.nan)
    return np.concatenate([value[None, :], drawn], axis=0)



