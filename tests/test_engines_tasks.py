"""Every task gives the same results file, byte for byte, on the Arrow pass, DuckDB (Parquet, CSV,
several Parquet parts) and Spark (local[2]): weights, thresholds, probability metrics on binned
scores, class scores, histograms, booleans, missing values of every input, and gates of every
kind (see task_data.py)."""

from __future__ import annotations

import pytest

from cardwright._compute.analyses import compute_analyses
from engine_data import text, write_all
from task_data import SPECS, frame, spec
from test_engines_spark import spark  # noqa: F401  (the module's Spark session fixture)

DATA = ("engine", "data_path", "data_sha256", "bytes", "settings_sha256")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("tasks")
    return root, write_all(frame().assign(region=1), root)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_arrow_and_duckdb_agree_byte_for_byte_on_every_layout(files, name):
    root, names = files
    arrow = text(compute_analyses(spec(name, names["parquet"]), base_dir=root, engine="arrow"), drop=DATA)
    for layout in ("parquet", "csv", "glob"):
        duck = compute_analyses(spec(name, names[layout]), base_dir=root, engine="duckdb")
        assert duck.provenance.engine == "duckdb"
        assert text(duck, drop=DATA) == arrow, (name, layout)
    assert text(compute_analyses(spec(name, names["csv"]), base_dir=root, engine="arrow"), drop=DATA) == arrow


@pytest.mark.slow
def test_spark_agrees_byte_for_byte_for_every_task(spark, files):  # noqa: F811
    root, names = files
    for name in sorted(SPECS):
        arrow = compute_analyses(spec(name, names["parquet"]), base_dir=root, engine="arrow")
        runs = [compute_analyses(spec(name, names[layout]), base_dir=root, engine="spark", session=spark)
                for layout in ("parquet", "csv")]
        for run in runs:
            assert run.provenance.engine == "spark"
            assert text(run, drop=DATA) == text(arrow, drop=DATA), name


def test_every_feature_is_exercised(files):
    """The specs reach what they are meant to: binned scores, weights, histograms, gates of each kind."""
    root, names = files
    got = {name: compute_analyses(spec(name, names["parquet"]), base_dir=root, engine="arrow") for name in SPECS}
    assert got["binary"].settings.auc.method == "binned" and got["binary"].settings.thresholds == [0.3, 0.5, 0.7]
    assert got["binary"].value("log_loss").value > 0
    bins = [b for t in got["binary"].calibration or [] for b in t.bins]
    assert any(b.suppressed for b in bins) and any(not b.suppressed for b in bins)
    assert got["binary_weighted"].settings.effective_sample_size == "kish"
    assert got["multiclass"].settings.classes == ["ant", "bee", "cat", "dog"]
    assert got["regression"].settings.quantiles.method == "binned"
    assert got["scored_boolean"].settings.quantiles.method == "exact"
    kinds = {g.kind for r in got.values() for g in r.gates}
    assert kinds == {"min", "max", "min_ratio", "max_difference"}
    assert got["binary"].gates[1].severity == "warning"
    dropped = got["regression"].provenance.rows_dropped
    assert dropped["missing_label"] > 0 and dropped["missing_prediction"] > 0
    assert got["scored_signed"].provenance.rows_dropped["missing_weight"] > 0
