"""What a card asks cardwright to compute: the one answer every command and library call uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .analysis import CompositionData, NamedEvaluation, QuantitativeAnalyses

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Evaluation:
    """One evaluation of a model card, with where it is written in the card."""

    name: str | None
    """Its name in a list of evaluations (``None`` for the single-mapping form, whose results
    rows carry no evaluation name)."""
    spec: QuantitativeAnalyses
    loc: Loc
    """``("quantitative_analyses",)`` or ``("quantitative_analyses", i)``."""

    @property
    def data_loc(self) -> Loc:
        return (*self.loc, "data", "path")

    @property
    def data_path(self) -> str | None:
        return self.spec.data.path if self.spec.data is not None else None


@dataclass(frozen=True)
class Computation:
    """A model card's quantitative analyses or a datasheet's composition statistics, with where
    they are written in the card (for positioned findings)."""

    kind: Literal["quantitative-analyses", "composition"]
    """The kind of results file it produces."""
    spec: QuantitativeAnalyses | list[NamedEvaluation] | CompositionData
    loc: Loc
    """Where the spec is in the card: ``("quantitative_analyses",)`` or ``("data",)``."""

    @property
    def evaluations(self) -> list[Evaluation]:
        """A model card's evaluations in the card's order (none for a datasheet)."""
        if isinstance(self.spec, QuantitativeAnalyses):
            return [Evaluation(None, self.spec, self.loc)]
        if isinstance(self.spec, list):
            return [Evaluation(e.name, e, (*self.loc, i)) for i, e in enumerate(self.spec)]
        return []

    @property
    def is_list(self) -> bool:
        """Whether the card lists named evaluations (the results then name them)."""
        return isinstance(self.spec, list)

    @property
    def data_loc(self) -> Loc:
        """Where the (first) data file's path is written in the card."""
        evaluations = self.evaluations
        return evaluations[0].data_loc if evaluations else (*self.loc, "path")

    @property
    def data_paths(self) -> list[tuple[str, Loc]]:
        """Every data file, pattern, folder, URI or table the card names, with where it is written."""
        if isinstance(self.spec, CompositionData):
            return [(self.spec.path, (*self.loc, "path"))]
        return [(e.data_path, e.data_loc) for e in self.evaluations if e.data_path is not None]

    @property
    def data_path(self) -> str | None:
        """The (first) data file, pattern, folder, URI or table as written in the card (``None``: none named)."""
        paths = self.data_paths
        return paths[0][0] if paths else None

    @property
    def results(self) -> str | None:
        """The results file the card names (``None``: the default beside the card); in a list of
        evaluations, the first `results:` given."""
        if isinstance(self.spec, list):
            return next((e.results for e in self.spec if e.results), None)
        return self.spec.results
