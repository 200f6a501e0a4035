"""A datasheet's composition counts on DuckDB or Spark: the engine counts, Python decides.

Like the count pass (see :mod:`.aggregate`), the engine never interprets a value.  Per column it
returns its missing values, the distinct values with their counts (up to one more than the
distinct limit), and for numeric columns the finite values' count, minimum, maximum and the
exact integer partial sums of :mod:`.exact`; for the sensitive attributes, one row per distinct
combination of raw values (binned attributes as range codes) with its count.  Python merges equal
values, types them, pools rare values and suppresses small cells with the code the Arrow pass
uses, so every engine writes the same results file.

Column types: for Parquet files they come from the file's schema (what the Arrow pass reads); for
CSV files every engine reads text, and the type is what Arrow infers from the column's distinct
values (for a column with more than the distinct limit, from the smallest and largest value of
each shape, digits replaced by 0); for tables and DataFrames, the engine's types as Arrow types.
The same SQL runs on both engines (a temporary view on Spark); column names are quoted identifiers
and the only other values in the SQL are constants of this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..csv_types import infer_type, typed
from ..filtering.prepare import Preparation
from ..reading import open_source
from .ask import Ask
from .exact import SQL, Moments, add_rows
from .inputs import Input

FINITE = "abs({x}) <= 1.7976931348623157E308"


@dataclass
class ColumnCounts:
    """What a column's statistics are made from, on any engine."""

    name: str
    type: Any
    """The column's Arrow type."""
    missing: int = 0
    values: dict[Any, int] | None = field(default_factory=dict)
    """Distinct values and their counts (NaN left out), ``None`` above the distinct limit."""
    moments: Moments | None = None
    """For integer and floating-point columns."""
    lowest: list[float] = field(default_factory=list)
    highest: list[float] = field(default_factory=list)
    """The ``k`` smallest and largest finite values, for numeric columns with more distinct values
    than the limit (with fewer, the value counts give them)."""


class FactorAsk(Ask):
    """An :class:`Ask` for the sensitive attributes alone (no label, prediction or score)."""

    @property
    def outputs(self) -> list[str]:
        return list(dict.fromkeys(c for c, _ in self.factors))


def numeric(t: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_integer(t) or pa.types.is_floating(t))


def plain(t: Any) -> Any:
    import pyarrow as pa

    if pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", lambda _: False)(t):
        return pa.string()
    return t


class Runner:
    """One relation and a way to run SQL on it (DuckDB, or Spark through a temporary view)."""

    def __init__(self, inp: Input, engine: str, delimiter: str, session: Any, prep: Preparation | None = None):
        self.csv = inp.kind not in ("memory", "spark", "table") and inp.fmt == "csv"
        self.file_types: dict[str, Any] = {}
        self.run: Callable[[str], Any]
        """Runs one SQL query on the relation; returns a pyarrow Table."""
        self.quote: Callable[[str], str]
        if inp.kind in ("file", "glob", "folder") and inp.fmt == "parquet" and inp.files:
            import pyarrow.parquet as pq

            self.file_types = {f.name: f.type for f in pq.read_schema(inp.files[0])}
        if engine == "duckdb":
            from .duckdb import DuckDBBackend, quote
            from .inputs import duckdb_location

            table = None
            if inp.kind == "memory":
                table = open_source(inp.data).table
                self.file_types = {f.name: f.type for f in table.schema}
            elif inp.kind == "file":
                open_source(path=inp.path, fmt=inp.fmt or None, delimiter=delimiter, display=inp.display)
            else:
                from .files import check_parts

                if inp.fmt == "csv":  # Parquet parts are read by name: a column one part lacks is missing there
                    check_parts(inp, None, delimiter)
            duck = DuckDBBackend(path=duckdb_location(inp), fmt=inp.fmt, delimiter=delimiter, table=table,
                                 display=inp.display, files=inp.files, base=inp.base, prep=prep)
            self.quote, self.relation = quote, duck.relation
            self.run = duck._fetch
            backend: DuckDBBackend | SparkBackend = duck
        else:
            from .spark import SparkBackend, _arrow

            if inp.kind == "file":
                open_source(path=inp.path, fmt=inp.fmt or None, delimiter=delimiter, display=inp.display)
            spark = SparkBackend(inp, delimiter=delimiter, session=session, prep=prep)
            self.relation = f"cardwright_input_{id(spark):x}"
            spark.df.createOrReplaceTempView(self.relation)
            self.quote = lambda name: "`" + name.replace("`", "``") + "`"
            self.run = lambda sql: _arrow(spark.spark.sql(sql))
            backend = spark
        self.backend = backend
        self.column_names = list(backend.column_names)

    def engine_types(self) -> dict[str, Any]:
        got = self.run(f"SELECT * FROM {self.relation} LIMIT 0")
        return {f.name: plain(f.type) for f in got.schema}


def column_counts(runner: Runner, limit: int, k: int = 1) -> tuple[int, list[ColumnCounts]]:
    """``(rows, per-column counts)`` in the order of the columns; ``k``: how many of the smallest
    and largest values to keep for numeric columns with too many distinct values."""
    import pyarrow as pa

    q = runner.quote
    texts: dict[str, Any] = {}
    if runner.csv:
        types = _csv_types(runner, limit, texts)
    else:
        engine = runner.engine_types()
        types = {n: runner.file_types.get(n, engine[n]) for n in runner.column_names}
    cols = [ColumnCounts(n, types[n]) for n in runner.column_names]
    aggs = ["count(*) AS rows_"]
    for i, c in enumerate(cols):
        name, x = q(c.name), f"TRY_CAST({q(c.name)} AS DOUBLE)"
        aggs.append(f"count(*) FILTER (WHERE {name} IS NULL) AS null{i}")
        if pa.types.is_floating(c.type):
            aggs.append(f"count(*) FILTER (WHERE isnan({x})) AS nan{i}")
        if numeric(c.type):
            finite = FINITE.format(x=x)
            aggs += [f"count(*) FILTER (WHERE {finite}) AS n{i}", f"min({x}) FILTER (WHERE {finite}) AS lo{i}",
                     f"max({x}) FILTER (WHERE {finite}) AS hi{i}"]
    overview = {k: v[0] for k, v in runner.run(f"SELECT {', '.join(aggs)} FROM {runner.relation}").to_pydict().items()}
    for i, c in enumerate(cols):
        c.missing = int(overview[f"null{i}"]) + int(overview.get(f"nan{i}") or 0)
        if numeric(c.type):
            c.moments = Moments()
            c.moments.n = int(overview[f"n{i}"])
            c.moments.min, c.moments.max = overview[f"lo{i}"], overview[f"hi{i}"]
            values = f"SELECT TRY_CAST({q(c.name)} AS DOUBLE) AS x FROM {runner.relation}"
            add_rows(c.moments, runner.run(SQL.format(values=values)).to_pydict())
        if pa.types.is_nested(c.type):  # lists, records, maps: missing values only, as the Arrow pass
            c.values = None
            continue
        if c.name in texts:
            got = texts[c.name]
        else:
            expr = q(c.name)
            skip = ""
            if pa.types.is_floating(c.type):
                expr = f"CASE WHEN {q(c.name)} = 0 THEN CAST(0 AS DOUBLE) ELSE CAST({q(c.name)} AS DOUBLE) END"
                skip = " AND NOT isnan(v)"
            got = _value_counts(runner, expr, skip, limit)
        c.values = _merge(got, c.type if runner.csv else None, limit)
        if numeric(c.type) and c.values is None:
            c.lowest, c.highest = _order_statistics(runner, c.name, k)
    return int(overview["rows_"]), cols


def _csv_types(runner: Runner, limit: int, texts: dict[str, Any]) -> dict[str, Any]:
    """Each CSV column's type, inferred from its distinct texts (or, past ``limit`` of them, from
    the smallest and largest text of each digit shape); ``texts`` keeps the value counts."""
    q = runner.quote
    types = {}
    for name in runner.column_names:
        got = _value_counts(runner, f"{q(name)}", "", limit)
        texts[name] = got
        if got.num_rows <= limit:
            samples = got.column("v").to_pylist()
        else:
            shapes = runner.run(f"SELECT translate({q(name)}, '0123456789', '0000000000') AS s, min({q(name)}) AS a, "
                                f"max({q(name)}) AS b FROM {runner.relation} WHERE {q(name)} IS NOT NULL GROUP BY s")
            samples = sorted(set(shapes.column("a").to_pylist()) | set(shapes.column("b").to_pylist()))
        types[name] = infer_type(samples)
    return types


def _order_statistics(runner: Runner, name: str, k: int) -> tuple[list[float], list[float]]:
    """The ``k`` smallest and the ``k`` largest finite values of a numeric column."""
    x = f"TRY_CAST({runner.quote(name)} AS DOUBLE)"
    inner = f"SELECT {x} AS x FROM {runner.relation} WHERE {FINITE.format(x=x)}"
    out = []
    for direction in ("ASC", "DESC"):
        got = runner.run(f"SELECT x FROM ({inner}) AS t ORDER BY x {direction} LIMIT {int(k)}")
        out.append(sorted(float(v) for v in got.column("x").to_pylist()))
    return out[0], out[1]


def _value_counts(runner: Runner, expr: str, skip: str, limit: int) -> Any:
    return runner.run(f"SELECT v, count(*) AS n FROM (SELECT {expr} AS v FROM {runner.relation}) AS t "
                      f"WHERE v IS NOT NULL{skip} GROUP BY v LIMIT {limit + 1}")


def _merge(got: Any, csv_type: Any, limit: int) -> dict[Any, int] | None:
    import math

    if got.num_rows > limit:
        return None
    values = got.column("v")
    if csv_type is not None:
        values = typed(values.combine_chunks() if hasattr(values, "combine_chunks") else values, csv_type)
    merged: dict[Any, int] = {}
    for v, n in zip(values.to_pylist(), got.column("n").to_pylist()):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        merged[v] = merged.get(v, 0) + int(n)
    return merged if len(merged) <= limit else None


def factor_rows(runner: Runner, ask: FactorAsk, types: dict[str, Any]) -> Any:
    """The sensitive attributes' aggregate (plain attributes typed as the Arrow pass reads them)."""
    import pyarrow as pa

    table = runner.backend.aggregate(ask, None, 0)
    if runner.csv:
        for column, cuts in ask.factors:
            if cuts is None:
                i = table.schema.get_field_index(column)
                values = table.column(column).combine_chunks()  # a query's column comes in chunks
                table = table.set_column(i, column, typed(values.cast(pa.string()), types[column]))
    return table
