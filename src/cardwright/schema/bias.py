"""Names and checks for dataset bias: SageMaker Clarify's pre-training measures on a datasheet's
data (``data.bias_metrics``, ``data.conditional_on``).

The measures compare, for every group *d* of a sensitive attribute (or cell of an intersection),
the rows of *d* with the rest of the data *a*, as Clarify does; docs/statistics.md gives the
formulas and sign conventions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._base import Section

BiasMetricName = Literal[
    "class_imbalance",
    "difference_in_label_proportions",
    "kl_divergence",
    "js_divergence",
    "lp_norm",
    "total_variation_distance",
    "kolmogorov_smirnov",
    "conditional_demographic_disparity",
]
"""Clarify's pre-training bias measures, snake_case (CI, DPL, KL, JS, LP, TVD, KS, CDDL)."""

BIAS_METRIC_NAMES: tuple[str, ...] = BiasMetricName.__args__  # type: ignore[attr-defined]

NEEDS_POSITIVE_LABEL = ("difference_in_label_proportions", "conditional_demographic_disparity")
"""Measures of the favourable outcome: they need ``positive_label``."""

NEEDS_LABEL = tuple(m for m in BIAS_METRIC_NAMES if m != "class_imbalance")
"""Every measure but class imbalance compares label distributions."""


class DistributionShift(Section):
    """Compare the evaluation data with the training data, column by column (distribution shift):
    Jensen-Shannon divergence, total variation distance, Kolmogorov-Smirnov distance and the
    population stability index, with intervals."""

    datasheet: str | None = None
    """The training data's datasheet (relative to this card); it must have a `data:` block.  The
    first datasheet under `training_data.datasets` that has one, when left out."""

    columns: list[str] | None = None
    """The factors to compare (their columns must be in both files; binned factors are compared in
    their ranges).  Every factor whose column the training data has, when left out.  The label is
    always compared, as the share of the positive label."""


class Attributions(Section):
    """Per-row feature attributions (SHAP values, LIME weights, integrated gradients…) for the
    evaluation rows: one column per feature.  `compute` reports each feature's mean absolute and
    mean signed attribution overall, per factor and per intersection, with intervals."""

    path: str = Field(min_length=1)
    """The attribution file, relative to this card: CSV or Parquet, one row per evaluation row."""

    id: str | None = None
    """A column both files hold that identifies a row: rows are matched by it (every id once in
    each file, the same ids in both), as text or integers (floating-point, date or byte ids are refused); the
    evaluation data's ids are cleaned as its data block says (`strip_whitespace`, `na_values`).
    Without it, rows are matched by order (the files must have the same number of rows)."""

    features: list[str] | None = None
    """The attribution columns; every numeric column but `id` when left out."""

    format: Literal["csv", "parquet"] | None = None
    """File format; inferred from the file name when left out."""

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    """Field delimiter for CSV files."""

    top_k: int = Field(default=10, ge=1, le=100)
    """How many of the most important features the charts show."""


class ConditionalDisparity(Section):
    """A disparity within strata of legitimate factors (the check against Simpson's paradox): each
    group is compared with the reference group inside every stratum, and the differences are
    combined with the strata's weights (as SageMaker Clarify's conditional demographic disparity),
    with a Mantel–Haenszel ratio."""

    metric: str = Field(min_length=1)
    """A rate: `selection_rate`, `recall`, `false_positive_rate`… or `demographic_parity`
    (selection rate) or `equal_opportunity` (recall)."""

    over: list[str] = Field(min_length=1)
    """The factor (or intersection) whose groups are compared."""

    conditional_on: list[str] = Field(min_length=1)
    """The factors whose groups are the strata (e.g. `[department]`)."""
