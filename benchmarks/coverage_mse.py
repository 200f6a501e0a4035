"""Intervals for the mean of a positive, skewed variable at small n: the mean squared error (the
mean of e²) and the mean absolute error (the mean of |e|), from the moments cardwright keeps
(the means of x, x² and x³).

Fast stand-alone numpy simulations (no cardwright compute), thousands of samples per scenario:
each candidate's coverage of the true mean, and its median width relative to Hall's interval
(cardwright's method before this comparison).  The errors are those of coverage_tasks.py's
regression scenarios (normal, Student's t with 4 degrees of freedom times 4, a shifted lognormal),
plus others (uniform, exponential, t with 3 degrees of freedom) to check that a choice generalises.

    python benchmarks/coverage_mse.py                  # 20,000 samples per scenario, a few seconds
    python benchmarks/coverage_mse.py --sims 4000 --level 0.9
    python benchmarks/coverage_mse.py --sims 2000 --rows  # with the row-based intervals (minutes)
    python benchmarks/coverage_mse.py --sides           # on which side the intervals miss
    python benchmarks/coverage_mse.py --misses          # what the samples hall-bonett misses look like

Candidates (x̄, s the mean and standard deviation of x, γ̂ its sample skewness, t Student's and z
the normal quantile, c = n / (n − z)):

* ``student``: x̄ ± t s/√n.
* ``johnson``: Johnson's (1978) skewness-corrected t, x̄ + μ̂₃/(6 s² n) ± t s/√n.
* ``hall``: Hall's (1992) transformation of the studentised mean (cardwright's ``hall``).
* ``log-t``: exp(ln x̄ ± t s/(√n x̄)).
* ``bonett-log``: Bonett's (2006) device for a variance carried over to a mean of positive values:
  exp(ln(c x̄) ± z c s/(√n x̄)), his small-sample constant c both shifting the centre and widening.
* ``bonett-log-t``: the same with Student's quantile in place of z.
* ``hall-c``: Hall's interval with both ends multiplied by c.
* ``hall-log-wide``: Hall's interval whose half-widths on the log scale are multiplied by c.
* ``hall-bonett`` (cardwright's choice for the mean absolute error): the same around ln(c x̄), i.e.
  c x̄ (l / x̄)^c to c x̄ (u / x̄)^c, (l, u) Hall's ends (``cardwright._compute.intervals.positive_mean_interval``).
* ``hall-bonett-tail`` (cardwright's choice for the mean squared error): ``hall-bonett`` whose upper
  end's distance from the centre on the log scale is stretched by k = min(1.5, 1 + 3/√n)
  (``cardwright._compute.intervals.tail_allowance``): c x̄ (u / x̄)^(k c).
With ``--rows``, intervals that need the rows, not only three moments:

* ``el``, ``el-bartlett``: Owen's empirical likelihood interval for the mean, and with DiCiccio,
  Hall & Romano's (1991) Bartlett correction (the χ² threshold times 1 + a/n,
  a = μ₄/(2μ₂²) − μ₃²/(3μ₂³));
* ``boot-t``, ``boot-t-log``: the bootstrap-t (``--resamples`` row resamples), of the mean and of
  its logarithm (a variance-stabilised pivot, (ln x̄* − ln x̄) / (s*/(√n x̄*)));
* ``boot-hall``: the bootstrap of Hall's transformed statistic (Zhou & Dinh 2005).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

import numpy as np
from scipy import stats

from cardwright._compute.intervals import tail_allowance

Draw = Callable[[np.random.Generator, tuple[int, int]], np.ndarray]

#: errors of coverage_tasks.py's regression scenarios and a few others
ERRORS: dict[str, Draw] = {
    "normal": lambda rng, shape: rng.normal(0, 5, shape),
    "heavy t(4)": lambda rng, shape: rng.standard_t(4, shape) * 4,
    "skewed lognormal": lambda rng, shape: rng.lognormal(1.0, 0.6, shape) - 3.2,
    "uniform": lambda rng, shape: rng.uniform(-5, 5, shape),
    "exponential": lambda rng, shape: rng.exponential(3.0, shape) - 1.0,
    "heavy t(3)": lambda rng, shape: rng.standard_t(3, shape) * 4,
}
#: (errors, rows): the first five are coverage_tasks.py's regression scenarios
SCENARIOS = [("normal", 40), ("heavy t(4)", 40), ("skewed lognormal", 40), ("skewed lognormal", 500),
             ("heavy t(4)", 200), ("normal", 67), ("uniform", 40), ("exponential", 40), ("heavy t(3)", 100),
             ("normal", 10), ("skewed lognormal", 15)]


def true_means(errors: str) -> dict[str, float]:
    """E e² and E |e| of each error distribution (analytic, or numerical integration)."""
    if errors == "normal":
        return {"mse": 25.0, "mae": 5 * math.sqrt(2 / math.pi)}
    if errors.startswith("heavy"):
        df = int(errors[-2])
        dist = stats.t(df, scale=4)
        return {"mse": 16 * df / (df - 2), "mae": 2 * dist.expect(lambda v: v, lb=0)}
    if errors == "skewed lognormal":
        dist = stats.lognorm(0.6, scale=math.exp(1.0))
        return {"mse": dist.expect(lambda v: (v - 3.2) ** 2), "mae": dist.expect(lambda v: abs(v - 3.2))}
    if errors == "uniform":
        return {"mse": 100 / 12, "mae": 2.5}
    dist = stats.expon(scale=3.0)
    return {"mse": dist.expect(lambda v: (v - 1) ** 2), "mae": dist.expect(lambda v: abs(v - 1))}


def _hall_inverse(a: np.ndarray, q: float) -> np.ndarray:
    inner = 1 + 3 * a * (q - a / 2)
    safe = np.where(np.abs(a) < 1e-12, 1.0, a)
    return np.where(np.abs(a) < 1e-12, q, (np.cbrt(inner) - 1) / safe)


def candidates(x: np.ndarray, level: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every moment-based candidate's ends for each row of ``x`` (samples × n)."""
    n = x.shape[1]
    m1, m2, m3 = x.mean(1), (x**2).mean(1), (x**3).mean(1)
    var = np.maximum(m2 - m1**2, 1e-300)
    s = np.sqrt(var * n / (n - 1))
    se = s / math.sqrt(n)
    mu3 = m3 - 3 * m1 * m2 + 2 * m1**3
    skew = mu3 / var**1.5 * math.sqrt(n * (n - 1)) / (n - 2)
    t = stats.t.ppf(0.5 + level / 2, n - 1)
    z = stats.norm.ppf(0.5 + level / 2)
    c = n / (n - z)
    a = skew / (3 * math.sqrt(n))
    hall = (m1 - _hall_inverse(a, t) * se, m1 - _hall_inverse(a, -t) * se)
    cv = se / m1
    out = {
        "student": (m1 - t * se, m1 + t * se),
        "johnson": (m1 + mu3 / (6 * s**2 * n) - t * se, m1 + mu3 / (6 * s**2 * n) + t * se),
        "hall": hall,
        "log-t": (m1 * np.exp(-t * cv), m1 * np.exp(t * cv)),
        "bonett-log": (c * m1 * np.exp(-z * c * cv), c * m1 * np.exp(z * c * cv)),
        "bonett-log-t": (c * m1 * np.exp(-t * c * cv), c * m1 * np.exp(t * c * cv)),
        "hall-c": (c * hall[0], c * hall[1]),
    }
    low_log = np.log(np.maximum(hall[0], 1e-300) / m1)
    high_log = np.log(hall[1] / m1)
    out["hall-log-wide"] = (m1 * np.exp(c * low_log), m1 * np.exp(c * high_log))
    out["hall-bonett"] = (np.where(hall[0] > 0, c * m1 * np.exp(c * low_log), 0.0), c * m1 * np.exp(c * high_log))
    out["hall-bonett-tail"] = (out["hall-bonett"][0], c * m1 * np.exp(tail_allowance(n) * c * high_log))
    return out


def _el_statistic(x: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """−2 log R(μ) of Owen's empirical likelihood for the mean, per row (μ strictly inside the range)."""
    d = x - mu[:, None]
    lo = -1 / d.max(1) * (1 - 1e-12)
    hi = -1 / d.min(1) * (1 - 1e-12)
    for _ in range(60):  # Σ d / (1 + λ d) is decreasing in λ
        lam = (lo + hi) / 2
        g = (d / (1 + lam[:, None] * d)).sum(1)
        lo, hi = np.where(g > 0, lam, lo), np.where(g > 0, hi, lam)
    lam = (lo + hi) / 2
    return 2 * np.log1p(lam[:, None] * d).sum(1)


def el_interval(x: np.ndarray, level: float, bartlett: bool) -> tuple[np.ndarray, np.ndarray]:
    n = x.shape[1]
    m1 = x.mean(1)
    crit = np.full(len(x), stats.chi2.ppf(level, 1))
    if bartlett:
        c = x - m1[:, None]
        mu2, mu3, mu4 = (c**2).mean(1), (c**3).mean(1), (c**4).mean(1)
        crit = crit * (1 + (mu4 / (2 * mu2**2) - mu3**2 / (3 * mu2**3)) / n)
    ends = []
    for edge in (x.min(1), x.max(1)):
        inside, outside = m1.copy(), edge.copy()
        for _ in range(40):
            mid = (inside + outside) / 2
            ok = _el_statistic(x, mid) <= crit
            inside, outside = np.where(ok, mid, inside), np.where(ok, outside, mid)
        ends.append((inside + outside) / 2)
    return ends[0], ends[1]


def bootstraps(x: np.ndarray, level: float, resamples: int, rng: np.random.Generator,
               ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The bootstrap-t of the mean and of its log, and the bootstrap of Hall's statistic."""
    n = x.shape[1]
    m, s = x.mean(1), x.std(1, ddof=1)
    se = s / math.sqrt(n)
    picks = rng.integers(0, n, (len(x), resamples, n))
    xb = np.take_along_axis(np.broadcast_to(x[:, None, :], picks.shape), picks, 2)
    mb, seb = xb.mean(2), xb.std(2, ddof=1) / math.sqrt(n)
    q = (1 - level) / 2, (1 + level) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (mb - m[:, None]) / seb
        t_log = (np.log(mb) - np.log(m)[:, None]) / (seb / mb)

    def skew(v: np.ndarray) -> np.ndarray:
        c = v - v.mean(-1, keepdims=True)
        out: np.ndarray = (c**3).mean(-1) / (c**2).mean(-1) ** 1.5 * math.sqrt(n * (n - 1)) / (n - 2)
        return out

    a, ab = skew(x) / (3 * math.sqrt(n)), skew(xb) / (3 * math.sqrt(n))
    g = t + ab * t**2 + ab**2 * t**3 / 3 + ab / 2
    lo_t, hi_t = np.nanquantile(t, q, axis=1)
    lo_l, hi_l = np.nanquantile(t_log, q, axis=1)
    lo_g, hi_g = np.nanquantile(g, q, axis=1)
    return {"boot-t": (m - hi_t * se, m - lo_t * se),
            "boot-t-log": (m * np.exp(-hi_l * se / m), m * np.exp(-lo_l * se / m)),
            "boot-hall": (m - _hall_inverse(a, hi_g) * se, m - _hall_inverse(a, lo_g) * se)}


def row_based(x: np.ndarray, level: float, resamples: int, rng: np.random.Generator,
              ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The intervals that need the rows, in chunks of 100 samples (the bootstrap's memory)."""
    parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for start in range(0, len(x), 100):
        chunk = x[start:start + 100]
        got = {"el": el_interval(chunk, level, bartlett=False), "el-bartlett": el_interval(chunk, level, bartlett=True),
               **bootstraps(chunk, level, resamples, rng)}
        for name, ends in got.items():
            parts.setdefault(name, []).append(ends)
    return {name: (np.concatenate([p[0] for p in ends]), np.concatenate([p[1] for p in ends]))
            for name, ends in parts.items()}


def misses(sims: int, level: float, seed: int) -> None:
    """The kurtosis of the errors (about 0, E e⁴ / (E e²)²) in every sample and in the samples
    whose ``hall-bonett`` interval of the mean squared error lies below the mean: quartiles."""
    print("kurtosis of the errors, E e⁴ / (E e²)²: quartiles in all samples | in those whose `hall-bonett` "
          "interval of E e² lies below it\n")
    print("| errors | n | all samples | missed below |\n|---|---|---|---|")
    for errors, n in SCENARIOS:
        rng = np.random.default_rng([seed, n, len(errors)])
        e = ERRORS[errors](rng, (sims, n))
        x = e * e
        kurtosis = (x * x).mean(1) / x.mean(1) ** 2
        short = candidates(x, level)["hall-bonett"][1] < true_means(errors)["mse"]

        def quartiles(v: np.ndarray) -> str:
            return " / ".join(f"{q:.2f}" for q in np.percentile(v, [25, 50, 75])) if len(v) >= 20 else "—"

        print(f"| {errors} | {n} | {quartiles(kurtosis)} | {quartiles(kurtosis[short])} ({short.sum()}) |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sims", type=int, default=20_000)
    ap.add_argument("--level", type=float, default=0.95)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--rows", action="store_true", help="the row-based intervals too (empirical likelihood, bootstrap)")
    ap.add_argument("--resamples", type=int, default=400, help="with --rows: bootstrap resamples")
    ap.add_argument("--sides", action="store_true",
                    help="instead of widths: the share of samples whose interval lies below / above the mean")
    ap.add_argument("--misses", action="store_true",
                    help="instead: the errors' kurtosis in the samples whose interval falls short, and in all")
    args = ap.parse_args()
    if args.misses:
        misses(args.sims, args.level, args.seed)
        return
    print(f"coverage of {args.level:.0%} intervals ({args.sims} samples per scenario; " + (
        "in brackets: the share of intervals below the mean / above it)\n" if args.sides else
        "width: median width / Hall's median width)\n"))
    names: list[str] | None = None
    for errors, n in SCENARIOS:
        truth = true_means(errors)
        rng = np.random.default_rng([args.seed, n, len(errors)])
        e = ERRORS[errors](rng, (args.sims, n))
        for stat, x in (("mse", e * e), ("mae", np.abs(e))):
            got = candidates(x, args.level)
            if args.rows:
                got.update(row_based(x, args.level, args.resamples, rng))
            if names is None:
                names = list(got)
                print("| errors | n | mean of | " + " | ".join(names) + " |")
                print("|---|---|---|" + "---|" * len(names))
            base = float(np.median(got["hall"][1] - got["hall"][0]))
            cells = []
            for name in names:
                low, high = got[name]
                cover = 100 * float(np.mean((low <= truth[stat]) & (truth[stat] <= high)))
                if args.sides:
                    below, above = 100 * np.mean(high < truth[stat]), 100 * np.mean(low > truth[stat])
                    cells.append(f"{cover:.1f}% ({below:.1f} / {above:.1f})")
                    continue
                width = float(np.median(high - low)) / base
                cells.append(f"{cover:.1f}% ({width:.2f})")
            label = "e²" if stat == "mse" else "\\|e\\|"
            print(f"| {errors} | {n} | {label} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
