"""The exact coverage of intervals for a share k / n: no simulation.

k is binomial, so an interval's coverage at a true share p is the sum of the binomial
probabilities of the k whose interval holds p.  This prints, for the interval cardwright uses for a
share (Wilson's score interval, `cardwright._compute.intervals.wilson`) and the usual alternatives
(Brown, Cai & DasGupta 2001; Agresti & Coull 1998):

* ``wilson``: Wilson (1927), cardwright's (ends exactly 0 at k = 0 and 1 at k = n);
* ``jeffreys``: the equal-tailed Jeffreys interval, Beta(k + ½, n − k + ½) quantiles (lower end 0 at
  k = 0, upper 1 at k = n, as Brown et al. recommend);
* ``agresti-coull``: the Wald interval around (k + z²/2) / (n + z²) with n + z² rows;
* ``mid-p``: the Clopper–Pearson interval with half the probability of the observed k;
* ``clopper-pearson``: the exact (conservative) interval, for reference,

a table over a grid of n and p (mean, minimum and share of p within 93–97% over p from 0.01 to
0.99 in steps of 0.001, and the coverage at a few p), and the exact coverage at the true shares of
coverage_tasks.py's multiclass scenarios (accuracy = skill + (1 − skill) / K, top-2 accuracy =
skill + 2 (1 − skill) / K).

Then the percentiles of discrete ratings (coverage_tasks.py's "scored, n=300, ratings 1-5": ratings
1 to 5 with probabilities 0.1, 0.15, 0.3, 0.3, 0.15), where the interval is cardwright's
order-statistic interval (`cardwright._compute.quantiles.interval`): an exact lower bound on its
coverage, P(X₍⌈l⌉₎ ≤ T ≤ X₍⌊u⌋₎) ≥ 1 − P(C_T < ⌈l⌉) − P(C_{T−1} ≥ ⌊u⌋) from two binomial tails
(C_v the number of ratings at or below v, l and u the interval's fractional ranks, which depend
only on n, q and the level), and the coverage itself from ``--draws`` multinomial samples.

    python benchmarks/coverage_exact.py
    python benchmarks/coverage_exact.py --level 0.9 --n 40 --p 0.8875 0.925
    python benchmarks/coverage_exact.py --draws 100000
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
from scipy import optimize, stats

from cardwright._compute.intervals import wilson

Interval = Callable[[np.ndarray, int, float], tuple[np.ndarray, np.ndarray]]


def _wilson(k: np.ndarray, n: int, level: float) -> tuple[np.ndarray, np.ndarray]:
    low, high = wilson(k, np.full(len(k), n), level)
    return np.asarray(low), np.asarray(high)


def _jeffreys(k: np.ndarray, n: int, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2
    low = np.where(k == 0, 0.0, stats.beta.ppf(a, k + 0.5, n - k + 0.5))
    high = np.where(k == n, 1.0, stats.beta.ppf(1 - a, k + 0.5, n - k + 0.5))
    return low, high


def _agresti_coull(k: np.ndarray, n: int, level: float) -> tuple[np.ndarray, np.ndarray]:
    z = stats.norm.ppf(0.5 + level / 2)
    m = n + z * z
    p = (k + z * z / 2) / m
    half = z * np.sqrt(p * (1 - p) / m)
    return np.clip(p - half, 0, 1), np.clip(p + half, 0, 1)


def _mid_p(k: np.ndarray, n: int, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2

    def above(x: int, p: float) -> float:  # P(X > x) + ½ P(X = x), increasing in p
        return float(stats.binom.sf(x, n, p) + 0.5 * stats.binom.pmf(x, n, p))

    def below(x: int, p: float) -> float:  # P(X < x) + ½ P(X = x), decreasing in p
        return float(stats.binom.cdf(x, n, p) - 0.5 * stats.binom.pmf(x, n, p))

    def root(f: Callable[[float], float]) -> float:
        return float(optimize.brentq(f, 1e-15, 1 - 1e-15))

    low = np.array([0.0 if x == 0 else root(lambda p, x=x: above(x, p) - a) for x in k])
    high = np.array([1.0 if x == n else root(lambda p, x=x: below(x, p) - a) for x in k])
    return low, high


def _clopper_pearson(k: np.ndarray, n: int, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2
    low = np.where(k == 0, 0.0, stats.beta.ppf(a, np.maximum(k, 1), n - k + 1))
    high = np.where(k == n, 1.0, stats.beta.ppf(1 - a, k + 1, np.maximum(n - k, 1)))
    return low, high


INTERVALS: dict[str, Interval] = {"wilson": _wilson, "jeffreys": _jeffreys, "agresti-coull": _agresti_coull,
                                  "mid-p": _mid_p, "clopper-pearson": _clopper_pearson}


def coverage(method: Interval, n: int, ps: np.ndarray, level: float) -> np.ndarray:
    """Exact coverage at each true share in ``ps``."""
    k = np.arange(n + 1)
    low, high = method(k, n, level)
    pmf = stats.binom.pmf(k[None, :], n, ps[:, None])
    inside = (low[None, :] <= ps[:, None]) & (ps[:, None] <= high[None, :])
    out: np.ndarray = (pmf * inside).sum(1)
    return out


RATINGS = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
RATING_SHARES = np.array([0.1, 0.15, 0.3, 0.3, 0.15])


def _ranks(n: int, q: float, level: float) -> tuple[float, float]:
    """The fractional ranks (l, u) of the order-statistic interval's ends: recovered from
    cardwright's interval of the sample 1, 2, …, n, whose r-th order statistic is r."""
    from cardwright._compute.quantiles import interval

    values = np.arange(1.0, n + 1)
    got = interval(np.ones(n), values, values, q, level, float(n))
    assert got is not None
    return got


def discrete_quantiles(n: int, level: float, draws: int) -> None:
    from cardwright._compute.quantiles import interval

    cdf = np.cumsum(RATING_SHARES)
    print(f"\npercentiles of {n} ratings 1-5 (shares {', '.join(f'{p:g}' for p in RATING_SHARES)}): "
          f"coverage of cardwright's {level:.0%} order-statistic interval\n")
    print("| quantile | true value T | ranks l, u | exact lower bound on coverage | coverage "
          f"({draws} samples) |\n|---|---|---|---|---|")
    rng = np.random.default_rng(1)
    counts = rng.multinomial(n, RATING_SHARES, size=draws).astype(np.float64)
    for q in (0.1, 0.5, 0.9):
        low_rank, high_rank = _ranks(n, q, level)
        ends = []
        for c in counts:
            got = interval(c, RATINGS, RATINGS, q, level, float(n))
            assert got is not None
            ends.append(got)
        low, high = np.array(ends).T
        # the true value: the smallest rating whose cumulative share reaches q, averaged with the next
        # one where it reaches q exactly (the p10 here: a share of ones of exactly 10%)
        at = int(np.searchsorted(cdf, q - 1e-12))
        truths = [RATINGS[at]] if abs(cdf[at] - q) > 1e-12 else [RATINGS[at], (RATINGS[at] + RATINGS[at + 1]) / 2,
                                                                  RATINGS[at + 1]]
        for t in truths:
            before = int(np.searchsorted(RATINGS, t, side="left"))
            below_t = float(cdf[before - 1]) if before else 0.0  # the share of ratings below t
            upto_t = float(cdf[int(np.searchsorted(RATINGS, t, side="right")) - 1])  # at or below t
            bound = 1 - stats.binom.cdf(np.ceil(low_rank) - 1, n, upto_t) - stats.binom.sf(
                np.floor(high_rank) - 1, n, below_t)
            cover = float(np.mean((low <= t) & (t <= high)))
            print(f"| p{round(100 * q)} | {t:g} | {low_rank:.2f}, {high_rank:.2f} | {100 * bound:.2f}% | "
                  f"{100 * cover:.2f}% |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--level", type=float, default=0.95)
    ap.add_argument("--n", type=int, nargs="*", default=[20, 30, 40, 60, 100, 200, 500])
    ap.add_argument("--p", type=float, nargs="*", default=[0.5, 0.8, 0.9, 0.95])
    ap.add_argument("--draws", type=int, default=20_000, help="samples of the ratings for the percentiles")
    ap.add_argument("--rating-rows", type=int, default=300)
    args = ap.parse_args()
    grid = np.round(np.arange(0.01, 0.99 + 1e-9, 0.001), 3)
    lo, hi = args.level - 0.02, args.level + 0.02
    print(f"exact coverage of {args.level:.0%} intervals of a share k / n; over p = 0.010, 0.011, ..., 0.990: "
          f"mean, minimum, share of p with coverage in {lo:.0%}-{hi:.0%}; then at p = "
          + ", ".join(f"{p:g}" for p in args.p) + "\n")
    print("| n | interval | mean | minimum | in band | " + " | ".join(f"p = {p:g}" for p in args.p) + " |")
    print("|---|---|---|---|---|" + "---|" * len(args.p))
    for n in args.n:
        for name, method in INTERVALS.items():
            cov = coverage(method, n, grid, args.level)
            at = coverage(method, n, np.array(args.p), args.level)
            band = np.mean((cov >= lo - 1e-12) & (cov <= hi + 1e-12))
            print(f"| {n} | {name} | {100 * cov.mean():.2f}% | {100 * cov.min():.2f}% | {100 * band:.0f}% | "
                  + " | ".join(f"{100 * c:.2f}%" for c in at) + " |")
    print("\nat the true shares of coverage_tasks.py's multiclass scenarios:\n")
    print("| scenario | metric | n | p | " + " | ".join(INTERVALS) + " |")
    print("|---|---|---|---|" + "---|" * len(INTERVALS))
    for scenario, n, classes, skill in (("multiclass (5 classes), n=60", 60, 5, 0.6),
                                        ("multiclass (5 classes), n=1000", 1000, 5, 0.6),
                                        ("multiclass (3 classes), n=30", 30, 3, 0.7),
                                        ("multiclass (4 classes), n=40, accurate", 40, 4, 0.85)):
        for metric, p in (("accuracy", skill + (1 - skill) / classes),
                          ("top_k_accuracy", skill + 2 * (1 - skill) / classes)):
            cells = [f"{100 * coverage(m, n, np.array([p]), args.level)[0]:.2f}%" for m in INTERVALS.values()]
            print(f"| {scenario} | {metric} | {n} | {p:.4f} | " + " | ".join(cells) + " |")
    discrete_quantiles(args.rating_rows, args.level, args.draws)


if __name__ == "__main__":
    main()
