"""Filling the count table from decoded rows: the step every engine shares.

The Arrow engine hands it decoded batches of rows; DuckDB and Spark hand it decoded rows of their
aggregate (one row per distinct key, with the number of rows it stands for as a weight).  Either
way the table is ``counts[g1, …, gk, class, bin]`` with the bins of a :class:`~.bins.ScorePlan`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...errors import DataError, Finding
from ..counts import MAX_ENTRIES, Accumulator, CountTable
from ..decode import Decoded, Levels
from .bins import MIN_BINS, ScorePlan, bins_for


class ExactTooLarge(Exception):
    """The exact score table outgrew :data:`MAX_ENTRIES`: count again with binned scores."""


class Counter:
    def __init__(self, levels: list[Levels], plan: ScorePlan | None, error: Any = None):
        self.levels = levels
        self.plan = plan
        self.error = error
        """``error(message, hint)``: the positioned error for a table too large to allocate."""
        self.sizes = [len(lv.labels) for lv in levels]
        cells = math.prod(self.sizes)
        if plan is not None and plan.method == "exact" and not plan.fits_exact(cells):
            raise ExactTooLarge
        self.resolution = bins_for(cells) if plan is not None else 0
        self._check_size(cells, MIN_BINS if plan is not None and plan.method == "binned" else self._nbins())
        self.counts = np.zeros((*self.sizes, 4, self._nbins()), dtype=np.int64)

    def _check_size(self, cells: int, nbins: int) -> None:
        """Refuse, before allocating, a table of more than :data:`MAX_ENTRIES` counts."""
        if cells * 4 * nbins <= MAX_ENTRIES:
            return
        sizes = " × ".join(f"{lv.name} ({len(lv.labels):,})" for lv in self.levels)
        message = (f"the factors make {cells:,} groups together ({sizes}), too many to count on one machine "
                   "with this engine")
        hint = "bin high-cardinality columns ({column, bins}) or leave them out of `factors`"
        if self.error is not None:
            raise self.error(message, hint)
        raise DataError(Finding("<data>", "unsupported", message, hint=hint))

    def _nbins(self) -> int:
        return 1 if self.plan is None else max(1, self.plan.nbins(self.resolution))

    def _grow(self) -> None:
        sizes = [len(lv.labels) for lv in self.levels]
        if sizes == self.sizes:
            return
        cells = math.prod(sizes)
        plan = self.plan
        if plan is not None and plan.method == "exact" and not plan.fits_exact(cells):
            raise ExactTooLarge
        if plan is None:
            self._check_size(cells, 1)
        pad = [(0, new - old) for new, old in zip(sizes, self.sizes)] + [(0, 0), (0, 0)]
        self.sizes = sizes
        if plan is not None and plan.method == "binned":
            wanted = bins_for(cells)
            self._check_size(cells, MIN_BINS)
            if wanted < self.resolution:
                self.counts = plan.coarsen(self.counts, self.resolution, wanted)
                self.resolution = wanted
        self.counts = np.pad(self.counts, pad)

    def add(self, decoded: Decoded, weights: np.ndarray | None = None) -> None:
        self._grow()
        classes = decoded.classes
        if len(classes) == 0:
            return
        nbins = self.counts.shape[-1]
        key = np.zeros(len(classes), dtype=np.int64)
        for c, size in zip(decoded.codes, self.sizes):
            key *= size
            key += c
        key *= 4
        key += classes
        if self.plan is not None:
            assert decoded.score is not None
            key *= nbins
            key += self.plan.index(decoded.score, self.resolution)
        if weights is None:
            added = np.bincount(key, minlength=self.counts.size)
        else:
            added = np.rint(np.bincount(key, weights=weights.astype(np.float64), minlength=self.counts.size))
        self.counts += added.astype(np.int64).reshape(self.counts.shape)

    def table(self, names: list[str], rows_read: int, dropped: dict[str, int]) -> CountTable:
        """The finished table, groups in the same stable order as the built-in pass."""
        self._grow()
        acc = Accumulator(self.levels, self.plan is not None)
        acc.counts = self.counts
        table = acc.table(names, rows_read, dropped)
        table.bins = self.plan.score_bins(self.resolution) if self.plan is not None else None
        return table
