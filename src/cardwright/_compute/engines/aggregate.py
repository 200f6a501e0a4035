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

from typing import Any, Protocol

import numpy as np

from ...errors import DataError
from ..counts import EXACT_LIMIT, CountTable
from ..decode import BatchDecoder
from ..filtering.prepare import Preparation, filter_drops
from ..levels import MISSING, factor_codes
from ..plan import Bounds
from ..reading import BATCH_ROWS
from .arrow import finish
from .ask import Ask
from .bins import ScorePlan, binned_plan
from .sql import ROWS
from .table import Counter, ExactTooLarge

WEIGHT = ROWS
"""The row-count column of an aggregate (a name no evaluation file uses)."""


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
        """A column's distinct values (a pyarrow array)."""

    def binned_summary(self, ask: Ask, column: str) -> tuple[int, int]:
        """``(missing, not_number)`` of a binned factor's column."""

    def numeric_summary(self, column: str, boolean: bool) -> dict[str, Any]:
        """``n, lo, hi, not_number, not_finite, negative, booleans`` of a numeric column, and its
        exact sums (:data:`.exact.SQL` rows) under ``sums``."""

    def column_type(self, column: str) -> Any:
        """The column's type as the engine reads it (a pyarrow type; text for CSV)."""

    def aggregate(self, ask: Ask, plan: ScorePlan | None, bins: int) -> Any:
        """The aggregate as a pyarrow Table: :attr:`Ask.outputs`, the keys, sums and :data:`WEIGHT`."""


def score_plan(backend: Backend, ask: Ask, decoder: BatchDecoder) -> ScorePlan:
    s = backend.score_summary(ask)
    at = decoder._at_key
    if s["not_number"]:
        raise at(("data", "score"), f"{s['not_number']:,} values of the score column {ask.score!r} in "
                 f"{backend.display} are not numbers", "the score column must hold numbers")
    if s["not_finite"]:
        raise at(("data", "score"), f"{s['not_finite']:,} scores in {backend.display} are not finite numbers "
                 "(NaN or infinite)", "fix or remove NaN and infinite scores (an empty cell counts as missing)")
    if ask.probability is not None and s["out_of_unit"]:
        raise at(("data", "score"), f"{s['out_of_unit']:,} scores in {backend.display} are outside [0, 1], and "
                 f"{ask.probability} needs probabilities", f"give probabilities in `score`, or drop {ask.probability}")
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


def profile(backend: Backend, decoder: BatchDecoder) -> tuple[dict[str, Bounds], bool]:
    """Bounds and exact means of the numeric columns the plan needs (see :func:`.arrow.profile`),
    with the Arrow pass's checks as counts."""
    from .arrow import bounds_of
    from .exact import Moments, add_rows

    out: dict[str, Bounds] = {}
    boolean = False
    for key, name in decoder.numeric_inputs().items():
        column = getattr(decoder.spec, key)
        is_bool = key == "score" and _is_boolean(backend, column)
        boolean = boolean or is_bool
        got = backend.numeric_summary(column, is_bool)
        at = decoder._at_key
        if got["not_number"]:
            raise at(("data", key), f"{got['not_number']:,} values of the {key} column {column!r} in {backend.display} "
                     "are not numbers", f"the {key} column must hold numbers")
        if got["not_finite"]:
            raise at(("data", key), f"{got['not_finite']:,} {key}s in {backend.display} are not finite numbers (NaN "
                     f"or infinite)", f"fix or remove NaN and infinite {key}s (an empty cell counts as missing)")
        if key == "weight" and got["negative"]:
            raise at(("data", "weight"), f"{got['negative']:,} weights in {backend.display} are negative",
                     "sample weights must be zero or more")
        moments = Moments()
        moments.n, moments.min, moments.max = int(got["n"]), got["lo"], got["hi"]
        add_rows(moments, got["sums"])
        out[name] = bounds_of(moments)
    return out, boolean


def _is_boolean(backend: Backend, column: str) -> bool:
    """Whether a scored column holds booleans: a boolean type, or only `true`/`false` text."""
    import pyarrow as pa

    kind = backend.column_type(column)
    if pa.types.is_boolean(kind):
        return True
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return False
    values = [v for v in backend.factor_values(None, column).to_pylist() if v is not None]  # type: ignore[arg-type]
    return bool(values) and all(v in ("true", "True", "TRUE", "false", "False", "FALSE") for v in values)


def label_index(backend: Backend, ask: Ask, decoder: BatchDecoder) -> list[tuple[Any, int]]:
    """Multiclass with class scores: every raw label value and its score column (decided by the
    decoder, as for the Arrow pass); a label without one is an error."""
    assert ask.label is not None
    values = backend.factor_values(ask, ask.label)
    codes, missing = decoder.classes.read(values, decoder._at_key, ("data", "label"))
    index = decoder.score_index()
    out = []
    for value, code, miss in zip(values.to_pylist(), codes, missing):
        if miss:
            continue
        j = int(index[code])
        if j < 0:
            raise decoder._at_key(("data", "class_scores"), f"label {decoder.classes.labels[code]!r} has no score "
                                  "column in `class_scores`", "give every class a score column for top_k_accuracy")
        out.append((value, j))
    return out


def count(backend: Backend, decoder: BatchDecoder) -> CountTable:
    decoder.check_columns()
    decoder.set_bounds(*profile(backend, decoder))
    ask = Ask.of(decoder)
    binned: dict[str, tuple[int, int]] = {}
    for i, (column, bins) in enumerate(ask.factors):
        if bins is not None:
            binned[column] = backend.binned_summary(ask, column)
            check_binned(decoder, i, column, binned[column][1])
    plan = score_plan(backend, ask, decoder) if ask.score is not None and ask.task == "binary-classification" else None
    if (plan is not None and plan.method == "binned") or decoder.plan.hist is not None:
        prime_levels(backend, ask, decoder, binned)
        ask = Ask.of(decoder)
    if ask.class_columns:
        ask.label_index = label_index(backend, ask, decoder)
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

    counter = Counter(decoder, plan)
    if plan is not None and plan.method == "binned":
        ask.lo, ask.scale = plan.lo, plan.scale
    table = backend.aggregate(ask, plan, counter.resolution)
    table = table.cast(pa.schema([_plain(f) for f in table.schema]))
    rows = backend.filtered
    dropped = filter_drops(Preparation.of(decoder.spec))
    if backend.filtered:
        dropped["filter"] = backend.filtered
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        weights = batch.column(WEIGHT).to_numpy(zero_copy_only=False).astype(np.int64)
        decoded = decoder.decode(batch, rows, weights)
        counter.add(decoded)
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
