"""Model Card Toolkit cards and lm-evaluation-harness results (real files, see
tests/fixtures/interop/README.md), their reported results checked against the source files read
here with json, and `import --into` an existing hand-written card."""

from __future__ import annotations

import json
import math
import shutil

import pytest

import cardwright
from conftest import FIXTURES

CORPUS = FIXTURES / "interop"
MCT = sorted((CORPUS / "model_card_toolkit").glob("*.json"))
HARNESS = sorted((CORPUS / "lm_eval_harness").glob("*.json"))
Z95 = 1.959963984540054


def imported(cli, path, source, tmp_path, name="card.yaml"):
    out = tmp_path / name
    run = cli("import", str(path), "--from", source, "-o", str(out))
    assert run.code == 0, run.err
    assert cli("validate", str(out)).code == 0
    return run, out, cardwright.load(out)


@pytest.mark.parametrize("path", MCT, ids=lambda p: p.name)
def test_mct_corpus(path, tmp_path, cli):
    run, out, card = imported(cli, path, "model-card-toolkit", tmp_path)
    doc = json.loads(path.read_text())
    metrics = (doc.get("quantitative_analysis") or {}).get("performance_metrics") or []
    reported = card.reported_results.results if card.reported_results else []
    assert len(reported) == len(metrics)
    for r, m in zip(reported, metrics, strict=True):
        assert r.metric == m["type"] and r.number == float(m["value"])
        ci = m.get("confidence_interval")
        if ci:
            assert (r.ci_low, r.ci_high) == (float(ci["lower_bound"]), float(ci["upper_bound"]))
        if m.get("slice") and m["slice"] != "overall":
            assert r.slice == {"slice": m["slice"]}
        if m.get("threshold") is not None:
            assert r.settings["threshold"] == float(m["threshold"])
    text = out.read_text()
    assert "iVBORw0KGgo" not in text and len(text) < 20_000  # no image carried into the card
    if "iVBORw0KGgo" in path.read_text():
        assert "graphics" in run.err


def test_mct_dates_datasets_references_and_regulation(tmp_path, cli):
    _, _, v1 = imported(cli, CORPUS / "model_card_toolkit" / "cats_vs_dogs_v0_0_1.json", "model-card-toolkit", tmp_path)
    assert v1.model_details.date.isoformat() == "2020-08-28"  # "08/28/2020"
    assert v1.model_details.license == "Apache-2.0"
    _, _, v2 = imported(cli, CORPUS / "model_card_toolkit" / "cats_vs_dogs_v0_0_2.json", "model-card-toolkit", tmp_path, "v2.yaml")
    assert [d.name for d in v2.evaluation_data.datasets] == ["Validation Set"]
    assert [d.name for d in v2.training_data.datasets] == ["Training Set"]
    assert {r.dataset.name for r in v2.reported_results.results} == {"Validation Set"}
    assert v2.model_details.license == "Apache-2.0"  # written as custom text
    _, _, full = imported(cli, CORPUS / "model_card_toolkit" / "full.json", "model-card-toolkit", tmp_path, "full.yaml")
    assert full.model_details.date.isoformat() == "2020-02-02"  # "2020/02/02"
    doc = json.loads((CORPUS / "model_card_toolkit" / "full.json").read_text())
    doc["model_details"]["regulatory_requirements"] = [{"regulation": "EU AI Act, high-risk system"}]
    doc["model_details"]["references"].append({"reference": "Howard et al., MobileNets, https://arxiv.org/abs/1704.04861."})
    variant = tmp_path / "variant.json"
    variant.write_text(json.dumps(doc))
    _, _, card = imported(cli, variant, "model-card-toolkit", tmp_path, "variant.yaml")
    assert card.governance.regulatory_context == "EU AI Act, high-risk system"
    links = {(link.title, link.url) for link in card.model_details.paper_or_resource}
    assert ("Howard et al., MobileNets", "https://arxiv.org/abs/1704.04861") in links


@pytest.mark.parametrize(("text", "code"), [
    ("[" * 5000 + "]" * 5000, "yaml-depth"),
    ('{"model_details": {"name": "x"}, "pad": "' + "a" * (2 * 1024 * 1024) + '"}', "file-too-large"),
    ("{not json", "import"),
])
def test_mct_json_is_bounded(text, code, tmp_path, cli):
    path = tmp_path / "card.json"
    path.write_text(text)
    run = cli("import", str(path), "--from", "model-card-toolkit", "-o", str(tmp_path / "x.yaml"))
    assert run.code == 1 and f"error[{code}]" in run.err and "Traceback" not in run.err


def _expected_rows(doc: dict) -> list[tuple[str, str, float, float | None]]:
    """(task, metric, value, stderr) for every numeric "metric,filter" entry, read straight from the file."""
    tasks = dict(doc["results"])
    for g, entry in (doc.get("groups") or {}).items():
        tasks.setdefault(g, entry)
    out = []
    for task, entry in tasks.items():
        for key, value in entry.items():
            if "," in key and "_stderr," not in key and isinstance(value, (int, float)):
                metric, _, filt = key.partition(",")
                se = entry.get(f"{metric}_stderr,{filt}")
                out.append((task, metric, float(value), float(se) if isinstance(se, (int, float)) else None))
    return out


@pytest.mark.parametrize("path", HARNESS, ids=lambda p: p.name)
def test_harness_results(path, tmp_path, cli):
    _, _, card = imported(cli, path, "lm-eval-harness", tmp_path)
    doc = json.loads(path.read_text())
    rows = card.reported_results.results
    expected = _expected_rows(doc)
    assert [(r.settings["task"], r.metric, r.value) for r in rows] == [(t, m, v) for t, m, v, _ in expected]
    for r, (task, _, value, se) in zip(rows, expected, strict=True):
        assert r.source.harness == "lm-evaluation-harness"
        assert r.settings.get("n_shot") == doc["n-shot"].get(task)
        if se is None:
            assert r.ci_low is None and r.stderr is None
        else:
            assert r.stderr == se and r.confidence_level == 0.95
            assert math.isclose(r.ci_low, value - 1.96 * se, rel_tol=1e-4)
            assert math.isclose(r.ci_high, value + 1.96 * se, rel_tol=1e-4)
        samples = (doc.get("n-samples") or {}).get(task)
        assert r.n == (samples["effective"] if samples else None)


def test_harness_results_to_card_render_and_export(tmp_path, cli):
    hub = pytest.importorskip("huggingface_hub")
    pytest.importorskip("cyclonedx")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    path = CORPUS / "lm_eval_harness" / "results_mmlu_abstract_algebra.json"
    _, out, card = imported(cli, path, "lm-eval-harness", tmp_path)
    (row,) = card.reported_results.results
    assert (row.metric, row.value, row.n, row.date.isoformat()) == ("acc", 0.34, 100, "2025-01-21")
    assert (row.dataset.id, row.dataset.config, row.dataset.split) == ("hails/mmlu_no_train", "abstract_algebra", "test")
    assert row.source.version == "e16afa2f"
    assert card.model_details.name == "google/gemma-2-2b"  # base_name= in model_args
    md = cli("render", str(out), "--to", "md", "-o", "-").out
    assert "Reported on abstract\\_algebra (test split) · Text generation" in md
    assert f"0.34 ({0.34 - Z95 * 0.047609522856952344:.4g} to {0.34 + Z95 * 0.047609522856952344:.4g})" in md
    readme = cli("export", str(out), "--to", "huggingface", "-o", "-").out
    (e,) = hub.ModelCard(readme).data.eval_results
    assert (e.metric_type, e.metric_value, e.dataset_type, e.dataset_config, e.dataset_split) == (
        "acc", 0.34, "hails/mmlu_no_train", "abstract_algebra", "test")
    assert e.dataset_args == {"task": "mmlu_abstract_algebra", "num_few_shot": 0}
    assert e.metric_args["stderr"] == 0.047609522856952344
    bom = cli("export", str(out), "--to", "cyclonedx", "-o", "-").out
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom) is None
    assert json.loads(bom)["components"][0]["modelCard"]["quantitativeAnalysis"]["performanceMetrics"][0]["value"] == "0.34"


HAND_WRITTEN = """\
# Our credit model card: keep these comments!
kind: model-card
schema_version: 1

model_details:
  name: Hand-written model   # the name marketing chose
  version: "2.0"

intended_use: {}
factors: {}
metrics: {}   # to do
evaluation_data: {}
training_data: {}

# Ethics, written by the review board.
ethical_considerations:
  risks_and_harms: >
    Folded prose that must stay folded.
caveats_and_recommendations: {}
"""


def _subsequence(old: str, new: str) -> bool:
    it = iter(new.splitlines())
    return all(any(line == n for n in it) for line in old.splitlines())


def test_import_into_a_hand_written_card_keeps_every_line(tmp_path, cli):
    card = tmp_path / "card.yaml"
    card.write_text(HAND_WRITTEN)
    source = CORPUS / "lm_eval_harness" / "cpu_regression_expected.json"
    run = cli("import", str(source), "--from", "lm-eval-harness", "--into", str(card))
    assert run.code == 0, run.err
    text = card.read_text()
    assert _subsequence(HAND_WRITTEN, text)  # every original line, in order: comments and layout survive
    assert text.index("reported_results:") > text.index("training_data: {}")
    assert text.index("reported_results:") < text.index("# Ethics, written by the review board.")
    loaded = cardwright.load(card)
    assert len(loaded.reported_results.results) == len(_expected_rows(json.loads(source.read_text())))
    assert loaded.model_details.name == "Hand-written model"
    # again: everything is there already, nothing changes
    before = card.read_bytes()
    again = cli("import", str(source), "--from", "lm-eval-harness", "--into", str(card))
    assert again.code == 0 and "0 reported results added" in again.err and card.read_bytes() == before
    # more results append to the existing list, indented like it
    other = CORPUS / "lm_eval_harness" / "cpu_group_regression_expected.json"
    assert cli("import", str(other), "--from", "lm-eval-harness", "--into", str(card)).code == 0
    assert _subsequence(before.decode(), card.read_text())
    n = len(_expected_rows(json.loads(source.read_text()))) + len(_expected_rows(json.loads(other.read_text())))
    added = [r for r in cardwright.load(card).reported_results.results]
    assert len(added) == n - 2  # arc_easy's two results are in both files, with the same values


def test_import_into_refuses_rather_than_clobber(tmp_path, cli):
    card = tmp_path / "card.yaml"
    source = CORPUS / "lm_eval_harness" / "cpu_regression_expected.json"
    flow = HAND_WRITTEN + "reported_results: {results: [{metric: x, value: 1}]}\n"
    card.write_text(flow)
    run = cli("import", str(source), "--from", "lm-eval-harness", "--into", str(card))
    assert run.code == 1 and "flow style" in run.err and card.read_text() == flow
    # a result the card holds with another value is a conflict, never overwritten
    card.write_text(HAND_WRITTEN)
    cli("import", str(source), "--from", "lm-eval-harness", "--into", str(card))
    edited = card.read_text().replace("value: 0.3\n", "value: 0.31\n", 1)
    card.write_text(edited)
    run = cli("import", str(source), "--from", "lm-eval-harness", "--into", str(card))
    assert run.code == 1 and "has another value" in run.err and card.read_text() == edited
    # -o on an existing card does not overwrite it, and says how to add to it
    run = cli("import", str(source), "--from", "lm-eval-harness", "-o", str(card))
    assert run.code == 1 and "--into" in run.err and card.read_text() == edited
    datasheet = tmp_path / "sheet.yaml"
    shutil.copy(FIXTURES / "valid" / "minimal.datasheet.yaml", datasheet)
    run = cli("import", str(source), "--from", "lm-eval-harness", "--into", str(datasheet))
    assert run.code == 1 and "datasheet" in run.err


def test_import_into_from_huggingface_and_mct(tmp_path, cli):
    card = tmp_path / "card.yaml"
    card.write_text(HAND_WRITTEN)
    assert cli("import", str(CORPUS / "huggingface_hub" / "sample_simple_model_index.md"), "--from", "huggingface",
               "--into", str(card)).code == 0
    assert cli("import", str(CORPUS / "model_card_toolkit" / "cats_vs_dogs_v0_0_2.json"), "--from", "model-card-toolkit",
               "--into", str(card)).code == 0
    loaded = cardwright.load(card)
    assert [r.metric for r in loaded.reported_results.results] == ["accuracy", "f1", "accuracy", "accuracy", "accuracy"]
    assert _subsequence(HAND_WRITTEN, card.read_text())
