"""Calibration tables in the grid: their bins are counts of the same finest cells as everything else.

A binary card's calibration table (``expected_calibration_error``) publishes, per probability bin
of a slice, the rows ``n`` and, through the share of positives, the positive rows (a reader
multiplies back; the negatives are the difference).  Those are counts of a partition of the
scores — the calibration bins ``(e[b-1], e[b]]`` — that the operating points' bands (how many
thresholds a score reaches) do not share.  So the class axis of a binary grid is not the label ×
the band but the label × the *score band*: the common refinement of the operating points' bands
and the calibration bins, one per ``(level, calibration bin)`` pair a score can fall in
(:func:`score_bands`).  Every confusion count is a sum of score bands of one label, every bin's
rows, positives and negatives too, and :class:`~.disclosure.CountGrid` protects them all in one
pass: a bin whose count would give a hidden one away (a coarser slice's bin minus the other
slices') is hidden like any other count.

Which tables are shown (:meth:`CalibrationShield.choose`): a slice's, when it has at least
``min_group_size`` (and ``min_cell_size``) rows and every count of its table — each bin's rows,
negatives and positives — is 0 or at least ``min_cell_size``; a sparse table is withheld as a
whole, like a sparse confusion matrix, rather than protected bin by bin at the cost of most of
the others.  A shown table's every count is a published count of the grid (a bin without rows is a
published zero: the table leaves it out, which says it is empty); one hidden to protect another
is shown suppressed — its range, and its rows only when those are published.  A withheld table's
counts below ``min_cell_size`` are in the grid too, hidden, so that no shown table (a coarser
slice's bins minus the others') gives one away: a reader cannot work any of them out exactly.
They are never shown, not even as suppressed, so they need not move as far as a suppressed count
(a reader may bound them: a bin of a withheld table holds no more rows than the same bin of a
shown table that contains it).  When no table can be shown, or the grid cannot protect them (it
would hide every count), no table is shown and the counts are protected as without them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .counts import CountTable
    from .disclosure import CountGrid
    from .plan import Plan

Slot = tuple[tuple[str, ...], int, int]
"""(over, slice index, calibration bin)."""
Parts = list[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]]
"""Per calibration bin, the classes of its rows, negatives and positives."""


def score_bands(plan: Plan, by_score: bool) -> list[tuple[int, int]]:
    """The ``(level, calibration bin)`` pairs a probability in [0, 1] can fall in, in order of
    the score (``by_score``: the level is how many thresholds the score reaches; else it is the
    prediction, and every pair can occur).  Level and bin are computed as the count pass does
    (:mod:`.decode`); both are step functions of the score that change only at a threshold or an
    edge, so probing every such point and every midpoint between two finds every pair."""
    edges = np.asarray(plan.calibration or (), dtype=float)
    bins = len(edges) + 1
    if not by_score or plan.thresholds is None:
        return list(itertools.product(range(plan.levels), range(bins)))
    thresholds = np.asarray(plan.thresholds, dtype=float)
    cuts = np.unique(np.clip(np.concatenate([[0.0, 1.0], thresholds, edges]), 0.0, 1.0))
    probes = np.unique(np.concatenate([cuts, (cuts[:-1] + cuts[1:]) / 2]))
    level = np.searchsorted(thresholds, probes, side="right")
    cal = np.searchsorted(edges, probes, side="left")
    return list(dict.fromkeys(zip(level.tolist(), cal.tolist())))


def binary_classes(table: CountTable, by_score: bool, calibration: bool,
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``(counts (*cells, 2, bands), level of each band, calibration bin of each band)``: the
    bands are the thresholds' levels, or with ``calibration`` (and calibration bins) the score
    bands."""
    nf = len(table.factors)
    counts = np.asarray(table.counts)
    if not calibration or table.joint is None or table.plan is None:
        counts = counts.reshape(*counts.shape[: nf + 2], -1).sum(-1)
        return counts, np.arange(counts.shape[-1]), None
    joint = np.asarray(table.joint)
    levels, bins = joint.shape[-2:]
    flat = joint.reshape(*joint.shape[: nf + 1], levels * bins)
    pairs = [level * bins + b for level, b in score_bands(table.plan, by_score)]
    used = np.flatnonzero(flat.reshape(-1, levels * bins).any(axis=0))
    keep = sorted(set(pairs) | set(used.tolist()))  # never a row left out, whatever the bands say
    return flat[..., keep], np.asarray(keep) // bins, np.asarray(keep) % bins


def bin_parts(band_cal: np.ndarray, bins: int) -> Parts:
    """The classes (``label × band``, flat) of each calibration bin's rows, negatives and
    positives, for bands in calibration bins ``band_cal``."""
    out: Parts = []
    bands = len(band_cal)
    for b in range(bins):
        negatives = tuple(int(i) for i in np.flatnonzero(band_cal == b))
        positives = tuple(bands + i for i in negatives)
        out.append((negatives + positives, negatives, positives))
    return out


@dataclass
class CalibrationShield:
    """Which slices show a calibration table, and which bins of them are hidden."""

    tables: dict[tuple[tuple[str, ...], int], bool] = field(default_factory=dict)
    """(over, slice index) → the slice shows its table (unless its size turns out hidden)."""
    slots: dict[Slot, list[int]] = field(default_factory=dict)
    """The grid's counts of each bin of a table that is shown: rows, negatives, positives."""
    hidden: dict[Slot, tuple[bool, bool]] = field(default_factory=dict)
    """(rows hidden, a count of the bin hidden)."""

    def choose(self, counts: np.ndarray, parts: Parts, over: tuple[str, ...], cells: list[np.ndarray], k: int,
               min_group_size: int) -> None:
        """Which slices of ``over`` (``cells``: the grid index of each one's factor cells' first
        class) show their table: those with at least ``min_group_size`` and ``k`` rows whose every
        count (each bin's rows, negatives and positives) is 0 or at least ``k`` — a sparse table is
        withheld as a whole, rather than protected bin by bin at the cost of most of the others.
        ``counts``: the grid's counts, flat."""
        for i, first in enumerate(cells):
            got = [int(counts[m].sum()) for m in self._members(parts, first)]
            size = sum(got[::3])
            self.tables[(over, i)] = size >= max(k, min_group_size, 1) and all(n == 0 or n >= k for n in got)

    @staticmethod
    def _members(parts: Parts, first: np.ndarray) -> list[np.ndarray]:
        """The grid cells of every bin's rows, negatives and positives, in that order."""
        return [(first[:, None] + np.asarray(part, dtype=np.int64)[None, :]).ravel()
                for bin_ in parts for part in bin_]

    def register(self, grid: CountGrid, parts: Parts, over: tuple[str, ...], i: int, first: np.ndarray,
                 k: int) -> None:
        """Add the bins of slice ``i`` to ``grid``: every count of a table it shows (a bin
        without rows is a published zero); of a withheld table the counts below ``k``, hidden,
        which need only not be worked out exactly (they are never shown, as suppressed or
        otherwise: a reader cannot tell which bins hold them)."""
        members = self._members(parts, first)
        if self.tables[(over, i)]:
            for b in range(len(parts)):
                self.slots[(over, i, b)] = [grid.add(m) for m in members[3 * b: 3 * b + 3]]
            return
        flat = grid.flat
        for m in members:
            if 0 < int(flat[m].sum()) < k:
                grid.add(m, hidden=True, width=1)

    def decide(self, suppressed: np.ndarray) -> None:
        self.hidden = {slot: (bool(suppressed[qs[0]]), bool(suppressed[qs].any())) for slot, qs in self.slots.items()}

    def bins(self, over: tuple[str, ...], i: int, bins: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The bins slice ``i`` publishes (``bins``: its table as computed, bins with rows only)."""
        out = []
        for row in bins:
            rows_hidden, hidden = self.hidden[(over, i, row["bin"])]
            shown = {name: value for name, value in row.items() if name != "bin"}
            if hidden:
                shown.update(n=None if rows_hidden else shown["n"], mean_score=None, fraction_positive=None,
                             suppressed=True)
            out.append(shown)
        return out
