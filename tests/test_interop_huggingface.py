"""Hugging Face cards both ways, over a corpus of real public cards (tests/fixtures/interop, see
its README for sources and licences), the Hub's own templates filled by huggingface_hub, and
generated variations of the malformations real cards have.

For every README: the import's exit code, what was kept, the round-trip metric count (the
metrics huggingface_hub reads from the source = those it reads from the export) and a strict
load of the export by huggingface_hub; the front-matter keys the Hub reads come back unchanged.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

import cardwright
from cardwright._compute.api import load_results
from conftest import FIXTURES
from workflows_cards import credit_copy

hub = pytest.importorskip("huggingface_hub")
CORPUS = FIXTURES / "interop"
MODEL_CARDS = sorted((CORPUS / "huggingface_hub").glob("sample_*.md")) + [FIXTURES / "import" / "hf_sentiment_README.md"]
DATASET_CARDS = sorted((CORPUS / "hf_datasets").glob("*.md"))
#: Keys the importer maps into the model-index / reported results rather than restoring as written.
REBUILT = {"model-index", "model_index", "eval_results", "model_name"}


def front(text: str) -> dict:
    """The front matter as the Hub reads it (PyYAML, YAML 1.1)."""
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return {}
    data = yaml.safe_load(text.split("\n---", 1)[0][4:])
    return data if isinstance(data, dict) else {}


def hub_metrics(text: str) -> list[tuple]:
    """Every metric huggingface_hub reads (leniently) from a README: (task, dataset, split, metric, value)."""
    try:
        card = hub.ModelCard(text, ignore_metadata_errors=True)
    except ValueError:  # a front matter that is not a mapping: the Hub reads nothing
        return []
    return sorted((str(e.task_type), str(e.dataset_type), str(e.dataset_split), str(e.metric_type), str(e.metric_value))
                  for e in card.data.eval_results or [])


def round_trip(path: Path, tmp_path: Path, cli) -> tuple[object, str, str]:
    out = tmp_path / "card.yaml"
    run = cli("import", str(path), "--from", "huggingface", "-o", str(out), "--force")
    assert run.code == 0, run.err
    assert cli("validate", str(out)).code == 0
    readme = tmp_path / "README.out.md"
    exported = cli("export", str(out), "--to", "huggingface", "-o", str(readme))
    assert exported.code == 0, exported.err
    return run, out.read_text(), readme.read_text()


def templates(tmp_path: Path) -> list[Path]:
    """The Hub's templates filled the way the Hub fills them (placeholders where nothing is known)."""
    model = hub.ModelCard.from_template(
        hub.ModelCardData(language="en", license="llama3", library_name="transformers", base_model="meta-llama/Llama-3-8B",
                          datasets=["imdb"], metrics=["accuracy"], pipeline_tag="text-classification"),
        template_path=str(CORPUS / "huggingface_hub" / "modelcard_template.md"), model_id="example/llama3-imdb")
    data = hub.DatasetCard.from_template(
        hub.DatasetCardData(language=["en"], license="cc-by-4.0", pretty_name="Example reviews",
                            task_categories=["text-classification"], size_categories=["1K<n<10K"]),
        template_path=str(CORPUS / "huggingface_hub" / "datasetcard_template.md"))
    paths = [tmp_path / "template_model.md", tmp_path / "template_dataset.md"]
    paths[0].write_text(str(model))
    paths[1].write_text(str(data))
    return paths


@pytest.mark.parametrize("path", MODEL_CARDS, ids=lambda p: p.name)
def test_model_card_corpus_round_trips(path, tmp_path, cli):
    source = path.read_text(encoding="utf-8")
    _, _card_text, exported = round_trip(path, tmp_path, cli)
    loaded = hub.ModelCard(exported)  # strict metadata: raises on a bad model-index
    assert hub_metrics(exported) == hub_metrics(source)
    theirs, ours = front(source), front(exported)
    for key, value in theirs.items():
        if key not in REBUILT:
            assert ours.get(key) == value, key
    assert not {"eval_results", "sections", "fields", "front_matter"} & set(ours)
    assert loaded.data.to_dict().get("license") == theirs.get("license")
    # a second round trip changes nothing the Hub reads
    again = tmp_path / "again"
    again.mkdir()
    _, _, twice = round_trip(tmp_path / "README.out.md", again, cli)
    assert front(twice) == ours


@pytest.mark.parametrize("path", DATASET_CARDS + [CORPUS / "huggingface_hub" / "sample_datasetcard_simple.md"],
                         ids=lambda p: p.name)
def test_dataset_card_corpus_becomes_a_datasheet_and_back(path, tmp_path, cli):
    source = path.read_text(encoding="utf-8")
    _run, _card_text, exported = round_trip(path, tmp_path, cli)
    sheet = cardwright.load(tmp_path / "card.yaml")
    assert sheet.kind == "datasheet"
    theirs = front(source)
    assert sheet.dataset.name == theirs.get("pretty_name", sheet.dataset.name)
    card = hub.DatasetCard(exported)
    assert front(exported) == {**theirs, **({"pretty_name": sheet.dataset.name})}
    assert card.data.to_dict().get("license") == theirs.get("license")
    if theirs.get("language"):
        assert "Languages: " + ", ".join(theirs["language"]) in sheet.composition.instance_contents


def test_imdb_dataset_card_maps_to_gebru_questions(tmp_path, cli):
    _, text, _ = round_trip(CORPUS / "hf_datasets" / "imdb.md", tmp_path, cli)
    sheet = cardwright.load(tmp_path / "card.yaml")
    assert sheet.dataset.homepage == "http://ai.stanford.edu/~amaas/data/sentiment/"
    assert sheet.dataset.citation.bibtex.startswith("@InProceedings{maas-EtAl:2011:ACL-HLT2011")
    assert "Large Movie Review Dataset." in sheet.dataset.summary
    assert "Table of Contents" not in text
    assert sheet.composition.recommended_splits.startswith("|   name   |train|unsupervised|test |")
    assert "Annotations created by: expert-generated." in sheet.preprocessing.preprocessing_done
    assert "Source datasets: original data" in sheet.collection_process.acquisition_method
    assert sheet.uses.other_possible_tasks == "Tasks on the Hugging Face Hub: text-classification, sentiment-classification."
    assert "`text`: a `string` feature." in sheet.composition.instance_contents


def test_dataset_info_gives_features_and_splits(tmp_path, cli):
    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: mit\npretty_name: Tiny\ndataset_info:\n  features:\n  - name: text\n    dtype: string\n"
                      "  - name: label\n    class_label:\n      names:\n        '0': neg\n        '1': pos\n  splits:\n"
                      "  - name: train\n    num_examples: 8175\n  - name: test\n    num_examples: 2725\n---\n\n# Tiny\n")
    _, _, exported = round_trip(readme, tmp_path, cli)
    sheet = cardwright.load(tmp_path / "card.yaml")
    assert sheet.composition.instance_contents == "Fields: `text` (string), `label` (class label: neg (0), pos (1))."
    assert sheet.composition.recommended_splits == "Splits: train: 8,175 examples; test: 2,725 examples."
    assert sheet.composition.instance_count == f"{8175 + 2725:,} examples over 2 split(s)."
    assert hub.DatasetCard(exported).data.dataset_info == front(readme.read_text())["dataset_info"]


def test_filled_templates(tmp_path, cli):
    model, dataset = templates(tmp_path)
    _run, text, exported = round_trip(model, tmp_path, cli)
    card = cardwright.load(tmp_path / "card.yaml")
    assert card.model_details.license.name == "llama3"
    fm = front(exported)
    assert (fm["license"], fm["base_model"], fm["pipeline_tag"]) == ("llama3", "meta-llama/Llama-3-8B", "text-classification")
    assert "<!--" not in text  # template guidance dropped
    strict = cli("validate", "--strict", str(tmp_path / "card.yaml"))
    assert strict.code == 1 and "error[placeholder]" in strict.out + strict.err
    assert "[More Information Needed]" in (card.intended_use.primary_uses or "")
    sheet_dir = tmp_path / "ds"
    sheet_dir.mkdir()
    round_trip(dataset, sheet_dir, cli)
    assert cardwright.load(sheet_dir / "card.yaml").kind == "datasheet"


def test_raw_jinja_template_is_a_clear_error(cli, tmp_path):
    run = cli("import", str(CORPUS / "huggingface_hub" / "modelcard_template.md"), "--from", "huggingface",
              "-o", str(tmp_path / "x.yaml"))
    assert run.code == 1 and "modelcard_template.md:4:" in run.err and "error[yaml-syntax]" in run.err
    assert "Traceback" not in run.err


BASE = {"license": "apache-2.0", "library_name": "transformers", "tags": ["a", "b"],
        "model-index": [{"name": "m", "results": [
            {"task": {"type": "text-classification"}, "dataset": {"type": "imdb", "name": "IMDB", "split": "test"},
             "metrics": [{"type": "accuracy", "value": 0.9}, {"type": "f1", "value": 0.8, "name": "F1"}]}]}]}


def _variant(mutate) -> dict:
    data = copy.deepcopy(BASE)
    mutate(data)
    return data


#: name → (front matter, metrics the export must carry, words the warnings must say)
MALFORMED = {
    "model_index_mapping": (_variant(lambda d: d.update({"model-index": d["model-index"][0]})), 2, "is a mapping"),
    "results_string": (_variant(lambda d: d["model-index"][0].update(results="accuracy 0.9")), 0, "is str"),
    "results_mapping": (_variant(lambda d: d["model-index"][0].update(results=d["model-index"][0]["results"][0])), 2,
                        "is a mapping"),
    "metrics_mapping": (_variant(lambda d: d["model-index"][0]["results"][0].update(
        metrics={"type": "accuracy", "value": 0.9})), 1, "is a mapping"),
    "metric_without_value": (_variant(lambda d: d["model-index"][0]["results"][0]["metrics"][0].pop("value")), 1,
                             "no usable `value`"),
    "metric_value_list": (_variant(lambda d: d["model-index"][0]["results"][0]["metrics"][0].update(value=[1])), 1,
                          "no usable `value`"),
    "no_dataset": (_variant(lambda d: d["model-index"][0]["results"][0].pop("dataset")), 0, "not exported"),
    "no_task": (_variant(lambda d: d["model-index"][0]["results"][0].pop("task")), 0, "not exported"),
    "entry_not_mapping": (_variant(lambda d: d["model-index"].append("oops")), 2, "is not a mapping"),
    "old_model_index": (_variant(lambda d: d.update({"model_index": d.pop("model-index")})), 2, "old spelling"),
    "eval_results_key": (_variant(lambda d: d.update(eval_results=[{"x": 1}])), 2, "reserved"),
    "datasets_string": (_variant(lambda d: d.update(datasets="imdb")), 2, ""),
    "license_list": (_variant(lambda d: d.update(license=["mit", "apache-2.0"])), 2, "lists 2 licences"),
    "license_number": (_variant(lambda d: d.update(license=3)), 2, ""),
    "co2_scalar": (_variant(lambda d: d.update(co2_eq_emissions=1500)), 2, ""),
    "co2_text": (_variant(lambda d: d.update(co2_eq_emissions="lots")), 2, "no readable amount"),
    "datasets_mapping": (_variant(lambda d: d.update(datasets={"a": 1})), 2, "not a list of dataset ids"),
    "source_without_url": (_variant(lambda d: d["model-index"][0]["results"][0].update(source={"name": "LB"})), 2, ""),
    "dataset_args_string": (_variant(lambda d: d["model-index"][0]["results"][0]["dataset"].update(args="x")), 2,
                            "args is not a mapping"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_front_matter_is_read_with_warnings(name, tmp_path, cli):
    data, expected, words = MALFORMED[name]
    readme = tmp_path / "README.md"
    readme.write_text("---\n" + yaml.safe_dump(data, sort_keys=False) + "---\n\n# Model\n\nSome text.\n")
    run, _text, exported = round_trip(readme, tmp_path, cli)
    assert words in run.err
    card = hub.ModelCard(exported)  # strict
    assert len(card.data.eval_results or []) == expected
    fm = front(exported)
    for key, value in data.items():
        if key not in REBUILT and key != "model_index":
            assert fm[key] == value, key
    assert "eval_results" not in fm


def test_malformed_values_map_onto_card_fields(tmp_path, cli):
    cases = {"datasets_string": lambda c: [d.name for d in c.training_data.datasets] == ["imdb"],
             "license_list": lambda c: c.model_details.license == "MIT AND Apache-2.0",
             "co2_scalar": lambda c: c.environmental_impact.co2_eq_kg == 1.5,
             "license_number": lambda c: c.model_details.license is None}
    for name, check in cases.items():
        readme = tmp_path / f"{name}.md"
        readme.write_text("---\n" + yaml.safe_dump(MALFORMED[name][0], sort_keys=False) + "---\n\n# Model\n")
        out = tmp_path / f"{name}.yaml"
        assert cli("import", str(readme), "--from", "huggingface", "-o", str(out)).code == 0
        assert check(cardwright.load(out)), name


@pytest.mark.parametrize(("front_matter", "code"), [
    ("a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
     "yaml-alias"),
    ("deep: " + "[" * 200 + "]" * 200 + "\n", "yaml-depth"),
    ("license: !!python/object:os.system x\n", "yaml-tag"),
    ("license: mit\nlicense: apache-2.0\n", "duplicate-key"),
])
def test_front_matter_obeys_the_card_limits(front_matter, code, tmp_path, cli):
    readme = tmp_path / "README.md"
    readme.write_text(f"---\n{front_matter}---\n\n# x\n")
    run = cli("import", str(readme), "--from", "huggingface", "-o", str(tmp_path / "x.yaml"))
    assert run.code == 1 and f"error[{code}]" in run.err and "Traceback" not in run.err
    assert not (tmp_path / "x.yaml").exists()


def test_hub_licence_ids_stay_ids(tmp_path, cli):
    for fm, expected in (({"license": "creativeml-openrail-m"}, {"license": "creativeml-openrail-m"}),
                         ({"license": "llama3"}, {"license": "llama3"}),
                         ({"license": "other", "license_name": "acme-eula", "license_link": "https://acme.example/eula"},
                          {"license": "other", "license_name": "acme-eula", "license_link": "https://acme.example/eula"}),
                         ({"license": "gpl-3.0"}, {"license": "gpl-3.0"}),
                         ({"license": "cc-by-nc-4.0"}, {"license": "cc-by-nc-4.0"})):
        readme = tmp_path / "README.md"
        readme.write_text("---\n" + yaml.safe_dump(fm) + "---\n\n# m\n")
        _, _, exported = round_trip(readme, tmp_path, cli)
        assert {k: v for k, v in front(exported).items() if k.startswith("license")} == expected


def test_a_changed_licence_is_exported_as_the_card_says(tmp_path, cli):
    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: other\nlicense_name: acme-eula\nlicense_link: https://acme.example/eula\n---\n\n# m\n")
    out = tmp_path / "card.yaml"
    cli("import", str(readme), "--from", "huggingface", "-o", str(out))
    out.write_text(out.read_text().replace("  license:\n    name: acme-eula\n    url: https://acme.example/eula\n",
                                           "  license: MIT\n"))
    assert cardwright.load(out).model_details.license == "MIT"
    fm = front(cli("export", str(out), "--to", "huggingface", "-o", "-").out)
    assert {k: v for k, v in fm.items() if k.startswith("license")} == {"license": "mit"}


HEADINGS_README = """\
---
license: mit
---
# Acme classifier

<!-- guidance for the author: never copied -->
Classifies widgets.

## Intended Uses & Limitations [optional]

Sorting widgets on a belt.

### Out-of-Scope Use

Not for people.

## LIMITATIONS AND BIASES

Trained on blue widgets only.

### Subgroup notes

Red widgets fare worse.

## Training and Evaluation Data

Widget photos, 2023.

## Evaluation Results

Accuracy 0.9 on the belt set.

## Environmental Impact

- **Hardware Type:** 8 x A100
- **Hours used:** 12
- **Cloud Provider:** Example Cloud
- **Compute Region:** eu-west
- **Carbon Emitted:** 149.2 kg CO2 eq

## BibTeX entry and citation info

```bibtex
@misc{acme2024, title={Acme}}
```

## Model Card Authors

Ada Lovelace, Alan Turing

## Model Sources

- **Repository:** https://example.org/acme
- **Demo:** [More Information Needed]

## How to Get Started

Call `acme.sort()`.

## Glossary

Widget: a thing.
"""


def test_headings_synonyms_inheritance_and_environmental_bullets(tmp_path, cli):
    readme = tmp_path / "README.md"
    readme.write_text(HEADINGS_README)
    out = tmp_path / "card.yaml"
    run = cli("import", str(readme), "--from", "huggingface", "-o", str(out))
    assert run.code == 0, run.err
    card = cardwright.load(out)
    assert card.model_details.overview == "Classifies widgets."
    assert card.intended_use.primary_uses == "Sorting widgets on a belt."
    assert card.intended_use.out_of_scope_uses == "Not for people."
    assert card.ethical_considerations.risks_and_harms == ("Trained on blue widgets only.\n\n**Subgroup notes**\n\n"
                                                           "Red widgets fare worse.")
    assert card.training_data.motivation == "Widget photos, 2023."
    assert card.reported_results.notes == "Accuracy 0.9 on the belt set."
    env = card.environmental_impact
    assert (env.hardware, env.training_hours, env.cloud_provider, env.region, env.co2_eq_kg) == (
        "8 x A100", 12.0, "Example Cloud", "eu-west", 149.2)
    assert card.model_details.citation.bibtex == "@misc{acme2024, title={Acme}}"
    assert [(o.name, o.role) for o in card.model_details.owners] == [("Ada Lovelace", "model card author"),
                                                                     ("Alan Turing", "model card author")]
    assert [(link.title, link.url) for link in card.model_details.paper_or_resource] == [("Repository", "https://example.org/acme")]
    assert card.notes == "### How to Get Started\n\nCall `acme.sort()`.\n\n### Glossary\n\nWidget: a thing."
    assert "guidance" not in out.read_text()
    for heading in ("How to Get Started", "Glossary"):
        assert f"not mapped: section {heading!r}" in run.err


def test_placeholders_are_kept_for_strict_to_find(tmp_path, cli):
    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: mit\n---\n# m\n\n## Training data\n\nMore information needed\n\n## Uses\n\n"
                      "[More Information Needed]\n")
    out = tmp_path / "card.yaml"
    assert cli("import", str(readme), "--from", "huggingface", "-o", str(out)).code == 0
    run = cli("validate", "--strict", str(out))
    found = [line for line in (run.out + run.err).splitlines() if "error[placeholder]" in line]
    assert len(found) == 2 and any("training_data.motivation" in f for f in found)


def test_computed_card_exports_every_published_row_and_no_bookkeeping(tmp_path, cli):
    credit = credit_copy(tmp_path)
    path = credit / "credit.model-card.yaml"
    text = path.read_text()
    path.write_text(text.replace("extensions:", "extensions:\n  huggingface:\n    language: [en]\n"
                                 "    front_matter: {library_name: sklearn}\n    eval_results: [1]\n    sections: {a: b}\n", 1)
                    if "extensions:" in text else text + "extensions:\n  huggingface:\n    language: [en]\n"
                    "    front_matter: {library_name: sklearn}\n    eval_results: [1]\n    sections: {a: b}\n")
    run = cli("export", str(path), "--to", "huggingface", "-o", "-")
    assert run.code == 0, run.err
    fm = front(run.out)
    assert not {"eval_results", "sections", "fields", "front_matter"} & set(fm)
    assert fm["library_name"] == "sklearn" and fm["language"] == ["en"]
    card = hub.ModelCard(run.out)
    results = load_results(cardwright.load(path))
    published = [r for r in results.results if r.value is not None and not r.suppressed]
    assert len(card.data.eval_results) == len(published)
    by_slice = {(tuple(sorted((e.dataset_args or {}).get("slice", {}).items())), e.metric_type): e
                for e in card.data.eval_results}
    for r in published:
        e = by_slice[(tuple(sorted(r.slice.items())), r.metric)]
        assert e.metric_value == r.value and e.metric_args.get("n") == r.n
    # suppressed rows are not published
    assert not [r for r in results.results if r.suppressed and (tuple(sorted(r.slice.items())), r.metric) in by_slice]


def test_hand_written_card_with_split_and_reported_results(tmp_path, cli):
    card = tmp_path / "card.yaml"
    card.write_text((FIXTURES / "valid" / "minimal.model-card.yaml").read_text().replace(
        "evaluation_data: {}", "evaluation_data:\n  datasets:\n    - {name: Holdout, split: test}").replace(
        "training_data: {}", "training_data: {}\nreported_results:\n  results:\n"
        "    - {metric: accuracy, value: 0.9, task: {type: tabular-classification}, dataset: {name: Holdout, split: test},"
        " slice: {sex: female}, ci_low: 0.88, ci_high: 0.92, confidence_level: 0.95,"
        " source: {name: Audit, url: 'https://example.org/audit'}}\n"
        "    - {metric: auc, value: 0.8}\n"))
    run = cli("export", str(card), "--to", "huggingface", "-o", "-")
    assert run.code == 0
    assert "not exported: reported_results.results.1 (auc) has no task" in run.err
    (e,) = hub.ModelCard(run.out).data.eval_results
    assert (e.dataset_name, e.dataset_split, e.source_name, e.source_url) == (
        "Holdout (sex=female)", "test", "Audit", "https://example.org/audit")
    assert e.metric_args == {"ci_low": 0.88, "ci_high": 0.92, "confidence_level": 0.95}
    back = tmp_path / "back"
    back.mkdir()
    (back / "README.md").write_text(run.out)
    assert cli("import", str(back / "README.md"), "--from", "huggingface", "-o", str(back / "card.yaml")).code == 0
    (r,) = cardwright.load(back / "card.yaml").reported_results.results
    assert (r.slice, r.ci_low, r.ci_high, r.dataset.name, r.source.url) == (
        {"sex": "female"}, 0.88, 0.92, "Holdout", "https://example.org/audit")


def test_datasheet_exports_a_dataset_card_with_composition(tmp_path, cli):
    credit = credit_copy(tmp_path)
    run = cli("export", str(credit / "credit.datasheet.yaml"), "--to", "huggingface", "-o", "-")
    assert run.code == 0
    card = hub.DatasetCard(run.out)
    sheet = cardwright.load(credit / "credit.datasheet.yaml")
    results = load_results(sheet)
    assert card.data.pretty_name == sheet.dataset.name
    assert f"{results.rows:,}" in card.text  # the computed composition statistics are in the body
    assert "cardwright" in card.data.tags
