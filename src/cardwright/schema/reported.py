"""Results a card reports but cardwright did not compute: numbers from a Hugging Face
``model-index``, a Model Card Toolkit card, an evaluation harness's ``results.json``, a paper.

They sit in their own section, ``reported_results``, next to the computed ``quantitative_analyses``:
each row is one metric on one slice of one dataset, with where the number came from.  Renders show
them beside computed results, marked as reported; gates can judge them (:class:`ReportedGate`, the
same vocabulary as computed gates); ``diff`` compares them; both exports carry them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from ._base import OptionalProse, Section, Text

ReportedValue = StrictInt | StrictFloat | StrictStr
"""A number as the source gave it; text (e.g. ``"92.1 ± 0.3"``) is kept, and a gate that matches
it fails (it cannot be checked)."""


class ReportedTask(Section):
    """The task the model was evaluated on, as the source names it."""

    type: Text
    """Task identifier, e.g. `text-classification` or `text-generation` (a Hugging Face task id
    where there is one)."""

    name: Text | None = None
    """A readable name for the task, e.g. `Sentiment analysis`."""


class ReportedDataset(Section):
    """The data a reported number was measured on."""

    name: Text
    """A readable name, e.g. `HellaSwag (10-shot)` or `Census income, test split`."""

    id: Text | None = None
    """Identifier of the dataset or benchmark: a Hugging Face dataset id (`imdb`,
    `allenai/ai2_arc`) or an evaluation harness task (`hellaswag`)."""

    config: Text | None = None
    """The dataset configuration (subset), e.g. `ARC-Challenge`."""

    split: Text | None = None
    """The split the number was measured on, e.g. `test` or `validation`."""

    revision: Text | None = None
    """The dataset revision (a commit hash or tag), for exact reproduction."""

    args: dict[str, Any] | None = None
    """Other arguments used to load the data, kept as the source wrote them."""


class ReportedSource(Section):
    """Where a reported number comes from."""

    name: Text | None = None
    """Who or what reported it, e.g. `Open LLM Leaderboard`, `Model Card Toolkit`, or a team."""

    url: str | None = None
    """Where the number can be checked (a leaderboard, a report, a results file)."""

    harness: Text | None = None
    """The evaluation harness that produced it, e.g. `lm-evaluation-harness`."""

    version: Text | None = None
    """The harness's version or commit."""

    paper: str | None = None
    """The paper that reports it: a citation, a DOI or a URL."""


class ReportedResult(Section):
    """One reported metric on one slice of one dataset."""

    metric: Text
    """The metric's identifier as the source names it, e.g. `accuracy`, `acc_norm`, `wer`."""

    metric_name: Text | None = None
    """A readable name for the metric, e.g. `Test WER`."""

    value: ReportedValue
    """The reported value."""

    ci_low: float | None = None
    """Lower end of the reported interval, if any."""

    ci_high: float | None = None
    """Upper end of the reported interval, if any."""

    confidence_level: float | None = Field(default=None, gt=0, lt=1)
    """Confidence level of the interval, e.g. 0.95."""

    stderr: float | None = Field(default=None, ge=0)
    """Standard error, when the source gives one (an evaluation harness does)."""

    n: int | None = Field(default=None, ge=0)
    """Examples the number was measured on."""

    slice: dict[str, str] = Field(default_factory=dict)
    """The group it was measured on, as factor → value (e.g. `{sex: female}`); empty for the whole
    dataset."""

    task: ReportedTask | None = None
    """The task, as the source names it."""

    dataset: ReportedDataset | None = None
    """The data it was measured on."""

    metric_config: Text | None = None
    """The metric's configuration, where the source has one (Hugging Face `config`)."""

    metric_args: dict[str, Any] | None = None
    """Arguments of the metric, e.g. `{average: macro}`."""

    settings: dict[str, Any] = Field(default_factory=dict)
    """How the number was obtained, as the source reports it: `n_shot`, `filter`, `threshold`,
    `batch_size`…"""

    higher_is_better: StrictBool | None = None
    """Whether larger values are better, when the source says."""

    source: ReportedSource | None = None
    """Where the number comes from."""

    date: dt.date | None = None
    """When the number was produced or published, as YYYY-MM-DD."""

    verified: StrictBool | None = None
    """`true` when the Hugging Face evaluation service produced it (its `verified` flag)."""

    verify_token: str | None = None
    """The Hugging Face evaluation service's signature of the value, kept so the export keeps it."""

    notes: OptionalProse = None
    """Anything a reader should know about this number."""

    @model_validator(mode="after")
    def _interval(self) -> ReportedResult:
        if (self.ci_low is None) != (self.ci_high is None):
            raise PydanticCustomError("interval", "give both `ci_low` and `ci_high`, or neither")
        if self.ci_low is not None and self.ci_high is not None and self.ci_low > self.ci_high:
            raise PydanticCustomError("interval", "`ci_low` is above `ci_high`")
        for name in ("value", "ci_low", "ci_high", "stderr"):
            v = getattr(self, name)
            if isinstance(v, float) and not math.isfinite(v):
                raise PydanticCustomError("not_finite", "`{name}` is not a finite number", {"name": name})
        return self

    @property
    def number(self) -> float | None:
        """The value as a number (``None`` when the source gave text)."""
        return None if isinstance(self.value, str) else float(self.value)

    @property
    def key(self) -> tuple[Any, ...]:
        """What identifies this result: the same metric on the same slice of the same data, task,
        source and settings.  Two results with one key are one result reported twice."""
        ds = self.dataset
        return (
            self.metric,
            self.metric_config,
            tuple(sorted(self.slice.items())),
            self.task.type if self.task else None,
            (ds.id or ds.name, ds.config, ds.split, ds.revision) if ds else None,
            (self.source.name, self.source.harness) if self.source else None,
            json.dumps(self.settings, sort_keys=True, default=str),
        )

    @property
    def context(self) -> tuple[Any, ...]:
        """The key without the slice: results that differ only in their slice can be compared."""
        k = self.key
        return (*k[:2], *k[3:])


class ReportedGate(Section):
    """A pass/fail check on reported values, in the vocabulary of computed gates."""

    metric: Text
    """The reported metric to check (its `metric` identifier)."""

    over: list[str] = Field(default_factory=list)
    """The factor (one name) or intersection (several) whose groups are compared; empty: the
    values on whole datasets.  The gate speaks for every matching result: one without a numeric
    value (or, with `use: interval`, without an interval) makes it fail, named in its reason."""

    dataset: Text | None = None
    """Only results on this dataset (its `name` or `id`); every dataset when left out."""

    max_difference: float | None = Field(default=None, ge=0)
    """Fail when the difference between the highest and lowest group exceeds this."""

    min_ratio: float | None = Field(default=None, ge=0, le=1)
    """Fail when the lowest group over the highest falls below this (e.g. 0.8)."""

    min: float | None = None
    """Fail when a value is below this (every group, or every dataset; the worst decides)."""

    max: float | None = None
    """Fail when a value is above this (every group, or every dataset; the worst decides)."""

    use: Literal["estimate", "interval"] = "estimate"
    """`estimate` compares the reported values; `interval` the unfavourable end of their intervals
    (results without an interval then fail the gate)."""

    severity: Literal["error", "warning"] = "error"
    """`error`: a failure fails `validate --strict`; `warning`: it is reported and rendered only."""

    @model_validator(mode="after")
    def _one_limit(self) -> ReportedGate:
        given = [k for k in ("max_difference", "min_ratio", "min", "max") if getattr(self, k) is not None]
        if len(given) != 1:
            raise PydanticCustomError("gate_limit", "give exactly one of `max_difference`, `min_ratio`, `min` and `max`")
        if given[0] in ("max_difference", "min_ratio") and not self.over:
            raise PydanticCustomError("gate_over", "`{kind}` compares groups: name them with `over`", {"kind": given[0]})
        return self

    @property
    def kind(self) -> Literal["max_difference", "min_ratio", "min", "max"]:
        for k in ("max_difference", "min_ratio", "min", "max"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated gates have one limit")

    @property
    def limit(self) -> float:
        value = getattr(self, self.kind)
        assert value is not None
        return float(value)


class ReportedResults(Section):
    """Results reported by others (a paper, a leaderboard, an evaluation harness, another card
    format) and not computed by cardwright: shown beside the computed results, marked as
    reported, and never mixed with them."""

    results: list[ReportedResult] = Field(default_factory=list)
    """One entry per metric × slice × dataset; `cardwright import` fills this from a Hugging Face
    `model-index`, a Model Card Toolkit card or an evaluation harness's `results.json`."""

    gates: list[ReportedGate] = Field(default_factory=list)
    """Pass/fail checks on the reported values."""

    notes: OptionalProse = None
    """Anything a reader should know about these numbers (how comparable they are, who checked them)."""


class ReportedGateResult(Section):
    """The outcome of one gate on reported values."""

    metric: str
    over: list[str]
    dataset: str | None
    kind: Literal["max_difference", "min_ratio", "min", "max"]
    limit: float
    use: Literal["estimate", "interval"]
    severity: Literal["error", "warning"]
    value: float | None
    """The compared quantity: the largest difference, the smallest ratio, the lowest (for `min`)
    or highest (for `max`) value."""
    passed: bool
    groups: int
    """Values compared."""
    worst: dict[str, str] | None = None
    """The slice that decided (for `min` and `max`)."""
    reason: str | None = None
    """Why the gate could not be evaluated (it then fails)."""
