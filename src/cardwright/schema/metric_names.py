"""The vocabulary of quantitative analyses: tasks, the metrics each task computes, and the few
facts about a metric that validation, gates and renderers need (which way is better, whether it
depends on a threshold or a class).  Names here are the card's and the results file's words.
"""

from __future__ import annotations

from typing import Literal, get_args

TaskName = Literal["binary-classification", "multiclass-classification", "regression", "scored"]
TASKS: tuple[str, ...] = get_args(TaskName)

BINARY = "binary-classification"
MULTICLASS = "multiclass-classification"
REGRESSION = "regression"
SCORED = "scored"

#: Metrics of a binary classifier that are functions of the confusion counts at a threshold.
BINARY_COUNT_METRICS: tuple[str, ...] = (
    "count",
    "base_rate",
    "selection_rate",
    "accuracy",
    "balanced_accuracy",
    "precision",
    "recall",
    "specificity",
    "false_positive_rate",
    "false_negative_rate",
    "false_discovery_rate",
    "negative_predictive_value",
    "f1",
)
#: Metrics of a binary classifier's scores, independent of any threshold.
BINARY_SCORE_METRICS: tuple[str, ...] = (
    "roc_auc",
    "average_precision",
    "brier_score",
    "log_loss",
    "expected_calibration_error",
)
#: Score metrics that need probabilities (scores in [0, 1]).
PROBABILITY_METRICS: tuple[str, ...] = ("brier_score", "log_loss", "expected_calibration_error")

MULTICLASS_METRICS: tuple[str, ...] = (
    "count",
    "accuracy",
    "balanced_accuracy",
    "macro_precision",
    "macro_recall",
    "macro_f1",
    "weighted_f1",
    "top_k_accuracy",
)
#: Per-class metrics of a multiclass classifier (rows name their class; `per_class: true`).
PER_CLASS_METRICS: tuple[str, ...] = ("precision", "recall", "f1")

REGRESSION_METRICS: tuple[str, ...] = (
    "count",
    "mean_absolute_error",
    "mean_squared_error",
    "root_mean_squared_error",
    "r2",
    "mean_error",
    "median_absolute_error",
    "mean_label",
    "mean_prediction",
)

SCORED_METRICS: tuple[str, ...] = ("count", "mean", "std", "pass_rate", "p10", "p50", "p90")

TASK_METRICS: dict[str, tuple[str, ...]] = {
    BINARY: BINARY_COUNT_METRICS + BINARY_SCORE_METRICS,
    MULTICLASS: MULTICLASS_METRICS + PER_CLASS_METRICS,
    REGRESSION: REGRESSION_METRICS,
    SCORED: SCORED_METRICS,
}

#: Every metric name any task knows, in a stable order (the JSON Schema's enumeration).
METRIC_NAMES: tuple[str, ...] = tuple(dict.fromkeys(m for names in TASK_METRICS.values() for m in names))

DEFAULT_METRICS: dict[str, tuple[str, ...]] = {
    BINARY: (
        "selection_rate",
        "accuracy",
        "precision",
        "recall",
        "false_positive_rate",
        "false_negative_rate",
        "roc_auc",
    ),
    MULTICLASS: ("count", "accuracy", "balanced_accuracy", "macro_f1", "weighted_f1"),
    REGRESSION: ("count", "mean_absolute_error", "root_mean_squared_error", "r2", "mean_error"),
    SCORED: ("count", "mean", "std", "p10", "p50", "p90"),
}

DisparityName = Literal["demographic_parity", "equal_opportunity", "equalized_odds", "average_odds"]
"""Group-fairness measures of a binary classifier a gate may name besides a plain metric."""
DISPARITY_NAMES: tuple[str, ...] = get_args(DisparityName)

#: Metrics where a lower value is better; the rest of the bounded metrics are better higher.
LOWER_IS_BETTER = frozenset({
    "false_positive_rate", "false_negative_rate", "false_discovery_rate", "brier_score", "log_loss",
    "expected_calibration_error", "mean_absolute_error", "mean_squared_error", "root_mean_squared_error",
    "median_absolute_error",
})
#: Metrics with no better direction: a baseline gate limits their change either way.
NO_DIRECTION = frozenset({
    "count", "base_rate", "selection_rate", "mean_error", "mean_label", "mean_prediction", "mean", "std",
    "pass_rate", "p10", "p50", "p90",
})
#: Metrics whose ratios mean nothing (signed or unbounded below): disparities report differences only.
NO_RATIO = frozenset({"mean_error", "r2", "mean_label", "mean_prediction", "mean", "p10", "p50", "p90"})


def direction(metric: str) -> Literal["higher", "lower", "none"]:
    """Which way a metric improves (``none``: no better direction)."""
    if metric in LOWER_IS_BETTER:
        return "lower"
    if metric in NO_DIRECTION:
        return "none"
    return "higher"


def threshold_dependent(task: str, metric: str) -> bool:
    """Whether a binary metric changes with the decision threshold (one row per threshold)."""
    return task == BINARY and (metric in BINARY_COUNT_METRICS or metric in DISPARITY_NAMES) and metric != "count"


def per_class(task: str, metric: str) -> bool:
    """Whether a metric has one value per class (multiclass `precision`, `recall`, `f1`)."""
    return task == MULTICLASS and metric in PER_CLASS_METRICS
