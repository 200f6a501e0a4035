"""The DuckDB engine: the count pass as SQL aggregation, in process, on every core.

It reads a Parquet or CSV file, a glob such as ``eval/*.parquet``, a hive-partitioned folder
(``eval/region=eu/part-0.parquet`` …; partition columns can be factors) or an in-memory table.
A pattern or folder is handed over as the list of files cardwright matched and checked (see
:mod:`.files`), never re-globbed by DuckDB.  Every value that comes from a card (paths, cut
points, the threshold, the score grid) is a query parameter, and every column name a quoted
identifier: no SQL is built from data.

DuckDB never installs or loads an extension by itself here (``autoinstall_known_extensions`` and
``autoload_known_extensions`` are off): nothing is downloaded at run time.  A URI, read only when
the engine was chosen explicitly, needs the httpfs extension installed beforehand.  A DuckDB error
becomes a finding naming the file (the part of a pattern) and what to fix.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import warnings
from pathlib import Path
from typing import Any, cast

import numpy as np

from ...errors import DataError, Finding
from ..filtering.prepare import Preparation
from ..reading import CSV_NULLS, _first_line
from .ask import Ask
from .bins import GRID, ScorePlan
from .expr import Dialect, duckdb_dialect
from .sql import aggregate_query

SAFE_CONFIG: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
"""Connection settings: no extension is installed or loaded behind cardwright's back."""


def connect(threads: int | None = None) -> Any:
    """A DuckDB connection with :data:`SAFE_CONFIG`, whose data beyond its memory goes to a folder
    of its own in the system's temporary directory: DuckDB's default is ``.tmp`` in the working
    directory, a folder the user did not name.  DuckDB creates the folder only when it first needs
    it and removes it when the connection closes; one left by a connection that was never closed
    is removed when the process exits."""
    import duckdb

    spill = f"{_spill_prefix()}-{next(_CONNECTIONS)}"
    return duckdb.connect(config={**SAFE_CONFIG, "temp_directory": spill, **({"threads": threads} if threads else {})})


_CONNECTIONS = itertools.count()


@functools.cache
def _spill_prefix() -> str:
    """This process's spill folders' common prefix, and their removal at exit (registered once)."""
    import atexit
    import secrets
    import tempfile

    prefix = str(Path(tempfile.gettempdir()) / f"cardwright-duckdb-{os.getpid()}-{secrets.token_hex(6)}")
    atexit.register(_remove_spills, prefix)
    return prefix


def _remove_spills(prefix: str) -> None:
    import glob
    import shutil

    for folder in glob.glob(glob.escape(prefix) + "-*"):
        shutil.rmtree(folder, ignore_errors=True)


_QUOTED = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')
"""Quoted identifiers and string constants: a ``$`` inside them is not a parameter."""
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def quote(name: str) -> str:
    """A column name as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


class DuckDBBackend:
    """Queries over one relation: a file, a glob, a folder, or a registered Arrow table."""

    def __init__(self, *, path: str | list[str] | None = None, fmt: str = "parquet", delimiter: str = ",",
                 table: Any = None, display: str = "<data>", threads: int | None = None,
                 files: list[Path] | None = None, base: Path | None = None, prep: Preparation | None = None):
        self.con = connect(threads)
        self.display = display
        self.files, self.base = list(files or []), base or Path.cwd()
        self.fmt, self.delimiter = fmt, delimiter
        self.params: dict[str, Any] = {}
        if isinstance(path, str) and "://" in path:
            self._load_remote(path)
        if table is not None:
            self.con.register("cardwright_input", table)
            self.relation = "cardwright_input"
        elif fmt == "csv":
            self.relation = ("read_csv($path, header = true, all_varchar = true, delim = $delim, "
                             "nullstr = $nulls, hive_partitioning = true)")
            # `na_values` are made missing by the cleaning step (the reader refuses a token holding the delimiter)
            self.params = {"path": path, "delim": delimiter, "nulls": list(CSV_NULLS)}
        else:
            self.relation = "read_parquet($path, hive_partitioning = true, union_by_name = true)"
            self.params = {"path": path}
        described = self._fetch(f"DESCRIBE SELECT * FROM {self.relation}")
        self.column_names = [str(n) for n in described.column("column_name").to_pylist()]
        self.filtered = 0
        """Rows the card's filter left out."""
        if prep is not None:
            types = [str(t) for t in described.column("column_type").to_pylist()]
            self._prepare(prep, types, csv=table is None and fmt == "csv")

    def _prepare(self, prep: Preparation, types: list[str], *, csv: bool) -> None:
        """Clean and filter the relation as the card says (see :mod:`..filtering.compile_sql`)."""
        from ..filtering.bind import ColumnType, bind, duckdb_kind, unreadable_error
        from ..filtering.compile_sql import Params, SqlFilter, check_select, cleaned

        kinds = {n: ColumnType(duckdb_kind(t), t) for n, t in zip(self.column_names, types)}
        params = Params("prep")
        relation = self.relation
        if prep.cleans(csv):
            text = {n for n, k in kinds.items() if k.kind == "text"}
            relation = cleaned(relation, self.column_names, text, prep, csv, quote, params)
        if prep.expression is not None:
            sql = SqlFilter(bind(prep.expression, kinds, self.column_names, self.display), quote, params)
            got = self._fetch(f"SELECT {', '.join(check_select(sql))} FROM {relation}", params.values)
            seen = {k: v[0] for k, v in got.to_pydict().items()}
            for i, (name, reading, offset) in enumerate(sql.bound.parsed_text):
                if seen[f"bad{i}_"]:
                    raise unreadable_error(self.display, name, reading, offset, int(seen[f"bad{i}_"]),
                                           str(seen[f"example{i}_"]))
            self.filtered = int(seen["rows_"]) - int(seen["kept_"])
            relation = f"(SELECT * FROM {relation} WHERE {sql.where}) AS cardwright_rows"
        self.relation = relation
        self.params.update(params.values)

    # -- plumbing ------------------------------------------------------------------------------
    def _load_remote(self, uri: str) -> None:
        """Load the extension that reads ``uri`` if it is installed; never install it."""
        import duckdb

        extension = "azure" if uri.split("://", 1)[0].lower() in ("az", "azure", "abfss") else "httpfs"
        try:
            self.con.execute(f"LOAD {extension}")
        except duckdb.Error as e:
            raise DataError(Finding(
                self.display, "missing-dependency",
                f"DuckDB reads this URI with its {extension} extension, which is not installed "
                "(cardwright never downloads extensions while it runs)",
                hint=f"install it once: python -c \"import duckdb; duckdb.execute('INSTALL {extension}')\"")) from e

    def _fetch(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        import duckdb

        named = set(_PARAMETER.findall(_QUOTED.sub("", sql)))
        used = {k: v for k, v in {**self.params, **(params or {})}.items() if k in named}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result: Any = self.con.execute(sql, used)  # duckdb < 1.4 names the call fetch_arrow_table
                fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
                return fetch()
        except duckdb.Error as e:
            raise self._explain(e) from e

    def _explain(self, e: Exception) -> DataError:
        """A DuckDB error as a finding: the part at fault when cardwright can find it, else the
        data path with DuckDB's first line."""
        from .files import diagnose

        if len(self.files) > 1:
            found = diagnose(self.files, self.fmt, self.delimiter, self.display, self.base)
            if found is not None:
                return found
        return DataError(Finding(
            self.display, "data-error", f"DuckDB cannot read the data: {_first_line(e)}",
            hint="check that every file holds the same columns with one type each, or try `engine: arrow` "
                 "on a single file to see the row at fault"))

    def _scores(self, ask: Ask) -> str:
        """The input with the score as a double ``__s`` (and the raw score for the checks)."""
        assert ask.score is not None
        s = quote(ask.score)
        return (f"SELECT TRY_CAST({s} AS DOUBLE) AS __s, {s} AS __raw FROM {self.relation}")

    # -- the queries ---------------------------------------------------------------------------
    def score_summary(self, ask: Ask) -> dict[str, Any]:
        sql = (
            "SELECT count(__s) AS n, "
            "min(__s) FILTER (WHERE NOT isnan(__s) AND NOT isinf(__s)) AS lo, "
            "max(__s) FILTER (WHERE NOT isnan(__s) AND NOT isinf(__s)) AS hi, "
            "count(*) FILTER (WHERE __raw IS NOT NULL AND __s IS NULL) AS not_number, "
            "count(*) FILTER (WHERE isnan(__s) OR isinf(__s)) AS not_finite, "
            "count(*) FILTER (WHERE __s < 0 OR __s > 1) AS out_of_unit "
            f"FROM ({self._scores(ask)})"
        )
        return {k: v[0] for k, v in self._fetch(sql).to_pydict().items()}

    def histogram(self, ask: Ask, lo: float, scale: float) -> np.ndarray:
        sql = (f"SELECT {_cell('__s')} AS cell, count(*) AS n FROM ({self._scores(ask)}) "
               "WHERE __s IS NOT NULL GROUP BY cell")
        got = self._fetch(sql, {"lo": lo, "scale": scale, "last": GRID - 1})
        hist = np.zeros(GRID, dtype=np.int64)
        hist[got.column("cell").to_numpy()] = got.column("n").to_numpy()
        return hist

    def distinct_scores(self, ask: Ask, limit: int) -> np.ndarray:
        sql = f"SELECT DISTINCT __s FROM ({self._scores(ask)}) WHERE __s IS NOT NULL LIMIT $limit"
        return cast(np.ndarray, self._fetch(sql, {"limit": limit}).column(0).to_numpy())

    def factor_values(self, ask: Ask, column: str) -> Any:  # noqa: ARG002 - the Backend protocol's signature
        return self._fetch(f"SELECT DISTINCT {quote(column)} AS v FROM {self.relation}").column(0)

    def binned_summary(self, ask: Ask, column: str) -> tuple[int, int]:  # noqa: ARG002 - the Backend protocol's signature
        c = quote(column)
        sql = (f"SELECT count(*) FILTER (WHERE __x IS NULL OR isnan(__x)) AS missing, "
               "count(*) FILTER (WHERE __raw IS NOT NULL AND __x IS NULL) AS not_number "
               f"FROM (SELECT TRY_CAST({c} AS DOUBLE) AS __x, {c} AS __raw FROM {self.relation})")
        got = self._fetch(sql).to_pydict()
        return int(got["missing"][0]), int(got["not_number"][0])

    def numeric_summary(self, column: str, boolean: bool) -> dict[str, Any]:
        return numeric_summary(self._fetch, self.relation, duckdb_dialect(), column, boolean)

    def column_type(self, column: str) -> Any:
        got = self._fetch(f"SELECT {quote(column)} AS v FROM {self.relation} LIMIT 0")
        return got.schema.field("v").type

    def aggregate(self, ask: Ask, plan: ScorePlan | None, bins: int) -> Any:
        join = None
        if plan is not None and plan.method == "binned":
            import pyarrow as pa

            lut = plan.edges(bins)[1]
            self.con.register("cardwright_bins", pa.table({"cell": np.arange(GRID, dtype=np.int64), "bin": lut}))
            join = "JOIN:cardwright_bins"
        sql, params = aggregate_query(ask, duckdb_dialect(), self.relation, bins=join)
        return self._fetch(sql, {**self.params, **params})


def numeric_summary(run: Any, relation: str, dialect: Dialect, column: str, boolean: bool) -> dict[str, Any]:
    """The pre-pass of a numeric column on a SQL engine (DuckDB, or Spark through a view)."""
    from .exact import SQL
    from .sql import boolean_double

    x = boolean_double(dialect, column) if boolean else f"TRY_CAST({dialect.quote(column)} AS DOUBLE)"
    raw = dialect.quote(column)
    finite = "(NOT isnan(__x) AND abs(__x) <= 1.7976931348623157E308)"
    sql = (f"SELECT count(*) FILTER (WHERE __x IS NOT NULL AND {finite}) AS n, "
           f"min(__x) FILTER (WHERE {finite}) AS lo, max(__x) FILTER (WHERE {finite}) AS hi, "
           "count(*) FILTER (WHERE __raw IS NOT NULL AND __x IS NULL) AS not_number, "
           f"count(*) FILTER (WHERE __x IS NOT NULL AND NOT {finite}) AS not_finite, "
           "count(*) FILTER (WHERE __x < 0) AS negative "
           f"FROM (SELECT {x} AS __x, {raw} AS __raw FROM {relation}) AS t")
    got = {k: v[0] for k, v in run(sql).to_pydict().items()}
    values = f"SELECT __x AS x FROM (SELECT {x} AS __x FROM {relation}) AS t WHERE __x IS NOT NULL AND {finite}"
    got["sums"] = run(SQL.format(values=values)).to_pydict()
    return got


def _cell(s: str) -> str:
    """The grid cell of a score, as :func:`..bins.cell_index` computes it."""
    return f"least(CAST(floor(({s} - $lo) * $scale) AS BIGINT), $last)"
