"""The one counting pass, and the count table every number is derived from.

A :class:`CountTable` is all an engine has to produce.  It holds, for every *finest cell* (one
combination of a group of every factor), for every confusion class (TN, FP, FN, TP) and for every
score bin, the number of rows:  ``counts[g1, g2, …, gk, class, bin]``.  Without a score column
there is one bin.  Coarser slices (overall, one factor, any intersection) are sums over axes;
every count metric is a function of ``counts.sum(-1)``, ROC AUC a function of the bins, and the
bootstrap resamples the cells instead of the rows.  A DuckDB or Spark engine only needs a
``GROUP BY factors…, class, bin`` producing the same array.

Score bins are *exact* (one per distinct score) when the score column has at most
:data:`EXACT_LIMIT` distinct values, else binned on a fixed cell grid; the engines in
:mod:`.engines` settle them from the whole column before counting, so they do not depend on the
engine or the row order (see docs/engines.md; docs/statistics.md for the error bound).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..errors import DataError, Finding
from .decode import MISSING, Levels

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
class CountTable:
    factors: list[str]
    levels: list[list[str]]
    counts: np.ndarray
    """int64, shape ``(*len(levels[i]), 4, bins)``."""
    bins: ScoreBins | None = None
    rows_read: int = 0
    dropped: dict[str, int] | None = None

    @property
    def rows_used(self) -> int:
        return int(self.counts.sum())

    def over(self, names: Iterable[str]) -> np.ndarray:
        """Counts summed over every factor not in ``names`` (kept in factor order)."""
        keep = {self.factors.index(n) for n in names}
        axes = tuple(i for i in range(len(self.factors)) if i not in keep)
        return self.counts.sum(axis=axes) if axes else self.counts


class Accumulator:
    """Adds decoded batches into a growing dense count array."""

    def __init__(self, levels: list[Levels], with_score: bool):
        self.levels = levels
        self.with_score = with_score
        self.sizes = [0] * len(levels)
        self.method = "exact" if with_score else None
        self.points = np.empty(0, dtype=np.float64)
        self._grid: tuple[float, float, np.ndarray] | None = None
        self.counts = np.zeros((*self.sizes, 4, 1 if not with_score else 0), dtype=np.int64)

    def _grow_levels(self) -> None:
        sizes = [len(lv.labels) for lv in self.levels]
        if sizes != self.sizes:
            pad = [(0, new - old) for new, old in zip(sizes, self.sizes)] + [(0, 0), (0, 0)]
            self.sizes = sizes
            self._check_size(self.counts.shape[-1])
            self.counts = np.pad(self.counts, pad)

    def _check_size(self, bins: int) -> None:
        cells = math.prod(self.sizes)
        if cells * 4 * bins > MAX_ENTRIES:
            raise DataError(Finding(
                "<data>", "unsupported",
                f"the factors make {cells:,} groups, too many to count on one machine with this engine",
                hint="bin high-cardinality columns ({column, bins}) or leave them out of `factors`",
            ))

    def _bin_scores(self, score: np.ndarray) -> np.ndarray:
        if self.method == "exact":
            import pyarrow as pa
            import pyarrow.compute as pc

            new = np.sort(pc.unique(pa.array(score)).to_numpy())
            merged = np.union1d(self.points, new)
            fits = math.prod(self.sizes) * 4 * len(merged) <= MAX_ENTRIES
            if len(merged) <= EXACT_LIMIT and fits:
                if len(merged) != len(self.points):
                    grown = np.zeros((*self.counts.shape[:-1], len(merged)), dtype=np.int64)
                    grown[..., np.searchsorted(merged, self.points)] = self.counts
                    self.counts, self.points = grown, merged
                return np.searchsorted(self.points, score)
            self._to_binned(score)
        return self._lookup(score)

    def _lookup(self, score: np.ndarray) -> np.ndarray:
        """Bin indices through a table over a fine uniform grid: far faster than a binary search,
        and still a monotone partition of the score axis (each edge snapped to the grid)."""
        if self._grid is None:
            lo, hi = float(self.points[0]), float(self.points[-1])
            scale = (GRID - 1) / (hi - lo) if hi > lo else 0.0
            cells = lo + np.arange(GRID) / scale if scale else np.full(GRID, lo)
            self._grid = (lo, scale, np.searchsorted(self.points, cells, side="right").astype(np.int32))
        lo, scale, table = self._grid
        cell = (score - lo) * scale
        np.clip(cell, -1, GRID - 1, out=cell)
        index = table[cell.astype(np.int64)]
        index[cell < 0] = 0
        return index

    def _to_binned(self, score: np.ndarray) -> None:
        cells = max(1, math.prod(self.sizes))
        bins = int(min(MAX_BINS, max(256, 2 ** math.floor(math.log2(max(1, (1 << 22) // (cells * 4)))))))
        sample = np.concatenate([self.points, score])
        quantiles = np.quantile(sample, np.linspace(0, 1, bins // 2 + 1)[1:-1])
        grid = np.linspace(sample.min(), sample.max(), bins // 2 + 1)[1:-1]
        edges = np.unique(np.concatenate([quantiles, grid]))
        old = np.searchsorted(edges, self.points, side="right")
        binned = np.zeros((len(edges) + 1, *self.counts.shape[:-1]), dtype=np.int64)
        np.add.at(binned, old, np.moveaxis(self.counts, -1, 0))
        self.counts = np.ascontiguousarray(np.moveaxis(binned, 0, -1))
        self.points, self.method = edges, "binned"

    def add(self, codes: list[np.ndarray], classes: np.ndarray, score: np.ndarray | None) -> None:
        self._grow_levels()
        if len(classes) == 0:
            return
        bins = self._bin_scores(score) if score is not None else None
        nbins = self.counts.shape[-1]
        key = np.zeros(len(classes), dtype=np.int64)
        for c, size in zip(codes, self.sizes):
            key *= size
            key += c
        key *= 4
        key += classes
        if bins is not None:
            key *= nbins
            key += bins
        self.counts += np.bincount(key, minlength=self.counts.size).reshape(self.counts.shape)

    def table(self, names: list[str], rows_read: int, dropped: dict[str, int]) -> CountTable:
        """The finished table, with every factor's groups in a stable order."""
        counts = self.counts
        levels = []
        for axis, lv in enumerate(self.levels):
            order = _level_order(lv)
            counts = np.take(counts, order, axis=axis)
            levels.append([lv.labels[i] for i in order])
        bins = ScoreBins(self.method, self.points) if self.method is not None else None
        return CountTable(names, levels, counts, bins, rows_read, dropped)


def _level_order(lv: Levels) -> list[int]:
    labels = lv.labels
    rest = [i for i, label in enumerate(labels) if label != MISSING]
    if lv.binned is None:
        numeric = all(_is_number(labels[i]) for i in rest)
        rest.sort(key=(lambda i: (float(labels[i]), labels[i])) if numeric else (lambda i: labels[i]))
    return rest + [i for i, label in enumerate(labels) if label == MISSING]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class Progress:
    """A progress bar on standard error: rows counted (of the total when it is known)."""

    def __init__(self, total: int | None):
        self.total = total
        self.done = 0

    def __call__(self, n: int) -> None:
        import sys

        self.done += n
        if self.total:
            frac = min(1.0, self.done / self.total)
            sys.stderr.write(f"\rcounting [{'#' * int(30 * frac):<30}] {self.done:,}/{self.total:,} rows")
        else:
            sys.stderr.write(f"\rcounting {self.done:,} rows")
        sys.stderr.flush()

    def close(self) -> None:
        import sys

        sys.stderr.write("\n")
        sys.stderr.flush()


def wrap_progress(total: int | None, enabled: bool) -> Progress | None:
    """A progress bar on standard error, or ``None``."""
    return Progress(total) if enabled else None
