"""The published shape of a results file: what `cardwright compute` writes next to a card.

Two kinds share the envelope (``schema_version``, ``kind``, ``provenance``):

* ``quantitative-analyses`` (a model card): tidy rows, one per slice × metric, plus per-slice
  confusion counts, disparities between groups, gate outcomes and the intersections never seen;
* ``composition`` (a datasheet): per-column statistics and the shares of sensitive attributes,
  with small cells suppressed.

A *slice* is a mapping from factor name to group label: ``{}`` is the whole evaluation set, one
key a single factor's group, several keys an intersection.  Every number is an exact function of
the data, the card's settings and the seed, so the same inputs give the same bytes.

The optional parts have modules of their own, whose models are importable from here too:
attributions (:mod:`.attribution_results`), conditional disparities
(:mod:`.conditional_disparity_results`) and a datasheet's bias measures (:mod:`.dataset_bias_results`);
the base of every results model and the slice key are in :mod:`.result_model`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field

from .attribution_results import AttributionDistribution as AttributionDistribution
from .attribution_results import AttributionResults as AttributionResults
from .attribution_results import AttributionRow as AttributionRow
from .attribution_results import RankFlag as RankFlag
from .attribution_results import RankGroup as RankGroup
from .conditional_disparity_results import ConditionalDisparityRow as ConditionalDisparityRow
from .conditional_disparity_results import ConditionalStratum as ConditionalStratum
from .dataset_bias_results import BiasMeasure as BiasMeasure
from .dataset_bias_results import BiasResults as BiasResults
from .dataset_bias_results import BiasStratum as BiasStratum
from .result_model import ResultModel, SliceKey

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)')


def non_finite(text: str) -> tuple[int, int, str] | None:
    """``(line, column, token)`` of the first number in a JSON text that is not finite (``NaN``,
    ``Infinity``, or too large for a float such as ``1e400``), or ``None``."""
    for m in _JSON_TOKEN.finditer(text):
        token = m.group(1) or m.group(2)
        if token is None:
            continue
        if m.group(1) is None and math.isfinite(float(token)):
            continue
        line = text.count("\n", 0, m.start()) + 1
        return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1, token
    return None


class Provenance(ResultModel):
    """Where the numbers came from: enough to tell when they are stale."""

    tool_version: str
    """The cardwright version that computed the file."""

    data_path: str | None
    """The data file, relative to the card (``None`` for an in-memory table)."""

    data_sha256: str | None
    """SHA-256 of the data file's bytes (``None`` for an in-memory table)."""

    bytes: int | None
    """Size of the data file in bytes."""

    rows_read: int
    """Rows in the data."""

    rows_used: int
    """Rows that entered the computation."""

    rows_dropped: dict[str, int]
    """Rows left out, by reason (``filter``: the card's `filter`, present whenever it has one;
    ``missing_label``, ``missing_prediction``, ``missing_score``, ``missing_factor``,
    ``missing_label_column``…).  Empty when nothing was dropped."""

    settings_sha256: str
    """SHA-256 of the settings that change the numbers (canonical JSON of the card's spec)."""

    engine: str
    """Where the counting ran (``arrow``, ``duckdb`` or ``spark``; for a list of evaluations, each
    engine that ran, comma-separated)."""

    computed_at: str | None = None
    """UTC time of the computation; only written when ``SOURCE_DATE_EPOCH`` is set (reproducible builds)."""


class AucInfo(ResultModel):
    """How ROC AUC was obtained from score histograms."""

    method: Literal["exact", "binned"]
    """``exact``: every distinct score had its own bin (equal to the rank formula); ``binned``:
    scores were grouped into ``bins`` quantile bins."""

    bins: int
    """Number of score bins."""

    max_error: float
    """Largest possible difference from the exact AUC over all reported slices (half the share of
    positive/negative pairs that fall into the same bin); 0 when exact."""


class BinnedInfo(ResultModel):
    """How a metric computed from binned values was obtained, and how far it can be from exact."""

    method: Literal["exact", "binned"]
    """``exact``: every distinct value had its own bin; ``binned``: values were grouped into bins."""

    bins: int
    """Number of bins (for quantiles: bins per power of two)."""

    max_error: float
    """Largest possible difference from the exact value over all reported slices; 0 when exact."""


class Settings(ResultModel):
    """The settings the numbers depend on, repeated for readers of the results alone."""

    OMIT_NONE = frozenset({"task", "weight", "effective_sample_size", "thresholds", "classes", "top_k",
                           "pass_threshold", "calibration_bins", "average_precision", "quantiles",
                           "min_cell_size", "min_group_size_applies_to"})

    task: str | None = None
    """The task, when it is not ``binary-classification``."""
    factors: list[str]
    metrics: list[str]
    level: float
    """Confidence level of every interval."""
    resamples: int
    """Bootstrap resamples (0: no intervals)."""
    seed: int
    interval_method: str
    """``auto``, ``percentile`` or ``wilson`` (see docs/statistics.md)."""
    min_group_size: int
    min_group_size_applies_to: Literal["slice", "denominator"] | None = None
    """What ``min_group_size`` counts: the slice's rows, or each metric's denominator."""
    min_cell_size: int | None = None
    """No published count is below this, nor can one be worked out from the others."""
    missing_values: Literal["group", "drop"]
    positive_label: str | list[str] | None = None
    """Binary classification: the positive label (or labels)."""
    threshold: float | None = None
    thresholds: list[float] | None = None
    """The operating points threshold-dependent rows are reported at (rows name theirs)."""
    weight: str | None = None
    """The sample-weight column, when metrics are weighted."""
    effective_sample_size: Literal["kish"] | None = None
    """With weights: intervals use Kish's effective sample size (Σw)² / Σw² in place of n."""
    classes: list[str] | None = None
    """Multiclass: the classes, in the order of confusion matrices."""
    top_k: int | None = None
    pass_threshold: float | None = None
    calibration_bins: int | None = None
    auc: AucInfo | None = None
    """Present when ROC AUC was computed."""
    average_precision: BinnedInfo | None = None
    """Present when average precision was computed."""
    quantiles: BinnedInfo | None = None
    """Present when a median or percentile was computed from histograms."""


class SliceCounts(ResultModel):
    """The size and confusion counts of one slice.  A count is ``None`` when it is hidden (below
    ``min_cell_size``, or hidden so that a small one cannot be worked out); ``suppressed`` says the
    slice is below ``min_group_size``, so its metrics are not reported."""

    OMIT_NONE = frozenset({"evaluation", "threshold", "confusion", "weight", "n_effective"})

    evaluation: str | None = None
    """The evaluation (in a list of evaluations)."""
    slice: SliceKey
    threshold: float | None = None
    """The operating point of ``tp``…``fn`` (with several thresholds)."""
    n: int | None
    tp: int | None = None
    fp: int | None = None
    tn: int | None = None
    fn: int | None = None
    confusion: list[list[int | None]] | None = None
    """Multiclass: rows of the confusion matrix (true class) by column (predicted class), in the
    order of ``settings.classes``; a hidden cell is ``None``, and a slice whose size is hidden
    has no matrix."""
    weight: float | None = None
    """With weights: the slice's total weight."""
    n_effective: float | None = None
    """With weights: Kish's effective sample size."""
    suppressed: bool = False


class ResultRow(ResultModel):
    """One metric on one slice."""

    OMIT_NONE = frozenset({"evaluation", "class_", "threshold", "n_effective"})

    evaluation: str | None = None
    """The evaluation (in a list of evaluations)."""
    slice: SliceKey
    metric: str
    class_: str | None = Field(default=None, alias="class")
    """Multiclass per-class metrics: the class."""
    threshold: float | None = None
    """Binary classification with several thresholds: the operating point."""
    value: float | None
    """``None`` when suppressed or undefined (e.g. precision with no predicted positives)."""
    ci_low: float | None = None
    ci_high: float | None = None
    interval: str | None = None
    """How the interval was obtained: ``wilson``, ``wilson-transformed`` (F1), ``wilson-effective``
    (balanced accuracy), ``delong-logit`` or ``auc-score`` (ROC AUC), ``bootstrap-percentile`` or
    ``bootstrap-shifted`` (with ``method: percentile``); see docs/statistics.md."""
    n: int | None
    """The rows the metric is computed over: its denominator (the negatives for a false positive
    rate, the predicted positives for precision; the slice's rows for ``count``, accuracy and
    selection rate).  ``None`` when that count is hidden.  The slice's own size is in ``slices``."""
    n_effective: float | None = None
    """With weights: the effective sample size the interval used."""
    suppressed: bool = False
    reason: str | None = None
    """Why ``value`` is missing (suppression or an undefined ratio)."""


class Disparity(ResultModel):
    """A difference and a ratio of one metric between the groups of a factor or intersection.

    ``comparison: between-groups`` (no reference group): the ``highest`` and ``lowest`` group,
    highest minus lowest and lowest over highest (fairlearn's convention).  ``to-reference``: one
    row per group, signed ``group − reference`` and ``group / reference`` (AIF360's convention),
    plus a headline row (``group: null``) naming the ``pair`` group furthest from the reference.
    Every row's difference, ratio and intervals are those of the two groups it names (the
    interval of a difference may contain 0), and every interval contains its estimate.  The
    largest difference over all groups, as a statistic, is what gates compare (``GateResult``).
    """

    OMIT_NONE = frozenset({"evaluation", "class_", "threshold", "pair"})

    evaluation: str | None = None
    over: list[str]
    metric: str
    """A metric name, or ``demographic_parity``, ``equal_opportunity``, ``equalized_odds``,
    ``average_odds``."""
    class_: str | None = Field(default=None, alias="class")
    threshold: float | None = None
    comparison: Literal["between-groups", "to-reference"]
    group: SliceKey | None = None
    reference: SliceKey | None = None
    difference: float | None
    ci_low: float | None = None
    """Interval of ``difference`` (same bootstrap draws as the groups)."""
    ci_high: float | None = None
    ratio: float | None = None
    ratio_ci_low: float | None = None
    ratio_ci_high: float | None = None
    highest: SliceKey | None = None
    """The group with the highest value (between-groups)."""
    lowest: SliceKey | None = None
    """The group with the lowest value (between-groups)."""
    pair: SliceKey | None = None
    """To a reference, on the headline row: the group furthest from the reference, whose signed
    difference, ratio and intervals the row holds."""
    groups: int
    """Groups compared (suppressed and undefined groups are left out)."""
    reason: str | None = None
    """Why a value is missing."""


class GateResult(ResultModel):
    """The outcome of one gate from the card."""

    OMIT_NONE = frozenset({"evaluation", "class_", "threshold", "severity", "group", "baseline",
                           "baseline_sha256", "baseline_value"})

    evaluation: str | None = None
    metric: str
    over: list[str]
    class_: str | None = Field(default=None, alias="class")
    threshold: float | None = None
    kind: Literal["max_difference", "min_ratio", "min", "max", "baseline"]
    limit: float
    """The limit (for ``baseline``, the tolerance)."""
    use: Literal["estimate", "interval"]
    value: float | None
    """The compared quantity: the largest absolute difference, the smallest ratio (≤ 1), the worst
    group's value (``min``, ``max``), or its change from the baseline in the unfavourable direction
    (``baseline``; a regression is positive)."""
    passed: bool
    groups: int
    include_suppressed: bool = False
    severity: Literal["warning"] | None = None
    """``warning`` for a gate that is reported but fails neither `compute` nor `validate --strict`."""
    group: SliceKey | None = None
    """``min``, ``max``, ``baseline``: the group that decided (the worst one)."""
    baseline: str | None = None
    """``baseline``: the results file compared against, relative to the card."""
    baseline_sha256: str | None = None
    """SHA-256 of the baseline file, so a changed baseline makes these results stale."""
    baseline_value: float | None = None
    """``baseline``: the deciding group's value in the baseline file."""
    reason: str | None = None
    """Why the gate could not be evaluated (it then fails): for a gate over groups of which some
    are hidden (by ``min_cell_size``, or ``min_group_size`` without ``include_suppressed``), how many
    and by which setting."""

    @property
    def blocking(self) -> bool:
        """Whether the gate failed and its failure fails `compute` and `validate --strict`."""
        return not self.passed and self.severity != "warning"


def failed_gates(gates: Iterable[GateResult]) -> tuple[int, int]:
    """How many of ``gates`` failed blocking (``severity: error``), and how many warning gates
    failed (reported, never failing `compute` or `validate --strict`)."""
    failed = [g for g in gates if not g.passed]
    blocking = sum(g.blocking for g in failed)
    return blocking, len(failed) - blocking


class CalibrationBin(ResultModel):
    """One probability bin of a calibration table (a point of a reliability diagram)."""

    low: float
    high: float
    """The bin holds scores in (``low``, ``high``] (the first bin includes 0), as scikit-learn's
    ``calibration_curve(strategy="uniform")``."""
    n: int | None
    """Rows in the bin (``null`` when hidden: below `min_cell_size`, or hidden so that no hidden
    count can be worked out)."""
    mean_score: float | None
    """Mean predicted probability (weighted with weights; ``null`` in a suppressed bin)."""
    fraction_positive: float | None
    """Share of actual positives (weighted with weights; ``null`` in a suppressed bin)."""
    suppressed: bool = False
    """A count of the bin (its rows, positives or negatives) is hidden: the bin shows its range,
    and its rows only when those are published."""


class CalibrationTable(ResultModel):
    """The calibration table of one slice (binary classification with `expected_calibration_error`)."""

    OMIT_NONE = frozenset({"evaluation"})

    evaluation: str | None = None
    slice: SliceKey
    bins: list[CalibrationBin]
    """Bins with at least one row, in increasing order."""


class Unobserved(ResultModel):
    """An unobserved slice of one evaluation (in a list of evaluations)."""

    evaluation: str
    slice: SliceKey


class EvaluationResults(ResultModel):
    """One evaluation of a list: its task, where its numbers came from and its settings."""

    name: str
    task: str
    provenance: Provenance
    settings: Settings


class ShiftMeasure(ResultModel):
    """One distribution-shift measure of one column between the training and evaluation data."""

    column: str
    """A factor's name, or ``(label)`` (the share of the positive label)."""
    measure: str
    """``js_divergence``, ``total_variation_distance``, ``kolmogorov_smirnov`` or
    ``population_stability_index``."""
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    interval: str | None = None
    """``bootstrap-basic``: each file resampled on its own (see docs/statistics.md)."""
    groups: int
    """Groups compared (the union of both files' groups)."""
    suppressed: bool = False
    reason: str | None = None


class ShiftResults(ResultModel):
    """Distribution shift from the training data (its datasheet's file) to the evaluation data."""

    datasheet: str
    """The training data's datasheet, as the card names it."""
    training_data_path: str
    """The training data file, relative to the model card."""
    training_data_sha256: str | None = None
    """SHA-256 of the training data file: when it changes, these results are stale."""
    training_rows: int
    """Rows of the training data compared: those its datasheet's `filter` keeps."""
    evaluation_rows: int
    """Rows of the evaluation data compared: those the data block's `filter` keeps."""
    level: float
    resamples: int
    seed: int
    min_cell_size: int
    """The training datasheet's threshold: a column with a smaller group on either side is suppressed."""
    columns: list[str]
    measures: list[ShiftMeasure]


_CONTENT_SHA256 = """SHA-256 of this file's canonical JSON without this key (keys sorted, no whitespace,
UTF-8): set when the results are computed, checked when they are read, so an edited file is
reported (see docs/results.md)."""


class AnalysisResults(ResultModel):
    """The results of a model card's quantitative analyses.

    For a card with one evaluation, ``provenance`` and ``settings`` are that evaluation's.  For a
    list of named evaluations, ``evaluations`` holds each one's task, provenance and settings;
    ``provenance`` sums their rows (with no data file of its own) and ``settings`` is ``null``;
    and every slice, result, disparity, gate, calibration table and unobserved slice names its
    ``evaluation``."""

    OMIT_NONE = frozenset({"evaluations", "calibration", "attributions", "shift", "conditional_disparities"})

    schema_version: Literal[1] = 1
    kind: Literal["quantitative-analyses"] = "quantitative-analyses"
    content_sha256: str | None = Field(default=None, description=_CONTENT_SHA256)
    provenance: Provenance
    settings: Settings | None
    evaluations: list[EvaluationResults] | None = None
    slices: list[SliceCounts]
    results: list[ResultRow]
    disparities: list[Disparity]
    gates: list[GateResult]
    unobserved: list[SliceKey | Unobserved]
    """Intersections of observed groups that never occur in the data."""
    calibration: list[CalibrationTable] | None = None
    """Binary classification with `expected_calibration_error`: a calibration table per reported,
    unsuppressed slice."""

    conditional_disparities: list[ConditionalDisparityRow] | None = None
    """Disparities within strata, when the card asks for `conditional_disparities`."""
    attributions: AttributionResults | None = None
    """Feature importance per slice, when the card names `attributions` (left out otherwise)."""
    shift: ShiftResults | None = None
    """Distribution shift from the training data, when the card asks for `distribution_shift`
    (left out of the file otherwise)."""

    @property
    def failed_gates(self) -> list[GateResult]:
        return [g for g in self.gates if not g.passed]

    @property
    def blocking_gates(self) -> list[GateResult]:
        """Failed gates whose severity is ``error``."""
        return [g for g in self.gates if g.blocking]

    def evaluation_settings(self, name: str | None = None) -> Settings | None:
        """The settings of evaluation ``name`` (``None``: the single evaluation's)."""
        if name is None or self.evaluations is None:
            return self.settings
        return next((e.settings for e in self.evaluations if e.name == name), None)

    def to_frame(self) -> Any:
        """The results as a tidy pandas DataFrame: one row per slice × metric (and class, threshold
        and evaluation when the results have them), one column per factor holding the slice's
        group (missing where the slice does not split by that factor), then the value, its
        interval, n, whether it is suppressed and why.  Needs pandas (imported only then, by
        `cardwright.frames`)."""
        from ..frames import analysis_frame

        return analysis_frame(self)

    def value(self, metric: str, slice: SliceKey | None = None, *, evaluation: str | None = None,
              class_: str | None = None, threshold: float | None = None) -> ResultRow | None:
        """The row for ``metric`` on ``slice`` (overall when ``None``)."""
        key = slice or {}
        return next((r for r in self.results if r.metric == metric and r.slice == key
                     and r.evaluation == evaluation and r.class_ == class_ and r.threshold == threshold), None)


class CategoryShare(ResultModel):
    """One value of a categorical column (or one group of attributes)."""

    value: str
    count: int | None
    """``None`` when suppressed."""
    share: float | None
    suppressed: bool = False


class NumericSummary(ResultModel):
    """Extremes and moments of a numeric column's finite values.  A single row's value is never
    published: ``min``/``max`` only when at least ``min_cell_size`` rows hold them, ``mean`` and
    ``std`` only over at least ``min_cell_size`` values."""

    min: float | None
    """The smallest value, when at least ``min_cell_size`` rows hold it (else ``None``)."""
    max: float | None
    """The largest value, when at least ``min_cell_size`` rows hold it (else ``None``)."""
    low: float | None = None
    """The ``min_cell_size``-th smallest value: at least ``min_cell_size`` rows lie at or below
    it.  Equal to ``min`` whenever ``min`` is published."""
    high: float | None = None
    """The ``min_cell_size``-th largest value: at least ``min_cell_size`` rows lie at or above it."""
    mean: float | None
    std: float | None
    """Sample standard deviation (n − 1)."""


class ColumnStats(ResultModel):
    name: str
    type: str
    """Arrow type name (``int64``, ``double``, ``string``…)."""
    missing: int | None
    """Rows with no value; ``None`` when suppressed (fewer than ``min_cell_size``, or hidden so a
    suppressed count cannot be worked out from it)."""
    missing_share: float | None
    distinct: int | None
    """Distinct non-missing values; ``None`` beyond ``distinct_limit``, and when the column's missing
    count or its pooled rare values are suppressed (the number of values would bound them)."""
    distinct_limit: int
    numeric: NumericSummary | None = None
    categories: list[CategoryShare] | None = None
    """Every value with its share, for columns with few distinct values (values held by fewer than
    ``min_cell_size`` rows pooled into one unnamed row).  A sensitive attribute's values are
    published as its groups instead."""


class GroupShare(ResultModel):
    """The share of one group (or intersection) of sensitive attributes."""

    slice: SliceKey
    count: int | None
    share: float | None
    suppressed: bool = False


class CompositionResults(ResultModel):
    """The computed composition statistics of a datasheet's data."""

    OMIT_NONE = frozenset({"bias"})

    schema_version: Literal[1] = 1
    kind: Literal["composition"] = "composition"
    content_sha256: str | None = Field(default=None, description=_CONTENT_SHA256)
    provenance: Provenance
    min_cell_size: int
    rows: int
    columns: list[ColumnStats]
    label: str | None = None
    label_shares: list[CategoryShare] | None = None
    sensitive_attributes: list[str] = Field(default_factory=list)
    groups: list[GroupShare] = Field(default_factory=list)
    unobserved: list[SliceKey] = Field(default_factory=list)
    bias: BiasResults | None = None
    """Pre-training bias measures, when the datasheet asks for `bias_metrics` (left out of the
    file otherwise)."""

    def to_frame(self) -> Any:
        """The shares of the sensitive attributes' groups and intersections as a tidy pandas
        DataFrame: one row per group, a column per attribute, then count, share and whether the
        count is suppressed.  Needs pandas (imported only then, by `cardwright.frames`)."""
        from ..frames import composition_frame

        return composition_frame(self)


Results = AnalysisResults | CompositionResults
