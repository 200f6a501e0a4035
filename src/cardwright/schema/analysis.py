"""What a card asks cardwright to compute: a model card's quantitative analyses and a
datasheet's composition statistics.  The results themselves live in a separate file."""

from __future__ import annotations

import itertools
from typing import Literal

from pydantic import Field, StrictBool, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ._base import OptionalProse, Section

MetricName = Literal[
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
    "roc_auc",
]
METRIC_NAMES: tuple[str, ...] = MetricName.__args__  # type: ignore[attr-defined]

DisparityName = Literal["demographic_parity", "equal_opportunity", "equalized_odds", "average_odds"]
"""Group-fairness measures a gate may name besides a plain metric."""
DISPARITY_NAMES: tuple[str, ...] = DisparityName.__args__  # type: ignore[attr-defined]

DEFAULT_METRICS: tuple[MetricName, ...] = (
    "selection_rate",
    "accuracy",
    "precision",
    "recall",
    "false_positive_rate",
    "false_negative_rate",
    "roc_auc",
)

SUPPORTED_TASKS = ("binary-classification",)
Engine = Literal["auto", "arrow", "duckdb", "spark"]


class DataFile(Section):
    """Where the evaluation rows are and which columns mean what."""

    path: str = Field(min_length=1)
    """The evaluation file, relative to this card: CSV (`.csv`, `.csv.gz`) or Parquet (`.parquet`).
    One row per example with the label, the prediction and/or score, and the factor columns."""

    format: Literal["csv", "parquet"] | None = None
    """File format; inferred from the file name when left out."""

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    """Field delimiter for CSV files."""

    label: str = Field(min_length=1)
    """Column holding the true label (int, bool or string)."""

    prediction: str | None = None
    """Column holding the model's predicted label.  Optional when `score` and `threshold` are given."""

    score: str | None = None
    """Column holding the model's score for the positive class (needed for `roc_auc`)."""

    threshold: float | None = Field(default=None, ge=0, le=1)
    """Decision threshold between 0 and 1: a row is predicted positive when its score (a
    probability) is at or above it.  Used when `prediction` is not given; a threshold outside the
    range of the scores is an error (every row would get one class)."""

    positive_label: str | int | bool = 1
    """The label value that counts as the positive class (compared as text with the column's values)."""

    @model_validator(mode="after")
    def _prediction_source(self) -> DataFile:
        if self.prediction is None and (self.score is None or self.threshold is None):
            raise PydanticCustomError(
                "missing_prediction",
                "give `prediction`, or both `score` and `threshold`, so predictions are known",
            )
        return self


class BinnedFactor(Section):
    """A continuous column cut into ranges, each range a group."""

    column: str = Field(min_length=1)
    """The numeric column to bin."""

    bins: list[float] = Field(min_length=1)
    """Increasing cut points, e.g. `[18, 25, 45, 65]`: groups below 18, 18 to under 25, …, 65 and over."""

    labels: list[str] | None = None
    """Group names, one per range (one more than the cut points); readable ranges when left out."""

    name: str | None = None
    """The factor's name in results; the column name when left out."""

    @field_validator("bins")
    @classmethod
    def _increasing(cls, v: list[float]) -> list[float]:
        if any(b <= a for a, b in itertools.pairwise(v)):
            raise PydanticCustomError("bins_order", "cut points must be strictly increasing")
        return v

    @model_validator(mode="after")
    def _label_count(self) -> BinnedFactor:
        if self.labels is not None and len(self.labels) != len(self.bins) + 1:
            raise PydanticCustomError(
                "bins_labels",
                "give one label per range: {n} cut points make {m} ranges",
                {"n": len(self.bins), "m": len(self.bins) + 1},
            )
        return self

    @property
    def factor_name(self) -> str:
        return self.name or self.column

    @property
    def group_names(self) -> list[str]:
        """One group name per range: the labels, else ``<a``, ``a-b``, …, ``>=c`` (each range
        includes its lower end).  Ranges that share a label are one group."""
        if self.labels is not None:
            return list(self.labels)
        t = [str(int(b)) if float(b).is_integer() else str(float(b)) for b in self.bins]
        return [f"<{t[0]}", *(f"{lo}-{hi}" for lo, hi in itertools.pairwise(t)), f">={t[-1]}"]


Factor = str | BinnedFactor

Intersections = Literal["all", "none"] | list[list[str]]
"""Which intersections of the factors are reported: every one, none, or the listed ones."""


def factor_name(f: Factor) -> str:
    return f if isinstance(f, str) else f.factor_name


class Confidence(Section):
    """How intervals are computed: bootstrap over the count cells, seeded, so results repeat."""

    level: float = Field(default=0.95, gt=0, lt=1)
    """Confidence level of every interval, e.g. 0.95."""

    resamples: int = Field(default=1000, ge=0, le=100_000)
    """Bootstrap resamples; 0 turns intervals off."""

    seed: int = Field(default=0, ge=0)
    """Seed of the bootstrap: the same seed and data give the same intervals."""

    method: Literal["auto", "percentile", "wilson"] = "auto"
    """`auto` (or `wilson`): score-type intervals for every value of a slice (Wilson for
    proportions and F1, DeLong or a score interval for ROC AUC), which keep their coverage for
    small groups and rates near 0 or 1, and the joint bootstrap for disparities; `percentile`:
    the bootstrap for everything (see docs/statistics.md)."""


class Gate(Section):
    """A pass/fail check on a disparity, for release decisions and CI."""

    metric: str = Field(min_length=1)
    """A metric from `metrics`, or a fairness measure: `demographic_parity`, `equal_opportunity`,
    `equalized_odds`, `average_odds`."""

    over: list[str] = Field(min_length=1)
    """The factor (one name) or intersection (several names) whose groups are compared."""

    max_difference: float | None = Field(default=None, ge=0)
    """Fail when the difference between groups exceeds this."""

    min_ratio: float | None = Field(default=None, ge=0, le=1)
    """Fail when the ratio between groups falls below this (e.g. 0.8, the four-fifths rule)."""

    use: Literal["estimate", "interval"] = "estimate"
    """`estimate` compares the point estimate; `interval` the unfavourable end of its interval
    (fails unless the data show the gate is met)."""

    include_suppressed: StrictBool = False
    """Include groups below `min_group_size` (their estimates are unreliable)."""

    @model_validator(mode="after")
    def _one_limit(self) -> Gate:
        if (self.max_difference is None) == (self.min_ratio is None):
            raise PydanticCustomError("gate_limit", "give exactly one of `max_difference` and `min_ratio`")
        return self


class QuantitativeAnalyses(Section):
    """Disaggregated results, computed by `cardwright compute` from your evaluation file (Mitchell
    et al. §4.7): metrics overall, per factor and per intersection of factors, with intervals."""

    task: str = "binary-classification"
    """The prediction task.  Supported: `binary-classification`."""

    data: DataFile | None = None
    """The evaluation file and its columns.  Without it, no numbers are computed."""

    factors: list[Factor] = Field(default_factory=list)
    """Columns to disaggregate by: a name, or `{column, bins}` for a continuous column."""

    intersections: Intersections = "all"
    """`all`: every combination of two or more factors; `none`; or a list such as `[[sex, race]]`."""

    metrics: list[MetricName] = Field(default_factory=lambda: list(DEFAULT_METRICS))
    """Metrics to report for every slice."""

    confidence: Confidence = Field(default_factory=Confidence)
    """Confidence intervals."""

    min_group_size: int = Field(default=30, ge=1)
    """Groups with fewer rows are counted but their metrics are suppressed and left out of gates."""

    missing_values: Literal["group", "drop"] = "group"
    """Rows with a missing factor value: `group` makes them an explicit "missing" group; `drop`
    leaves them out (counted in provenance)."""

    reference_groups: dict[str, str] = Field(default_factory=dict)
    """Per factor, the group disparities are measured against (signed differences and ratios);
    without it, the best and worst groups are compared."""

    gates: list[Gate] = Field(default_factory=list)
    """Pass/fail checks; `compute` exits 1 when one fails."""

    engine: Engine = "auto"
    """Where the counting runs: `auto`, `arrow` (built in), `duckdb` or `spark`."""

    results: str | None = None
    """Results file, relative to this card; `<card name>.results.json` beside the card when left out."""

    notes: OptionalProse = None
    """Anything a reader should know about these results (Markdown)."""

    @field_validator("task")
    @classmethod
    def _supported_task(cls, v: str) -> str:
        if v not in SUPPORTED_TASKS:
            raise PydanticCustomError(
                "unsupported",
                "task {task} is not supported yet; supported: {supported}",
                {"task": repr(v), "supported": ", ".join(SUPPORTED_TASKS)},
            )
        return v

    @property
    def factor_names(self) -> list[str]:
        return [factor_name(f) for f in self.factors]


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

    sensitive_attributes: list[Factor] = Field(default_factory=list)
    """Columns describing people (e.g. sex, age band): their shares and intersections are reported."""

    intersections: Intersections = "all"
    """Which combinations of sensitive attributes to report."""

    min_cell_size: int = Field(default=10, ge=1)
    """Counts below this are never published (shown as suppressed)."""

    engine: Engine = "auto"
    """Where the counting runs: `auto`, `arrow` (built in), `duckdb` or `spark`."""

    results: str | None = None
    """Results file, relative to this datasheet; `<datasheet name>.results.json` when left out."""
