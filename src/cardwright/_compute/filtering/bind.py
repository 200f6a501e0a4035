"""Fitting a filter to the data: every column must exist, and every value must be of the column's
kind.  The result says, for each test, how every engine compares (its :data:`Mode`).

A column's kind comes from the engine's own schema, mapped here so that every engine gives a
Parquet file's columns the same kind: whole numbers up to 64 bits (unsigned up to 32) are
``integer``; floating-point, decimal and unsigned 64-bit numbers are ``float``; ``boolean``;
``text``; anything else (dates, lists…) ``other``.  In a CSV file every column is text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ...schema.filter_syntax import (
    Comparison,
    Expr,
    Membership,
    Test,
    did_you_mean,
    quote_name,
    quote_value,
    tests,
)
from .prepare import NUMBER_PATTERN, FilterError

Kind = Literal["integer", "float", "boolean", "text", "other"]
Mode = Literal["int", "float", "text", "text-number", "boolean", "text-boolean"]
"""How a test compares: ``int`` exactly as 64-bit integers; ``float`` as double-precision numbers
(NaN is missing); ``text`` code point by code point; ``text-number`` / ``text-boolean``: text
read as a number / a boolean (a value that is neither is an error); ``boolean``."""


@dataclass(frozen=True)
class ColumnType:
    kind: Kind
    name: str
    """The engine's name of the type, for messages."""


def arrow_kind(t: Any) -> Kind:
    """The kind of an Arrow type."""
    import pyarrow as pa

    if pa.types.is_dictionary(t):
        return arrow_kind(t.value_type)
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "float" if t == pa.uint64() else "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", lambda _: False)(t):
        return "text"
    return "other"


_DUCKDB = {
    "TINYINT": "integer", "SMALLINT": "integer", "INTEGER": "integer", "BIGINT": "integer",
    "UTINYINT": "integer", "USMALLINT": "integer", "UINTEGER": "integer",
    "UBIGINT": "float", "HUGEINT": "float", "UHUGEINT": "float", "FLOAT": "float", "DOUBLE": "float",
    "BOOLEAN": "boolean", "VARCHAR": "text",
}


def duckdb_kind(type_name: str) -> Kind:
    """The kind of a DuckDB type (as ``DESCRIBE`` names it)."""
    base = type_name.split("(")[0].strip().upper()
    if base == "DECIMAL":
        return "float"
    if base == "ENUM":
        return "text"
    return _DUCKDB.get(base, "other")  # type: ignore[return-value]


def spark_kind(data_type: Any) -> Kind:
    """The kind of a Spark SQL type."""
    name = type(data_type).__name__
    if name in ("ByteType", "ShortType", "IntegerType", "LongType"):
        return "integer"
    if name in ("FloatType", "DoubleType", "DecimalType"):
        return "float"
    if name == "BooleanType":
        return "boolean"
    if name in ("StringType", "VarcharType", "CharType"):
        return "text"
    return "other"


@dataclass(frozen=True)
class Bound:
    """A filter fitted to the data: the kind of every column it reads and how each test compares."""

    expression: Expr
    types: dict[str, ColumnType]
    modes: dict[Comparison | Membership, Mode] = field(default_factory=dict)
    """How each comparison and membership test compares."""

    def kind(self, column: str) -> Kind:
        return self.types[column].kind

    def mode(self, test: Comparison | Membership) -> Mode:
        return self.modes[test]

    @property
    def parsed_text(self) -> list[tuple[str, Literal["number", "boolean"], int]]:
        """Text columns the filter reads as numbers or booleans: ``(column, as, offset)`` once
        per column and reading, at the first test that does so.  Every value of such a column
        must read so, or the filter is an error."""
        out: dict[tuple[str, str], tuple[str, Literal["number", "boolean"], int]] = {}
        for test in tests(self.expression):
            if isinstance(test, (Comparison, Membership)):
                mode = self.mode(test)
                if mode in ("text-number", "text-boolean"):
                    what: Literal["number", "boolean"] = "number" if mode == "text-number" else "boolean"
                    out.setdefault((test.column.name, what), (test.column.name, what, test.column.start))
        return list(out.values())


def _describe(t: ColumnType) -> str:
    return {"integer": "numbers", "float": "numbers", "boolean": "true/false values", "text": "text"}.get(
        t.kind, f"{t.name} values")


def _values(test: Comparison | Membership) -> list[Any]:
    return [test.value.value] if isinstance(test, Comparison) else [v.value for v in test.values]


def _mismatch(test: Comparison | Membership, t: ColumnType, display: str) -> FilterError:
    name = test.column.name
    values = _values(test)
    literal = test.value if isinstance(test, Comparison) else test.values[0]
    shown = quote_value(values[0])
    what = {"number": "the number", "text": "the text", "boolean": "the value"}[literal.kind]
    if t.kind == "other":
        return FilterError(display, f"column {name!r} holds {t.name} values, which a filter cannot compare",
                           test.column.start, "filter on a number, text or true/false column (`is missing` works on any)")
    message = f"column {name!r} holds {_describe(t)}, so comparing it with {what} {shown} would never match"
    hint = "compare it with true or false" if t.kind == "boolean" else "compare it with a number"
    if t.kind in ("integer", "float") and literal.kind == "text":
        import re

        if all(isinstance(v, str) and re.fullmatch(NUMBER_PATTERN, v.strip()) for v in values):
            op = test.op if isinstance(test, Comparison) else "in" if not test.negated else "not in"
            unquoted = ", ".join(v.strip() for v in values)
            written = unquoted if isinstance(test, Comparison) else f"[{unquoted}]"
            hint = f"write the number without quotes: {quote_name(name)} {op} {written}"
    elif t.kind in ("integer", "float") and literal.kind == "boolean":
        hint = "compare it with 1 or 0"
    return FilterError(display, message, literal.start, hint)


def _mode(test: Comparison | Membership, t: ColumnType, display: str) -> Mode:
    values = _values(test)
    literal_kind = test.value.kind if isinstance(test, Comparison) else test.kind
    if literal_kind == "number":
        if t.kind == "integer":
            return "int" if all(isinstance(v, int) for v in values) else "float"
        if t.kind == "float":
            return "float"
        if t.kind == "text":
            return "text-number"
    elif literal_kind == "text":
        if t.kind == "text":
            return "text"
    elif t.kind == "boolean":
        return "boolean"
    elif t.kind == "text":
        return "text-boolean"
    raise _mismatch(test, t, display)


def unknown_column(name: str, offset: int, names: list[str], display: str) -> FilterError:
    close = did_you_mean(name, names)
    if close is not None:
        hint = f"did you mean {close!r}?"
    else:
        shown = ", ".join(sorted(names)[:20]) + (" …" if len(names) > 20 else "")
        hint = f"columns there: {shown}"
    return FilterError(display, f"no column {name!r} in {display}", offset, hint)


def bind(expression: Expr, types: dict[str, ColumnType], names: list[str], display: str) -> Bound:
    """Fit ``expression`` to data whose columns are ``names`` (in file order, duplicates kept)
    with the given types; :class:`FilterError` at the first test that does not fit."""
    modes: dict[Comparison | Membership, Mode] = {}
    every: list[Test] = tests(expression)
    for test in every:
        name = test.column.name
        if name not in types:
            raise unknown_column(name, test.column.start, names, display)
        if names.count(name) > 1:
            raise FilterError(display, f"column {name!r} appears {names.count(name)} times in {display}, so which "
                              "one the filter means is unclear", test.column.start, "give each column a distinct name")
        if isinstance(test, (Comparison, Membership)):
            modes[test] = _mode(test, types[name], display)
    used = {t.column.name for t in every}
    return Bound(expression, {n: t for n, t in types.items() if n in used}, modes)


def unreadable_error(display: str, column: str, reading: str, offset: int, count: int, example: str) -> FilterError:
    """The error for a text column whose values a filter cannot read as numbers or booleans (as
    the aggregating engines report it: how many, and the smallest such value)."""
    words = "a number" if reading == "number" else "true or false"
    plural = "numbers" if reading == "number" else "true or false"
    hint = ("compare text with a quoted value, or list the values that mean 'missing' in `na_values`"
            if reading == "number" else "compare text with a quoted value such as \"yes\"")
    return FilterError(display, f"column {column!r} of {display} holds {count:,} value{'s' if count != 1 else ''} "
                       f"that {'are' if count != 1 else 'is'} not {plural} (the smallest: {example[:60]!r}), but the "
                       f"filter compares it with {words}", offset, hint)
