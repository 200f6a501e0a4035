"""The counts a datasheet publishes, as linked tables protected together (see :mod:`.disclosure`).

Three kinds of tables, each a :class:`~.disclosure.CountGrid` whose only link to the others is
the row total (published, so fixed):

* the **sensitive attributes**: one axis per attribute (its groups, binned ranges and the missing
  group), every requested marginal and intersection as counts of the same finest cells; a
  sensitive column's missing count is its missing group, so the two are one count;
* the **label** and every **other column**: one axis of values plus the missing value; values
  held by fewer than ``min_cell_size`` rows are pooled into one unnamed category (a rare value is
  itself row-level data), and the named values, the pool and the missing count are the counts.

With bias measures the sensitive attributes, the label and the strata columns are axes of one
grid instead, with the measures' counts (:mod:`.bias_grid`): :class:`GroupSlots` and
:class:`ValueSlots` register the same tables in any grid whose axes include theirs.

Numeric extremes follow the same threshold: ``low``/``high`` are the ``k``-th smallest and
largest values (at least ``k`` rows lie at or beyond them); the true ``min``/``max`` are
published only when at least ``k`` rows hold them, which is exactly when they equal
``low``/``high``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .disclosure import CountGrid

RARE = "(other values, each in fewer than min_cell_size rows)"


@dataclass
class Cell:
    """One published count: its value, or ``None`` when suppressed."""

    count: int | None
    share: float | None
    suppressed: bool


def _cell(grid: CountGrid, q: int, hidden: np.ndarray, rows: int) -> Cell:
    if hidden[q]:
        return Cell(None, None, True)
    n = grid.value(q)
    return Cell(n, n / rows if rows else None, False)


def natural(label: str) -> tuple[int, float, str]:
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def value_table(values: dict[str, int] | None, missing: int, rows: int, k: int,
                categories: bool) -> tuple[list[dict[str, Any]] | None, Cell]:
    """A column's category rows (rare values pooled, small counts suppressed with their
    complements) and its missing count, protected together against the row total.
    ``values``: text label → rows (``None`` when the column has too many distinct values);
    ``categories``: whether the values are published at all."""
    labels = sorted(values or {}, key=natural)
    # one cell per value, or one for every non-missing row when the values are not known
    counts = [values[v] for v in labels] if values is not None else [rows - missing]
    grid = CountGrid(np.asarray([*counts, missing], dtype=np.int64))
    size = len(counts)
    grid.add(np.arange(size + 1), fixed=True)
    q_missing = grid.add([size])
    named: list[tuple[str, int]] = []
    rare: list[int] = []
    if categories and values is not None:
        for i, (label, c) in enumerate(zip(labels, counts)):
            if c >= k:
                named.append((label, grid.add([i])))
            else:
                rare.append(i)
    q_pool = grid.add(rare) if rare else None
    hidden = grid.protect(k).suppressed
    if not categories or values is None:
        return None, _cell(grid, q_missing, hidden, rows)
    shown = [(label, q) for label, q in named] + ([(RARE, q_pool)] if q_pool is not None else [])
    cats = []
    for label, q in shown:
        cell = _cell(grid, q, hidden, rows)
        cats.append({"value": label, "count": cell.count, "share": cell.share, "suppressed": cell.suppressed})
    return cats, _cell(grid, q_missing, hidden, rows)


def group_tables(names: list[str], labels: list[list[str]], counts: dict[tuple[int, ...], int], rows: int, k: int,
                 overs: list[tuple[int, ...]], order: Callable[[int, int], Any], missing_label: str,
                 ) -> tuple[list[dict[str, Any]], list[dict[str, str]], dict[str, Cell]]:
    """The shares of every requested group and intersection of the sensitive attributes, the
    intersections never observed, and each attribute's missing count, protected together."""
    if not names:
        return [], [], {}
    shape = tuple(len(lv) for lv in labels)
    finest = np.zeros(shape, dtype=np.int64)
    for key, c in counts.items():
        finest[key] += c
    grid = CountGrid(finest)
    grid.add(np.ones(shape, dtype=bool), fixed=True)
    slots = GroupSlots.register(grid, names, labels, overs, order, missing_label)
    return slots.rows(grid, grid.protect(k).suppressed, rows)


@dataclass
class GroupSlots:
    """The counts of the sensitive attributes' groups and intersections in a grid whose first
    axes are the attributes (any further axes summed over), and of each attribute's missing group."""

    slots: list[tuple[dict[str, str], int]]
    missing: dict[str, int]

    @classmethod
    def register(cls, grid: CountGrid, names: list[str], labels: list[list[str]], overs: list[tuple[int, ...]],
                 order: Callable[[int, int], Any], missing_label: str) -> GroupSlots:
        shape = tuple(len(lv) for lv in labels)
        slots: list[tuple[dict[str, str], int]] = []
        for over in overs:
            combos = sorted(itertools.product(*(range(shape[i]) for i in over)),
                            key=lambda combo: tuple(order(i, c) for i, c in zip(over, combo)))
            for combo in combos:
                group = {names[i]: labels[i][c] for i, c in zip(over, combo)}
                slots.append((group, grid.add(grid.margin(dict(zip(over, combo))))))
        missing_q = {names[i]: grid.add(grid.margin({i: labels[i].index(missing_label)}))
                     for i in range(len(names)) if missing_label in labels[i]}
        return cls(slots, missing_q)

    def rows(self, grid: CountGrid, hidden: np.ndarray, rows: int
             ) -> tuple[list[dict[str, Any]], list[dict[str, str]], dict[str, Cell]]:
        """``(group rows, unobserved groups, missing count per attribute)``."""
        groups: list[dict[str, Any]] = []
        unobserved: list[dict[str, str]] = []
        for group, q in self.slots:
            if grid.value(q) == 0:
                unobserved.append(group)
                continue
            cell = _cell(grid, q, hidden, rows)
            groups.append({"slice": group, "count": cell.count, "share": cell.share, "suppressed": cell.suppressed})
        return groups, unobserved, {name: _cell(grid, q, hidden, rows) for name, q in self.missing.items()}


@dataclass
class ValueSlots:
    """A column's value table over one axis of a grid (the label, a stratum column): the values
    held by at least ``k`` rows named in the axis' order, the others (and an already pooled
    :data:`RARE` entry) pooled, and the missing value."""

    named: list[tuple[str, int]]
    pool: int | None
    missing: int
    categories: bool

    @classmethod
    def register(cls, grid: CountGrid, axis: int, labels: list[str], k: int, categories: bool,
                 missing_label: str) -> ValueSlots:
        others = tuple(a for a in range(grid.counts.ndim) if a != axis)
        totals = grid.counts.sum(axis=others) if others else grid.counts
        missing = grid.add(grid.margin({axis: labels.index(missing_label)}) if missing_label in labels
                           else np.zeros(0, dtype=np.int64))
        named: list[tuple[str, int]] = []
        rare: list[int] = []
        for level, label in enumerate(labels):
            if label == missing_label:
                continue
            if categories and label != RARE and totals[level] >= k:
                named.append((label, grid.add(grid.margin({axis: level}))))
            else:
                rare.append(level)
        pool = grid.add(grid.margin({axis: rare})) if categories and rare else None
        return cls(named, pool, missing, categories)

    def rows(self, grid: CountGrid, hidden: np.ndarray, rows: int) -> tuple[list[dict[str, Any]] | None, Cell]:
        """``(category rows or None, the missing count)``, as :func:`value_table` gives them."""
        missing = _cell(grid, self.missing, hidden, rows)
        if not self.categories:
            return None, missing
        shown = self.named + ([(RARE, self.pool)] if self.pool is not None else [])
        cats = []
        for label, q in shown:
            cell = _cell(grid, q, hidden, rows)
            cats.append({"value": label, "count": cell.count, "share": cell.share, "suppressed": cell.suppressed})
        return cats, missing


def extremes(values: dict[Any, int] | None, lowest: list[float], highest: list[float], n: int,
             k: int) -> dict[str, float | None]:
    """``low``/``high`` (the ``k``-th smallest and largest finite values) and ``min``/``max`` when at
    least ``k`` rows hold them.  From the value counts when known, else from the ``k`` smallest
    and largest values seen."""
    none: dict[str, float | None] = {"min": None, "max": None, "low": None, "high": None}
    if n < k or n == 0:
        return none
    if values is not None:
        pairs = sorted((float(v), c) for v, c in values.items()
                       if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(float(v)))
        if pairs:
            low = _kth(pairs, k)
            high = _kth([(-v, c) for v, c in reversed(pairs)], k)
            high = None if high is None else -high
            return {"min": pairs[0][0] if pairs[0][1] >= k else None,
                    "max": pairs[-1][0] if pairs[-1][1] >= k else None,
                    "low": _unsigned(low), "high": _unsigned(high)}
    if len(lowest) < k or len(highest) < k:
        return none
    lo, hi = sorted(lowest)[:k], sorted(highest)[-k:]
    return {"min": lo[0] if lo[0] == lo[-1] else None, "max": hi[-1] if hi[0] == hi[-1] else None,
            "low": _unsigned(lo[-1]), "high": _unsigned(hi[0])}


def _kth(pairs: list[tuple[float, int]], k: int) -> float | None:
    seen = 0
    for v, c in pairs:
        seen += c
        if seen >= k:
            return v
    return None


def _unsigned(x: float | None) -> float | None:
    return None if x is None else x + 0.0


def keep_extremes(store: list[float], x: np.ndarray, k: int, largest: bool) -> list[float]:
    """The ``k`` smallest (or largest) of ``store`` and ``x``."""
    if not x.size:
        return store
    merged = np.concatenate([np.asarray(store, dtype=np.float64), x])
    if merged.size > k:
        merged = -np.partition(-merged, k - 1)[:k] if largest else np.partition(merged, k - 1)[:k]
    return sorted(merged.tolist())
