"""The top of a minimal model card: every required section present and empty, for tests that
write their own ``quantitative_analyses`` below it."""

from __future__ import annotations

SECTIONS = ("intended_use", "factors", "metrics", "evaluation_data", "training_data", "ethical_considerations",
            "caveats_and_recommendations")


def model_card_head(name: str) -> str:
    """``kind`` to ``caveats_and_recommendations`` of a model card named ``name``, version 1.0."""
    return (f'kind: model-card\nschema_version: 1\nmodel_details: {{name: {name}, version: "1.0"}}\n'
            + "".join(f"{s}: {{}}\n" for s in SECTIONS))
