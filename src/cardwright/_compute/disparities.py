"""Differences and ratios of a metric between the groups of a factor or intersection.

Two conventions, chosen per ``over`` by the card's ``reference_groups``:

* **between-groups** (fairlearn's ``difference``/``ratio`` with ``method="between_groups"``):
  highest minus lowest group, lowest over highest;
* **to-reference** (AIF360's privileged/unprivileged convention), used when every factor of the
  ``over`` has a reference group: signed ``group − reference`` and ``group / reference`` per
  group, plus a summary holding the largest absolute difference and the ratio farthest from 1
  (as a number ≤ 1, so it compares with the four-fifths rule).

The fairness measures are built from the same per-group values: demographic parity (selection
rate), equal opportunity (true positive rate), equalized odds (the larger of the TPR and FPR
comparisons) and average odds ((TPR + FPR) / 2, whose difference is AIF360's average odds
difference).  Every array here has a leading axis of 1 + R rows: the estimate, then the
bootstrap resamples, so intervals come from the same draws as the groups.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..schema.metric_names import NO_RATIO as SIGNED
from .metrics import ratio
from .slices import MetricKey, SliceSet

FAIRNESS: dict[str, tuple[str, ...]] = {
    "demographic_parity": ("selection_rate",),
    "equal_opportunity": ("recall",),
    "equalized_odds": ("recall", "false_positive_rate"),
    "average_odds": ("recall", "false_positive_rate"),
}
NO_RATIO = {"average_odds"} | SIGNED


def needed_metrics(measure: str) -> tuple[str, ...]:
    return FAIRNESS.get(measure, (measure,))


def draws_key(measure: str, threshold: float | None, class_: str | None) -> MetricKey:
    """The key of a plain metric's draws at an operating point (threshold-free metrics have none)."""
    return (measure, None if measure in ("roc_auc", "average_precision") else threshold, class_)


def components(ss: SliceSet, measure: str, threshold: float | None = None, class_: str | None = None) -> list[np.ndarray]:
    """The per-group arrays ``(1 + R, S)`` a measure compares."""
    def get(m: str) -> np.ndarray:
        return ss.draws[draws_key(m, threshold, class_)]

    if measure == "average_odds":
        return [(get("recall") + get("false_positive_rate")) / 2]
    return [get(m) for m in needed_metrics(measure)]


@dataclass
class Summary:
    difference: np.ndarray
    """``(1 + R,)``: max − min, or the largest absolute difference from the reference."""
    ratio: np.ndarray | None
    """``(1 + R,)``: min / max, or the ratio farthest from 1 (as a number ≤ 1)."""
    groups: int


def _nan_reduce(fn: Callable[..., np.ndarray], a: np.ndarray, axis: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(a, axis=axis)


def eligible(ss: SliceSet, measure: str, suppressed: np.ndarray, include_suppressed: bool,
             threshold: float | None = None, class_: str | None = None) -> np.ndarray:
    """Indices of groups that take part: observed, defined, and not suppressed (by default)."""
    ok = ss.n > 0
    if not include_suppressed:
        ok &= ~suppressed
    for comp in components(ss, measure, threshold, class_):
        ok &= np.isfinite(comp[0])
    return np.flatnonzero(ok)


def between(comps: list[np.ndarray], idx: np.ndarray, measure: str) -> Summary:
    diffs, ratios = [], []
    for comp in comps:
        v = comp[:, idx]
        hi = _nan_reduce(np.nanmax, v, 1)
        lo = _nan_reduce(np.nanmin, v, 1)
        diffs.append(hi - lo)
        ratios.append(ratio(lo, hi))
    diff = np.max(np.stack(diffs), axis=0)
    rat = None if measure in NO_RATIO else np.min(np.stack(ratios), axis=0)
    return Summary(diff, rat, len(idx))


def to_reference(
    comps: list[np.ndarray], ref: int, idx: np.ndarray, measure: str
) -> tuple[np.ndarray, np.ndarray | None, Summary]:
    """Per-group signed differences and ratios ``(1 + R, G)`` for the groups ``idx`` (the
    reference left out), and their summary."""
    idx = idx[idx != ref]
    ds, rs = [], []
    for comp in comps:
        ds.append(comp[:, idx] - comp[:, [ref]])
        rs.append(ratio(comp[:, idx], np.broadcast_to(comp[:, [ref]], comp[:, idx].shape)))
    if len(ds) == 1:
        diff = ds[0]
        rat = None if measure in NO_RATIO else rs[0]
    else:  # equalized odds: the larger of the two differences, signed
        diff = np.where(np.abs(ds[0]) >= np.abs(ds[1]), ds[0], ds[1])
        rat = None
    summary_diff = _nan_reduce(np.nanmax, np.abs(diff), 1) if idx.size else np.full(diff.shape[0], np.nan)
    summary_ratio = None
    if rat is not None:
        folded = np.where(rat <= 1, rat, ratio(np.ones_like(rat), rat))
        summary_ratio = _nan_reduce(np.nanmin, folded, 1) if idx.size else np.full(rat.shape[0], np.nan)
    return diff, rat, Summary(summary_diff, summary_ratio, len(idx) + 1)


def summarize(
    ss: SliceSet,
    measure: str,
    suppressed: np.ndarray,
    *,
    reference: int | None,
    include_suppressed: bool = False,
    threshold: float | None = None,
    class_: str | None = None,
) -> tuple[Summary | None, str | None]:
    """The summary comparison of ``measure`` over ``ss``, or ``(None, reason)``."""
    idx = eligible(ss, measure, suppressed, include_suppressed, threshold, class_)
    comps = components(ss, measure, threshold, class_)
    if reference is not None:
        if reference not in idx:
            return None, "the reference group is suppressed, unobserved or undefined for this metric"
        if len(idx) < 2:
            return None, "no other group to compare with the reference"
        return to_reference(comps, reference, idx, measure)[2], None
    if len(idx) < 2:
        return None, "fewer than two groups to compare"
    return between(comps, idx, measure), None


@dataclass
class Pair:
    """The two groups a headline disparity names, and *their* difference and ratio.

    ``difference`` is ``(1 + R,)``: the pair's signed difference in the estimate (row 0) and in
    every bootstrap draw, so its interval is the pair's own (it may contain 0); ``ratio`` likewise,
    ``None`` for measures without one."""

    first: int
    """Between groups: the highest group; to a reference: the group furthest from it."""
    second: int
    """Between groups: the lowest group; to a reference: the reference."""
    difference: np.ndarray
    ratio: np.ndarray | None


def widest_pair(comps: list[np.ndarray], idx: np.ndarray, measure: str) -> Pair:
    """Between groups: the highest and lowest group of the component with the largest gap (in
    the estimate), with that pair's difference (highest − lowest) and ratio (lowest / highest)."""
    best: tuple[float, int, int, int] | None = None
    for c, comp in enumerate(comps):
        v = comp[0, idx]
        hi, lo = int(idx[int(np.nanargmax(v))]), int(idx[int(np.nanargmin(v))])
        if hi == lo:  # every group has the same value: still two groups, never one with itself
            lo = int(next(i for i in idx if i != hi))
        gap = float(comp[0, hi] - comp[0, lo])
        if best is None or gap > best[0]:
            best = (gap, c, hi, lo)
    assert best is not None
    _, c, hi, lo = best
    comp = comps[c]
    rat = None if measure in NO_RATIO else ratio(comp[:, lo], comp[:, hi])
    return Pair(hi, lo, comp[:, hi] - comp[:, lo], rat)


def furthest_from_reference(diff: np.ndarray, rat: np.ndarray | None, idx: np.ndarray, ref: int) -> Pair:
    """To a reference: the group whose difference from the reference is largest in absolute value
    (in the estimate), with its signed difference and its ratio (group / reference)."""
    others = idx[idx != ref]
    j = int(np.nanargmax(np.abs(diff[0])))
    return Pair(int(others[j]), ref, diff[:, j], None if rat is None else rat[:, j])
