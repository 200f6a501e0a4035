"""Gates: pass/fail checks on computed results, for release decisions and CI."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from ._base import Section

GateKind = Literal["max_difference", "min_ratio", "min", "max", "baseline"]
GATE_KINDS: tuple[str, ...] = get_args(GateKind)
#: Gate kinds that compare the groups of `over` with each other (they need `over`).
COMPARING = ("max_difference", "min_ratio")


class Gate(Section):
    """A pass/fail check on the results: a disparity between groups, a limit on a metric in every
    group, or a regression against an earlier results file."""

    metric: str = Field(min_length=1)
    """A metric from `metrics`, or for binary classification a fairness measure:
    `demographic_parity`, `equal_opportunity`, `equalized_odds`, `average_odds`."""

    over: list[str] = Field(default_factory=list)
    """The factor (one name) or intersection (several names) whose groups are checked.  Required
    for `max_difference` and `min_ratio`; for `min`, `max` and `baseline` the overall result when
    left out."""

    max_difference: float | None = Field(default=None, ge=0)
    """Fail when the difference between groups exceeds this."""

    min_ratio: float | None = Field(default=None, ge=0, le=1)
    """Fail when the ratio between groups falls below this (e.g. 0.8, the four-fifths rule)."""

    min: float | None = None
    """Fail when the metric is below this in any group (the worst group decides)."""

    max: float | None = None
    """Fail when the metric is above this in any group (the worst group decides)."""

    baseline: str | None = Field(default=None, min_length=1)
    """A results file computed earlier (relative to this card, inside its folder tree): fail when
    the metric regresses by more than `tolerance` from it in any group."""

    tolerance: float | None = Field(default=None, ge=0)
    """`baseline`: how far the metric may move the wrong way before the gate fails (for metrics
    with no better direction, such as `mean_error` or `selection_rate`: either way); 0 when left out."""

    better: Literal["higher", "lower"] | None = None
    """`baseline`: which way the metric improves, for metrics that have no better direction of
    their own (`mean`, `pass_rate`, `mean_error`…); without it a change either way counts."""

    use: Literal["estimate", "interval"] = "estimate"
    """`estimate` compares the point estimate; `interval` the unfavourable end of its interval
    (fails unless the data show the gate is met)."""

    include_suppressed: StrictBool = False
    """Compare the groups below `min_group_size` too (their estimates are unreliable); without it
    such a group makes the gate fail, as it cannot be checked.  Groups hidden by `min_cell_size`
    always make the gate fail."""

    severity: Literal["error", "warning"] | None = None
    """`error` (when left out): a failure fails `compute` and `validate --strict`; `warning`: a
    failure is reported and rendered but fails neither (e.g. an audit card that honestly reports a
    failing disparity)."""

    threshold: float | None = None
    """With several `thresholds`: the operating point a threshold-dependent metric is checked at."""

    conditional_on: list[str] | None = None
    """`max_difference` and `min_ratio`: compare the groups within the strata of these factors and
    combine (see `conditional_disparities`), instead of over all rows."""

    class_: str | int | bool | None = Field(default=None, alias="class")
    """Multiclass: the class a per-class metric (`precision`, `recall`, `f1`) is checked for."""

    @model_validator(mode="after")
    def _one_limit(self) -> Gate:
        given = [k for k in GATE_KINDS if getattr(self, k) is not None]
        if (self.tolerance is not None or self.better is not None) and given != ["baseline"]:
            raise PydanticCustomError("gate_tolerance", "`tolerance` and `better` belong to `baseline` gates")
        if len(given) != 1:
            raise PydanticCustomError(
                "gate_limit", "give exactly one of `max_difference`, `min_ratio`, `min`, `max` and `baseline`")
        if given[0] in COMPARING and not self.over:
            raise PydanticCustomError(
                "gate_over", "a {kind} gate compares groups: name the factor or intersection in `over`",
                {"kind": given[0]})
        return self

    @property
    def kind(self) -> str:
        """Which limit the gate sets: one of :data:`GATE_KINDS`."""
        return next(k for k in GATE_KINDS if getattr(self, k) is not None)

    @property
    def limit(self) -> float:
        """The limit's value (for `baseline`, the tolerance)."""
        value = (self.tolerance or 0.0) if self.kind == "baseline" else getattr(self, self.kind)
        return float(value)

    @property
    def warning(self) -> bool:
        """Whether a failure of this gate is reported only (`severity: warning`)."""
        return self.severity == "warning"
