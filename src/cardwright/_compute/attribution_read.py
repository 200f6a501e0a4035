"""Reading a model card's attribution file: batches sized for its width, its feature columns,
each batch's values as float64 with their range (and the findings for values that are not finite
numbers), located in the card."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import DataError, Finding
from .reading import Locate

BATCH_BYTES = 64 << 20
"""Attribution values read at once: a wide file read a million rows at a time (400 MB for 50
features) spends more on mapping fresh memory than on summing it."""


def batch_rows(features: int) -> int:
    """Rows per batch of ``features`` float columns: about :data:`BATCH_BYTES`, from 2^16 to 2^20 rows."""
    return max(1 << 16, min(1 << 20, BATCH_BYTES // (8 * max(1, features))))


def error_at(display: str, message: str, hint: str, locate: Locate | None, key: tuple[str | int, ...]) -> DataError:
    if locate is not None:
        return locate(("quantitative_analyses", "attributions", *key), message, hint)
    return DataError(Finding(display, "data-error", message, hint=hint))


def feature_columns(column_names: list[str], wanted: list[str] | None, id_column: str | None, display: str,
                    locate: Locate | None, schema: Callable[[list[str]], Any]) -> list[str]:
    """The features of an attribution file with columns ``column_names``: ``wanted`` (each one
    checked to be there), or else every numeric column but the id, by the Arrow ``schema`` that
    ``schema(names)`` gives of the other columns."""
    names = [c for c in column_names if c != id_column]
    if wanted is not None:
        repeated = [f for i, f in enumerate(wanted) if f in wanted[:i]]
        if repeated:
            raise error_at(display, f"feature {repeated[0]!r} is listed {wanted.count(repeated[0])} times",
                           "name each attribution column once", locate, ("features", wanted.index(repeated[0], 1 + wanted.index(repeated[0]))))
        missing = [f for f in wanted if f not in column_names]
        if missing:
            raise error_at(display, f"column {missing[0]!r} is not in {display}",
                           f"columns there: {', '.join(names[:20])}", locate, ("features",))
        return list(wanted)
    import pyarrow as pa

    return [f.name for f in schema(names) if f.name in names and (
        pa.types.is_floating(f.type) or pa.types.is_integer(f.type) or pa.types.is_decimal(f.type))]


def source_schema(src: Any) -> Callable[[list[str]], Any]:
    """The Arrow schema of some of a file's columns, as the Arrow pass reads them (its first batch's)."""
    def schema(names: list[str]) -> Any:
        first = next(iter(src.batches(names, rows=1 << 16)), None)
        return [] if first is None else first.schema

    return schema


def value_range(x: np.ndarray) -> tuple[float, float]:
    """(min, max) of ``x``; NaN when it holds one; (inf, −inf) when empty."""
    return (float(x.min()), float(x.max())) if len(x) else (math.inf, -math.inf)


def float_columns(batch: Any, features: list[str], display: str, offset: int,
                  locate: Locate | None) -> tuple[list[np.ndarray], list[tuple[float, float]]]:
    """Each feature of a batch as float64 values, and each one's (min, max) (errors for text and
    for missing or non-finite values: a NaN or infinity shows in the range, so one pass over the
    values checks them and gives the range)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out, ranges = [], []
    for f in features:
        column = batch.column(f)
        try:
            values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
            raise error_at(display, f"attribution column {f!r} holds {column.type}, not numbers",
                           "attributions must be numbers", locate, ("features",)) from e
        lo, hi = value_range(values)
        if len(values) and not (math.isfinite(lo) and math.isfinite(hi)):
            bad = ~np.isfinite(values)
            row = offset + int(np.flatnonzero(bad)[0])
            raise error_at(display, f"attribution {f!r} of row {row + 1:,} is missing or not a finite number "
                           f"({int(bad.sum()):,} such values in this batch)", "every attribution must be a number",
                           locate, ("path",))
        out.append(values)
        ranges.append((lo, hi))
    return out, ranges
