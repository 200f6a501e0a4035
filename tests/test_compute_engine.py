"""The counting engine on real files: formats, determinism, small and unseen groups, dropped
rows, binning, and the errors bad data ends in."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cardwright._compute.analyses import compute_analyses
from cardwright._compute.api import dumps
from cardwright.errors import DataError
from cardwright.schema.analysis import QuantitativeAnalyses


def make_frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return pd.DataFrame({
        "y": y,
        "s": (0.3 * y + 0.7 * rng.random(n)).round(2),
        "g": rng.choice(["a", "b"], n),
        "h": rng.choice(["u", "v", "w"], n, p=[0.5, 0.45, 0.05]),
        "age": rng.integers(16, 80, n),
    })


def qa(**extra) -> QuantitativeAnalyses:
    base = {
        "data": {"path": "eval.csv", "label": "y", "score": "s", "threshold": 0.5},
        "factors": ["g", "h"],
        "metrics": ["count", "accuracy", "recall", "balanced_accuracy", "f1", "roc_auc"],
        "confidence": {"resamples": 100, "seed": 0},
        "min_group_size": 30,
        "min_cell_size": 1,  # these tests are about counting; privacy has its own (test_trust_privacy.py)
    }
    return QuantitativeAnalyses.model_validate({**base, **extra})


def without_provenance(results) -> str:
    data = results.model_dump(mode="json")
    data.pop("provenance")
    return str(data)


def test_same_inputs_same_bytes_and_seed_matters(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    make_frame().to_csv(tmp_path / "eval.csv", index=False)
    first = dumps(compute_analyses(qa(), base_dir=tmp_path))
    assert first == dumps(compute_analyses(qa(), base_dir=tmp_path))
    assert first.endswith("}\n") and "NaN" not in first and '"computed_at": null' in first
    other = compute_analyses(qa(confidence={"resamples": 100, "seed": 1}), base_dir=tmp_path)
    assert dumps(other) != first
    assert other.value("f1").value == compute_analyses(qa(), base_dir=tmp_path).value("f1").value
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert compute_analyses(qa(), base_dir=tmp_path).provenance.computed_at == "2023-11-14T22:13:20Z"


def test_csv_gzip_parquet_and_in_memory_agree(tmp_path):
    frame = make_frame()
    frame.to_csv(tmp_path / "eval.csv", index=False)
    with gzip.open(tmp_path / "eval.csv.gz", "wt") as fh:
        frame.to_csv(fh, index=False)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "eval.parquet", row_group_size=64)
    reference = without_provenance(compute_analyses(qa(), frame))
    for name in ("eval.csv", "eval.csv.gz", "eval.parquet"):
        results = compute_analyses(qa(), name, base_dir=tmp_path)
        assert without_provenance(results) == reference, name
        assert results.provenance.data_path == name and len(results.provenance.data_sha256) == 64
    assert without_provenance(compute_analyses(qa(), pa.Table.from_pandas(frame))) == reference
    assert compute_analyses(qa(), frame).provenance.data_sha256 is None


def test_small_groups_are_counted_but_suppressed():
    results = compute_analyses(qa(), make_frame())
    small = {"h": "w"}
    n = next(s for s in results.slices if s.slice == small)
    assert n.suppressed and n.n < 30  # its counts follow min_cell_size, its metrics min_group_size
    for row in results.results:
        if row.slice == small:
            assert row.suppressed == (row.metric != "count")
            assert row.value is None or row.metric == "count"
            if row.metric != "count":
                assert row.reason == "fewer than 30 rows (min_group_size)"
    over_h = next(d for d in results.disparities if d.over == ["h"] and d.metric == "accuracy")
    assert over_h.groups == 2


def test_unobserved_intersections_are_listed_not_reported():
    frame = make_frame()
    frame = frame[~((frame.g == "a") & (frame.h == "v"))]
    results = compute_analyses(qa(), frame)
    assert results.unobserved == [{"g": "a", "h": "v"}]
    assert not [r for r in results.results if r.slice == {"g": "a", "h": "v"}]


def test_missing_values_are_a_group_or_dropped_and_counted():
    frame = make_frame()
    frame["g"] = frame["g"].astype(object)
    frame.loc[:9, "g"] = None
    frame["y"] = frame["y"].astype("Int64")
    frame.loc[10:14, "y"] = pd.NA
    frame.loc[15:16, "s"] = np.nan  # NaN in a DataFrame becomes a missing value in Arrow
    grouped = compute_analyses(qa(), frame)
    assert grouped.provenance.rows_dropped == {"missing_label": 5, "missing_prediction": 2}
    assert grouped.provenance.rows_used == len(frame) - 7
    assert next(s for s in grouped.slices if s.slice == {"g": "(missing)"}).n == 10
    dropped = compute_analyses(qa(missing_values="drop"), frame)
    assert dropped.provenance.rows_dropped["missing_factor"] == 10
    assert not [s for s in dropped.slices if "(missing)" in s.slice.values()]


def test_binned_factor_gets_readable_groups():
    results = compute_analyses(qa(factors=[{"column": "age", "bins": [18, 25.5, 65]}], min_group_size=1), make_frame())
    groups = [s.slice["age"] for s in results.slices if s.slice]
    assert groups == ["<18", "18-25.5", "25.5-65", ">=65"]
    named = compute_analyses(qa(factors=[{"column": "age", "bins": [40], "labels": ["young", "old"], "name": "band"}]),
                             make_frame())
    assert [s.slice for s in named.slices if s.slice] == [{"band": "young"}, {"band": "old"}]


def error_of(spec, source, **kw) -> str:
    with pytest.raises(DataError) as info:
        compute_analyses(spec, source, **kw)
    return info.value.findings[0]


def test_bad_data_ends_in_a_located_error(tmp_path):
    frame = make_frame(50)
    f = error_of(qa(), "nope.csv", base_dir=tmp_path)
    assert f.path == "nope.csv" and f.code == "data-error" and "does not exist" in f.message and f.hint
    assert "column 'zz' is not in" in error_of(qa(data={"path": "x", "label": "zz", "score": "s", "threshold": 0.5}), frame).message
    three = frame.assign(y=[0, 1, 2] * 16 + [0, 1])
    f = error_of(qa(), three)
    assert "not binary" in f.message and "2" in f.message
    f = error_of(qa(data={"path": "x", "label": "y", "prediction": "y", "score": "s", "positive_label": "yes"}), frame)
    assert "equals positive_label 'yes'" in f.message and "label column 'y' holds 0, 1" in f.message
    bad = frame.copy()
    bad.loc[7, "s"] = 1.5
    bad.to_csv(tmp_path / "eval.csv", index=False)
    assert compute_analyses(qa(), None, base_dir=tmp_path).value("count").value == 50  # any units with a threshold
    f = error_of(qa(metrics=["accuracy", "brier_score"]), None, base_dir=tmp_path)
    assert (f.path, f.line) == ("eval.csv", 9)
    assert f.message == "row 8: score 1.5 is outside [0, 1], and brier_score needs probabilities"
    bad.loc[7, "s"] = np.inf
    pq.write_table(pa.Table.from_pandas(bad), tmp_path / "eval.parquet")
    f = error_of(qa(data={"path": "eval.parquet", "label": "y", "prediction": "y", "score": "s"}), None,
                 base_dir=tmp_path)
    assert f.message == "row 8: score inf is not a finite number" and f.line is None
    f = error_of(qa(data={"path": "x", "label": "y", "prediction": "g", "positive_label": "a"}), frame)
    assert "roc_auc needs scores" in f.message
    with pytest.raises(DataError, match="no rows to compute from"):
        compute_analyses(qa(), frame.assign(y=pd.array([None] * 50, dtype="Int64")))
