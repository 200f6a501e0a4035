"""Evaluation rows for every task in one frame, and a card spec per task that uses every feature
the engines must agree on: weights, several thresholds, probability metrics with binned scores,
class scores, histograms of signed and unsigned values, booleans, missing values of every input,
a binned factor and gates of every kind."""

from __future__ import annotations

from typing import Any

import numpy as np

CLASSES = 4


def frame(rows: int = 5000, seed: int = 5) -> Any:
    import pandas as pd

    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(CLASSES), rows)
    label = np.array([rng.choice(CLASSES, p=p) for p in probs])
    score = rng.beta(2, 3, rows)
    truth = rng.normal(250.0, 40.0, rows)
    df = pd.DataFrame({
        "group": rng.choice(["north", "south", "east"], rows, p=[0.5, 0.4, 0.1]),
        "age": rng.integers(18, 80, rows).astype(float),
        "yb": np.where(rng.random(rows) < score, "yes", "no"),
        "score": score,
        "raw": score * 40 - 10,
        "species": np.array(["ant", "bee", "cat", "dog"])[label],
        "guess": np.array(["ant", "bee", "cat", "dog"])[probs.argmax(1)],
        **{f"p_{c}": probs[:, i] for i, c in enumerate(["ant", "bee", "cat", "dog"])},
        "price": truth,
        "predicted": truth + rng.normal(3.0, 12.0, rows),
        "weight": rng.gamma(2.0, 0.5, rows),
        "toxicity": rng.beta(1.0, 7.0, rows),
        "delta": rng.normal(0, 1, rows),
        "passed": rng.random(rows) < 0.7,
    })
    for column, share in (("group", 0.03), ("age", 0.02), ("yb", 0.02), ("score", 0.02), ("species", 0.02),
                          ("p_cat", 0.01), ("price", 0.02), ("predicted", 0.02), ("weight", 0.01),
                          ("toxicity", 0.02)):
        df.loc[rng.random(rows) < share, column] = None
    return df


FACTORS = ["group", {"column": "age", "bins": [30, 50], "name": "age_band"}]
CLASS_SCORES = {c: f"p_{c}" for c in ("ant", "bee", "cat", "dog")}

SPECS: dict[str, dict[str, Any]] = {
    "binary": {
        "data": {"label": "yb", "score": "score", "positive_label": "yes", "thresholds": [0.3, 0.5, 0.7]},
        "metrics": ["count", "accuracy", "recall", "false_positive_rate", "roc_auc", "average_precision",
                    "brier_score", "log_loss", "expected_calibration_error"],
        "calibration_bins": 4,  # tables shown whole, with complementary bins hidden, and withheld
        "gates": [{"metric": "recall", "min": 0.2, "over": ["group"], "threshold": 0.5},
                  {"metric": "demographic_parity", "min_ratio": 0.5, "over": ["group"], "threshold": 0.3,
                   "severity": "warning"}],
    },
    "binary_weighted": {
        "data": {"label": "yb", "score": "raw", "positive_label": ["yes"], "threshold": 0.0, "weight": "weight"},
        "metrics": ["count", "accuracy", "balanced_accuracy", "f1", "roc_auc", "average_precision"],
        "gates": [{"metric": "roc_auc", "max": 0.99, "over": ["group"], "use": "interval"}],
    },
    "multiclass": {
        "task": "multiclass-classification",
        "data": {"label": "species", "class_scores": CLASS_SCORES},
        "metrics": ["count", "accuracy", "balanced_accuracy", "macro_precision", "macro_recall", "macro_f1",
                    "weighted_f1", "top_k_accuracy"],
        "per_class": True,
        "gates": [{"metric": "recall", "class": "cat", "min": 0.1, "over": ["group"]}],
    },
    "multiclass_weighted": {
        "task": "multiclass-classification",
        "data": {"label": "species", "prediction": "guess", "class_scores": CLASS_SCORES, "weight": "weight"},
        "metrics": ["count", "accuracy", "macro_f1", "top_k_accuracy"],
        "top_k": 3,
    },
    "regression": {
        "task": "regression",
        "data": {"label": "price", "prediction": "predicted"},
        "metrics": ["count", "mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2",
                    "mean_error", "median_absolute_error", "mean_label", "mean_prediction"],
        "gates": [{"metric": "mean_absolute_error", "max": 20.0, "over": ["group"]},
                  {"metric": "mean_error", "max_difference": 10.0, "over": ["age_band"]}],
    },
    "regression_weighted": {
        "task": "regression",
        "data": {"label": "price", "prediction": "predicted", "weight": "weight"},
        "metrics": ["count", "mean_absolute_error", "r2", "median_absolute_error"],
    },
    "scored": {
        "task": "scored",
        "data": {"score": "toxicity", "pass_threshold": 0.25},
        "metrics": ["count", "mean", "std", "pass_rate", "p10", "p50", "p90"],
        "gates": [{"metric": "p90", "max": 0.6, "over": ["group"], "use": "interval"}],
    },
    "scored_signed": {
        "task": "scored",
        "data": {"score": "delta", "pass_threshold": 0.0, "weight": "weight"},
        "metrics": ["count", "mean", "std", "pass_rate", "p10", "p50", "p90"],
    },
    "scored_boolean": {
        "task": "scored",
        "data": {"score": "passed"},
        "metrics": ["count", "mean", "pass_rate", "p50"],
    },
}


def spec(name: str, path: str, **extra: Any) -> Any:
    from cardwright.schema.analysis import QuantitativeAnalyses

    base = SPECS[name]
    data = {**base["data"], "path": path}
    return QuantitativeAnalyses.model_validate({
        **base, "data": data, "factors": FACTORS, "confidence": {"resamples": 60, "seed": 2},
        "min_group_size": 10, "reference_groups": {"group": "north"}, **extra,
    })
