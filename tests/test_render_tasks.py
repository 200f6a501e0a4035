"""Every task renders with its own charts: per-class bars (multiclass), errors (regression), score
distributions (scored), reliability diagrams (calibration tables) and operating points (several
thresholds); a list of named evaluations renders each one in turn with one summary.

The results here are synthetic, shaped exactly as the results schema says (validated into
:class:`AnalysisResults`); the numbers are made up and each test checks the render carries them.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from typing import Any

import pytest

import cardwright
from cardwright._render.view import build_view
from cardwright.schema.analysis import NamedEvaluation, QuantitativeAnalyses
from cardwright.schema.results import AnalysisResults
from render_helpers import loan

NS = {"svg": "http://www.w3.org/2000/svg"}
GROUPS = {"sex": ["female", "male"], "age_band": ["18-29", "30-59"]}


def _slices() -> list[dict[str, str]]:
    out: list[dict[str, str]] = [{}]
    out += [{f: g} for f, gs in GROUPS.items() for g in gs]
    out += [dict(zip(GROUPS, combo, strict=True)) for combo in itertools.product(*GROUPS.values())]
    return out


def _row(slice_: dict[str, str], metric: str, value: float, i: int, **extra: Any) -> dict[str, Any]:
    spread = 0.01 + 0.002 * i
    return {"slice": slice_, "metric": metric, "value": value, "ci_low": value - spread, "ci_high": value + spread,
            "n": 400 - 10 * i, **extra}


def _results(task: str, metrics: list[str], *, evaluation: str | None = None, **settings: Any) -> dict[str, Any]:
    rows, k = [], 0
    for i, s in enumerate(_slices()):
        for j, m in enumerate(metrics):
            k += 1
            value = 0.5 + 0.03 * i + 0.01 * j if m != "mean_error" else -0.2 + 0.05 * i
            rows.append(_row(s, m, round(value, 4), i, **({"evaluation": evaluation} if evaluation else {})))
    return {
        "provenance": {"tool_version": "0", "data_path": "x.csv", "data_sha256": "0" * 64, "bytes": 1,
                       "rows_read": 1000, "rows_used": 1000, "rows_dropped": {}, "settings_sha256": "0" * 64,
                       "engine": "arrow"},
        "settings": {"task": task, "factors": list(GROUPS), "metrics": metrics, "level": 0.95, "resamples": 0,
                     "seed": 0, "interval_method": "auto", "min_group_size": 30, "missing_values": "group",
                     **settings},
        "slices": [], "results": rows, "disparities": [], "gates": [], "unobserved": [],
    }


def _card(task: str, metrics: list[str], **spec: Any) -> Any:
    qa = QuantitativeAnalyses.model_validate({"task": task, "factors": list(GROUPS), "metrics": metrics, **spec})
    return loan().model_copy(update={"quantitative_analyses": qa})


def _svg(chart_svg: str) -> ET.Element:
    return ET.fromstring(chart_svg)


def test_multiclass_per_class_bars_and_table():
    metrics = ["accuracy", "macro_f1"]
    data = _results("multiclass-classification", metrics, classes=["cat", "dog", "fox"])
    for c, cls in enumerate(["cat", "dog", "fox"]):
        for m, base in (("precision", 0.7), ("recall", 0.6), ("f1", 0.65)):
            data["results"].append(_row({}, m, base + 0.05 * c, 0, **{"class": cls}))
    results = AnalysisResults.model_validate(data)
    card = _card("multiclass-classification", [*metrics, "precision", "recall", "f1"], per_class=True)
    a = build_view(card, results).analyses
    assert a.task_heading == "Per class"
    table = next(t for t in a.task_tables if t.id == "per-class")
    assert [r[0].text for r in table.rows] == ["cat", "dog", "fox"]
    assert [str(c) for c in table.rows[2][1:]] == ["0.800 (0.790 to 0.810)", "0.700 (0.690 to 0.710)",
                                                   "0.750 (0.740 to 0.760)"]
    chart = next(c for c in a.task_charts if c.id == "chart-per-class")
    root = _svg(chart.svg)
    assert len(root.findall("svg:rect", NS)) == 9  # a bar per class and metric
    assert "fox: Precision 0.800 (0.790 to 0.810); Recall 0.700 (0.690 to 0.710); F1 0.750" in \
        root.find("svg:desc", NS).text
    # per-class rows stay out of the groups table: one column per metric over every class
    assert a.groups is not None and a.groups.columns == ["Group", "n", "Accuracy", "Macro F1"]
    html = cardwright.render(card, results, to="html")
    assert 'id="chart-per-class-figure"' in html and ">Per class</h3>" in html


def test_regression_errors_chart_has_bias_around_zero_and_error_sizes():
    metrics = ["mean_absolute_error", "median_absolute_error", "mean_error", "r2"]
    results = AnalysisResults.model_validate(_results("regression", metrics))
    a = build_view(_card("regression", metrics), results).analyses
    chart = next(c for c in a.task_charts if c.id == "chart-errors")
    root = _svg(chart.svg)
    desc = root.find("svg:desc", NS).text
    assert desc.startswith("Overall: Mean error \u22120.200 (\u22120.210 to \u22120.190); Mean absolute error 0.500")
    dashed = [line for line in root.findall("svg:line", NS) if line.get("stroke-dasharray") == "3 2"]
    assert len(dashed) == 1  # zero, for the bias panel
    assert a.task_heading == "Errors"


def test_scored_distribution_chart():
    metrics = ["mean", "p10", "p50", "p90", "pass_rate"]
    results = AnalysisResults.model_validate(_results("scored", metrics, pass_threshold=0.5))
    a = build_view(_card("scored", metrics), results).analyses
    chart = next(c for c in a.task_charts if c.id == "chart-scores")
    desc = _svg(chart.svg).find("svg:desc", NS).text
    assert "female: 10th percentile 0.540 (0.528 to 0.552); Median 0.550" in desc
    assert a.task_heading == "Score distribution"


def test_reliability_diagram_from_calibration_tables():
    metrics = ["accuracy", "expected_calibration_error"]
    data = _results("binary-classification", metrics, calibration_bins=2)
    data["calibration"] = [
        {"slice": s, "bins": [{"low": 0.0, "high": 0.5, "n": 100, "mean_score": 0.3, "fraction_positive": 0.25},
                              {"low": 0.5, "high": 1.0, "n": 50, "mean_score": 0.8, "fraction_positive": 0.9}]}
        for s in _slices() if len(s) <= 1]
    results = AnalysisResults.model_validate(data)
    a = build_view(_card("binary-classification", metrics, calibration_bins=2), results).analyses
    chart = next(c for c in a.task_charts if c.id == "chart-calibration")
    root = _svg(chart.svg)
    assert len(root.findall("svg:circle", NS)) == 2 * 5  # two bins on overall and four groups
    desc = root.find("svg:desc", NS).text
    assert "Overall: bin 0.00–0.50: predicted 0.300, observed 0.250, n = 100" in desc
    assert any("ECE 0.510" in (t.text or "") for t in root.findall("svg:text", NS))
    assert a.task_heading == "Calibration"


def test_a_suppressed_calibration_bin_is_not_drawn_and_says_so():
    metrics = ["accuracy", "expected_calibration_error"]
    data = _results("binary-classification", metrics, calibration_bins=3)
    data["calibration"] = [{"slice": {}, "bins": [
        {"low": 0.0, "high": 1 / 3, "n": 100, "mean_score": 0.2, "fraction_positive": 0.25},
        {"low": 1 / 3, "high": 2 / 3, "n": 40, "mean_score": None, "fraction_positive": None, "suppressed": True},
        {"low": 2 / 3, "high": 1.0, "n": None, "mean_score": None, "fraction_positive": None, "suppressed": True}]}]
    results = AnalysisResults.model_validate(data)
    a = build_view(_card("binary-classification", metrics, calibration_bins=3), results).analyses
    root = _svg(next(c for c in a.task_charts if c.id == "chart-calibration").svg)
    assert len(root.findall("svg:circle", NS)) == 1
    assert root.find("svg:desc", NS).text == ("Overall: bin 0.00–0.33: predicted 0.200, observed 0.250, n = 100; "
                                              "bin 0.33–0.67: suppressed (n = 40); bin 0.67–1.00: suppressed "
                                              "(n suppressed).")


def test_several_thresholds_show_the_first_in_the_main_tables_and_all_in_a_table_of_their_own():
    metrics = ["accuracy", "roc_auc"]
    data = _results("binary-classification", metrics, thresholds=[0.5, 0.8])
    for r in [r for r in data["results"] if r["metric"] == "accuracy"]:
        r["threshold"] = 0.5
        data["results"].append({**r, "threshold": 0.8, "value": r["value"] - 0.1, "ci_low": r["ci_low"] - 0.1,
                                "ci_high": r["ci_high"] - 0.1})
    results = AnalysisResults.model_validate(data)
    a = build_view(_card("binary-classification", metrics, data={"path": "x.csv", "label": "y", "score": "s",
                                                                  "thresholds": [0.5, 0.8]}), results).analyses
    table = next(t for t in a.task_tables if t.id == "operating-points")
    assert [r[0].text for r in table.rows] == ["0.5", "0.8"]
    assert [str(r[1]) for r in table.rows] == ["0.500 (0.490 to 0.510)", "0.400 (0.390 to 0.410)"]
    overall = {r[0].text: str(r[1]) for r in a.overall.rows}
    assert overall["Accuracy"] == "0.500 (0.490 to 0.510)"  # the first operating point


def test_a_list_of_evaluations_renders_each_with_one_summary():
    one = _results("binary-classification", ["accuracy"], evaluation="credit")
    two = _results("scored", ["mean", "p50"], evaluation="toxicity")
    merged = {**one, "settings": None,
              "evaluations": [{"name": "credit", "task": "binary-classification", "provenance": one["provenance"],
                               "settings": one["settings"]},
                              {"name": "toxicity", "task": "scored", "provenance": two["provenance"],
                               "settings": two["settings"]}],
              "results": one["results"] + two["results"]}
    results = AnalysisResults.model_validate(merged)
    evals = [NamedEvaluation.model_validate({"name": "credit", "factors": list(GROUPS), "metrics": ["accuracy"]}),
             NamedEvaluation.model_validate({"name": "toxicity", "task": "scored", "factors": list(GROUPS),
                                             "metrics": ["mean", "p50"]})]
    card = loan().model_copy(update={"quantitative_analyses": evals})
    view = build_view(card, results)
    assert [a.name for a in view.evaluations] == ["credit", "toxicity"]
    assert [a.groups.id for a in view.evaluations] == ["credit-results-by-group", "toxicity-results-by-group"]
    assert [t.caption.split(":")[0] for t in view.summary.tables] == ["credit", "toxicity"]
    html = cardwright.render(card, results, to="html")
    assert html.count(">Evaluation: ") == 2 and 'id="credit-chart-groups-title"' in html
    md = cardwright.render(card, results, to="md")
    assert "### Evaluation: credit" in md and "#### Results by group" in md


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_task_renders_are_deterministic(fmt):
    metrics = ["mean", "p10", "p50", "p90"]
    results = AnalysisResults.model_validate(_results("scored", metrics))
    card = _card("scored", metrics)
    assert cardwright.render(card, results, to=fmt) == cardwright.render(card, results, to=fmt)


def test_a_count_reads_as_a_whole_number_beside_its_n():
    """`count` is the slice's rows: the shipped LLM card's tables print ``294``, never ``294.000``."""
    from pathlib import Path

    card = cardwright.load(Path(__file__).resolve().parents[1] / "examples" / "assistant-llm"
                           / "assistant-llm.model-card.yaml")
    md = cardwright.render(card, cardwright.results_for(card), to="md")
    rows = [line.split("|")[1:-1] for line in md.splitlines() if line.startswith("| cyber |")]
    assert rows and all(cells[1].strip() == cells[2].strip() == "294" for cells in rows)
    assert ".000 |" not in md.split("## 8.")[0].split("Evaluation: refusals")[1]
