"""Spark (``local[2]``, one session for the module) selects the same rows as the Arrow pass, DuckDB
and the direct Python evaluation: random tables and filters, hostile names and values, the
missing-value tokens and trimming, and the errors for text that does not read as a number."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardwright._compute.filtering.prepare import FilterError
from filter_data import arrow_rows, csv_copy, duckdb_rows, expected_ids, filters, ids, preparation, preparations, rows
from filter_data import write_files as write_data
from test_engines_spark import _missing

pytestmark = pytest.mark.slow
_counter = itertools.count()


@pytest.fixture(scope="module")
def spark():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the Spark tests must run in CI: {reason}")
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("cardwright-filter-tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2").config("spark.default.parallelism", "2")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_rows(session: Any, path: Path, prep: Any, columns: list[str] = ["id"]) -> list[list[Any]]:  # noqa: B006
    from cardwright._compute.engines.inputs import Input
    from cardwright._compute.engines.spark import SparkBackend
    from cardwright._compute.filtering.compile_spark import column

    fmt = "csv" if path.suffix == ".csv" else "parquet"
    inp = Input("file", path.name, fmt=fmt, path=path, location=str(path), files=[path])
    backend = SparkBackend(inp, session=session, prep=prep)
    return [list(r) for r in backend.df.select(*[column(c) for c in columns]).collect()]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("spark-filters")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=rows, texts=st.lists(filters, min_size=3, max_size=3), prep=preparations)
def test_spark_selects_what_the_rules_say(spark, folder, data, texts, prep):
    """Several filters per table in one Spark job: the cleaned table, then each filter's condition."""
    from pyspark.sql import functions as F

    from cardwright._compute.engines.inputs import Input
    from cardwright._compute.engines.spark import SparkBackend
    from cardwright._compute.filtering.bind import bind
    from cardwright._compute.filtering.compile_spark import SparkFilter, types
    from cardwright.schema.filter_syntax import parse

    files = write_data(data, folder / str(next(_counter)))
    cleaning = preparation(None, prep["na_values"], prep["strip_whitespace"])
    for fmt in ("parquet", "csv"):
        path = files[fmt]
        backend = SparkBackend(Input("file", path.name, fmt=fmt, path=path, location=str(path), files=[path]),
                               session=spark, prep=cleaning)
        df = backend.df
        conditions = [F.coalesce(SparkFilter(bind(parse(t), types(df), df.columns, path.name)).condition(),
                                 F.lit(False)).alias(f"k{i}") for i, t in enumerate(texts)]
        got = df.select("id", *conditions).collect()
        for i, text in enumerate(texts):
            expected = expected_ids(data, fmt, text, prep["na_values"], prep["strip_whitespace"])
            assert sorted(int(r["id"]) for r in got if r[f"k{i}"]) == expected, (fmt, text)


def test_hostile_names_and_values_on_spark(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from test_filter_engines import HOSTILE_NAMES, HOSTILE_VALUES, _quoted_name, _quoted_value

    values = [v for v in HOSTILE_VALUES if v not in ("\u0000", "NULL")]
    for n, name in enumerate([HOSTILE_NAMES[i] for i in (0, 1, 2, 4, 8)]):
        table = pa.table({"id": list(range(len(values))), name: values})
        pq.write_table(table, tmp_path / f"{n}.parquet")
        csv_file = csv_copy([["id", name]] + [[str(i), v] for i, v in enumerate(values)], tmp_path / f"{n}.csv")
        listed = ", ".join(_quoted_value(v) for v in values[::3])
        p = preparation(f"{_quoted_name(name)} in [{listed}] or {_quoted_name(name)} == {_quoted_value(values[1])}")
        want = sorted({*range(0, len(values), 3), 1})
        for path in (tmp_path / f"{n}.parquet", csv_file):
            assert ids(spark_rows(spark, path, p)) == ids(arrow_rows(path, p)) == want, (name, path.suffix)


def test_na_values_and_strip_whitespace_on_spark(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = ["?", " ? ", "N/A", "", "  ", "x", " x\u00a0", "unknown", None, 'q"uote', "tab\t"]
    pq.write_table(pa.table({"id": list(range(len(values))), "s": values}), tmp_path / "t.parquet")
    csv_file = csv_copy([["id", "s"]] + [[str(i), v] for i, v in enumerate(values)], tmp_path / "t.csv")
    for na, strip in [((), False), (("?", "unknown"), False), (("?",), True), ((" unknown ", ""), True)]:
        p = preparation(None, list(na), strip)
        for path in (tmp_path / "t.parquet", csv_file):
            want = sorted((int(i), s) for i, s in arrow_rows(path, p, ["id", "s"]))
            assert sorted((int(i), s) for i, s in spark_rows(spark, path, p, ["id", "s"])) == want, (na, strip)
            assert sorted((int(i), s) for i, s in duckdb_rows(path, p, ["id", "s"])) == want, (na, strip)


def test_unreadable_text_is_an_error_on_spark_too(spark, tmp_path):
    csv_file = csv_copy([["id", "n"], ["0", "1"], ["1", "abc"], ["2", "12abc"]], tmp_path / "t.csv")
    with pytest.raises(FilterError) as info:
        spark_rows(spark, csv_file, preparation("id >= 0 and n > 1"))
    assert info.value.offset == 12
    assert info.value.problem == ("column 'n' of t.csv holds 2 values that are not numbers (the smallest: '12abc'), "
                                  "but the filter compares it with a number")


def test_a_filtered_card_gives_the_same_results_file_on_every_engine(spark, tmp_path):
    from cardwright._compute.analyses import compute_analyses
    from engine_data import frame, spec, text, write_all

    df = frame(rows=3000, seed=5)
    df["sex"] = df["sex"].map(lambda s: None if s is None else f"  {s} ")
    names = write_all(df, tmp_path)
    extra = {"filter": 'region != 2 and sex not in ["non-binary"] or age is missing', "na_values": ["female"],
             "strip_whitespace": True}
    for fmt in ("parquet", "csv"):
        card = spec(names[fmt])
        card = card.model_copy(update={"data": card.data.model_copy(update=extra), "reference_groups": {}})
        runs = {e: compute_analyses(card, base_dir=tmp_path, engine=e, session=spark)
                for e in ("arrow", "duckdb", "spark")}
        assert text(runs["arrow"]) == text(runs["duckdb"]) == text(runs["spark"]), fmt
        prov = runs["arrow"].provenance
        assert prov.rows_dropped["filter"] > 0
        assert prov.rows_read == 3000 == prov.rows_used + sum(prov.rows_dropped.values())


def test_a_filtered_datasheet_gives_the_same_results_file_on_every_engine(spark, tmp_path):
    from cardwright._compute.composition import compute_composition
    from cardwright.schema.analysis import CompositionData
    from engine_data import frame, text, write_all

    df = frame(rows=2000, seed=8)
    df["sex"] = df["sex"].map(lambda s: None if s is None else f" {s}\t")
    names = write_all(df, tmp_path)
    for fmt in ("parquet", "csv"):
        spec = CompositionData.model_validate({
            "path": names[fmt], "label": "y", "sensitive_attributes": ["sex", {"column": "age", "bins": [30, 60]}],
            "filter": "region in [1, 3] and s is not missing", "na_values": ["non-binary"],
            "strip_whitespace": True, "min_cell_size": 5})
        runs = {e: compute_composition(spec, base_dir=tmp_path, engine=e, session=spark)
                for e in ("arrow", "duckdb", "spark")}
        assert text(runs["arrow"]) == text(runs["duckdb"]) == text(runs["spark"]), fmt
        kept = df[df["region"].isin([1, 3]) & df["s"].notna()]
        assert runs["arrow"].rows == len(kept)
        assert runs["arrow"].provenance.rows_dropped == {"filter": len(df) - len(kept)}


def test_the_propublica_filter_keeps_6172_rows_on_spark(spark):
    """ProPublica's file as is (it repeats two column names, which Spark renames): the same count."""
    from cardwright._compute.analyses import compute_analyses
    from test_compas import COMPAS, _fetch_script, _raw_spec

    if _fetch_script().main(["--check"]) != 0:
        reason = "the COMPAS data are not here: run `python examples/compas/data/fetch_data.py`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    results = compute_analyses(_raw_spec(), base_dir=COMPAS, engine="spark", session=spark)
    prov = results.provenance
    assert (prov.rows_read, prov.rows_used, prov.rows_dropped) == (7214, 6172, {"filter": 1042})
