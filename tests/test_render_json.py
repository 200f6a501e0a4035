"""JSON output: the card and its results in one document that validates against the schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from cardwright._render.api import render
from cardwright._render.json import rendered_json_schema
from render_helpers import example, loan, loan_results


@pytest.fixture(scope="module")
def validator():
    schema = rendered_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("kind", ["model-card", "datasheet"])
def test_example_json_validates_against_the_published_schema(kind, validator):
    card, results = example(kind)
    doc = json.loads(render(card, results, to="json"))
    assert list(validator.iter_errors(doc)) == []
    assert doc["card"]["kind"] == kind
    assert doc["results"]["kind"] == ("quantitative-analyses" if kind == "model-card" else "composition")


def test_json_without_results(validator):
    doc = json.loads(render(loan(), to="json"))
    assert doc["results"] is None and list(validator.iter_errors(doc)) == []


def test_json_round_trips_the_card():
    from cardwright.schema.model_card import ModelCard

    doc = json.loads(render(loan(), loan_results(), to="json"))
    again = ModelCard.model_validate(doc["card"])
    assert again.model_dump() == loan().model_dump()
    # the results as validated at render's boundary: every field of the schema, the given values
    from cardwright.schema.results import AnalysisResults

    assert doc["results"] == AnalysisResults.model_validate(loan_results()).model_dump(mode="json")
    given = loan_results()
    assert [r["value"] for r in doc["results"]["results"]] == [r["value"] for r in given["results"]]


def test_results_that_are_not_results_are_a_render_error():
    from cardwright.errors import RenderError

    bad = loan_results()
    bad["results"][0]["n"] = "many"
    with pytest.raises(RenderError) as e:
        render(loan(), bad, to="md")
    f = e.value.findings[0]
    assert f.code == "invalid-results" and "results.0.n" in f.message


def test_a_broken_document_fails_the_schema(validator):
    doc = json.loads(render(loan(), loan_results(), to="json"))
    doc["results"]["results"][0]["n"] = "many"
    assert list(validator.iter_errors(doc))
