"""Disparities against fairlearn (between groups) and the AIF360 definitions (to a reference
group); gates on estimates and interval ends; intervals from the same draws as the groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm
from sklearn.metrics import precision_score

from cardwright._compute.analyses import compute_analyses
from cardwright.schema.analysis import QuantitativeAnalyses


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 8000
    race = rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1])
    sex = rng.choice(["f", "m"], n)
    y = (rng.random(n) < np.select([race == "a", race == "b"], [0.3, 0.4], 0.5)).astype(int)
    p = ((rng.random(n) < 0.7) == y.astype(bool)) ^ (rng.random(n) < np.where(sex == "m", 0.15, 0.05))
    return pd.DataFrame({"y": y, "p": p.astype(int), "race": race, "sex": sex})


def spec(**extra) -> QuantitativeAnalyses:
    base = {
        "data": {"path": "-", "label": "y", "prediction": "p"},
        "factors": ["race", "sex"],
        "metrics": ["selection_rate", "recall", "false_positive_rate", "accuracy", "precision"],
        "confidence": {"resamples": 200, "seed": 4},
        "min_group_size": 10,
    }
    return QuantitativeAnalyses.model_validate({**base, **extra})


def disparity(results, over, metric, group=None):
    return next(d for d in results.disparities if d.over == over and d.metric == metric and d.group == group)


@pytest.mark.parametrize("over", [["race"], ["sex"], ["race", "sex"]])
def test_between_groups_equals_fairlearn(frame, over):
    results = compute_analyses(spec(), frame)
    y, p = frame["y"], frame["p"]
    sf = frame[over]
    cases = {
        "demographic_parity": (flm.demographic_parity_difference, flm.demographic_parity_ratio),
        "equalized_odds": (flm.equalized_odds_difference, flm.equalized_odds_ratio),
        "equal_opportunity": (flm.equal_opportunity_difference, flm.equal_opportunity_ratio),
        "selection_rate": (flm.selection_rate_difference, flm.selection_rate_ratio),
        "recall": (flm.true_positive_rate_difference, flm.true_positive_rate_ratio),
        "false_positive_rate": (flm.false_positive_rate_difference, flm.false_positive_rate_ratio),
        "accuracy": (flm.accuracy_score_difference, flm.accuracy_score_ratio),
    }
    for metric, (diff_fn, ratio_fn) in cases.items():
        row = disparity(results, over, metric)
        assert row.comparison == "between-groups"
        assert row.difference == pytest.approx(diff_fn(y, p, sensitive_features=sf), abs=1e-12), metric
        assert row.ratio == pytest.approx(ratio_fn(y, p, sensitive_features=sf), abs=1e-12), metric
        assert row.ci_low <= row.difference <= row.ci_high or metric == "equalized_odds"
    mf = flm.MetricFrame(metrics={"precision": precision_score}, y_true=y, y_pred=p, sensitive_features=sf)
    row = disparity(results, over, "precision")
    assert row.difference == pytest.approx(mf.difference()["precision"], abs=1e-12)
    assert row.ratio == pytest.approx(mf.ratio()["precision"], abs=1e-12)
    by_group = mf.by_group["precision"]
    assert row.highest == dict(zip(over, map(str, np.atleast_1d(by_group.idxmax()))))


def test_reference_group_follows_aif360(frame):
    results = compute_analyses(spec(reference_groups={"race": "a"}), frame)
    rates = {}
    for g, sub in frame.groupby("race"):
        pos, neg = sub[sub.y == 1], sub[sub.y == 0]
        rates[g] = (sub.p.mean(), pos.p.mean(), neg.p.mean())  # selection rate, TPR, FPR
    sr_a, tpr_a, fpr_a = rates["a"]
    for g in "bcd":
        sr, tpr, fpr = rates[g]
        key = {"race": g}
        dp = disparity(results, ["race"], "demographic_parity", key)
        assert dp.comparison == "to-reference" and dp.reference == {"race": "a"}
        assert dp.difference == pytest.approx(sr - sr_a, abs=1e-12)  # statistical parity difference
        assert dp.ratio == pytest.approx(sr / sr_a, abs=1e-12)  # disparate impact
        assert disparity(results, ["race"], "equal_opportunity", key).difference == pytest.approx(tpr - tpr_a, abs=1e-12)
        avg = disparity(results, ["race"], "average_odds", key)
        assert avg.difference == pytest.approx(0.5 * ((fpr - fpr_a) + (tpr - tpr_a)), abs=1e-12)
        assert avg.ratio is None
    summary = disparity(results, ["race"], "selection_rate")
    diffs = {g: rates[g][0] - sr_a for g in "bcd"}
    far = max(diffs, key=lambda g: abs(diffs[g]))
    assert summary.pair == {"race": far}  # the headline names its pair and holds that pair's numbers
    assert summary.difference == pytest.approx(diffs[far], abs=1e-12)
    assert summary.ratio == pytest.approx(rates[far][0] / sr_a, abs=1e-12)
    # intersections have no complete reference: they fall back to between-groups
    assert disparity(results, ["race", "sex"], "selection_rate").comparison == "between-groups"


def test_gates_pass_and_fail_on_estimates_and_intervals(frame):
    results = compute_analyses(spec(gates=[
        {"metric": "selection_rate", "over": ["sex"], "max_difference": 0.5},
        {"metric": "false_positive_rate", "over": ["sex"], "max_difference": 0.0001},
        {"metric": "demographic_parity", "over": ["race"], "min_ratio": 0.5, "use": "interval"},
        {"metric": "accuracy", "over": ["sex", "race"], "min_ratio": 0.99},
        {"metric": "average_odds", "over": ["race"], "min_ratio": 0.9},
    ]), frame)
    g = results.gates
    fpr = disparity(results, ["sex"], "false_positive_rate")
    assert g[0].passed and g[0].value == pytest.approx(disparity(results, ["sex"], "selection_rate").difference)
    assert not g[1].passed and g[1].value == pytest.approx(fpr.difference)
    dp = disparity(results, ["race"], "demographic_parity")
    # the gate compares a statistic of all groups (the smallest ratio), whose interval's low end
    # lies below the named pair's ratio, the smallest at the estimate
    assert g[2].use == "interval" and g[2].value <= dp.ratio and g[2].passed
    assert not g[3].passed and g[3].over == ["race", "sex"]
    assert not g[4].passed and g[4].value is None and "no ratio" in g[4].reason


def test_disparity_interval_comes_from_the_groups_draws(frame):
    from cardwright._compute.bootstrap import evaluate
    from cardwright._compute.decode import BatchDecoder
    from cardwright._compute.engines.arrow import count
    from cardwright._compute.intervals import percentile
    from cardwright._compute.reading import open_source
    from cardwright._compute.tasks.binary import confusion_table

    qa = spec(reference_groups={"race": "a"})
    row = disparity(compute_analyses(qa, frame), ["race"], "recall", {"race": "c"})
    table = confusion_table(count(BatchDecoder(qa.data, qa.factors, open_source(frame))))
    draws = evaluate(table, [("race",)], ["recall"], resamples=200, seed=4)[("race",)].draws["recall"]
    diff = draws[:, 2] - draws[:, 0]  # groups a, b, c, d in order: c minus a, resample by resample
    low, high = percentile(diff[1:, None], 0.95)
    assert (row.difference, row.ci_low, row.ci_high) == (diff[0], low[0], high[0])
    independent = np.random.default_rng(0).permutation(draws[1:, 0])  # pairing broken
    assert tuple(percentile((draws[1:, 2] - independent)[:, None], 0.95)) != (low, high)
