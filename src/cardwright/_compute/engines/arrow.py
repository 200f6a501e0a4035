"""The built-in engine: the streaming Arrow pass over a CSV or Parquet file or an in-memory table.

Before counting it reads the numeric columns the plan depends on (see :mod:`..plan`): the score
of a binary classifier (its range, and its distinct values up to the exact-bin limit; for binned
scores a second read for the cell histogram, see :mod:`.bins`), and the label, prediction, score
and weight columns whose bounds set the scales of exact sums.  Then it counts every batch once
into a :class:`~.table.Counter`.  Memory stays flat: batches of about a million rows, and a count
table whose size depends on the groups, not the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ..counts import EXACT_LIMIT, CountTable, Progress
from ..decode import BatchDecoder
from ..filtering.compile_arrow import read_for
from ..filtering.prepare import Preparation, filter_drops
from ..plan import CENTRED, Bounds
from .bins import GRID, ScorePlan, binned_plan, cell_index
from .exact import Mean, Moments, Range
from .table import Counter, ExactTooLarge


def _scores(decoder: BatchDecoder) -> Iterator[np.ndarray]:
    """The non-null scores of each batch, checked as the counting pass checks them."""
    assert decoder.spec.score is not None
    for part in read_for(decoder, [decoder.spec.score]):
        score, missing = decoder._numbers(part.batch, "score", part.offset, "score")
        decoder.check_probabilities(score, missing, part.offset)
        yield score[~missing]


def score_plan(decoder: BatchDecoder) -> ScorePlan:
    lo, hi = np.inf, -np.inf
    distinct: np.ndarray | None = np.empty(0)
    for score in _scores(decoder):
        if not score.size:
            continue
        lo, hi = min(lo, float(score.min())), max(hi, float(score.max()))
        if distinct is not None and len(np.unique(score[:1 << 16])) > EXACT_LIMIT:
            distinct = None  # too many already among the batch's first rows: no need to sort it all
        if distinct is not None:
            distinct = np.union1d(distinct, score)
            if len(distinct) > EXACT_LIMIT:
                distinct = None
    if distinct is not None:
        return ScorePlan("exact", points=distinct)
    return binned_plan(lo, hi, lambda lo, scale: _histogram(decoder, lo, scale))


def _histogram(decoder: BatchDecoder, lo: float, scale: float) -> np.ndarray:
    hist = np.zeros(GRID, dtype=np.int64)
    for score in _scores(decoder):
        hist += np.bincount(cell_index(score, lo, scale), minlength=GRID)
    return hist


def profile(decoder: BatchDecoder) -> tuple[dict[str, Bounds], bool]:
    """Bounds of the numeric columns the plan needs, and whether a scored column holds booleans."""
    import pyarrow as pa

    inputs = decoder.numeric_inputs()
    if not inputs:
        return {}, False
    columns = [getattr(decoder.spec, key) for key in inputs]
    moments = {name: Mean() if name in CENTRED else Range() for name in inputs.values()}
    boolean = False
    for part in read_for(decoder, list(dict.fromkeys(columns))):
        batch = part.batch
        for key, name in inputs.items():
            if key == "score" and pa.types.is_boolean(batch.column(getattr(decoder.spec, key)).type):
                boolean = True
            values, missing = decoder._numbers(batch, key, part.offset, key, booleans=True)
            moments[name].add_values(values[~missing] if missing.any() else values)
    return {name: bounds_of(m) for name, m in moments.items()}, boolean


def bounds_of(moments: Moments) -> Bounds:
    """A column's bounds from its exact moments (the same on every engine)."""
    mean = moments.summary()["mean"]
    return Bounds(moments.n, moments.min, moments.max, float(mean) if mean is not None else 0.0)


def count(decoder: BatchDecoder, *, progress: Callable[[int], None] | None = None) -> CountTable:
    """Read every batch once (after the columns the plan needs) and return the count table."""
    decoder.check_columns()
    decoder.set_bounds(*profile(decoder))
    plan = score_plan(decoder) if decoder.use_score else None
    try:
        return _count(decoder, plan, progress)
    except ExactTooLarge:
        assert plan is not None
        points = plan.points
        plan = binned_plan(float(points[0]), float(points[-1]), lambda lo, scale: _histogram(decoder, lo, scale))
        return _count(decoder, plan, None)


def _count(decoder: BatchDecoder, plan: ScorePlan | None, progress: Callable[[int], None] | None) -> CountTable:
    counter = Counter(decoder, plan)
    rows = 0
    dropped = filter_drops(Preparation.of(decoder.spec))
    for part in read_for(decoder, decoder.columns, decoder.string_columns):
        decoded = decoder.decode(part.batch, part.offset)
        counter.add(decoded)
        rows += part.read
        for reason, n in {"filter": part.dropped, **decoded.dropped}.items():
            if n:
                dropped[reason] = dropped.get(reason, 0) + n
        if progress is not None:
            progress(part.read)
    if isinstance(progress, Progress):
        progress.close()
    decoder.finish()
    return finish(decoder, counter, rows, dropped)


def finish(decoder: BatchDecoder, counter: Counter, rows: int, dropped: dict[str, int]) -> CountTable:
    """The table, or the error for a file with no usable row (as the built-in pass words it)."""
    table = counter.table([lv.name for lv in decoder.levels], rows, dict(sorted(dropped.items())))
    if table.rows_used == 0 and rows and (table.dropped or {}).get("filter") == rows:
        raise decoder._at_key(("data", "filter"), f"the filter left no rows: it dropped all {rows:,} rows read "
                              f"from {decoder.source.display}",
                              "check the filter's columns and values against the file (text compares "
                              "exactly, with its case)")
    if table.rows_used == 0:
        lost = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in table.dropped.items()) if table.dropped else ""
        what = {"regression": "a label and a prediction", "scored": "a score"}.get(decoder.task, "a label and a prediction")
        raise decoder.source.error(
            f"no rows to compute from ({rows} read{'; dropped: ' + lost if lost else ''})",
            hint=f"check the file holds rows with {what}",
        )
    return table

