"""Calibration tables are protected with every other count (issue 16, item 2).

A binary card with ``expected_calibration_error`` publishes, per probability bin of a slice, the
rows and (through the share of positives) the positives.  Those counts are cells of the same
grid as the slices' confusion counts, so no table — shown, suppressed in part, or withheld — lets
a reader work out a small count.  The attacker's audit (:mod:`privacy_audit`, cells counted from
the data with numpy by :mod:`audit_model_card` and :mod:`audit_tasks`) reads the calibration
tables of the results file, the JSON render and the reliability diagram's description; random
cards are audited in tests/test_task_privacy.py.  Each check is shown not to be vacuous: the
tables of earlier releases, or one hidden bin put back, are caught.
"""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

import cardwright
from card_heads import model_card_head
from cardwright._compute.analyses import compute_analyses
from cardwright._compute.api import dumps
from cardwright._compute.results_file import read_results, seal
from cardwright.errors import CardwrightError
from cardwright.schema.analysis import QuantitativeAnalyses
from cardwright.schema.results import AnalysisResults
from conftest import EXAMPLES, published_outputs, run_cli
from privacy_audit import audit

CREDIT = EXAMPLES / "credit"
FORMATS = ("results", "json", "md", "html", "huggingface", "cyclonedx")
#: The shipped credit card with expected_calibration_error over two bins, its threshold at 0.45:
#: some tables are shown whole, some with a bin hidden to protect another count, the others
#: withheld for holding a bin of fewer than min_cell_size positives or negatives.
CALIBRATED = {"calibration_bins": 2, "threshold": 0.45}


def _calibrated_card(folder) -> None:
    path = folder / "credit.model-card.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    - roc_auc\n  confidence:", "    - roc_auc\n    - expected_calibration_error\n"
                        f"  calibration_bins: {CALIBRATED['calibration_bins']}\n  confidence:", 1)
    text = text.replace("    threshold: 0.8\n", f"    threshold: {CALIBRATED['threshold']}\n", 1)
    # at this threshold a sex's false negatives are hidden, so its gate cannot be checked: advisory here
    text = text.replace("      max_difference: 0.05\n", "      max_difference: 0.05\n      severity: warning\n", 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("calibrated") / "credit"
    shutil.copytree(CREDIT, folder)
    (folder / "cardwright.toml").write_text("", encoding="utf-8")
    _calibrated_card(folder)
    card = "credit.model-card.yaml"
    got = run_cli("compute", card, cwd=folder)
    assert got.code == 0, got.err
    texts = published_outputs(folder, card)
    texts["folder"] = str(folder)
    return texts


def _cells():
    from audit_model_card import model_card_cells

    qa = cardwright.load(CREDIT / "credit.model-card.yaml").quantitative_analyses.model_dump()
    qa["metrics"] = [*qa["metrics"], "expected_calibration_error"]
    qa["calibration_bins"] = CALIBRATED["calibration_bins"]
    qa["data"]["threshold"] = CALIBRATED["threshold"]
    return model_card_cells(pd.read_csv(CREDIT / "data" / "eval.csv"), qa), qa


def _leaks(mc, facts) -> list[str]:
    """Hidden counts recovered or narrowed, and withheld ones recovered exactly."""
    return [str(leak) for leak in audit(mc.cells, facts, mc.secrets, mc.k)
            + audit(mc.cells, facts, mc.withheld, mc.k, intervals=False)]


def test_the_calibrated_card_shows_tables_whole_suppressed_in_part_and_withheld(outputs):
    doc = json.loads(outputs["results"])
    tables = doc["calibration"]
    assert tables and len(doc["slices"]) > len(tables)  # some withheld
    assert any(not any(b["suppressed"] for b in t["bins"]) for t in tables)  # some whole
    suppressed = [b for t in tables for b in t["bins"] if b["suppressed"]]
    assert suppressed  # some suppressed in part
    assert all(b["fraction_positive"] is None and b["mean_score"] is None for b in suppressed)
    k = doc["settings"]["min_cell_size"]
    for b in (b for t in tables for b in t["bins"] if not b["suppressed"]):
        positives = round(b["fraction_positive"] * b["n"])
        assert b["n"] >= k and positives >= k and b["n"] - positives >= k


@pytest.mark.parametrize("kind", [*FORMATS, "site"])
def test_no_count_of_a_calibration_table_can_be_recovered(outputs, kind):
    from audit_model_card import facts_from_output

    mc, qa = _cells()
    results = json.loads(outputs["results"])
    facts = facts_from_output(mc, "html" if kind == "site" else kind, outputs[kind], results, qa["metrics"])
    calibration = [f for f in facts if "calibration" in f.source or "reliability" in f.source]
    if kind in ("results", "json"):
        assert len(calibration) > 10 and len(mc.withheld) > 20
        assert any("bin" in s.name for s in mc.secrets)
    if kind in ("html", "site"):
        assert len(calibration) > 20 and any("reliability" in s.name for s in mc.secrets)
    assert _leaks(mc, facts) == []


def test_the_audit_catches_a_hidden_bin_put_back_into_the_results(outputs):
    from audit_model_card import facts_from_results

    doc = json.loads(outputs["results"])
    mc, _ = _cells()
    table = next(t for t in doc["calibration"] if any(b["suppressed"] for b in t["bins"]))
    b = next(b for b in table["bins"] if b["suppressed"])
    index = round(b["low"] * mc.bins)
    n = mc.cells.total(mc.in_bin(table["slice"], index))
    b.update(n=n, fraction_positive=mc.cells.total(mc.in_bin(table["slice"], index, (1,))) / n, suppressed=False)
    assert _leaks(mc, facts_from_results(mc, doc, "tampered"))


def test_the_audit_catches_a_hidden_bin_put_back_into_the_reliability_diagram(tmp_path):
    """The three groups' card rendered: x's bins are drawn suppressed (they protect z's withheld
    table); written back into the diagram's description, they give z's small bin away."""
    from audit_model_card import facts_from_output, model_card_cells

    frame, qa = _three_groups()
    frame.to_csv(tmp_path / "eval.csv", index=False)
    (tmp_path / "cardwright.toml").write_text("", encoding="utf-8")
    (tmp_path / "card.yaml").write_text(THREE_GROUPS_CARD, encoding="utf-8")
    assert run_cli("compute", "card.yaml", cwd=tmp_path).code == 0
    assert run_cli("render", "card.yaml", "--to", "html", "-o", "card.html", cwd=tmp_path).code == 0
    text = (tmp_path / "card.html").read_text(encoding="utf-8")
    results = json.loads((tmp_path / "card.results.json").read_text(encoding="utf-8"))
    mc = model_card_cells(frame, qa)
    assert _leaks(mc, facts_from_output(mc, "html", text, results, qa["metrics"])) == []
    hidden = re.findall(r"x: bin 0\.00–0\.50: suppressed \(n suppressed\); bin 0\.50–1\.00: suppressed "
                        r"\(n suppressed\)", text)
    assert len(hidden) == 1
    shown = "x: bin 0.00–0.50: predicted 0.300, observed 0.500, n = 150; bin 0.50–1.00: predicted 0.800, " \
            "observed 0.500, n = 150"
    mc = model_card_cells(frame, qa)
    facts = facts_from_output(mc, "html", text.replace(hidden[0], shown), results, qa["metrics"])
    assert any("withheld bin 1" in leak for leak in _leaks(mc, facts))


def test_a_results_file_publishing_a_hidden_bin_is_refused(outputs, tmp_path):
    """Put back as the results file would show it, a hidden bin breaks the content digest; a
    bin's positives below min_cell_size are refused as such even with the digest recomputed."""
    doc = json.loads(outputs["results"])
    path = tmp_path / "card.results.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    read_results(path, "recompute it")  # as written: accepted
    t, j, b = next((i, j, b) for i, t in enumerate(doc["calibration"]) for j, b in enumerate(t["bins"])
                   if b["suppressed"])
    b.update(n=b["n"] or 60, fraction_positive=0.5, mean_score=0.6, suppressed=False)
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CardwrightError) as refused:
        read_results(path, "recompute it")
    assert refused.value.findings[0].code == "tampered-results"
    b.update(n=40, fraction_positive=0.95)  # 38 positives and 2 negatives
    resealed = seal(AnalysisResults.model_validate(doc))
    path.write_text(dumps(resealed), encoding="utf-8")
    with pytest.raises(CardwrightError) as refused:
        read_results(path, "recompute it")
    finding = refused.value.findings[0]
    assert finding.code == "tampered-results" and "2 negatives, below min_cell_size 10" in finding.message
    assert finding.loc == ("calibration", t, "bins", j, "fraction_positive")


# -- what earlier releases published -----------------------------------------------------------------
def _three_groups() -> tuple[pd.DataFrame, dict]:
    """Groups x and y with 150 rows in each of two bins, z with 37 and 3: a table per group
    whose bins all hold at least 10 rows is shown for x and y, and z's second bin is the
    overall table's minus theirs."""
    rows = [(a, s, i % 2 if s < 0.5 else (i + 1) % 2) for a, low, high in (("x", 150, 150), ("y", 150, 150),
                                                                            ("z", 37, 3))
            for s, count in ((0.3, low), (0.8, high)) for i in range(count)]
    frame = pd.DataFrame(rows, columns=["a", "s", "y"])
    qa = {"data": {"path": "x.csv", "label": "y", "score": "s", "threshold": 0.5}, "factors": ["a"],
          "metrics": ["count", "accuracy", "expected_calibration_error"], "calibration_bins": 2,
          "confidence": {"resamples": 0}, "min_group_size": 10, "min_cell_size": 10}
    return frame, qa


THREE_GROUPS_CARD = model_card_head("Three groups") + """\
quantitative_analyses:
  data: {path: eval.csv, label: y, score: s, threshold: 0.5}
  factors: [a]
  metrics: [count, accuracy, expected_calibration_error]
  calibration_bins: 2
  confidence: {resamples: 0}
  min_group_size: 10
  min_cell_size: 10
"""


def _compute(frame: pd.DataFrame, qa: dict) -> dict:
    return json.loads(dumps(compute_analyses(QuantitativeAnalyses.model_validate(qa), frame)))


def test_a_withheld_table_cannot_be_worked_out_from_the_shown_ones():
    from audit_tasks import facts_from_results, task_cells

    frame, qa = _three_groups()
    doc = _compute(frame, qa)
    shown = {json.dumps(t["slice"]): t for t in doc["calibration"]}
    assert '{"a": "z"}' not in shown and '{}' in shown  # z's table is withheld, the overall one shown
    assert sum(b["suppressed"] for t in doc["calibration"] for b in t["bins"]) >= 2  # and a sibling's bins hidden
    tc = task_cells(frame, qa, doc)
    facts = facts_from_results(tc, doc)
    assert [str(leak) for leak in audit(tc.cells, facts, tc.secrets, tc.k) + audit(
        tc.cells, facts, tc.withheld, tc.k, intervals=False)] == []


def test_the_audit_catches_the_per_bin_rule_of_earlier_releases():
    """Earlier releases showed a slice's table when every bin held 0 or at least min_cell_size
    rows, outside the grid: z's second bin (3 rows, 1 negative, 2 positives) was the overall
    table's minus x's and y's."""
    from audit_tasks import facts_from_results, task_cells

    frame, qa = _three_groups()
    doc = _compute(frame, qa)
    every = _compute(frame, {**qa, "min_cell_size": 1})["calibration"]
    doc["calibration"] = [t for t in every if all(b["n"] == 0 or b["n"] >= 10 for b in t["bins"])]
    tc = task_cells(frame, qa, doc)
    leaks = audit(tc.cells, facts_from_results(tc, doc), tc.withheld, tc.k, intervals=False)
    assert sorted(leak.secret.value for leak in leaks) == [1, 2, 3]


def test_a_card_without_a_table_to_show_is_protected_as_without_calibration():
    """When every table is sparse, none is shown and the slices' counts are protected exactly as
    for the same card without expected_calibration_error."""
    rng = np.random.default_rng(3)
    n = 300
    frame = pd.DataFrame({"a": rng.choice(["x", "y", "z"], n, p=[0.6, 0.3, 0.1]), "s": np.round(rng.random(n), 2)})
    frame["y"] = (rng.random(n) < frame["s"]).astype(int)
    qa = {"data": {"path": "x.csv", "label": "y", "score": "s", "threshold": 0.5}, "factors": ["a"],
          "metrics": ["count", "accuracy", "recall", "expected_calibration_error"],
          "confidence": {"resamples": 0}, "min_group_size": 10, "min_cell_size": 10}
    with_ece = _compute(frame, qa)
    without = _compute(frame, {**qa, "metrics": qa["metrics"][:-1]})
    assert "calibration" not in with_ece
    assert with_ece["slices"] == without["slices"]
    assert [r for r in with_ece["results"] if r["metric"] != "expected_calibration_error"] == without["results"]
