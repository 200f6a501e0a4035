"""An attacker's audit of what an output publishes: can any suppressed count be worked out?

The attacker knows the published facts (counts, shares, rates with or without their
denominators, totals, which groups exist) and that counts are non-negative integers.  Each fact
is a linear relation over hidden *cells* (the counts of the finest combinations of everything
the output talks about), built independently of cardwright from the data file itself.

Two checks, independent of how cardwright chose what to suppress:

* **exact recovery** (rational arithmetic, no floating point): a suppressed count is recovered
  when its coefficient vector lies in the row space of the published equalities — any combination
  of sums over siblings, parents, marginals, intersections and rates, not only one subtraction;
* **interval** (linear programming, scipy's ``linprog``): the smallest and largest values of each
  suppressed count consistent with every published equality and inequality (rounded shares,
  ``cells >= 0``, suppressed counts ``>= 1`` since zeros are published) must lie at least
  ``max(1, k - 2)`` apart — unless even suppressing everything but the total could not do better.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

Coef = dict[int, Fraction]


@dataclass
class Fact:
    """``lo <= Σ coef[c] · x[c] <= hi`` (an equality when ``lo == hi``)."""

    coef: Coef
    lo: Fraction
    hi: Fraction
    source: str
    fixed: bool = False
    """A fact every output must state whatever is suppressed (the total, a published zero)."""

    @property
    def exact(self) -> bool:
        return self.lo == self.hi


@dataclass
class Secret:
    """A suppressed count: the sum of ``cells``."""

    name: str
    cells: frozenset[int]
    value: int
    nonzero: bool = True
    """Whether a reader knows it is at least 1 (a zero would have been published as a zero)."""


@dataclass
class Cells:
    """The attacker's unknowns, with their true values (used only to check the facts are parsed
    right and to report what would leak)."""

    names: list[tuple] = field(default_factory=list)
    truth: list[int] = field(default_factory=list)
    index: dict[tuple, int] = field(default_factory=dict)

    def add(self, name: tuple, value: int) -> int:
        i = self.index.get(name)
        if i is None:
            i = self.index[name] = len(self.names)
            self.names.append(name)
            self.truth.append(int(value))
        else:
            self.truth[i] += int(value)
        return i

    def where(self, test) -> frozenset[int]:
        return frozenset(i for i, n in enumerate(self.names) if test(n))

    def total(self, cells: frozenset[int]) -> int:
        return sum(self.truth[i] for i in cells)


def equal(cells: frozenset[int] | Coef, value: Fraction | int, source: str, *, fixed: bool = False) -> Fact:
    coef = cells if isinstance(cells, dict) else {c: Fraction(1) for c in cells}
    v = Fraction(value)
    return Fact(dict(coef), v, v, source, fixed)


def between(cells: frozenset[int] | Coef, lo: Fraction, hi: Fraction, source: str) -> Fact:
    coef = cells if isinstance(cells, dict) else {c: Fraction(1) for c in cells}
    return Fact(dict(coef), Fraction(lo), Fraction(hi), source)


def count_from_share(cells: frozenset[int], share: float | Fraction, total: int, decimals: int | None, source: str) -> Fact:
    """A share of ``total``: exact (a float from a results file) or rounded to ``decimals``."""
    if decimals is None:
        n = Fraction(share) * total
        return equal(cells, round(n), source)
    half = Fraction(1, 2 * 10 ** decimals)
    lo, hi = (Fraction(share) - half) * total, (Fraction(share) + half) * total
    lo_i, hi_i = math.ceil(lo), math.floor(hi)
    if lo_i == hi_i:
        return equal(cells, lo_i, source)
    return between(cells, Fraction(lo_i), Fraction(hi_i), source)


def rate_facts(num: frozenset[int], den: frozenset[int], value: float, n: int | None, limit: int,
               decimals: int | None, source: str) -> list[Fact]:
    """What a published rate ``value = Σnum / Σden`` says, with its denominator ``n`` when shown."""
    out: list[Fact] = []
    if n is not None:
        out.append(equal(den, n, source + " (n)"))
        if decimals is None:
            out.append(equal(num, round(Fraction(value) * n), source))
        else:
            half = Fraction(1, 2 * 10 ** decimals)
            lo, hi = math.ceil((Fraction(value) - half) * n), math.floor((Fraction(value) + half) * n)
            out.append(equal(num, lo, source) if lo == hi else between(num, Fraction(lo), Fraction(hi), source))
        return out
    if decimals is None:  # an exact float: its fraction with a denominator below the total
        r = Fraction(value).limit_denominator(max(1, limit))
        coef: Coef = {}
        for c in num:
            coef[c] = coef.get(c, Fraction(0)) + r.denominator
        for c in den:
            coef[c] = coef.get(c, Fraction(0)) - r.numerator
        out.append(equal({c: v for c, v in coef.items() if v}, 0, source))
    return out


# -- exact linear algebra ---------------------------------------------------------------------------
class RowSpace:
    """Reduced row-echelon basis of integer row vectors, kept fraction-free and exact: int64 while
    entries stay small, Python integers beyond."""

    def __init__(self, n: int):
        self.n = n
        self.rows: list[np.ndarray] = []
        self.pivots: list[int] = []

    @staticmethod
    def _normal(v: np.ndarray) -> np.ndarray:
        nz = v[v != 0]
        if not nz.size:
            return v
        g = math.gcd(*(int(x) for x in nz)) if nz.size > 1 else abs(int(nz[0]))
        if g > 1:
            v = v // g
        lead = v[np.flatnonzero(v)[0]]
        return -v if lead < 0 else v

    @staticmethod
    def _combine(a: np.ndarray, ca: int, b: np.ndarray, cb: int) -> np.ndarray:
        """``a * ca - b * cb`` exactly."""
        big = 1 << 62
        if a.dtype != object and b.dtype != object:
            bound = int(np.abs(a).max(initial=0)) * abs(ca) + int(np.abs(b).max(initial=0)) * abs(cb)
            if bound < big:
                return a * ca - b * cb
        return a.astype(object) * ca - b.astype(object) * cb

    def reduce(self, v: np.ndarray) -> np.ndarray:
        for row, p in zip(self.rows, self.pivots):
            c = v[p]
            if c:
                piv = row[p]
                v = self._normal(self._combine(v, int(piv), row, int(c)))
        return v

    def add(self, v: np.ndarray) -> bool:
        v = self.reduce(v)
        nz = np.flatnonzero(v)
        if not nz.size:
            return False
        p = int(nz[0])
        v = self._normal(v)
        for i, row in enumerate(self.rows):  # keep the basis reduced: zero column p elsewhere
            c = row[p]
            if c:
                self.rows[i] = self._normal(self._combine(row, int(v[p]), v, int(c)))
        self.rows.append(v)
        self.pivots.append(p)
        return True

    def contains(self, v: np.ndarray) -> bool:
        return not np.any(self.reduce(v))


def _integer_row(coef: Coef, n: int) -> np.ndarray:
    lcm = 1
    for v in coef.values():
        lcm = lcm * v.denominator // math.gcd(lcm, v.denominator)
    row = np.zeros(n, dtype=np.int64)
    for c, v in coef.items():
        row[c] += int(v * lcm)
    return row


# -- the audit --------------------------------------------------------------------------------------
def protection(k: int) -> int:
    return max(1, k - 2)


@dataclass
class Leak:
    secret: Secret
    how: str
    low: float | None = None
    high: float | None = None

    def __str__(self) -> str:
        rng = "" if self.low is None else f" (feasible {self.low:g} to {self.high:g})"
        return f"{self.secret.name} = {self.secret.value}: {self.how}{rng}"


def check_facts(cells: Cells, facts: list[Fact]) -> None:
    """Every parsed fact must hold for the true counts (else the parser misread the output)."""
    for f in facts:
        v = sum(coef * cells.truth[c] for c, coef in f.coef.items())
        assert f.lo <= v <= f.hi, f"parsed fact does not hold: {f.source}: {float(v)} not in [{f.lo}, {f.hi}]"


def _lp_range(cells: Cells, facts: list[Fact], secrets: list[Secret], target: Secret) -> tuple[float, float]:
    from scipy.optimize import linprog

    n = len(cells.names)
    eq = [f for f in facts if f.exact]
    ineq = [f for f in facts if not f.exact]
    a_eq = np.zeros((len(eq), n))
    b_eq = np.zeros(len(eq))
    for i, f in enumerate(eq):
        for c, v in f.coef.items():
            a_eq[i, c] += float(v)
        b_eq[i] = float(f.lo)
    rows, rhs = [], []
    for f in ineq:
        row = np.zeros(n)
        for c, v in f.coef.items():
            row[c] += float(v)
        rows += [row, -row]
        rhs += [float(f.hi), -float(f.lo)]
    for s in secrets:  # a suppressed count is at least 1 where zeros are published
        if not s.nonzero:
            continue
        row = np.zeros(n)
        row[list(s.cells)] = -1
        rows.append(row)
        rhs.append(-1.0)
    obj = np.zeros(n)
    obj[list(target.cells)] = 1
    kw = {"A_eq": a_eq if len(eq) else None, "b_eq": b_eq if len(eq) else None,
          "A_ub": np.array(rows) if rows else None, "b_ub": np.array(rhs) if rhs else None,
          "bounds": (0, None), "method": "highs"}
    low = linprog(obj, **kw)
    high = linprog(-obj, **kw)
    assert low.status in (0, 3) and high.status in (0, 3), (low.message, high.message)
    lo = low.fun if low.status == 0 else -math.inf
    hi = -high.fun if high.status == 0 else math.inf
    return lo, hi


def audit(cells: Cells, facts: list[Fact], secrets: list[Secret], k: int, *, intervals: bool = True,
          small_only: bool = False) -> list[Leak]:
    """Every suppressed count the published facts give away, or pin down to a narrower range
    than ``max(1, k - 2)`` (empty: nothing leaks).  ``small_only``: check the ranges of the
    counts below ``k`` only (every hidden count is still checked for exact recovery)."""
    check_facts(cells, facts)
    unique: dict[frozenset[int], Secret] = {}
    for s in secrets:
        if s.value == 0 and not s.nonzero:
            continue  # a zero hidden only because its slice is: zeros describe nobody, and are published elsewhere
        seen_before = unique.get(s.cells)
        unique[s.cells] = Secret(s.name, s.cells, s.value, s.nonzero or bool(seen_before and seen_before.nonzero))
    leaks = _recovered(cells, facts, list(unique.values()))
    if leaks or not intervals:
        return leaks
    return _narrowed(cells, facts, list(unique.values()), k, small_only)


def _recovered(cells: Cells, facts: list[Fact], secrets: list[Secret]) -> list[Leak]:
    """Hidden counts in the row space of the published equalities (and not of the fixed ones alone)."""
    n = len(cells.names)
    space, fixed_space = RowSpace(n), RowSpace(n)
    seen: set[bytes] = set()
    for f in facts:
        if not f.exact:
            continue
        row = _integer_row(f.coef, n)
        if row.tobytes() in seen:
            continue
        seen.add(row.tobytes())
        space.add(row.copy())
        if f.fixed:
            fixed_space.add(row.copy())
    leaks = []
    for s in secrets:
        v = np.zeros(n, dtype=np.int64)
        v[list(s.cells)] = 1
        if space.contains(v.copy()) and not fixed_space.contains(v.copy()):
            leaks.append(Leak(s, "recovered exactly from the published counts"))
    return leaks


def _narrowed(cells: Cells, facts: list[Fact], secrets: list[Secret], k: int, small_only: bool) -> list[Leak]:
    """Hidden counts whose feasible range is narrower than the protection width (or than hiding
    everything but the fixed facts would leave it)."""
    want = protection(k)
    leaks = []
    fixed = [f for f in facts if f.fixed]
    for s in secrets:
        if small_only and s.value >= k:
            continue
        lo, hi = _lp_range(cells, facts, secrets, s)
        if hi - lo + 1e-6 >= want:
            continue
        best_lo, best_hi = _lp_range(cells, fixed, secrets, s)
        if hi - lo + 1e-6 < min(want, best_hi - best_lo):
            leaks.append(Leak(s, f"narrowed to a range narrower than {want}", lo, hi))
    return leaks
