"""The card and results vocabulary of every task: a list of named evaluations, task-specific
columns and metrics, the new gate kinds, and results files whose added keys appear only when used
(so results of cards that use none of them keep their bytes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cardwright
from card_heads import model_card_head
from cardwright._compute.api import compute_card, dumps, parse_results
from cardwright.schema.analysis import NamedEvaluation, QuantitativeAnalyses
from cardwright.schema.metric_names import DEFAULT_METRICS, TASK_METRICS, direction, threshold_dependent

HEAD = model_card_head("Assistant")


def card_file(tmp_path: Path, qa: str) -> Path:
    path = tmp_path / "card.yaml"
    path.write_text(HEAD + qa, encoding="utf-8")
    (tmp_path / "eval.csv").write_text("toxicity,correct\n0.1,true\n0.4,false\n", encoding="utf-8")
    return path


def test_a_list_of_named_evaluations_loads_with_positions(tmp_path: Path) -> None:
    path = card_file(tmp_path, """quantitative_analyses:
  - name: toxicity
    task: scored
    data: {path: eval.csv, score: toxicity}
  - name: qa
    task: scored
    data: {path: eval.csv, score: correct}
    metrics: [count, pass_rate]
""")
    card = cardwright.load(path)
    comp = card.computation
    assert comp is not None and comp.is_list
    assert [(e.name, e.loc, e.spec.task) for e in comp.evaluations] == [
        ("toxicity", ("quantitative_analyses", 0), "scored"), ("qa", ("quantitative_analyses", 1), "scored")]
    assert isinstance(card.quantitative_analyses, list) and isinstance(card.quantitative_analyses[0], NamedEvaluation)
    assert comp.evaluations[0].spec.metrics == list(DEFAULT_METRICS["scored"])
    assert comp.data_paths == [("eval.csv", ("quantitative_analyses", 0, "data", "path")),
                               ("eval.csv", ("quantitative_analyses", 1, "data", "path"))]
    assert card.locate(comp.evaluations[1].data_loc)[0] == 17


def test_every_task_has_default_metrics_it_computes() -> None:
    for task, metrics in DEFAULT_METRICS.items():
        qa = QuantitativeAnalyses.model_validate({"task": task})
        assert qa.metrics == list(metrics) and set(metrics) <= set(TASK_METRICS[task])


def test_metric_facts() -> None:
    assert direction("accuracy") == "higher" and direction("log_loss") == "lower" and direction("mean_error") == "none"
    assert threshold_dependent("binary-classification", "recall")
    assert not threshold_dependent("binary-classification", "roc_auc")
    assert not threshold_dependent("multiclass-classification", "accuracy")


def test_class_score_keys_are_read_as_text() -> None:
    qa = QuantitativeAnalyses.model_validate({
        "task": "multiclass-classification",
        "data": {"path": "x.csv", "label": "y", "class_scores": {3: "p3", 2.0: "p2", False: "pf", "cat": "pc"}},
    })
    assert qa.data is not None and qa.data.class_scores == {"3": "p3", "2": "p2", "false": "pf", "cat": "pc"}


def test_results_leave_out_added_keys_until_used() -> None:
    fixture = Path(__file__).parent / "fixtures" / "results" / "example.results.json"
    text = fixture.read_text(encoding="utf-8")
    results = parse_results(text)
    assert dumps(results) == text
    for row in json.loads(text)["results"]:
        assert not {"evaluation", "class", "threshold", "n_effective"} & set(row)
    row = results.results[0].model_copy(update={"class_": "cat", "threshold": 0.5, "evaluation": "qa"})
    dumped = row.model_dump(mode="json", by_alias=True)
    assert dumped["class"] == "cat" and dumped["threshold"] == 0.5 and dumped["evaluation"] == "qa"


def test_a_list_card_computes_into_one_file_whose_rows_name_their_evaluation(tmp_path: Path) -> None:
    path = card_file(tmp_path, """quantitative_analyses:
  - name: toxicity
    task: scored
    data: {path: eval.csv, score: toxicity}
    metrics: [count, mean]
    min_group_size: 1
    min_cell_size: 1
  - name: qa
    task: scored
    data: {path: eval.csv, score: correct}
    metrics: [count, pass_rate]
    min_group_size: 1
    min_cell_size: 1
""")
    card = cardwright.load(path)
    results = compute_card(card)
    assert results.settings is None and results.evaluations is not None
    assert [(e.name, e.task, e.provenance.rows_used) for e in results.evaluations] == [("toxicity", "scored", 2),
                                                                                         ("qa", "scored", 2)]
    assert results.value("mean", evaluation="toxicity").value == pytest.approx(0.25)
    assert results.value("pass_rate", evaluation="qa").value == 0.5
    assert {r.evaluation for r in results.results} == {"toxicity", "qa"}
    assert results.provenance.rows_used == 4 and results.provenance.data_path is None
    assert json.loads(dumps(results))["results"][0]["evaluation"] == "toxicity"


def test_list_results_round_trip() -> None:
    fixture = Path(__file__).parent / "fixtures" / "invalid" / "refs" / "two-evaluations.results.json"
    results = parse_results(fixture.read_text(encoding="utf-8"))
    assert results.settings is None and results.evaluations is not None
    assert [e.name for e in results.evaluations] == ["qa", "refusals"]
    assert results.value("mean", evaluation="qa") is not None and results.value("mean") is None
    assert json.loads(dumps(results))["evaluations"][0]["settings"]["task"] == "scored"
