"""Estimates, intervals and draws for every slice, task by task, from the count table alone."""

from __future__ import annotations

from ...schema.analysis import QuantitativeAnalyses
from ...schema.metric_names import BINARY, MULTICLASS, REGRESSION
from ..counts import CountTable
from ..slices import SliceSet


def evaluate(table: CountTable, spec: QuantitativeAnalyses, overs: list[tuple[str, ...]], wanted: list[str],
             ) -> dict[tuple[str, ...], SliceSet]:
    """Every metric in ``wanted`` on every slice of every ``over``."""
    if spec.task == BINARY:
        from . import binary as task
    elif spec.task == MULTICLASS:
        from . import multiclass as task  # type: ignore[no-redef]
    elif spec.task == REGRESSION:
        from . import regression as task  # type: ignore[no-redef]
    else:
        from . import scored as task  # type: ignore[no-redef]
    return task.evaluate(table, spec, overs, wanted)
