"""The built-in engine: the streaming Arrow pass over a CSV or Parquet file or an in-memory table.

With a score column it first reads that one column (its range, and its distinct values up to
the exact-bin limit; for binned scores a second read for the cell histogram, see :mod:`.bins`),
then counts every batch once into a :class:`~.table.Counter`.  Memory stays flat: batches of
about a million rows, and a count table whose size depends on the groups, not the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..counts import EXACT_LIMIT, CountTable, Progress
from ..decode import BatchDecoder
from ..filtering.compile_arrow import read_for
from ..filtering.prepare import Preparation, filter_drops
from .bins import GRID, ScorePlan, binned_plan, cell_index
from .table import Counter, ExactTooLarge


def _scores(decoder: BatchDecoder) -> Any:
    """``(offset, non-null scores)`` per batch, checked as the counting pass checks them."""
    assert decoder.spec.score is not None
    for part in read_for(decoder, [decoder.spec.score]):
        score, missing = decoder._score(part.batch.column(0), part.offset)
        yield score[~missing]


def score_plan(decoder: BatchDecoder) -> ScorePlan:
    lo, hi = np.inf, -np.inf
    distinct: np.ndarray | None = np.empty(0)
    for score in _scores(decoder):
        if not score.size:
            continue
        lo, hi = min(lo, float(score.min())), max(hi, float(score.max()))
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


def count(decoder: BatchDecoder, *, progress: Callable[[int], None] | None = None) -> CountTable:
    """Read every batch once (after the score column, when there is one) and return the count table."""
    decoder.check_columns()
    plan = score_plan(decoder) if decoder.use_score else None
    try:
        return _count(decoder, plan, progress)
    except ExactTooLarge:
        assert plan is not None
        points = plan.points
        plan = binned_plan(float(points[0]), float(points[-1]), lambda lo, scale: _histogram(decoder, lo, scale))
        return _count(decoder, plan, None)


def _count(decoder: BatchDecoder, plan: ScorePlan | None, progress: Callable[[int], None] | None) -> CountTable:
    counter = Counter(decoder.levels, plan, lambda m, h: decoder._at_key(("factors",), m, h))
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
    if table.rows_used == 0:
        lost = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in table.dropped.items()) if table.dropped else ""
        raise decoder.source.error(
            f"no rows to compute from ({rows} read{'; dropped: ' + lost if lost else ''})",
            hint="check the file holds rows with a label and a prediction",
        )
    return table
