"""Every metric as a function of confusion counts (and, for ROC AUC, of score histograms).

All functions are vectorised: the counts have any leading shape (resamples × slices, say) and
a last axis of four classes in the order TN, FP, FN, TP.  An undefined ratio (a zero
denominator) is NaN, never a silent 0.
"""

from __future__ import annotations

import numpy as np

#: Metrics that are a proportion k / n of two counts; their intervals can be Wilson intervals.
#: metric -> (numerator classes, denominator classes), classes indexed 0 TN, 1 FP, 2 FN, 3 TP.
PROPORTIONS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "base_rate": ((2, 3), (0, 1, 2, 3)),
    "selection_rate": ((1, 3), (0, 1, 2, 3)),
    "accuracy": ((0, 3), (0, 1, 2, 3)),
    "precision": ((3,), (1, 3)),
    "recall": ((3,), (2, 3)),
    "specificity": ((0,), (0, 1)),
    "false_positive_rate": ((1,), (0, 1)),
    "false_negative_rate": ((2,), (2, 3)),
    "false_discovery_rate": ((1,), (1, 3)),
    "negative_predictive_value": ((0,), (0, 2)),
}

#: Why a metric has no value when its denominator is zero.
UNDEFINED = {
    "base_rate": "no rows",
    "selection_rate": "no rows",
    "accuracy": "no rows",
    "precision": "undefined: no predicted positives",
    "recall": "undefined: no actual positives",
    "specificity": "undefined: no actual negatives",
    "false_positive_rate": "undefined: no actual negatives",
    "false_negative_rate": "undefined: no actual positives",
    "false_discovery_rate": "undefined: no predicted positives",
    "negative_predictive_value": "undefined: no predicted negatives",
    "balanced_accuracy": "undefined: needs both actual classes",
    "f1": "undefined: no actual or predicted positives",
    "roc_auc": "undefined: needs both actual classes",
}


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def proportion_parts(conf: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray]:
    num, den = PROPORTIONS[metric]
    return conf[..., list(num)].sum(-1), conf[..., list(den)].sum(-1)


def count_metrics(conf: np.ndarray, names: list[str] | tuple[str, ...]) -> dict[str, np.ndarray]:
    """The named count metrics (any except ``roc_auc``) for confusion counts ``conf[..., 4]``."""
    conf = np.asarray(conf)
    tn, fp, fn, tp = (conf[..., i].astype(np.float64) for i in range(4))
    out: dict[str, np.ndarray] = {}
    for name in names:
        if name == "count":
            out[name] = tn + fp + fn + tp
        elif name in PROPORTIONS:
            num, den = proportion_parts(conf, name)
            out[name] = ratio(num, den)
        elif name == "balanced_accuracy":
            out[name] = (ratio(tp, tp + fn) + ratio(tn, tn + fp)) / 2
        elif name == "f1":
            out[name] = ratio(2 * tp, 2 * tp + fp + fn)
        else:
            raise KeyError(name)
    return out


def roc_auc(hist: np.ndarray) -> np.ndarray:
    """ROC AUC from score histograms ``hist[..., 4, bins]`` (bins in increasing score order).

    The Mann–Whitney form: the share of (positive, negative) pairs in which the positive scores
    higher, ties counting one half.  With one bin per distinct score this equals scikit-learn's
    ``roc_auc_score``."""
    pos = (hist[..., 2, :] + hist[..., 3, :]).astype(np.float64)
    neg = (hist[..., 0, :] + hist[..., 1, :]).astype(np.float64)
    below = np.cumsum(neg, axis=-1) - neg
    wins = (pos * (below + 0.5 * neg)).sum(-1)
    return ratio(wins, pos.sum(-1) * neg.sum(-1))


def auc_tie_share(hist: np.ndarray) -> np.ndarray:
    """Half the share of (positive, negative) pairs that fall into one bin: the largest amount
    by which a binned AUC can differ from the exact one."""
    pos = (hist[..., 2, :] + hist[..., 3, :]).astype(np.float64)
    neg = (hist[..., 0, :] + hist[..., 1, :]).astype(np.float64)
    return 0.5 * ratio((pos * neg).sum(-1), pos.sum(-1) * neg.sum(-1))


def auc_delong_variance(hist: np.ndarray) -> np.ndarray:
    """DeLong, DeLong & Clarke-Pearson's (1988) variance of the AUC, from the same histograms:
    each positive's placement is the share of negatives below it (ties one half), each
    negative's the share of positives above it; the variance is Var(placements⁺)/P + Var(placements⁻)/N."""
    pos = (hist[..., 2, :] + hist[..., 3, :]).astype(np.float64)
    neg = (hist[..., 0, :] + hist[..., 1, :]).astype(np.float64)
    p, n = pos.sum(-1, keepdims=True), neg.sum(-1, keepdims=True)
    auc = roc_auc(hist)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        v10 = (np.cumsum(neg, -1) - 0.5 * neg) / n
        v01 = (p - np.cumsum(pos, -1) + 0.5 * pos) / p
        s10 = (pos * (v10 - auc) ** 2).sum(-1) / (p[..., 0] - 1)
        s01 = (neg * (v01 - auc) ** 2).sum(-1) / (n[..., 0] - 1)
        var = s10 / p[..., 0] + s01 / n[..., 0]
    return np.where((p[..., 0] > 1) & (n[..., 0] > 1), var, np.nan)
