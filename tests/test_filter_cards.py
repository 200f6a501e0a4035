"""A filter in a card: syntax errors at validate time and data errors at compute time are findings
at the offending token of the card (in every YAML style), with a hint; the rows it leaves out are
counted in provenance; changing it makes results stale; cards without one hash as before."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import cardwright
from conftest import run_cli

CARD = """\
kind: model-card
schema_version: 1
model_details: {{name: Filtered, version: "1.0"}}
intended_use: {{}}
factors: {{evaluation_factors: [{{name: sex}}]}}
metrics: {{}}
evaluation_data: {{}}
training_data: {{}}
ethical_considerations: {{}}
caveats_and_recommendations: {{}}
quantitative_analyses:
  data:
    path: eval.csv
    label: truth
    prediction: pred
{filter}
  factors: [sex]
  metrics: [count, accuracy]
  min_group_size: 1
  confidence: {{resamples: 0}}
"""

EVAL = "truth,pred,sex,age,région\n1,1,f,30,a\n0,1,m,17,b\n1,0,f,,?\n0,0,m,45,x\n1,1,f,52,y\n0,1,m,70, a \n"


def write_card(folder: Path, filter_lines: str, data: str = EVAL) -> Path:
    (folder / "eval.csv").write_text(data, encoding="utf-8")
    card = folder / "f.model-card.yaml"
    card.write_text(CARD.format(filter=filter_lines), encoding="utf-8")
    return card


def where(card: Path, needle: str, nth: int = 0) -> tuple[int, int]:
    """(line, column) of the ``nth`` occurrence of ``needle`` in the card's text (1-based)."""
    text = card.read_text(encoding="utf-8")
    index = [m.start() for m in re.finditer(re.escape(needle), text)][nth]
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


STYLES = {
    "plain": ('    filter: age >= 18 and région != "x" and scoer = 3', "scoer = 3"),
    "double-quoted": ('    filter: "age >= 18 and région != \\"x\\" and scoer = 3"', "scoer = 3"),
    "single-quoted": ("    filter: 'age >= 18 and région != ''x'' and scoer = 3'", "scoer = 3"),
    "folded": ('    filter: >-\n      age >= 18 and\n      région != "x" and\n      scoer = 3', "scoer = 3"),
    "literal": ('    filter: |\n      age >= 18 and\n      région != "x" and\n      scoer = 3', "scoer = 3"),
    "escaped": ('    filter: "age >= 18\\tand \\u0072égion != \\"x\\" and scoer = 3"', "scoer = 3"),
}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("style", STYLES)
def test_a_syntax_error_is_found_at_its_token_in_every_yaml_style(tmp_path, style, newline):
    lines, needle = STYLES[style]
    card = write_card(tmp_path, lines)
    card.write_bytes(card.read_bytes().replace(b"\n", newline.encode()))
    run = run_cli("validate", str(card))
    line, column = where(card, needle)
    assert run.code == 1
    assert run.out.splitlines()[:2] == [
        f"{card}:{line}:{column + 6}: error[invalid-filter]: `quantitative_analyses.data.filter`: `=` is not a "
        "comparison (character 39 of the filter)",
        "  hint: compare with `==`",
    ]


def test_a_syntax_error_in_a_datasheet_filter(tmp_path):
    sheet = tmp_path / "d.datasheet.yaml"
    text = (Path(__file__).parent / "fixtures" / "valid" / "minimal.datasheet.yaml").read_text(encoding="utf-8")
    sheet.write_text(text + 'data:\n  path: eval.csv\n  filter: sex in ["f", "m"\n', encoding="utf-8")
    run = run_cli("validate", str(sheet))
    line, column = where(sheet, "[")
    assert run.code == 1
    assert f"{sheet}:{line}:{column}: error[invalid-filter]: `data.filter`: this `[` is never closed" in run.out


@pytest.mark.parametrize(("filter_text", "needle", "message", "hint"), [
    ("agee >= 18", "agee", "no column 'agee' in eval.csv (character 1 of the filter)", "did you mean 'age'?"),
    ('age >= 18 and `sexe` == "f"', "`sexe`", "no column 'sexe' in eval.csv (character 15 of the filter)",
     "did you mean 'sex'?"),
    ("age >= 18 or sex > 3", "sex >", "column 'sex' holds 'f' (row 1 of eval.csv), which is not a number, but the "
     "filter compares it with a number (character 14 of the filter)",
     "compare text with a quoted value, or list the values that mean 'missing' in `na_values`"),
])
def test_a_filter_that_does_not_fit_the_data_is_a_finding_at_its_token(tmp_path, filter_text, needle, message, hint):
    card = write_card(tmp_path, f"    filter: {filter_text}")
    run = run_cli("compute", str(card), "--engine", "arrow")
    line, column = where(card, needle)
    assert run.code == 1
    assert run.err.splitlines()[:2] == [
        f"{card}:{line}:{column}: error[invalid-filter]: `quantitative_analyses.data.filter`: {message}",
        f"  hint: {hint}",
    ]


def test_the_same_finding_on_duckdb_names_how_many_values(tmp_path):
    pytest.importorskip("duckdb")
    card = write_card(tmp_path, "    filter: >-\n      age >= 18 or\n      sex > 3")
    run = run_cli("compute", str(card), "--engine", "duckdb")
    line, column = where(card, "sex > 3")
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"{card}:{line}:{column}: error[invalid-filter]: `quantitative_analyses.data.filter`: column 'sex' of "
        "eval.csv holds 6 values that are not numbers (the smallest: 'f'), but the filter compares it with a "
        "number (character 14 of the filter)")


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_rows_left_out_by_the_filter_are_counted_in_provenance(tmp_path, engine):
    pytest.importorskip("duckdb")
    card = write_card(tmp_path, '    filter: age >= 18 and région != "x"\n    na_values: ["?"]\n'
                                "    strip_whitespace: true")
    assert run_cli("compute", str(card), "--engine", engine).code == 0
    results = json.loads((tmp_path / "f.model-card.results.json").read_text(encoding="utf-8"))
    prov = results["provenance"]
    # kept: (1,1,f,30,a) (0,0,m,45,x)-> dropped by région, (1,1,f,52,y), (0,1,m,70," a ") -> 3 rows
    assert (prov["rows_read"], prov["rows_used"], prov["rows_dropped"]) == (6, 3, {"filter": 3})
    overall = next(r for r in results["results"] if r["slice"] == {} and r["metric"] == "count")
    assert overall["value"] == 3.0


def test_a_filter_that_keeps_nothing_says_so(tmp_path):
    card = write_card(tmp_path, "    filter: age > 1000")
    run = run_cli("compute", str(card), "--engine", "arrow")
    assert run.code == 1
    assert "the filter left no rows: it dropped all 6 rows read from" in run.err


def test_a_filter_that_keeps_every_row_is_still_recorded(tmp_path):
    card = write_card(tmp_path, "    filter: sex is not missing")
    results = cardwright.compute(cardwright.load(card), engine="arrow")
    assert results.provenance.rows_dropped == {"filter": 0}


def test_changing_the_filter_makes_results_stale(tmp_path):
    card = write_card(tmp_path, "    filter: age >= 18")
    assert run_cli("compute", str(card)).code == 0
    assert cardwright.check_results(cardwright.load(card)) == []
    card.write_text(card.read_text(encoding="utf-8").replace("age >= 18", "age >= 21"), encoding="utf-8")
    found = cardwright.check_results(cardwright.load(card))
    assert [(f.code, f.message) for f in found] == [("stale-results", "f.model-card.results.json was computed with "
                                                                         "other settings")]


def test_unset_preparation_keys_do_not_change_the_settings_hash():
    """Results computed before the keys existed stay fresh; setting any of them changes the hash."""
    from cardwright._compute.provenance import settings_sha256
    from conftest import EXAMPLES

    card = cardwright.load(EXAMPLES / "credit" / "credit.model-card.yaml")
    committed = json.loads((EXAMPLES / "credit" / "credit.model-card.results.json").read_text(encoding="utf-8"))
    qa = card.quantitative_analyses
    assert settings_sha256(qa) == committed["provenance"]["settings_sha256"]
    for extra in ({"filter": "y_true == 1"}, {"na_values": ["?"]}, {"strip_whitespace": True}):
        changed = qa.model_copy(update={"data": qa.data.model_copy(update=extra)})
        assert settings_sha256(changed) != committed["provenance"]["settings_sha256"], extra


SCORED = """\
kind: model-card
schema_version: 1
model_details: {{name: Scored, version: "1.0"}}
intended_use: {{}}
factors: {{}}
metrics: {{}}
evaluation_data: {{}}
training_data: {{}}
ethical_considerations: {{}}
caveats_and_recommendations: {{}}
quantitative_analyses:
  data:
    path: eval.csv
    label: truth
    score: s
    threshold: 0.5
    filter: {filter}
  metrics: [count, accuracy, roc_auc]
  min_group_size: 1
  confidence: {{resamples: 0}}
"""


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_the_filter_runs_before_values_are_decoded(tmp_path, engine):
    """A row the filter leaves out is never read as a label or a score (here a label that is not
    binary and scores that are not numbers); an error in a kept row names that row of the file,
    not its position among the kept rows."""
    pytest.importorskip("duckdb")
    (tmp_path / "eval.csv").write_text(
        "truth,s,keep\n1,0.9,yes\n2,oops,no\n0,0.2,yes\n0, 0.4 ,yes\n7,abc,no\n1,0.7,yes\n", encoding="utf-8")
    card = tmp_path / "s.model-card.yaml"
    card.write_text(SCORED.format(filter='keep == "yes"'), encoding="utf-8")
    assert run_cli("compute", str(card), "--engine", engine).code == 0
    results = json.loads((tmp_path / "s.model-card.results.json").read_text(encoding="utf-8"))
    assert results["provenance"]["rows_dropped"] == {"filter": 2}
    assert results["provenance"]["rows_used"] == 4
    # the same score column, now with a bad value in a kept row
    (tmp_path / "eval.csv").write_text(
        "truth,s,keep\n1,0.9,yes\n2,oops,no\n0,0.2,yes\n0,abc,yes\n1,0.7,yes\n", encoding="utf-8")
    card.write_text(SCORED.format(filter='keep == "yes"'), encoding="utf-8")
    run = run_cli("compute", str(card), "--engine", engine)
    assert run.code == 1
    if engine == "arrow":
        assert "eval.csv:5: error[data-error]: row 4: score 'abc' in column 's' is not a number" in run.err
    else:
        assert "1 values of the score column 's' in eval.csv are not numbers" in run.err
