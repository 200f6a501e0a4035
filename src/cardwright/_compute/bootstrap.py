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
from .metrics import count_metrics, roc_auc

MAX_CATEGORIES = 6000
MIN_COARSE, MAX_COARSE = 8, 64


@dataclass
class SliceSet:
    """Every slice of one ``over`` (a tuple of factor names; ``()`` is overall)."""

    over: tuple[str, ...]
    keys: list[dict[str, str]]
    conf: np.ndarray
    """Observed confusion counts, shape ``(S, 4)``."""
    draws: dict[str, np.ndarray] = field(default_factory=dict)
    """metric → ``(1 + R, S)``: row 0 the estimate, rows 1… the bootstrap resamples."""
    auc_error: np.ndarray | None = None
    auc_variance: np.ndarray | None = None
    """DeLong variance of each slice's AUC."""

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


def evaluate(
    table: CountTable,
    overs: list[tuple[str, ...]],
    metrics: list[str],
    *,
    resamples: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> dict[tuple[str, ...], SliceSet]:
    """Estimates and ``resamples`` joint bootstrap draws of ``metrics`` for every slice of every
    ``over``.  ``metrics`` may include ``roc_auc`` when the table has score bins."""
    want_auc = "roc_auc" in metrics and table.bins is not None
    count_names = [m for m in metrics if m != "roc_auc"]
    out, fine_auc = _estimates(table, overs, count_names, want_auc)
    if resamples <= 0:
        return out
    starts = _coarse_starts(table) if table.bins is not None else None
    coarse = np.add.reduceat(table.counts, starts, axis=-1) if starts is not None else table.counts
    shift: dict[tuple[str, ...], np.ndarray] = {}
    if want_auc:
        for over in overs:
            sub = CountTable(table.factors, table.levels, coarse).over(over)
            shift[over] = fine_auc[over] - roc_auc(sub.reshape(-1, 4, sub.shape[-1]))
    collected = _resample(table.factors, coarse, overs, count_names, shift if want_auc else None,
                          resamples=resamples, seed=seed, progress=progress)
    for over in overs:
        for name, parts in collected[over].items():
            out[over].draws[name] = np.concatenate([out[over].draws[name], *parts], axis=0)
    return out


def _estimates(table: CountTable, overs: list[tuple[str, ...]], count_names: list[str], want_auc: bool,
               ) -> tuple[dict[tuple[str, ...], SliceSet], dict[tuple[str, ...], np.ndarray]]:
    """The point estimates of every slice (row 0 of the draws), and the fine-binned ROC AUC."""
    binned = table.bins is not None and table.bins.method == "binned"
    out: dict[tuple[str, ...], SliceSet] = {}
    fine_auc: dict[tuple[str, ...], np.ndarray] = {}
    for over in overs:
        sub = table.over(over)
        s = int(np.prod(sub.shape[:-2], dtype=np.int64))
        sub = sub.reshape(s, 4, sub.shape[-1])
        conf = sub.sum(-1)
        result = SliceSet(over, _slice_keys(table, over), conf)
        for name, value in count_metrics(conf, count_names).items():
            result.draws[name] = value[None, :]
        if want_auc:
            from .metrics import auc_delong_variance, auc_tie_share

            fine_auc[over] = roc_auc(sub)
            result.draws["roc_auc"] = fine_auc[over][None, :]
            result.auc_error = auc_tie_share(sub) if binned else np.zeros(s)
            result.auc_variance = auc_delong_variance(sub)
        out[over] = result
    return out, fine_auc


def _resample(factors: list[str], coarse: np.ndarray, overs: list[tuple[str, ...]], count_names: list[str],
              auc_shift: dict[tuple[str, ...], np.ndarray] | None, *, resamples: int, seed: int,
              progress: Callable[[int], None] | None) -> dict[tuple[str, ...], dict[str, list[np.ndarray]]]:
    """``resamples`` multinomial draws over the count cells ``coarse``, in chunks: each slice's
    metrics per draw (ROC AUC from the coarse bins, moved by ``auc_shift`` to the fine estimate)."""
    nfactors = len(factors)
    flat = coarse.ravel()
    nonzero = np.flatnonzero(flat)
    total = int(flat.sum())
    probs = flat[nonzero] / total
    rng = np.random.default_rng(seed)
    chunk = int(max(1, min(100, (1 << 22) // max(1, coarse.size))))
    collected: dict[tuple[str, ...], dict[str, list[np.ndarray]]] = {o: {} for o in overs}
    done = 0
    while done < resamples:
        r = min(chunk, resamples - done)
        drawn = rng.multinomial(total, probs, size=r)
        full = np.zeros((r, coarse.size), dtype=np.int64)
        full[:, nonzero] = drawn
        full = full.reshape(r, *coarse.shape)
        for over in overs:
            keep = {factors.index(f) for f in over}
            axes = tuple(1 + i for i in range(nfactors) if i not in keep)
            sub = full.sum(axis=axes) if axes else full
            sub = sub.reshape(r, -1, 4, coarse.shape[-1])
            conf = sub.sum(-1)
            bag = collected[over]
            for name, value in count_metrics(conf, count_names).items():
                bag.setdefault(name, []).append(value)
            if auc_shift is not None:
                bag.setdefault("roc_auc", []).append(roc_auc(sub) + auc_shift[over])
        done += r
        if progress is not None:
            progress(r)
    return collected
