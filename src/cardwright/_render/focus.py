"""Which rows of a results file a view shows: one evaluation of a list, and within it the rows the
main tables and charts compare (every class together, the first operating point).

Nothing is recomputed: these are selections of the results' own rows, built as results models so
every view works on the same typed data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema.results import AnalysisResults, SliceKey, Unobserved
from .text import anchor


@dataclass(frozen=True)
class Ids:
    """Stable ids, prefixed with the evaluation's name in a card with several evaluations."""

    prefix: str = ""

    def __call__(self, name: str) -> str:
        return anchor(self.prefix, name) if self.prefix else name


def unobserved_slices(results: AnalysisResults) -> list[SliceKey]:
    """The intersections that never occur, as slices (whichever evaluation they belong to)."""
    return [u.slice if isinstance(u, Unobserved) else u for u in results.unobserved]


def primary_threshold(results: AnalysisResults) -> float | None:
    """The operating point the main tables show: the first of several thresholds (``None``: one)."""
    settings = results.settings
    return settings.thresholds[0] if settings is not None and settings.thresholds else None


def evaluation_part(results: AnalysisResults, name: str) -> AnalysisResults | None:
    """The rows of evaluation ``name`` of a list card's results, shaped as the results of a single
    evaluation (its provenance and settings from ``evaluations``); ``None`` when it has none."""
    entry = next((e for e in results.evaluations or [] if e.name == name), None)
    if entry is None:
        return None
    return results.model_copy(update={
        "provenance": entry.provenance,
        "settings": entry.settings,
        "evaluations": None,
        "slices": [s for s in results.slices if s.evaluation == name],
        "results": [r for r in results.results if r.evaluation == name],
        "disparities": [d for d in results.disparities if d.evaluation == name],
        "gates": [g for g in results.gates if g.evaluation == name],
        "unobserved": [u.slice for u in results.unobserved if isinstance(u, Unobserved) and u.evaluation == name],
        "calibration": [c for c in results.calibration or [] if c.evaluation == name] or None,
    })


def main_part(results: AnalysisResults) -> AnalysisResults:
    """The rows the main tables compare: over every class (per-class rows left to their own
    table) at the first operating point (other thresholds left to theirs)."""
    at = primary_threshold(results)

    def shown(class_: str | None, threshold: float | None) -> bool:
        return class_ is None and threshold in (None, at)

    return results.model_copy(update={
        "results": [r for r in results.results if shown(r.class_, r.threshold)],
        "disparities": [d for d in results.disparities if shown(d.class_, d.threshold)],
        "unobserved": unobserved_slices(results),
    })
