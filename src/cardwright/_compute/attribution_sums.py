"""Exact sums of a model card's attributions per finest cell (see :mod:`.attributions`): per cell
the rows, and per feature Σa, Σ|a| and Σa² as the digit sums of :mod:`.engines.fixed`, at fixed
scales set by each feature's largest absolute attribution in the whole file, so that every engine
and every row order gives the same sums, bit for bit."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .attribution_read import batch_rows, error_at, float_columns, value_range
from .reading import Locate


class Sums:
    """Per finest cell: the rows, and per feature the exact sums Σa, Σ|a| and Σa² (as the digit
    sums of :mod:`.engines.fixed`, at the scales of :class:`Scales`) and the smallest and largest
    attribution."""

    def __init__(self, features: int, scales: Scales):
        self.scales = scales
        self.n = np.zeros(0, dtype=np.int64)
        self.digits = np.zeros((0, 3, features, 3), dtype=np.int64)
        """``(cell, statistic (Σa, Σ|a|, Σa²), feature, digit)``."""
        self.lo = np.full(features, np.inf)
        self.hi = np.full(features, -np.inf)
        self._scratch: tuple[np.ndarray, ...] = (np.empty(0),)

    def grow(self, cells: int) -> None:
        if cells > len(self.n):
            pad = cells - len(self.n)
            self.n = np.pad(self.n, (0, pad))
            self.digits = np.pad(self.digits, ((0, pad), (0, 0), (0, 0), (0, 0)))

    def add(self, cells: np.ndarray, columns: list[np.ndarray]) -> None:
        """Add one batch: ``cells`` per row, and each feature's values (one array per feature).
        The rows are sorted by cell once, and every feature's values taken in that order."""
        from .engines.fixed import Segments, add_segment_digits

        if not len(cells):
            return
        size = int(cells.max()) + 1
        self.grow(size)
        segments = Segments(cells, size)
        self.n[:size] += segments.counts
        if len(self._scratch[0]) < len(cells):  # kept from batch to batch (fresh arrays cost page faults)
            self._scratch = tuple(np.empty(len(cells)) for _ in range(4))
        ordered, work, q, h = (a[:len(cells)] for a in self._scratch)
        for f, x in enumerate(columns):
            linear, square = self.scales.linear[f], self.scales.square[f]
            np.take(x, segments.order, out=ordered)
            add_segment_digits(self.digits[:size, 0, f], segments, ordered, linear, (q, h))
            np.abs(ordered, out=work)
            add_segment_digits(self.digits[:size, 1, f], segments, work, linear, (q, h))
            np.multiply(ordered, ordered, out=work)
            add_segment_digits(self.digits[:size, 2, f], segments, work, square, (q, h))

    def extend_range(self, f: int, lo: float, hi: float) -> None:
        self.lo[f] = min(self.lo[f], lo)
        self.hi[f] = max(self.hi[f], hi)

    def add_digits(self, cells: np.ndarray, n: np.ndarray, digits: np.ndarray, lo: np.ndarray,
                   hi: np.ndarray) -> None:
        """Add a SQL engine's groups: their cells, rows, digit sums ``(group, statistic, feature,
        digit)`` and per-feature smallest and largest values ``(group, feature)``."""
        if not len(cells):
            return
        self.grow(int(cells.max()) + 1)
        np.add.at(self.n, cells, n)
        np.add.at(self.digits, cells, digits)
        self.lo = np.minimum(self.lo, lo.min(axis=0))
        self.hi = np.maximum(self.hi, hi.max(axis=0))


class Scales:
    """Each feature's fixed binary scale for Σa and Σ|a| and for Σa² (see :mod:`.engines.fixed`),
    from the largest absolute attribution in the file, so every engine, whatever the order of the
    rows, rounds every value to the same multiple and the sums are the same to the last bit."""

    def __init__(self, bounds: np.ndarray):
        from .engines.fixed import TooLarge, scale_for

        self.bounds = np.asarray(bounds, dtype=np.float64)
        self.linear: list[int] = []
        self.square: list[int] = []
        for b in self.bounds:
            try:
                self.linear.append(scale_for(float(b)))
                self.square.append(scale_for(float(b) * float(b)))
            except TooLarge:  # not finite, or its square is not: the value checks say which
                self.linear.append(0)
                self.square.append(0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scales) and (self.linear, self.square) == (other.linear, other.square)

    __hash__ = None  # type: ignore[assignment]

    def too_large(self) -> int | None:
        """A feature whose attributions' squares overflow (``None``: none)."""
        for f, b in enumerate(self.bounds):
            if math.isfinite(b) and not math.isfinite(b * b):
                return f
        return None


class Rescale(Exception):
    """A batch holds attributions beyond the scales the pass started with."""


def sum_cells(src: Any, features: list[str], cell: np.ndarray, row_of: np.ndarray | None, display: str,
              locate: Locate | None) -> Sums:
    """The sums per cell, at the scales of the whole file's largest absolute attributions: from a
    Parquet file's statistics when it has them (checked against the values read: a file whose
    statistics understate them is read again at the scales of its own bounds, one whose
    statistics overstate them summed again at the scales of the values seen), else from the
    first batch (a later batch beyond them: the whole file's bounds are read first, then the sums)."""
    stored = stored_bounds(src, features)
    try:
        sums, seen = sum_pass(src, features, cell, row_of, display, locate, stored)
    except Rescale:
        bounds = file_bounds(src, features, display, locate)
        return sum_pass(src, features, cell, row_of, display, locate, bounds)[0]
    if stored is not None and Scales(seen) != sums.scales:
        sums = sum_pass(src, features, cell, row_of, display, locate, seen)[0]
    return sums


def stored_bounds(src: Any, features: list[str]) -> np.ndarray | None:
    """Each feature's largest absolute value as a Parquet file's statistics state it (the minimum
    and maximum of every row group), or ``None`` when a column has none, or is not a plain
    floating-point or integer column."""
    meta = src.metadata
    if src.kind != "parquet" or meta is None:
        return None
    index = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    out = np.zeros(len(features))
    for f, name in enumerate(features):
        i = index.get(name)
        if i is None:
            return None
        column = meta.schema.column(i)
        if column.physical_type not in ("DOUBLE", "FLOAT", "INT32", "INT64") or column.logical_type.type != "NONE":
            return None
        for group in range(meta.num_row_groups):
            stats = meta.row_group(group).column(i).statistics
            if stats is None or not stats.has_min_max:
                return None
            out[f] = max(out[f], abs(float(stats.min)), abs(float(stats.max)))
    with np.errstate(over="ignore"):
        return out if np.isfinite(out * out).all() else None  # the values themselves are checked as read


def sum_pass(src: Any, features: list[str], cell: np.ndarray, row_of: np.ndarray | None, display: str,
             locate: Locate | None, bounds: np.ndarray | None) -> tuple[Sums, np.ndarray]:
    """The sums per cell in one read, and each feature's largest absolute attribution seen.
    Scales come from ``bounds``, or else from the first batch; :class:`Rescale` when a batch
    holds larger values than they allow."""
    sums = None if bounds is None else Sums(len(features), checked_scales(bounds, features, display, locate))
    seen = np.zeros(len(features))
    offset = 0
    for batch in src.batches(features, rows=batch_rows(len(features))):
        columns, ranges = float_columns(batch, features, display, offset, locate)
        seen = np.maximum(seen, [max(-lo, hi, 0.0) for lo, hi in ranges])
        if sums is None:
            sums = Sums(len(features), checked_scales(seen, features, display, locate))
        elif Scales(np.maximum(seen, sums.scales.bounds)) != sums.scales:
            raise Rescale
        assert sums is not None
        c = cell[row_of[offset:offset + batch.num_rows]] if row_of is not None else cell[offset:offset + batch.num_rows]
        if (c < 0).any():
            keep = c >= 0
            c, columns = c[keep], [x[keep] for x in columns]
            ranges = [value_range(x) for x in columns]
        for f, (lo, hi) in enumerate(ranges):
            sums.extend_range(f, lo, hi)
        sums.add(c, columns)
        offset += batch.num_rows
    return (sums if sums is not None else Sums(len(features), Scales(np.zeros(len(features))))), seen


def file_bounds(src: Any, features: list[str], display: str, locate: Locate | None) -> np.ndarray:
    """The largest absolute attribution of each feature in the whole file."""
    out = np.zeros(len(features))
    offset = 0
    for batch in src.batches(features, rows=batch_rows(len(features))):
        _, ranges = float_columns(batch, features, display, offset, locate)
        out = np.maximum(out, [max(-lo, hi, 0.0) for lo, hi in ranges])
        offset += batch.num_rows
    return out


def checked_scales(bounds: np.ndarray, features: list[str], display: str, locate: Locate | None) -> Scales:
    scales = Scales(bounds)
    f = scales.too_large()
    if f is not None:
        raise error_at(display, f"attribution {features[f]!r} reaches {float(bounds[f]):.17g}, whose square is beyond "
                       "the range of floating-point numbers", "attributions must be numbers whose squares are finite",
                       locate, ("path",))
    return scales
