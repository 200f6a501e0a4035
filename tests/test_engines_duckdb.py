"""The DuckDB engine against the built-in Arrow pass: the same results file, byte for byte (less
``provenance.engine``), on single files, CSV, globs and hive-partitioned folders."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cardwright._compute.analyses import compute_analyses
from cardwright._compute.api import dumps
from engine_data import frame, spec, text, write_all

pytest.importorskip("duckdb", reason="the duckdb extra is part of [dev]")

SAME_DATA = ("engine", "data_path", "data_sha256", "bytes", "settings_sha256")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("engines")
    out = {}
    for name, df in {"binned": frame(), "exact": frame(distinct_scores=101)}.items():
        out[name] = (root / name, write_all(df, root / name), df)
    return out


@pytest.mark.parametrize("scores", ["binned", "exact"])
@pytest.mark.parametrize("layout", ["parquet", "csv"])
def test_duckdb_results_are_byte_identical_to_arrow(files, scores, layout):
    folder, names, _ = files[scores]
    arrow = compute_analyses(spec(names[layout]), base_dir=folder, engine="arrow")
    duck = compute_analyses(spec(names[layout]), base_dir=folder, engine="duckdb")
    assert (arrow.provenance.engine, duck.provenance.engine) == ("arrow", "duckdb")
    assert arrow.settings.auc.method == scores
    assert text(arrow) == text(duck)
    arrow.provenance.engine = "duckdb"  # the one difference; the content digest covers it
    assert dumps(arrow) == dumps(duck)


def test_groups_and_dropped_rows_are_the_data_s(files):
    """Labels of binned factors, the explicit missing group and the dropped rows by reason,
    checked against pandas (not only against the other engine)."""
    folder, names, df = files["binned"]
    res = compute_analyses(spec(names["parquet"], min_cell_size=1), base_dir=folder, engine="duckdb")
    missing_label = int(df["y"].isna().sum())
    missing_score = int((df["y"].notna() & df["s"].isna()).sum())
    assert res.provenance.rows_dropped == {"missing_label": missing_label, "missing_prediction": missing_score}
    assert res.provenance.rows_read == len(df)
    ages = {s.slice["age_band"] for s in res.slices if list(s.slice) == ["age_band"]}
    assert ages == {"<25", "25-45", "45-65", ">=65", "(missing)"}
    sexes = {s.slice["sex"]: s.n for s in res.slices if list(s.slice) == ["sex"]}
    kept = df[df["y"].notna() & df["s"].notna()]
    assert sexes == {**kept["sex"].value_counts().to_dict(), "(missing)": int(kept["sex"].isna().sum())}


@pytest.mark.parametrize("layout", ["glob", "hive"])
def test_globs_and_hive_folders_give_the_single_file_s_numbers(files, layout):
    folder, names, _ = files["binned"]
    single = compute_analyses(spec(names["parquet"]), base_dir=folder, engine="arrow")
    many = compute_analyses(spec(names[layout]), base_dir=folder, engine="auto")
    assert many.provenance.engine == "duckdb"
    assert text(single, drop=SAME_DATA) == text(many, drop=SAME_DATA)
    assert many.provenance.bytes == sum(p.stat().st_size for p in (folder / names[layout].split("/")[0]).rglob("*.parquet"))


def test_bins_do_not_depend_on_row_order(files, tmp_path):
    """The binned edges come from the whole column: reordering the rows changes nothing."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    _, _, df = files["binned"]
    shuffled = df.sample(frac=1.0, random_state=7)
    pq.write_table(pa.Table.from_pandas(shuffled, preserve_index=False), tmp_path / "shuffled.parquet")
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), tmp_path / "eval.parquet")
    results = [compute_analyses(spec(name), base_dir=tmp_path, engine=engine)
               for name in ("eval.parquet", "shuffled.parquet") for engine in ("arrow", "duckdb")]
    texts = {text(r, drop=SAME_DATA) for r in results}
    assert len(texts) == 1


def test_prediction_column_and_drop_mode(files, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    _, _, df = files["binned"]
    df = df.assign(pred=np.where(df["s"].fillna(0) > 0.4, "yes", "no"))
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), tmp_path / "p.parquet")
    qa = spec("p.parquet", threshold=False, missing_values="drop")
    arrow = compute_analyses(qa, base_dir=tmp_path, engine="arrow")
    duck = compute_analyses(qa, base_dir=tmp_path, engine="duckdb")
    assert "missing_factor" in arrow.provenance.rows_dropped
    assert text(arrow) == text(duck)


def test_in_memory_table_on_duckdb(files):
    _, _, df = files["exact"]
    arrow = compute_analyses(spec("x"), df, engine="arrow")
    duck = compute_analyses(spec("x"), df, engine="duckdb")
    assert text(arrow) == text(duck)


def test_sql_reads_quoted_identifiers_as_names(tmp_path):
    """Column names holding quotes, dots and SQL are identifiers, never SQL."""
    import pandas as pd

    rng = np.random.default_rng(0)
    evil = 'g"; DROP TABLE x; --'
    df = pd.DataFrame({"la.bel": rng.integers(0, 2, 400), "p'red": rng.integers(0, 2, 400),
                       evil: rng.choice(["a", "b"], 400)})
    df.to_parquet(tmp_path / "q.parquet")
    from cardwright.schema.analysis import QuantitativeAnalyses

    qa = QuantitativeAnalyses.model_validate({"data": {"path": "q.parquet", "label": "la.bel", "prediction": "p'red"},
                                              "factors": [evil], "metrics": ["accuracy"],
                                              "confidence": {"resamples": 0}})
    arrow = compute_analyses(qa, base_dir=tmp_path, engine="arrow")
    duck = compute_analyses(qa, base_dir=tmp_path, engine="duckdb")
    assert text(arrow) == text(duck)
    assert {json.dumps(s.slice) for s in duck.slices} >= {json.dumps({evil: "a"}), json.dumps({evil: "b"})}
