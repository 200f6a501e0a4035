"""The intervals of the pre-training bias measures (see :mod:`.bias` for why each is chosen).

Every function takes the counts one row is built from: ``d[y]`` and ``a[y]``, the facet's and the
rest's rows per label value, or their bootstrap draws.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import clarify
from .intervals import wilson


def num(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def interval(metric: str, value: float, d: np.ndarray, a: np.ndarray, positive: np.ndarray, level: float,
             boot: tuple[np.ndarray, np.ndarray, np.ndarray] | None) -> tuple[float | None, float | None, str]:
    """``(low, high, method)`` of ``metric``'s interval; ``boot``: the row's bootstrap draws
    (:func:`.bias.resample`), for the measures that need them."""
    labels = len(d)
    if metric == "class_imbalance":
        plo, phi = wilson(np.asarray(d.sum()), np.asarray(d.sum() + a.sum()), level)
        return 1 - 2 * float(phi), 1 - 2 * float(plo), "wilson-transformed"
    if metric == "difference_in_label_proportions":
        return (*newcombe(d, a, positive, level), "newcombe")
    if metric in FOLDED and labels == 2:
        low, high = newcombe(d, a, np.array([True, False]), level)
        scale = math.sqrt(2) if metric == "lp_norm" else 1.0
        lo = 0.0 if low <= 0 <= high else min(abs(low), abs(high)) * scale
        return lo, max(abs(low), abs(high)) * scale, "newcombe-folded"
    if metric in clarify.DISTANCES and labels == 2:
        return (*box_interval(metric, d, a, level), "wilson-box")
    assert boot is not None
    draws = clarify.measure(metric, *boot)
    return bootstrap_interval(value, draws, level, basic=metric in clarify.DISTANCES)


def rates(d: np.ndarray, a: np.ndarray, positive: np.ndarray, level: float) -> dict[str, float | None]:
    """The share of favourable labels in the facet and in the rest, with Wilson intervals."""
    out: dict[str, float | None] = {}
    for side, counts in (("facet", d), ("rest", a)):
        k, n = float((counts * positive).sum()), float(counts.sum())
        lo, hi = wilson(np.asarray(k), np.asarray(n), level)
        out.update({f"{side}_rate": k / n if n else None, f"{side}_rate_ci_low": num(lo) if n else None,
                    f"{side}_rate_ci_high": num(hi) if n else None})
    return out


BOX_GRID = 1001
FOLDED = ("lp_norm", "total_variation_distance", "kolmogorov_smirnov")
"""With a two-valued label these are |Δ| (√2·|Δ| for LP), Δ the difference of the two sides' shares
of one label value: their interval is Newcombe's interval of Δ, folded at 0."""


def box_interval(metric: str, d: np.ndarray, a: np.ndarray, level: float) -> tuple[float, float]:
    """A distance between two two-valued label distributions, over the box of their Wilson
    intervals at level √level each: the two shares are independent, so the box holds the true pair
    with probability ``level``, and the smallest and largest distance over the box bound the true
    distance at least that often.  Every distance here is convex in the pair, so the largest is at a
    corner and the smallest on the edge nearest the diagonal (0 when the box meets it)."""
    inner = math.sqrt(level)
    lo_d, hi_d = (float(x) for x in wilson(np.asarray(float(d[0])), np.asarray(float(d.sum())), inner))
    lo_a, hi_a = (float(x) for x in wilson(np.asarray(float(a[0])), np.asarray(float(a.sum())), inner))

    def at(pa: np.ndarray, pd: np.ndarray) -> np.ndarray:
        return clarify.distance(metric, np.stack([pa, 1 - pa], -1), np.stack([pd, 1 - pd], -1))

    corners = at(np.array([lo_a, lo_a, hi_a, hi_a]), np.array([lo_d, hi_d, lo_d, hi_d]))
    high = float(np.max(corners))
    if lo_a <= hi_d and lo_d <= hi_a:
        return 0.0, high
    grid = np.linspace(0.0, 1.0, BOX_GRID)
    edges = [at(lo_a + (hi_a - lo_a) * grid, np.full(BOX_GRID, hi_d if hi_d < lo_a else lo_d)),
             at(np.full(BOX_GRID, lo_a if hi_d < lo_a else hi_a), lo_d + (hi_d - lo_d) * grid)]
    return float(min(np.min(e) for e in edges)), high


def newcombe(d: np.ndarray, a: np.ndarray, positive: np.ndarray, level: float) -> tuple[float, float]:
    """Newcombe's (1998) hybrid score interval for ``q_a − q_d`` (method 10)."""
    pa_k, pa_n = float((a * positive).sum()), float(a.sum())
    pd_k, pd_n = float((d * positive).sum()), float(d.sum())
    qa, qd = pa_k / pa_n, pd_k / pd_n
    la, ua = (float(x) for x in wilson(np.asarray(pa_k), np.asarray(pa_n), level))
    ld, ud = (float(x) for x in wilson(np.asarray(pd_k), np.asarray(pd_n), level))
    diff = qa - qd
    return diff - math.sqrt((qa - la) ** 2 + (ud - qd) ** 2), diff + math.sqrt((ua - qa) ** 2 + (qd - ld) ** 2)


def bootstrap_interval(value: float, draws: np.ndarray, level: float, *, basic: bool) -> tuple[float | None, float | None, str]:
    """Percentile interval of the draws, or for distances the basic interval cut at 0."""
    ok = ~np.isnan(draws)
    if ok.sum() < max(1, draws.size // 2):
        return None, None, "bootstrap-basic" if basic else "bootstrap-percentile"
    alpha = (1 - level) / 2
    q_lo, q_hi = np.quantile(draws[ok], [alpha, 1 - alpha])
    if not basic:
        return num(q_lo), num(q_hi), "bootstrap-percentile"
    lo = max(0.0, 2 * value - float(q_hi)) if math.isfinite(q_hi) else 0.0
    hi = 2 * value - float(q_lo)
    return lo, num(max(hi, 0.0)), "bootstrap-basic"
