"""What a card asks cardwright to compute: a model card's quantitative analyses and a
datasheet's composition statistics.  The results themselves live in a separate file; the
factors (the columns that split the rows into groups) are in :mod:`.factor_columns` (the
factor models, ``factor_name`` and ``factor_settings`` importable from here too)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    StrictBool,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ._base import OptionalProse, Section, Text
from .bias import (
    NEEDS_LABEL,
    NEEDS_POSITIVE_LABEL,
    Attributions,
    BiasMetricName,
    ConditionalDisparity,
    DistributionShift,
)
from .data_preparation import FilterExpression, MissingTokens
from .factor_columns import BinnedFactor as BinnedFactor
from .factor_columns import Factor, Intersections, factor_name
from .factor_columns import GroupFactor as GroupFactor
from .factor_columns import factor_settings as factor_settings
from .gates import Gate
from .metric_names import BINARY, DEFAULT_METRICS, METRIC_NAMES, TASKS, TaskName

Engine = Literal["auto", "arrow", "duckdb", "spark"]

DEFAULT_TOP_K = 2
DEFAULT_CALIBRATION_BINS = 10

MAX_COUNT = 1_000_000_000
"""The largest row count a setting may name (`min_group_size`, `min_cell_size`)."""
MAX_SEED = 2**63 - 1
"""The largest bootstrap seed (a 64-bit integer, as every results reader holds it)."""
Label = str | int | bool
"""A label value as written in the card (compared as text with the data's values; numbers by value)."""


def _metric(value: object) -> object:
    if isinstance(value, str) and value not in METRIC_NAMES:
        raise PydanticCustomError(
            "unknown_metric", "unknown metric {metric}; the metrics of every task are listed in docs/statistics.md",
            {"metric": repr(value), "expected": ", ".join(repr(m) for m in METRIC_NAMES)},
        )
    return value


Metric = Annotated[str, BeforeValidator(_metric), WithJsonSchema({"type": "string", "enum": list(METRIC_NAMES)})]
"""A metric name from :data:`~.metric_names.METRIC_NAMES` (which task computes it is checked across fields)."""


class DataFile(Section):
    """Where the evaluation rows are and which columns mean what."""

    path: str = Field(min_length=1)
    """The evaluation file, relative to this card: CSV (`.csv`, `.csv.gz`) or Parquet (`.parquet`).
    One row per example with the label, the prediction and/or score, and the factor columns."""

    format: Literal["csv", "parquet"] | None = None
    """File format; inferred from the file name when left out."""

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    """Field delimiter for CSV files."""

    label: str | None = Field(default=None, min_length=1)
    """Column holding the true label (int, bool or string; a number for `regression`).  Required
    for every task but `scored`."""

    prediction: str | None = None
    """Column holding the model's prediction: the predicted label (classification) or value
    (`regression`).  For binary classification optional when `score` and `threshold` are given;
    for multiclass optional when `class_scores` are given (the class with the highest score)."""

    score: str | None = None
    """Column holding the model's score: for binary classification the score of the positive class
    in any units (needed for `roc_auc` and `average_precision`; probabilities in [0, 1] for
    `brier_score`, `log_loss` and `expected_calibration_error`); for `scored` the score of each item
    (a number, or a boolean pass/fail)."""

    threshold: float | None = None
    """Decision threshold in the score's own units: a row is predicted positive when its score is
    at or above it.  Used when `prediction` is not given; a threshold outside the range of the
    scores is an error (every row would get one class)."""

    thresholds: list[float] | None = Field(default=None, min_length=1)
    """Several decision thresholds (operating points): every threshold-dependent metric is reported
    at each, and results rows name their threshold.  Instead of `threshold` and `prediction`."""

    positive_label: Label | list[Label] = 1
    """The label value that counts as the positive class (compared as text with the column's
    values, numbers by value), or a list of values that all count as positive."""

    class_scores: dict[str, str] | None = None
    """Multiclass: one score column per class, `{class label: column}`; needed for
    `top_k_accuracy`, and the prediction when `prediction` is not given."""

    weight: str | None = None
    """Column of sample weights (non-negative numbers): every metric is weighted as scikit-learn's
    `sample_weight`, and intervals use the effective sample size."""

    pass_threshold: float | None = None
    """`scored`: an item passes when its score is at or above this (`pass_rate`); without it, a
    boolean score column passes where it is true."""

    filter: FilterExpression | None = None
    """Evaluate only the rows for which this is true, e.g. `age >= 18 and region in ["north", "south"]`
    (comparisons, `in [...]`, `is missing`, `and`, `or`, `not`; see docs/filtering.md).  A comparison
    never selects a row whose value is missing.  Applied after `na_values` and `strip_whitespace`,
    before anything else; the rows it leaves out are counted in the results as `rows_dropped.filter`."""

    na_values: MissingTokens | None = None
    """Values that mean "missing", e.g. `["?", "-", "unknown"]`: in CSV files in every column, on top
    of the empty value, `NA`, `N/A`, `null`, `NULL` and `None`; in Parquet files and tables, in text
    columns."""

    strip_whitespace: StrictBool | None = None
    """Remove spaces, tabs and other whitespace around text values before anything reads them
    (`na_values` are then matched against the trimmed value)."""

    @field_validator("class_scores", mode="before")
    @classmethod
    def _class_keys_as_text(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {_label_text(k): c for k, c in v.items()}
        return v

    @field_validator("thresholds")
    @classmethod
    def _distinct_thresholds(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and len(set(v)) != len(v):
            raise PydanticCustomError("thresholds_distinct", "each threshold may appear only once")
        return v


def _label_text(value: Any) -> Any:
    """A class label written as a mapping key, as text (`0` → "0", `true` → "true", `1.0` → "1")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return value


class Confidence(Section):
    """How intervals are computed: bootstrap over the count cells, seeded, so results repeat."""

    level: float = Field(default=0.95, ge=0.5, le=0.9999)
    """Confidence level of every interval, from 0.5 to 0.9999, e.g. 0.95 (every interval method
    is defined and tested over that range)."""

    resamples: int = Field(default=1000, ge=0, le=100_000)
    """Bootstrap resamples; 0 turns intervals off."""

    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    """Seed of the bootstrap: the same seed and data give the same intervals."""

    method: Literal["auto", "percentile", "wilson"] = "auto"
    """`auto` (or `wilson`): score-type intervals for every value of a slice (Wilson for
    proportions and F1, DeLong or a score interval for ROC AUC), which keep their coverage for
    small groups and rates near 0 or 1, and the joint bootstrap for disparities; `percentile`:
    the bootstrap for everything (see docs/statistics.md)."""


class QuantitativeAnalyses(Section):
    """Disaggregated results, computed by `cardwright compute` from your evaluation file (Mitchell
    et al. §4.7): metrics overall, per factor and per intersection of factors, with intervals."""

    name: Text | None = None
    """The evaluation's name (required in a list of evaluations; results rows name it)."""

    task: TaskName = "binary-classification"
    """The prediction task: `binary-classification`, `multiclass-classification`, `regression`, or
    `scored` (one numeric or boolean score per item and no label, e.g. a graded LLM benchmark)."""

    data: DataFile | None = None
    """The evaluation file and its columns.  Without it, no numbers are computed."""

    factors: list[Factor] = Field(default_factory=list)
    """Columns to disaggregate by: a name; `{column, labels, order}` for display names and an order
    of its values; or `{column, bins}` for a continuous column."""

    intersections: Intersections = "all"
    """`all`: every combination of two or more factors; `none`; or a list such as `[[sex, race]]`."""

    metrics: list[Metric] = Field(default_factory=lambda: list(DEFAULT_METRICS[BINARY]))
    """Metrics to report for every slice; each task has its own (see docs/statistics.md).  The
    default depends on the task."""

    per_class: StrictBool | None = None
    """Multiclass: `true` also reports `precision`, `recall` and `f1` of every class (rows name
    their class)."""

    top_k: int | None = Field(default=None, ge=1, le=1000)
    """Multiclass: `top_k_accuracy` counts a row as correct when its label is among the `top_k`
    classes with the highest scores (2 when left out, as scikit-learn's default)."""

    calibration_bins: int | None = Field(default=None, ge=1, le=1000)
    """Binary: equal-width probability bins of `expected_calibration_error` and of the calibration
    table (reliability diagram) reported for every slice (10 when left out)."""

    confidence: Confidence = Field(default_factory=Confidence)
    """Confidence intervals."""

    min_group_size: int = Field(default=30, ge=1, le=MAX_COUNT)
    """Reliability: groups with fewer rows are counted but their metrics are suppressed; a gate
    over such a group fails unless it says `include_suppressed: true`."""

    min_group_size_applies_to: Literal["slice", "denominator"] = "slice"
    """What `min_group_size` counts: the rows of the `slice` (default), or each metric's own
    `denominator` (the negatives for a false positive rate, the predicted positives for precision)."""

    min_cell_size: int = Field(default=10, ge=1, le=MAX_COUNT)
    """Privacy: no count below this is published — a slice's size, a confusion count, a metric's
    numerator or denominator — nor any count from which one could be worked out (complementary
    suppression); a metric made of a hidden count is not shown."""

    missing_values: Literal["group", "drop"] = "group"
    """Rows with a missing factor value: `group` makes them an explicit "missing" group; `drop`
    leaves them out (counted in provenance)."""

    reference_groups: dict[str, str] = Field(default_factory=dict)
    """Per factor, the group disparities are measured against (signed differences and ratios);
    without it, the best and worst groups are compared."""

    gates: list[Gate] = Field(default_factory=list)
    """Pass/fail checks; `compute` exits 1 when a gate with `severity: error` fails."""

    attributions: Attributions | None = None
    """Per-row feature attributions for the evaluation rows (`{path, id}`): each feature's
    `mean_abs_attribution` and `mean_attribution` per slice, with intervals."""

    conditional_disparities: list[ConditionalDisparity] | None = None
    """Disparities within strata (`{metric, over, conditional_on}`): within-stratum differences
    from the reference group combined with the strata's weights, and a Mantel–Haenszel ratio."""

    distribution_shift: DistributionShift | None = None
    """Compare the evaluation data with the training data's datasheet, column by column (JS, TVD,
    KS and population stability index, with intervals)."""

    engine: Engine = "auto"
    """Where the counting runs: `auto`, `arrow` (built in), `duckdb` or `spark`."""

    results: str | None = None
    """Results file, relative to this card; `<card name>.results.json` beside the card when left out."""

    notes: OptionalProse = None
    """Anything a reader should know about these results (Markdown)."""

    @field_validator("task", mode="before")
    @classmethod
    def _supported_task(cls, v: Any) -> Any:
        if isinstance(v, str) and v not in TASKS:
            raise PydanticCustomError(
                "unsupported",
                "task {task} is not supported; supported: {supported}",
                {"task": repr(v), "supported": ", ".join(TASKS)},
            )
        return v

    @model_validator(mode="after")
    def _task_default_metrics(self) -> QuantitativeAnalyses:
        if "metrics" not in self.model_fields_set:
            self.metrics = list(DEFAULT_METRICS[self.task])
        return self

    @property
    def factor_names(self) -> list[str]:
        return [factor_name(f) for f in self.factors]

    @property
    def k(self) -> int:
        """`top_k`, or its default."""
        return self.top_k if self.top_k is not None else DEFAULT_TOP_K

    @property
    def bins(self) -> int:
        """`calibration_bins`, or its default."""
        return self.calibration_bins if self.calibration_bins is not None else DEFAULT_CALIBRATION_BINS


class NamedEvaluation(QuantitativeAnalyses):
    """One of several evaluations of the model (its own data, task, factors, metrics and gates)."""

    name: Text
    """The evaluation's name, unique within the card: results rows, slices, disparities and gates name it."""


class CompositionData(Section):
    """The data a datasheet describes, for computed composition statistics."""

    path: str = Field(min_length=1)
    """The dataset file, relative to this datasheet: CSV (`.csv`, `.csv.gz`) or Parquet."""

    format: Literal["csv", "parquet"] | None = None
    """File format; inferred from the file name when left out."""

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    """Field delimiter for CSV files."""

    label: str | None = None
    """Column holding the label or target, if any (class shares are reported)."""

    filter: FilterExpression | None = None
    """Describe only the rows for which this is true, e.g. `split == "test"` (see docs/filtering.md).
    A comparison never selects a row whose value is missing.  Applied after `na_values` and
    `strip_whitespace`; the rows it leaves out are counted in the results as `rows_dropped.filter`."""

    na_values: MissingTokens | None = None
    """Values that mean "missing", e.g. `["?", "-", "unknown"]`: in CSV files in every column, on top
    of the empty value, `NA`, `N/A`, `null`, `NULL` and `None`; in Parquet files and tables, in text
    columns."""

    strip_whitespace: StrictBool | None = None
    """Remove spaces, tabs and other whitespace around text values before anything reads them
    (`na_values` are then matched against the trimmed value)."""

    sensitive_attributes: list[Factor] = Field(default_factory=list)
    """Columns describing people (e.g. sex, age band): their shares and intersections are reported.
    Each is a name, `{column, labels, order}` or `{column, bins}`, as for a model card's factors."""

    intersections: Intersections = "all"
    """Which combinations of sensitive attributes to report."""

    min_cell_size: int = Field(default=10, ge=1, le=MAX_COUNT)
    """Counts below this are never published (shown as suppressed)."""

    positive_label: Label | list[Label] | None = None
    """The label value (or values) that is the favourable outcome (e.g. `1`, `yes`, `approved`), for
    `difference_in_label_proportions` and `conditional_demographic_disparity`."""

    bias_metrics: list[BiasMetricName] = Field(default_factory=list)
    """SageMaker Clarify's pre-training bias measures to compute for every group of each
    sensitive attribute (and intersection) against the rest of the data: `class_imbalance`,
    `difference_in_label_proportions`, `kl_divergence`, `js_divergence`, `lp_norm`,
    `total_variation_distance`, `kolmogorov_smirnov`, `conditional_demographic_disparity`
    (see docs/statistics.md)."""

    conditional_on: list[Factor] = Field(default_factory=list)
    """Columns whose groups are the strata of `conditional_demographic_disparity` (a legitimate
    factor such as the department applied to): a name, or `{column, bins}`."""

    confidence: Confidence | None = None
    """Intervals of the bias measures (95%, 1,000 bootstrap resamples, seed 0 when left out)."""

    engine: Engine = "auto"
    """Where the counting runs: `auto`, `arrow` (built in), `duckdb` or `spark`."""

    results: str | None = None
    """Results file, relative to this datasheet; `<datasheet name>.results.json` when left out."""

    @model_validator(mode="after")
    def _bias_inputs(self) -> CompositionData:
        if not self.bias_metrics:
            return self
        if not self.sensitive_attributes:
            raise PydanticCustomError("bias_inputs", "`bias_metrics` compare the groups of `sensitive_attributes`; "
                                      "name at least one")
        if self.label is None and any(m in NEEDS_LABEL for m in self.bias_metrics):
            raise PydanticCustomError("bias_inputs", "these bias measures compare label distributions: give `label`")
        if self.positive_label is None and any(m in NEEDS_POSITIVE_LABEL for m in self.bias_metrics):
            raise PydanticCustomError("bias_inputs", "difference_in_label_proportions and "
                                      "conditional_demographic_disparity need `positive_label` (the favourable outcome)")
        if "conditional_demographic_disparity" in self.bias_metrics and not self.conditional_on:
            raise PydanticCustomError("bias_inputs", "conditional_demographic_disparity needs `conditional_on` "
                                      "(the columns whose groups are the strata)")
        attributes = {a if isinstance(a, str) else a.column for a in self.sensitive_attributes}
        strata = [f if isinstance(f, str) else f.column for f in self.conditional_on]
        for column in [*strata, self.label]:
            if column is not None and column in attributes:
                raise PydanticCustomError("bias_inputs", "column {column!r} is both a sensitive attribute and the "
                                          "label or a stratum: the bias measures compare the groups of one with "
                                          "the others", {"column": column})
        if (self.label is not None and self.label in strata) or len(set(strata)) < len(strata):
            raise PydanticCustomError("bias_inputs", "`conditional_on` names the label or one column twice: each "
                                      "stratum column must be another column")
        return self
