"""The results of a model card's `conditional_disparities`: a group against the reference group
within strata, with each stratum used."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .result_model import ResultModel, SliceKey


class ConditionalStratum(ResultModel):
    """One stratum of a conditional disparity."""

    stratum: SliceKey
    weight: float
    """The stratum's share of the rows of the strata used."""
    n: int
    group_value: float
    reference_value: float
    difference: float


class ConditionalDisparityRow(ResultModel):
    """A group against the reference group within strata (see docs/statistics.md)."""

    OMIT_NONE = frozenset({"aggregate_reason"})

    over: list[str]
    conditional_on: list[str]
    metric: str
    group: SliceKey | None = None
    reference: SliceKey | None = None
    difference: float | None
    """Σ weight × (group − reference) over the strata used: signed."""
    ci_low: float | None = None
    ci_high: float | None = None
    ratio: float | None = None
    """Mantel–Haenszel risk ratio of group to reference."""
    ratio_ci_low: float | None = None
    ratio_ci_high: float | None = None
    aggregate_difference: float | None = None
    """The same pair's difference over all rows, not conditioned."""
    aggregate_ratio: float | None = None
    aggregate_reason: str | None = None
    """Why `aggregate_difference` and `aggregate_ratio` are not shown: a group's own value is hidden
    (`min_cell_size`) or suppressed (`min_group_size`) in its slice."""
    strata_used: int = 0
    strata_left_out: list[SliceKey] = Field(default_factory=list)
    """Strata left out of the combination, none of their values or counts published: a group has
    fewer than `min_group_size` rows in the metric's denominator there, or a value of the group,
    of the reference or the stratum's size is hidden there (`min_cell_size`)."""
    strata_left_out_by: list[Literal["min_group_size", "min_cell_size"]] = Field(default_factory=list)
    """The setting that leaves out each of `strata_left_out`, in the same order."""
    strata: list[ConditionalStratum] = Field(default_factory=list)
    reason: str | None = None
