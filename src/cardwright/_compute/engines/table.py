"""Filling the count table from decoded rows: the step every engine shares.

The Arrow engine hands it decoded batches of rows; DuckDB and Spark hand it decoded rows of their
aggregate (one row per distinct key, with the number of rows it stands for and the digit sums of
every statistic).  Either way the table is ``counts[g1, …, gk, *task axes]`` with the score bins
of a :class:`~.bins.ScorePlan`, plus the exact sums and the histogram the plan asks for (see
:mod:`..counts`).  Factor groups and classes may appear at any batch: the arrays grow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...errors import DataError, Finding
from ...schema.metric_names import BINARY, MULTICLASS, SCORED
from ..counts import MAX_ENTRIES, CountTable, Histogram, Sums, level_order
from ..decode import BatchDecoder, Decoded
from ..levels import MISSING
from ..plan import Plan, Stat, sort_labels
from ..quantiles import Grid, bits_for
from . import fixed
from .bins import MIN_BINS, ScorePlan, bins_for

#: The axes of the joint counts of a binary evaluation with calibration bins.
JOINT = ("label", "level", "cal")


class ExactTooLarge(Exception):
    """The exact score table outgrew :data:`MAX_ENTRIES`: count again with binned scores."""


def _too_many(decoder: BatchDecoder, sizes: list[int]) -> DataError:
    cells = math.prod(sizes)
    parts = " × ".join(f"{lv.name} ({n:,})" for lv, n in zip(decoder.levels, sizes))
    message = (f"the factors make {cells:,} groups together ({parts}), too many to count on one machine "
               "with this engine")
    hint = "bin high-cardinality columns ({column, bins}) or leave them out of `factors`"
    if decoder._locate is not None:
        return decoder._at_key(("factors",), message, hint)
    return DataError(Finding("<data>", "unsupported", message, hint=hint))


def _counts(key: np.ndarray, rows: np.ndarray | None, size: int) -> np.ndarray:
    """Rows per key (``rows``: how many rows each entry stands for), int64 of ``size`` entries."""
    if rows is None:
        counted: np.ndarray = np.bincount(key, minlength=size).astype(np.int64, copy=False)
        return counted
    return np.rint(np.bincount(key, weights=rows.astype(np.float64), minlength=size)).astype(np.int64)


@dataclass
class _SumTable:
    axes: tuple[str, ...]
    stats: list[Stat]
    digits: np.ndarray
    """int64 ``(*cells, *axes, len(stats), 3)``."""


class Counter:
    def __init__(self, decoder: BatchDecoder, score: ScorePlan | None):
        self.decoder = decoder
        self.plan: Plan = decoder.plan
        self.score = score
        self.sizes = [len(lv.labels) for lv in decoder.levels]
        cells = math.prod(self.sizes)
        if score is not None and score.method == "exact" and not score.fits_exact(cells):
            raise ExactTooLarge
        self.resolution = bins_for(cells) if score is not None else 0
        self.bits = bits_for(cells) if self.plan.hist is not None else 0
        self.nclasses = len(decoder.classes.labels)
        self._check_size(self.sizes)
        self.counts = np.zeros((*self.sizes, *self._axis_sizes()), dtype=np.int64)
        self.joint = np.zeros((*self.sizes, *self._sizes(JOINT)), dtype=np.int64) if self._joint else None
        self.tables = {name: _SumTable(axes, stats, np.zeros((*self.sizes, *self._sizes(axes), len(stats), 3),
                                                             dtype=np.int64))
                       for name, axes, stats in self._sum_specs()}
        grid = self._grid()
        bins = grid.size if grid is not None else 0
        self.hist = (np.zeros((*self.sizes, bins), dtype=np.int64), np.full((*self.sizes, bins), np.inf),
                     np.full((*self.sizes, bins), -np.inf)) if bins else None
        self._scratch = (np.empty(0), np.empty(0))

    # -- layout -------------------------------------------------------------------------------
    def _check_size(self, sizes: list[int]) -> None:
        """Refuse, before allocating, a count table of more than :data:`MAX_ENTRIES` counts (binned
        scores at their coarsest)."""
        per_cell = 1
        for axis in self.axes:
            per_cell *= MIN_BINS if axis == "bin" and self.score is not None and self.score.method == "binned" \
                else self._size(axis)
        joint = math.prod(self._sizes(JOINT)) if self._joint else 0
        if math.prod(sizes) * max(per_cell, joint) > MAX_ENTRIES:
            raise _too_many(self.decoder, sizes)

    @property
    def _joint(self) -> bool:
        """Binary with calibration bins: rows are also counted per label, level and calibration
        bin together (the score bands the published counts are protected on, see
        :mod:`..calibration_grid`)."""
        return self.plan.task == BINARY and self.plan.calibration is not None

    def _nbins(self) -> int:
        return 1 if self.score is None else max(1, self.score.nbins(self.resolution))

    def _grid(self) -> Grid | None:
        return None if self.plan.hist is None else self.plan.hist.coarsen(self.bits)

    @property
    def axes(self) -> tuple[str, ...]:
        task = self.plan.task
        if task == BINARY:
            return ("label", "level", "bin")
        if task == MULTICLASS:
            return ("label", "pred", "hit")
        if task == SCORED:
            return ("pass",)
        return ()

    def _size(self, axis: str) -> int:
        plan = self.plan
        grid = self._grid()
        return {"label": 2 if plan.task == BINARY else self.nclasses, "level": plan.levels, "bin": self._nbins(),
                "pred": self.nclasses, "hit": 2 if plan.class_columns else 1,
                "pass": 2 if plan.boolean or plan.pass_threshold is not None else 1,
                "cal": len(plan.calibration) + 1 if plan.calibration else 1,
                "hbin": grid.size if grid is not None else 0}[axis]

    def _sizes(self, axes: tuple[str, ...]) -> list[int]:
        return [self._size(a) for a in axes]

    def _axis_sizes(self) -> list[int]:
        return self._sizes(self.axes)

    def _sum_specs(self) -> list[tuple[str, tuple[str, ...], list[Stat]]]:
        plan = self.plan
        out: list[tuple[str, tuple[str, ...], list[Stat]]] = []
        if plan.values:
            out.append(("values", ("label", "cal") if plan.task == BINARY else (), plan.values))
        if plan.weight is not None and plan.weight2 is not None:
            out.append(("weight", self.axes, [plan.weight]))
            out.append(("weight2", tuple(a for a in self.axes if a != "bin"), [plan.weight2]))
        if plan.hist_weight is not None:
            out.append(("hist_weight", ("hbin",), [plan.hist_weight]))
        return out

    # -- growing ------------------------------------------------------------------------------
    def _grow(self) -> None:
        sizes = [len(lv.labels) for lv in self.decoder.levels]
        nclasses = len(self.decoder.classes.labels)
        if sizes == self.sizes and nclasses == self.nclasses:
            return
        cells = math.prod(sizes)
        score = self.score
        if score is not None and score.method == "exact" and not score.fits_exact(cells):
            raise ExactTooLarge
        old = (self.sizes, self.nclasses)
        self.nclasses = nclasses
        self._check_size(sizes)
        self.sizes = sizes
        self._pad_all(old)
        self._coarsen(cells)

    def _pad(self, array: np.ndarray, old: tuple[list[int], int], axes: tuple[str, ...]) -> np.ndarray:
        sizes, nclasses = old
        pad = [(0, new - was) for new, was in zip(self.sizes, sizes)]
        pad += [(0, self.nclasses - nclasses) if a in ("label", "pred") and self.plan.task == MULTICLASS else (0, 0)
                for a in axes]
        pad += [(0, 0)] * (array.ndim - len(pad))
        return np.pad(array, pad)

    def _pad_all(self, old: tuple[list[int], int]) -> None:
        self.counts = self._pad(self.counts, old, self.axes)
        if self.joint is not None:
            self.joint = self._pad(self.joint, old, JOINT)
        for table in self.tables.values():
            table.digits = self._pad(table.digits, old, table.axes)
        if self.hist is not None:
            counts, lo, hi = self.hist
            n = len(old[0])
            pad = [(0, new - was) for new, was in zip(self.sizes, old[0])] + [(0, 0)] * (lo.ndim - n)
            self.hist = (np.pad(counts, pad), np.pad(lo, pad, constant_values=np.inf),
                         np.pad(hi, pad, constant_values=-np.inf))

    def _coarsen(self, cells: int) -> None:
        score = self.score
        if score is not None and score.method == "binned":
            wanted = bins_for(cells)
            if wanted < self.resolution:
                self.counts = score.coarsen(self.counts, self.resolution, wanted)
                weight = self.tables.get("weight")
                if weight is not None:
                    moved = np.moveaxis(weight.digits, -3, -1)  # bins last
                    weight.digits = np.moveaxis(score.coarsen(moved, self.resolution, wanted), -1, -3)
                self.resolution = wanted
        if self.hist is not None and self.plan.hist is not None:
            bits = bits_for(cells)
            if bits < self.bits:
                self._coarsen_hist(bits)

    def _coarsen_hist(self, bits: int) -> None:
        assert self.hist is not None and self.plan.hist is not None
        fine, coarse = self.plan.hist.coarsen(self.bits), self.plan.hist.coarsen(bits)
        target = coarse.coarse_index(fine)
        counts, lo, hi = self.hist
        out_counts = np.zeros((*counts.shape[:-1], coarse.size), dtype=np.int64)
        out_lo = np.full(out_counts.shape, np.inf)
        out_hi = np.full(out_counts.shape, -np.inf)
        for j in range(fine.size):
            t = target[j]
            out_counts[..., t] += counts[..., j]
            out_lo[..., t] = np.minimum(out_lo[..., t], lo[..., j])
            out_hi[..., t] = np.maximum(out_hi[..., t], hi[..., j])
        self.hist = (out_counts, out_lo, out_hi)
        weight = self.tables.get("hist_weight")
        if weight is not None:
            digits = np.zeros((*weight.digits.shape[:-3], coarse.size, *weight.digits.shape[-2:]), dtype=np.int64)
            for j in range(fine.size):
                digits[..., target[j], :, :] += weight.digits[..., j, :, :]
            weight.digits = digits
        self.bits = bits

    # -- adding ---------------------------------------------------------------------------------
    def _flat(self, cell: np.ndarray, keys: dict[str, np.ndarray], axes: tuple[str, ...]) -> np.ndarray:
        key: np.ndarray = cell.copy()
        for axis in axes:
            key *= self._size(axis)
            key += keys[axis]
        return key

    def add(self, decoded: Decoded) -> None:
        self._grow()
        n = decoded.size
        if n == 0:
            return
        cell = np.zeros(n, dtype=np.int64)
        for c, size in zip(decoded.codes, self.sizes):
            cell *= size
            cell += c
        keys = dict(decoded.keys)
        if self.score is not None:
            assert decoded.score is not None
            keys["bin"] = self.score.index(decoded.score, self.resolution)
        elif self.plan.task == BINARY:
            keys["bin"] = np.zeros(n, dtype=np.int64)
        for axis in self.axes:
            keys.setdefault(axis, np.zeros(n, dtype=np.int64))
        grid = self._grid()
        if grid is not None and decoded.hist is not None:
            keys["hbin"] = grid.codes(decoded.hist[0])
        keys.setdefault("cal", np.zeros(n, dtype=np.int64))
        rows = decoded.rows
        main = self._flat(cell, keys, self.axes)
        self.counts += _counts(main, rows, self.counts.size).reshape(self.counts.shape)
        if self.joint is not None:
            self.joint += _counts(self._flat(cell, keys, JOINT), rows, self.joint.size).reshape(self.joint.shape)
        for table in self.tables.values():
            self._add_sums(table, self._flat(cell, keys, table.axes), decoded)
        if grid is not None and decoded.hist is not None:
            self._add_hist(self._flat(cell, keys, ("hbin",)), decoded, rows)

    def _add_sums(self, table: _SumTable, key: np.ndarray, decoded: Decoded) -> None:
        size = table.digits.size // (len(table.stats) * 3)
        flat = table.digits.reshape(size, len(table.stats), 3)
        scratch = None
        if decoded.rows is None:
            if len(self._scratch[0]) < len(key):  # kept from batch to batch (fresh arrays cost page faults)
                self._scratch = (np.empty(len(key)), np.empty(len(key)))
            scratch = self._scratch
        for j, st in enumerate(table.stats):
            if decoded.rows is None:
                target = np.zeros((size, 3), dtype=np.int64)
                fixed.add_digits(target, key, decoded.values[st.name], st.scale, scratch)
                flat[:, j, :] += target
            else:
                np.add.at(flat[:, j, :], key, decoded.digits[st.name])

    def _add_hist(self, key: np.ndarray, decoded: Decoded, rows: np.ndarray | None) -> None:
        assert self.hist is not None and decoded.hist is not None
        counts, lo, hi = self.hist
        counts += _counts(key, rows, counts.size).reshape(counts.shape)
        np.minimum.at(lo.reshape(-1), key, decoded.hist[0])
        np.maximum.at(hi.reshape(-1), key, decoded.hist[1])

    # -- the finished table ---------------------------------------------------------------------
    def table(self, names: list[str], rows_read: int, dropped: dict[str, int]) -> CountTable:
        """The finished table, factor groups (and classes) in a stable order."""
        self._grow()
        orders = [level_order(lv.labels, lv.binned is not None, MISSING) for lv in self.decoder.levels]
        levels = [[lv.labels[i] for i in order] for lv, order in zip(self.decoder.levels, orders)]
        class_order = None
        classes = None
        if self.plan.task == MULTICLASS:
            labels = self.decoder.classes.labels
            classes = sort_labels(list(labels))
            class_order = [labels.index(c) for c in classes]

        def arrange(array: np.ndarray, axes: tuple[str, ...]) -> np.ndarray:
            for axis, order in enumerate(orders):
                array = np.take(array, order, axis=axis)
            if class_order is not None:
                for j, name in enumerate(axes):
                    if name in ("label", "pred"):
                        array = np.take(array, class_order, axis=len(orders) + j)
            return array

        sums = {name: Sums(tuple(st.name for st in t.stats), tuple(st.scale for st in t.stats), arrange(t.digits, t.axes))
                for name, t in self.tables.items()}
        hist = None
        if self.hist is not None:
            grid = self._grid()
            assert grid is not None
            counts, lo, hi = (arrange(a, ()) for a in self.hist)
            hist = Histogram(grid, counts, lo, hi)
        bins = self.score.score_bins(self.resolution) if self.score is not None else None
        joint = None if self.joint is None else arrange(self.joint, JOINT)
        return CountTable(names, levels, arrange(self.counts, self.axes), bins, rows_read, dropped, sums, hist,
                          classes, self.plan, joint)
