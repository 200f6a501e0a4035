"""The mean absolute and squared errors' intervals (``hall-bonett``, ``hall-bonett-tail``) for
errors of nearly equal size: a model with a constant offset, whose errors are N(1, σ).

Bonett's constant moves the interval's centre up by ``ln c ≈ z / n`` on the log scale whatever the
values' spread, while Hall's half-width shrinks with their relative spread; without a floor the
move alone carried the lower end above the mean.  The lower end now stays at least
``LOWER_END_SHARE`` (0.8) of Hall's distance below the mean on the log scale
(``cardwright._compute.intervals.positive_mean_interval``).  Each row: the coverage of the true
mean without the floor and with it (cardwright's), and how many samples the floor changed; the
errors centred on zero are the scenarios of coverage_mse.py, where the floor should change
nothing that matters.

    python benchmarks/coverage_offset.py
    python benchmarks/coverage_offset.py --sims 4000 --rows 100
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np

from cardwright._compute.intervals import mean_interval, positive_mean_interval, z_value

Draw = Callable[[np.random.Generator, int], np.ndarray]

SCENARIOS: list[tuple[str, Draw]] = [
    ("N(1, 0.02)", lambda r, k: r.normal(1, 0.02, k)),
    ("N(1, 0.1)", lambda r, k: r.normal(1, 0.1, k)),
    ("N(1, 0.2)", lambda r, k: r.normal(1, 0.2, k)),
    ("N(1, 0.4)", lambda r, k: r.normal(1, 0.4, k)),
    ("N(0, 1)", lambda r, k: r.normal(0, 1, k)),
    ("t(4)", lambda r, k: r.standard_t(4, k)),
    ("lognormal - 3.2", lambda r, k: r.lognormal(1, 0.6, k) - 3.2),
]


def unfloored(values: np.ndarray, level: float) -> float:
    """The lower end before the floor: ``c x̄ (l / x̄)^c``, ``l`` Hall's."""
    n, mean = len(values), float(values.mean())
    low, _, _ = mean_interval(mean, float((values**2).mean()), n, level, float((values**3).mean()))
    c = n / (n - z_value(level))
    return c * mean * (low / mean) ** c if low > 0 else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sims", type=int, default=3000)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--level", type=float, default=0.95)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print("| errors | rows | metric | without the floor | with it | samples the floor changed |")
    print("|---|---|---|---|---|---|")
    for label, draw in SCENARIOS:
        big = draw(np.random.default_rng(args.seed + 1), 2_000_000)
        truths = {"mean_absolute_error": float(np.abs(big).mean()), "mean_squared_error": float((big**2).mean())}
        rng = np.random.default_rng(args.seed)
        before = {m: 0 for m in truths}
        after = {m: 0 for m in truths}
        changed = {m: 0 for m in truths}
        for _ in range(args.sims):
            e = draw(rng, args.rows)
            for metric, values in (("mean_absolute_error", np.abs(e)), ("mean_squared_error", e**2)):
                m = float(values.mean())
                low, high, method = positive_mean_interval(m, float((values**2).mean()), args.rows, args.level,
                                                           float((values**3).mean()),
                                                           tail=metric == "mean_squared_error")
                old = unfloored(values, args.level) if method.startswith("hall-bonett") else low
                truth = truths[metric]
                before[metric] += old <= truth <= high
                after[metric] += low <= truth <= high
                changed[metric] += old != low
        for metric in truths:
            print(f"| {label} | {args.rows} | {metric} | {100 * before[metric] / args.sims:.1f}% | "
                  f"{100 * after[metric] / args.sims:.1f}% | {changed[metric]} of {args.sims} |")


if __name__ == "__main__":
    main()
