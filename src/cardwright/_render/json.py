"""A card and its results as one JSON document, with the JSON Schema it validates against."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from .._version import tool_version
from .tables import as_dict

SCHEMA_ID = "https://cardwright.dev/schemas/v1/rendered.schema.json"


def render_json(card: BaseModel, results: Any = None, reported_gates: Sequence[BaseModel] = ()) -> str:
    """``{"kind", "card", "results", "rendered_by"}`` (and ``reported_gates``, the outcomes of the
    gates on reported results, when the card has any), two-space indent: stable bytes."""
    doc: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "kind": "rendered-card",
        "card": card.model_dump(mode="json", by_alias=True, exclude_none=True),
        "results": as_dict(results),
        "rendered_by": f"cardwright {tool_version()}",
    }
    if reported_gates:
        doc["reported_gates"] = [g.model_dump(mode="json") for g in reported_gates]
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def rendered_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``render --to json`` output: the card schemas and the results schemas
    side by side under ``$defs``."""
    from ..schema.datasheet import Datasheet
    from ..schema.model_card import ModelCard
    from ..schema.reported import ReportedGateResult
    from ..schema.results import AnalysisResults, CompositionResults

    defs: dict[str, Any] = {}

    def ref(model: type[BaseModel], name: str) -> dict[str, str]:
        schema = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[name] = schema
        return {"$ref": f"#/$defs/{name}"}

    mc, ds = ref(ModelCard, "ModelCard"), ref(Datasheet, "Datasheet")
    ar, cr = ref(AnalysisResults, "AnalysisResults"), ref(CompositionResults, "CompositionResults")
    rg = ref(ReportedGateResult, "ReportedGateResult")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "A card rendered by cardwright, with its computed results",
        "type": "object",
        "required": ["kind", "card", "results", "rendered_by"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "kind": {"const": "rendered-card"},
            "card": {"oneOf": [mc, ds]},
            "results": {"oneOf": [ar, cr, {"type": "null"}]},
            "rendered_by": {"type": "string"},
            "reported_gates": {"type": "array", "items": rg},
        },
        "$defs": dict(sorted(defs.items())),
    }
