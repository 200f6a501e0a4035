"""Every count metric equals scikit-learn's on the same rows (to 1e-12), for every slice of
random tables: empty groups, a single class, all-missing factor columns included.  ROC AUC is
exact with few distinct scores and within its reported bound (and 1e-3) with many."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from cardwright._compute.analyses import compute_analyses
from cardwright._compute.levels import MISSING
from cardwright.errors import DataError
from cardwright.schema.analysis import QuantitativeAnalyses
from cardwright.schema.metric_names import BINARY_COUNT_METRICS

METRIC_NAMES = [*BINARY_COUNT_METRICS, "roc_auc"]
COUNT_METRICS = list(BINARY_COUNT_METRICS)


def sklearn_values(y: np.ndarray, p: np.ndarray, s: np.ndarray) -> dict[str, float | None]:
    """scikit-learn's value of every metric on the rows (None where the metric is undefined)."""
    tn, fp, fn, tp = skm.confusion_matrix(y, p, labels=[0, 1]).ravel()
    pos, neg, ppos, pneg = tp + fn, tn + fp, tp + fp, tn + fn
    prec, rec, f1, _ = skm.precision_recall_fscore_support(y, p, labels=[0, 1], average=None, zero_division=0)
    out: dict[str, float | None] = {
        "count": float(len(y)),
        "base_rate": float(np.mean(y)),
        "selection_rate": float(np.mean(p)),
        "accuracy": skm.accuracy_score(y, p),
        "precision": prec[1] if ppos else None,
        "recall": rec[1] if pos else None,
        "specificity": rec[0] if neg else None,
        "false_positive_rate": 1 - rec[0] if neg else None,
        "false_negative_rate": 1 - rec[1] if pos else None,
        "false_discovery_rate": 1 - prec[1] if ppos else None,
        "negative_predictive_value": prec[0] if pneg else None,
        "f1": f1[1] if tp + fp + fn else None,
        "balanced_accuracy": None,
        "roc_auc": None,
    }
    if pos and neg:
        out["balanced_accuracy"] = skm.balanced_accuracy_score(y, p)
        out["roc_auc"] = skm.roc_auc_score(y, s)
    return out


def rows_over(metric: str, y: np.ndarray, p: np.ndarray) -> int:
    """The denominator of ``metric``, counted with numpy: the negatives for a false positive rate,
    the predicted positives for precision, every row for accuracy and the like."""
    y, p = y.astype(bool), p.astype(bool)
    return int({
        "precision": p.sum(), "false_discovery_rate": p.sum(), "negative_predictive_value": (~p).sum(),
        "recall": y.sum(), "false_negative_rate": y.sum(), "specificity": (~y).sum(),
        "false_positive_rate": (~y).sum(), "f1": (y | p).sum(),
    }.get(metric, len(y)))


def check_against_sklearn(frame: pd.DataFrame, results, factors: list[str], tol: float = 1e-12) -> int:
    checked = 0
    rows = {(tuple(sorted(r.slice.items())), r.metric): r for r in results.results}
    keys = frame[factors].astype(object).where(frame[factors].notna(), MISSING).astype(str)
    groups = [((), np.ones(len(frame), bool))]
    for f in factors:
        for v in keys[f].unique():
            groups.append((((f, v),), (keys[f] == v).to_numpy()))
    if len(factors) == 2:
        for (a, b), _ in keys.groupby(factors):
            mask = ((keys[factors[0]] == a) & (keys[factors[1]] == b)).to_numpy()
            groups.append((tuple(sorted(((factors[0], a), (factors[1], b)))), mask))
    for key, mask in groups:
        y = frame["y"].to_numpy()[mask]
        p = frame["p"].to_numpy()[mask]
        s = frame["s"].to_numpy()[mask]
        expect = sklearn_values(y, p, s)
        for metric in METRIC_NAMES:
            row = rows[(tuple(sorted(key)), metric)]
            assert row.n == rows_over(metric, y, p), (key, metric)  # the rows the metric is computed over
            expected = expect[metric]
            if expected is None:
                assert row.value is None and row.reason.startswith("undefined"), (key, metric)
            else:
                assert row.value is not None, (key, metric)
                assert math.isclose(row.value, expected, rel_tol=0, abs_tol=tol), (key, metric, row.value, expected)
            checked += 1
    return checked


def spec(factors: list[str], **extra) -> QuantitativeAnalyses:
    return QuantitativeAnalyses.model_validate({
        "data": {"path": "-", "label": "y", "prediction": "p", "score": "s"},
        "factors": factors,
        "metrics": list(METRIC_NAMES),
        "confidence": {"resamples": 0},
        "min_group_size": 1, "min_cell_size": 1,
        **extra,
    })


@st.composite
def tables(draw):
    n = draw(st.integers(1, 120))
    single_class = draw(st.booleans())
    y = draw(st.lists(st.integers(0, 0 if single_class else 1), min_size=n, max_size=n))
    p = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    s = draw(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]), min_size=n, max_size=n))
    a = draw(st.lists(st.sampled_from(["x", "y", "z", None]), min_size=n, max_size=n))
    all_missing = draw(st.booleans())
    b = [None] * n if all_missing else draw(st.lists(st.sampled_from(["u", "v"]), min_size=n, max_size=n))
    return pd.DataFrame({"y": y, "p": p, "s": s, "a": a, "b": pd.array(b, dtype=object)})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_every_metric_equals_sklearn_on_every_slice(frame):
    if not (frame["y"].eq(1).any() or frame["p"].eq(1).any()):
        with pytest.raises(DataError, match="equals positive_label 1"):
            compute_analyses(spec(["a", "b"]), frame)
        return
    results = compute_analyses(spec(["a", "b"]), frame)
    assert check_against_sklearn(frame, results, ["a", "b"]) > 0
    assert results.settings.auc.method == "exact"


def test_random_large_table_matches_sklearn():
    rng = np.random.default_rng(3)
    n = 20_000
    frame = pd.DataFrame({
        "y": rng.integers(0, 2, n), "p": rng.integers(0, 2, n), "s": rng.random(n).round(2),
        "a": rng.choice(["r", "s", "t"], n), "b": rng.choice(["u", "v"], n, p=[0.9, 0.1]),
    })
    assert check_against_sklearn(frame, compute_analyses(spec(["a", "b"]), frame), ["a", "b"]) == 12 * 14


def test_binned_auc_is_within_its_reported_bound():
    rng = np.random.default_rng(5)
    n = 60_000
    y = rng.integers(0, 2, n)
    s = 1 / (1 + np.exp(-(rng.normal(size=n) + y)))  # continuous: every score distinct
    frame = pd.DataFrame({"y": y, "p": (s > 0.5).astype(int), "s": s, "a": rng.choice(["r", "t"], n)})
    results = compute_analyses(spec(["a"]), frame)
    info = results.settings.auc
    assert info.method == "binned" and 0 < info.max_error < 1e-3
    for r in results.results:
        if r.metric == "roc_auc":
            mask = np.ones(n, bool) if not r.slice else (frame["a"] == r.slice["a"]).to_numpy()
            exact = skm.roc_auc_score(y[mask], s[mask])
            assert abs(r.value - exact) <= info.max_error


@pytest.mark.parametrize("labels,positive", [
    (["yes", "no"], "yes"), ([True, False], True), ([1.0, 0.0], 1), (["1", "0"], 1), ([7, 2], 7),
])
def test_label_types_and_positive_label(labels, positive):
    y = np.array([labels[0], labels[1], labels[0], labels[1], labels[1]], dtype=object)
    frame = pd.DataFrame({"y": list(y), "p": list(y[::-1])})
    qa = QuantitativeAnalyses.model_validate({
        "data": {"path": "-", "label": "y", "prediction": "p", "positive_label": positive},
        "metrics": ["base_rate", "recall"], "min_group_size": 1, "min_cell_size": 1,
        "confidence": {"resamples": 0}})
    res = compute_analyses(qa, frame)
    assert res.value("base_rate").value == pytest.approx(2 / 5)
    assert res.value("recall").value == pytest.approx(0.5)
