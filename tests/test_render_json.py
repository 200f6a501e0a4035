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
    assert doc["results"] == loan_results()


def test_a_broken_document_fails_the_schema(validator):
    doc = json.loads(render(loan(), loan_results(), to="json"))
    doc["results"]["results"][0]["n"] = "many"
    assert list(validator.iter_errors(doc))
