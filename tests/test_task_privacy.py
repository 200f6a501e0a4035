"""min_cell_size for every task: on random small tables of each task (multiclass, scored with a
pass threshold, regression, binary at several thresholds, multiclass with top-k hits) no results
file publishes a count between 0 and min_cell_size (nor a share whose numerator or rest of its
``n`` is one), and no hidden count can be worked out exactly (nor, for counts
below min_cell_size, narrowed) from what it publishes (:mod:`privacy_audit`, with cells counted
from the table by :mod:`audit_tasks`).  The shipped multiclass example publishes no small count."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_tasks import facts_from_results, published_counts, task_cells
from cardwright._compute.api import dumps
from privacy_audit import audit

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _frame(draw, n: int):
    import pandas as pd

    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    skew = draw(st.sampled_from([0.5, 0.85]))
    return rng, pd.DataFrame({
        "a": rng.choice(np.array(["x", "y", "z"], dtype=object), size=n, p=[skew, (1 - skew) / 2, (1 - skew) / 2]),
        "b": rng.choice(np.array(["u", "v"], dtype=object), size=n),
    })


def _common(draw) -> dict:
    return {"factors": draw(st.sampled_from([["a"], ["a", "b"]])), "confidence": {"resamples": 0},
            "min_group_size": draw(st.integers(1, 20)), "min_cell_size": draw(st.integers(3, 8))}


@st.composite
def multiclass_tables(draw):
    n = draw(st.integers(30, 160))
    rng, frame = _frame(draw, n)
    frame["y"] = rng.choice(np.array(["p", "q", "r"], dtype=object), size=n, p=[0.6, 0.3, 0.1])
    frame["yhat"] = np.where(rng.random(n) < 0.7, frame["y"], rng.choice(np.array(["p", "q", "r"], dtype=object), size=n))
    qa = {"task": "multiclass-classification", "data": {"path": "x.csv", "label": "y", "prediction": "yhat"},
          "metrics": ["count", "accuracy", "balanced_accuracy", "macro_f1"], "per_class": True, **_common(draw)}
    return frame, qa


@st.composite
def top_k_tables(draw):
    """Multiclass with class scores and top_k: most labels among the top 2, a few not, so the
    rows outside the top k are often a small count, overall or in a group."""
    n = draw(st.integers(30, 160))
    rng, frame = _frame(draw, n)
    names = np.array(["p", "q", "r"], dtype=object)
    frame["y"] = rng.choice(names, size=n, p=[0.5, 0.3, 0.2])
    scores = rng.dirichlet([1.0, 1.0, 1.0], size=n)
    truth = np.searchsorted(names, frame["y"].to_numpy())
    far = rng.random(n) < draw(st.sampled_from([0.01, 0.05, 0.2]))  # label scored lowest
    scores[np.arange(n), truth] += np.where(far, -1.0, 0.6)
    scores = np.round(scores, 3)
    for j, c in enumerate(names):
        frame[f"s_{c}"] = scores[:, j]
    frame["yhat"] = names[scores.argmax(axis=1)]
    qa = {"task": "multiclass-classification",
          "data": {"path": "x.csv", "label": "y", "prediction": "yhat",
                   "class_scores": {c: f"s_{c}" for c in names}},
          "metrics": ["count", "accuracy", "top_k_accuracy"], "top_k": 2,
          "per_class": draw(st.booleans()), **_common(draw)}
    return frame, qa


@st.composite
def scored_tables(draw):
    n = draw(st.integers(20, 160))
    rng, frame = _frame(draw, n)
    frame["s"] = np.round(rng.random(n), 3)
    qa = {"task": "scored", "data": {"path": "x.csv", "score": "s", "pass_threshold": draw(st.sampled_from([0.2, 0.5, 0.9]))},
          "metrics": ["count", "mean", "pass_rate", "p50"], **_common(draw)}
    return frame, qa


@st.composite
def regression_tables(draw):
    n = draw(st.integers(20, 160))
    rng, frame = _frame(draw, n)
    frame["y"] = np.round(rng.normal(size=n), 3)
    frame["yhat"] = np.round(frame["y"] + rng.normal(scale=0.5, size=n), 3)
    qa = {"task": "regression", "data": {"path": "x.csv", "label": "y", "prediction": "yhat"},
          "metrics": ["count", "mean_absolute_error", "r2", "mean_error"], **_common(draw)}
    return frame, qa


@st.composite
def threshold_tables(draw):
    n = draw(st.integers(20, 160))
    rng, frame = _frame(draw, n)
    frame["y"] = rng.integers(0, 2, n)
    frame["s"] = np.round(np.clip(frame["y"] * 0.3 + rng.random(n) * 0.7, 0, 1), 2)
    qa = {"data": {"path": "x.csv", "label": "y", "score": "s", "thresholds": [0.3, 0.5, 0.7]},
          "metrics": ["count", "accuracy", "precision", "recall", "false_positive_rate", "roc_auc"], **_common(draw)}
    return frame, qa


@st.composite
def calibration_tables(draw):
    """Binary cards with the calibration tables of expected_calibration_error: scores on a grid
    of hundredths (some exactly at a threshold or a bin edge), several thresholds or one."""
    n = draw(st.integers(60, 1200))
    rng, frame = _frame(draw, n)
    frame["s"] = np.round(rng.beta(draw(st.sampled_from([1.0, 2.0])), 2.0, n), 2)
    frame["y"] = (rng.random(n) < frame["s"]).astype(int)
    thresholds = draw(st.sampled_from([[0.5], [0.3, 0.5, 0.7], [0.25, 0.6]]))
    qa = {"data": {"path": "x.csv", "label": "y", "score": "s", "thresholds": thresholds},
          "metrics": ["count", "accuracy", "recall", "false_positive_rate", "expected_calibration_error"],
          "calibration_bins": draw(st.integers(2, 10)), **_common(draw)}
    qa["min_cell_size"] = draw(st.integers(2, 6))
    return frame, qa


def _results(case) -> tuple[dict, dict]:
    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    frame, raw = case
    spec = QuantitativeAnalyses.model_validate(raw)
    return json.loads(dumps(compute_analyses(spec, frame))), spec.model_dump()


def _check(case, results: dict | None = None) -> None:
    frame, _ = case
    results, qa = _results(case) if results is None else (results, case[1])
    k = qa["min_cell_size"]
    small = [(where, v) for where, v in published_counts(results) if 0 < v < k]
    assert small == []
    tc = task_cells(frame, qa, results)
    facts = facts_from_results(tc, results)
    assert [str(leak) for leak in audit(tc.cells, facts, tc.secrets, tc.k, small_only=True)] == []
    # the small counts of a table that is not shown: never recovered exactly
    assert [str(leak) for leak in audit(tc.cells, facts, tc.withheld, tc.k, intervals=False)] == []


RANDOM = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RANDOM
@given(case=multiclass_tables())
def test_random_multiclass_results_leak_nothing(case):
    _check(case)


@RANDOM
@given(case=top_k_tables())
def test_random_top_k_results_leak_nothing(case):
    """The rows outside the top k (``n`` minus the hits) are protected like any count."""
    _check(case)


@RANDOM
@given(case=scored_tables())
def test_random_scored_results_with_a_pass_threshold_leak_nothing(case):
    _check(case)


@RANDOM
@given(case=regression_tables())
def test_random_regression_results_leak_nothing(case):
    _check(case)


@RANDOM
@given(case=threshold_tables())
def test_random_binary_results_at_several_thresholds_leak_nothing(case):
    _check(case)


@RANDOM
@given(case=calibration_tables())
def test_random_binary_results_with_calibration_tables_leak_nothing(case):
    _check(case)


def test_a_small_confusion_cell_is_hidden_and_its_row_and_column_keep_it_hidden():
    """A 3-class table where one slice has a cell of 2 rows: that cell is null, and neither the
    rest of its row nor of its column gives it away."""
    import pandas as pd

    rows = [("x", "p", "p")] * 40 + [("x", "q", "q")] * 30 + [("x", "p", "q")] * 2 + [("x", "q", "p")] * 12 + \
        [("y", "p", "p")] * 25 + [("y", "q", "q")] * 25 + [("y", "p", "q")] * 11 + [("y", "q", "p")] * 13
    frame = pd.DataFrame(rows, columns=["a", "y", "yhat"])
    case = (frame, {"task": "multiclass-classification", "data": {"path": "x.csv", "label": "y", "prediction": "yhat"},
                    "factors": ["a"], "metrics": ["count", "accuracy"], "per_class": True,
                    "confidence": {"resamples": 0}, "min_cell_size": 10})
    _check(case)
    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    results = json.loads(dumps(compute_analyses(QuantitativeAnalyses.model_validate(case[1]), frame)))
    x = next(s for s in results["slices"] if s["slice"] == {"a": "x"})
    assert x.get("confusion") is None  # p predicted as q: 2 rows, so the matrix is withheld
    recall_p = next(r for r in results["results"] if r["slice"] == {"a": "x"} and r["metric"] == "recall"
                    and r.get("class") == "p")
    assert recall_p["value"] is None and recall_p["n"] is None


@pytest.mark.parametrize("example, card", [("support-tickets", "support-tickets.model-card.results.json"),
                                           ("assistant-llm", "assistant-llm.model-card.results.json"),
                                           ("house-prices", "house-prices.model-card.results.json")])
def test_the_shipped_examples_publish_no_count_below_min_cell_size(example, card):
    results = json.loads((EXAMPLES / example / card).read_text(encoding="utf-8"))
    parts = [(None, results["settings"])] if results.get("settings") else \
        [(e["name"], e["settings"]) for e in results["evaluations"]]
    for name, settings_ in parts:
        k = settings_["min_cell_size"]
        # the assistant's refusal evaluations count test prompts, not people: they publish every count
        assert k >= 10 or name in ("refusals", "over_refusals")
        part = {key: [row for row in results.get(key) or [] if row.get("evaluation") == name]
                for key in ("slices", "results", "calibration")}
        assert part["results"]
        assert [(w, v) for w, v in published_counts(part) if 0 < v < k] == []


@pytest.mark.parametrize("edit", ["confusion", "n"])
def test_a_results_file_publishing_a_small_count_of_a_new_task_is_refused(tmp_path, edit):
    """A multiclass results file edited to publish a confusion cell, or a row's denominator,
    between 0 and min_cell_size is refused as edited, at that count."""
    import pandas as pd

    from cardwright._compute.analyses import compute_analyses
    from cardwright._compute.results_file import read_results
    from cardwright.errors import CardwrightError
    from cardwright.schema.analysis import QuantitativeAnalyses

    rows = [(a, y, p) for a in ("x", "y") for (y, p), count in
            {("p", "p"): 40, ("p", "q"): 12, ("q", "p"): 15, ("q", "q"): 30}.items() for _ in range(count)]
    frame = pd.DataFrame(rows, columns=["a", "y", "yhat"])
    spec = QuantitativeAnalyses.model_validate({
        "task": "multiclass-classification", "data": {"path": "x.csv", "label": "y", "prediction": "yhat"},
        "factors": ["a"], "metrics": ["count", "accuracy"], "per_class": True, "confidence": {"resamples": 0}})
    doc = json.loads(dumps(compute_analyses(spec, frame)))
    i = next(i for i, s in enumerate(doc["slices"]) if s["slice"] == {"a": "x"})
    assert doc["slices"][i]["confusion"] == [[40, 12], [15, 30]]  # every cell at least 10: published whole
    path = tmp_path / "card.results.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    read_results(path, "recompute it")  # as written: accepted
    if edit == "confusion":
        doc["slices"][i]["confusion"][0][1] = 3
    else:
        next(r for r in doc["results"] if r["slice"] == {"a": "x"} and r["metric"] == "recall")["n"] = 4
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CardwrightError) as refused:
        read_results(path, "recompute it")
    finding = refused.value.findings[0]
    assert finding.code == "tampered-results" and "below min_cell_size 10" in finding.message
    assert ("confusion" if edit == "confusion" else "recall") in finding.message
