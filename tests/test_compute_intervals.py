"""Interval methods: Wilson against published values, the score-type intervals at the edges,
and the count-cell bootstrap behaving as a row bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cardwright._compute.analyses import compute_analyses
from cardwright._compute.intervals import auc_score_interval, balanced_accuracy_interval, f1_interval, wilson
from cardwright.schema.analysis import QuantitativeAnalyses


@pytest.mark.parametrize("k,n,low,high", [
    (0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0), (5, 10, 0.2366, 0.7634), (81, 263, 0.2553, 0.3662),
])
def test_wilson_matches_published_values(k, n, low, high):
    lo, hi = wilson(np.array(k), np.array(n), 0.95)
    assert (float(lo), float(hi)) == pytest.approx((low, high), abs=1e-4)


def test_score_intervals_stay_informative_at_the_edges():
    lo, hi = auc_score_interval(1.0, 20, 20, 0.95)
    assert hi == 1.0 and 0.85 < lo < 0.95
    wide, narrow = auc_score_interval(0.75, 50, 50, 0.95), auc_score_interval(0.75, 5000, 5000, 0.95)
    assert wide[0] < narrow[0] < 0.75 < narrow[1] < wide[1]
    lo, hi = balanced_accuracy_interval(tp=20, fn=0, tn=20, fp=0, level=0.95)
    assert hi == 1.0 and 0.85 < lo < 1.0
    lo, hi = f1_interval(tp=30, fp=5, fn=5, level=0.95)
    w_lo, w_hi = wilson(np.array(30), np.array(40), 0.95)
    assert (lo, hi) == pytest.approx((2 * w_lo / (1 + w_lo), 2 * w_hi / (1 + w_hi)))
    assert lo < 2 * 30 / (2 * 30 + 10) < hi


def test_percentile_method_bootstraps_everything_and_auto_uses_score_intervals():
    rng = np.random.default_rng(1)
    n = 300
    y = rng.integers(0, 2, n)
    frame = pd.DataFrame({"y": y, "p": np.where(rng.random(n) < 0.8, y, 1 - y), "s": rng.random(n).round(2)})
    spec = {"data": {"path": "-", "label": "y", "prediction": "p", "score": "s"},
            "metrics": ["accuracy", "balanced_accuracy", "f1", "roc_auc"], "confidence": {"resamples": 300}}
    auto = compute_analyses(QuantitativeAnalyses.model_validate(spec), frame)
    assert [r.interval for r in auto.results] == ["wilson", "wilson-effective", "wilson-transformed", "delong-logit"]
    spec["confidence"]["method"] = "percentile"
    boot = compute_analyses(QuantitativeAnalyses.model_validate(spec), frame)
    assert [r.interval for r in boot.results] == ["bootstrap-percentile"] * 3 + ["bootstrap-shifted"]
    for a, b in zip(auto.results, boot.results, strict=True):
        assert a.value == b.value
        assert a.ci_low < a.value < a.ci_high and b.ci_low < b.value < b.ci_high
        assert abs((a.ci_high - a.ci_low) - (b.ci_high - b.ci_low)) < 0.03


def test_cell_bootstrap_has_the_row_bootstrap_variance():
    from cardwright._compute.bootstrap import evaluate
    from cardwright._compute.decode import BatchDecoder
    from cardwright._compute.engines.arrow import count
    from cardwright._compute.reading import open_source
    from cardwright._compute.tasks.binary import confusion_table

    rng = np.random.default_rng(2)
    n = 2000
    y = rng.integers(0, 2, n)
    frame = pd.DataFrame({"y": y, "p": np.where(rng.random(n) < 0.8, y, 1 - y), "g": rng.choice(["a", "b"], n)})
    qa = QuantitativeAnalyses.model_validate({"data": {"path": "-", "label": "y", "prediction": "p"}, "factors": ["g"]})
    table = confusion_table(count(BatchDecoder(qa.data, qa.factors, open_source(frame))))
    sets = evaluate(table, [(), ("g",)], ["accuracy"], resamples=4000, seed=3)
    draws = sets[()].draws["accuracy"]
    acc = draws[0, 0]
    assert np.var(draws[1:, 0]) == pytest.approx(acc * (1 - acc) / n, rel=0.1)
    groups = sets[("g",)]
    sizes = groups.n
    assert np.var(groups.draws["accuracy"][1:, 0]) == pytest.approx(
        groups.draws["accuracy"][0, 0] * (1 - groups.draws["accuracy"][0, 0]) / sizes[0], rel=0.15)
    again = evaluate(table, [()], ["accuracy"], resamples=4000, seed=3)[()].draws["accuracy"]
    assert np.array_equal(again, draws)


def test_delong_variance_from_histograms_equals_the_placement_formula():
    from cardwright._compute.metrics import auc_delong_variance, roc_auc

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = (rng.normal(size=300) + y).round(1)  # ties on purpose
    values = np.unique(s)
    hist = np.zeros((4, len(values)))
    np.add.at(hist, (np.where(y == 1, 2, 0), np.searchsorted(values, s)), 1)
    pos, neg = s[y == 1], s[y == 0]
    v10 = np.array([((x > neg) + 0.5 * (x == neg)).mean() for x in pos])
    v01 = np.array([((pos > x) + 0.5 * (pos == x)).mean() for x in neg])
    assert roc_auc(hist) == pytest.approx(v10.mean(), abs=1e-12)
    expected = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
    assert auc_delong_variance(hist) == pytest.approx(expected, rel=1e-10)
