"""Preparation on DuckDB: the cleaning as a SELECT list and the filter as a WHERE clause.

Every column name is a quoted identifier (``quote``) and every value from the card (the filter's
values, the missing-value tokens, the whitespace to strip) a bound parameter: the SQL text is
built from this module's constants and the filter's structure alone, so no text in a card or a
data file can change what the query does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...schema.filter_syntax import Comparison, Expr, Logical, Missing, Not
from .bind import Bound, Mode
from .prepare import FALSE_WORDS, NUMBER_PATTERN, PADDING, TRUE_WORDS, WHITESPACE, Preparation

_OPS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


@dataclass
class Params:
    """Parameters of one query, named ``$<prefix><n>_`` (no name is the start of another)."""

    prefix: str
    values: dict[str, Any] = field(default_factory=dict)

    def add(self, value: Any) -> str:
        name = f"{self.prefix}{len(self.values)}_"
        self.values[name] = value
        return f"${name}"


def strip_pattern(chars: str) -> str:
    """An RE2 pattern matching runs of ``chars`` at either end of a text (faster in DuckDB than
    ``trim`` with a set of characters)."""
    cls = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"
    return f"^{cls}+|{cls}+$"


def _trimmed(v: str, pattern: str) -> str:
    # most values have nothing to trim: a search is cheaper than a replacement
    return f"(CASE WHEN regexp_matches({v}, {pattern}) THEN regexp_replace({v}, {pattern}, '', 'g') ELSE {v} END)"


def cleaned(relation: str, names: list[str], text: set[str], prep: Preparation, csv: bool,
            quote: Callable[[str], str], params: Params) -> str:
    """``relation`` with every text column trimmed and its missing-value tokens made missing
    (other columns pass through, in column order): each value is trimmed once, in an inner query."""
    tokens = prep.tokens(csv)
    if prep.strip_whitespace:
        pattern = params.add(strip_pattern(WHITESPACE))
        inner = ", ".join(_trimmed(f"CAST({quote(n)} AS VARCHAR)", pattern) + f" AS {quote(n)}"
                          if n in text else quote(n) for n in names)
        relation = f"(SELECT {inner} FROM {relation}) AS cardwright_trimmed"
    if tokens:
        listed = ", ".join(params.add(t) for t in tokens)
        outer = ", ".join(f"CASE WHEN CAST({quote(n)} AS VARCHAR) IN ({listed}) THEN NULL ELSE CAST({quote(n)} AS VARCHAR) "
                          f"END AS {quote(n)}" if n in text else quote(n) for n in names)
        relation = f"(SELECT {outer} FROM {relation}) AS cardwright_clean"
    return relation


class SqlFilter:
    """A bound filter as SQL over a relation whose columns it can name."""

    def __init__(self, bound: Bound, quote: Callable[[str], str], params: Params):
        self.bound, self.quote, self.params = bound, quote, params
        self.number = params.add(NUMBER_PATTERN)
        self.padding = params.add(PADDING)
        self.where = self._sql(bound.expression)
        """The WHERE clause: true for the rows the filter keeps."""

    def value(self, name: str, mode: Mode) -> str:
        """The column as the test compares it."""
        c = self.quote(name)
        if mode == "int":
            return f"CAST({c} AS BIGINT)"
        if mode == "float":
            x = f"CAST({c} AS DOUBLE)"
            return f"(CASE WHEN isnan({x}) THEN NULL ELSE {x} + 0.0 END)"
        if mode == "boolean":
            return c
        text = f"CAST({c} AS VARCHAR)"
        if mode == "text":
            return text
        if mode == "text-number":
            return (f"(CASE WHEN regexp_full_match({text}, {self.number}) "
                    f"THEN CAST(trim({text}, {self.padding}) AS DOUBLE) + 0.0 END)")
        trimmed = f"trim({text}, {self.padding})"
        yes = ", ".join(f"'{w}'" for w in TRUE_WORDS)
        no = ", ".join(f"'{w}'" for w in FALSE_WORDS)
        return f"(CASE WHEN {trimmed} IN ({yes}) THEN TRUE WHEN {trimmed} IN ({no}) THEN FALSE END)"

    def unreadable(self, name: str, reading: str) -> str:
        """True for a value of text column ``name`` that does not read as a number / boolean."""
        text = f"CAST({self.quote(name)} AS VARCHAR)"
        if reading == "number":
            return f"({text} IS NOT NULL AND NOT regexp_full_match({text}, {self.number}))"
        words = ", ".join(f"'{w}'" for w in (*TRUE_WORDS, *FALSE_WORDS))
        return f"({text} IS NOT NULL AND trim({text}, {self.padding}) NOT IN ({words}))"

    def _literal(self, value: Any, mode: Mode) -> str:
        if mode in ("float", "text-number"):
            return self.params.add(float(value) + 0.0)
        return self.params.add(value)

    def _sql(self, expr: Expr) -> str:
        if isinstance(expr, Logical):
            return "(" + f" {expr.op.upper()} ".join(self._sql(e) for e in expr.operands) + ")"
        if isinstance(expr, Not):
            return f"(NOT {self._sql(expr.operand)})"
        if isinstance(expr, Missing):
            c = self.quote(expr.column.name)
            test = f"{c} IS NULL"
            if self.bound.kind(expr.column.name) == "float":
                test = f"({c} IS NULL OR isnan(CAST({c} AS DOUBLE)))"
            return f"(NOT {test})" if expr.negated else f"({test})"
        mode = self.bound.mode(expr)
        x = self.value(expr.column.name, mode)
        if isinstance(expr, Comparison):
            return f"({x} {_OPS[expr.op]} {self._literal(expr.value.value, mode)})"
        listed = ", ".join(self._literal(v.value, mode) for v in expr.values)
        return f"({x} {'NOT IN' if expr.negated else 'IN'} ({listed}))"


def check_select(sql: SqlFilter) -> list[str]:
    """The aggregates that count the rows, the rows kept, and for each text column the filter
    reads as numbers or booleans, its unreadable values and the smallest of them."""
    out = ["count(*) AS rows_", f"count(*) FILTER (WHERE {sql.where}) AS kept_"]
    for i, (name, reading, _offset) in enumerate(sql.bound.parsed_text):
        bad = sql.unreadable(name, reading)
        out += [f"count(*) FILTER (WHERE {bad}) AS bad{i}_",
                f"min(CAST({sql.quote(name)} AS VARCHAR)) FILTER (WHERE {bad}) AS example{i}_"]
    return out
