"""The count table every number is derived from, for every task.

A :class:`CountTable` is all an engine has to produce.  For every *finest cell* (one combination
of a group of every factor) it holds

* ``counts[g1, …, gk, *axes]``: rows per value of the task's discrete axes — binary
  classification ``(label, level, score bin)`` (``level``: how many thresholds the score reaches,
  or the predicted label), multiclass ``(label, predicted, top-k hit)``, scored ``(pass,)``,
  regression none;
* ``sums``: exact sums of per-row statistics (:mod:`.engines.fixed`) — the sample weights and
  their squares per value of the axes, and the task's values (squared errors, scores, losses …);
* binary classification with calibration bins: ``joint[g1, …, gk, label, level, cal]``, rows
  per label, level and calibration bin together (the finest score bands of the published counts);
* for medians and percentiles, a histogram of the value with the smallest and largest value in
  every bin (:mod:`.quantiles`).

Coarser slices (overall, one factor, any intersection) are sums over the factor axes (minima and
maxima for the histogram's ends); every metric is a function of a slice's table, and the
bootstrap of the classification tasks resamples the cells instead of the rows.  A DuckDB or
Spark engine only needs a ``GROUP BY`` producing the same arrays.

Score bins are *exact* (one per distinct score) when the score column has at most
:data:`EXACT_LIMIT` distinct values, else binned on a fixed cell grid; the engines in
:mod:`.engines` settle them from the whole column before counting, so they do not depend on the
engine or the row order (see docs/engines.md; docs/statistics.md for the error bound).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .engines.fixed import to_float

if TYPE_CHECKING:
    from .plan import Plan
    from .quantiles import Grid

EXACT_LIMIT = 4096
MAX_BINS = 16384
MAX_ENTRIES = 1 << 25  # 256 MiB of int64 counts
GRID = 1 << 20  # resolution of the score-to-bin lookup table


@dataclass
class ScoreBins:
    method: str
    """``exact`` (``points`` are the distinct scores) or ``binned`` (``points`` are bin edges:
    bin ``i`` holds scores in ``[points[i-1], points[i])``)."""
    points: np.ndarray

    @property
    def size(self) -> int:
        return len(self.points) if self.method == "exact" else len(self.points) + 1


@dataclass
class Sums:
    """Exact sums of statistics per finest cell and some of the task's axes."""

    stats: tuple[str, ...]
    scales: tuple[int, ...]
    digits: np.ndarray
    """int64 ``(*cells, *axes, len(stats), 3)``: digit sums (see :mod:`.engines.fixed`)."""


@dataclass
class Histogram:
    """Per finest cell: rows per bin of the value, and the smallest and largest value in each."""

    grid: Grid
    counts: np.ndarray
    """int64 ``(*cells, bins)``."""
    lo: np.ndarray
    """float64 ``(*cells, bins)`` (``+inf`` for an empty bin)."""
    hi: np.ndarray
    """float64 ``(*cells, bins)`` (``-inf`` for an empty bin)."""


@dataclass
class CountTable:
    factors: list[str]
    levels: list[list[str]]
    counts: np.ndarray
    """int64 ``(*len(levels[i]), *task axes)``."""
    bins: ScoreBins | None = None
    rows_read: int = 0
    dropped: dict[str, int] | None = None
    sums: dict[str, Sums] = field(default_factory=dict)
    hist: Histogram | None = None
    classes: list[str] | None = None
    """Multiclass: the classes, in the order of the label and prediction axes."""
    plan: Plan | None = None
    joint: np.ndarray | None = None
    """Binary with calibration bins: int64 ``(*cells, label, level, calibration bin)``, rows per
    label, level and calibration bin together (every count a results file publishes, calibration
    tables included, is a sum of these)."""

    @property
    def rows_used(self) -> int:
        return int(self.counts.sum())

    def _axes(self, names: Iterable[str]) -> tuple[int, ...]:
        keep = {self.factors.index(n) for n in names}
        return tuple(i for i in range(len(self.factors)) if i not in keep)

    def over(self, names: Iterable[str]) -> np.ndarray:
        """Counts summed over every factor not in ``names`` (kept in factor order)."""
        axes = self._axes(names)
        return self.counts.sum(axis=axes) if axes else self.counts

    def sums_over(self, name: str, names: Iterable[str]) -> np.ndarray | None:
        """Sums ``name`` of each slice of ``names``: float64 ``(S, *axes, stats)``, each the
        exact sum rounded once (``None`` when the table has no such sums)."""
        got = self.sums.get(name)
        if got is None:
            return None
        axes = self._axes(names)
        digits = got.digits.sum(axis=axes) if axes else got.digits
        k = len(self.factors) - len(axes)
        flat = digits.reshape(-1, *digits.shape[k:])
        return to_float(flat, got.scales)

    def hist_over(self, names: Iterable[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """``(counts, lo, hi)`` of each slice of ``names``, each ``(S, bins)``."""
        if self.hist is None:
            return None
        axes = self._axes(names)
        h = self.hist
        if axes:
            counts, lo, hi = h.counts.sum(axis=axes), h.lo.min(axis=axes), h.hi.max(axis=axes)
        else:
            counts, lo, hi = h.counts, h.lo, h.hi
        bins = counts.shape[-1]
        return counts.reshape(-1, bins), lo.reshape(-1, bins), hi.reshape(-1, bins)


def level_order(labels: list[str], binned: bool, missing: str) -> list[int]:
    """The stable order of a factor's groups: numbers by value, else text; ``missing`` last."""
    rest = [i for i, label in enumerate(labels) if label != missing]
    if not binned:
        numeric = all(_is_number(labels[i]) for i in rest)
        rest.sort(key=(lambda i: (float(labels[i]), labels[i])) if numeric else (lambda i: labels[i]))
    return rest + [i for i, label in enumerate(labels) if label == missing]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class Progress:
    """A progress bar on standard error (tqdm): rows counted, of the total when it is known."""

    def __init__(self, total: int | None):
        from tqdm import tqdm

        self.bar = tqdm(total=total or None, desc="counting", unit=" rows", unit_scale=True, leave=True,
                        dynamic_ncols=True, mininterval=0.2)

    def __call__(self, n: int) -> None:
        self.bar.update(n)

    def close(self) -> None:
        self.bar.close()


def wrap_progress(total: int | None, enabled: bool) -> Progress | None:
    """A progress bar on standard error, or ``None``."""
    return Progress(total) if enabled else None
