"""`cardwright schema`: the published JSON Schemas, generated from the Pydantic models."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _model_card() -> Any:
    from .model_card import ModelCard

    return ModelCard


def _datasheet() -> Any:
    from .datasheet import Datasheet

    return Datasheet


def _analysis_results() -> Any:
    from .results import AnalysisResults

    return AnalysisResults


def _composition_results() -> Any:
    from .results import CompositionResults

    return CompositionResults


#: File name → model factory, for every schema cardwright publishes.
SCHEMAS: dict[str, Callable[[], Any]] = {
    "model-card.schema.json": _model_card,
    "datasheet.schema.json": _datasheet,
    "analysis-results.schema.json": _analysis_results,
    "composition-results.schema.json": _composition_results,
}


def generate() -> dict[str, str]:
    """File name → schema text (deterministic: the same models give the same bytes)."""
    from .docs import documented_schema

    documented_schema()
    out: dict[str, str] = {}
    for name, factory in SCHEMAS.items():
        model = factory()
        schema = model.model_json_schema(by_alias=True)
        doc = {"$schema": DRAFT, "$id": name, **schema}
        out[name] = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return out
