"""The exports of results of every task: binary classification at several operating points,
multiclass with per-class rows, regression, scored, and a list of named evaluations (results
files built through the results schema, see export_cards.py), and the shipped examples' computed
results.

For each: every published row is exactly one metric of the Hugging Face ``model-index`` (strict
load by huggingface_hub), no two alike (evaluation, class and threshold told apart), and the Hub →
cardwright → Hub round trip gives the same ``model-index``; every row the results file holds is
one CycloneDX ``performanceMetrics`` entry with its evaluation, class and threshold in its slice
(strict 1.6 validation), no two alike.  Model Card Toolkit metrics, which have no task, are named
on standard error and listed in the README body.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

import cardwright
from cardwright._compute.api import load_results
from conftest import EXAMPLES, FIXTURES
from export_cards import CARDS, write_card

hub = pytest.importorskip("huggingface_hub")
pytest.importorskip("cyclonedx")
from cyclonedx.schema import SchemaVersion  # noqa: E402
from cyclonedx.validation.json import JsonStrictValidator  # noqa: E402

#: The documented task mapping (docs/workflows.md).
HUB_TASK = {"binary-classification": "tabular-classification", "multiclass-classification": "tabular-classification",
            "regression": "tabular-regression", "scored": "other"}
EXAMPLE_CARDS = sorted(EXAMPLES.glob("*/*.model-card.yaml"))


def front(text: str) -> dict:
    return yaml.safe_load(text.split("\n---", 1)[0][4:])


def published(results) -> list:
    return [r for r in results.results if r.value is not None and not r.suppressed]


def identity(row) -> tuple:
    """What tells a results row apart: evaluation, slice, metric, class, threshold."""
    return (row.evaluation, tuple(sorted(row.slice.items())), row.metric, row.class_, row.threshold)


def hub_identity(e, listed: bool) -> tuple:
    """The same, read back from a Hub evaluation result."""
    args = e.metric_args or {}
    return (e.dataset_config if listed else None, tuple(sorted(((e.dataset_args or {}).get("slice") or {}).items())),
            e.metric_type, args.get("class"), args.get("threshold"))


def hub_key(e) -> tuple:
    """Everything the Hub shows of a metric but its value: two equal keys are duplicates."""
    return (e.task_type, e.task_name, e.dataset_type, e.dataset_name, e.dataset_config, e.dataset_split,
            json.dumps(e.dataset_args, sort_keys=True), e.source_name, e.source_url, e.metric_type, e.metric_config)


def task_of(results, evaluation: str | None) -> str:
    if results.evaluations is not None:
        return next(e.task for e in results.evaluations if e.name == evaluation)
    return results.settings.task or "binary-classification"


@pytest.fixture
def cards(tmp_path):
    return {name: write_card(tmp_path, name) for name in CARDS}


def export(cli, card: Path, fmt: str) -> str:
    run = cli("export", str(card), "--to", fmt, "-o", "-")
    assert run.code == 0, run.err
    return run.out


def check_model_index(card_path: Path, readme: str) -> None:
    """Every published row is one Hub metric, with its value, interval, class and threshold, and
    none is written twice."""
    results = load_results(cardwright.load(card_path))
    listed = results.evaluations is not None
    evals = hub.ModelCard(readme).data.eval_results or []  # strict metadata
    rows = published(results)
    assert len(evals) == len(rows)
    assert len({hub_key(e) for e in evals}) == len(evals)
    by_identity = {hub_identity(e, listed): e for e in evals}
    assert set(by_identity) == {identity(r) for r in rows}
    for r in rows:
        e = by_identity[identity(r)]
        assert e.metric_value == r.value and (e.metric_args or {}).get("n") == r.n  # a hidden count is not written
        if r.ci_low is not None:
            assert (e.metric_args["ci_low"], e.metric_args["ci_high"]) == (r.ci_low, r.ci_high)
        assert (e.task_type, e.task_name.lower()) == (HUB_TASK[task_of(results, r.evaluation)],
                                                     task_of(results, r.evaluation).replace("-", " "))
        if r.class_ is not None:
            assert f"class {r.class_}" in e.metric_name and e.metric_config == f"class={r.class_}"
        if r.threshold is not None:
            assert f"threshold {r.threshold}" in e.metric_name and e.metric_config == f"threshold={r.threshold}"
        if r.class_ is None and r.threshold is None:
            assert e.metric_config is None
        if listed:
            assert e.dataset_config == r.evaluation and r.evaluation.casefold() in e.dataset_name.casefold()
    # one Hub result never holds the same metric twice
    for result in front(readme)["model-index"][0]["results"]:
        metrics = [(m["type"], m.get("config")) for m in result["metrics"]]
        assert len(set(metrics)) == len(metrics)


@pytest.mark.parametrize("name", sorted(CARDS))
def test_model_index_carries_every_published_row_distinctly(name, cards, cli):
    check_model_index(cards[name], export(cli, cards[name], "huggingface"))


def test_withheld_rows_are_not_in_model_index(cards, cli):
    results = load_results(cardwright.load(cards["evaluations"]))
    withheld = [r for r in results.results if r.value is None or r.suppressed]
    assert {r.reason for r in withheld} == {"fewer than 30 rows", "undefined: no actual positives"}
    evals = hub.ModelCard(export(cli, cards["evaluations"], "huggingface")).data.eval_results
    assert not {identity(r) for r in withheld} & {hub_identity(e, True) for e in evals}


def test_evaluations_are_results_of_their_own(cards, cli):
    """Two evaluations of one task stay apart; each has its task and the dataset the card gives it."""
    index = front(export(cli, cards["evaluations"], "huggingface"))["model-index"][0]["results"]
    overall = {r["dataset"]["config"]: r for r in index if "args" not in r["dataset"]}
    assert sorted(overall) == ["benchmark", "graded", "holdout-2023", "holdout-2024", "prices"]
    # the dataset named like the evaluation
    assert overall["benchmark"]["dataset"] == {"name": "Benchmark", "type": "benchmark", "config": "benchmark",
                                               "split": "test"}
    # the dataset whose datasheet describes the evaluation's data file
    assert overall["prices"]["dataset"] == {"name": "Sales records · prices", "type": "acme/sales", "config": "prices"}
    # no dataset of the card is the evaluation's: it is not attributed to one
    assert overall["holdout-2023"]["dataset"] == {"name": "holdout-2023", "type": "holdout-2023",
                                                  "config": "holdout-2023"}
    assert overall["prices"]["task"] == {"type": "tabular-regression", "name": "Regression"}
    assert overall["graded"]["task"] == {"type": "other", "name": "Scored"}
    assert overall["holdout-2024"]["task"] == {"type": "tabular-classification", "name": "Binary classification"}


def test_evaluations_of_the_only_dataset(cards, cli):
    card = cards["evaluations"]
    text = card.read_text()
    start, end = text.index("evaluation_data:"), text.index("training_data:")
    card.write_text(text[:start] + "evaluation_data:\n  datasets:\n    - {name: Holdout, split: test}\n" + text[end:])
    index = front(export(cli, card, "huggingface"))["model-index"][0]["results"]
    names = {r["dataset"]["config"]: r["dataset"]["name"] for r in index if "args" not in r["dataset"]}
    assert names == {e: f"Holdout · {e}" for e in ("holdout-2023", "holdout-2024", "benchmark", "prices", "graded")}


def test_hand_written_task_and_dataset_per_evaluation(cards, cli):
    card = cards["evaluations"]
    card.write_text(card.read_text() + "extensions:\n  huggingface:\n    task_type: {graded: text-generation}\n"
                    "    dataset_id: acme/holdout\n    dataset_split: {prices: validation}\n")
    index = front(export(cli, card, "huggingface"))["model-index"][0]["results"]
    tasks = {r["dataset"]["config"]: r["task"]["type"] for r in index}
    assert tasks["graded"] == "text-generation" and tasks["prices"] == "tabular-regression"
    assert {r["dataset"]["type"] for r in index} == {"acme/holdout"}
    splits = {r["dataset"]["config"]: r["dataset"].get("split") for r in index}
    assert splits["prices"] == "validation" and splits["benchmark"] == "test" and splits["graded"] is None


@pytest.mark.parametrize("name", sorted(CARDS))
def test_round_trip_through_reported_results_is_lossless(name, cards, cli, tmp_path):
    first = export(cli, cards[name], "huggingface")
    readme = tmp_path / f"{name}.README.md"
    readme.write_text(first)
    back = tmp_path / f"{name}.back.yaml"
    run = cli("import", str(readme), "--from", "huggingface", "-o", str(back))
    assert run.code == 0, run.err
    reported = cardwright.load(back).reported_results.results
    assert len(reported) == len(published(load_results(cardwright.load(cards[name]))))
    assert len({r.key for r in reported}) == len(reported)  # no two alike for gates, diff and --into
    second = export(cli, back, "huggingface")
    assert front(second)["model-index"] == front(first)["model-index"]
    assert hub.ModelCard(second).data.eval_results == hub.ModelCard(first).data.eval_results
    # importing the same README into the card again finds every result there already
    again = cli("import", str(readme), "--from", "huggingface", "--into", str(back))
    assert again.code == 0 and "0 reported results added" in again.err
    # and the reported results keep their evaluation, class and threshold apart in CycloneDX too
    bom = export(cli, back, "cyclonedx")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom) is None
    entries = json.loads(bom)["components"][0]["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
    assert len(entries) == len(reported) == len({(m["type"], m["slice"]) for m in entries})


def expected_slice(row) -> str:
    group = ", ".join(f"{k}={v}" for k, v in row.slice.items()) or "overall"
    words = [f"evaluation {row.evaluation}"] if row.evaluation else []
    words += [f"class {row.class_}"] if row.class_ is not None else []
    words += [f"threshold {row.threshold}"] if row.threshold is not None else []
    return group + (f" ({'; '.join(words)})" if words else "")


def check_cyclonedx(card_path: Path, bom: str) -> None:
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom) is None
    results = load_results(cardwright.load(card_path))
    entries = json.loads(bom)["components"][0]["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
    assert len(entries) == len(results.results)  # every row the file holds; a withheld one says why
    assert len({(m["type"], m["slice"]) for m in entries}) == len(entries)
    numbers = [m for m in entries if not m["value"].startswith(("suppressed:", "not available:"))]
    assert len(numbers) == len(published(results))
    for row, entry in zip(results.results, entries, strict=True):
        assert (entry["type"], entry["slice"]) == (row.metric, expected_slice(row))
        if row.value is None or row.suppressed:
            assert row.reason in entry["value"] and "confidenceInterval" not in entry
        else:
            assert float(entry["value"]) == row.value
            if row.ci_low is not None:
                assert float(entry["confidenceInterval"]["lowerBound"]) == row.ci_low


@pytest.mark.parametrize("name", sorted(CARDS))
def test_cyclonedx_names_evaluation_class_and_threshold(name, cards, cli):
    check_cyclonedx(cards[name], export(cli, cards[name], "cyclonedx"))


def test_cyclonedx_task_and_fairness_per_evaluation(cards, cli):
    mc = json.loads(export(cli, cards["evaluations"], "cyclonedx"))["components"][0]["modelCard"]
    assert mc["modelParameters"]["task"] == "binary-classification, multiclass-classification, regression, scored"
    results = load_results(cardwright.load(cards["evaluations"]))
    fairness = mc["considerations"]["fairnessAssessments"]
    assert len(fairness) == len(results.gates) == 2
    for gate, entry in zip(results.gates, fairness, strict=True):
        d = next(d for d in results.disparities if d.evaluation == gate.evaluation and d.metric == gate.metric
                 and d.threshold == gate.threshold)
        assert f"recall (evaluation {gate.evaluation}; threshold 0.5) differs by {d.difference:.4g}" in entry["harms"]
        assert ("passed" if gate.passed else "FAILED") in entry["harms"]


@pytest.mark.parametrize("path", EXAMPLE_CARDS, ids=lambda p: p.parent.name)
def test_shipped_examples_export_their_computed_results(path, tmp_path, cli):
    folder = tmp_path / path.parent.name
    shutil.copytree(path.parent, folder)
    card = folder / path.name
    assert load_results(cardwright.load(card)) is not None
    readme = export(cli, card, "huggingface")
    check_model_index(card, readme)
    check_cyclonedx(card, export(cli, card, "cyclonedx"))
    (folder / "README.md").write_text(readme)
    assert cli("import", str(folder / "README.md"), "--from", "huggingface", "-o", str(folder / "back.yaml")).code == 0
    assert front(export(cli, folder / "back.yaml", "huggingface"))["model-index"] == front(readme)["model-index"]


MCT = [*sorted((FIXTURES / "interop" / "model_card_toolkit").glob("*.json")), FIXTURES / "import" / "mct_census.json"]


def reported_table_rows(body: str) -> list[list[str]]:
    """The rows of the tables in the README's "Reported results" section (Markdown escapes undone)."""
    section = body.split("## Reported results", 1)[1].split("\n## ", 1)[0].replace("\\", "")
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| Metric |")]
    return [r for r in rows if r[0] != "---"]


@pytest.mark.parametrize("path", [p for p in MCT if "considerations" not in p.name], ids=lambda p: p.name)
def test_metrics_without_a_task_are_named_and_listed_in_the_body(path, tmp_path, cli):
    """Model Card Toolkit metrics have no task, so they stay out of model-index; the export says so
    on standard error, and the README body lists every one of them."""
    from cardwright._render.text import humanize

    card = tmp_path / "card.yaml"
    assert cli("import", str(path), "--from", "model-card-toolkit", "-o", str(card)).code == 0
    reported = cardwright.load(card).reported_results.results
    assert reported and all(r.task is None for r in reported)
    run = cli("export", str(card), "--to", "huggingface", "-o", "-")
    assert run.code == 0
    for i, r in enumerate(reported):
        assert f"not exported: reported_results.results.{i} ({r.metric}) has no task" in run.err
    assert "listed in the README's reported results" in run.err
    assert not hub.ModelCard(run.out).data.eval_results  # strict load; nothing invented
    rows = reported_table_rows(run.out.split("\n---", 1)[1])
    assert len(rows) == len(reported)
    expected = Counter((humanize(r.metric), " × ".join(f"{humanize(k)}: {v}" for k, v in r.slice.items()) or "overall",
                        f"{r.number:.4g}") for r in reported)
    assert Counter((row[0], row[1], row[2].split(" (")[0]) for row in rows) == expected
