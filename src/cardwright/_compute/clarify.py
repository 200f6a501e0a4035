"""SageMaker Clarify's pre-training bias measures as functions of counts.

Every function is vectorised over leading axes (the estimate and the bootstrap resamples, the
facets) and takes counts, never rows: ``d[..., y]`` the rows of facet *d* with label value *y*,
``a[..., y]`` those of the rest of the data *a*.  ``positive[y]`` marks the favourable label
values.  Definitions, as in Clarify's documentation (docs/statistics.md cites each page):

* class imbalance ``CI = (n_a − n_d) / (n_a + n_d)``;
* difference in proportions of labels ``DPL = q_a − q_d``, ``q = n⁽¹⁾ / n`` the share of
  favourable labels;
* with ``P_a(y) = n_a(y) / n_a`` and ``P_d(y) = n_d(y) / n_d`` the label distributions:
  ``KL = Σ P_a log(P_a / P_d)`` (natural log), ``JS = ½[KL(P_a‖P) + KL(P_d‖P)]`` with
  ``P = ½(P_a + P_d)``, ``LP = (Σ |P_a − P_d|²)^½``, ``TVD = ½ Σ |P_a − P_d|``,
  ``KS = max |P_a − P_d|``;
* conditional demographic disparity ``CDD = Σᵢ nᵢ DDᵢ / Σᵢ nᵢ`` over strata *i*, with
  ``DDᵢ = n_d⁽⁰⁾ᵢ / n⁽⁰⁾ᵢ − n_d⁽¹⁾ᵢ / n⁽¹⁾ᵢ`` (facet *d*'s share of the unfavourable labels minus
  its share of the favourable ones; a share with an empty denominator counts as 0, as in
  Clarify's implementation).

An undefined value (an empty facet or rest) is NaN; KL is ``+inf`` where facet *a* has a label
value that facet *d* never has.
"""

from __future__ import annotations

import warnings

import numpy as np

from .metrics import ratio

DISTANCES = ("kl_divergence", "js_divergence", "lp_norm", "total_variation_distance", "kolmogorov_smirnov")
"""Measures of how far apart two label distributions are (never negative)."""
RATES = ("difference_in_label_proportions", "conditional_demographic_disparity")
"""Measures of the favourable outcome, published with the share of favourable labels on each side."""


def _xlogy_ratio(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``p · log(p / q)`` with ``0 · log(0 / q) = 0`` and ``+inf`` where ``p > 0 = q``."""
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    return np.asarray(np.where((p > 0) & (q == 0), np.inf, out), dtype=np.float64)


def distributions(d: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(P_d, P_a)``: each facet's distribution over the last axis (NaN for an empty facet)."""
    nd = d.sum(-1, keepdims=True)
    na = a.sum(-1, keepdims=True)
    return ratio(d, nd), ratio(a, na)


def distance(name: str, pa: np.ndarray, pd: np.ndarray) -> np.ndarray:
    """One of :data:`DISTANCES` between distributions over the last axis."""
    with np.errstate(invalid="ignore"):
        if name == "kl_divergence":
            return np.asarray(np.sum(_xlogy_ratio(pa, pd), axis=-1), dtype=np.float64)
        if name == "js_divergence":
            m = (pa + pd) / 2
            return np.asarray(0.5 * (np.sum(_xlogy_ratio(pa, m), axis=-1) + np.sum(_xlogy_ratio(pd, m), axis=-1)),
                              dtype=np.float64)
        diff = np.abs(pa - pd)
        if name == "lp_norm":
            return np.asarray(np.sqrt(np.sum(diff * diff, axis=-1)), dtype=np.float64)
        if name == "total_variation_distance":
            return np.asarray(0.5 * np.sum(diff, axis=-1), dtype=np.float64)
        if name == "kolmogorov_smirnov":
            return np.max(diff, axis=-1) if diff.shape[-1] else np.full(diff.shape[:-1], np.nan)
    raise KeyError(name)


def class_imbalance(d: np.ndarray, a: np.ndarray) -> np.ndarray:
    nd, na = d.sum(-1).astype(np.float64), a.sum(-1).astype(np.float64)
    return ratio(na - nd, na + nd)


def label_proportion_difference(d: np.ndarray, a: np.ndarray, positive: np.ndarray) -> np.ndarray:
    qa = ratio((a * positive).sum(-1), a.sum(-1))
    qd = ratio((d * positive).sum(-1), d.sum(-1))
    return np.asarray(qa - qd, dtype=np.float64)


def demographic_disparity(d: np.ndarray, total: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """``DD`` of facet *d* within each stratum: ``d`` and ``total`` are ``(..., S, L)``; the
    result ``(..., S)``."""
    pos = positive.astype(bool)
    n0, n1 = total[..., ~pos].sum(-1), total[..., pos].sum(-1)
    d0, d1 = d[..., ~pos].sum(-1), d[..., pos].sum(-1)
    rejected = np.where(n0 > 0, ratio(d0, n0), 0.0)
    accepted = np.where(n1 > 0, ratio(d1, n1), 0.0)
    return np.asarray(rejected - accepted, dtype=np.float64)


def conditional_demographic_disparity(d: np.ndarray, total: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """``CDD``: the strata's ``DD`` weighted by their rows (``d``, ``total``: ``(..., S, L)``)."""
    dd = demographic_disparity(d, total, positive)
    n = total.sum(-1).astype(np.float64)
    return ratio((n * dd).sum(-1), n.sum(-1))


def measure(name: str, d: np.ndarray, total: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """Measure ``name`` of facet *d* against the rest, from ``(..., S, L)`` counts of the facet
    and of all rows (strata on the second-to-last axis; one stratum when nothing is conditioned)."""
    if name == "conditional_demographic_disparity":
        return conditional_demographic_disparity(d, total, positive)
    dl, tl = d.sum(-2), total.sum(-2)
    al = tl - dl
    if name == "class_imbalance":
        return class_imbalance(dl, al)
    if name == "difference_in_label_proportions":
        return label_proportion_difference(dl, al, positive)
    pd, pa = distributions(dl, al)
    empty = (dl.sum(-1) == 0) | (al.sum(-1) == 0)  # no distribution to compare (KL would read 0)
    return np.asarray(np.where(empty, np.nan, distance(name, pa, pd)), dtype=np.float64)
