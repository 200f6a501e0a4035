"""Attributions on the Arrow pass and DuckDB: the same results file, byte for byte, whether rows
are matched by id (attribution file in another row order, CSV or Parquet) or by order (row
numbers of both files in file order), with the evaluation data as CSV, Parquet, a glob of
Parquet parts or a DataFrame; the sums agree with ``math.fsum`` on the same files; the Arrow
pass gives the same bytes when a later batch holds larger attributions than the first; and
mismatched files give the Arrow pass's findings on DuckDB too (Spark: tests/test_engines_spark.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cardwright
from attribution_data import ID_CASES, ID_ROWS, card, copy, id_case, write_files
from cardwright.errors import DataError
from engine_data import text

pytest.importorskip("duckdb")
SAME_DATA = ("engine", "data_path", "data_sha256", "bytes", "settings_sha256")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("attr-engines"))


def _both(loaded: Any, data: Any = None) -> tuple[Any, Any]:
    return (cardwright.compute(loaded, data=data, engine="arrow") if data is None else None,
            cardwright.compute(loaded, data=data, engine="duckdb"))


@pytest.mark.parametrize("evaluation", ["eval.csv", "eval.parquet"])
@pytest.mark.parametrize("attributions", [{}, {"path": "shap.csv"}, {"path": "in_order.csv", "id": None},
                                          {"path": "in_order.parquet", "id": None}])
def test_duckdb_writes_the_arrow_results_file(files: Path, evaluation: str, attributions: dict[str, Any]) -> None:
    drop = evaluation == "eval.csv"
    loaded = card(files, evaluation, missing="drop" if drop else None, **attributions)
    arrow, duck = _both(loaded)
    assert duck.provenance.engine == "duckdb" and duck.attributions is not None
    assert duck.attributions.rows_matched + duck.attributions.rows_dropped == 1200
    assert duck.attributions.rows_dropped == (5 if drop else 2)  # no score; with drop, no age or group too
    assert text(arrow) == text(duck)


@pytest.mark.parametrize("attributions", [{}, {"path": "in_order.csv", "id": None}])
def test_the_filter_leaves_the_same_rows_out_on_duckdb(files: Path, attributions: dict[str, Any]) -> None:
    """Rows the data block's filter leaves out keep their places for matching and are left out of
    the sums on both engines (here: texts compared as numbers, after na_values)."""
    loaded = card(files, "eval.csv", name="filtered", keep="s >= 0.25 and g != 'c'", **attributions)
    arrow, duck = _both(loaded)
    assert duck.attributions is not None and 300 < duck.attributions.rows_dropped < 900
    assert text(arrow) == text(duck)


def test_parts_and_a_dataframe_on_duckdb(files: Path) -> None:
    """Evaluation data as Parquet parts and as a DataFrame, by id and by order; attributions as CSV parts."""
    import pandas as pd

    for attributions in ({}, {"path": "in_order.parquet", "id": None}):
        single = text(cardwright.compute(card(files, "eval.parquet", **attributions), engine="arrow"), drop=SAME_DATA)
        parts = cardwright.compute(card(files, "parts/*.parquet", name="parts", **attributions))
        assert parts.provenance.engine == "duckdb"  # auto: a pattern
        assert text(parts, drop=SAME_DATA) == single
        frame = pd.read_parquet(files / "eval.parquet")
        in_memory = cardwright.compute(card(files, "eval.parquet", **attributions), data=frame, engine="duckdb")
        assert text(in_memory, drop=SAME_DATA) == single
    expected = json.loads(text(cardwright.compute(card(files, "eval.csv"), engine="arrow")))
    parts = json.loads(text(cardwright.compute(card(files, "eval.csv", name="csv_parts", path="shap_parts/*.csv"),
                                               engine="duckdb")))
    assert parts["attributions"].pop("path") == "shap_parts/*.csv"
    assert parts["attributions"].pop("sha256") != expected["attributions"].pop("sha256")
    expected["attributions"].pop("path")
    assert parts["attributions"] == expected["attributions"]


def test_sums_equal_fsum_on_the_same_files(files: Path) -> None:
    import pandas as pd

    duck = cardwright.compute(card(files, "eval.csv", missing="drop"), engine="duckdb").attributions
    assert duck is not None
    evaluation = pd.read_csv(files / "eval.csv")
    values = pd.read_parquet(files / "shap.parquet").set_index("row_id").loc[evaluation["row_id"]]
    band = np.array(["<30", "30-50", ">=50"])[np.searchsorted([30, 50], evaluation["age"].fillna(0), side="right")]
    kept = (evaluation["age"].notna() & evaluation["g"].notna() & evaluation["s"].notna()).to_numpy()
    checked = 0
    for row in duck.importance:
        if set(row.slice) - {"age_band"} or row.value is None:
            continue
        mask = kept & (band == row.slice["age_band"]) if row.slice else kept
        x = values[row.feature].to_numpy()[mask]
        x = np.abs(x) if row.metric == "mean_abs_attribution" else x
        assert row.n == mask.sum()
        assert row.value == pytest.approx(math.fsum(x) / len(x), rel=1e-13, abs=1e-300)
        checked += 1
    assert checked == 4 * 6 * 2


@pytest.mark.parametrize("statistics", [False, True])
def test_the_arrow_pass_rescales_when_a_later_batch_is_larger(files: Path, tmp_path: Path, statistics: bool,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Parquet statistics the scales come from the first batch, and a later, larger one
    makes the pass start again at the whole file's; with them, they come from the statistics."""
    import pandas as pd

    from cardwright._compute import attribution_sums

    copy(files, tmp_path, "eval.csv")
    values = pd.read_parquet(files / "shap.parquet")
    values.loc[values.index[:100], "f3"] *= 1e-12  # the first batch's scale would overflow on the others
    values.to_parquet(tmp_path / "shap.parquet", index=False, write_statistics=statistics)
    loaded = card(tmp_path, "eval.csv")
    duck = cardwright.compute(loaded, engine="duckdb")
    monkeypatch.setattr(attribution_sums, "batch_rows", lambda _features: 100)  # twelve batches
    passes: list[int] = []
    monkeypatch.setattr(attribution_sums, "Sums", _counted(attribution_sums.Sums, passes))
    assert text(cardwright.compute(loaded, engine="arrow")) == text(duck)
    assert len(passes) == (1 if statistics else 2)


def _counted(cls: Any, passes: list[int]) -> Any:
    class Counted(cls):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any) -> None:
            passes.append(1)
            super().__init__(*args)
    return Counted


@pytest.mark.parametrize("factor", [1e-6, 0.25, 4.0, 1e6])
def test_parquet_statistics_that_misstate_the_values_change_nothing(files: Path, tmp_path: Path,
                                                                    factor: float) -> None:
    """The scales taken from a Parquet file's statistics are checked against the values read:
    statistics (here another real file's) that understate them make the pass read the bounds
    and start again, ones that overstate them make it sum again at the values' own scales; the
    sums are those of the file read without statistics."""
    import pandas as pd

    from cardwright._compute import attribution_sums
    from cardwright._compute.reading import open_source

    values = pd.read_parquet(files / "shap.parquet").drop(columns="row_id")
    values.to_parquet(tmp_path / "honest.parquet", index=False, write_statistics=False)
    (values * factor).to_parquet(tmp_path / "other.parquet", index=False)
    features = list(values.columns)
    cell = np.random.default_rng(0).integers(0, 5, len(values))

    def sums(misstated: bool) -> Any:
        src = open_source(path=tmp_path / "honest.parquet")
        if misstated:
            src.metadata = open_source(path=tmp_path / "other.parquet").metadata
            assert attribution_sums.stored_bounds(src, features) is not None
        return attribution_sums.sum_cells(src, features, cell, None, "honest.parquet", None)

    honest, misstated = sums(False), sums(True)
    assert misstated.scales == honest.scales
    assert np.array_equal(misstated.digits, honest.digits) and np.array_equal(misstated.n, honest.n)


def _finding(loaded: Any, engine: str) -> str:
    with pytest.raises(DataError) as e:
        cardwright.compute(loaded, engine=engine)
    return e.value.findings[0].message


def test_mismatched_files_give_the_same_findings_on_duckdb(files: Path, tmp_path: Path, cli: Any) -> None:
    import pandas as pd

    copy(files, tmp_path, "eval.csv", "eval.parquet")
    values = pd.read_parquet(files / "shap.parquet")
    values.iloc[1:].to_parquet(tmp_path / "short.parquet", index=False)
    pd.concat([values, values.iloc[:1]]).to_parquet(tmp_path / "twice.parquet", index=False)
    renamed = values.copy()
    renamed.loc[renamed.index[4], "row_id"] = "elsewhere"
    renamed.to_parquet(tmp_path / "other_ids.parquet", index=False)
    no_id = values.copy()
    no_id.loc[no_id.index[2], "row_id"] = None
    no_id.to_parquet(tmp_path / "no_id.parquet", index=False)
    values.drop(columns="row_id").iloc[:-3].to_parquet(tmp_path / "in_order.parquet", index=False)
    cases = {"short.parquet": "the attribution file has 1,199 rows", "twice.parquet": "more than once",
             "other_ids.parquet": "1 attribution ids are not in the evaluation data", "no_id.parquet": "have no id"}
    for name, words in cases.items():
        loaded = card(tmp_path, "eval.parquet", path=name)
        arrow, duck = _finding(loaded, "arrow"), _finding(loaded, "duckdb")
        assert words in arrow and duck == arrow
    by_order = card(tmp_path, "eval.csv", name="order", path="in_order.parquet", id=None)
    assert _finding(by_order, "duckdb") == _finding(by_order, "arrow") == \
        "the attribution file has 1,197 rows and the evaluation data 1,200"
    holes = values.copy()
    holes.iloc[5, 3] = np.nan
    holes.to_parquet(tmp_path / "holes.parquet", index=False)
    holed = card(tmp_path, "eval.csv", name="holes", path="holes.parquet")
    assert "is missing or not a finite number" in _finding(holed, "duckdb")
    assert "is missing or not a finite number" in _finding(holed, "arrow")
    run = cli("compute", str(tmp_path / "attr.model-card.yaml"), "--engine", "duckdb")
    assert run.code == 1 and "error[data-error]" in run.err and "have no id" in run.err
    assert "Traceback" not in run.err and not (tmp_path / "attr.results.json").exists()


def _outcome(loaded: Any, engine: str, session: Any = None) -> tuple[str, str]:
    """``("results", the results file)`` or ``("finding", its message)``."""
    try:
        return "results", text(cardwright.compute(loaded, engine=engine, session=session))
    except DataError as e:
        return "finding", e.findings[0].message


@pytest.mark.parametrize("name", list(ID_CASES))
def test_ids_are_read_the_same_way_on_arrow_and_duckdb(tmp_path: Path, name: str) -> None:
    """Spaces around ids with strip_whitespace, an id equal to an na_values token, integer ids in
    one file and text in the other, CSV and Parquet: the same results file or the same finding
    (Spark: tests/test_engines_spark.py)."""
    loaded, finding = id_case(tmp_path, name)
    arrow, duck = _outcome(loaded, "arrow"), _outcome(loaded, "duckdb")
    assert arrow == duck
    if finding is None:
        assert arrow[0] == "results" and json.loads(arrow[1])["attributions"]["rows_matched"] == ID_ROWS
    else:
        assert arrow[0] == "finding" and finding in arrow[1], arrow


def _located(loaded: Any, engine: str) -> tuple[str, tuple[str | int, ...] | None, int | None]:
    with pytest.raises(DataError) as e:
        cardwright.compute(loaded, engine=engine)
    found = e.value.findings[0]
    return found.message, found.loc, found.line


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_a_feature_named_twice_is_a_finding_at_its_second_mention(files: Path, tmp_path: Path, engine: str) -> None:
    """`features: [f0, f0]` passes the schema; the Arrow pass stopped with an internal error
    (a table with the column twice)."""
    copy(files, tmp_path, "eval.csv", "shap.parquet")
    loaded = card(tmp_path, "eval.csv", features=["f1", "f0", "f1"])
    message, loc, line = _located(loaded, engine)
    assert message == "feature 'f1' is listed 2 times"
    assert loc == ("quantitative_analyses", "attributions", "features", 2)
    assert line == loaded.locate(loc)[0]


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_an_attribution_file_that_is_a_fifo_is_said_at_its_own_key(files: Path, tmp_path: Path, engine: str) -> None:
    """Refused before anything reads it, and said of the attribution file at `attributions.path`
    on every engine (the Arrow pass said "the data file" at the evaluation data's `path:`)."""
    import os

    copy(files, tmp_path, "eval.csv")
    os.mkfifo(tmp_path / "pipe.csv")
    loaded = card(tmp_path, "eval.csv", path="pipe.csv")
    message, loc, _ = _located(loaded, engine)
    assert message == "the attribution file 'pipe.csv' is a FIFO (named pipe), not a regular file"
    assert loc == ("quantitative_analyses", "attributions", "path")


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_a_missing_attribution_file_is_said_with_a_hint_about_its_own_key(files: Path, tmp_path: Path,
                                                                        engine: str) -> None:
    """The hint named the card's `data:` (the evaluation data's key), not `attributions:`."""
    copy(files, tmp_path, "eval.csv")
    loaded = card(tmp_path, "eval.csv", path="nowhere.parquet")
    with pytest.raises(DataError) as e:
        cardwright.compute(loaded, engine=engine)
    found = e.value.findings[0]
    assert found.message == "the attribution file 'nowhere.parquet' does not exist"
    assert found.loc == ("quantitative_analyses", "attributions", "path")
    assert found.hint is not None and "`attributions:`" in found.hint and "`data:`" not in found.hint
