"""How often do cardwright's 95% intervals cover the truth?

Simulates evaluation sets with known true rates (small groups, rare positives, rates near 0 and
1), computes them with cardwright, and reports, per scenario and metric, the share of intervals
that contain the true value, for the default interval method (`auto`: Wilson for proportions,
bootstrap otherwise) and for the plain percentile bootstrap (`percentile`).  Each row also shows
how many simulations had a defined interval.  Two groups per simulated set (b has a lower TPR
than a), so the disparity interval of the selection-rate difference b − a is checked too.

    python benchmarks/coverage.py                 # 400 simulations per scenario, binary count metrics
    python benchmarks/coverage.py --tasks         # every other task (coverage_tasks.py)
    python benchmarks/coverage.py --sims 1000 --resamples 1000
    python benchmarks/coverage.py --bias          # a datasheet's pre-training bias measures instead

With ``--bias``, tables of a facet d and the rest a, two strata and a yes/no label are drawn from
known cell probabilities, and the intervals of every Clarify measure of d (CI, DPL, KL, JS, LP,
TVD, KS, CDDL) are checked against the measure of the probabilities themselves.

The other tasks' scenarios (probability metrics, multiclass, regression, scored, with weights)
are defined in coverage_tasks.py; their truths come from a very large sample of the same process.

Stand-alone companions (numpy only, seconds to minutes): coverage_mse.py compares intervals of the
mean squared and absolute errors, coverage_ap.py those of average precision, and coverage_exact.py
computes the exact coverage of a share's interval (no simulation) and of the percentiles of
discrete ratings.

Target: 93–97% everywhere (the Monte Carlo standard error with 400 simulations is about 1.1%).
"""

from __future__ import annotations

import argparse
import math
from concurrent.futures import ProcessPoolExecutor
from statistics import NormalDist

import numpy as np

#: name -> (rows per group, base rate, TPR, FPR, AUC separation d)
SCENARIOS = {
    "small groups (n=40), moderate rates": (40, 0.5, 0.8, 0.2, 1.0),
    "small groups (n=40), rates near 0 and 1": (40, 0.5, 0.97, 0.03, 2.5),
    "rare positives (n=300, base rate 5%)": (300, 0.05, 0.7, 0.05, 1.5),
    "medium groups (n=500)": (500, 0.3, 0.75, 0.1, 1.0),
    "large groups (n=5000), extreme rates": (5000, 0.02, 0.99, 0.01, 3.0),
}
METRICS = ["selection_rate", "accuracy", "recall", "false_positive_rate", "precision", "balanced_accuracy",
           "f1", "roc_auc"]
TPR_GAP = 0.1  # group b's TPR is lower by this much


def truth(base: float, tpr: float, fpr: float, d: float) -> dict[str, float]:
    sel = base * tpr + (1 - base) * fpr
    prec = base * tpr / sel
    return {
        "selection_rate": sel, "accuracy": base * tpr + (1 - base) * (1 - fpr), "recall": tpr,
        "false_positive_rate": fpr, "precision": prec, "balanced_accuracy": (tpr + 1 - fpr) / 2,
        "f1": 2 * prec * tpr / (prec + tpr), "roc_auc": NormalDist().cdf(d / math.sqrt(2)),
    }


def simulate(args: tuple[str, int, int, int]) -> dict[tuple[str, str, str], tuple[int, int]]:
    import pandas as pd

    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    name, seed, sims, resamples = args
    n, base, tpr, fpr, d = SCENARIOS[name]
    tpr_b = max(0.0, tpr - TPR_GAP)
    want = {"a": truth(base, tpr, fpr, d), "b": truth(base, tpr_b, fpr, d)}
    rng = np.random.default_rng(seed)
    tally: dict[tuple[str, str, str], list[int]] = {}
    for _ in range(sims):
        frames = []
        for group, rate in (("a", tpr), ("b", tpr_b)):
            y = rng.random(n) < base
            p = np.where(y, rng.random(n) < rate, rng.random(n) < fpr)
            s = 1 / (1 + np.exp(-(rng.normal(size=n) + d * y)))
            frames.append(pd.DataFrame({"y": y.astype(int), "p": p.astype(int), "s": s, "g": group}))
        frame = pd.concat(frames, ignore_index=True)
        for method in ("auto", "percentile"):
            qa = QuantitativeAnalyses.model_validate({
                "data": {"path": "-", "label": "y", "prediction": "p", "score": "s"},
                "factors": ["g"], "metrics": METRICS, "min_group_size": 1, "min_cell_size": 1,
                "reference_groups": {"g": "a"},
                "confidence": {"resamples": resamples, "seed": int(rng.integers(1 << 31)), "method": method},
            })
            try:
                res = compute_analyses(qa, frame)
            except Exception:  # a simulated set without any positive at all
                continue
            for row in res.results:
                if row.slice.get("g") != "a":
                    continue
                cell = tally.setdefault((name, row.metric, method), [0, 0])
                if row.ci_low is not None:
                    cell[0] += row.ci_low <= want["a"][row.metric] <= row.ci_high
                    cell[1] += 1
            dp = next(x for x in res.disparities if x.metric == "selection_rate" and x.group == {"g": "b"})
            cell = tally.setdefault((name, "selection_rate difference b - a", method), [0, 0])
            if dp.ci_low is not None:
                cell[0] += dp.ci_low <= want["b"]["selection_rate"] - want["a"]["selection_rate"] <= dp.ci_high
                cell[1] += 1
    return {k: (v[0], v[1]) for k, v in tally.items()}


def _task_job(args: tuple[str, int, int, int]) -> dict[tuple[str, str, str], tuple[int, int]]:
    import coverage_tasks

    return coverage_tasks.simulate(*args)


def tasks(args: argparse.Namespace) -> None:
    import coverage_tasks

    names = [n for n in coverage_tasks.SCENARIOS if not args.only or args.only in n]
    per_job = max(1, args.sims // (2 * args.workers))
    jobs = [(name, 7000 + 1000 * i + j, min(per_job, args.sims - j), args.resamples)
            for i, name in enumerate(names) for j in range(0, args.sims, per_job)]
    total: dict[tuple[str, str, str], list[int]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        for part in pool.map(_task_job, jobs):
            for k, (hit, n) in part.items():
                cell = total.setdefault(k, [0, 0])
                cell[0] += hit
                cell[1] += n
    print(f"coverage of 95% intervals ({args.sims} simulations per scenario, {args.resamples} resamples)\n")
    print("| scenario | metric | coverage |\n|---|---|---|")
    for name in names:
        for metric in coverage_tasks.rows(name):
            hit, n = total.get((name, metric, "auto"), (0, 0))
            print(f"| {name} | {metric} | {f'{100 * hit / n:.1f}% (of {n})' if n else 'n/a'} |")


#: name -> (rows, P(facet d), P(yes | d, stratum 1), P(yes | d, stratum 2), P(yes | a, s1), P(yes | a, s2),
#:          P(stratum 1 | d), P(stratum 1 | a))
BIAS_SCENARIOS = {
    "small table (n=200), moderate differences": (200, 0.4, 0.3, 0.6, 0.5, 0.7, 0.7, 0.4),
    "no difference at all (n=500)": (500, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5),
    "rare facet (n=1000, 5% in d)": (1000, 0.05, 0.2, 0.4, 0.3, 0.5, 0.5, 0.5),
    "large table (n=5000)": (5000, 0.3, 0.1, 0.4, 0.2, 0.3, 0.6, 0.3),
}


def _bias_cells(scenario: tuple[float, ...]) -> np.ndarray:
    """Cell probabilities ``[facet (d, a), stratum, label (yes, no)]``."""
    _, pd_, yd1, yd2, ya1, ya2, sd, sa = scenario
    cells = np.zeros((2, 2, 2))
    for f, (share, s1, y1, y2) in enumerate(((pd_, sd, yd1, yd2), (1 - pd_, sa, ya1, ya2))):
        for s, (ps, py) in enumerate(((s1, y1), (1 - s1, y2))):
            cells[f, s] = [share * ps * py, share * ps * (1 - py)]
    return cells


def simulate_bias(job: tuple[str, int, int, int]) -> dict[tuple[str, str], tuple[int, int]]:
    import pandas as pd

    from cardwright._compute import clarify
    from cardwright._compute.composition import compute_composition
    from cardwright.schema.analysis import CompositionData
    from cardwright.schema.bias import BIAS_METRIC_NAMES

    name, seed, sims, resamples = job
    scenario = BIAS_SCENARIOS[name]
    n = int(scenario[0])
    cells = _bias_cells(scenario)
    positive = np.array([True, False])
    truths = {m: float(clarify.measure(m, cells[0], cells.sum(0), positive)) for m in BIAS_METRIC_NAMES}
    spec = CompositionData.model_validate({
        "path": "unused.csv", "label": "y", "positive_label": "yes", "sensitive_attributes": ["f"],
        "conditional_on": ["s"], "bias_metrics": list(BIAS_METRIC_NAMES), "min_cell_size": 1,
        "confidence": {"resamples": resamples}})
    rng = np.random.default_rng(seed)
    out: dict[tuple[str, str], list[int]] = {}
    labels = [(f, s, y) for f in ("d", "a") for s in ("s1", "s2") for y in ("yes", "no")]
    for i in range(sims):
        counts = rng.multinomial(n, cells.ravel())
        frame = pd.DataFrame([row for row, c in zip(labels, counts) for _ in range(c)], columns=["f", "s", "y"])
        result = compute_composition(spec.model_copy(update={"confidence": spec.confidence.model_copy(
            update={"seed": seed + i})}), frame)
        assert result.bias is not None
        for row in result.bias.measures:
            if row.facet != {"f": "d"} or row.ci_low is None or row.ci_high is None:
                continue
            cell = out.setdefault((name, row.metric), [0, 0])
            cell[0] += int(row.ci_low <= truths[row.metric] <= row.ci_high)
            cell[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def bias_main(args: argparse.Namespace) -> None:
    from cardwright.schema.bias import BIAS_METRIC_NAMES

    jobs = []
    per_job = max(1, args.sims // (2 * args.workers))
    for i, name in enumerate(BIAS_SCENARIOS):
        for j in range(0, args.sims, per_job):
            jobs.append((name, 1000 * i + j, min(per_job, args.sims - j), args.resamples))
    total: dict[tuple[str, str], list[int]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        for part in pool.map(simulate_bias, jobs):
            for k, (hit, n) in part.items():
                cell = total.setdefault(k, [0, 0])
                cell[0] += hit
                cell[1] += n
    print(f"coverage of 95% intervals of the bias measures of facet d ({args.sims} simulations per scenario, "
          f"{args.resamples} resamples)\n")
    print("| scenario | measure | coverage |\n|---|---|---|")
    for name in BIAS_SCENARIOS:
        for metric in BIAS_METRIC_NAMES:
            hit, n = total.get((name, metric), (0, 0))
            print(f"| {name} | {metric} | {f'{100 * hit / n:.1f}% (of {n})' if n else 'n/a'} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sims", type=int, default=400)
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tasks", action="store_true", help="the other tasks' scenarios (coverage_tasks.py)")
    ap.add_argument("--only", help="with --tasks: scenarios whose name contains this")
    ap.add_argument("--bias", action="store_true", help="the datasheet bias measures instead of the model metrics")
    args = ap.parse_args()
    if args.tasks:
        tasks(args)
        return
    if args.bias:
        bias_main(args)
        return
    jobs = []
    per_job = max(1, args.sims // (2 * args.workers))
    for i, name in enumerate(SCENARIOS):
        for j in range(0, args.sims, per_job):
            jobs.append((name, 1000 * i + j, min(per_job, args.sims - j), args.resamples))
    total: dict[tuple[str, str, str], list[int]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        for part in pool.map(simulate, jobs):
            for k, (hit, n) in part.items():
                cell = total.setdefault(k, [0, 0])
                cell[0] += hit
                cell[1] += n
    print(f"coverage of 95% intervals ({args.sims} simulations per scenario, {args.resamples} resamples)\n")
    print("| scenario | metric | auto | percentile bootstrap |\n|---|---|---|---|")
    for name in SCENARIOS:
        for metric in [*METRICS, "selection_rate difference b - a"]:
            cells = []
            for method in ("auto", "percentile"):
                hit, n = total.get((name, metric, method), (0, 0))
                cells.append(f"{100 * hit / n:.1f}% (of {n})" if n else "n/a")
            print(f"| {name} | {metric} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
