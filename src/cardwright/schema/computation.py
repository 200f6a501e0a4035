"""What a card asks cardwright to compute: the one answer every command and library call uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .analysis import CompositionData, QuantitativeAnalyses

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Computation:
    """A model card's quantitative analyses or a datasheet's composition statistics, with where
    they are written in the card (for positioned findings)."""

    kind: Literal["quantitative-analyses", "composition"]
    """The kind of results file it produces."""
    spec: QuantitativeAnalyses | CompositionData
    loc: Loc
    """Where the spec is in the card: ``("quantitative_analyses",)`` or ``("data",)``."""

    @property
    def data_loc(self) -> Loc:
        """Where the data file's path is written in the card."""
        return (*self.loc, "data", "path") if isinstance(self.spec, QuantitativeAnalyses) else (*self.loc, "path")

    @property
    def data_path(self) -> str | None:
        """The data file, pattern, folder, URI or table as written in the card (``None``: none named)."""
        if isinstance(self.spec, QuantitativeAnalyses):
            return self.spec.data.path if self.spec.data is not None else None
        return self.spec.path

    @property
    def results(self) -> str | None:
        """The results file the card names (``None``: the default beside the card)."""
        return self.spec.results
