"""The Spark engine in local mode (``local[2]``, one session for the module) against the Arrow
pass and DuckDB: the same results file on the same files, a table, and a DataFrame.

CI runs these (pyspark is in [dev] and .ci/run makes sure Java is there): with ``CI`` set, a
missing pyspark or Java fails the run.  Elsewhere they are skipped with the reason."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

from cardwright._compute.analyses import compute_analyses
from engine_data import frame, spec, text, write_all

pytestmark = pytest.mark.slow  # Spark: a JVM and seconds per test

SAME_DATA = ("engine", "data_path", "data_sha256", "bytes", "settings_sha256")


def _missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'cardwright[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs a JRE 17 or later)"
    return None


@pytest.fixture(scope="module")
def spark():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the Spark tests must run in CI: {reason}")
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("cardwright-tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2").config("spark.default.parallelism", "2")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark")
    return root, write_all(frame(), root), write_all(frame(rows=1500, distinct_scores=37, seed=9), root / "exact")


def test_spark_results_are_byte_identical_to_arrow_and_duckdb(spark, files):
    root, names, _ = files
    runs = {engine: compute_analyses(spec(names["parquet"]), base_dir=root, engine=engine, session=spark)
            for engine in ("arrow", "duckdb", "spark")}
    assert runs["spark"].provenance.engine == "spark"
    assert runs["arrow"].settings.auc.method == "binned"
    assert text(runs["spark"]) == text(runs["arrow"]) == text(runs["duckdb"])


def test_csv_with_exact_scores_on_spark(spark, files):
    root, _, names = files
    arrow = compute_analyses(spec(names["csv"]), base_dir=root / "exact", engine="arrow")
    sparked = compute_analyses(spec(names["csv"]), base_dir=root / "exact", engine="spark", session=spark)
    assert arrow.settings.auc.method == "exact" and arrow.settings.auc.bins == 37
    assert text(arrow) == text(sparked)


def test_table_name_and_dataframe(spark, files):
    root, names, _ = files
    single = text(compute_analyses(spec(names["parquet"]), base_dir=root, engine="arrow"), drop=SAME_DATA)
    spark.read.parquet(str(root / names["parquet"])).createOrReplaceTempView("cardwright_eval")
    table = compute_analyses(spec("table:cardwright_eval"), base_dir=root, session=spark)
    assert table.provenance.engine == "spark" and table.provenance.data_sha256 is None
    assert text(table, drop=SAME_DATA) == single
    frame_ = compute_analyses(spec("x"), spark.table("cardwright_eval").where("region >= 2"))
    expected = compute_analyses(spec("x"), frame().query("region >= 2"), engine="arrow")
    assert text(frame_, drop=SAME_DATA) == text(expected, drop=SAME_DATA)
