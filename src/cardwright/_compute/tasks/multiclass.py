"""Multiclass classification: every metric is a function of a slice's confusion matrix (true
class by predicted class) and, with class scores, of its top-k hits; the cell bootstrap resamples
the cells of ``counts[cells, label, predicted, hit]`` as for binary classification.

Per slice, the classes are those that occur in it as a label or a prediction (scikit-learn's
``unique_labels``).  A class's precision is undefined without predictions of it and its recall
without rows of it; macro averages are taken over the defined values (scikit-learn's
``zero_division=np.nan``), weighted F1 weighs each class by its rows, balanced accuracy is the
mean recall over the classes present as labels.

Intervals: Wilson's for shares (accuracy, top-k accuracy, a class's precision and recall), the
transformed Wilson interval for a class's F1, and for averages over classes Wilson's interval
with the effective sample size of the average (from the larger of its delta-method and jackknife
variances, see ``_average_interval``).  With weights the confusion matrix is scaled to the
slice's effective sample size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ...schema.analysis import QuantitativeAnalyses
from ...schema.metric_names import PER_CLASS_METRICS
from ..counts import CountTable
from ..intervals import wilson
from ..slices import Interval, MetricKey, SliceSet, slice_keys

UNDEFINED = {
    "precision": "undefined: no predictions of this class",
    "recall": "undefined: no rows of this class",
    "f1": "undefined: the class does not occur",
}


def _parts(conf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per class: TP, FP, FN and whether the class occurs (as a label or a prediction)."""
    tp = np.diagonal(conf, axis1=-2, axis2=-1).astype(np.float64)
    actual, predicted = conf.sum(-1).astype(np.float64), conf.sum(-2).astype(np.float64)
    return tp, predicted - tp, actual - tp, (actual + predicted) > 0


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.full(np.broadcast(a, b).shape, np.nan)
    np.divide(a, b, out=out, where=b > 0)
    return out


def _mean(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    ok = present & np.isfinite(values)
    count = ok.sum(-1)
    total = np.where(ok, values, 0.0).sum(-1)
    return _ratio(total, count.astype(np.float64))


def metric_values(conf: np.ndarray, hits: np.ndarray, names: list[str], classes: list[str],
                  per_class: bool) -> dict[MetricKey, np.ndarray]:
    """Every metric for confusion matrices ``conf[..., C, C]`` and top-k hits ``hits[...]``."""
    tp, fp, fn, present = _parts(conf)
    n = conf.sum(axis=(-2, -1)).astype(np.float64)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    support = tp + fn
    out: dict[MetricKey, np.ndarray] = {}
    table: dict[str, Callable[[], np.ndarray]] = {
        "count": lambda: n,
        "accuracy": lambda: _ratio(tp.sum(-1), n),
        "top_k_accuracy": lambda: _ratio(hits.astype(np.float64), n),
        "balanced_accuracy": lambda: _mean(recall, support > 0),
        "macro_precision": lambda: _mean(precision, present),
        "macro_recall": lambda: _mean(recall, present),
        "macro_f1": lambda: _mean(f1, present),
        "weighted_f1": lambda: _ratio(np.where(support > 0, f1 * support, 0.0).sum(-1), support.sum(-1)),
    }
    for name in names:
        if name in table:
            out[(name, None, None)] = table[name]()
    if per_class:
        for metric, values in (("precision", precision), ("recall", recall), ("f1", f1)):
            for c, label in enumerate(classes):
                out[(metric, None, label)] = values[..., c]
    return out


def evaluate(table: CountTable, spec: QuantitativeAnalyses, overs: list[tuple[str, ...]], wanted: list[str],
             ) -> dict[tuple[str, ...], SliceSet]:
    classes = table.classes or []
    names = [m for m in wanted if m not in PER_CLASS_METRICS]
    per_class = bool(spec.per_class) or any(m in PER_CLASS_METRICS for m in wanted)
    weights = table.sums_over("weight", table.factors)
    wtable = None if weights is None else weights[..., 0].reshape(table.counts.shape)
    out = {}
    for over in overs:
        conf_rows, hits_rows = _slices(table, table.counts, over)
        conf, hits = (conf_rows, hits_rows) if wtable is None else _slices(table, wtable, over)
        ss = SliceSet(over, slice_keys(table, over), conf_rows.sum(axis=(-2, -1)).astype(np.float64))
        ss.confusion = conf_rows
        for k, value in metric_values(conf, hits, names, classes, per_class).items():
            ss.draws[k] = value[None, :]
            ss.reasons[k] = UNDEFINED.get(k[0], "undefined")
        effective = _effective(table, over, conf, hits, ss) if wtable is not None else (conf, hits)
        if spec.confidence.method != "percentile":
            for k in ss.draws:
                if k[0] != "count":
                    ss.intervals[k] = _intervals(k, ss.draws[k][0], *effective, classes, spec.confidence.level)
        out[over] = ss
    _bootstrap(table, wtable, overs, names, classes, per_class, spec, out)
    return out


def _slices(table: CountTable, counts: np.ndarray, over: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Confusion matrices ``(S, C, C)`` and top-k hits ``(S,)`` of ``over``'s slices."""
    keep = {table.factors.index(f) for f in over}
    axes = tuple(i for i in range(len(table.factors)) if i not in keep)
    sub = counts.sum(axis=axes) if axes else counts
    sub = sub.reshape(-1, *counts.shape[len(table.factors):])
    return sub.sum(-1), sub[..., 1].sum(axis=(-2, -1)) if sub.shape[-1] > 1 else np.zeros(len(sub))


def _effective(table: CountTable, over: tuple[str, ...], conf: np.ndarray, hits: np.ndarray,
               ss: SliceSet) -> tuple[np.ndarray, np.ndarray]:
    """Weighted confusion matrices scaled to each slice's effective sample size."""
    total = conf.sum(axis=(-2, -1))
    w2 = table.sums_over("weight2", over)
    assert w2 is not None
    total2 = w2.reshape(len(total), -1).sum(-1)
    n_eff = np.divide(total * total, total2, out=np.zeros(len(total)), where=total2 > 0)
    ss.weight, ss.effective = total, n_eff
    scale = np.divide(n_eff, total, out=np.zeros(len(total)), where=total > 0)
    for k in ss.draws:
        if k[0] != "count":
            ss.n_eff[k] = n_eff
    return conf * scale[:, None, None], hits * scale


def _intervals(k: MetricKey, values: np.ndarray, conf: np.ndarray, hits: np.ndarray, classes: list[str],
               level: float) -> Interval:
    s = len(values)
    defined = np.isfinite(values)
    shares = _share_intervals(k, conf, hits, classes, level)
    if shares is not None:
        low, high, method = shares
        return Interval(np.where(defined, low, np.nan), np.where(defined, high, np.nan),
                        [method if ok else None for ok in defined.tolist()])
    low, high = np.full(s, np.nan), np.full(s, np.nan)
    methods: list[str | None] = [None] * s
    for i in np.flatnonzero(defined):
        got = _average_interval(k[0], float(values[i]), conf[i], level)
        if got is not None:
            low[i], high[i], methods[i] = got
    return Interval(low, high, methods)


def _share_intervals(k: MetricKey, conf: np.ndarray, hits: np.ndarray, classes: list[str], level: float,
                     ) -> tuple[np.ndarray, np.ndarray, str] | None:
    """Every slice's interval of a share (accuracy, top-k accuracy, a class's precision, recall or
    F1), or ``None`` for an average over classes."""
    metric, _, label = k
    tp, fp, fn, _ = _parts(conf)
    if metric in ("accuracy", "top_k_accuracy"):
        n = conf.reshape(len(conf), -1).sum(-1)
        lo, hi = wilson(tp.sum(-1) if metric == "accuracy" else hits, n, level)
        return lo, hi, "wilson"
    if label is None:
        return None
    c = classes.index(label)
    if metric == "f1":
        lo, hi = wilson(tp[:, c], tp[:, c] + fp[:, c] + fn[:, c], level)
        return 2 * lo / (1 + lo), 2 * hi / (1 + hi), "wilson-transformed"
    lo, hi = wilson(tp[:, c], tp[:, c] + (fp[:, c] if metric == "precision" else fn[:, c]), level)
    return lo, hi, "wilson"


def _average_interval(metric: str, value: float, conf: np.ndarray, level: float) -> tuple[float, float, str] | None:
    """Wilson's interval of an average over classes with the effective sample size ``c (1 − c) /
    Var``, ``c`` the average at the matrix with half a row spread over the cells of the classes
    present (which keeps it finite for perfect and empty classes) and ``Var`` the larger of two
    variance estimates there: the delta method's under the multinomial distribution of the
    confusion matrix (an error counted against two classes at once is counted once), whose
    pseudo-rows keep a class without errors from having no variance, and the jackknife's, which
    leaves out one row of each observed cell in turn and so does not share the plug-in's
    small-sample bias (a class rate's p̂(1 − p̂)/m instead of p̂(1 − p̂)/(m − 1); the jackknife
    overestimates a variance rather than underestimates it, Efron & Stein 1981).  With the
    delta method alone, 5 classes of about 12 rows covered 91.7–93 %."""
    present = (conf.sum(0) + conf.sum(1)) > 0
    cells = np.outer(present, present)
    shrunk = conf + np.where(cells, 0.5 / max(1, int(cells.sum())), 0.0)
    delta = _delta_variance(metric, shrunk)
    jackknife = _jackknife_variance(metric, shrunk, conf)
    if delta is None:
        return None
    centre, variance = delta[0], max(delta[1], 0.0 if jackknife is None else jackknife)
    if variance <= 0:
        return None
    n_eff = centre * (1 - centre) / variance
    lo, hi = wilson(np.asarray(value * n_eff), np.asarray(n_eff), level)
    return float(lo), float(hi), "wilson-jackknife"


def _delta_variance(metric: str, shrunk: np.ndarray) -> tuple[float, float] | None:
    """``(value, variance)`` at ``shrunk``: the delta method's, its gradient by central differences."""
    classes = shrunk.shape[-1]
    n = float(shrunk.sum())
    step = 1e-4 * (1.0 + shrunk)
    stack = np.repeat(shrunk[None, :, :], 2 * classes * classes + 1, axis=0)
    flat = stack.reshape(stack.shape[0], -1)
    cell = np.arange(classes * classes)
    flat[1 + 2 * cell, cell] += step.ravel()
    flat[2 + 2 * cell, cell] -= step.ravel()
    got = metric_values(stack, np.zeros(len(stack)), [metric], [], False)[(metric, None, None)]
    gradient = (got[1::2] - got[2::2]) / (2 * step.ravel())
    if not (np.isfinite(got[0]) and np.isfinite(gradient).all()):
        return None
    weights = shrunk.ravel()
    return float(got[0]), float((weights * gradient**2).sum() - (weights * gradient).sum() ** 2 / n)


def _jackknife_variance(metric: str, shrunk: np.ndarray, conf: np.ndarray) -> float | None:
    """The jackknife variance ``(n − 1)/n Σ (θ₍ᵢ₎ − θ̄)²`` over the rows of ``conf`` (every row of a
    cell leaves the same value out), each left out of ``shrunk``."""
    observed = np.flatnonzero(conf.ravel() > 0)
    if len(observed) == 0:
        return None
    stack = np.repeat(shrunk[None, :, :], len(observed), axis=0)
    flat = stack.reshape(stack.shape[0], -1)
    weights = conf.ravel()[observed]
    flat[np.arange(len(observed)), observed] -= np.minimum(1.0, weights)
    left_out = metric_values(stack, np.zeros(len(stack)), [metric], [], False)[(metric, None, None)]
    if not np.isfinite(left_out).all():
        return None
    n = float(weights.sum())
    mean = float((weights * left_out).sum() / n)
    return float((n - 1) / n * (weights * (left_out - mean) ** 2).sum())


def _bootstrap(table: CountTable, wtable: np.ndarray | None, overs: list[tuple[str, ...]], names: list[str],
               classes: list[str], per_class: bool, spec: QuantitativeAnalyses,
               out: dict[tuple[str, ...], SliceSet]) -> None:
    conf = spec.confidence
    if conf.resamples <= 0:
        return
    counts = table.counts
    flat = counts.ravel()
    nonzero = np.flatnonzero(flat)
    total = int(flat.sum())
    mean_weight = None
    if wtable is not None:
        mean_weight = np.divide(wtable, counts, out=np.zeros(counts.shape), where=counts > 0)
    rng = np.random.default_rng(conf.seed)
    chunk = int(max(1, min(100, (1 << 22) // max(1, counts.size))))
    collected: dict[tuple[str, ...], dict[MetricKey, list[np.ndarray]]] = {o: {} for o in overs}
    done = 0
    while done < conf.resamples:
        r = min(chunk, conf.resamples - done)
        full: Any = np.zeros((r, counts.size), dtype=np.int64)
        full[:, nonzero] = rng.multinomial(total, flat[nonzero] / total, size=r)
        full = full.reshape(r, *counts.shape)
        if mean_weight is not None:
            full = full * mean_weight
        for over in overs:
            keep = {table.factors.index(f) for f in over}
            axes = tuple(1 + i for i in range(len(table.factors)) if i not in keep)
            sub = full.sum(axis=axes) if axes else full
            sub = sub.reshape(r, -1, *counts.shape[len(table.factors):])
            hits = sub[..., 1].sum(axis=(-2, -1)) if sub.shape[-1] > 1 else np.zeros(sub.shape[:2])
            for k, value in metric_values(sub.sum(-1), hits, names, classes, per_class).items():
                collected[over].setdefault(k, []).append(value)
        done += r
    for over in overs:
        for k, parts in collected[over].items():
            out[over].draws[k] = np.concatenate([out[over].draws[k], *parts], axis=0)
