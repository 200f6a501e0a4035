"""Small counts that stay hidden: primary and complementary suppression over linked count tables.

Every count an output publishes — a group's size, a confusion count, the numerator or the
denominator of a rate, a category's count — is a sum of *finest cells*: the counts of one
combination of every axis (each factor's group, and for model cards the label and the prediction).
A :class:`CountGrid` holds the finest cells and the published counts as sets of them, whatever the
tables look like: marginals and intersections of several factors, several count tables over the
same slices, pooled categories, rates whose numerator and denominator are different sums.

:meth:`CountGrid.protect` decides which counts to suppress:

* **primary**: every count with ``0 < count < min_cell_size`` (a zero is published: it describes
  nobody);
* **complementary**: for each suppressed count, further counts are suppressed until a *direction*
  exists along which the finest cells can move without changing any published count, while the
  suppressed count moves by at least ``protection(k) = max(1, k - 2)`` (the range ``1 … k − 1``
  that a published count of exactly ``k`` split into two suppressed cells leaves a reader).  A
  count that is never shown, not even as suppressed, may be registered with a smaller width
  (:meth:`CountGrid.add`; 1: only that it cannot be worked out exactly).

A direction is a signed combination of finest cells: the corners of a box over some axes
(``+1, −1, −1, +1`` on a rectangle; ``+1, −1`` on two groups of one factor), the classical hypercube
method of statistical disclosure control (Hundepool et al., *Statistical Disclosure Control*,
2012, §5).  Every published count sums such a direction to zero, so nothing published tells the
corners apart; how far it can move is bounded by the finest cells (never below zero) and by the
suppressed counts it touches (never below one, since zeros are published).  That step is a
certificate: no suppressed count lies in the span of the published ones (it is not determined by
any sums over siblings, parents, marginals or intersections), and the range a reader can infer by
linear programming is at least as wide as the step.  ``tests/privacy_audit.py`` checks both
claims independently, with exact rational arithmetic and scipy's ``linprog``.

When no direction is wide enough (a table of very few rows), every count of the grid except the
fixed ones (the published total) is suppressed.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

#: Candidate directions tried per suppressed count in the first (quick) search.
QUICK_PARTNERS = 4
#: Upper bound on the candidates examined per suppressed count in the exhaustive search.
MAX_CANDIDATES = 4000
#: Directions whose effect on the counts :class:`_Search` remembers (the pooled search and the
#: walks come back to the directions the single search examined).
NETS_KEPT = 20_000
#: Largest box (number of axis groups swapped at once).
MAX_BOX = 5
#: The most directions the search may examine for one grid (candidate boxes and walking steps)
#: before it stops and hides every count but the fixed ones: grids this hard are tables of many
#: small cells, which such a search would hide almost entirely anyway.  A count, not a time, so
#: the outcome is the same on every machine.
MAX_WORK = 100_000


def protection(k: int) -> int:
    """How far every suppressed count must be able to move without changing anything published."""
    return max(1, k - 2)


@dataclass
class Protection:
    """The outcome of :meth:`CountGrid.protect`."""

    suppressed: np.ndarray
    """Per count (in the order they were added): hidden or not."""
    primary: np.ndarray
    """Per count: hidden because it is small (the others were hidden to protect them)."""
    directions: list[dict[int, int]] = field(default_factory=list)
    """The certificates: finest cell → sign."""
    everything: bool = False
    """True when no direction was wide enough and every count but the fixed ones is hidden."""

    def hidden(self, q: int) -> bool:
        return bool(self.suppressed[q])


class CountGrid:
    """Finest cells on a grid of axes, and the published counts as sets of them.

    ``groups`` lists axes that move together (a confusion class is the pair label × prediction:
    swapping a false positive for a false negative changes both); by default each axis is its own
    group.
    """

    def __init__(self, counts: np.ndarray, groups: Sequence[Sequence[int]] | None = None):
        self.counts = np.asarray(counts, dtype=np.int64)
        self.shape = self.counts.shape
        self.flat = self.counts.ravel()
        self.groups = [tuple(g) for g in (groups if groups is not None else [[i] for i in range(self.counts.ndim)])]
        self.members: list[np.ndarray] = []
        self.values: list[int] = []
        self.fixed: set[int] = set()
        self.forced: set[int] = set()
        """Counts hidden whatever their value: a reader knows only that they are >= 0."""
        self.loose: dict[int, int] = {}
        """Counts that need only move this far (see :meth:`add`)."""
        self._index: dict[bytes, int] = {}
        self._coords = np.stack(np.unravel_index(np.arange(self.flat.size), self.shape), axis=1) if self.flat.size \
            else np.zeros((0, self.counts.ndim), dtype=np.int64)

    # -- describing what is published ------------------------------------------------------
    def add(self, cells: np.ndarray | Iterable[int], *, fixed: bool = False, hidden: bool = False,
            width: int | None = None) -> int:
        """Register a published count (flat indices of its finest cells, or a boolean mask of the
        grid's shape); the same set of cells added twice is one count.  ``fixed``: always
        published (a total every output states).  ``hidden``: never published, whatever its value
        (a reader cannot tell a zero from a small count there): protected when it is not zero.
        ``width``: with ``hidden``, how far the count must be able to move instead of
        :func:`protection` (1: only that it cannot be worked out exactly); a count added again
        without one needs the full width."""
        arr = cells if isinstance(cells, np.ndarray) else np.asarray(list(cells), dtype=np.int64)
        idx = np.flatnonzero(arr.ravel()) if arr.dtype == bool else np.unique(arr.astype(np.int64))
        key = idx.tobytes()
        q = self._index.get(key)
        new = q is None
        if q is None:
            q = self._index[key] = len(self.members)
            self.members.append(idx)
            self.values.append(int(self.flat[idx].sum()))
        if fixed:
            self.fixed.add(q)
        if hidden:
            self.forced.add(q)
        if hidden and width is not None and (new or q in self.loose):
            self.loose[q] = max(width, self.loose.get(q, 0))
        elif not new:
            self.loose.pop(q, None)
        return q

    def margin(self, levels: dict[int, int | Sequence[int]]) -> np.ndarray:
        """Flat indices of the cells whose coordinate on each given axis is the given level (or one
        of the given levels)."""
        keep = np.ones(self.flat.size, dtype=bool)
        for axis, level in levels.items():
            wanted = np.atleast_1d(np.asarray(level, dtype=np.int64))
            keep &= np.isin(self._coords[:, axis], wanted)
        return np.flatnonzero(keep)

    def value(self, q: int) -> int:
        return self.values[q]

    # -- deciding what to hide -------------------------------------------------------------
    def protect(self, k: int) -> Protection:
        """Primary suppression of counts below ``k``, then complementary suppression (see the
        module docstring)."""
        nq = len(self.members)
        values = np.asarray(self.values, dtype=np.int64)
        primary = (values > 0) & (values < k)
        for q in self.forced:
            primary[q] = values[q] > 0
        suppressed = primary.copy()
        for q in self.forced:
            suppressed[q] = True
        out = Protection(suppressed, primary.copy())
        if not primary.any():
            return out
        search = _Search(self, values, protection(k))
        search.loose = {q: min(w, search.width) for q, w in self.loose.items()}
        covered = np.zeros(nq, dtype=bool)
        queue = sorted(np.flatnonzero(primary).tolist(), key=lambda i: (values[i], i))
        while queue:
            q = queue.pop(0)
            if covered[q] or q in self.fixed or not values[q]:  # a small total: shown suppressed, stated elsewhere
                continue  # anyway; a zero hidden with its slice describes nobody
            if not self._protect_one(q, search, suppressed, covered, queue, out) or search.work > MAX_WORK:
                everything = values > 0
                for f in self.fixed:
                    everything[f] = bool(primary[f])
                for f in self.forced:
                    everything[f] = True
                return Protection(everything, primary, out.directions, everything=True)
        out.suppressed = suppressed
        return out

    def _protect_one(self, q: int, search: _Search, suppressed: np.ndarray, covered: np.ndarray,
                     queue: list[int], out: Protection) -> bool:
        """Hide what protects ``q``: the cheapest single direction, or several fine ones when that
        costs less than hiding a margin.  ``False`` when nothing can."""
        found = search.best(q, suppressed)
        pool = None
        if found is None or search.coarse(found[1], suppressed):
            pool = search.pooled(q, suppressed)  # several fine directions may cost less than one coarse
            if pool is None and found is None:
                pool = search.pooled(q, suppressed, coarse=True)
            if pool is not None and found is not None:
                pooled_cost = search.cost(sorted({t for z in pool for t in search.touched(z) if not suppressed[t]}))
                if pooled_cost >= search.cost([t for t in found[1] if not suppressed[t]]):
                    pool = None
        if found is not None and pool is None:
            _take(found, search, suppressed, covered, queue, out)
            return True
        if pool is None:
            return False
        out.directions += pool
        hidden = sorted({t for z in pool for t in search.touched(z)})
        suppressed[hidden] = True
        for t in hidden:  # each count the pool hides must itself be protected
            if not covered[t] and search.walk(t, pool, suppressed) >= search.need(t):
                covered[t] = True
            elif not covered[t]:
                queue.append(t)
        return True


def _take(found: tuple[dict[int, int], list[int], float], search: _Search, suppressed: np.ndarray,
          covered: np.ndarray, queue: list[int], out: Protection) -> None:
    """Hide what one direction touches; a count that needs more than it gives (see
    :meth:`CountGrid.add`) is protected on its own."""
    z, touched, width = found
    out.directions.append(z)
    for t in touched:
        if search.need(t) <= width:
            covered[t] = True
        elif not suppressed[t]:
            queue.append(t)
    suppressed[touched] = True


def _box(corner: int, steps: list[int]) -> dict[int, int]:
    """The corners of a box (flat indices, from ``corner`` by any subset of ``steps``) with
    alternating signs, in the order of ``itertools.product((False, True), repeat=len(steps))``
    over which steps are taken."""
    cells, signs = [corner], [1]
    for step in steps:
        cells = [c + d for c in cells for d in (0, step)]
        signs = [x for sign in signs for x in (sign, -sign)]
    return dict(zip(cells, signs))


class _Search:
    """Finds, for one suppressed count, the cheapest box direction that protects it."""

    def __init__(self, grid: CountGrid, values: np.ndarray, width: int):
        self.grid, self.values, self.width = grid, values, width
        self.loose: dict[int, int] = {}
        """Counts that need less than ``width`` (:meth:`CountGrid.add`)."""
        self.work = 0
        """Directions examined so far (see :data:`MAX_WORK`)."""
        self.total = max(1.0, float(grid.flat.sum()))
        self.zero_or_fixed = values == 0
        for q in grid.forced:
            self.zero_or_fixed[q] = False  # hidden zeros are not published: they may move
        for q in grid.fixed:
            self.zero_or_fixed[q] = True
        self.floor = np.ones(len(values))
        self.floor[list(grid.forced)] = 0.0
        # the same numbers as Python floats and booleans, for the loops over single counts and cells
        self._value = [float(v) for v in values.tolist()]
        self._floor = self.floor.tolist()
        self._zero_or_fixed = self.zero_or_fixed.tolist()
        self._cell = [float(v) for v in grid.flat.tolist()]
        by_cell: list[list[int]] = [[] for _ in range(grid.flat.size)]
        for q, idx in enumerate(grid.members):
            for c in idx.tolist():
                by_cell[c].append(q)
        self.by_cell = by_cell
        self.strides = [int(np.prod(grid.shape[i + 1:], dtype=np.int64)) for i in range(len(grid.shape))]
        """Flat-index steps of the grid's axes."""
        self._nets: OrderedDict[tuple[tuple[int, int], ...], dict[int, int]] = OrderedDict()

    def net(self, z: dict[int, int]) -> dict[int, int]:
        """How much ``z`` changes each count it changes (in the order the counts are first met
        along ``z``'s cells); the last :data:`NETS_KEPT` directions' are remembered."""
        key = tuple(z.items())
        got = self._nets.get(key)
        if got is not None:
            self._nets.move_to_end(key)
            return got
        net: dict[int, int] = {}
        for cell, sign in z.items():
            for t in self.by_cell[cell]:
                net[t] = net.get(t, 0) + sign
        got = self._nets[key] = {t: v for t, v in net.items() if v}
        if len(self._nets) > NETS_KEPT:
            self._nets.popitem(last=False)
        return got

    def _constrained(self, q: int) -> list[int]:
        """Indices of the axis groups along which count ``q`` is not a whole line of cells."""
        coords = self.grid._coords[self.grid.members[q]]
        out = []
        for gi, group in enumerate(self.grid.groups):
            rest = [a for a in range(coords.shape[1]) if a not in group]
            size = int(np.prod([self.grid.shape[a] for a in group]))
            lines = len({tuple(r) for r in coords[:, rest].tolist()}) if rest else 1
            if lines * size != len(coords):
                out.append(gi)
        return out

    def _partners(self, anchor: list[int], flat: int, group: tuple[int, ...], limit: int | None,
                  ) -> list[tuple[int, ...]]:
        """Other coordinates of ``group`` for the anchor cell (coordinates ``anchor``, flat index
        ``flat``), the fullest cells first."""
        shape, strides, counts = self.grid.shape, self.strides, self.grid.flat
        options = []
        for combo in itertools.product(*(range(shape[a]) for a in group)):
            if all(anchor[a] == c for a, c in zip(group, combo)):
                continue
            cell = flat + sum((c - anchor[a]) * strides[a] for a, c in zip(group, combo))
            options.append((-int(counts[cell]), combo))
        options.sort()
        picked = [combo for _, combo in options]
        return picked if limit is None else picked[:limit]

    def _candidates(self, q: int, quick: bool) -> Iterable[dict[int, int]]:
        grid = self.grid
        members = grid.members[q]
        order = members[np.argsort(-grid.flat[members], kind="stable")]
        anchors = order[: 3 if quick else len(order)]
        groups = self._constrained(q)
        limit = QUICK_PARTNERS if quick else None
        for size in range(1, min(MAX_BOX, len(groups)) + 1):
            for chosen in itertools.combinations(groups, size):
                for a in anchors.tolist():
                    if grid.flat[a] == 0 and not quick:
                        continue
                    anchor = grid._coords[a].tolist()
                    options = [self._partners(anchor, a, grid.groups[g], limit) for g in chosen]
                    for pick in itertools.product(*options):
                        # the flat index moves by a fixed step when a group takes its partner's coordinates
                        steps = [sum((c - anchor[axis]) * self.strides[axis] for axis, c in zip(grid.groups[g], combo))
                                 for g, combo in zip(chosen, pick)]
                        yield _box(a, steps)

    def _evaluate(self, q: int, z: dict[int, int]) -> tuple[float, list[int]] | None:
        """The step ``z`` allows (or ``None`` when it changes something published that must stay)."""
        self.work += 1
        net = self.net(z)
        touched = list(net)
        if q not in touched or any(self._zero_or_fixed[t] for t in touched):
            return None
        down = up = float("inf")
        cells = self._cell
        for cell, sign in z.items():
            if sign > 0:
                down = min(down, cells[cell])
            else:
                up = min(up, cells[cell])
        for t in touched:
            slack = (self._value[t] - self._floor[t]) / abs(net[t])
            if net[t] > 0:
                down = min(down, slack)
            else:
                up = min(up, slack)
        return down + up, touched

    def need(self, q: int) -> int:
        """How far count ``q`` must be able to move."""
        return self.loose.get(q, self.width)

    def best(self, q: int, suppressed: np.ndarray) -> tuple[dict[int, int], list[int], float] | None:
        """The cheapest single direction wide enough for ``q`` (with its width): the quick
        candidates (the fullest partners) and then as many others as :data:`MAX_CANDIDATES` allows."""
        best_key: tuple[float, ...] | None = None
        best: tuple[dict[int, int], list[int], float] | None = None
        seen: set[tuple[tuple[int, int], ...]] = set()
        candidates = itertools.chain(self._candidates(q, True), itertools.islice(self._candidates(q, False),
                                                                                 MAX_CANDIDATES))
        for z in candidates:
            key_z = tuple(sorted(z.items()))
            if key_z in seen:
                continue
            seen.add(key_z)
            got = self._evaluate(q, z)
            if got is None or got[0] < self.need(q):
                continue
            width, touched = got
            new = [t for t in touched if not suppressed[t]]
            key = (self.cost(new), -width)
            if best_key is None or key < best_key:
                best_key, best = key, (z, sorted(touched), width)
            if not new and q in self.loose:  # hides nothing more: no direction is cheaper
                break
        return best

    def cost(self, new: list[int]) -> float:
        """What hiding ``new`` counts loses: the finest cells they cover (a margin costs far more
        than an intersection cell: the square of the cells), then their share of the total."""
        return sum(len(self.grid.members[t]) ** 2 + self._value[t] / self.total for t in new)

    def coarse(self, touched: list[int], suppressed: np.ndarray) -> bool:
        """Whether hiding ``touched`` hides a count covering more than an eighth of the cells."""
        return any(not suppressed[t] and len(self.grid.members[t]) * 8 > self.grid.flat.size for t in touched)

    def touched(self, z: dict[int, int]) -> list[int]:
        return list(self.net(z))

    def pooled(self, q: int, suppressed: np.ndarray, *, coarse: bool = False) -> list[dict[int, int]] | None:
        """Several directions that together let ``q`` move far enough (checked by walking along
        them), when no single one does or the single one hides a margin (``coarse``: margins may be
        hidden too); ``None`` when even all of them do not."""
        valid = []
        for n, z in enumerate(self._candidates(q, quick=False)):
            if n >= MAX_CANDIDATES:
                break
            got = self._evaluate(q, z)
            if got is not None and got[0] > 0 and (coarse or not self.coarse(got[1], suppressed)):
                new = [t for t in got[1] if not suppressed[t]]
                valid.append((self.cost(new), -got[0], n, z))
        valid.sort(key=lambda v: v[:3])
        pool: list[dict[int, int]] = []
        trial = suppressed.copy()
        for *_, z in valid:
            pool.append(z)
            trial[self.touched(z)] = True
            if self.walk(q, pool, trial) >= self.need(q):
                return pool
        return None

    def walk(self, q: int, pool: list[dict[int, int]], suppressed: np.ndarray) -> float:
        """How far apart the smallest and largest values of ``q`` reached by moving along the
        ``pool`` directions are (each step as far as counts stay >= 0 and hidden counts >= 1): a
        lower bound of the range a reader can infer."""
        self.work += len(pool)
        nets = [self.net(z) for z in pool]
        if any(not suppressed[t] for net in nets for t in net):
            return 0.0
        ends = []
        for goal in (1, -1):
            x = {c: self._cell[c] for z in pool for c in z}
            vals = {t: self._value[t] for net in nets for t in net}
            for _ in range(12):
                if not any([self._step(q, goal, z, net, x, vals) for z, net in zip(pool, nets)]):
                    break
            ends.append(vals.get(q, self._value[q]))
        return ends[0] - ends[1]

    def _step(self, q: int, goal: int, z: dict[int, int], net: dict[int, int], x: dict[int, float],
              vals: dict[int, float]) -> bool:
        """Move as far along ``z`` as the bounds allow, in the direction that moves ``q`` towards
        ``goal``; whether it moved."""
        c = net.get(q, 0) * goal
        if not c:
            return False
        step = float("inf")
        for cell, sign in z.items():
            if sign * c < 0:
                step = min(step, x[cell])
        for t, v in net.items():
            if v * c < 0:
                step = min(step, (vals[t] - self._floor[t]) / abs(v))
        if step <= 1e-12 or step == float("inf"):
            return False
        signed = step if c > 0 else -step
        for cell, sign in z.items():
            x[cell] += signed * sign
        for t, v in net.items():
            vals[t] += signed * v
        return True
