"""Computing from cards: results files beside the card, stale and missing results, failed gates,
`cardwright compute`, the shipped example, datasheet composition and the published fixtures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import cardwright
from cardwright._compute.api import check_results, compute_card, dumps, load_results, results_path, write_results
from cardwright.errors import DataError

EXAMPLE = Path(__file__).parents[1] / "examples" / "credit"


@pytest.fixture
def credit(tmp_path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "credit")
    for old in (tmp_path / "credit").glob("*.results.json"):
        old.unlink()
    return tmp_path / "credit"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fewer_resamples(card: Path) -> None:
    edit(card, "resamples: 1000", "resamples: 50")


def test_results_live_beside_the_card_and_round_trip(credit):
    fewer_resamples(credit / "credit.model-card.yaml")
    card = cardwright.load(credit / "credit.model-card.yaml")
    assert results_path(card) == credit / "credit.model-card.results.json"
    assert load_results(card) is None
    results = compute_card(card)
    written = write_results(card, results)
    assert written.read_text(encoding="utf-8") == dumps(results)
    assert load_results(card) == results
    assert results.provenance.data_path == "data/eval.csv"
    assert results.provenance.rows_read == 6000 and results.provenance.rows_dropped == {}
    assert results.settings.auc.method == "exact"
    sheet = cardwright.load(credit / "credit.datasheet.yaml")
    assert results_path(sheet) == credit / "credit.datasheet.results.json"


def test_check_results_reports_missing_stale_and_failed_gates(credit):
    path = credit / "credit.model-card.yaml"
    fewer_resamples(path)
    card = cardwright.load(path)
    [missing] = check_results(card)
    assert (missing.code, missing.severity, missing.path) == ("missing-results", "error", str(path))
    assert missing.line == card.locate(("quantitative_analyses",))[0]
    write_results(card, compute_card(card))
    # only the race gate's note: a warning gate that cannot check the hidden groups
    [note] = check_results(cardwright.load(path))
    assert (note.code, note.severity, note.loc) == ("gate-failed", "note", ("quantitative_analyses", "gates", 1))
    edit(path, "min_group_size: 30", "min_group_size: 31")
    [stale] = check_results(cardwright.load(path))
    assert stale.code == "stale-results" and "other settings" in stale.message
    edit(path, "min_group_size: 31", "min_group_size: 30")
    with (credit / "data" / "eval.csv").open("a") as fh:
        fh.write("0,0.5,female,white,30,west\n")
    [stale] = check_results(cardwright.load(path))
    assert stale.code == "stale-results" and "changed" in stale.message
    edit(path, "max_difference: 0.05", "max_difference: 0.0001")
    card = cardwright.load(path)
    write_results(card, compute_card(card))
    [failed] = [f for f in check_results(card) if f.severity == "error"]
    assert failed.code == "gate-failed" and failed.loc == ("quantitative_analyses", "gates", 0)
    assert failed.line == card.locate(("quantitative_analyses", "gates", 0))[0]
    assert "must be at most 0.0001" in failed.message


def test_cli_compute_writes_results_and_exits_1_on_a_failed_gate(credit, cli):
    path = credit / "credit.model-card.yaml"
    fewer_resamples(path)
    ok = cli("compute", str(path))
    assert (ok.code, ok.out) == (0, ""), ok.err
    assert ok.err.endswith(f"\nwrote {credit / 'credit.model-card.results.json'}\n")
    said = [line for line in ok.err.splitlines() if line.startswith(str(path))]
    assert len(said) == 2 and "warning[mostly-hidden]" in said[0]
    # a failed gate is a finding located at the gate, with a hint, as `validate --strict` says it
    line, column = cardwright.load(path).locate(("quantitative_analyses", "gates", 1))
    assert said[1] == (f"{path}:{line}:{column}: note[gate-failed]: gate on selection_rate over race cannot be "
                       "evaluated: 4 of 6 groups are hidden: 4 by min_cell_size 10 (a count the value is made of is "
                       "below 10, or would give one away; more rows or coarser groups would show it); the gate "
                       "cannot check every group, so it fails (severity: warning)"), said[1]
    assert ok.err.splitlines()[ok.err.splitlines().index(said[1]) + 1].startswith("  hint: ")
    edit(path, "max_difference: 0.05", "max_difference: 0.0001")
    out = credit / "elsewhere.json"
    failed = cli("compute", str(path), "-o", str(out), "--progress")
    assert failed.code == 1
    line, column = cardwright.load(path).locate(("quantitative_analyses", "gates", 0))
    assert (f"{path}:{line}:{column}: error[gate-failed]: gate failed: false_negative_rate difference over sex is 0.0"
            in failed.err), failed.err
    assert "counting: 6.00k rows" in failed.err  # tqdm's bar on stderr
    assert json.loads(out.read_text())["gates"][0]["passed"] is False
    sheet = cli("compute", str(credit / "credit.datasheet.yaml"))
    assert sheet.code == 0 and (credit / "credit.datasheet.results.json").exists()
    refused = cli("compute", str(path), "-o", str(credit / "credit.datasheet.yaml"))
    assert refused.code == 1 and "refusing to overwrite an input file" in refused.err


def test_a_missing_data_file_is_reported_at_the_card_key(credit):
    path = credit / "credit.model-card.yaml"
    edit(path, "path: data/eval.csv", "path: data/gone.csv")
    card = cardwright.load(path)
    with pytest.raises(DataError) as info:
        compute_card(card)
    f = info.value.findings[0]
    assert f.path == str(path) and f.line == card.locate(("quantitative_analyses", "data", "path"))[0]
    assert "data/gone.csv" in f.message


def test_in_memory_data_replaces_the_file(credit):
    import pandas as pd

    fewer_resamples(credit / "credit.model-card.yaml")
    card = cardwright.load(credit / "credit.model-card.yaml")
    frame = pd.read_csv(credit / "data" / "eval.csv").head(3000)
    results = compute_card(card, data=frame)
    assert results.provenance.rows_read == 3000 and results.provenance.data_path is None


def test_the_example_cards_compute(credit):
    card = cardwright.load(credit / "credit.model-card.yaml")
    results = compute_card(card)
    assert results.settings.resamples == 1000
    sex, race = results.gates
    assert sex.passed and not race.passed and race.severity == "warning"
    assert race.value is None and "4 of 6 groups are hidden: 4 by min_cell_size 10" in (race.reason or "")
    assert {r.interval for r in results.results if r.ci_low is not None} <= {"wilson", "delong-logit", "auc-score"}
    assert all(d.ci_low is not None for d in results.disparities if d.difference is not None and d.groups > 1)
    sheet = compute_card(cardwright.load(credit / "credit.datasheet.yaml"))
    assert sheet.rows == 10_000 and sheet.sensitive_attributes == ["sex", "race", "age_band"]
    assert all(g.count is None or g.count >= 10 for g in sheet.groups)


def test_composition_suppresses_small_cells_and_their_complements():
    from compute_examples import example_composition, example_frame

    results = example_composition()
    k = results.min_cell_size
    bands = [g for g in results.groups if list(g.slice) == ["age_band"]]
    hidden = [g.slice["age_band"] for g in bands if g.suppressed]
    assert hidden == ["<25", ">=65"]  # >=65 has 20 rows; <25 hides it from the total
    assert all(g.count >= k for g in results.groups if not g.suppressed)
    assert results.unobserved == [{"sex": "female", "age_band": ">=65"}]
    # male × <25 is hidden too: with female × <25 published it would give <25 away, and so >=65
    hidden_pairs = [g.slice for g in results.groups if len(g.slice) == 2 and g.suppressed]
    assert hidden_pairs == [{"sex": "male", "age_band": "<25"}, {"sex": "male", "age_band": ">=65"}]
    age = next(c for c in results.columns if c.name == "age")
    ages = np.sort(example_frame()["age"].to_numpy())
    # fewer than 25 rows hold the youngest or the oldest age: the range ends are the 25th values
    assert (ages == ages[0]).sum() < k and age.numeric.min is None and age.numeric.max is None
    assert (age.numeric.low, age.numeric.high) == (ages[k - 1], ages[-k])
    assert age.categories is None and age.distinct == 58


def test_published_fixtures_are_current(pinned):
    """The results fixtures other tests read are what compute gives now (apart from the version
    that wrote them)."""
    from compute_examples import COMPOSITION, RESULTS, example_composition, example_results

    for path, results in ((RESULTS, example_results()), (COMPOSITION, example_composition())):
        if path.exists():  # the version that wrote the file is not part of what is pinned
            published = json.loads(path.read_text(encoding="utf-8"))["provenance"]["tool_version"]
            results.provenance.tool_version = published
        pinned(path, dumps(results))
    example = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert [g["passed"] for g in example["gates"]] == [False, False]
    # the age bands' false positive counts are hidden: the gate cannot check those groups, and says why
    assert example["gates"][1]["value"] is None
    assert example["gates"][1]["reason"].startswith("3 of 4 groups are hidden: 2 by min_cell_size 3")
    assert example["unobserved"] and any(r["suppressed"] for r in example["results"])
