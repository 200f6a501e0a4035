"""Choosing an engine: `auto`, engines that are not installed, inputs an engine cannot read, the
command line's --engine, and staleness checks on globs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from cardwright._compute import engines
from cardwright._compute.analyses import compute_analyses
from cardwright.errors import UsageError
from engine_data import frame, spec, write_all

pytest.importorskip("duckdb", reason="the duckdb extra is part of [dev]")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("choice")
    write_all(frame(rows=800, distinct_scores=11), root)
    return root


def test_auto_picks_arrow_for_a_file_and_duckdb_for_patterns(folder, monkeypatch):
    small = engines.resolve(None, "eval.parquet", None, folder)
    assert engines.choose("auto", small) == ("arrow", "arrow (auto)")
    assert engines.choose("auto", engines.resolve(None, "parts/*.parquet", None, folder))[0] == "duckdb"
    assert engines.choose("auto", engines.resolve(None, "hive", None, folder))[0] == "duckdb"
    assert engines.choose("auto", engines.resolve(None, "table:db.eval", None, folder))[0] == "spark"
    monkeypatch.setattr(engines.Input, "size", property(lambda _: 64 << 30))  # a file of 64 GiB: still one file
    big = engines.resolve(None, "eval.parquet", None, folder)
    assert big.size == 64 << 30 and engines.choose("auto", big)[0] == "arrow"
    assert compute_analyses(spec("parts/*.parquet"), base_dir=folder).provenance.engine == "duckdb"


def test_an_engine_that_is_not_installed_names_its_extra(folder, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(UsageError) as info:
        compute_analyses(spec("eval.parquet"), base_dir=folder, engine="duckdb")
    f = info.value.findings[0]
    assert info.value.exit_code == 2 and f.code == "missing-dependency"
    assert f.hint == "pip install 'cardwright[duckdb]'"
    with pytest.raises(UsageError, match="needs the duckdb engine") as info:
        compute_analyses(spec("parts/*.parquet"), base_dir=folder)
    assert info.value.findings[0].hint == "pip install 'cardwright[duckdb]'"


def test_inputs_an_engine_cannot_read(folder):
    with pytest.raises(UsageError, match="arrow engine reads one file") as info:
        compute_analyses(spec("parts/*.parquet"), base_dir=folder, engine="arrow")
    assert "engine: duckdb" in info.value.findings[0].hint
    with pytest.raises(UsageError, match="duckdb engine cannot read a Spark table"):
        compute_analyses(spec("table:db.eval"), base_dir=folder, engine="duckdb")


def test_cli_engine_flag_and_stale_glob(folder, tmp_path, cli):
    import shutil

    shutil.copytree(folder / "parts", tmp_path / "parts")
    card = yaml.safe_load((Path(__file__).parent / "fixtures" / "valid" / "minimal.model-card.yaml").read_text())
    card["quantitative_analyses"] = {
        "data": {"path": "parts/*.parquet", "label": "y", "score": "s", "threshold": 0.5, "positive_label": "yes"},
        "factors": ["sex"], "metrics": ["accuracy"], "confidence": {"resamples": 0}}
    (tmp_path / "m.model-card.yaml").write_text(yaml.safe_dump(card, sort_keys=False))
    arrow = cli("compute", "m.model-card.yaml", "--engine", "arrow", cwd=tmp_path)
    assert arrow.code == 2 and "the arrow engine reads one file" in arrow.err
    run = cli("compute", "m.model-card.yaml", "--engine", "duckdb", cwd=tmp_path)
    assert run.code == 0, run.err
    results = (tmp_path / "m.model-card.results.json").read_text()
    assert '"engine": "duckdb"' in results and '"data_path": "parts/*.parquet"' in results
    assert cli("validate", "--strict", "m.model-card.yaml", cwd=tmp_path).err.count("stale-results") == 0
    (tmp_path / "parts" / "part-0.parquet").unlink()
    stale = cli("validate", "--strict", "m.model-card.yaml", cwd=tmp_path)
    assert "changed since" in stale.out + stale.err
