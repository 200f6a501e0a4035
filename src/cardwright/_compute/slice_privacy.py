"""What a model card's results may publish: the counts of every slice protected together.

Everything a results file says about a slice is a count of confusion cells, or a function of
such counts: the slice's size ``n``, its ``tn``, ``fp``, ``fn``, ``tp``, and for every metric its
numerator and denominator (a false positive rate publishes ``fp`` and the negatives ``tn + fp``;
disparities publish the groups' values through their differences and ratios).  The finest cells
are one per combination of every factor's group and the confusion class (label × prediction);
every slice's counts are sums of them, so the tables over slices, factors and intersections are
linked, and :class:`~.disclosure.CountGrid` protects them together: counts below
``min_cell_size`` are hidden, and enough others that none can be worked out.  A metric is shown
only when every count it is made of is published.  A slice whose size is hidden publishes none of
its counts, zeros included (a zero beside a hidden size would say which class its rows are in).

Reliability is separate: ``min_group_size`` hides the *metrics* of small slices (or, with
``min_group_size_applies_to: denominator``, of metrics whose own denominator is small), never
their counts, which follow ``min_cell_size`` alone.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..schema.analysis import QuantitativeAnalyses
from .bootstrap import SliceSet
from .counts import CountTable
from .disclosure import CountGrid
from .disparities import needed_metrics
from .metrics import PROPORTIONS

ALL = (0, 1, 2, 3)
CELLS = {"tn": (0,), "fp": (1,), "fn": (2,), "tp": (3,)}


def parts(metric: str) -> list[tuple[int, ...]]:
    """The confusion classes (0 TN, 1 FP, 2 FN, 3 TP) of each count a metric is made of; the
    last is the rows it is computed over (its ``n``)."""
    if metric in PROPORTIONS:
        num, den = PROPORTIONS[metric]
        return [num, den]
    if metric == "f1":
        return [(3,), (1, 2, 3)]
    if metric == "balanced_accuracy":
        return [(3,), (2, 3), (0,), (0, 1), ALL]
    if metric == "roc_auc":
        return [(2, 3), (0, 1), ALL]
    return [ALL]  # count


def denominator(metric: str) -> tuple[int, ...]:
    """The confusion classes of the rows a metric is computed over."""
    return parts(metric)[-1]


HIDDEN_REASON = "hidden: a count it is made of is below min_cell_size, or would give one away"


@dataclass
class Shield:
    """The protection decided for one evaluation: which counts of which slices are published."""

    spec: QuantitativeAnalyses
    hidden: dict[tuple[tuple[str, ...], int, tuple[int, ...]], bool] = field(default_factory=dict)
    """(over, slice index, classes) → hidden."""
    conf: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    everything: bool = False
    """Every count but the total is hidden: no selective protection was found (or the search for
    one was too large, see :data:`.disclosure.MAX_WORK`)."""

    def is_hidden(self, over: tuple[str, ...], i: int, classes: tuple[int, ...]) -> bool:
        return self.hidden.get((over, i, classes), False)

    def metric_hidden(self, over: tuple[str, ...], i: int, metric: str) -> bool:
        return any(self.is_hidden(over, i, p) for p in parts(metric))

    def count(self, over: tuple[str, ...], i: int, classes: tuple[int, ...]) -> int | None:
        if self.is_hidden(over, i, classes) and (over or classes != ALL):  # the total is in the provenance
            return None
        return int(self.conf[over][i][list(classes)].sum())

    def small(self, over: tuple[str, ...], i: int, metric: str) -> bool:
        """Below ``min_group_size`` (reliability): the slice, or the metric's own denominator."""
        rows = ALL if self.spec.min_group_size_applies_to == "slice" or metric == "count" else denominator(metric)
        return int(self.conf[over][i][list(rows)].sum()) < self.spec.min_group_size

    def excluded(self, ss: SliceSet, measure: str, *, include_small: bool = False) -> np.ndarray:
        """Groups left out of a comparison of ``measure``: hidden for privacy (always), and below
        ``min_group_size`` (unless ``include_small``)."""
        out = np.zeros(len(ss.keys), dtype=bool)
        for i in range(len(ss.keys)):
            for m in needed_metrics(measure):
                out[i] |= self.metric_hidden(ss.over, i, m) or (not include_small and self.small(ss.over, i, m))
        return out

    def slice_counts(self, over: tuple[str, ...], i: int, key: dict[str, str]) -> dict[str, Any]:
        """A ``slices`` entry: the size and the confusion counts that may be published."""
        entry: dict[str, Any] = {"slice": key, "n": self.count(over, i, ALL),
                                 "suppressed": self.small(over, i, "count")}
        for name, classes in CELLS.items():
            entry[name] = self.count(over, i, classes)
        return entry

    def publish(self, over: tuple[str, ...], i: int, metric: str, row: dict[str, Any]) -> dict[str, Any]:
        """A results row with its ``n`` (the rows it is computed over) and, when a count it is made
        of is hidden, no value."""
        row["n"] = self.count(over, i, denominator(metric))
        total = not over and metric == "count"  # the number of rows used, in the provenance too
        if self.metric_hidden(over, i, metric) and row.get("value") is not None and not total:
            for key in ("value", "ci_low", "ci_high", "interval"):
                row.pop(key, None)
            row.update(value=None, suppressed=True, reason=HIDDEN_REASON)
        return row


def protect(spec: QuantitativeAnalyses, table: CountTable, sets: dict[tuple[str, ...], SliceSet],
            reported: list[tuple[str, ...]], metrics: list[str]) -> Shield:
    """Decide what the results of ``reported`` slices may publish (``metrics``: every metric whose
    values reach the file, directly or through disparities and gates)."""
    shield = Shield(spec, conf={o: sets[o].conf for o in reported})
    k = spec.min_cell_size
    counts = table.counts.sum(-1) if table.counts.ndim > len(table.factors) + 1 else table.counts
    nf = len(table.factors)
    grid = CountGrid(counts.reshape(*counts.shape[:nf], 2, 2),
                     groups=[*([i] for i in range(nf)), [nf, nf + 1]])
    grid.add(np.ones(grid.shape, dtype=bool), fixed=True)
    class_sets = list(dict.fromkeys([ALL, *CELLS.values(), *(p for m in metrics for p in parts(m))]))
    slots: dict[tuple[tuple[str, ...], int, tuple[int, ...]], int] = {}
    for over in reported:
        axes = [table.factors.index(f) for f in over]
        combos = list(itertools.product(*(range(len(table.levels[a])) for a in axes)))
        for i, combo in enumerate(combos):
            size = int(shield.conf[over][i].sum())
            for classes in class_sets:
                mask = np.zeros(grid.shape, dtype=bool)
                index: list[Any] = [slice(None)] * nf
                for a, c in zip(axes, combo):
                    index[a] = c
                for cls in classes:
                    mask[tuple(index) + (cls >> 1, cls & 1)] = True
                # a slice below the threshold publishes nothing but that it exists, not even its zeros
                slots[(over, i, classes)] = grid.add(mask, hidden=size < k and classes != ALL)
    protection = grid.protect(k)
    hidden = protection.suppressed
    shield.everything = protection.everything
    shield.hidden = {key: bool(hidden[q]) for key, q in slots.items()}
    for (over, i, classes), q in slots.items():  # a hidden size hides every count of its slice
        if classes == ALL and hidden[q]:
            for other in class_sets:
                shield.hidden[(over, i, other)] = True
    return shield
