"""Exports checked with the libraries that read them (huggingface_hub, cyclonedx-python-lib), and
imports from Model Card Toolkit JSON and Hugging Face READMEs that validate."""

from __future__ import annotations

import json

import pytest

import cardwright
from cardwright._compute.api import load_results
from conftest import FIXTURES
from workflows_cards import credit_copy

IMPORTS = FIXTURES / "import"


@pytest.fixture(scope="module")
def credit(tmp_path_factory):
    return credit_copy(tmp_path_factory.mktemp("export"))


def test_huggingface_model_card_round_trips(credit, cli):
    hub = pytest.importorskip("huggingface_hub")
    out = credit / "README.md"
    run = cli("export", str(credit / "credit.model-card.yaml"), "--to", "huggingface", "-o", str(out))
    assert run.code == 0, run.err
    card = hub.ModelCard(out.read_text())  # parses the front matter; no network
    results = load_results(cardwright.load(credit / "credit.model-card.yaml"))
    overall = {r.metric: r.value for r in results.results if not r.slice and r.value is not None}
    name = "Fernhill consumer credit applications, research extract 2.0 (test split)"
    got = {e.metric_type: e.metric_value for e in card.data.eval_results if e.dataset_name == name}
    assert got == overall
    # every published row is in model-index: one Hub result per slice, the slice named
    published = [r for r in results.results if r.value is not None and not r.suppressed]
    assert len(card.data.eval_results) == len(published)
    female = next(e for e in card.data.eval_results if e.dataset_name == f"{name} (sex=female)" and e.metric_type == "accuracy")
    assert female.dataset_args["slice"] == {"sex": "female"}
    assert female.metric_value == results.value("accuracy", {"sex": "female"}).value
    assert card.data.license == "apache-2.0"
    assert "cardwright" in card.data.tags
    # the body carries the disaggregated tables
    assert "Fernhill personal-loan pre-screening model" in card.text
    female = next(r for r in results.results if r.slice == {"sex": "female"} and r.metric == "accuracy")
    row = next(line for line in card.text.splitlines() if line.startswith("| Female | "))
    assert f"{female.value:.3f} ({female.ci_low:.3f} to {female.ci_high:.3f})" in row
    assert "| Female × Black |" in card.text
    # deterministic
    again = credit / "README2.md"
    cli("export", str(credit / "credit.model-card.yaml"), "--to", "huggingface", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_huggingface_dataset_card(credit, cli):
    hub = pytest.importorskip("huggingface_hub")
    out = credit / "DATASET.md"
    assert cli("export", str(credit / "credit.datasheet.yaml"), "--to", "huggingface", "-o", str(out)).code == 0
    card = hub.DatasetCard(out.read_text())
    sheet = cardwright.load(credit / "credit.datasheet.yaml")
    rows = load_results(sheet).rows
    assert card.data.pretty_name == sheet.dataset.name
    assert card.data.license == "cc-by-4.0"
    assert card.data.size_categories == ["1K<n<10K" if rows < 10_000 else "10K<n<100K"]
    assert set(sheet.dataset.tags) <= set(card.data.tags)


def test_cyclonedx_bom_passes_the_strict_validator(credit, cli):
    pytest.importorskip("cyclonedx")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    validator = JsonStrictValidator(SchemaVersion.V1_6)
    out = credit / "model.cdx.json"
    assert cli("export", str(credit / "credit.model-card.yaml"), "--to", "cyclonedx", "-o", str(out)).code == 0
    text = out.read_text()
    assert validator.validate_str(text) is None
    bom = json.loads(text)
    (component,) = bom["components"]
    assert component["type"] == "machine-learning-model"
    mc = component["modelCard"]
    results = load_results(cardwright.load(credit / "credit.model-card.yaml"))
    metrics = mc["quantitativeAnalysis"]["performanceMetrics"]
    assert len(metrics) == len(results.results)  # every slice's metric
    first = next(r for r in results.results if r.slice)
    entry = metrics[results.results.index(first)]
    assert entry["slice"] == ", ".join(f"{k}={v}" for k, v in first.slice.items())
    if first.value is not None:
        assert float(entry["value"]) == first.value
        assert float(entry["confidenceInterval"]["lowerBound"]) == first.ci_low
    assert [d["name"] for d in mc["modelParameters"]["datasets"]] == [
        "Fernhill consumer credit applications, research extract 2.0 (train split)",
        "Fernhill consumer credit applications, research extract 2.0 (test split)"]
    fairness = mc["considerations"]["fairnessAssessments"]
    assert len(fairness) == len(results.gates)
    assert all("gate" in f["harms"] for f in fairness)
    assert mc["considerations"]["ethicalConsiderations"][0]["mitigationStrategy"]
    # the validator is really strict: an unknown key in the model card is refused
    mc["surprise"] = 1
    assert validator.validate_str(json.dumps(bom)) is not None


def test_cyclonedx_datasheet_and_determinism(credit, cli, monkeypatch):
    pytest.importorskip("cyclonedx")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    out = credit / "data.cdx.json"
    assert cli("export", str(credit / "credit.datasheet.yaml"), "--to", "cyclonedx", "-o", str(out)).code == 0
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(out.read_text()) is None
    assert json.loads(out.read_text())["components"][0]["type"] == "data"
    first = cli("export", str(credit / "credit.model-card.yaml"), "--to", "cyclonedx", "-o", "-").out
    assert first == cli("export", str(credit / "credit.model-card.yaml"), "--to", "cyclonedx", "-o", "-").out
    assert '"timestamp"' not in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = cli("export", str(credit / "credit.model-card.yaml"), "--to", "cyclonedx", "-o", "-").out
    assert '"timestamp": "2023-11-14T22:13:20Z"' in stamped


def test_import_model_card_toolkit(tmp_path, cli):
    out = tmp_path / "model-card.yaml"
    run = cli("import", str(IMPORTS / "mct_census.json"), "--from", "model-card-toolkit", "-o", str(out))
    assert run.code == 0, run.err
    assert cli("validate", str(out)).code == 0
    card = cardwright.load(out)
    md = card.model_details
    assert (md.name, md.version, md.date.isoformat()) == ("Census income classifier", "0.3.1", "2022-03-14")
    assert md.license == "Apache-2.0"
    assert [o.name for o in md.owners] == ["Responsible AI demo team", "Census data steward"]
    assert md.owners[0].contact == "rai-demo@example.org"
    assert md.type.startswith("Gradient-boosted decision trees")
    assert [d.name for d in card.training_data.datasets] == ["UCI Adult, training split"]
    assert [d.name for d in card.evaluation_data.datasets] == ["UCI Adult, test split"]
    assert [m.name for m in card.metrics.performance_measures] == ["accuracy", "false_positive_rate", "roc_auc"]
    assert "Researchers studying fairness metrics" in card.intended_use.primary_users
    assert "Licensed for research and teaching only" in card.ethical_considerations.mitigations
    source = json.loads((IMPORTS / "mct_census.json").read_text())["quantitative_analysis"]["performance_metrics"]
    reported = card.reported_results.results
    assert [(r.metric, r.value) for r in reported] == [(m["type"], m["value"]) for m in source]
    kept = card.extensions["model_card_toolkit"]
    assert kept["path"] == "gs://example-bucket/models/census/0.3.1"
    # what could not be mapped is listed on stderr and as comments in the card
    text = out.read_text()
    for item in ("model_details.references.1", "quantitative_analysis.graphics", "model_details.path"):
        assert f"not mapped: {item}" in run.err
        assert f"#   - {item}" in text


def test_import_huggingface_readme(tmp_path, cli):
    out = tmp_path / "card.yaml"
    run = cli("import", str(IMPORTS / "hf_sentiment_README.md"), "--from", "huggingface", "-o", str(out))
    assert run.code == 0, run.err
    assert cli("validate", str(out)).code == 0
    card = cardwright.load(out)
    md = card.model_details
    assert md.name == "distilbert-sst2-sentiment" and md.license == "Apache-2.0"
    assert md.developers[0].name == "Example NLP Lab"
    assert md.citation.bibtex.startswith("@inproceedings{socher2013")
    assert md.feedback_contact == "nlp-lab@example.org"
    assert card.intended_use.out_of_scope_uses.startswith("Not for content moderation")
    assert "film reviews" in card.ethical_considerations.risks_and_harms
    assert [d.url for d in card.training_data.datasets] == ["https://huggingface.co/datasets/stanfordnlp/sst2"]
    assert [m.name for m in card.metrics.performance_measures] == ["accuracy", "f1"]
    assert [(r.metric, r.value, r.dataset.split) for r in card.reported_results.results] == [
        ("accuracy", 0.9106, "validation"), ("f1", 0.9124, "validation")]
    assert card.extensions["huggingface"]["front_matter"]["base_model"] == "distilbert/distilbert-base-uncased"
    assert "### How to Get Started with the Model" in card.notes
    assert "not mapped: section 'How to Get Started with the Model'" in run.err
    assert "front matter with no card field, kept for the export: language, library_name, tags, metrics, thumbnail" in run.err


def test_export_then_import_keeps_the_evaluation_results(credit, tmp_path, cli):
    readme = tmp_path / "README.md"
    cli("export", str(credit / "credit.model-card.yaml"), "--to", "huggingface", "-o", str(readme))
    out = tmp_path / "back.yaml"
    assert cli("import", str(readme), "--from", "huggingface", "-o", str(out)).code == 0
    back = cardwright.load(out)
    assert back.model_details.name == "Fernhill personal-loan pre-screening model"
    results = load_results(cardwright.load(credit / "credit.model-card.yaml"))
    values = {r.metric: r.value for r in back.reported_results.results if not r.slice}
    assert values["accuracy"] == results.value("accuracy").value
    female = next(r for r in back.reported_results.results if r.slice == {"sex": "female"} and r.metric == "accuracy")
    row = results.value("accuracy", {"sex": "female"})
    assert (female.value, female.ci_low, female.ci_high, female.n) == (row.value, row.ci_low, row.ci_high, row.n)


def test_import_errors(tmp_path, cli):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    run = cli("import", str(bad), "--from", "model-card-toolkit", "-o", str(tmp_path / "x.yaml"))
    assert run.code == 1 and "error[import]: not valid JSON" in run.err
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}')
    run = cli("import", str(other), "--from", "model-card-toolkit", "-o", str(tmp_path / "x.yaml"))
    assert run.code == 1 and "not Model Card Toolkit JSON" in run.err
    existing = tmp_path / "exists.yaml"
    existing.write_text("keep me")
    run = cli("import", str(IMPORTS / "mct_census.json"), "--from", "model-card-toolkit", "-o", str(existing))
    assert run.code == 1 and existing.read_text() == "keep me"
