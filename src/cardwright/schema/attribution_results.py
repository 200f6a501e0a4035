"""The results of a model card's `attributions`: feature importance per slice from per-row
attributions, the features whose rank differs between groups, and each feature's histogram."""

from __future__ import annotations

from typing import Literal

from .result_model import ResultModel, SliceKey


class AttributionRow(ResultModel):
    """One feature's importance on one slice."""

    slice: SliceKey
    feature: str
    metric: Literal["mean_abs_attribution", "mean_attribution"]
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    interval: str | None = None
    """``normal``: mean ± z·s/√n with the slice's own standard deviation."""
    n: int | None
    """Rows with attributions in the slice; ``None`` when the row is suppressed because the metrics
    hide the slice's size or count other rows (see docs/safety.md)."""
    rank: int | None = None
    """For ``mean_abs_attribution``: the feature's rank in the slice (1 = most important)."""
    rank_low: int | None = None
    """The best rank the intervals allow."""
    rank_high: int | None = None
    """The worst rank the intervals allow."""
    suppressed: bool = False
    reason: str | None = None


class RankGroup(ResultModel):
    slice: SliceKey
    rank: int
    rank_low: int
    rank_high: int


class RankFlag(ResultModel):
    """A feature whose importance rank differs between groups beyond the intervals."""

    over: list[str]
    feature: str
    groups: list[RankGroup]
    """Every reported group's rank and rank range."""
    pairs: list[list[SliceKey]]
    """The pairs of groups whose rank ranges do not overlap."""


class AttributionDistribution(ResultModel):
    """A histogram of one feature's attributions over all matched rows."""

    feature: str
    edges: list[float]
    counts: list[int | None]
    """Rows per bin; ``None`` when suppressed."""


class AttributionResults(ResultModel):
    """Feature importance per slice from per-row attributions."""

    path: str
    sha256: str | None = None
    """SHA-256 of the attribution file: when it changes, these results are stale."""
    id: str | None
    features: list[str]
    rows_matched: int
    """Rows with attributions that entered the summaries."""
    rows_dropped: int
    """Evaluation rows left out, as the metrics leave them out: those the data block's `filter`
    leaves out, those without a label, prediction, score or weight, and those with a missing
    factor value under `missing_values: drop`."""
    level: float
    top_k: int
    importance: list[AttributionRow]
    rank_flags: list[RankFlag]
    distributions: list[AttributionDistribution]
