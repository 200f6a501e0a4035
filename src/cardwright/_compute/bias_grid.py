"""A datasheet with bias measures: every count it publishes, protected in one grid.

With ``bias_metrics`` the composition pass counts the rows of every combination of the sensitive
attributes, the strata (``conditional_on``) and the label, rare label values pooled
(:attr:`.bias.Tables.cube`).  Everything the datasheet then publishes is a sum of those cells:

* the groups and intersections of the sensitive attributes and their missing groups
  (:class:`~.composition_tables.GroupSlots`);
* the label's value table (the named values, the pool of rare ones, the missing label) and each
  stratum column's (:class:`~.composition_tables.ValueSlots`; a binned stratum column publishes
  its missing count only, as a binned sensitive attribute does), and the rows with a label;
* the counts each bias row is built from (:func:`atoms`, by :data:`KINDS`): the facet's and the
  rest's rows (every measure publishes them as ``n_facet`` and ``n_rest``: class imbalance is
  built from nothing else), split by the favourable label (DPL: ``facet_rate``, ``rest_rate``),
  by label value (KL, JS, LP, TVD, KS: functions of the two label distributions), or by stratum
  and favourable label (CDDL: its stratum rows publish their sizes, shares and rates, and DD is a
  function of these).

A group's rest is every other group, so the rows of one kind of one attribute set publish the
whole table of that set: when any count of it lies between 0 and ``min_cell_size``, that kind is
hidden for every group of the set and nothing of it is registered.  Everything else goes into one
:class:`~.disclosure.CountGrid`, which chooses the complementary suppression for the tables and
the rows at once; a row is published only when every count it is built from is, else it says
why.  Its intervals are functions of the same counts (:mod:`.bias` resamples only them), so a
published row says nothing more.  When the grid has to hide everything, the tables are protected
on their own (as without bias measures) and every row is hidden (:class:`AllHidden`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .bias import Tables, overs
from .composition_tables import Cell, GroupSlots, ValueSlots
from .disclosure import CountGrid, Protection
from .levels import MISSING

DISTRIBUTIONS = ("kl_divergence", "js_divergence", "lp_norm", "total_variation_distance", "kolmogorov_smirnov")
FAVOURABLE = ("difference_in_label_proportions", "conditional_demographic_disparity")
"""The measures that split the label into favourable and not."""

KINDS = {"class_imbalance": "sides", "difference_in_label_proportions": "favourable",
         "conditional_demographic_disparity": "strata", **{m: "labels" for m in DISTRIBUTIONS}}
"""What each measure is built from, besides the two sides' rows: ``sides`` nothing more (but
their rows without a label, which the groups' sizes minus them give away),
``favourable`` each side's rows with and without the favourable label, ``labels`` each side's rows
per label value, ``strata`` each side's rows with and without the favourable label per stratum."""

_BUILT_FROM = {
    "sides": "a group's or the rest's rows, with a label or without",
    "favourable": "a group's or the rest's rows with or without the favourable label",
    "labels": "a group's or the rest's rows with one label value",
    "strata": "a group's or the rest's rows with or without the favourable label within one stratum",
}


def _select(shape: tuple[int, ...], levels: dict[int, int | Sequence[int]]) -> np.ndarray:
    """The cells whose coordinate on each given axis is the given level (or one of them)."""
    mask = np.ones(shape, dtype=bool)
    for axis, level in levels.items():
        keep = np.zeros(shape[axis], dtype=bool)
        keep[np.atleast_1d(np.asarray(level, dtype=np.int64))] = True
        mask &= keep.reshape([-1 if a == axis else 1 for a in range(len(shape))])
    return mask


def atoms(t: Tables, facet: np.ndarray, kind: str) -> list[np.ndarray]:
    """The counts (cell masks of ``t.cube``) a row of ``kind`` for ``facet`` is built from: the
    facet's and the rest's rows, split as ``kind`` says (see :data:`KINDS`)."""
    shape = t.cube.shape
    label = len(shape) - 1
    values = len(t.label_values)
    used = _select(shape, {label: range(values)})
    sides = (facet & used, ~facet & used)
    if kind == "sides":  # with the groups' sizes, the sides' rows say their rows without a label
        return [*sides, facet & ~used, ~facet & ~used]
    pos = _select(shape, {label: np.flatnonzero(t.positive).tolist()})
    neg = used & ~pos
    if kind == "favourable":
        return [side & part for side in sides for part in (pos, neg)]
    if kind == "labels":
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
    names: list[str]
    """Each attribute set, as its rows name it (``sex × race``)."""
    tables: dict[tuple[int, str], bool] = field(default_factory=dict)
    """Per attribute set and kind: whether every count its rows are built from is 0 or at least ``k``."""
    built: dict[tuple[int, int, str], list[int]] = field(default_factory=dict)

    def shown(self, q: int) -> bool:
        return not self.protection.hidden(q)

    def used_shown(self) -> bool:
        return self.shown(self.used)

    def n_shown(self, over: int, facet: int) -> tuple[bool, bool]:
        """Whether the facet's rows and the rest's are published."""
        if not self.tables[(over, "sides")]:
            return False, False
        d, a, *_ = self.built[(over, facet, "sides")]
        return self.shown(d), self.shown(a)

    def verdict(self, over: int, facet: int, metric: str) -> str | None:
        """``None`` when the row is published, else why it is suppressed."""
        k, kind = self.k, KINDS[metric]
        if self.mixed and metric in FAVOURABLE:
            return (f"the favourable label is among the values held by fewer than {k} rows (min_cell_size), pooled "
                    "with unfavourable ones: its rows cannot be counted without naming a rare value")
        failed = next((part for part in ("sides", kind) if not self.tables[(over, part)]), None)
        if failed is not None:
            return (f"a count that this or another group's {metric} by {self.names[over]} is built from "
                    f"({_BUILT_FROM[failed]}) is below {k} (min_cell_size): the measure is suppressed for every "
                    "group, or the others would give that count away")
        counts = [*self.built[(over, facet, "sides")], *self.built[(over, facet, kind)]]
        if all(self.shown(q) for q in counts):
            return None
        return (f"hidden so that a count below {k} (min_cell_size) cannot be worked out from the published ones "
                "(complementary suppression)")


@dataclass
class AllHidden:
    """Every bias row hidden: the grid could not protect the tables and the rows together within
    its work bound, so the tables are protected on their own and the rows publish nothing."""

    k: int
    used: bool
    """Whether the rows with a label are published (the label's missing count is)."""

    def used_shown(self) -> bool:
        return self.used

    def n_shown(self, *_: object) -> tuple[bool, bool]:
        return False, False

    def verdict(self, *_: object) -> str | None:
        return (f"every bias measure is hidden: the groups, strata and label values have too many cells below "
                f"{self.k} (min_cell_size) to protect them one by one")


@dataclass
class Joint:
    """The datasheet's tables and bias rows, protected together."""

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


def protect(t: Tables, metrics: Sequence[str], intersections: Any, columns: Columns, rows: int, k: int
            ) -> Joint | None:
    """Register every table of the datasheet and every bias row's counts in one grid over
    ``t.cube`` and decide what to hide; ``None`` when the grid has to hide everything (then the
    caller protects the tables on their own and hides every row: :class:`AllHidden`)."""
    grid = CountGrid(t.cube)
    grid.add(np.ones(t.cube.shape, dtype=bool), fixed=True)
    group_overs = overs(t.attrs, intersections)
    slots = GroupSlots.register(grid, t.attrs, t.attr_labels, group_overs, lambda _i, c: c, MISSING)
    tables: dict[str, ValueSlots] = {}
    label_axis = t.cube.ndim - 1
    if columns.label is not None:
        tables[columns.label] = ValueSlots.register(grid, label_axis, [*t.label_values, MISSING], k,
                                                    columns.label_categories, MISSING)
    for j, (name, categories) in enumerate(zip(columns.strata, columns.strata_categories)):
        tables[name] = ValueSlots.register(grid, len(t.attrs) + j, t.strata_labels[j], k, categories, MISSING)
    used = grid.add(_select(t.cube.shape, {label_axis: range(len(t.label_values))}))
    ok, built = _register_rows(grid, t, metrics, group_overs, k)
    protection = grid.protect(k)
    if protection.everything:
        return None
    hidden = protection.suppressed
    groups, unobserved, missing = slots.rows(grid, hidden, rows)
    names = [" × ".join(t.attrs[i] for i in over) for over in group_overs]
    return Joint(groups, unobserved, missing, {name: s.rows(grid, hidden, rows) for name, s in tables.items()},
                 BiasShield(grid, protection, k, t.mixed, used, names, ok, built))


def _register_rows(grid: CountGrid, t: Tables, metrics: Sequence[str], group_overs: list[tuple[int, ...]],
                   k: int) -> tuple[dict[tuple[int, str], bool], dict[tuple[int, int, str], list[int]]]:
    """The counts every bias row is built from, per attribute set and kind: registered when every
    count of every group's rows of that kind is 0 or at least ``k`` (then published unless the
    grid hides one); otherwise that kind is suppressed for every group of the set, and nothing of
    it is published (a group's rest is the other groups: one hidden group would follow from them)."""
    shape = t.cube.shape
    kinds = list(dict.fromkeys(["sides", *(KINDS[m] for m in metrics if not (t.mixed and m in FAVOURABLE))]))
    ok: dict[tuple[int, str], bool] = {}
    built: dict[tuple[int, int, str], list[int]] = {}
    flat = t.cube.ravel()
    for o, over in enumerate(group_overs):
        facets = [_select(shape, dict(zip(over, combo)))
                  for combo in itertools.product(*(range(shape[i]) for i in over))]
        for kind in kinds:
            masks = [atoms(t, facet, kind) for facet in facets]
            values = np.array([int(flat[m.ravel()].sum()) for ms in masks for m in ms], dtype=np.int64)
            # every row publishes its sides (its counts add up to them): no kind without them
            ok[(o, kind)] = not bool(np.any((values > 0) & (values < k))) and ok.get((o, "sides"), True)
            for g, ms in enumerate(masks):
                built[(o, g, kind)] = [grid.add(m) for m in ms] if ok[(o, kind)] else []
    return ok, built
