"""A datasheet with bias measures: every count it publishes, protected in one grid.

With ``bias_metrics`` the composition pass counts the rows of every combination of the sensitive
attributes, the strata (``conditional_on``) and the label, rare label values pooled
(:attr:`.bias.Tables.cube`).  Everything the datasheet then publishes is a sum of those cells:

* the groups and intersections of the sensitive attributes and their missing groups
  (:class:`~.composition_tables.GroupSlots`);
* the label's value table (the named values, the pool of rare ones, the missing label) and each
  stratum column's (:class:`~.composition_tables.ValueSlots`; a binned stratum column publishes
  its missing count only, as a binned sensitive attribute does);
* the counts each bias row is built from (:func:`atoms`): the rows of the facet and of the rest
  (every measure publishes them as ``n_facet`` and ``n_rest``), and per measure
  - class imbalance: nothing more;
  - DPL: each side's rows with and without the favourable label (``facet_rate``, ``rest_rate``);
  - KL, JS, LP, TVD, KS: each side's rows with each label value (the measures are functions of
    the two label distributions);
  - CDDL: each side's rows with and without the favourable label within each stratum (the
    stratum rows publish their sizes, shares and rates, and DD is a function of these).

So one :class:`~.disclosure.CountGrid` chooses which counts to hide for all of them at once
(complementary suppression across the tables), and a bias row is published only when every count
it is built from is; otherwise it is suppressed with the reason.  Its intervals are functions of
the same counts (:mod:`.bias` resamples only them), so a published row says nothing more.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .bias import Tables, overs
from .composition_tables import Cell, GroupSlots, ValueSlots
from .decode import MISSING
from .disclosure import CountGrid, Protection

DISTRIBUTIONS = ("kl_divergence", "js_divergence", "lp_norm", "total_variation_distance", "kolmogorov_smirnov")
FAVOURABLE = ("difference_in_label_proportions", "conditional_demographic_disparity")
"""The measures that split the label into favourable and not."""

_BUILT_FROM = {
    "class_imbalance": "the group's or the rest's rows",
    "difference_in_label_proportions": "the group's or the rest's rows with or without the favourable label",
    "conditional_demographic_disparity": "the group's or the rest's rows with or without the favourable label "
                                         "within one stratum",
}


def _select(shape: tuple[int, ...], levels: dict[int, int | Sequence[int]]) -> np.ndarray:
    """The cells whose coordinate on each given axis is the given level (or one of them)."""
    mask = np.ones(shape, dtype=bool)
    for axis, level in levels.items():
        keep = np.zeros(shape[axis], dtype=bool)
        keep[np.atleast_1d(np.asarray(level, dtype=np.int64))] = True
        mask &= keep.reshape([-1 if a == axis else 1 for a in range(len(shape))])
    return mask


def atoms(t: Tables, facet: np.ndarray, metric: str) -> list[np.ndarray]:
    """The counts (cell masks of ``t.cube``) a row of ``metric`` for ``facet`` is built from,
    beyond the facet's and the rest's rows."""
    shape = t.cube.shape
    label = len(shape) - 1
    values = len(t.label_values)
    used = _select(shape, {label: range(values)})
    sides = (facet & used, ~facet & used)
    if metric == "class_imbalance":
        return []
    pos = _select(shape, {label: np.flatnonzero(t.positive)})
    neg = used & ~pos
    if metric == "difference_in_label_proportions":
        return [side & part for side in sides for part in (pos, neg)]
    if metric in DISTRIBUTIONS:
        return [side & _select(shape, {label: y}) for side in sides for y in range(values)]
    nattrs = len(t.attrs)
    strata = range(nattrs, nattrs + len(t.strata_names))
    out = []
    for combo in itertools.product(*(range(shape[a]) for a in strata)):
        stratum = _select(shape, dict(zip(strata, combo)))
        out += [side & stratum & part for side in sides for part in (pos, neg)]
    return out


@dataclass
class BiasShield:
    """What the grid lets each bias row publish, keyed by (position of the attribute set in
    :func:`.bias.overs`, position of the facet among its groups)."""

    grid: CountGrid
    protection: Protection
    k: int
    mixed: bool
    used: int
    """The count of rows with a label (``rows_used``)."""
    sides: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    built: dict[tuple[int, int, str], list[int]] = field(default_factory=dict)

    def shown(self, q: int) -> bool:
        return not self.protection.hidden(q)

    def n_shown(self, over: int, facet: int) -> tuple[bool, bool]:
        """Whether the facet's rows and the rest's are published."""
        d, a = self.sides[(over, facet)]
        return self.shown(d), self.shown(a)

    def verdict(self, over: int, facet: int, metric: str) -> str | None:
        """``None`` when the row is published, else why it is suppressed."""
        k = self.k
        if self.mixed and metric in FAVOURABLE:
            return (f"the favourable label is among the values held by fewer than {k} rows (min_cell_size), pooled "
                    "with unfavourable ones: its rows cannot be counted without naming a rare value")
        counts = [*self.sides[(over, facet)], *self.built[(over, facet, metric)]]
        hidden = [q for q in counts if self.protection.hidden(q)]
        if not hidden:
            return None
        if any(self.protection.primary[q] for q in hidden):
            what = _BUILT_FROM.get(metric, "the group's or the rest's rows with one label value")
            return f"a count it is built from ({what}) is below {k} (min_cell_size)"
        if self.protection.everything:
            return (f"every count but the total is hidden: too many cells below {k} (min_cell_size) to protect "
                    "them one by one")
        return (f"hidden so that a count below {k} (min_cell_size) cannot be worked out from the published ones "
                "(complementary suppression)")


@dataclass
class Joint:
    """The datasheet's protected tables when it has bias measures."""

    groups: list[dict[str, Any]]
    unobserved: list[dict[str, str]]
    missing: dict[str, Cell]
    """Each sensitive attribute's missing count."""
    columns: dict[str, tuple[list[dict[str, Any]] | None, Cell]]
    """The label's and each stratum column's ``(categories, missing)``."""
    shield: BiasShield


@dataclass
class Columns:
    """Which columns of the cube have value tables, and whether they publish their values."""

    label: str | None
    label_categories: bool
    strata: list[str]
    """The column of each stratum axis."""
    strata_categories: list[bool]


def protect(t: Tables, metrics: Sequence[str], intersections: Any, columns: Columns, rows: int, k: int) -> Joint:
    """Register every table of the datasheet and every bias row's counts in one grid over
    ``t.cube``, and decide what to hide."""
    grid = CountGrid(t.cube)
    grid.add(np.ones(t.cube.shape, dtype=bool), fixed=True)
    group_overs = overs(t.attrs, intersections)
    slots = GroupSlots.register(grid, t.attrs, t.attr_labels, group_overs, lambda i, c: c, MISSING)
    tables: dict[str, ValueSlots] = {}
    label_axis = t.cube.ndim - 1
    if columns.label is not None:
        tables[columns.label] = ValueSlots.register(grid, label_axis, [*t.label_values, MISSING], k,
                                                    columns.label_categories, MISSING)
    for j, (name, categories) in enumerate(zip(columns.strata, columns.strata_categories)):
        tables[name] = ValueSlots.register(grid, len(t.attrs) + j, t.strata_labels[j], k, categories, MISSING)
    used = grid.add(_select(t.cube.shape, {label_axis: range(len(t.label_values))}))
    sides, built = _register_rows(grid, t, metrics, group_overs)
    protection = grid.protect(k)
    hidden = protection.suppressed
    groups, unobserved, missing = slots.rows(grid, hidden, rows)
    return Joint(groups, unobserved, missing, {name: s.rows(grid, hidden, rows) for name, s in tables.items()},
                 BiasShield(grid, protection, k, t.mixed, used, sides, built))


def _register_rows(grid: CountGrid, t: Tables, metrics: Sequence[str], group_overs: list[tuple[int, ...]]
                   ) -> tuple[dict[tuple[int, int], tuple[int, int]], dict[tuple[int, int, str], list[int]]]:
    """Every bias row's counts, as the facet's and the rest's rows and what :func:`atoms` adds."""
    shape = t.cube.shape
    used = _select(shape, {len(shape) - 1: range(len(t.label_values))})
    sides: dict[tuple[int, int], tuple[int, int]] = {}
    built: dict[tuple[int, int, str], list[int]] = {}
    for o, over in enumerate(group_overs):
        for g, combo in enumerate(itertools.product(*(range(shape[i]) for i in over))):
            facet = _select(shape, dict(zip(over, combo)))
            sides[(o, g)] = (grid.add(facet & used), grid.add(~facet & used))
            for metric in metrics:
                never = t.mixed and metric in FAVOURABLE  # never published (see BiasShield.verdict)
                built[(o, g, metric)] = [] if never else [grid.add(m) for m in atoms(t, facet, metric)]
    return sides, built
