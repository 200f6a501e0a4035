"""The Spark engine in local mode (``local[2]``, one session for the module) against the Arrow
pass and DuckDB: the same results file on the same files, a table, and a DataFrame.

CI runs these (pyspark is in [dev] and .ci/run makes sure Java is there): with ``CI`` set, a
missing pyspark or Java fails the run.  Elsewhere they are skipped with the reason."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

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


@pytest.fixture(scope="module")
def attribution_files(tmp_path_factory):
    from attribution_data import write_files

    return write_files(tmp_path_factory.mktemp("spark-attributions"), rows=400)


def test_attributions_on_spark_are_byte_identical_to_arrow(spark, attribution_files):
    import cardwright
    from attribution_data import card

    cases = (("eval.csv", "shap.parquet", None), ("eval.parquet", "shap.csv", None),
             ("eval.csv", "shap.parquet", "s >= 0.25 and g != 'c'"))
    for evaluation, attributions, keep in cases:
        loaded = card(attribution_files, evaluation, name="spark", missing="drop", keep=keep, path=attributions)
        sparked = cardwright.compute(loaded, engine="spark", session=spark)
        assert sparked.provenance.engine == "spark"
        assert (sparked.attributions.rows_dropped == 5) == (keep is None)  # the filter leaves more out
        assert text(sparked) == text(cardwright.compute(loaded, engine="arrow"))


def test_attribution_ids_are_read_as_arrow_and_duckdb_read_them(spark, tmp_path):
    """Every id case of attribution_data.ID_CASES (spaces with strip_whitespace, na_values tokens,
    integers against text, CSV and Parquet, floating-point ids): Spark writes the results file
    Arrow and DuckDB write, byte for byte, or gives their finding."""
    import cardwright
    from attribution_data import ID_CASES, id_case
    from cardwright.errors import DataError

    def outcome(loaded, engine):
        try:
            return "results", text(cardwright.compute(loaded, engine=engine, session=spark))
        except DataError as e:
            return "finding", e.findings[0].message

    for name in ID_CASES:
        loaded, finding = id_case(tmp_path, name)
        arrow = outcome(loaded, "arrow")
        assert outcome(loaded, "spark") == arrow == outcome(loaded, "duckdb"), name
        assert (arrow[0] == "finding") == (finding is not None), name


def test_attributions_from_spark_tables_and_dataframes(spark, attribution_files):
    """A table as evaluation data with the card's attribution file (a path Spark reads), and a
    DataFrame with the attributions in a table (`path: table:NAME`)."""
    import cardwright
    from attribution_data import card

    drop = SAME_DATA
    single = text(cardwright.compute(card(attribution_files, "eval.parquet"), engine="arrow"), drop=drop)
    spark.read.parquet(str(attribution_files / "eval.parquet")).createOrReplaceTempView("cw_attr_eval")
    spark.read.parquet(str(attribution_files / "shap.parquet")).createOrReplaceTempView("cw_attr_shap")
    table = cardwright.compute(card(attribution_files, "table:cw_attr_eval"), session=spark)
    assert table.provenance.engine == "spark" and text(table, drop=drop) == single
    frame_ = cardwright.compute(card(attribution_files, "eval.parquet", path="table:cw_attr_shap"),
                                data=spark.table("cw_attr_eval"))
    assert frame_.attributions.sha256 is None and frame_.attributions.path == "table:cw_attr_shap"
    expected = json.loads(single)
    got = json.loads(text(frame_, drop=drop))
    expected["attributions"].pop("sha256"), expected["attributions"].pop("path")
    got["attributions"].pop("sha256"), got["attributions"].pop("path")
    assert got["attributions"] == expected["attributions"]


def test_attribution_mismatches_and_order_on_spark(spark, attribution_files, tmp_path):
    import pandas as pd

    import cardwright
    from attribution_data import card, copy
    from cardwright.errors import DataError
    from conftest import run_cli

    copy(attribution_files, tmp_path, "eval.csv", "in_order.csv")
    values = pd.read_parquet(attribution_files / "shap.parquet")
    values.iloc[1:].to_parquet(tmp_path / "short.parquet", index=False)
    pd.concat([values, values.iloc[:1]]).to_parquet(tmp_path / "twice.parquet", index=False)

    def finding(loaded, engine):
        with pytest.raises(DataError) as e:
            cardwright.compute(loaded, engine=engine, session=spark)
        return e.value.findings[0].message

    for name in ("short.parquet", "twice.parquet"):
        loaded = card(tmp_path, "eval.csv", path=name)
        assert finding(loaded, "spark") == finding(loaded, "arrow")
    by_order = card(tmp_path, "eval.csv", name="order", path="in_order.csv", id=None)
    assert "Spark reads files in parallel" in finding(by_order, "spark")
    run = run_cli("compute", str(tmp_path / "order.model-card.yaml"), "--engine", "spark")
    assert run.code == 1 and "error[data-error]" in run.err and "hint: name an `id` column" in run.err
    assert "Traceback" not in run.err


def test_distribution_shift_on_spark(spark, tmp_path):
    import cardwright

    root = tmp_path / "credit"
    shutil.copytree(Path(__file__).resolve().parents[1] / "examples" / "credit", root)
    path = root / "credit.model-card.yaml"
    body = path.read_text(encoding="utf-8").replace(
        "quantitative_analyses:\n", "quantitative_analyses:\n  distribution_shift: {}\n", 1)
    path.write_text(body.replace("    path: data/eval.csv\n", "    path: data/eval.csv\n    filter: age >= 30\n", 1),
                    encoding="utf-8")
    loaded = cardwright.load(path)
    sparked = cardwright.compute(loaded, engine="spark", session=spark)
    assert sparked.shift is not None and sparked.shift.training_rows == 10000
    assert sparked.shift.evaluation_rows < 6000  # the evaluation data's filter applies
    assert text(sparked) == text(cardwright.compute(loaded, engine="arrow"))
