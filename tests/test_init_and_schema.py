"""`cardwright init` scaffolds and `cardwright schema` JSON Schemas."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import ROOT, run_cli


@pytest.mark.parametrize("kind", ["model-card", "datasheet"])
def test_scaffold_validates_and_strict_lists_unfilled_fields(tmp_path, kind):
    result = run_cli("init", kind, "-o", "card.yaml", cwd=tmp_path)
    assert result.code == 0, result.err
    text = (tmp_path / "card.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert run_cli("validate", "card.yaml", cwd=tmp_path).code == 0
    strict = run_cli("validate", "--strict", "card.yaml", cwd=tmp_path)
    assert strict.code == 1
    unfilled = [line for line in strict.out.splitlines() if "error[" in line]
    assert len(unfilled) >= 20
    assert all("empty-prose" in line or "placeholder" in line or "missing-answer" in line for line in unfilled)


def test_scaffold_has_every_section_with_guidance(tmp_path):
    run_cli("init", "model-card", "-o", "mc.yaml", cwd=tmp_path)
    text = (tmp_path / "mc.yaml").read_text()
    sections = [
        "model_details", "intended_use", "factors", "metrics", "evaluation_data", "training_data",
        "quantitative_analyses", "ethical_considerations", "caveats_and_recommendations",
    ]
    positions = [text.index(f"\n{s}:") if f"\n{s}:" in text else text.index(f"# {s}:") for s in sections]
    assert positions == sorted(positions), "sections out of Mitchell et al.'s order"
    assert "\n  # Does the model use sensitive data" in text


def test_datasheet_scaffold_has_all_57_questions(tmp_path):
    from cardwright.schema.datasheet import Datasheet

    run_cli("init", "datasheet", "-o", "ds.yaml", cwd=tmp_path)
    import yaml

    data = yaml.safe_load((tmp_path / "ds.yaml").read_text())
    sections = ["motivation", "composition", "collection_process", "preprocessing", "uses", "distribution", "maintenance"]
    count = sum(len(data[s]) for s in sections)
    assert count == 57
    assert set(data[sections[0]]) == set(Datasheet.model_fields["motivation"].annotation.model_fields)


def test_init_never_overwrites(tmp_path):
    (tmp_path / "card.yaml").write_text("mine\n")
    result = run_cli("init", "model-card", "-o", "card.yaml", cwd=tmp_path)
    assert result.code == 1
    assert "error[output]: the file exists; not overwriting it" in result.err
    assert (tmp_path / "card.yaml").read_text() == "mine\n"
    assert run_cli("init", "model-card", "-o", "card.yaml", "--force", cwd=tmp_path).code == 0
    assert (tmp_path / "card.yaml").read_text() != "mine\n"


def test_init_to_stdout():
    result = run_cli("init", "datasheet", "-o", "-")
    assert result.code == 0
    assert "kind: datasheet" in result.out


def test_committed_schemas_are_current():
    result = run_cli("schema", "--check", "-o", str(ROOT / "schemas"))
    assert result.code == 0, result.err


def test_schema_check_detects_stale(tmp_path):
    assert run_cli("schema", "-o", "s", cwd=tmp_path).code == 0
    target = tmp_path / "s" / "model-card.schema.json"
    target.write_text(target.read_text().replace("Model details", "Model detail"))
    result = run_cli("schema", "--check", "-o", "s", cwd=tmp_path)
    assert result.code == 1
    assert "model-card.schema.json: error[stale-schema]: out of date" in result.err


@pytest.mark.parametrize("name", ["model-card.schema.json", "datasheet.schema.json"])
def test_schema_is_valid_and_documents_every_field(name):
    schema = json.loads((ROOT / "schemas" / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    undocumented = []

    def walk(node, where):
        for key, prop in node.get("properties", {}).items():
            if "description" not in prop:
                undocumented.append(f"{where}.{key}")

    walk(schema, "(root)")
    for def_name, definition in schema.get("$defs", {}).items():
        walk(definition, def_name)
    assert undocumented == []


def test_examples_validate_against_json_schema():
    import yaml

    schema = json.loads((ROOT / "schemas" / "model-card.schema.json").read_text())
    card = yaml.safe_load((ROOT / "tests/fixtures/valid/minimal.model-card.yaml").read_text())
    jsonschema.validate(card, schema)


def test_rendered_json_validates_against_published_schema():
    import cardwright

    schema = json.loads((ROOT / "schemas" / "rendered.schema.json").read_text())
    card = cardwright.load(ROOT / "tests/fixtures/valid/with_analysis.model-card.yaml")
    document = json.loads(cardwright.render(card, None, to="json"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["card"]["model_details"]["name"] == "Credit scorer"
