"""The Spark engine: the count pass as DataFrame aggregations, wherever the SparkSession runs.

Input: any path Spark reads (a file, a folder of Parquet with hive partitions, a glob, an
``s3a://`` or ``hdfs://`` URI), a table (``path: table:db.name``) or a Spark DataFrame handed to
the library call.  The session is the one passed in (``session=``), else the active one, else
one built from the environment (see :func:`session_from_env` and docs/engines.md).  Column names
are quoted identifiers and card values are literals: nothing is parsed from the data.
"""

from __future__ import annotations

import os
from typing import Any, cast

import numpy as np

from ..filtering.prepare import Preparation
from ..reading import CSV_NULLS
from .ask import Ask
from .bins import GRID, ScorePlan
from .expr import spark_dialect
from .inputs import Input
from .sql import aggregate_query

MASTER_ENV = "CARDWRIGHT_SPARK_MASTER"
CONF_ENV = "CARDWRIGHT_SPARK_CONF"


def session_from_env() -> Any:
    """The active SparkSession, or a new one: master ``$CARDWRIGHT_SPARK_MASTER`` (default
    ``local[*]``) and ``$CARDWRIGHT_SPARK_CONF`` (``key=value`` pairs separated by ``;``)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("cardwright")
    if os.environ.get(MASTER_ENV) or not os.environ.get("SPARK_REMOTE"):
        builder = builder.master(os.environ.get(MASTER_ENV) or "local[*]")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    for pair in filter(None, (p.strip() for p in os.environ.get(CONF_ENV, "").split(";"))):
        key, _, value = pair.partition("=")
        builder = builder.config(key.strip(), value.strip())
    return builder.getOrCreate()


def _col(name: str) -> Any:
    """A column by name, as a quoted identifier (dots and backticks are part of the name)."""
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")


def _double(name: str) -> Any:
    """The column as a double, or null where its text is not a number."""
    from pyspark.sql import functions as F

    column = _col(name)
    if hasattr(column, "try_cast"):
        return column.try_cast("double")
    return F.expr("try_cast(`" + name.replace("`", "``") + "` AS DOUBLE)")


def _arrow(df: Any) -> Any:
    """A small DataFrame as a pyarrow Table."""
    import pyarrow as pa

    if hasattr(df, "toArrow"):
        return df.toArrow()
    batches = df._collect_as_arrow()
    if batches:
        return pa.Table.from_batches(batches)
    return pa.Table.from_pandas(df.toPandas(), preserve_index=False)


class SparkBackend:
    def __init__(self, inp: Input, *, delimiter: str = ",", session: Any = None, prep: Preparation | None = None,
                 flag: str | None = None):
        """``flag``: keep the rows the filter leaves out, with a column of that name that is 1 for
        the rows it keeps and 0 for the others (for matching rows by their place)."""
        from pyspark.sql import functions as F

        self.display = inp.display
        if inp.kind == "spark":
            self.spark = inp.data.sparkSession
            df = inp.data
        else:
            self.spark = session or session_from_env()
            reader, paths = self.spark.read, [inp.location]
            if inp.kind in ("glob", "folder") and inp.path is not None:  # the files cardwright checked
                from .inputs import glob_anchor

                paths = [str(f) for f in inp.files]
                reader = reader.option("basePath", inp.location if inp.kind == "folder" else str(glob_anchor(inp.path)))
            if inp.kind == "table":
                df = self.spark.table(inp.location)
            elif inp.fmt == "csv":
                # escape='"': a quote inside a quoted field is doubled (RFC 4180), as the other engines read it
                df = reader.options(header=True, sep=delimiter, inferSchema=False, escape='"').csv(paths)
                nulls = prep.reader_nulls() if prep is not None else list(CSV_NULLS)
                df = df.select(*[F.when(_col(c).isin(nulls), None).otherwise(_col(c)).alias(c)
                                 for c in df.columns])
            else:
                df = reader.parquet(*paths)
        self.column_names = list(df.columns)
        self.filtered = 0
        """Rows the card's filter left out."""
        if prep is not None:
            df = self._prepare(df, prep, csv=inp.kind not in ("spark", "table") and inp.fmt == "csv", flag=flag)
        self.df = df
        self._seen: Any = None
        self._views = 0

    def _prepare(self, df: Any, prep: Preparation, *, csv: bool, flag: str | None = None) -> Any:
        """``df`` cleaned and filtered as the card says (see :mod:`..filtering.compile_spark`)."""
        from pyspark.sql import functions as F

        from ..filtering.bind import bind, unreadable_error
        from ..filtering.compile_spark import SparkFilter, check_aggregates, clean, types

        if prep.cleans(csv):
            df = clean(df, prep, csv)
        if prep.expression is None:
            return df if flag is None else df.withColumn(flag, F.lit(1))
        spark_filter = SparkFilter(bind(prep.expression, types(df), self.column_names, self.display))
        seen = _arrow(df.agg(*check_aggregates(spark_filter))).to_pydict()
        for i, (name, reading, offset) in enumerate(spark_filter.bound.parsed_text):
            if seen[f"bad{i}_"][0]:
                raise unreadable_error(self.display, name, reading, offset, int(seen[f"bad{i}_"][0]),
                                       str(seen[f"example{i}_"][0]))
        self.filtered = int(seen["rows_"][0]) - int(seen["kept_"][0])
        if flag is not None:
            return df.withColumn(flag, F.when(spark_filter.condition(), F.lit(1)).otherwise(F.lit(0)))
        return df.where(spark_filter.condition())

    def _overview(self, ask: Ask) -> dict[str, Any]:
        """One job for every check and set the count needs before the histogram: the score's
        summary, each binned factor's missing and non-numeric values, each plain factor's values."""
        if self._seen is None:
            from pyspark.sql import functions as F

            aggs = []
            if ask.score is not None:
                s, raw = _double(ask.score), _col(ask.score)
                bad = F.isnan(s) | (F.abs(s) == F.lit(float("inf")))
                aggs += [F.count(s).alias("n"), F.min(F.when(~bad, s)).alias("lo"), F.max(F.when(~bad, s)).alias("hi"),
                         F.count(F.when(raw.isNotNull() & s.isNull(), 1)).alias("not_number"),
                         F.count(F.when(bad, 1)).alias("not_finite"),
                         F.count(F.when((s < 0) | (s > 1), 1)).alias("out_of_unit")]
            for i, (column, cuts) in enumerate(ask.factors):
                raw = _col(column)
                if cuts is None:
                    aggs += [F.collect_set(raw).alias(f"values{i}"), F.count(F.when(raw.isNull(), 1)).alias(f"nulls{i}")]
                else:
                    x = _double(column)
                    aggs += [F.count(F.when(x.isNull() | F.isnan(x), 1)).alias(f"missing{i}"),
                             F.count(F.when(raw.isNotNull() & x.isNull(), 1)).alias(f"not_number{i}")]
            self._seen = _arrow(self.df.agg(*aggs)) if aggs else None
        return {name: self._seen.column(name)[0] for name in self._seen.column_names}

    def score_summary(self, ask: Ask) -> dict[str, Any]:
        seen = self._overview(ask)
        return {k: seen[k].as_py() for k in ("n", "lo", "hi", "not_number", "not_finite", "out_of_unit")}

    def _cell(self, ask: Ask, lo: float, scale: float) -> Any:
        from pyspark.sql import functions as F

        s = _double(ask.score or "")
        return F.least(F.floor((s - F.lit(float(lo))) * F.lit(float(scale))), F.lit(GRID - 1))

    def histogram(self, ask: Ask, lo: float, scale: float) -> np.ndarray:
        from pyspark.sql import functions as F

        s = _double(ask.score or "")
        got = _arrow(self.df.where(s.isNotNull()).select(self._cell(ask, lo, scale).alias("cell"))
                     .groupBy("cell").agg(F.count(F.lit(1)).alias("n")))
        hist = np.zeros(GRID, dtype=np.int64)
        hist[got.column("cell").to_numpy()] = got.column("n").to_numpy()
        return hist

    def distinct_scores(self, ask: Ask, limit: int) -> np.ndarray:
        s = _double(ask.score or "")
        got = _arrow(self.df.select(s.alias("s")).where("s IS NOT NULL").distinct().limit(limit))
        return cast(np.ndarray, got.column("s").to_numpy())

    def factor_values(self, ask: Ask | None, column: str) -> Any:
        import pyarrow as pa

        if ask is None or column not in [c for c, _ in ask.factors]:
            got = self._sql(f"SELECT DISTINCT {spark_dialect().quote(column)} AS v FROM {self._view()}")
            return got.column("v").combine_chunks()
        i = [c for c, _ in ask.factors].index(column)
        seen = self._overview(ask)
        values = seen[f"values{i}"].values
        return pa.concat_arrays([values, pa.nulls(1, values.type)]) if seen[f"nulls{i}"].as_py() else values

    def binned_summary(self, ask: Ask, column: str) -> tuple[int, int]:
        i = [c for c, _ in ask.factors].index(column)
        seen = self._overview(ask)
        return int(seen[f"missing{i}"].as_py()), int(seen[f"not_number{i}"].as_py())

    def _view(self, df: Any = None) -> str:
        name = f"cardwright_input_{id(self):x}_{self._views}"
        self._views += 1
        (self.df if df is None else df).createOrReplaceTempView(name)
        return name

    def _sql(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        return _arrow(self.spark.sql(sql, args=params or None))

    def numeric_summary(self, column: str, boolean: bool) -> dict[str, Any]:
        from .duckdb import numeric_summary

        return numeric_summary(self._sql, self._view(), spark_dialect(), column, boolean)

    def column_type(self, column: str) -> Any:
        return self._sql(f"SELECT {spark_dialect().quote(column)} AS v FROM {self._view()} LIMIT 0").schema.field("v").type

    def aggregate(self, ask: Ask, plan: ScorePlan | None, bins: int) -> Any:
        from pyspark.sql import functions as F

        df = self.df
        column = None
        if plan is not None and plan.method == "binned":
            s = _double(ask.score or "")
            cell = F.when(s.isNull(), None).otherwise(self._cell(ask, plan.lo, plan.scale))
            df = _bucketize(df.withColumn("__cell", cell), plan.edges(bins)[0])
            column = "__b"
        sql, params = aggregate_query(ask, spark_dialect(), self._view(df), bins=column)
        return self._sql(sql, params)


def _bucketize(df: Any, edges: np.ndarray) -> Any:
    """``__b``: the number of edge cells at or below ``__cell`` (null for a missing score)."""
    from pyspark.ml.feature import Bucketizer
    from pyspark.sql import functions as F

    splits = [float("-inf"), *(float(e) for e in edges), float("inf")]
    df = df.withColumn("__cellx", F.coalesce(F.col("__cell"), F.lit(-1)).cast("double"))
    df = Bucketizer(splits=splits, inputCol="__cellx", outputCol="__bucket").transform(df)
    return df.withColumn("__b", F.when(F.col("__cell").isNull(), None).otherwise(F.col("__bucket").cast("int")))
