"""Several inputs as relations of one DuckDB connection or one Spark session, for the queries
that join them (a model card's attribution file with its evaluation data).

Each input is read as the count pass reads it (CSV as text, Parquet and tables with their types),
through its data block's preparation when one is given (`na_values`, `strip_whitespace`, and the
`filter`: the rows it leaves out are left out, or kept and flagged when the caller matches rows by
their place), and, when asked, numbered in file order: ``__cardwright_row``, from 0.  DuckDB numbers a Parquet
file by its ``file_row_number`` (several parts ordered by file name, then row), and a CSV file or
an in-memory table by the order it is stored in a temporary table (DuckDB keeps the insertion
order of a scan).  Spark gives no row order that survives a distributed read, so it numbers
nothing: :class:`Unordered` says so.  Paths are query parameters and column names quoted
identifiers, as everywhere.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from ...errors import DataError, Finding
from ..filtering.prepare import Preparation
from .expr import Dialect, duckdb_dialect, spark_dialect
from .inputs import Input, duckdb_location

ROW = "__cardwright_row"
"""The row number column of a numbered relation."""


class Unordered(Exception):
    """The engine cannot number the rows of an input in file order."""


@dataclass
class Relation:
    sql: str
    """A relation to select from (a parenthesised query or a view's name)."""
    column_names: list[str]
    csv: bool
    """Read from CSV: every column is text."""


class Relations:
    """Relations in one engine session, and a way to query them."""

    def __init__(self, engine: str, session: Any = None):
        self.engine = engine
        self.params: dict[str, Any] = {}
        self.dialect: Dialect
        if engine == "duckdb":
            from .duckdb import connect

            self.con = connect()
            # no progress bar: DuckDB would draw it on standard output, where results may go
            self.con.execute("SET enable_progress_bar = false")
            self.dialect = duckdb_dialect()
        else:
            self.session = session
            self.dialect = spark_dialect()
        self._count = 0
        self._views: list[str] = []

    def add(self, inp: Input, delimiter: str, *, numbered: bool = False, prep: Preparation | None = None,
            flag: str | None = None) -> Relation:
        """``inp`` as a relation; ``prep``: its data block's preparation; ``flag``: rather than
        leaving out the rows the filter leaves out, keep them and name a column that is 1 for the
        rows the filter keeps and 0 for the others."""
        self._count += 1
        if self.engine == "duckdb":
            rel = self._duckdb(inp, delimiter, numbered, f"r{self._count}")
            if prep is not None:
                return self._prepare_duckdb(rel, inp, prep, flag, f"r{self._count}p")
            return Relation(f"(SELECT *, 1 AS {flag} FROM {rel.sql} AS t)", rel.column_names, rel.csv) if flag else rel
        if numbered:
            raise Unordered
        from .spark import SparkBackend

        backend = SparkBackend(inp, delimiter=delimiter, session=self.session, prep=prep, flag=flag)
        self.session = backend.spark
        name = f"cardwright_relation_{id(self):x}_{self._count}"
        df = backend.df
        if flag is not None and prep is None:
            from pyspark.sql import functions as F

            df = df.withColumn(flag, F.lit(1))
        df.createOrReplaceTempView(name)
        self._views.append(name)
        return Relation(name, list(backend.column_names), inp.kind not in ("spark", "table") and inp.fmt == "csv")

    def _duckdb(self, inp: Input, delimiter: str, numbered: bool, key: str) -> Relation:
        from ..reading import CSV_NULLS, open_source

        if inp.kind in ("table", "spark"):
            raise Unordered  # refused earlier (check_input); never reached
        csv = inp.kind != "memory" and inp.fmt == "csv"
        if inp.kind == "memory":
            import numpy as np
            import pyarrow as pa

            table = open_source(inp.data).table
            if numbered:
                table = table.append_column(ROW, pa.array(np.arange(table.num_rows, dtype=np.int64)))
            self.con.register(f"cardwright_{key}", table)
            return Relation(f"cardwright_{key}", [c for c in table.column_names if c != ROW], False)
        self.params[f"{key}_path"] = duckdb_location(inp)
        if csv:
            self.params.update({f"{key}_delim": delimiter, f"{key}_nulls": list(CSV_NULLS)})
            scan = (f"read_csv(${key}_path, header = true, all_varchar = true, delim = ${key}_delim, "
                    f"nullstr = ${key}_nulls, hive_partitioning = true)")
        else:
            scan = f"read_parquet(${key}_path, hive_partitioning = true, union_by_name = true"
            scan += ", file_row_number = true, filename = true)" if numbered else ")"
        columns = [str(n) for n in self.run(f"DESCRIBE SELECT * FROM {scan}").column("column_name").to_pylist()]
        if not numbered:
            return Relation(f"(SELECT * FROM {scan})", columns, csv)
        data = [c for c in columns if c not in ("file_row_number", "filename")] if not csv else columns
        if csv:  # stored in file order; a table's rowid follows it
            self.run(f"CREATE TEMP TABLE cardwright_{key} AS SELECT * FROM {scan}")
            return Relation(f"(SELECT *, rowid AS {ROW} FROM cardwright_{key})", data, csv)
        quoted = ", ".join(self.dialect.quote(c) for c in data)
        order = "row_number() OVER (ORDER BY filename, file_row_number) - 1"
        return Relation(f"(SELECT {quoted}, {order} AS {ROW} FROM {scan})", data, csv)

    def _prepare_duckdb(self, rel: Relation, inp: Input, prep: Preparation, flag: str | None, key: str) -> Relation:
        """``rel`` cleaned and filtered as the data block says (see :class:`.duckdb.DuckDBBackend`)."""
        from ..filtering.bind import ColumnType, bind, duckdb_kind, unreadable_error
        from ..filtering.compile_sql import Params, SqlFilter, check_select, cleaned
        from .duckdb import quote

        described = self.run(f"DESCRIBE SELECT * FROM {rel.sql} AS t")
        names = [str(n) for n in described.column("column_name").to_pylist()]
        types = dict(zip(names, (str(t) for t in described.column("column_type").to_pylist())))
        kinds = {n: ColumnType(duckdb_kind(types[n]), types[n]) for n in rel.column_names}
        params = Params(key)
        relation = f"{rel.sql} AS cardwright_raw"
        if prep.cleans(rel.csv):
            text = {n for n, k in kinds.items() if k.kind == "text"}
            relation = cleaned(relation, names, text, prep, rel.csv, quote, params)
        if prep.expression is None:
            self.params.update(params.values)
            out = f"(SELECT *{', 1 AS ' + flag if flag else ''} FROM {relation})"
            return Relation(out, rel.column_names, rel.csv)
        sql = SqlFilter(bind(prep.expression, kinds, rel.column_names, inp.display), quote, params)
        self.params.update(params.values)
        seen = {k: v[0] for k, v in self.run(f"SELECT {', '.join(check_select(sql))} FROM {relation}").to_pydict().items()}
        for i, (name, reading, offset) in enumerate(sql.bound.parsed_text):
            if seen[f"bad{i}_"]:
                raise unreadable_error(inp.display, name, reading, offset, int(seen[f"bad{i}_"]),
                                       str(seen[f"example{i}_"]))
        if flag is None:
            return Relation(f"(SELECT * FROM {relation} WHERE {sql.where})", rel.column_names, rel.csv)
        kept = f"CASE WHEN {sql.where} THEN 1 ELSE 0 END"
        return Relation(f"(SELECT *, {kept} AS {flag} FROM {relation})", rel.column_names, rel.csv)

    def run(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        """One query as a pyarrow Table (an engine's error as a finding)."""
        if self.engine == "duckdb":
            import duckdb

            from .duckdb import _PARAMETER, _QUOTED

            named = set(_PARAMETER.findall(_QUOTED.sub("", sql)))
            used = {k: v for k, v in {**self.params, **(params or {})}.items() if k in named}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    result: Any = self.con.execute(sql, used)
                    fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
                    return fetch()
            except duckdb.Error as e:
                from ..reading import _first_line

                raise DataError(Finding("<data>", "data-error", f"DuckDB cannot read the data: {_first_line(e)}",
                                        hint="check that the files hold the columns the card names")) from e
        from .spark import _arrow

        return _arrow(self.session.sql(sql, args=params or None))

    def close(self) -> None:
        if self.engine == "duckdb":
            self.con.close()
        for name in self._views:
            self.session.catalog.dropTempView(name)
