"""Intervals for a standard deviation at small n: Bonett's (2006) log-scale interval (the kurtosis
about the trimmed mean, as cardwright computes it for a score's ``std``) with and without the tail
allowance on its upper end (``cardwright._compute.intervals.tail_allowance``, chosen for the mean
squared error in coverage_mse.py and carried over here unchanged).

Stand-alone numpy (no cardwright compute; the trimmed mean from the sorted rows, where cardwright
takes it from the score histogram), 20,000 samples per row by default, seconds:

    python benchmarks/coverage_sd.py
    python benchmarks/coverage_sd.py --sims 4000 --level 0.9

Each cell: the coverage of the true standard deviation, and in brackets the share of intervals
below it / above it.  The distributions: the toxicity scores of coverage_tasks.py (Beta(1, 7)) and
its ratings, and others (normal, uniform, exponential, lognormal, Student's t with 5 degrees of
freedom) to check that the allowance generalises beyond the mean squared error it was chosen on.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

import numpy as np
from scipy import stats

from cardwright._compute.intervals import tail_allowance

Draw = Callable[[np.random.Generator, "int | tuple[int, int]"], np.ndarray]

DISTRIBUTIONS: dict[str, Draw] = {
    "Beta(1, 7)": lambda rng, shape: rng.beta(1, 7, shape),
    "Beta(1, 6)": lambda rng, shape: rng.beta(1, 6, shape),
    "normal": lambda rng, shape: rng.normal(0, 1, shape),
    "uniform": lambda rng, shape: rng.uniform(0, 1, shape),
    "exponential": lambda rng, shape: rng.exponential(1, shape),
    "lognormal(0, 0.5)": lambda rng, shape: rng.lognormal(0, 0.5, shape),
    "t(5)": lambda rng, shape: rng.standard_t(5, shape),
    "ratings 1-5": lambda rng, shape: rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], shape, p=[0.1, 0.15, 0.3, 0.3, 0.15]),
}
SCENARIOS = [("Beta(1, 7)", 40), ("Beta(1, 7)", 100), ("Beta(1, 7)", 300), ("Beta(1, 6)", 40), ("normal", 40),
             ("normal", 10), ("uniform", 40), ("exponential", 40), ("exponential", 200), ("lognormal(0, 0.5)", 40),
             ("t(5)", 40), ("ratings 1-5", 300)]


def bonett(x: np.ndarray, level: float, stretch: float) -> tuple[np.ndarray, np.ndarray]:
    """Bonett's interval of the standard deviation for each row of ``x`` (samples × n), its upper
    half-width on the log scale multiplied by ``stretch``."""
    n = x.shape[1]
    z = stats.norm.ppf(0.5 + level / 2)
    var_pop = x.var(1)
    cut = n / (2 * math.sqrt(n - 4))  # rows cut from each end, a row on a cut counting in part
    kept = np.clip(np.minimum(np.arange(1, n + 1), n - cut) - np.maximum(np.arange(n), cut), 0, None)
    trimmed = np.sort(x, 1) @ kept / kept.sum()
    kurtosis = ((x - trimmed[:, None]) ** 4).mean(1) / var_pop**2
    c = n / (n - z)
    spread = c * np.sqrt(np.maximum(kurtosis - (n - 3) / n, 0) / (n - 1))
    centre = c * var_pop * n / (n - 1)
    return np.sqrt(centre * np.exp(-z * spread)), np.sqrt(centre * np.exp(z * spread * stretch))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sims", type=int, default=20_000)
    ap.add_argument("--level", type=float, default=0.95)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    print(f"coverage of {args.level:.0%} intervals of the standard deviation ({args.sims} samples per row; "
          "in brackets: the share below / above the truth)\n")
    print("| scores | n | Bonett (`bonett`) | with the tail allowance (`bonett-tail`) | allowance | median width, "
          "`bonett-tail` / `bonett` |")
    print("|---|---|---|---|---|---|")
    for name, n in SCENARIOS:
        draw = DISTRIBUTIONS[name]
        truth = float(np.std(draw(np.random.default_rng(1), 4_000_000)))
        x = draw(np.random.default_rng([args.seed, n, len(name)]), (args.sims, n))
        cells, widths = [], []
        for stretch in (1.0, tail_allowance(n)):
            low, high = bonett(x, args.level, stretch)
            widths.append(high - low)
            cover = 100 * float(np.mean((low <= truth) & (truth <= high)))
            below, above = 100 * float(np.mean(high < truth)), 100 * float(np.mean(low > truth))
            cells.append(f"{cover:.1f}% ({below:.1f} / {above:.1f})")
        ratio = float(np.median(widths[1] / widths[0]))
        print(f"| {name} | {n} | " + " | ".join(cells) + f" | {tail_allowance(n):.2f} | {ratio:.2f} |", flush=True)


if __name__ == "__main__":
    main()
