"""The published shape of a results file: what `cardwright compute` writes next to a card.

Two kinds share the envelope (``schema_version``, ``kind``, ``provenance``):

* ``quantitative-analyses`` (a model card): tidy rows, one per slice × metric, plus per-slice
  confusion counts, disparities between groups, gate outcomes and the intersections never seen;
* ``composition`` (a datasheet): per-column statistics and the shares of sensitive attributes,
  with small cells suppressed.

A *slice* is a mapping from factor name to group label: ``{}`` is the whole evaluation set, one
key a single factor's group, several keys an intersection.  Every number is an exact function of
the data, the card's settings and the seed, so the same inputs give the same bytes.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SliceKey = dict[str, str]
"""Factor name → group label; ``{}`` is the overall slice."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, protected_namespaces=(),
                              allow_inf_nan=False)


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


class Provenance(_Model):
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
    """Rows left out, by reason (``missing_label``, ``missing_prediction``, ``missing_score``,
    ``missing_factor``, ``missing_label_column``…).  Empty when nothing was dropped."""

    settings_sha256: str
    """SHA-256 of the settings that change the numbers (canonical JSON of the card's spec)."""

    engine: str
    """Where the counting ran (``arrow``)."""

    computed_at: str | None = None
    """UTC time of the computation; only written when ``SOURCE_DATE_EPOCH`` is set (reproducible builds)."""


class AucInfo(_Model):
    """How ROC AUC was obtained from score histograms."""

    method: Literal["exact", "binned"]
    """``exact``: every distinct score had its own bin (equal to the rank formula); ``binned``:
    scores were grouped into ``bins`` quantile bins."""

    bins: int
    """Number of score bins."""

    max_error: float
    """Largest possible difference from the exact AUC over all reported slices (half the share of
    positive/negative pairs that fall into the same bin); 0 when exact."""


class Settings(_Model):
    """The settings the numbers depend on, repeated for readers of the results alone."""

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
    missing_values: Literal["group", "drop"]
    positive_label: str
    threshold: float | None = None
    auc: AucInfo | None = None
    """Present when ROC AUC was computed."""


class SliceCounts(_Model):
    """Confusion counts of one slice.  Suppressed slices publish only their size."""

    slice: SliceKey
    n: int
    tp: int | None = None
    fp: int | None = None
    tn: int | None = None
    fn: int | None = None
    suppressed: bool = False


class ResultRow(_Model):
    """One metric on one slice."""

    slice: SliceKey
    metric: str
    value: float | None
    """``None`` when suppressed or undefined (e.g. precision with no predicted positives)."""
    ci_low: float | None = None
    ci_high: float | None = None
    interval: str | None = None
    """How the interval was obtained: ``wilson``, ``wilson-transformed`` (F1), ``wilson-effective``
    (balanced accuracy), ``delong-logit`` or ``auc-score`` (ROC AUC), ``bootstrap-percentile`` or
    ``bootstrap-shifted`` (with ``method: percentile``); see docs/statistics.md."""
    n: int
    """Rows in the slice."""
    suppressed: bool = False
    reason: str | None = None
    """Why ``value`` is missing (suppression or an undefined ratio)."""


class Disparity(_Model):
    """A difference and a ratio of one metric between the groups of a factor or intersection.

    ``comparison: between-groups`` (no reference group): highest minus lowest group and lowest
    over highest (fairlearn's convention).  ``to-reference``: one row per group, signed
    ``group − reference`` and ``group / reference`` (AIF360's convention), plus a summary row
    (``group: null``) holding the largest difference and the ratio farthest from 1.
    """

    over: list[str]
    metric: str
    """A metric name, or ``demographic_parity``, ``equal_opportunity``, ``equalized_odds``,
    ``average_odds``."""
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
    groups: int
    """Groups compared (suppressed and undefined groups are left out)."""
    reason: str | None = None
    """Why a value is missing."""


class GateResult(_Model):
    """The outcome of one gate from the card."""

    metric: str
    over: list[str]
    kind: Literal["max_difference", "min_ratio"]
    limit: float
    use: Literal["estimate", "interval"]
    value: float | None
    """The compared quantity: the largest absolute difference, or the smallest ratio (≤ 1)."""
    passed: bool
    groups: int
    include_suppressed: bool = False
    reason: str | None = None
    """Why the gate could not be evaluated (it then fails)."""


class AnalysisResults(_Model):
    """The results of a model card's quantitative analyses."""

    schema_version: Literal[1] = 1
    kind: Literal["quantitative-analyses"] = "quantitative-analyses"
    provenance: Provenance
    settings: Settings
    slices: list[SliceCounts]
    results: list[ResultRow]
    disparities: list[Disparity]
    gates: list[GateResult]
    unobserved: list[SliceKey]
    """Intersections of observed groups that never occur in the data."""

    @property
    def failed_gates(self) -> list[GateResult]:
        return [g for g in self.gates if not g.passed]

    def value(self, metric: str, slice: SliceKey | None = None) -> ResultRow | None:
        """The row for ``metric`` on ``slice`` (overall when ``None``)."""
        key = slice or {}
        return next((r for r in self.results if r.metric == metric and r.slice == key), None)


class CategoryShare(_Model):
    """One value of a categorical column (or one group of attributes)."""

    value: str
    count: int | None
    """``None`` when suppressed."""
    share: float | None
    suppressed: bool = False


class NumericSummary(_Model):
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


class ColumnStats(_Model):
    name: str
    type: str
    """Arrow type name (``int64``, ``double``, ``string``…)."""
    missing: int | None
    """Rows with no value; ``None`` when suppressed (fewer than ``min_cell_size``, or hidden so a
    suppressed count cannot be worked out from it)."""
    missing_share: float | None
    distinct: int | None
    """Distinct non-missing values; ``None`` beyond ``distinct_limit``."""
    distinct_limit: int
    numeric: NumericSummary | None = None
    categories: list[CategoryShare] | None = None
    """Every value with its share, for columns with few distinct values (values held by fewer than
    ``min_cell_size`` rows pooled into one unnamed row).  A sensitive attribute's values are
    published as its groups instead."""


class GroupShare(_Model):
    """The share of one group (or intersection) of sensitive attributes."""

    slice: SliceKey
    count: int | None
    share: float | None
    suppressed: bool = False


class CompositionResults(_Model):
    """The computed composition statistics of a datasheet's data."""

    schema_version: Literal[1] = 1
    kind: Literal["composition"] = "composition"
    provenance: Provenance
    min_cell_size: int
    rows: int
    columns: list[ColumnStats]
    label: str | None = None
    label_shares: list[CategoryShare] | None = None
    sensitive_attributes: list[str] = Field(default_factory=list)
    groups: list[GroupShare] = Field(default_factory=list)
    unobserved: list[SliceKey] = Field(default_factory=list)


Results = AnalysisResults | CompositionResults
