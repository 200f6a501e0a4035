"""Preparation on Spark: the cleaning as a ``select`` and the filter as a Column expression.

Column names are quoted identifiers and every value a literal (``F.lit``): nothing from a card
or a data file is parsed as SQL.  Spark's comparisons propagate nulls as SQL does, which is the
filter's three-valued logic; NaN is turned into a missing value first (Spark orders NaN above
every number and makes it equal to itself).
"""

from __future__ import annotations

import functools
from typing import Any

from ...schema.filter_syntax import Comparison, Expr, Logical, Missing, Not
from .bind import Bound, ColumnType, Mode, spark_kind
from .prepare import FALSE_WORDS, NUMBER_PATTERN, PADDING, TRUE_WORDS, WHITESPACE, Preparation


def column(name: str) -> Any:
    """A column by name, as a quoted identifier."""
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")


def _class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


def _strip(x: Any, chars: str) -> Any:
    from pyspark.sql import functions as F

    cls = _class(chars)
    return F.regexp_replace(x, rf"\A{cls}+|{cls}+\z", "")


def types(df: Any) -> dict[str, ColumnType]:
    return {f.name: ColumnType(spark_kind(f.dataType), f.dataType.simpleString()) for f in df.schema.fields}


def clean(df: Any, prep: Preparation, csv: bool) -> Any:
    """``df`` with every text column trimmed and its missing-value tokens made missing."""
    from pyspark.sql import functions as F

    tokens = list(prep.tokens(csv))
    kinds = types(df)
    out = []
    for name in df.columns:
        c = column(name)
        if kinds[name].kind == "text":
            v = _strip(c, WHITESPACE) if prep.strip_whitespace else c
            if tokens:
                v = F.when(v.isin(tokens), F.lit(None).cast("string")).otherwise(v)
            c = v.alias(name)
        out.append(c)
    return df.select(*out)


class SparkFilter:
    """A bound filter as Spark Column expressions."""

    def __init__(self, bound: Bound):
        self.bound = bound
        self.number = rf"\A(?:{NUMBER_PATTERN})\z"

    def condition(self) -> Any:
        return self._column(self.bound.expression)

    def value(self, name: str, mode: Mode) -> Any:
        from pyspark.sql import functions as F

        c = column(name)
        if mode == "int":
            return c.cast("bigint")
        if mode == "float":
            x = c.cast("double")
            return F.when(F.isnan(x), F.lit(None).cast("double")).otherwise(x + F.lit(0.0))
        if mode == "boolean":
            return c
        text = c.cast("string")
        if mode == "text":
            return text
        trimmed = _strip(text, PADDING)
        if mode == "text-number":
            return F.when(text.rlike(self.number), trimmed.cast("double") + F.lit(0.0))
        return F.when(trimmed.isin(list(TRUE_WORDS)), F.lit(True)).when(trimmed.isin(list(FALSE_WORDS)), F.lit(False))

    def unreadable(self, name: str, reading: str) -> Any:
        text = column(name).cast("string")
        if reading == "number":
            return text.isNotNull() & ~text.rlike(self.number)
        return text.isNotNull() & ~_strip(text, PADDING).isin([*TRUE_WORDS, *FALSE_WORDS])

    def _column(self, expr: Expr) -> Any:
        from pyspark.sql import functions as F

        if isinstance(expr, Logical):
            parts = [self._column(e) for e in expr.operands]
            return functools.reduce((lambda a, b: a & b) if expr.op == "and" else (lambda a, b: a | b), parts)
        if isinstance(expr, Not):
            return ~self._column(expr.operand)
        if isinstance(expr, Missing):
            c = column(expr.column.name)
            test = c.isNull()
            if self.bound.kind(expr.column.name) == "float":
                test = test | F.isnan(c.cast("double"))
            return ~test if expr.negated else test
        mode = self.bound.mode(expr)
        x = self.value(expr.column.name, mode)
        if isinstance(expr, Comparison):
            lit = F.lit(_literal(expr.value.value, mode))
            return {"==": x == lit, "!=": x != lit, "<": x < lit, "<=": x <= lit, ">": x > lit, ">=": x >= lit}[expr.op]
        hit = x.isin([_literal(v.value, mode) for v in expr.values])
        return ~hit if expr.negated else hit


def _literal(value: Any, mode: Mode) -> Any:
    return float(value) + 0.0 if mode in ("float", "text-number") else value


def check_aggregates(spark_filter: SparkFilter) -> list[Any]:
    """Rows, rows kept, and per text column read as numbers or booleans its unreadable values
    (how many, and the smallest)."""
    from pyspark.sql import functions as F

    out = [F.count(F.lit(1)).alias("rows_"), F.count(F.when(spark_filter.condition(), 1)).alias("kept_")]
    for i, (name, reading, _offset) in enumerate(spark_filter.bound.parsed_text):
        bad = spark_filter.unreadable(name, reading)
        out += [F.count(F.when(bad, 1)).alias(f"bad{i}_"),
                F.min(F.when(bad, column(name).cast("string"))).alias(f"example{i}_")]
    return out
