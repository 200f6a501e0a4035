"""Computing a card's numbers from its data: one counting pass, then every metric, interval,
disparity and gate from the counts (see docs/statistics.md and docs/results.md).

Heavy libraries (numpy, pyarrow, pandas) are imported by the modules that use them; importing this
package for its function names stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from ..errors import Finding
    from ..schema.analysis import QuantitativeAnalyses
    from ..schema.results import AnalysisResults, CompositionResults

__all__ = ["check_results", "compute_analyses", "compute_card", "load_results", "results_path", "write_results"]


def compute_card(card: Any, *, data: Any = None, progress: bool = False, max_groups: int | None = None,
                 engine: str | None = None, session: Any = None) -> AnalysisResults | CompositionResults:
    """Compute a model card's quantitative analyses or a datasheet's composition statistics
    (``max_groups``: the most distinct groups a factor may have, default 1000; ``engine``:
    ``auto``, ``arrow``, ``duckdb`` or ``spark`` instead of the card's; ``session``: the
    SparkSession the spark engine uses, see docs/engines.md)."""
    from .api import compute_card as run

    return run(card, data=data, progress=progress, max_groups=max_groups, engine=engine, session=session)


def compute_analyses(spec: QuantitativeAnalyses, source: Any = None, **kwargs: Any) -> AnalysisResults:
    """Compute a :class:`QuantitativeAnalyses` spec without a card (``source``: a path, a DataFrame
    or a pyarrow Table)."""
    from .analyses import compute_analyses as run

    return run(spec, source, **kwargs)


def results_path(card: Any) -> Path:
    from .api import results_path as run

    return run(card)


def write_results(card: Any, results: Any, path: Any = None) -> Path:
    from .api import write_results as run

    return run(card, results, path)


def load_results(card: Any, path: Any = None) -> AnalysisResults | CompositionResults | None:
    from .api import load_results as run

    return run(card, path)


def check_results(card: Any) -> list[Finding]:
    from .api import check_results as run

    return run(card)
