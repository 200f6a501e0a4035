"""The probability metrics of a binary classifier, from exact sums per cell, label and
calibration bin: Brier score and log loss (means of per-row losses), expected calibration error
and the calibration table (scikit-learn's ``calibration_curve`` with equal-width bins).

Intervals: the Brier score and log loss are means of non-negative losses (the gamma interval of
:func:`..intervals.mean_interval`, with the effective sample size under weights), drawn from for
disparities; the expected calibration error gets the basic bootstrap interval (twice the
estimate minus the percentiles of the resampled ECE), from resampling the cells, labels and bins
— ECE is biased upwards, and the basic interval corrects for that bias.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...schema.analysis import QuantitativeAnalyses
from ..counts import CountTable
from ..intervals import mean_interval, percentile
from ..metrics import UNDEFINED
from ..slices import Interval, MetricKey, SliceSet, interval_draws

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
    first = values[:, 0, :, index[f"{name}0"]].sum(-1) + values[:, 1, :, index[f"{name}1"]].sum(-1)
    second = values[:, 0, :, index[f"{name}0_2"]].sum(-1) + values[:, 1, :, index[f"{name}1_2"]].sum(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(total > 0, first / total, np.nan)
        square = np.where(total > 0, second / total, np.nan)
    conf = spec.confidence
    low, high = np.full(len(mean), np.nan), np.full(len(mean), np.nan)
    methods: list[str | None] = [None] * len(mean)
    for i in range(len(mean)):
        if np.isfinite(mean[i]):
            low[i], high[i], methods[i] = mean_interval(float(mean[i]), float(square[i]), float(n_eff[i]),
                                                        conf.level, positive=True)
    ss.intervals[k] = Interval(low, high, methods)
    ss.draws[k] = interval_draws(mean, low, high, conf.level, max(0, conf.resamples), rng, transform="log")
    ss.parametric.add(k)


def _calibration(table: CountTable, spec: QuantitativeAnalyses, overs: list[tuple[str, ...]],
                 out: dict[tuple[str, ...], SliceSet], index: dict[str, int]) -> None:
    cells = table.sums_over("values", table.factors)
    assert cells is not None
    shape = (*table.counts.shape[: len(table.factors)], *cells.shape[1:])
    cells = cells.reshape(shape)
    rows_name = "rows" if "rows" in index else "n"
    conf = spec.confidence
    draws = _ece_draws(table, cells, index, rows_name, overs, conf.resamples, conf.seed)
    k: MetricKey = ("expected_calibration_error", None, None)
    edges = np.linspace(0.0, 1.0, spec.bins + 1)
    for over in overs:
        ss = out[over]
        values = table.sums_over("values", over)
        assert values is not None
        weight, score, positive = _bins(values, index)
        with np.errstate(divide="ignore", invalid="ignore"):
            ece = np.where(weight.sum(-1) > 0, np.abs(positive - score).sum(-1) / weight.sum(-1), np.nan)
        ss.draws[k] = np.concatenate([ece[None, :], draws[over]], axis=0) if over in draws else ece[None, :]
        if over in draws:
            ss.intervals[k] = _basic(ece, draws[over], conf.level)
            ss.parametric.add(k)
        rows = values[..., index[rows_name]].sum(axis=1)
        ss.calibration = [_table(edges, rows[i], weight[i], score[i], positive[i]) for i in range(len(ece))]


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
        out.append({"low": float(edges[b]), "high": float(edges[b + 1]), "n": round(float(rows[b])),
                    "mean_score": float(score[b] / weight[b]) if weight[b] > 0 else None,
                    "fraction_positive": float(positive[b] / weight[b]) if weight[b] > 0 else None})
    return out


def _basic(estimate: np.ndarray, draws: np.ndarray, level: float) -> Interval:
    """The basic bootstrap interval ``[2θ − q_hi, 2θ − q_lo]``, within [0, 1]."""
    lo, hi = percentile(draws, level)
    low = np.clip(2 * estimate - hi, 0.0, 1.0)
    high = np.clip(2 * estimate - lo, 0.0, 1.0)
    ok = np.isfinite(estimate) & np.isfinite(lo)
    return Interval(np.where(ok, low, np.nan), np.where(ok, high, np.nan),
                    ["bootstrap-basic" if x else None for x in ok])


def _ece_draws(table: CountTable, cells: np.ndarray, index: dict[str, int], rows_name: str,
               overs: list[tuple[str, ...]], resamples: int, seed: int) -> dict[tuple[str, ...], np.ndarray]:
    """Resampled ECE of every slice: rows drawn over the cells × labels × bins, each drawn row
    carrying its entry's mean weight and mean score."""
    if resamples <= 0:
        return {}
    rows = cells[..., index[rows_name]]
    flat = np.rint(rows).astype(np.int64).ravel()
    nonzero = np.flatnonzero(flat)
    total = int(flat.sum())
    if total == 0:
        return {}
    with np.errstate(divide="ignore", invalid="ignore"):
        per_weight = np.where(rows > 0, cells[..., index["n"]] / rows, 0.0)
        per_score = np.where(rows > 0, cells[..., index["s"]] / rows, 0.0)
    rng = np.random.default_rng([seed, 2])
    collected: dict[tuple[str, ...], list[np.ndarray]] = {o: [] for o in overs}
    chunk = int(max(1, min(100, (1 << 22) // max(1, flat.size))))
    done = 0
    while done < resamples:
        r = min(chunk, resamples - done)
        full = np.zeros((r, flat.size))
        full[:, nonzero] = rng.multinomial(total, flat[nonzero] / total, size=r)
        full = full.reshape(r, *rows.shape)
        weight, score = full * per_weight, full * per_score
        for over in overs:
            w, s = _over_draws(table, weight, over), _over_draws(table, score, over)
            bin_w, bin_s, bin_p = w.sum(-2), s.sum(-2), w[..., 1, :]
            with np.errstate(divide="ignore", invalid="ignore"):
                collected[over].append(np.abs(bin_p - bin_s).sum(-1) / bin_w.sum(-1))
        done += r
    return {o: np.concatenate(parts, axis=0) for o, parts in collected.items()}


def _over_draws(table: CountTable, drawn: np.ndarray, over: tuple[str, ...]) -> np.ndarray:
    keep = {table.factors.index(f) for f in over}
    axes = tuple(1 + i for i in range(len(table.factors)) if i not in keep)
    sub = drawn.sum(axis=axes) if axes else drawn
    return sub.reshape(sub.shape[0], -1, *drawn.shape[1 + len(table.factors):])
