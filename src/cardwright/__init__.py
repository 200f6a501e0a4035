"""cardwright: model cards and datasheets from YAML, validated, computed and rendered.

The library is three plain functions in a line, which the command line only composes::

    card = cardwright.load("credit.model-card.yaml")      # validated, typed card
    results = cardwright.compute(card)                   # numbers from the evaluation file
    html = cardwright.render(card, results, to="html")   # md | html | pdf | json

Problems are raised as :class:`CardwrightError` (with every finding in ``.findings``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CardError, CardwrightError, DataError, Finding, RenderError, UsageError

__version__ = "0.1.0"

# The subpackages are imported (cheaply: they import nothing heavy) before the functions of the
# same names are defined, so that `cardwright.compute` and `cardwright.render` stay the functions
# even after code elsewhere imports the subpackages.
from . import compute as _compute_package
from . import render as _render_package

if TYPE_CHECKING:
    from pathlib import Path

    from .schema.datasheet import Datasheet
    from .schema.model_card import ModelCard
    from .schema.yaml_loader import Limits


def load(path: str | Path, *, limits: Limits | None = None) -> ModelCard | Datasheet:
    """Load and validate a card (model card or datasheet), with the datasheets it references.

    Raises :class:`CardError` carrying every finding when the card is invalid.
    """
    from .schema.loading import load_card

    return load_card(path, limits=limits)  # type: ignore[no-any-return]


def validate(paths: list[str] | str, *, strict: bool = False, limits: Limits | None = None) -> list[Finding]:
    """Every finding for the given cards (errors and warnings), without raising."""
    from .validation import validate_paths

    return validate_paths([paths] if isinstance(paths, str) else list(paths), strict=strict, limits=limits)


def compute(card: ModelCard | Datasheet, *, data: Any = None, progress: bool = False) -> Any:
    """Compute a card's quantitative analyses (model card) or composition statistics (datasheet).

    ``data`` may be a pandas DataFrame or pyarrow Table to use instead of the file the card names.
    """
    return _compute_package.compute_card(card, data=data, progress=progress)


def render(card: ModelCard | Datasheet, results: Any = None, *, to: str = "md", template_dir: str | None = None) -> str | bytes:
    """Render a card (and its results) to ``md``, ``html``, ``pdf`` (bytes) or ``json``."""
    return _render_package.render(card, results, to=to, template_dir=template_dir)


def __getattr__(name: str) -> Any:
    if name == "ModelCard":
        from .schema.model_card import ModelCard

        return ModelCard
    if name == "Datasheet":
        from .schema.datasheet import Datasheet

        return Datasheet
    if name == "Limits":
        from .schema.yaml_loader import Limits

        return Limits
    raise AttributeError(f"module 'cardwright' has no attribute {name!r}")


__all__ = [
    "CardError",
    "CardwrightError",
    "DataError",
    "Datasheet",
    "Finding",
    "Limits",
    "ModelCard",
    "RenderError",
    "UsageError",
    "__version__",
    "compute",
    "load",
    "render",
    "validate",
]
