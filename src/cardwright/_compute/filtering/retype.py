"""Column types of a CSV file read as text, as Arrow's CSV reader would have given them.

When a datasheet's CSV file is cleaned or filtered, the Arrow pass reads its columns as text (so
values are trimmed and compared before anything interprets them), then gives each column the
type Arrow infers from the prepared values: the same rule the DuckDB and Spark passes apply to
the same values (:func:`~..csv_types.infer_type`), so every engine reports the same types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..csv_types import convert, infer_type
from ..reading import Source
from .compile_arrow import Part, read
from .prepare import Preparation


class _Samples:
    """A column's distinct values up to a limit, and beyond it the smallest and largest value of
    each shape (digits replaced by 0), as :func:`~..engines.profile.column_counts` samples them."""

    def __init__(self, limit: int):
        self.limit = limit
        self.values: set[str] | None = set()
        self.shapes: dict[str, tuple[str, str]] = {}

    def add(self, column: Any) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        present = pc.drop_null(column)
        if not len(present):
            return
        if self.values is not None:
            self.values.update(pc.unique(present).to_pylist())
            if len(self.values) > self.limit:
                self.values = None
        shapes = pc.replace_substring_regex(present, "[0-9]", "0")
        grouped = pa.table({"s": shapes, "v": present}).group_by("s").aggregate([("v", "min"), ("v", "max")])
        for shape, lo, hi in zip(*(grouped.column(n).to_pylist() for n in ("s", "v_min", "v_max"))):
            old = self.shapes.get(shape)
            self.shapes[shape] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))

    def samples(self) -> list[str]:
        if self.values is not None:
            return sorted(self.values)
        return sorted({v for pair in self.shapes.values() for v in pair})


def csv_types(source: Source, prep: Preparation, limit: int) -> dict[str, Any]:
    """Each column's type, inferred from its prepared values (one pass over the file)."""
    names = source.column_names
    samples = {n: _Samples(limit) for n in names}
    for part in read(source, names, tuple(names), prep):
        for name, column in zip(part.batch.schema.names, part.batch.columns):
            samples[name].add(column)
    return {n: infer_type(s.samples()) for n, s in samples.items()}


def prepared_batches(source: Source, prep: Preparation | None, limit: int) -> Iterator[Part]:
    """Every column of ``source``, prepared; for a CSV file that is trimmed or filtered, typed from
    the prepared values (a first pass infers the types)."""
    names = source.column_names
    if prep is None or source.kind != "csv" or not (prep.strip_whitespace or prep.expression is not None):
        yield from read(source, names, (), prep)
        return
    types = csv_types(source, prep, limit)
    for part in read(source, names, tuple(names), prep):
        yield Part(convert(part.batch, types), part.offset, part.read, part.dropped)
