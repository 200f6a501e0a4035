"""Coverage of the expected calibration error's interval near a true ECE of 0.

Scores s ~ Beta(2, 3) in 10 equal bins, labels ~ Bernoulli(s^k): calibrated at k = 1, slightly
over-confident just above it. The true ECE is computed from the distribution (a fine midpoint
rule), and each sample's interval comes from ``ece_interval`` as ``compute`` calls it (1000
draws). Prints coverage and median width per row; the target is 93–97% at 95%.

    python benchmarks/coverage_ece.py              # 400 samples per row
    python benchmarks/coverage_ece.py --sims 2000
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from cardwright._compute.tasks.ece_interval import bin_variance, ece_interval

BINS = np.linspace(0, 1, 11)
ROWS = [(40, 1.0), (40, 1.3), (300, 1.0), (300, 1.05), (300, 1.15), (300, 1.3), (3000, 1.0), (3000, 1.03),
        (3000, 1.08)]


def true_ece(k: float) -> float:
    x = (np.arange(2_000_000) + 0.5) / 2_000_000
    density = 12 * x * (1 - x) ** 2
    b = np.clip(np.searchsorted(BINS[1:-1], x, side="left"), 0, 9)
    return float(np.abs(np.bincount(b, density * (x**k - x)) / 2_000_000).sum())


def summaries(s: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The used bins' shares, gaps ``ȳ − s̄`` and per-row variances, and the rows: what
    ``compute`` passes to ``ece_interval``."""
    b = np.clip(np.searchsorted(BINS[1:-1], s, side="left"), 0, 9)
    counts = np.bincount(b, minlength=10).astype(float)
    used = counts > 0
    gap = np.bincount(b, y - s, minlength=10)[used] / counts[used]
    second = np.bincount(b, (y - s) ** 2, minlength=10)[used] / counts[used]
    share = np.bincount(b, y, minlength=10)[used] / counts[used]
    return counts[used] / counts.sum(), gap, bin_variance(gap, second, share, counts[used]), float(counts.sum())


def sample(n: int, k: float, seed: int) -> tuple[float, float, float]:
    """One sample's interval and estimate."""
    rng = np.random.default_rng(seed)
    s = rng.beta(2, 3, n)
    y = (rng.random(n) < s**k).astype(float)
    w, gap, var, rows = summaries(s, y)
    low, high = ece_interval(w, gap, var, rows, 0.95, 1000, np.random.default_rng(seed + 1))
    return low, high, float(np.abs(gap) @ w)


def interval(args: tuple[int, float, int]) -> tuple[float, float]:
    return sample(*args)[:2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sims", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    print(f"| rows | k | true ECE | coverage (of {args.sims}) | median width |\n|---|---|---|---|---|")
    with ProcessPoolExecutor(args.workers) as pool:
        for n, k in ROWS:
            truth = true_ece(k)
            got = list(pool.map(interval, [(n, k, 10_000 + i) for i in range(args.sims)], chunksize=20))
            covered = np.mean([lo <= truth <= hi for lo, hi in got])
            width = np.median([hi - lo for lo, hi in got])
            print(f"| {n} | {k} | {truth:.4f} | {covered:.1%} | {width:.4f} |", flush=True)


if __name__ == "__main__":
    main()
