"""Intervals for average precision (PR AUC): fast stand-alone numpy simulations.

The process is coverage_tasks.py's probability scenarios: scores s ~ Beta(2, 3), labels
y ~ Bernoulli(s^shape) (calibrated at shape 1, over-confident at 1.6).  The true AP is that of
2 million rows.  Each candidate's coverage of it, per scenario, and its median width:

* ``boyd-logit``: Boyd, Eng & Page's (2013) logit interval, logit(AP) ± z / √(P · AP (1 − AP)),
  P the positives (cardwright's ``logit``);
* ``boyd-logit-t``: the same with Student's quantile on P − 1 degrees of freedom;
* ``bootstrap-logit``: logit(AP) ± z · sd(logit AP*), the standard deviation over row resamples
  (``--resamples``), which also sees the negatives' share of the variance;
* ``bootstrap-logit-bc``: the same around logit(AP) − b, b = mean(logit AP*) − logit(AP) the
  bootstrap's estimate of the bias (AP is biased at small P);
* ``boyd-logit-bc``: Boyd's half-width around that bias-corrected centre;
* ``bootstrap-percentile``: the percentile interval of the same resamples.

    python benchmarks/coverage_ap.py                    # 2,000 samples per scenario
    python benchmarks/coverage_ap.py --sims 4000 --resamples 400
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy import stats

#: name -> (rows, shape of the label probability s^shape)
SCENARIOS = {"n=40, calibrated": (40, 1.0), "n=300, over-confident": (300, 1.6), "n=300, calibrated": (300, 1.0),
             "n=3000, calibrated": (3000, 1.0), "n=1000, over-confident": (1000, 1.6)}


def draw(rng: np.random.Generator, n: int, shape: float) -> tuple[np.ndarray, np.ndarray]:
    s = rng.beta(2, 3, n)
    return s, (rng.random(n) < s**shape).astype(np.float64)


def average_precision(y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """AP of rows in decreasing score order (no ties), under row weights (resamples × rows)."""
    tp = np.cumsum(weight * y, axis=-1)
    seen = np.cumsum(weight, axis=-1)
    total = tp[..., -1]
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = (weight * y * tp / np.maximum(seen, 1e-300)).sum(-1) / total
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sims", type=int, default=2000)
    ap.add_argument("--resamples", type=int, default=200)
    ap.add_argument("--level", type=float, default=0.95)
    args = ap.parse_args()
    z = stats.norm.ppf(0.5 + args.level / 2)
    alpha = (1 - args.level) / 2
    names = ["boyd-logit", "boyd-logit-t", "bootstrap-logit", "bootstrap-logit-bc", "boyd-logit-bc",
             "bootstrap-percentile"]
    print(f"coverage of {args.level:.0%} intervals of average precision ({args.sims} samples per scenario, "
          f"{args.resamples} resamples; median width in brackets)\n")
    print("| scenario | true AP | " + " | ".join(names) + " |\n|---|---|" + "---|" * len(names))
    for name, (n, shape) in SCENARIOS.items():
        rng = np.random.default_rng([n, round(10 * shape)])
        s, y = draw(rng, 2_000_000, shape)
        order = np.argsort(-s, kind="stable")
        truth = float(average_precision(y[order], np.ones(len(y))))
        hits = {k: 0 for k in names}
        widths: dict[str, list[float]] = {k: [] for k in names}
        done = 0
        for _ in range(args.sims):
            s, y = draw(rng, n, shape)
            positives = y.sum()
            if positives < 2:
                continue
            y = y[np.argsort(-s, kind="stable")]
            value = float(average_precision(y, np.ones(n)))
            if not 0 < value < 1:
                continue
            done += 1
            counts = rng.multinomial(n, np.full(n, 1 / n), size=args.resamples).astype(np.float64)
            boot = average_precision(y, counts)
            boot = boot[np.isfinite(boot) & (boot > 0) & (boot < 1)]
            centre = math.log(value / (1 - value))
            half = 1 / math.sqrt(positives * value * (1 - value))
            logit = np.log(boot / (1 - boot))
            ends = {
                "boyd-logit": (centre - z * half, centre + z * half),
                "boyd-logit-t": (centre - stats.t.ppf(1 - alpha, positives - 1) * half,
                                 centre + stats.t.ppf(1 - alpha, positives - 1) * half),
                "bootstrap-logit": (centre - z * float(logit.std(ddof=1)), centre + z * float(logit.std(ddof=1))),
            }
            fixed = centre - (float(logit.mean()) - centre)
            ends["bootstrap-logit-bc"] = (fixed - z * float(logit.std(ddof=1)), fixed + z * float(logit.std(ddof=1)))
            ends["boyd-logit-bc"] = (fixed - z * half, fixed + z * half)
            got = {k: (1 / (1 + math.exp(-lo)), 1 / (1 + math.exp(-hi))) for k, (lo, hi) in ends.items()}
            got["bootstrap-percentile"] = (float(np.quantile(boot, alpha)), float(np.quantile(boot, 1 - alpha)))
            for k, (lo, hi) in got.items():
                hits[k] += lo <= truth <= hi
                widths[k].append(hi - lo)
        cells = [f"{100 * hits[k] / done:.1f}% ({float(np.median(widths[k])):.3f})" for k in names]
        print(f"| {name} | {truth:.4f} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
