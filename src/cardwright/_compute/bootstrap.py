"""Point estimates and bootstrap draws for every slice, from the count table alone.

Resampling rows with replacement only changes how many rows land in each count cell, so one
multinomial draw of the row total over the cells (with the observed shares as probabilities) is
one row-bootstrap resample.  The draw is joint over all cells: every slice, and every difference
between slices, is computed from the same resamples, so a disparity's interval reflects the
same draws as its groups.

For ROC AUC the cells include score bins.  Resampling thousands of fine bins per cell would be
slow, so the bootstrap uses up to 64 coarse quantile bins and shifts each resampled AUC by the
difference between the fine and coarse AUC of the observed data ("bootstrap-shifted", see
docs/statistics.md).  With few distinct scores the coarse bins are the fine bins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from .counts import CountTable
from .metrics import average_precision, average_precision_error, count_metrics, roc_auc

MAX_CATEGORIES = 6000
MIN_COARSE, MAX_COARSE = 8, 64


@dataclass
class SliceSet:
    """Every slice of one ``over`` (a tuple of factor names; ``()`` is overall), for one binary
    confusion table (one threshold)."""

    over: tuple[str, ...]
    keys: list[dict[str, str]]
    conf: np.ndarray
    """Observed confusion counts, shape ``(S, 4)``."""
    draws: dict[str, np.ndarray] = field(default_factory=dict)
    """metric → ``(1 + R, S)``: row 0 the estimate, rows 1… the bootstrap resamples."""
    wconf: np.ndarray | None = None
    """With weights: the confusion table's weights, shape ``(S, 4)``."""
    auc_error: np.ndarray | None = None
    auc_variance: np.ndarray | None = None
    """DeLong variance of each slice's AUC."""
    ap_error: np.ndarray | None = None

    @property
    def n(self) -> np.ndarray:
        return cast(np.ndarray, self.conf.sum(-1))


def _slice_keys(table: CountTable, over: tuple[str, ...]) -> list[dict[str, str]]:
    import itertools

    levels = [table.levels[table.factors.index(f)] for f in over]
    return [dict(zip(over, combo)) for combo in itertools.product(*levels)]


def _coarse_starts(table: CountTable) -> np.ndarray | None:
    """Start indices of coarse bins (for ``np.add.reduceat``), or ``None`` to keep the fine bins."""
    nbins = table.counts.shape[-1]
    conf_cells = int(np.count_nonzero(table.counts.sum(-1)))
    k = int(np.clip(MAX_CATEGORIES // max(1, conf_cells), MIN_COARSE, MAX_COARSE))
    if nbins <= k:
        return None
    weight = table.counts.reshape(-1, nbins).sum(0).astype(np.float64)
    cum = np.cumsum(weight) / weight.sum()
    cuts = np.searchsorted(cum, np.arange(1, k) / k, side="right") + 1
    starts = np.unique(np.concatenate([[0], cuts]))
    return cast(np.ndarray, starts[starts < nbins])


SCORE_METRICS = ("roc_auc", "average_precision")


def _score_metrics(hist: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    out = {}
    if "roc_auc" in names:
        out["roc_auc"] = roc_auc(hist)
    if "average_precision" in names:
        out["average_precision"] = average_precision(hist)
    return out


def evaluate(
    table: CountTable,
    overs: list[tuple[str, ...]],
    metrics: list[str],
    *,
    resamples: int,
    seed: int,
    weights: np.ndarray | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[tuple[str, ...], SliceSet]:
    """Estimates and ``resamples`` joint bootstrap draws of ``metrics`` for every slice of every
    ``over``, from a table of counts ``(*cells, 4, bins)``.  ``metrics`` may include ``roc_auc``
    and ``average_precision`` when the table has score bins.  With ``weights`` (the confusion
    table's sums of weights, the counts' shape) the metrics are weighted; the resamples draw rows
    and give each the mean weight of its cell."""
    scored = [m for m in metrics if m in SCORE_METRICS] if table.bins is not None else []
    binned = table.bins is not None and table.bins.method == "binned"
    count_names = [m for m in metrics if m not in SCORE_METRICS]
    out: dict[tuple[str, ...], SliceSet] = {}
    fine: dict[tuple[str, ...], dict[str, np.ndarray]] = {}
    for over in overs:
        sub = _slices(table, table.counts, over)
        wsub = sub if weights is None else _slices(table, weights, over)
        conf = sub.sum(-1)
        result = SliceSet(over, _slice_keys(table, over), conf, wconf=None if weights is None else wsub.sum(-1))
        for name, value in count_metrics(wsub.sum(-1), count_names).items():
            result.draws[name] = value[None, :]
        fine[over] = _score_metrics(wsub, scored)
        for name, value in fine[over].items():
            result.draws[name] = value[None, :]
        if "roc_auc" in scored:
            from .metrics import auc_delong_variance, auc_tie_share

            result.auc_error = auc_tie_share(wsub) if binned else np.zeros(len(conf))
            result.auc_variance = auc_delong_variance(sub)
        if "average_precision" in scored:
            result.ap_error = average_precision_error(wsub) if binned else np.zeros(len(conf))
        out[over] = result
    if resamples <= 0:
        return out
    starts = _coarse_starts(table) if table.bins is not None else None
    coarse = np.add.reduceat(table.counts, starts, axis=-1) if starts is not None else table.counts
    mean_weight = None
    if weights is not None:
        wcoarse = np.add.reduceat(weights, starts, axis=-1) if starts is not None else weights
        mean_weight = np.divide(wcoarse, coarse, out=np.zeros(coarse.shape), where=coarse > 0)
    shift: dict[tuple[str, ...], dict[str, np.ndarray]] = {}
    for over in overs:
        csub = _slices(table, coarse if mean_weight is None else coarse * mean_weight, over)
        shift[over] = {m: fine[over][m] - v for m, v in _score_metrics(csub, scored).items()}
    draws = _resample(table, coarse, mean_weight, overs, count_names, scored, shift, resamples, seed, progress)
    for over in overs:
        for name, parts in draws[over].items():
            out[over].draws[name] = np.concatenate([out[over].draws[name], *parts], axis=0)
    return out


def _slices(table: CountTable, counts: np.ndarray, over: tuple[str, ...]) -> np.ndarray:
    """``counts`` summed to the slices of ``over``: ``(S, 4, bins)``."""
    keep = {table.factors.index(f) for f in over}
    axes = tuple(i for i in range(len(table.factors)) if i not in keep)
    sub = counts.sum(axis=axes) if axes else counts
    s = int(np.prod(sub.shape[:-2], dtype=np.int64))
    return sub.reshape(s, 4, sub.shape[-1])


def _resample(table: CountTable, coarse: np.ndarray, mean_weight: np.ndarray | None, overs: list[tuple[str, ...]],
              count_names: list[str], scored: list[str], shift: dict[tuple[str, ...], dict[str, np.ndarray]],
              resamples: int, seed: int, progress: Callable[[int], None] | None,
              ) -> dict[tuple[str, ...], dict[str, list[np.ndarray]]]:
    """Multinomial draws of the rows over the cells, ``resamples`` times, and the metrics of each."""
    flat = coarse.ravel()
    nonzero = np.flatnonzero(flat)
    total = int(flat.sum())
    probs = flat[nonzero] / total
    rng = np.random.default_rng(seed)
    chunk = int(max(1, min(100, (1 << 22) // max(1, coarse.size))))
    nfactors = len(table.factors)
    collected: dict[tuple[str, ...], dict[str, list[np.ndarray]]] = {o: {} for o in overs}
    done = 0
    while done < resamples:
        r = min(chunk, resamples - done)
        drawn = rng.multinomial(total, probs, size=r)
        full = np.zeros((r, coarse.size), dtype=np.int64)
        full[:, nonzero] = drawn
        full = full.reshape(r, *coarse.shape)
        if mean_weight is not None:
            full = full * mean_weight
        for over in overs:
            keep = {table.factors.index(f) for f in over}
            axes = tuple(1 + i for i in range(nfactors) if i not in keep)
            sub = full.sum(axis=axes) if axes else full
            sub = sub.reshape(r, -1, 4, coarse.shape[-1])
            bag = collected[over]
            for name, value in count_metrics(sub.sum(-1), count_names).items():
                bag.setdefault(name, []).append(value)
            for name, value in _score_metrics(sub, scored).items():
                bag.setdefault(name, []).append(value + shift[over][name])
        done += r
        if progress is not None:
            progress(r)
    return collected
