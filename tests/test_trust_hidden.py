"""Hidden values never make a headline say more than it checked, never give a small count away,
and never go unexplained.

* A gate speaks for every group of its ``over``: when a group's value is hidden (``min_cell_size``
  always, ``min_group_size`` unless ``include_suppressed: true``) a ``min``/``max``, difference,
  ratio or baseline gate fails, with a reason naming how many groups and which setting, and
  without the hidden value (tests/fixtures/hidden/judge.csv: recall at 0.5 is 0.920 / 0.804 /
  0.667 for en / fr / sw by scikit-learn, and en and sw are hidden by min_cell_size 10).
* A share published with its ``n`` publishes the rest of its rows too: the overall top-2 accuracy
  of tests/fixtures/hidden/wine.csv (scikit-learn's wine data, 178 rows) misses one row, so it is
  hidden, and the privacy audit lists both counts of every share.
* When most values are hidden, compute says so once (``warning[mostly-hidden]``), naming the
  setting and what changing it would mean.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from audit_tasks import facts_from_results, published_counts, task_cells
from conftest import FIXTURES, run_cli
from privacy_audit import audit

MINIMAL = FIXTURES / "valid" / "minimal.model-card.yaml"
HIDDEN = FIXTURES / "hidden"


def _card(tmp_path: Path, data: str, qa: dict, name: str = "card.yaml") -> Path:
    shutil.copy(HIDDEN / data, tmp_path / data)
    (tmp_path / "cardwright.toml").write_text("", encoding="utf-8")
    card = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    card["quantitative_analyses"] = qa
    (tmp_path / name).write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    return tmp_path / name


def _judge(gates: list[dict], **settings) -> dict:
    return {"task": "binary-classification",
            "data": {"path": "judge.csv", "label": "harmful", "score": "judge", "thresholds": [0.3, 0.5, 0.7]},
            "factors": ["lang"], "metrics": ["count", "recall", "false_positive_rate"],
            "confidence": {"resamples": 0}, "gates": gates, **settings}


def _computed(card: Path) -> tuple[int, str, dict]:
    got = run_cli("compute", card.name, cwd=card.parent)
    results = json.loads(card.with_name(card.stem + ".results.json").read_text(encoding="utf-8"))
    return got.code, got.err, results


def _recall(lang: str | None, threshold: float = 0.5) -> float:
    from sklearn.metrics import recall_score

    frame = pd.read_csv(HIDDEN / "judge.csv")
    if lang is not None:
        frame = frame[frame["lang"] == lang]
    return float(recall_score(frame["harmful"], (frame["judge"] >= threshold).astype(int)))


def _visible(results: dict, metric: str, threshold: float) -> dict[str, float | None]:
    return {r["slice"]["lang"]: r["value"] for r in results["results"]
            if r["slice"] and r["metric"] == metric and r.get("threshold") == threshold}


# -- gates over hidden groups ---------------------------------------------------------------------
@pytest.mark.parametrize("include_suppressed", [False, True])
def test_a_min_gate_with_groups_hidden_by_min_cell_size_fails_and_keeps_their_values(tmp_path, include_suppressed):
    gate = {"metric": "recall", "over": ["lang"], "min": 0.7, "threshold": 0.5, "include_suppressed": include_suppressed}
    card = _card(tmp_path, "judge.csv", _judge([gate]))
    code, err, results = _computed(card)
    shown = _visible(results, "recall", 0.5)
    assert shown["en"] is None and shown["sw"] is None  # hidden by min_cell_size
    assert shown["fr"] == pytest.approx(_recall("fr"))  # the one group shown, 0.804 by scikit-learn
    assert _recall("sw") < 0.7 < _recall("fr")  # a hidden group is below the limit
    row = results["gates"][0]
    assert row["passed"] is False and row["value"] is None and row.get("group") is None
    assert row["groups"] == 1
    assert "2 of 3 groups are hidden: 2 by min_cell_size 10" in row["reason"]
    assert code == 1 and "min_cell_size 10" in err
    # no hidden value in the results file, in what compute printed, or in the rendered card
    got = run_cli("render", card.name, "--to", "md", "-o", "card.md", cwd=tmp_path)
    assert got.code == 0, got.err
    markdown = (tmp_path / "card.md").read_text(encoding="utf-8")
    assert "**PASS**" not in markdown
    for text in (json.dumps(results), err, markdown):
        for lang in ("en", "sw"):
            for digits in (3, 4):
                assert f"{_recall(lang):.{digits}f}" not in text
    strict = run_cli("validate", "--strict", card.name, cwd=tmp_path)
    assert strict.code == 1 and "gate-failed" in strict.out + strict.err


def test_a_gate_over_groups_below_min_group_size_fails_unless_it_includes_them(tmp_path):
    """min_cell_size 1 hides nothing; min_group_size 200 suppresses sw (155 rows; en 392, fr 253)."""
    settings = {"min_cell_size": 1, "min_group_size": 200}
    gates = [{"metric": "recall", "over": ["lang"], "min": 0.6, "threshold": 0.5},
             {"metric": "recall", "over": ["lang"], "min": 0.6, "threshold": 0.5, "include_suppressed": True},
             {"metric": "recall", "over": ["lang"], "min": 0.7, "threshold": 0.5, "include_suppressed": True}]
    card = _card(tmp_path, "judge.csv", _judge(gates, **settings))
    _, _, results = _computed(card)
    assert _visible(results, "recall", 0.5)["sw"] is None
    left_out, included, strict = results["gates"]
    assert left_out["passed"] is False and left_out["value"] is None
    assert "1 of 3 groups is hidden: 1 by min_group_size 200" in left_out["reason"]
    assert "include_suppressed: true" in left_out["reason"]
    # include_suppressed checks the small group: the worst group is sw, as scikit-learn says
    worst = min(_recall(g) for g in ("en", "fr", "sw"))
    assert worst == _recall("sw")
    assert included["passed"] is True and included["value"] == pytest.approx(worst)
    assert included["groups"] == 3 and included["group"] == {"lang": "sw"}
    assert strict["passed"] is False and strict["value"] == pytest.approx(worst) and strict["reason"] is None


def test_difference_and_ratio_gates_with_a_hidden_group_fail(tmp_path):
    settings = {"min_cell_size": 1, "min_group_size": 200}
    gates = [{"metric": "recall", "over": ["lang"], "max_difference": 1.0, "threshold": 0.5},
             {"metric": "recall", "over": ["lang"], "min_ratio": 0.01, "threshold": 0.5},
             {"metric": "recall", "over": ["lang"], "max_difference": 1.0, "threshold": 0.5,
              "include_suppressed": True}]
    card = _card(tmp_path, "judge.csv", _judge(gates, **settings))
    _, _, results = _computed(card)
    difference, ratio, included = results["gates"]
    for row in (difference, ratio):
        assert row["passed"] is False and row["value"] is None
        assert "1 of 3 groups is hidden: 1 by min_group_size 200" in row["reason"]
    recalls = [_recall(g) for g in ("en", "fr", "sw")]
    assert included["passed"] is True and included["value"] == pytest.approx(max(recalls) - min(recalls))


def test_a_baseline_gate_fails_when_a_group_is_hidden_here_or_in_the_baseline(tmp_path):
    everything = {"min_cell_size": 1, "min_group_size": 1}
    small = {"min_cell_size": 1, "min_group_size": 200}
    gate = {"metric": "recall", "over": ["lang"], "baseline": "base.results.json", "tolerance": 0.5,
            "threshold": 0.5}
    for name, base_settings, here in (("here", everything, small), ("there", small, everything)):
        folder = tmp_path / name
        folder.mkdir()
        _computed(_card(folder, "judge.csv", _judge([], **base_settings), "base.yaml"))
        code, _, results = _computed(_card(folder, "judge.csv", _judge([gate], **here)))
        row = results["gates"][0]
        assert row["passed"] is False and row["value"] is None and code == 1
        if name == "here":
            assert "1 of 3 groups is hidden: 1 by min_group_size 200" in row["reason"]
        else:
            assert "1 of 3 groups is hidden in the baseline" in row["reason"]
    # nothing hidden on either side: the gate compares every group and passes
    folder = tmp_path / "neither"
    folder.mkdir()
    _computed(_card(folder, "judge.csv", _judge([], **everything), "base.yaml"))
    _, _, results = _computed(_card(folder, "judge.csv", _judge([gate], **everything)))
    assert results["gates"][0]["passed"] is True and results["gates"][0]["groups"] == 3
    assert results["gates"][0]["value"] == pytest.approx(0.0)


# -- top-k accuracy and the rest of its rows ------------------------------------------------------
def _wine(gates: list[dict] | None = None) -> dict:
    return {"task": "multiclass-classification",
            "data": {"path": "wine.csv", "label": "label", "prediction": "pred",
                     "class_scores": {"c0": "s_c0", "c1": "s_c1", "c2": "s_c2"}},
            "factors": ["alc"], "metrics": ["count", "accuracy", "macro_f1", "top_k_accuracy"], "per_class": True,
            "top_k": 2, "confidence": {"resamples": 0}, "gates": gates or []}


def test_the_overall_top_k_accuracy_does_not_give_away_the_rows_outside_the_top_k(tmp_path):
    from sklearn.metrics import top_k_accuracy_score

    frame = pd.read_csv(HIDDEN / "wine.csv")
    scores = frame[["s_c0", "s_c1", "s_c2"]].to_numpy()
    top2 = top_k_accuracy_score(frame["label"], scores, k=2, labels=["c0", "c1", "c2"])
    misses = round(len(frame) * (1 - top2))
    assert len(frame) == 178 and misses == 1  # below min_cell_size 10
    card = _card(tmp_path, "wine.csv", _wine())
    _, _, results = _computed(card)
    overall = next(r for r in results["results"] if not r["slice"] and r["metric"] == "top_k_accuracy")
    assert overall["value"] is None and overall["suppressed"] is True
    # the audit: no count below min_cell_size, numerators and their rests included, and nothing hidden recoverable
    assert [(w, v) for w, v in published_counts(results) if 0 < v < 10] == []
    qa = yaml.safe_load(card.read_text(encoding="utf-8"))["quantitative_analyses"]
    tc = task_cells(frame, qa, results)
    assert tc.cells.total(tc.where({}, lambda c: c[2] == 0)) == misses  # the audit's own top-k hits
    facts = facts_from_results(tc, results)
    assert [str(leak) for leak in audit(tc.cells, facts, tc.secrets, tc.k, small_only=True)] == []


def test_the_audit_lists_both_counts_of_a_share():
    """What the audit would have caught: 0.99438 of 178 rows leaves one row."""
    results = {"slices": [], "results": [
        {"slice": {}, "metric": "top_k_accuracy", "value": 177 / 178, "n": 178},
        {"slice": {"a": "x"}, "metric": "pass_rate", "value": 0.25, "n": 40},
        {"slice": {"a": "x"}, "metric": "mean", "value": 0.25, "n": 40}]}
    counts = dict(published_counts(results))
    assert counts["top_k_accuracy of {} (None, None) numerator"] == 177
    assert counts["top_k_accuracy of {} (None, None) rest of n"] == 1
    assert counts["pass_rate of {'a': 'x'} (None, None) rest of n"] == 30
    assert not any(w.startswith("mean of") and "numerator" in w for w in counts)


def test_a_pass_rate_near_one_does_not_give_away_the_failures(tmp_path):
    """Scored with a pass threshold: a share of 0.99 of 200 rows would say two rows failed."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"g": ["a"] * 120 + ["b"] * 80, "s": np.round(rng.uniform(0.6, 1.0, 200), 3)})
    frame.loc[[5, 150], "s"] = 0.1  # two failures, one in each group
    frame.to_csv(tmp_path / "scores.csv", index=False)
    card = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    card["quantitative_analyses"] = {"task": "scored", "data": {"path": "scores.csv", "score": "s", "pass_threshold": 0.5},
                                     "factors": ["g"], "metrics": ["count", "pass_rate"],
                                     "confidence": {"resamples": 0}}
    (tmp_path / "cardwright.toml").write_text("", encoding="utf-8")
    (tmp_path / "card.yaml").write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    _, _, results = _computed(tmp_path / "card.yaml")
    assert (frame["s"] >= 0.5).mean() == pytest.approx(0.99)
    assert [(w, v) for w, v in published_counts(results) if 0 < v < 10] == []
    tc = task_cells(frame, card["quantitative_analyses"], results)
    facts = facts_from_results(tc, results)
    assert [str(leak) for leak in audit(tc.cells, facts, tc.secrets, tc.k, small_only=True)] == []


# -- saying why -----------------------------------------------------------------------------------
def test_compute_says_once_why_most_values_are_hidden_and_gates_name_the_setting(tmp_path):
    gates = [{"metric": "accuracy", "min": 0.5}, {"metric": "macro_f1", "over": ["alc"], "min": 0.8},
             {"metric": "accuracy", "over": ["alc"], "max_difference": 0.1}]
    qa = {**_wine(gates), "reference_groups": {"alc": "low"}}
    card = _card(tmp_path, "wine.csv", qa)
    code, err, results = _computed(card)
    warnings = [line for line in err.splitlines() if "warning[mostly-hidden]" in line]
    assert len(warnings) == 1
    assert "by min_cell_size 10" in warnings[0] and "2 of 2 group sizes are hidden" in warnings[0]
    assert "hint: min_cell_size protects the people in small counts" in err
    overall, limit, difference = results["gates"]
    assert "the overall value is hidden by min_cell_size 10" in overall["reason"]
    for row in (limit, difference):
        assert "2 of 2 groups are hidden: 2 by min_cell_size 10" in row["reason"]
    assert code == 1


def test_the_library_reports_mostly_hidden_to_on_warning(tmp_path):
    import cardwright

    card = _card(tmp_path, "wine.csv", _wine())
    seen = []
    cardwright.compute(cardwright.load(card), on_warning=seen.append)
    assert [(f.code, f.severity) for f in seen] == [("mostly-hidden", "warning")]
    # the same card with every count published: nothing to explain
    seen.clear()
    card = _card(tmp_path, "wine.csv", {**_wine(), "min_cell_size": 1, "min_group_size": 1})
    cardwright.compute(cardwright.load(card), on_warning=seen.append)
    assert seen == []
