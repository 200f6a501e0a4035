"""A datasheet's composition statistics on arrow, DuckDB and Spark: byte-identical results files.

The data has missing values (null and NaN), a label with a rare class, a rare sensitive-attribute
value, a binned attribute, and numeric columns with awkward floats (1e-300, 1e300, -0.0, the
smallest subnormal, values with many decimals) whose mean and standard deviation must not depend
on the order of summation.  Spark runs in ``local[2]`` with one session for the module; with
``CI`` set a missing pyspark or Java fails, elsewhere it skips with the reason.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from fractions import Fraction

import numpy as np
import pytest

from cardwright._compute.composition import compute_composition
from cardwright._compute.engines.exact import SQL, Moments, add_rows
from cardwright.schema.analysis import CompositionData
from engine_data import text

AWKWARD = [1e-300, 1e300, -0.0, 0.1 + 0.2, 1 / 3, -1e300, 2.0**53 + 2, 5e-324, 123.456789012345678]
SAME_DATA = ("engine", "data_path", "data_sha256", "bytes", "settings_sha256")


def frame(rows: int, seed: int = 3):
    import pandas as pd

    rng = np.random.default_rng(seed)
    sex = rng.choice(np.array(["female", "male", None], dtype=object), size=rows, p=[0.48, 0.48, 0.04])
    region = rng.choice(["north", "south", "east", "west", "isle"], size=rows, p=[0.3, 0.3, 0.2, 0.198, 0.002])
    age = rng.uniform(16, 90, size=rows).round(1)
    age[rng.random(rows) < 0.03] = np.nan
    income = rng.lognormal(10, 1, size=rows) * (1 + 1e-13 * rng.random(rows))
    income[: len(AWKWARD)] = AWKWARD
    income[len(AWKWARD): len(AWKWARD) + 20] = np.nan
    label = rng.choice(["approve", "deny", "review"], size=rows, p=[0.6, 0.398, 0.002])
    return pd.DataFrame({"label": label, "sex": sex, "region": region, "age": age, "income": income,
                         "count": rng.integers(-5, 1000, size=rows), "ident": np.arange(rows) * 1.0001})


def spec(path: str) -> CompositionData:
    return CompositionData.model_validate({
        "path": path, "label": "label", "min_cell_size": 10,
        "sensitive_attributes": ["sex", "region", {"column": "age", "bins": [30, 50, 70]}]})


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("composition")
    small, large = frame(3000), frame(12000, seed=5)
    small.to_parquet(root / "small.parquet", index=False, row_group_size=700)
    small.to_csv(root / "small.csv", index=False)
    large.to_csv(root / "large.csv", index=False)
    large.to_parquet(root / "large.parquet", index=False)
    (root / "parts").mkdir()
    shuffled = large.sample(frac=1, random_state=1)
    for i in range(4):
        shuffled.iloc[i * 3000:(i + 1) * 3000].to_parquet(root / "parts" / f"part-{i}.parquet", index=False)
    return root


def _published_counts(results) -> list[int]:
    data = json.loads(results.model_dump_json())
    counts = [g["count"] for g in data["groups"]] + [c["count"] for c in data["label_shares"] or []]
    for col in data["columns"]:
        counts += [c["count"] for c in col.get("categories") or []]
    return [c for c in counts if c is not None]


def test_exact_sums_are_exact_and_the_same_in_sql():
    duckdb = pytest.importorskip("duckdb")
    import pyarrow as pa

    rng = np.random.default_rng(7)
    x = np.concatenate([rng.normal(size=4000) * 1e5, AWKWARD, [-1.7976931348623157e308, 2.0**-1022, 0.0]])
    moments = Moments()
    moments.add_values(x)
    s1, s2 = moments.sums()
    assert s1 == sum(Fraction(v) for v in x)
    assert s2 == sum(Fraction(v) ** 2 for v in x)
    con = duckdb.connect()
    con.register("values_", pa.table({"x": rng.permutation(x)}))
    in_sql = Moments()
    add_rows(in_sql, con.sql(SQL.format(values="SELECT x FROM values_")).to_arrow_table().to_pydict())
    assert in_sql.sums() == (s1, s2)


def test_numeric_summaries_do_not_depend_on_row_order():
    x = np.random.default_rng(2).lognormal(0, 3, size=5000) * np.pi
    summaries = []
    for order in (x, x[::-1], np.random.default_rng(3).permutation(x)):
        m = Moments()
        for chunk in np.array_split(order, 7):
            m.add_values(chunk)
        summaries.append(m.summary())
    assert summaries[0] == summaries[1] == summaries[2]
    exact = sum(Fraction(v) for v in x) / len(x)
    assert summaries[0]["mean"] == float(exact)


@pytest.mark.parametrize("name", ["small.parquet", "small.csv", "large.csv", "large.parquet"])
def test_duckdb_results_are_byte_identical_to_arrow(files, name):
    pytest.importorskip("duckdb")
    arrow = compute_composition(spec(name), base_dir=files, engine="arrow")
    duck = compute_composition(spec(name), base_dir=files, engine="duckdb")
    assert duck.provenance.engine == "duckdb"
    assert text(arrow) == text(duck)
    import pandas as pd

    data = (pd.read_parquet if name.endswith(".parquet") else pd.read_csv)(files / name)
    income = next(c for c in arrow.columns if c.name == "income")
    finite = np.sort(data["income"].to_numpy()[np.isfinite(data["income"].to_numpy())])
    # -1e300 and 1e300 are one row each: an extreme is published only when min_cell_size rows hold it,
    # and the range's ends are the 10th smallest and largest values (from the value counts for the small
    # files, from the engine's ORDER BY … LIMIT for the large ones, whose values are all distinct)
    assert income.numeric is not None and income.numeric.min is None and income.numeric.max is None
    assert (income.numeric.low, income.numeric.high) == (finite[9], finite[-10])
    assert all(c >= 10 for c in _published_counts(duck))
    counts = data["region"].value_counts()
    regions = {g.slice["region"]: g for g in duck.groups if list(g.slice) == ["region"]}
    assert [v for v, n in counts.items() if n < 10 and not regions[v].suppressed] == []
    assert next(c for c in duck.columns if c.name == "region").categories is None  # published as its groups


def test_duckdb_on_shuffled_parts_matches_arrow_on_one_file(files):
    pytest.importorskip("duckdb")
    arrow = compute_composition(spec("large.parquet"), base_dir=files, engine="arrow")
    parts = compute_composition(spec("parts/*.parquet"), base_dir=files)
    assert parts.provenance.engine == "duckdb"
    assert text(arrow, drop=SAME_DATA) == text(parts, drop=SAME_DATA)
    ident = next(c for c in parts.columns if c.name == "ident")
    assert ident.distinct is None


def _spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'cardwright[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs a JRE 17 or later)"
    return None


@pytest.fixture(scope="module")
def spark():
    reason = _spark_missing()
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


@pytest.mark.slow
@pytest.mark.parametrize("name", ["small.parquet", "small.csv"])
def test_spark_results_are_byte_identical_to_arrow_and_duckdb(spark, files, name):
    runs = {engine: compute_composition(spec(name), base_dir=files, engine=engine, session=spark)
            for engine in ("arrow", "duckdb", "spark")}
    assert runs["spark"].provenance.engine == "spark"
    assert text(runs["spark"]) == text(runs["arrow"]) == text(runs["duckdb"])
    assert all(c >= 10 for c in _published_counts(runs["spark"]))


def test_spark_bias_measures_are_byte_identical_to_arrow_and_duckdb(spark, files):
    bias = CompositionData.model_validate({
        "path": "small.csv", "label": "label", "positive_label": "approve", "min_cell_size": 10,
        "sensitive_attributes": ["sex", {"column": "age", "bins": [30, 50, 70]}], "conditional_on": ["region"],
        "bias_metrics": ["class_imbalance", "difference_in_label_proportions", "js_divergence",
                         "conditional_demographic_disparity"], "confidence": {"resamples": 100}})
    runs = {engine: compute_composition(bias, base_dir=files, engine=engine, session=spark)
            for engine in ("arrow", "duckdb", "spark")}
    assert runs["spark"].bias is not None and runs["spark"].bias.measures
    assert text(runs["spark"]) == text(runs["arrow"]) == text(runs["duckdb"])
