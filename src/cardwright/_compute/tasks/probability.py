"""The probability metrics of a binary classifier, from exact sums per cell, label and
calibration bin: Brier score and log loss (means of per-row losses), expected calibration error
and the calibration table (scikit-learn's ``calibration_curve`` with equal-width bins).

Intervals: the Brier score and log loss are means of non-negative losses (the gamma interval of
:func:`..intervals.mean_interval`, with the effective sample size under weights), drawn from for
disparities; the expected calibration error gets the inverted parametric bootstrap test of
:mod:`.ece_interval` (ECE is biased upwards by an amount that depends on every bin's true gap, so
no interval around the estimate covers), and draws that reproduce that interval for disparities.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...schema.analysis import QuantitativeAnalyses
from ..counts import CountTable
from ..intervals import mean_interval
from ..metrics import UNDEFINED
from ..slices import Interval, MetricKey, SliceSet, interval_draws
from .ece_interval import bin_variance, ece_interval

LOSSES = {"brier_score": "brier", "log_loss": "loss"}


def _sizes(table: CountTable, over: tuple[str, ...], values: np.ndarray, index: dict[str, int],
           ) -> tuple[np.ndarray, np.ndarray]:
    """``(total weight or rows, effective sample size)`` of each slice."""
    total = values[..., index["n"]].sum(axis=(1, 2))
    w2 = table.sums_over("weight2", over)
    if w2 is None:
        return total, total
    total2 = w2[..., 0].reshape(len(total), -1).sum(-1)
    return total, np.divide(total * total, total2, out=np.zeros(len(total)), where=total2 > 0)


def evaluate_probability(table: CountTable, spec: QuantitativeAnalyses, overs: list[tuple[str, ...]],
                         metrics: list[str], out: dict[tuple[str, ...], SliceSet]) -> None:
    got = table.sums.get("values")
    assert got is not None
    index = {name: i for i, name in enumerate(got.stats)}
    conf = spec.confidence
    rng = np.random.default_rng([conf.seed, 1])
    for over in overs:
        ss = out[over]
        values = table.sums_over("values", over)
        assert values is not None
        total, n_eff = _sizes(table, over, values, index)
        for metric in metrics:
            k: MetricKey = (metric, None, None)
            ss.reasons[k] = UNDEFINED[metric]
            if metric in LOSSES:
                _loss(ss, k, LOSSES[metric], values, index, total, n_eff, spec, rng)
            if total.size and table.plan is not None and table.plan.weighted:
                ss.n_eff[k] = n_eff
    if "expected_calibration_error" in metrics:
        _calibration(table, spec, overs, out, index)


def _loss(ss: SliceSet, k: MetricKey, name: str, values: np.ndarray, index: dict[str, int], total: np.ndarray,
          n_eff: np.ndarray, spec: QuantitativeAnalyses, rng: np.random.Generator) -> None:
    """A mean of per-row losses: each label's own form of the loss, summed over the bins."""
    def moment(suffix: str) -> np.ndarray | None:
        if f"{name}0{suffix}" not in index:
            return None
        summed = values[:, 0, :, index[f"{name}0{suffix}"]].sum(-1) + values[:, 1, :, index[f"{name}1{suffix}"]].sum(-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out: np.ndarray = np.where(total > 0, summed / total, np.nan)
        return out

    mean, square, cube = moment(""), moment("_2"), moment("_3")
    assert mean is not None and square is not None
    conf = spec.confidence
    low, high = np.full(len(mean), np.nan), np.full(len(mean), np.nan)
    methods: list[str | None] = [None] * len(mean)
    for i in range(len(mean)):
        if np.isfinite(mean[i]):
            low[i], high[i], methods[i] = mean_interval(float(mean[i]), float(square[i]), float(n_eff[i]),
                                                        conf.level, None if cube is None else float(cube[i]))
    low = np.maximum(low, 0.0)
    ss.intervals[k] = Interval(low, high, methods)
    ss.draws[k] = interval_draws(mean, low, high, conf.level, max(0, conf.resamples), rng, transform="log")
    ss.parametric.add(k)


def _calibration(table: CountTable, spec: QuantitativeAnalyses, overs: list[tuple[str, ...]],
                 out: dict[tuple[str, ...], SliceSet], index: dict[str, int]) -> None:
    conf = spec.confidence
    k: MetricKey = ("expected_calibration_error", None, None)
    edges = np.linspace(0.0, 1.0, spec.bins + 1)
    rng = np.random.default_rng([conf.seed, 2])
    rows_name = "rows" if "rows" in index else "n"
    for over in overs:
        ss = out[over]
        values = table.sums_over("values", over)
        assert values is not None
        weight, score, positive = _bins(values, index)
        with np.errstate(divide="ignore", invalid="ignore"):
            ece = np.where(weight.sum(-1) > 0, np.abs(positive - score).sum(-1) / weight.sum(-1), np.nan)
        rows = values[..., index[rows_name]].sum(axis=1)
        ss.calibration = [_table(edges, rows[i], weight[i], score[i], positive[i]) for i in range(len(ece))]
        ss.draws[k] = ece[None, :]
        if conf.resamples > 0:
            scale = _design_effect(ss, rows)
            draws, interval = _ece_intervals(values, index, rows * scale[:, None], ece, conf.level, conf.resamples, rng)
            ss.draws[k], ss.intervals[k] = draws, interval
            ss.parametric.add(k)


def _design_effect(ss: SliceSet, rows: np.ndarray) -> np.ndarray:
    """Effective rows per row of each slice (1 without weights)."""
    total = rows.sum(-1)
    if ss.effective is None:
        return np.ones(len(total))
    out: np.ndarray = np.divide(ss.effective, total, out=np.ones(len(total)), where=total > 0)
    return out


def _bins(values: np.ndarray, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per slice and bin: total weight, summed (weighted) score, weight of the positives."""
    weight = values[..., index["n"]].sum(axis=-2)
    score = values[..., index["s"]].sum(axis=-2)
    positive = values[..., 1, :, index["n"]]
    return weight, score, positive


def _table(edges: np.ndarray, rows: np.ndarray, weight: np.ndarray, score: np.ndarray, positive: np.ndarray,
           ) -> list[dict[str, Any]]:
    out = []
    for b in np.flatnonzero(rows > 0):
        out.append({"bin": int(b), "low": float(edges[b]), "high": float(edges[b + 1]), "n": round(float(rows[b])),
                    "mean_score": float(score[b] / weight[b]) if weight[b] > 0 else None,
                    "fraction_positive": float(positive[b] / weight[b]) if weight[b] > 0 else None})
    return out


def _ece_intervals(values: np.ndarray, index: dict[str, int], n: np.ndarray, ece: np.ndarray, level: float,
                   resamples: int, rng: np.random.Generator) -> tuple[np.ndarray, Interval]:
    """Each slice's ECE interval (:func:`.ece_interval.ece_interval`), and draws for disparities
    that reproduce it (as for the other analytic intervals)."""
    weight, score, positive = _bins(values, index)
    ys = values[..., 1, :, index["s"]]
    s2 = values[..., index["s2"]].sum(axis=-2)
    low, high = np.full(len(ece), np.nan), np.full(len(ece), np.nan)
    for i in range(len(ece)):
        total = weight[i].sum()
        if not np.isfinite(ece[i]) or total <= 0:
            continue
        used = weight[i] > 0
        gap = (positive[i][used] - score[i][used]) / weight[i][used]
        second = (positive[i][used] - 2 * ys[i][used] + s2[i][used]) / weight[i][used]
        var = bin_variance(gap, second, positive[i][used] / weight[i][used], n[i][used])
        low[i], high[i] = ece_interval(weight[i][used] / total, gap, var, float(n[i].sum()), level, resamples, rng)
    methods: list[str | None] = ["profile-bootstrap" if np.isfinite(lo) else None for lo in low]
    draws = interval_draws(ece, low, high, level, resamples, rng, transform="log")
    return draws, Interval(low, high, methods)
