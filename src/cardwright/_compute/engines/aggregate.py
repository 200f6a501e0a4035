"""The count pass on an engine that aggregates (DuckDB, Spark): the engine groups, Python decodes.

The engine never interprets a value.  It returns one row per distinct key with the number of rows
it stands for: the raw label and prediction, the raw value of each plain factor, for a binned
factor its range code (and the smallest value in the range, which the decoder bins back to the
same range), for the score its bin (and the smallest score in the bin, on the same side of the
threshold).  That small table goes through the same :class:`~..decode.BatchDecoder` as the Arrow
engine's batches, with the row counts as weights, so labels, groups, missing values and dropped
rows are decided by one piece of code for every engine.

A backend implements the few queries below; :func:`count` runs them in order:
the score column's summary and checks, its histogram and (when few enough) its distinct values,
for binned scores the groups of every factor (which set the number of bins), then the aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ...errors import DataError
from ..counts import EXACT_LIMIT, CountTable
from ..decode import MISSING, BatchDecoder, factor_codes
from ..filtering.prepare import Preparation, filter_drops
from ..reading import BATCH_ROWS
from .arrow import finish
from .bins import ScorePlan, binned_plan
from .table import Counter, ExactTooLarge

WEIGHT = "__cardwright_rows"
"""The row-count column of an aggregate (a name no evaluation file uses)."""


@dataclass
class Ask:
    """What the count needs from the data: column names and the few values the engine compares."""

    label: str
    prediction: str | None
    score: str | None
    threshold: float | None
    """Set when predictions come from ``score >= threshold``."""
    factors: list[tuple[str, list[float] | None]]
    """``(column, cut points)``; cut points only for a binned factor."""

    @classmethod
    def of(cls, decoder: BatchDecoder) -> Ask:
        spec = decoder.spec
        factors = [(col, list(lv.binned.bins) if lv.binned is not None else None)
                   for col, lv in zip(decoder.factor_columns, decoder.levels)]
        threshold = spec.threshold if spec.prediction is None else None
        assert spec.label is not None  # the tasks computed here have a label (the card's checks say so)
        return cls(spec.label, spec.prediction, spec.score, threshold, factors)

    @property
    def outputs(self) -> list[str]:
        """The aggregate's value columns, each named as in the data (the decoder reads them so)."""
        cols = [self.label]
        for c in (self.prediction, self.score, *(f for f, _ in self.factors)):
            if c is not None and c not in cols:
                cols.append(c)
        return cols

    def role(self, column: str) -> str:
        """``score``, ``binned`` (both smallest-value columns) or ``raw``."""
        if column == self.score:
            return "score"
        if any(c == column and bins is not None for c, bins in self.factors):
            return "binned"
        return "raw"


class Backend(Protocol):
    display: str
    column_names: list[str]
    filtered: int
    """Rows the card's filter left out (the backend's relation holds only the rows it keeps)."""

    def score_summary(self, ask: Ask) -> dict[str, Any]:
        """``n, lo, hi`` of the non-null scores, and the counts ``not_number`` (text that is not a
        number), ``not_finite`` (NaN, ±inf) and ``out_of_unit`` (outside [0, 1])."""

    def histogram(self, ask: Ask, lo: float, scale: float) -> np.ndarray: ...

    def distinct_scores(self, ask: Ask, limit: int) -> np.ndarray: ...

    def factor_values(self, ask: Ask, column: str) -> Any:
        """A plain factor's distinct values (a pyarrow array)."""

    def binned_summary(self, ask: Ask, column: str) -> tuple[int, int]:
        """``(missing, not_number)`` of a binned factor's column."""

    def aggregate(self, ask: Ask, plan: ScorePlan | None, bins: int) -> Any:
        """The aggregate as a pyarrow Table: :attr:`Ask.outputs` and :data:`WEIGHT`."""


def score_plan(backend: Backend, ask: Ask, decoder: BatchDecoder) -> ScorePlan:
    s = backend.score_summary(ask)
    at = decoder._at_key
    if s["not_number"]:
        raise at(("data", "score"), f"{s['not_number']:,} values of the score column {ask.score!r} in "
                 f"{backend.display} are not numbers", "the score column must hold numbers")
    if s["not_finite"]:
        raise at(("data", "score"), f"{s['not_finite']:,} scores in {backend.display} are not finite numbers "
                 "(NaN or infinite)", "fix or remove NaN and infinite scores (an empty cell counts as missing)")
    if ask.threshold is not None and s["out_of_unit"]:
        raise at(("data", "score"), f"{s['out_of_unit']:,} scores in {backend.display} are outside [0, 1], so "
                 "`threshold` cannot turn them into predictions", "give probabilities, or give a `prediction` column")
    n, lo, hi = int(s["n"]), s["lo"], s["hi"]
    if n == 0:
        return ScorePlan("exact")
    lo, hi = float(lo), float(hi)
    if lo == hi:
        return ScorePlan("exact", points=np.array([lo]))
    plan = binned_plan(lo, hi, lambda lo_, scale: backend.histogram(ask, lo_, scale))
    assert plan.hist is not None
    if np.count_nonzero(plan.hist) > EXACT_LIMIT:
        return plan
    distinct = np.unique(np.asarray(backend.distinct_scores(ask, EXACT_LIMIT + 1), dtype=np.float64))
    return ScorePlan("exact", points=distinct) if len(distinct) <= EXACT_LIMIT else plan


def prime_levels(backend: Backend, ask: Ask, decoder: BatchDecoder, binned: dict[str, tuple[int, int]]) -> None:
    """Every factor's groups, before counting (the number of groups sets the number of bins);
    ``binned``: :meth:`Backend.binned_summary` of each binned factor's column."""
    for i, ((column, bins), lv) in enumerate(zip(ask.factors, decoder.levels)):
        if bins is None:
            values = backend.factor_values(ask, column)
            def error(message: str, hint: str, i: int = i) -> DataError:
                return decoder._at_key(("factors", i), message, hint)

            _, missing = factor_codes(values, lv, error)
            missing_any = bool(missing.any())
        else:
            missing_any = binned[column][0] > 0
        if missing_any and decoder.missing_values != "drop":
            lv.code(MISSING)


def check_binned(decoder: BatchDecoder, i: int, column: str, not_number: int) -> None:
    if not_number:
        raise decoder._at_key(("factors", i), f"column {column!r} holds {not_number:,} values that are not "
                              "numbers, so it cannot be binned", "bin a numeric column")


def count(backend: Backend, decoder: BatchDecoder) -> CountTable:
    decoder.check_columns()
    ask = Ask.of(decoder)
    binned: dict[str, tuple[int, int]] = {}
    for i, (column, bins) in enumerate(ask.factors):
        if bins is not None:
            binned[column] = backend.binned_summary(ask, column)
            check_binned(decoder, i, column, binned[column][1])
    plan = score_plan(backend, ask, decoder) if ask.score is not None else None
    if plan is not None and plan.method == "binned":
        prime_levels(backend, ask, decoder, binned)
    try:
        return _count(backend, ask, decoder, plan)
    except ExactTooLarge:
        assert plan is not None
        prime_levels(backend, ask, decoder, binned)
        plan = binned_plan(float(plan.points[0]), float(plan.points[-1]),
                           lambda lo, scale: backend.histogram(ask, lo, scale))
        return _count(backend, ask, decoder, plan)


def _count(backend: Backend, ask: Ask, decoder: BatchDecoder, plan: ScorePlan | None) -> CountTable:
    import pyarrow as pa

    counter = Counter(decoder.levels, plan, lambda m, h: decoder._at_key(("factors",), m, h))
    table = backend.aggregate(ask, plan, counter.resolution)
    table = table.cast(pa.schema([_plain(f) for f in table.schema]))
    rows = backend.filtered
    dropped = filter_drops(Preparation.of(decoder.spec))
    if backend.filtered:
        dropped["filter"] = backend.filtered
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        weights = batch.column(WEIGHT).to_numpy(zero_copy_only=False).astype(np.int64)
        decoded = decoder.decode(batch, rows, weights)
        counter.add(decoded, decoded.weights)
        rows += int(weights.sum())
        for reason, n in decoded.dropped.items():
            dropped[reason] = dropped.get(reason, 0) + n
    decoder.finish()
    return finish(decoder, counter, rows, dropped)


def _plain(field: Any) -> Any:
    """Arrow types the decoder reads: plain strings instead of large or view strings."""
    import pyarrow as pa

    if pa.types.is_large_string(field.type) or getattr(pa.types, "is_string_view", lambda _: False)(field.type):
        return field.with_type(pa.string())
    return field
