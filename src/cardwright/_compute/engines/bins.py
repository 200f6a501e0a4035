"""Score bins that do not depend on the engine, nor on the order rows are read in.

Every engine settles the score bins *before* counting, from the whole score column (the non-null
scores of every row, dropped rows included), by the same rule:

* **exact** when the column holds at most :data:`EXACT_LIMIT` distinct scores: one bin per
  distinct score (and the exact table fits :data:`MAX_ENTRIES`);
* **binned** otherwise.  The range ``[lo, hi]`` of the scores is cut into :data:`GRID` equal
  *cells*: ``cell(s) = min(GRID - 1, floor((s - lo) * scale))`` with ``scale = GRID / (hi - lo)``.
  Those are IEEE-754 operations (one subtraction, one multiplication, a floor), correctly rounded
  in numpy, DuckDB and the JVM alike, so every engine puts a score in the same cell.  A histogram
  of the cells gives the bin edges: for ``B`` bins, the cells where the cumulative count first
  reaches ``j / (B/2)`` of the scores (quantiles) and the cells ``j · GRID / (B/2)`` (an even
  grid), ``j = 1 … B/2 - 1``.  A bin is a run of cells between two edges.

``B`` is a power of two set by the number of finest cells (:func:`bins_for`), as before: up to
:data:`MAX_BINS`, fewer when there are many groups.  The edges for ``B/2`` bins are a subset of
those for ``B`` (the quantile levels and grid points halve exactly), so a table counted with more
bins *coarsens* to exactly the table counted with fewer.  The Arrow engine relies on that while
groups appear during its pass; the others count the groups first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from ..counts import EXACT_LIMIT, MAX_BINS, MAX_ENTRIES, ScoreBins

GRID = 1 << 20
"""Cells of the uniform grid the binned edges sit on."""
MIN_BINS = 256
TARGET_ENTRIES = 1 << 22


def bins_for(cells: int) -> int:
    """Binned-mode bins for ``cells`` finest cells: a power of two in [256, 16384]."""
    cells = max(1, cells)
    return int(min(MAX_BINS, max(MIN_BINS, 2 ** math.floor(math.log2(max(1, TARGET_ENTRIES // (cells * 4)))))))


def cell_index(score: np.ndarray, lo: float, scale: float) -> np.ndarray:
    """The grid cell of every score (the numpy form of the engines' SQL expression)."""
    cell = np.floor((score - lo) * scale)
    np.minimum(cell, GRID - 1, out=cell)
    np.maximum(cell, 0, out=cell)
    return cell.astype(np.int64)


def edge_cells(hist: np.ndarray, bins: int) -> np.ndarray:
    """Sorted cells where the ``bins`` bins start (the first bin starts at cell 0, not listed)."""
    half = bins // 2
    cum = np.cumsum(hist.astype(np.int64))
    total = int(cum[-1]) if cum.size else 0
    levels = np.arange(1, half, dtype=np.int64)
    # smallest cell i with cum[i] / total >= j / half, in integers: cum[i] * half >= j * total
    quantile = np.searchsorted(cum * half, levels * total, side="left") + 1
    grid = levels * (GRID // half)
    edges = np.unique(np.concatenate([quantile, grid]))
    return edges[(edges > 0) & (edges < GRID)]


@dataclass
class ScorePlan:
    """How scores become bins: decided once, before counting, the same way on every engine."""

    method: str
    """``exact`` or ``binned``."""
    points: np.ndarray = field(default_factory=lambda: np.empty(0))
    """Exact: the distinct scores, sorted."""
    lo: float = 0.0
    hi: float = 0.0
    hist: np.ndarray | None = None
    """Binned: scores per grid cell."""
    _luts: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    @property
    def scale(self) -> float:
        return GRID / (self.hi - self.lo) if self.hi > self.lo else 0.0

    def fits_exact(self, cells: int) -> bool:
        return len(self.points) <= EXACT_LIMIT and max(1, cells) * 4 * max(1, len(self.points)) <= MAX_ENTRIES

    def edges(self, bins: int) -> tuple[np.ndarray, np.ndarray]:
        """``(edge cells, cell -> bin lookup table)`` for ``bins`` bins."""
        if bins not in self._luts:
            assert self.hist is not None
            edges = edge_cells(self.hist, bins)
            lut = np.searchsorted(edges, np.arange(GRID), side="right").astype(np.int32)
            self._luts[bins] = (edges, lut)
        return self._luts[bins]

    def nbins(self, bins: int) -> int:
        return len(self.points) if self.method == "exact" else len(self.edges(bins)[0]) + 1

    def index(self, score: np.ndarray, bins: int) -> np.ndarray:
        """The bin of every score."""
        if self.method == "exact":
            return cast(np.ndarray, np.searchsorted(self.points, score))
        lookup = self.edges(bins)[1]
        return cast(np.ndarray, lookup[cell_index(score, self.lo, self.scale)])

    def score_bins(self, bins: int) -> ScoreBins:
        if self.method == "exact":
            return ScoreBins("exact", self.points)
        edges = self.edges(bins)[0]
        return ScoreBins("binned", self.lo + edges / self.scale)

    def coarsen(self, counts: np.ndarray, fine: int, coarse: int) -> np.ndarray:
        """A table counted with ``fine`` bins summed into ``coarse`` bins (last axis)."""
        fine_edges, coarse_edges = self.edges(fine)[0], self.edges(coarse)[0]
        starts = np.concatenate([[0], fine_edges])
        target = np.searchsorted(coarse_edges, starts, side="right")
        out = np.zeros((*counts.shape[:-1], len(coarse_edges) + 1), dtype=np.int64)
        for j in range(out.shape[-1]):
            out[..., j] = counts[..., target == j].sum(axis=-1)
        return out


Histogram = Callable[[float, float], np.ndarray]
"""``histogram(lo, scale)``: the number of scores in each of the :data:`GRID` cells."""


def binned_plan(lo: float, hi: float, histogram: Histogram) -> ScorePlan:
    """A binned plan for scores in ``[lo, hi]``, its histogram from the engine."""
    plan = ScorePlan("binned", lo=float(lo), hi=float(hi))
    plan.hist = np.asarray(histogram(plan.lo, plan.scale), dtype=np.int64)
    return plan
