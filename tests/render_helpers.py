"""Cards and results the render tests share (loaded once per process)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RENDER_FIXTURES = ROOT / "tests" / "fixtures" / "valid" / "render"
EXAMPLE = ROOT / "examples" / "credit"
GOLDEN = ROOT / "tests" / "golden"
TEMPLATES = ROOT / "templates"


@functools.cache
def card(path: str | Path) -> Any:
    import cardwright

    return cardwright.load(path)


def loan() -> Any:
    return card(RENDER_FIXTURES / "loan.model-card.yaml")


def loan_results() -> dict[str, Any]:
    return json.loads((RENDER_FIXTURES / "loan.model-card.results.json").read_text(encoding="utf-8"))


def loan_results_model() -> Any:
    """The loan results validated into the results model (what the view works on)."""
    from cardwright.schema.results import AnalysisResults

    return AnalysisResults.model_validate(loan_results())


def hostile() -> Any:
    return card(RENDER_FIXTURES / "hostile.model-card.yaml")


def example(kind: str) -> tuple[Any, Any]:
    """The credit example's model card or datasheet with its committed results file."""
    from cardwright._compute.api import load_results

    c = card(EXAMPLE / f"credit.{kind}.yaml")
    return c, load_results(c)
