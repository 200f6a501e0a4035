"""What the count pass asks of an engine that aggregates: the columns, the values it compares
and the statistics it sums (the DuckDB and Spark queries are built from it by :mod:`.sql`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..decode import BatchDecoder, statistics
from ..plan import Stat
from ..quantiles import Grid
from . import expr as ex
from .bins import GRID


@dataclass
class Ask:
    """What the count needs from the data: column names, the few values the engine compares,
    and the statistics it sums (see :mod:`.sql`)."""

    label: str | None
    prediction: str | None
    score: str | None
    threshold: float | None
    """Set when predictions come from ``score >= threshold`` (the first threshold of several)."""
    factors: list[tuple[str, list[float] | None]]
    """``(column, cut points)``; cut points only for a binned factor."""
    task: str = "binary-classification"
    thresholds: tuple[float, ...] | None = None
    calibration: tuple[float, ...] | None = None
    weight: str | None = None
    stats: list[Stat] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    """Statistics' input names (``y``, ``p``, ``s``, ``w``) → columns."""
    hist: Grid | None = None
    hist_value: ex.Node | None = None
    class_columns: list[str] | None = None
    top_k: int = 2
    label_index: list[tuple[Any, int]] | None = None
    """Multiclass with class scores: each raw label value and the index of its score column."""
    pass_threshold: float | None = None
    boolean: bool = False
    probability: str | None = None
    """A requested metric that needs scores in [0, 1]."""
    lo: float = 0.0
    scale: float = 0.0
    grid: int = GRID

    @classmethod
    def of(cls, decoder: BatchDecoder) -> Ask:
        spec, plan = decoder.spec, decoder.plan
        factors = [(col, list(lv.binned.bins) if lv.binned is not None else None)
                   for col, lv in zip(decoder.factor_columns, decoder.levels)]
        threshold = plan.thresholds[0] if spec.prediction is None and plan.thresholds else None
        score = spec.score if decoder.task in ("binary-classification", "scored") else None
        inputs = {name: getattr(spec, key) for key, name in decoder.numeric_inputs().items()}
        if decoder.task == "binary-classification" and score is not None:
            inputs["s"] = score
        return cls(spec.label, spec.prediction, score, threshold, factors, task=decoder.task,
                   thresholds=plan.thresholds if spec.prediction is None else None, calibration=plan.calibration,
                   weight=spec.weight, stats=statistics(plan), inputs=inputs, hist=_grid(decoder),
                   hist_value=plan.hist_value, class_columns=plan.class_columns, top_k=plan.top_k,
                   pass_threshold=plan.pass_threshold, boolean=plan.boolean, probability=decoder.probability)

    @property
    def outputs(self) -> list[str]:
        """The aggregate's raw value columns, each named as in the data (the decoder reads them so)."""
        classify = self.task in ("binary-classification", "multiclass-classification")
        cols: list[str] = []
        for c in ((self.label, self.prediction) if classify else ()) + (*(f for f, _ in self.factors),):
            if c is not None and c not in cols:
                cols.append(c)
        return cols

    def role(self, column: str) -> str:
        """``binned`` (the smallest value is returned) or ``raw``."""
        if any(c == column and bins is not None for c, bins in self.factors):
            return "binned"
        return "raw"


def _grid(decoder: BatchDecoder) -> Grid | None:
    """The histogram grid at the resolution the counter will use (the groups are known by then)."""
    from ..quantiles import bits_for

    plan = decoder.plan
    if plan.hist is None:
        return None
    return plan.hist.coarsen(bits_for(math.prod(max(1, len(lv.labels)) for lv in decoder.levels)))


