"""The results of a datasheet's `bias_metrics`: SageMaker Clarify's pre-training bias measures of
each facet against the rest of the data, with the strata of conditional demographic disparity."""

from __future__ import annotations

from .result_model import ResultModel, SliceKey


class BiasStratum(ResultModel):
    """One stratum of a conditional demographic disparity: the facet and the rest within it."""

    stratum: SliceKey
    """The stratum's group of each `conditional_on` column."""
    n: int | None
    """Rows in the stratum (``None`` when suppressed)."""
    n_facet: int | None = None
    n_rest: int | None = None
    weight: float | None
    """The stratum's share of all rows: its weight in CDD."""
    facet_rate: float | None
    """Share of favourable labels in the facet, within the stratum."""
    facet_rate_ci_low: float | None = None
    facet_rate_ci_high: float | None = None
    rest_rate: float | None
    """Share of favourable labels in the rest of the data, within the stratum."""
    rest_rate_ci_low: float | None = None
    rest_rate_ci_high: float | None = None
    disparity: float | None
    """``DD`` within the stratum: the facet's share of unfavourable labels minus its share of
    favourable ones."""
    ci_low: float | None = None
    ci_high: float | None = None


class BiasMeasure(ResultModel):
    """One pre-training bias measure of one facet *d* (a group of a sensitive attribute or a cell
    of an intersection) against the rest of the data *a* (SageMaker Clarify's convention; see
    docs/statistics.md for each formula and its sign)."""

    over: list[str]
    """The sensitive attribute, or the attributes of an intersection."""
    facet: SliceKey
    """The group compared with all other rows."""
    metric: str
    """``class_imbalance``, ``difference_in_label_proportions``, ``kl_divergence``,
    ``js_divergence``, ``lp_norm``, ``total_variation_distance``, ``kolmogorov_smirnov`` or
    ``conditional_demographic_disparity``."""
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    interval: str | None = None
    """``wilson-transformed`` (CI), ``newcombe`` (DPL), ``newcombe-folded`` (TVD, KS, LP of a
    two-valued label), ``wilson-box`` (KL, JS of a two-valued label), ``bootstrap-percentile``
    (CDDL) or ``bootstrap-basic`` (the distances of a label with more values)."""
    n_facet: int | None
    """Rows in the facet with a label (``None`` when this count is suppressed; a suppressed measure
    may still show it)."""
    n_rest: int | None
    facet_rate: float | None = None
    """For DPL and CDDL: the share of favourable labels in the facet (all strata together)."""
    facet_rate_ci_low: float | None = None
    facet_rate_ci_high: float | None = None
    rest_rate: float | None = None
    """For DPL and CDDL: the share of favourable labels in the rest of the data."""
    rest_rate_ci_low: float | None = None
    rest_rate_ci_high: float | None = None
    suppressed: bool = False
    """Whether the measure is hidden: a count it is built from is below ``min_cell_size``, or hidden
    so that one cannot be worked out (complementary suppression); it then publishes no value, rate,
    interval or stratum."""
    reason: str | None = None
    """Why ``value`` is missing."""
    strata: list[BiasStratum] | None = None
    """For ``conditional_demographic_disparity``: every stratum's disparity and rates."""


class BiasResults(ResultModel):
    """SageMaker Clarify's pre-training bias measures of a datasheet's data."""

    label: str | None
    positive_label: str | None
    label_values: list[str] | None
    """The label values the distributions are over: those held by at least ``min_cell_size`` rows,
    then ``(other values, each in fewer than min_cell_size rows)`` for the others pooled, as in
    ``label_shares``."""
    conditional_on: list[str]
    """The strata of ``conditional_demographic_disparity``."""
    metrics: list[str]
    level: float
    resamples: int
    seed: int
    rows_used: int | None
    """Rows with a label, which the measures are over (``None`` when suppressed: the rows without a
    label are then a suppressed count of the label's value table)."""
    rows_dropped: dict[str, int | None]
    """Rows left out of the measures (``missing_label``; ``None`` when suppressed)."""
    measures: list[BiasMeasure]
