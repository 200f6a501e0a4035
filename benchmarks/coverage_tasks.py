"""Coverage of the intervals of every task beyond binary count metrics (imported by coverage.py).

Each scenario is a data-generating process with two groups, ``a`` and ``b`` (``b`` differs by a
known shift).  The true value of every metric is its value on one very large sample of the same
process (2 million rows per group, computed once per scenario), so the Monte Carlo error of the
truth is far below the width of any interval checked.  Each simulation draws ``n`` rows per
group, computes them with cardwright (``method: auto``) and checks whether group a's interval,
and the interval of the difference b − a of the first metric, contain the truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

TRUTH_ROWS = 2_000_000


@dataclass(frozen=True)
class Scenario:
    task: str
    rows: int
    """Rows per group."""
    draw: Callable[[np.random.Generator, int, str], dict[str, Any]]
    metrics: tuple[str, ...]
    data: tuple[tuple[str, Any], ...]
    extra: tuple[tuple[str, Any], ...] = ()
    exact: tuple[tuple[tuple[str, str], float], ...] = ()
    """Truths known exactly, in place of the large sample's: ((group, metric), value)."""


def _binary(shape: float) -> Callable[[np.random.Generator, int, str], dict[str, Any]]:
    """Scores s ~ Beta(2, 3); labels ~ Bernoulli(s^shape): calibrated at shape 1, over-confident above."""
    def draw(rng: np.random.Generator, n: int, group: str) -> dict[str, Any]:
        s = rng.beta(2, 3 if group == "a" else 2.5, n)
        y = (rng.random(n) < s**shape).astype(int)
        return {"y": y, "s": s}
    return draw


def _multiclass(classes: int, skill: float) -> Callable[[np.random.Generator, int, str], dict[str, Any]]:
    """Class scores from a Dirichlet; the label is the top-scored class with probability ``skill``."""
    def draw(rng: np.random.Generator, n: int, group: str) -> dict[str, Any]:
        probs = rng.dirichlet(np.ones(classes) * 0.7, n)
        p = skill if group == "a" else skill - 0.1
        top = probs.argmax(1)
        y = np.where(rng.random(n) < p, top, rng.integers(0, classes, n))
        out = {"y": y, "p": top}
        out.update({f"s{c}": probs[:, c] for c in range(classes)})
        return out
    return draw


def _regression(errors: str) -> Callable[[np.random.Generator, int, str], dict[str, Any]]:
    def draw(rng: np.random.Generator, n: int, group: str) -> dict[str, Any]:
        y = rng.normal(100, 15, n)
        e = {"normal": rng.normal(0, 5, n), "heavy": rng.standard_t(4, n) * 4,
             "skewed": rng.lognormal(1.0, 0.6, n) - 3.2}[errors]
        return {"y": y, "p": y + e + (0 if group == "a" else 1.0)}
    return draw


def _scored(kind: str) -> Callable[[np.random.Generator, int, str], dict[str, Any]]:
    def draw(rng: np.random.Generator, n: int, group: str) -> dict[str, Any]:
        shift = 0 if group == "a" else 1
        if kind == "toxicity":
            return {"x": rng.beta(1.0, 7.0 - shift, n)}
        if kind == "ratings":
            return {"x": rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=[0.1, 0.15, 0.3, 0.3 - 0.1 * shift,
                                                                      0.15 + 0.1 * shift])}
        return {"x": rng.random(n) < 0.75 - 0.1 * shift}
    return draw


def _weights(rng: np.random.Generator, n: int) -> np.ndarray:
    out: np.ndarray = rng.gamma(2.0, 0.5, n)
    return out


PROBABILITY = ("brier_score", "log_loss", "average_precision", "expected_calibration_error")
MULTI = ("accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "top_k_accuracy", "macro_precision")
REGRESSION = ("mean_absolute_error", "root_mean_squared_error", "mean_squared_error", "r2", "mean_error",
              "median_absolute_error", "mean_label")
SCORED = ("mean", "std", "pass_rate", "p10", "p50", "p90")

BINARY_DATA = (("label", "y"), ("score", "s"), ("threshold", 0.5))


def _multi_data(classes: int) -> tuple[tuple[str, Any], ...]:
    return (("label", "y"), ("prediction", "p"), ("class_scores", tuple((c, f"s{c}") for c in range(classes))))


MULTI_DATA = _multi_data(5)
REGRESSION_DATA = (("label", "y"), ("prediction", "p"))
SCORED_DATA = (("score", "x"), ("pass_threshold", 0.3))

SCENARIOS: dict[str, Scenario] = {
    "probability, n=40, calibrated": Scenario("binary-classification", 40, _binary(1.0), PROBABILITY, BINARY_DATA),
    "probability, n=300, over-confident": Scenario("binary-classification", 300, _binary(1.6), PROBABILITY,
                                                   BINARY_DATA),
    "probability, n=3000, calibrated": Scenario("binary-classification", 3000, _binary(1.0), PROBABILITY,
                                                BINARY_DATA),
    "multiclass (5 classes), n=60": Scenario("multiclass-classification", 60, _multiclass(5, 0.6), MULTI, MULTI_DATA),
    "multiclass (5 classes), n=1000": Scenario("multiclass-classification", 1000, _multiclass(5, 0.6), MULTI,
                                               MULTI_DATA),
    "regression, n=40, normal errors": Scenario("regression", 40, _regression("normal"), REGRESSION, REGRESSION_DATA),
    "regression, n=40, heavy-tailed errors": Scenario("regression", 40, _regression("heavy"), REGRESSION,
                                                      REGRESSION_DATA),
    "regression, n=500, skewed errors": Scenario("regression", 500, _regression("skewed"), REGRESSION,
                                                 REGRESSION_DATA),
    "scored, n=40, toxicity scores": Scenario("scored", 40, _scored("toxicity"), SCORED, SCORED_DATA),
    # a rating of 4 or 5 passes (the toxicity scenario's threshold of 0.3 would pass every rating).
    # Exactly 10% of ratings are 1, so the true p10 (the averaged inverted distribution function) is
    # 1.5, midway between 1 and 2; a large sample puts it at 1 or at 2 by chance (1, with 10.03% of
    # ones, in this one), so the truths of the percentiles are the distribution's own.
    "scored, n=300, ratings 1-5": Scenario("scored", 300, _scored("ratings"), SCORED,
                                           (("score", "x"), ("pass_threshold", 4.0)),
                                           exact=((("a", "p10"), 1.5), (("a", "p50"), 3.0), (("a", "p90"), 5.0),
                                                  (("b", "p10"), 1.5), (("b", "p50"), 3.0), (("b", "p90"), 5.0))),
    "scored, n=100, pass/fail": Scenario("scored", 100, _scored("boolean"), ("mean", "pass_rate"), (("score", "x"),)),
    # beyond the first table: other sizes, skewness and class counts, to check that the methods
    # chosen on the scenarios above generalise
    "multiclass (3 classes), n=30": Scenario("multiclass-classification", 30, _multiclass(3, 0.7), MULTI,
                                             _multi_data(3)),
    "multiclass (4 classes), n=40, accurate": Scenario("multiclass-classification", 40, _multiclass(4, 0.85),
                                                       MULTI, _multi_data(4)),
    "regression, n=40, skewed errors": Scenario("regression", 40, _regression("skewed"), REGRESSION,
                                                REGRESSION_DATA),
    "regression, n=200, heavy-tailed errors": Scenario("regression", 200, _regression("heavy"), REGRESSION,
                                                       REGRESSION_DATA),
    "scored, n=100, toxicity scores": Scenario("scored", 100, _scored("toxicity"), SCORED, SCORED_DATA),
    "regression, n=100, weighted": Scenario("regression", 100, _regression("normal"), REGRESSION,
                                            (*REGRESSION_DATA, ("weight", "w"))),
    "probability, n=300, weighted": Scenario("binary-classification", 300, _binary(1.0), PROBABILITY,
                                             (*BINARY_DATA, ("weight", "w"))),
}


def _spec(scenario: Scenario, resamples: int, seed: int) -> Any:
    from cardwright.schema.analysis import QuantitativeAnalyses

    data: dict[str, Any] = {"path": "-"}
    for key, value in scenario.data:
        data[key] = dict(value) if key == "class_scores" else value
    metrics = list(scenario.metrics)
    return QuantitativeAnalyses.model_validate({
        "task": scenario.task, "data": data, "factors": ["g"], "metrics": metrics, "min_group_size": 1, "min_cell_size": 1,
        "reference_groups": {"g": "a"}, "confidence": {"resamples": resamples, "seed": seed},
        **dict(scenario.extra),
    })


def _frame(scenario: Scenario, rng: np.random.Generator, n: int) -> Any:
    import pandas as pd

    parts = []
    for group in ("a", "b"):
        columns = scenario.draw(rng, n, group)
        columns["g"] = group
        columns["w"] = _weights(rng, n)
        parts.append(pd.DataFrame(columns))
    return pd.concat(parts, ignore_index=True)


@cache
def truth(name: str) -> dict[tuple[str, str], float]:
    """Each metric of each group on a very large sample."""
    from cardwright._compute.analyses import compute_analyses

    scenario = SCENARIOS[name]
    rng = np.random.default_rng(12345)
    results = compute_analyses(_spec(scenario, 0, 0), _frame(scenario, rng, TRUTH_ROWS))
    large = {(r.slice["g"], r.metric): float(r.value) for r in results.results
             if list(r.slice) == ["g"] and r.value is not None}
    return {**large, **dict(scenario.exact)}


def simulate(name: str, seed: int, sims: int, resamples: int) -> dict[tuple[str, str, str], tuple[int, int]]:
    from cardwright._compute.analyses import compute_analyses

    scenario = SCENARIOS[name]
    want = truth(name)
    rng = np.random.default_rng(seed)
    tally: dict[tuple[str, str, str], list[int]] = {}
    first = scenario.metrics[0]
    for _ in range(sims):
        frame = _frame(scenario, rng, scenario.rows)
        try:
            res = compute_analyses(_spec(scenario, resamples, int(rng.integers(1 << 31))), frame)
        except Exception:  # a simulated set that cannot be computed (e.g. no positive label)
            continue
        for row in res.results:
            if row.slice.get("g") != "a" or ("a", row.metric) not in want:
                continue
            cell = tally.setdefault((name, row.metric, "auto"), [0, 0])
            if row.ci_low is not None and row.ci_high is not None:
                cell[0] += row.ci_low <= want[("a", row.metric)] <= row.ci_high
                cell[1] += 1
        gap = next((d for d in res.disparities if d.metric == first and d.group == {"g": "b"}), None)
        cell = tally.setdefault((name, f"{first} difference b - a", "auto"), [0, 0])
        if gap is not None and gap.ci_low is not None and gap.ci_high is not None:
            cell[0] += gap.ci_low <= want[("b", first)] - want[("a", first)] <= gap.ci_high
            cell[1] += 1
    return {k: (v[0], v[1]) for k, v in tally.items()}


def rows(name: str) -> list[str]:
    scenario = SCENARIOS[name]
    return [*scenario.metrics, f"{scenario.metrics[0]} difference b - a"]
