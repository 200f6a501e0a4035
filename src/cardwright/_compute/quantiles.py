"""Medians and percentiles from histograms, with a stated bound and an order-statistic interval.

The count pass keeps, per finest cell, a histogram of the value (the absolute error for
`median_absolute_error`, the score for `p10`/`p50`/`p90`) on a grid that does not depend on the
data's order or the engine: a bin is a binary exponent and the first ``b`` bits of the mantissa
(so a bin spans at most ``2^-b`` of its values, relatively), over the 64 octaves below the
values' bound; smaller magnitudes share one bin around zero.  Each bin also keeps the smallest
and largest value in it.  A quantile is then located in its bin by rank and interpolated between
that bin's smallest and largest value: exact when they are equal (any value with at most ``b + 1``
significant bits — integers up to 2^(b+1), grades, booleans — has a bin of its own), and never
further from the exact quantile than the bin's width, which is reported as the bound.

Definition: scikit-learn's (Hyndman & Fan's averaged inverted CDF, the numpy median when
unweighted): the smallest value whose cumulative weight reaches ``q · W``, averaged with the next
one when it reaches it exactly.  Interval: the distribution-free interval between two order
statistics whose ranks come from the binomial distribution (with weights, of Kish's effective
sample size), conservatively widened to the edges of their bins.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .distributions import binom_cdf
from .engines import expr as ex

OCTAVES = 64
MAX_BITS = 8
MIN_BITS = 3


@dataclass(frozen=True)
class Grid:
    """The histogram grid: ``bits`` mantissa bits per octave, octaves up to the one of ``bound``."""

    kmax: int
    """Exponent of the largest magnitude (``|x| < 2^(kmax + 1)``)."""
    bits: int
    signed: bool

    @classmethod
    def for_bound(cls, bound: float, bits: int, signed: bool) -> Grid:
        _, e = math.frexp(bound) if bound > 0 else (0.0, 0)
        return cls(int(e) - 1, bits, signed)

    @property
    def kmin(self) -> int:
        return max(-1022, self.kmax - OCTAVES + 1)

    @property
    def magnitudes(self) -> int:
        """Codes of magnitudes: 0 (below ``2^kmin``) and ``1 … OCTAVES · 2^bits``."""
        return (self.kmax - self.kmin + 1) * (1 << self.bits) + 1

    @property
    def size(self) -> int:
        return 2 * self.magnitudes - 1 if self.signed else self.magnitudes

    def coarsen(self, bits: int) -> Grid:
        return Grid(self.kmax, bits, self.signed)

    def codes(self, x: np.ndarray) -> np.ndarray:
        """The bin of every value (int64 in ``[0, size)``; the numpy face of :meth:`node`)."""
        a = np.abs(x)
        mant, e = np.frexp(a)
        k = e.astype(np.int64) - 1
        top = np.floor((mant * 2 - 1) * (1 << self.bits)).astype(np.int64)
        mag = 1 + (k - self.kmin) * (1 << self.bits) + top
        mag = np.where(a < np.ldexp(1.0, self.kmin), 0, mag)
        return self._signed(mag, x)

    def _signed(self, mag: np.ndarray, x: np.ndarray) -> np.ndarray:
        if not self.signed:
            return mag
        centre = self.magnitudes - 1
        return np.where(x < 0, centre - mag, centre + mag)

    def node(self, x: ex.Node) -> ex.Node:
        """The bin of ``x`` as an expression (exact exponent, then the mantissa's first bits)."""
        a = ex.absolute(x)
        k = ex.Exponent(a)
        # m = a · 2^-k in [1, 2): 2^-k as two powers of two, each within the normal range
        half = ex.floor(ex.mul(k, ex.const(-0.5)))
        m = ex.mul(ex.mul(a, _pow2_of(half)), _pow2_of(ex.sub(ex.Op("neg", (k,)), half)))
        top = ex.floor(ex.mul(ex.sub(m, ex.const(1.0)), ex.pow2(self.bits)))
        inside = ex.add(ex.add(ex.const(1.0), ex.mul(ex.sub(k, ex.const(self.kmin)), ex.pow2(self.bits))), top)
        mag: ex.Node = ex.Where(ex.gt(ex.pow2(self.kmin), a), ex.const(0.0), inside)
        if not self.signed:
            return mag
        centre = ex.const(self.magnitudes - 1)
        return ex.Where(ex.gt(ex.const(0.0), x), ex.sub(centre, mag), ex.add(centre, mag))

    def coarse_index(self, fine: Grid) -> np.ndarray:
        """For every bin of the finer grid ``fine``, its bin in this (coarser) grid."""
        shift = fine.bits - self.bits
        mag = np.arange(fine.magnitudes, dtype=np.int64)
        coarse = np.where(mag == 0, 0, ((mag - 1) >> shift) + 1)
        if not self.signed:
            return coarse
        codes = np.arange(fine.size, dtype=np.int64) - (fine.magnitudes - 1)
        out: np.ndarray = np.sign(codes) * coarse[np.abs(codes)] + (self.magnitudes - 1)
        return out


def _pow2_of(k: ex.Node) -> ex.Node:
    """``2^k`` for an integer-valued expression ``k`` (written with the engines' exact power)."""
    return ex.Op("pow2", (k,))


@dataclass
class Located:
    value: float
    error: float
    """Largest possible distance from the exact quantile (the widths of the bins used)."""


def bits_for(cells: int) -> int:
    """Mantissa bits for ``cells`` finest cells: fewer when there are many (memory)."""
    budget = (1 << 23) // max(1, cells * OCTAVES * 2)
    return int(max(MIN_BITS, min(MAX_BITS, math.floor(math.log2(max(1, budget))))))


def _histogram(weights: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, ...]:
    keep = weights > 0
    return weights[keep].astype(np.float64), lo[keep], hi[keep]


def _rank(w: np.ndarray, lo: np.ndarray, hi: np.ndarray, cum: np.ndarray, r: int) -> Located:
    """The order statistic of rank ``r`` (1-based) with unit weights: located in its bin by rank
    and interpolated between the bin's smallest and largest value."""
    b = min(int(np.searchsorted(cum, r, side="left")), len(cum) - 1)
    width = float(hi[b] - lo[b])
    if width == 0 or w[b] <= 1:
        return Located(float(lo[b]), width)
    inside = r - (float(cum[b - 1]) if b else 0.0)
    return Located(float(lo[b] + (hi[b] - lo[b]) * ((inside - 1) / (w[b] - 1))), width)


def quantile(weights: np.ndarray, lo: np.ndarray, hi: np.ndarray, q: float, *, unit: bool) -> Located | None:
    """The ``q`` quantile from the histogram: bin weights (``unit``: row counts), and the smallest
    and largest value of each bin (bins in increasing order of value).  ``None`` when empty."""
    w, lo, hi = _histogram(weights, lo, hi)
    if not w.size:
        return None
    cum = np.cumsum(w)
    total = float(cum[-1])
    if unit:
        n = round(total)
        t = q * n
        j = math.ceil(t)
        if t == j and 1 <= j < n:
            first, second = _rank(w, lo, hi, cum, j), _rank(w, lo, hi, cum, j + 1)
            return Located((first.value + second.value) / 2, max(first.error, second.error))
        return _rank(w, lo, hi, cum, min(n, max(1, j)))
    target = q * total
    # the bins' weights are sums rounded to floats, and so is their running sum: a cumulative
    # weight within their rounding of q·W is taken as reaching it exactly (equal weights such as
    # 0.1 each then give the unweighted median, as scikit-learn's weighted percentile does)
    slack = 4.0 * (len(cum) + 1) * 2.0**-53 * total
    b = min(int(np.searchsorted(cum, target - slack, side="left")), len(cum) - 1)
    if abs(float(cum[b]) - target) <= slack and b + 1 < len(cum):
        # on a boundary between bins: the average of this bin's largest and the next bin's smallest
        return Located((float(hi[b]) + float(lo[b + 1])) / 2, max(float(hi[b] - lo[b]), float(hi[b + 1] - lo[b + 1])))
    before = float(cum[b - 1]) if b else 0.0
    frac = min(1.0, max(0.0, (target - before) / float(w[b])))
    return Located(float(lo[b] + (hi[b] - lo[b]) * frac), float(hi[b] - lo[b]))


def _first(predicate: Callable[[int], bool], lo: int, hi: int) -> int:
    """The smallest ``k`` in ``[lo, hi]`` with ``predicate(k)`` (monotone), ``hi + 1`` if none."""
    while lo <= hi:
        mid = (lo + hi) // 2
        if predicate(mid):
            hi = mid - 1
        else:
            lo = mid + 1
    return lo


def interval(weights: np.ndarray, lo: np.ndarray, hi: np.ndarray, q: float, level: float,
             n_eff: float) -> tuple[float, float] | None:
    """Distribution-free interval of the ``q`` quantile between two order statistics: the ranks
    come from the binomial distribution of the number of values below the quantile (``n`` the
    effective sample size), and each end is interpolated between neighbouring order statistics
    so that its tail has probability α/2 (as Hettmansperger & Sheather's interval of the median);
    the smallest or largest value where a rank falls outside 1 … n."""
    w, lo, hi = _histogram(weights, lo, hi)
    if not w.size:
        return None
    n = max(1, math.floor(n_eff + 1e-9))
    alpha = (1 - level) / 2
    cum = np.cumsum(w)
    total = float(cum[-1])

    def value(rank: float, upper: bool) -> float:
        """The order statistic of (possibly fractional) rank ``rank`` on the scale of ``n``, taken
        at the edge of its bin that widens the interval (the bin's largest value for the upper
        end, its smallest for the lower): the exact order statistic lies in its bin, so the
        interval holds whatever the bin's width."""
        r = min(max(rank, 1.0), float(n))
        below, above = math.floor(r), math.ceil(r)
        a = _bin_edge(lo, hi, cum, below / n * total, unit=total == n, upper=upper)
        b = _bin_edge(lo, hi, cum, above / n * total, unit=total == n, upper=upper)
        return a + (b - a) * (r - below)

    # lower end: between ranks l and l + 1, where P(X <= l - 1) <= α/2 < P(X <= l)
    k = _first(lambda j: binom_cdf(j, n, q) > alpha, 0, n)
    low = _tail_rank(k, n, q, alpha)
    # upper end: between ranks u - 1 and u, where P(X <= u - 2) < 1 - α/2 <= P(X <= u - 1)
    k = _first(lambda j: binom_cdf(j, n, q) >= 1 - alpha, 0, n)
    high = _tail_rank(k, n, q, 1 - alpha) + 1
    low_value = float(lo[0]) if low < 1 else value(low, upper=False)
    high_value = float(hi[-1]) if high > n else value(high, upper=True)
    return low_value, high_value


def _tail_rank(k: int, n: int, q: float, target: float) -> float:
    """The fractional rank between ``k`` and ``k + 1`` at which the binomial distribution
    function of ``k − 1``… reaches ``target`` (linear in the probability)."""
    before = binom_cdf(k - 1, n, q)
    at = binom_cdf(k, n, q)
    if at <= before:
        return float(k)
    return k + (target - before) / (at - before)


def _bin_edge(lo: np.ndarray, hi: np.ndarray, cum: np.ndarray, target: float, *, unit: bool, upper: bool) -> float:
    """The smallest (``upper``: largest) value of the bin holding the order statistic at
    cumulative weight ``target`` (with ``unit`` weights, of rank ``round(target)``)."""
    at = max(1, round(target)) if unit else target
    b = min(int(np.searchsorted(cum, at, side="left")), len(cum) - 1)
    return float(hi[b] if upper else lo[b])


def trimmed_mean(weights: np.ndarray, lo: np.ndarray, hi: np.ndarray, share: float) -> float | None:
    """The mean of the values after ``share`` of the total weight is cut from each end, from a
    histogram (bins in increasing order of value, each taken at the middle of its smallest and
    largest value, so within half the widest kept bin's width); a bin on a cut contributes the
    weight that is left of it.  ``None`` when nothing is left."""
    w, lo, hi = _histogram(weights, lo, hi)
    total = float(w.sum())
    cut = share * total
    if total <= 0 or cut * 2 >= total:
        return None
    before = np.cumsum(w) - w
    kept = np.clip(np.minimum(before + w, total - cut) - np.maximum(before, cut), 0.0, None)
    return float((kept * (lo + hi) / 2).sum() / kept.sum())
