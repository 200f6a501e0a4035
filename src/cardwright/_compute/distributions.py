"""Quantiles and distribution functions the intervals need (Student's t, binomial), in plain
Python: deterministic, and no dependency beyond the standard library.

The t and binomial distribution functions come from the regularized incomplete beta function
(the continued fraction of Press et al., *Numerical Recipes*, §6.4); quantiles are found by
Newton steps from a close start, or bisection, to about 1e-12.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from statistics import NormalDist

_EPS = 1e-15
_TINY = 1e-300


def z_value(level: float) -> float:
    """The standard normal quantile of ``0.5 + level / 2``."""
    return NormalDist().inv_cdf(0.5 + level / 2)


def _beta_cf(a: float, b: float, x: float) -> float:
    """Lentz's continued fraction of the incomplete beta function (Numerical Recipes ``betacf``).

    The arithmetic is written once per step: ``v if abs(v) > tiny else tiny`` as a comparison
    that also sends NaN to ``tiny``, and no sub-expression evaluated twice."""
    tiny, eps = _TINY, _EPS
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if d > tiny or d < -tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        am2 = a + m2
        aa = m * (b - m) * x / ((qam + m2) * am2)
        d = 1 + aa * d
        d = 1 / (d if d > tiny or d < -tiny else tiny)
        c = 1 + aa / c
        if not (c > tiny or c < -tiny):
            c = tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / (am2 * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if d > tiny or d < -tiny else tiny)
        c = 1 + aa / c
        if not (c > tiny or c < -tiny):
            c = tiny
        delta = d * c
        h *= delta
        if -eps < delta - 1 < eps:
            break
    return h


def beta_inc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_cf(a, b, x) / a
    return 1 - front * _beta_cf(b, a, 1 - x) / b


def t_cdf(t: float, df: float) -> float:
    x = df / (df + t * t)
    tail = 0.5 * beta_inc(df / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def _bisect(f: Callable[[float], float], p: float, lo: float, hi: float) -> float:
    while f(hi) < p:
        lo, hi = hi, hi * 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * max(1.0, abs(mid)):
            break
    return (lo + hi) / 2


def _newton(cdf: Callable[[float], float], log_pdf: Callable[[float], float], p: float, start: float,
            low: float = -math.inf) -> float:
    """Solve ``cdf(x) = p`` by Newton's method from ``start`` (falling back to bisection when a
    step leaves the bracket or the iteration does not settle)."""
    x = start
    for _ in range(50):
        step = (cdf(x) - p) / math.exp(log_pdf(x))
        nxt = x - step
        if not math.isfinite(nxt) or nxt <= low:
            break
        if abs(nxt - x) <= 1e-13 * max(1.0, abs(x)):
            return nxt
        x = nxt
    lo = 0.0 if low == 0.0 else -1.0
    return _bisect(cdf, p, lo if cdf(lo) < p else low if math.isfinite(low) else -1e6, max(1.0, abs(start) * 2))


@lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """Student's t quantile (``df`` may be fractional, e.g. an effective sample size minus one)."""
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1 - p, df)
    z = NormalDist().inv_cdf(p)
    # Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5) as the starting point
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    start = z + g1 / df + g2 / df**2 if df > 2 else z * 1.5
    norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)

    def log_pdf(t: float) -> float:
        return norm - (df + 1) / 2 * math.log1p(t * t / df)

    return _newton(lambda t: t_cdf(t, df), log_pdf, p, start)


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return 1 - beta_inc(k + 1, n - k, p)
