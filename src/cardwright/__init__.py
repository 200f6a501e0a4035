"""cardwright: model cards and datasheets from YAML, validated, computed and rendered.

The library is a few plain functions in a line, which the command line only composes::

    import cardwright

    card = cardwright.load("credit.model-card.yaml")        # a validated, typed card
    results = cardwright.results_for(card)                 # current results, or computed now
    html = cardwright.render(card, results, to="html")     # md | html | pdf | json

Problems are raised as :class:`CardwrightError` (with every finding in ``.findings``).  The
models (:class:`ModelCard`, :class:`Datasheet`, the results) are imported when first used, so
importing this package loads nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._api import check_results, compute, load, load_results, render, results_for, validate
from ._version import __version__
from .errors import (
    CardError,
    CardwrightError,
    CardwrightWarning,
    DataError,
    Finding,
    RenderError,
    TemplateError,
    UsageError,
)

if TYPE_CHECKING:
    from .schema.card import Card
    from .schema.datasheet import Datasheet
    from .schema.model_card import ModelCard
    from .schema.results import AnalysisResults, CompositionResults, Results
    from .schema.yaml_loader import Limits

_LAZY = {
    "Card": "schema.card",
    "ModelCard": "schema.model_card",
    "Datasheet": "schema.datasheet",
    "AnalysisResults": "schema.results",
    "CompositionResults": "schema.results",
    "Results": "schema.results",
    "Limits": "schema.yaml_loader",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cardwright' has no attribute {name!r}")
    import importlib

    from .notebook import enable

    enable()
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [
    "AnalysisResults",
    "Card",
    "CardError",
    "CardwrightError",
    "CardwrightWarning",
    "CompositionResults",
    "DataError",
    "Datasheet",
    "Finding",
    "Limits",
    "ModelCard",
    "RenderError",
    "Results",
    "TemplateError",
    "UsageError",
    "__version__",
    "check_results",
    "compute",
    "load",
    "load_results",
    "render",
    "results_for",
    "validate",
]
