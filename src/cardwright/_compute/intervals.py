"""Confidence intervals: Wilson score intervals for proportions, percentile intervals from
bootstrap draws for everything else."""

from __future__ import annotations

import math
import warnings
from statistics import NormalDist

import numpy as np


def z_value(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


def wilson(k: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion k / n (Wilson 1927); NaN where n = 0."""
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # exact ends: a proportion of 0 has lower end 0, a proportion of 1 upper end 1
    low = np.where(k == 0, 0.0, low)
    high = np.where((k == n) & (n > 0), 1.0, high)
    return low, high


def percentile(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval over the first axis of ``draws`` (NaN draws are left out; NaN when
    fewer than half the draws are defined)."""
    if draws.shape[0] == 0:
        nan = np.full(draws.shape[1:], np.nan)
        return nan, nan.copy()
    alpha = (1 - level) / 2
    defined = np.isfinite(draws).sum(axis=0)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nanquantile(draws, alpha, axis=0)
        high = np.nanquantile(draws, 1 - alpha, axis=0)
    bad = defined < max(1, draws.shape[0] // 2)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def balanced_accuracy_interval(tp: float, fn: float, tn: float, fp: float, level: float) -> tuple[float, float]:
    """Wilson interval of balanced accuracy (TPR + TNR) / 2 with an effective sample size: the
    n whose binomial variance equals the estimate's variance, computed from rates shrunk by one
    success and one failure (k + 1) / (n + 2) so it stays finite at 0 and 1."""
    pos, neg = tp + fn, tn + fp
    if pos <= 0 or neg <= 0:
        return float("nan"), float("nan")
    est = (tp / pos + tn / neg) / 2
    p1, p2 = (tp + 1) / (pos + 2), (tn + 1) / (neg + 2)
    var = (p1 * (1 - p1) / pos + p2 * (1 - p2) / neg) / 4
    centre = (p1 + p2) / 2
    n_eff = centre * (1 - centre) / var
    low, high = wilson(np.asarray(est * n_eff), np.asarray(n_eff), level)
    return float(low), float(high)


def f1_interval(tp: float, fp: float, fn: float, level: float) -> tuple[float, float]:
    """F1 = 2π / (1 + π) with π = TP / (TP + FP + FN), and given TP + FP + FN the count TP is
    binomial, so the Wilson interval of π, transformed, is an interval for F1 with exactly the
    Wilson interval's coverage."""
    c = tp + fp + fn
    if c <= 0:
        return float("nan"), float("nan")
    low, high = wilson(np.asarray(tp), np.asarray(c), level)
    return float(2 * low / (1 + low)), float(2 * high / (1 + high))


def auc_score_interval(auc: float, pos: float, neg: float, level: float) -> tuple[float, float]:
    """Score-type interval for ROC AUC: the values A with (Â − A)² ≤ z² V(A), where V is Hanley &
    McNeil's (1982) variance evaluated at A itself (as Wilson's interval evaluates p(1 − p) at the
    candidate p), so it stays sensible at Â = 1 (Newcombe 2006)."""
    if not (np.isfinite(auc) and pos > 0 and neg > 0):
        return float("nan"), float("nan")
    z2 = z_value(level) ** 2

    def excess(a: float) -> float:
        q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
        var = (a * (1 - a) + (pos - 1) * (q1 - a * a) + (neg - 1) * (q2 - a * a)) / (pos * neg)
        return (auc - a) ** 2 - z2 * max(var, 0.0)

    def solve(inside: float, outside: float) -> float:
        if excess(outside) <= 0:
            return outside
        for _ in range(60):
            mid = (inside + outside) / 2
            if excess(mid) <= 0:
                inside = mid
            else:
                outside = mid
        return (inside + outside) / 2

    return solve(auc, 0.0), solve(auc, 1.0)


def auc_logit_interval(auc: float, variance: float, level: float) -> tuple[float, float]:
    """Wald interval on the logit scale with DeLong's variance (the delta method maps the
    standard error through logit), so both ends stay inside (0, 1)."""
    z = z_value(level)
    centre = math.log(auc / (1 - auc))
    half = z * math.sqrt(variance) / (auc * (1 - auc))
    return 1 / (1 + math.exp(-(centre - half))), 1 / (1 + math.exp(-(centre + half)))


def mean_interval(mean: float, second: float, n: float, level: float, third: float | None = None,
                  ) -> tuple[float, float, str]:
    """Interval of a mean from its moments (``second``, ``third``: the means of the squares and
    cubes) and the (effective) sample size ``n``.

    Hall's (1992) transformation of the studentised mean: ``g(T) = T + aT² + a²T³/3 + a/2`` with
    ``a = γ / (3√n)``, γ the sample skewness, is close to normal even for skewed values (squared
    errors, losses), so ``μ`` lies between ``x̄ − g⁻¹(±t) s/√n`` with ``t`` Student's quantile on
    ``n − 1`` degrees of freedom (``hall``).  Without a third moment, or with no skewness, it is
    Student's t interval (``t``)."""
    from .distributions import t_quantile

    if not (n >= 2 and math.isfinite(mean)):
        return float("nan"), float("nan"), "t"
    var = max(0.0, second - mean * mean)
    sd = math.sqrt(var * n / (n - 1))
    t = t_quantile(0.5 + level / 2, n - 1)
    if sd == 0:
        return mean, mean, "t"
    if third is None or not math.isfinite(third) or n < 3:
        return mean - t * sd / math.sqrt(n), mean + t * sd / math.sqrt(n), "t"
    m3 = third - 3 * mean * second + 2 * mean**3
    skew = m3 / var**1.5 * math.sqrt(n * (n - 1)) / (n - 2)
    a = skew / (3 * math.sqrt(n))

    def inverse(q: float) -> float:
        if abs(a) < 1e-12:
            return q
        inner = float(1 + 3 * a * (q - a / 2))
        root: float = math.copysign(math.pow(abs(inner), 1 / 3), inner)
        return (root - 1) / float(a)

    return mean - inverse(t) * sd / math.sqrt(n), mean - inverse(-t) * sd / math.sqrt(n), "hall"


def positive_mean_interval(mean: float, second: float, n: float, level: float, third: float | None = None,
                           tail: bool = False) -> tuple[float, float, str]:
    """Interval of the mean of an unbounded positive value (an absolute or squared error): Hall's
    interval (:func:`mean_interval`) carried to the log scale and widened there by Bonett's (2006)
    small-sample constant ``c = n / (n − z)``, which also moves the centre to ``ln(c x̄)``:
    ``c x̄ (l / x̄)^c`` to ``c x̄ (u / x̄)^c``, ``(l, u)`` Hall's ends (a lower end at or below 0
    stays 0) (``hall-bonett``).

    A sample from a heavy right tail usually misses the rare large values, and with them the
    skewness Hall's correction needs, so Hall's interval misses the mean above it far more often
    than below (t(4) errors at 40 rows: 9 % above, 0.7 % below); this reaches further up where
    few rows say little (``benchmarks/coverage_mse.py``).  The lower end stays at least
    :data:`LOWER_END_SHARE` of Hall's distance below the mean on the log scale, so the move of the
    centre never carries it past the mean.  Hall's interval is kept where it is
    Student's (no third moment), where the mean is not positive, and for fewer than ``2z`` rows
    (where ``c`` would exceed 2), or when an end would be beyond any float.

    With ``tail`` (a mean of squares, whose tail is twice as heavy as the absolute values'), the
    upper end's distance from the centre on the log scale is stretched by
    :func:`tail_allowance` (``hall-bonett-tail``): a sample that missed the tail looks lighter-tailed
    than one from normal errors (``benchmarks/coverage_mse.py --misses``), so no statistic of the
    sample can tell it apart, and only a wider reach covers it."""
    low, high, method = mean_interval(mean, second, n, level, third)
    z = z_value(level)
    if method != "hall" or not (mean > 0 and high > 0 and n >= 2 * z):
        return low, high, method
    c = n / (n - z)
    stretch = tail_allowance(n) if tail else 1.0
    log_high = math.log(c) + math.log(mean) + stretch * c * math.log(high / mean)
    if not log_high < _LOG_MAX:
        return low, high, method
    below = min(c * mean * math.pow(low / mean, c), mean * math.pow(low / mean, LOWER_END_SHARE)) if low > 0 else 0.0
    return below, math.exp(log_high), "hall-bonett-tail" if tail else "hall-bonett"


LOWER_END_SHARE = 0.8
"""How far the lower end of :func:`positive_mean_interval` must stay below the mean on the log
scale, as a share of Hall's: at least ``x̄ (l / x̄)^0.8`` below it.  The centre's move by
``ln c ≈ z / n`` is fixed, Hall's half-width shrinks with the values' relative spread, so for
errors of nearly equal size (a model with a constant offset) the move alone carried the lower end
above the mean: 18 % coverage of the mean absolute error for 40 errors from N(1, 0.1), 71 % from
N(1, 0.2); with the floor 93.5–94.5 %.  For the errors centred on zero of ``coverage_mse.py`` it
changes about one sample in twenty at 40 rows (the absolute errors'; none of the squared errors')
and no coverage figure (``benchmarks/coverage_offset.py``)."""


def tail_allowance(n: float) -> float:
    """How much further the upper end of a mean of squared errors reaches on the log scale:
    ``min(1.5, 1 + 3 / √n)``, 1.47 at 40 rows, 1.21 at 200, 1.13 at 500, tending to 1.  Chosen on
    ``benchmarks/coverage_mse.py``'s error distributions (normal, Student's t with 3 and 4 degrees
    of freedom, lognormal, exponential, uniform; docs/statistics.md), at most 1.5 so that a
    handful of rows does not get an upper end many times the mean's.  It serves a standard
    deviation's interval too (:func:`variance_interval`)."""
    return min(1.5, 1 + 3 / math.sqrt(n))


def variance_interval(var_pop: float, mu4: float, n: float, level: float, tail: bool = False,
                      ) -> tuple[float, float] | None:
    """Bonett's (2006) interval for the variance σ² of any distribution, from the population
    variance ``var_pop`` (divided by ``n``), the fourth central moment ``mu4`` and the (effective)
    sample size ``n``: on the log scale, ``ln(c s²) ± z c √((γ₄ − (n − 3)/n) / (n − 1))`` with
    ``s² = var_pop · n / (n − 1)``, ``γ₄ = μ₄ / σ⁴`` the kurtosis and ``c = n / (n − z)`` a
    small-sample correction.  ``None`` without spread or with fewer than four rows.

    With ``tail``, the upper half-width is stretched by :func:`tail_allowance`: a variance is a mean
    of squares, and a sample that missed a skewed distribution's tail underestimates both it and the
    kurtosis that sets the width, as for the mean squared error."""
    z = z_value(level)
    if not (var_pop > 0 and mu4 > 0 and n >= 4):
        return None
    var = var_pop * n / (n - 1)
    c = n / (n - z)
    spread = c * math.sqrt(max(mu4 / (var_pop * var_pop) - (n - 3) / n, 0.0) / (n - 1))
    reach = spread * (tail_allowance(n) if tail else 1.0)
    if not math.isfinite(reach) or z * reach + math.log(c * var) > _LOG_MAX:  # beyond any float: none
        return None
    return c * var * math.exp(-z * spread), c * var * math.exp(z * reach)


_LOG_MAX = math.log(1.7976931348623157e308)


def mover_difference(first: tuple[float, float, float], second: tuple[float, float, float], rho: float,
                     ) -> tuple[float, float]:
    """Interval of θ₁ − θ₂ from each estimate's own interval ``(estimate, low, high)`` and the
    correlation ``rho`` of the two estimates: Zou & Donner's (2008) method of variance estimates
    recovery (MOVER), which keeps each interval's asymmetry.  The lower end takes θ₁'s lower and
    θ₂'s upper half-width, the upper end the other two:
    ``θ̂₁ − θ̂₂ ∓ √(h₁² + h₂² − 2ρ h₁ h₂)``."""
    (t1, l1, u1), (t2, l2, u2) = first, second
    below = math.sqrt(max((t1 - l1) ** 2 + (u2 - t2) ** 2 - 2 * rho * (t1 - l1) * (u2 - t2), 0.0))
    above = math.sqrt(max((u1 - t1) ** 2 + (t2 - l2) ** 2 - 2 * rho * (u1 - t1) * (t2 - l2), 0.0))
    return t1 - t2 - below, t1 - t2 + above
