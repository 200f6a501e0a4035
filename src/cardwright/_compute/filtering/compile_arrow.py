"""Preparation on the Arrow pass: cleaning and filtering record batches, vectorised.

:func:`read` is the step the Arrow engine reads through: batches as :meth:`Source.batches`
gives them, with text values trimmed and missing-value tokens made missing, the filter evaluated
(three-valued, see docs/filtering.md) and the rows it leaves out removed and counted.  In a CSV
file the filter's columns are read as text, as DuckDB and Spark read them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ...schema.filter_syntax import Comparison, Expr, Logical, Missing, Not
from ..reading import Source
from .bind import Bound, ColumnType, Mode, arrow_kind, bind
from .prepare import FALSE_WORDS, NUMBER_PATTERN, PADDING, TRUE_WORDS, WHITESPACE, FilterError, Preparation

if TYPE_CHECKING:
    from ..decode import BatchDecoder

_NUMBER_RE = rf"\A(?:{NUMBER_PATTERN})\z"
_COMPARE = {"==": "equal", "!=": "not_equal", "<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal"}


def is_text(t: Any) -> bool:
    return arrow_kind(t) == "text"


def _as_string(column: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return column if column.type == pa.string() else pc.cast(column, pa.string())


def clean(batch: Any, prep: Preparation, csv: bool) -> Any:
    """``batch`` with its text columns trimmed (`strip_whitespace`) and the missing-value tokens
    made missing (`na_values`; after trimming, also the CSV defaults)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    tokens = prep.tokens(csv)
    if not prep.cleans(csv):
        return batch
    token_set = pa.array(tokens, pa.string()) if tokens else None
    columns = []
    for column in batch.columns:
        if is_text(column.type):
            original = column.type
            column = _as_string(column)
            if prep.strip_whitespace:
                column = pc.utf8_trim(column, characters=WHITESPACE)
            if token_set is not None:
                column = pc.if_else(pc.is_in(column, value_set=token_set), pa.scalar(None, pa.string()), column)
            if original != pa.string():  # large strings stay large, dictionaries dictionaries
                column = pc.cast(column, original)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def csv_numbers(column: Any) -> Any:
    """A text column as Arrow's CSV reader would have read it as numbers (``float64``), or the
    column unchanged when some value is not a number (the decoder then says which)."""
    import pyarrow as pa

    from ..csv_types import convert

    try:
        return convert(pa.RecordBatch.from_arrays([column], names=["v"]), {"v": pa.float64()}).column(0)
    except pa.ArrowInvalid:
        return column


@dataclass
class Problem:
    """The first value of a text column that a filter cannot read as a number or boolean."""

    column: str
    reading: str
    offset: int
    index: int
    value: str


class Evaluator:
    """A bound filter evaluated over record batches."""

    def __init__(self, bound: Bound):
        self.bound = bound
        self._cache: dict[tuple[str, Mode], Any] = {}
        self.problem: Problem | None = None

    def mask(self, batch: Any) -> np.ndarray:
        """Which rows the filter keeps (unknown counts as not kept)."""
        import pyarrow.compute as pc

        self._cache = {}
        self.problem = None
        for column, reading, offset in self.bound.parsed_text:
            self._values(batch, column, "text-number" if reading == "number" else "text-boolean", offset)
        result = self._eval(self.bound.expression, batch)
        return np.asarray(pc.fill_null(result, False).to_numpy(zero_copy_only=False), dtype=bool)

    def _values(self, batch: Any, name: str, mode: Mode, offset: int = 0) -> Any:
        key = (name, mode)
        if key not in self._cache:
            self._cache[key] = self._convert(batch.column(name), name, mode, offset)
        return self._cache[key]

    def _convert(self, column: Any, name: str, mode: Mode, offset: int) -> Any:
        import pyarrow as pa
        import pyarrow.compute as pc

        if mode == "int":
            return pc.cast(column, pa.int64())
        if mode == "float":
            x = pc.cast(column, pa.float64(), safe=False)  # whole numbers round to the nearest double
            # NaN is missing; adding 0.0 makes -0.0 equal 0.0 for `in` too
            return pc.add(pc.if_else(pc.is_nan(x), pa.scalar(None, pa.float64()), x), 0.0)
        if mode == "boolean":
            return column
        text = _as_string(column)
        if mode == "text":
            return text
        if mode == "text-number":
            ok = pc.match_substring_regex(text, _NUMBER_RE)
            self._check(text, ok, name, "number", offset)
            trimmed = pc.utf8_trim(pc.if_else(ok, text, pa.scalar(None, pa.string())), characters=PADDING)
            return pc.add(pc.cast(trimmed, pa.float64()), 0.0)
        trimmed = pc.utf8_trim(text, characters=PADDING)
        yes = pc.is_in(trimmed, value_set=pa.array(TRUE_WORDS))
        no = pc.is_in(trimmed, value_set=pa.array(FALSE_WORDS))
        self._check(text, pc.or_(yes, no), name, "boolean", offset)
        none = pa.scalar(None, pa.bool_())
        return pc.if_else(yes, pa.scalar(True), pc.if_else(no, pa.scalar(False), none))

    def _check(self, text: Any, ok: Any, name: str, reading: str, offset: int) -> None:
        import pyarrow.compute as pc

        bad = pc.fill_null(pc.and_kleene(pc.is_valid(text), pc.invert(ok)), False)
        if self.problem is None and pc.any(bad).as_py():
            index = int(np.flatnonzero(bad.to_numpy(zero_copy_only=False))[0])
            self.problem = Problem(name, reading, offset, index, text[index].as_py())

    def _eval(self, expr: Expr, batch: Any) -> Any:
        import pyarrow as pa
        import pyarrow.compute as pc

        if isinstance(expr, Logical):
            parts = [self._eval(e, batch) for e in expr.operands]
            return functools.reduce(pc.and_kleene if expr.op == "and" else pc.or_kleene, parts)
        if isinstance(expr, Not):
            return pc.invert(self._eval(expr.operand, batch))
        if isinstance(expr, Missing):
            column = batch.column(expr.column.name)
            float_kind = self.bound.kind(expr.column.name) == "float"
            x = pc.cast(column, pa.float64(), safe=False) if float_kind else column
            missing = pc.is_null(x, nan_is_null=float_kind)
            return pc.invert(missing) if expr.negated else missing
        mode = self.bound.mode(expr)
        x = self._values(batch, expr.column.name, mode)
        if isinstance(expr, Comparison):
            return getattr(pc, _COMPARE[expr.op])(x, _scalar(expr.value.value, mode))
        value_set = pa.array([_literal(v.value, mode) for v in expr.values], type=x.type)
        hit = pc.if_else(pc.is_null(x), pa.scalar(None, pa.bool_()), pc.is_in(x, value_set=value_set))
        return pc.invert(hit) if expr.negated else hit


def _literal(value: Any, mode: Mode) -> Any:
    if mode in ("float", "text-number"):
        return float(value) + 0.0
    return value


def _scalar(value: Any, mode: Mode) -> Any:
    import pyarrow as pa

    types = {"int": pa.int64(), "float": pa.float64(), "text-number": pa.float64(), "text": pa.string(),
             "boolean": pa.bool_(), "text-boolean": pa.bool_()}
    return pa.scalar(_literal(value, mode), types[mode])


def arrow_types(source: Source, columns: list[str]) -> dict[str, ColumnType]:
    """The type of each of ``columns`` as the Arrow pass reads it (every CSV column is text)."""
    if source.kind == "csv":
        return {c: ColumnType("text", "string") for c in columns if c in source.column_names}
    if source.kind == "memory":
        schema = source.table.schema
    else:
        import pyarrow.parquet as pq

        schema = pq.read_schema(source.path)
    return {f.name: ColumnType(arrow_kind(f.type), str(f.type)) for f in schema if f.name in columns}


def problem_error(problem: Problem, source: Source, row: int) -> FilterError:
    where, line = source.where(row)
    words = "a number" if problem.reading == "number" else "true or false"
    hint = ("compare text with a quoted value, or list the values that mean 'missing' in `na_values`"
            if problem.reading == "number" else "compare text with a quoted value such as \"yes\"")
    return FilterError(source.display, f"column {problem.column!r} holds {problem.value[:60]!r} ({where} of "
                       f"{source.display}), which is not {words}, but the filter compares it with {words}",
                       problem.offset, hint, row=line)


@dataclass
class Part:
    """One prepared batch."""

    batch: Any
    offset: int
    """The file row (0-based) of the batch's first row, before filtering."""
    read: int
    """Rows read for this batch."""
    dropped: int
    """Rows the filter left out of it."""


def read(source: Source, columns: list[str], string_columns: tuple[str, ...] = (), prep: Preparation | None = None,
         numeric: tuple[str, ...] = ()) -> Iterator[Part]:
    """The batches of ``columns`` cleaned and filtered as ``prep`` says.  ``numeric``: columns the
    caller reads as numbers (in a CSV file, those that arrive as text, because the filter reads them
    or because values it leaves out were not numbers, are read as numbers as Arrow's CSV reader
    reads them).
    While the caller handles a batch from which the filter left rows out, ``source.kept_rows``
    maps its rows to the file's rows (for messages)."""
    if prep is None:
        offset = 0
        for batch in source.batches(columns, string_columns):
            yield Part(batch, offset, batch.num_rows, 0)
            offset += batch.num_rows
        return
    csv = source.kind == "csv"
    wanted = list(dict.fromkeys([*columns, *prep.columns]))
    forced = (set(prep.columns) | (set(wanted) if prep.strip_whitespace else set())) if csv else set()
    evaluator = None
    if prep.expression is not None:
        types = arrow_types(source, wanted)
        evaluator = Evaluator(bind(prep.expression, types, source.column_names, source.display))
    back = [c for c in numeric if c in columns and c not in string_columns] if csv else []
    strings = tuple(dict.fromkeys([*string_columns, *forced]))
    offset = 0
    try:
        for batch in source.batches(wanted, strings, null_values=prep.reader_nulls()):
            yield _prepared(source, batch, offset, prep, csv, evaluator, columns, back)
            offset += batch.num_rows
    finally:
        source.kept_rows = None


def _prepared(source: Source, batch: Any, offset: int, prep: Preparation, csv: bool, evaluator: Evaluator | None,
              columns: list[str], back: list[str]) -> Part:
    import pyarrow as pa

    n = batch.num_rows
    batch = clean(batch, prep, csv)
    source.kept_rows = None
    if evaluator is not None:
        keep = evaluator.mask(batch)
        if evaluator.problem is not None:
            raise problem_error(evaluator.problem, source, offset + evaluator.problem.index)
        if not keep.all():
            batch = batch.filter(pa.array(keep))
            source.kept_rows = (offset, offset + np.flatnonzero(keep))
    batch = batch.select(columns)
    back = [c for c in back if is_text(batch.schema.field(c).type)]
    if back:
        arrays = [csv_numbers(batch.column(c)) if c in back else batch.column(c) for c in columns]
        batch = pa.RecordBatch.from_arrays(arrays, names=columns)
    return Part(batch, offset, n, n - batch.num_rows)


def read_for(decoder: BatchDecoder, columns: list[str], string_columns: tuple[str, ...] = ()) -> Iterator[Part]:
    """:func:`read` with the preparation of the decoder's data block (its score and binned
    factors are the columns it reads as numbers)."""
    numeric = [c for c, lv in zip(decoder.factor_columns, decoder.levels) if lv.binned is not None]
    if decoder.spec.score is not None:
        numeric.append(decoder.spec.score)
    return read(decoder.source, columns, string_columns, Preparation.of(decoder.spec), tuple(numeric))
