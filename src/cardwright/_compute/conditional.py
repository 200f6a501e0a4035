"""Conditional disparities on model cards: the check against Simpson's paradox.

A disparity ``{metric, over, conditional_on}`` (or a gate with ``conditional_on``) compares each
group *g* of ``over`` with the reference group *r* inside every stratum *s* (a group of the
``conditional_on`` factors), from the count table alone (the strata are factors, so their counts
are already there):

* ``difference`` = Σₛ wₛ (p_gs − p_rs), with wₛ = nₛ / Σ nₛ the strata's shares of the rows (the
  weighting of SageMaker Clarify's conditional demographic disparity), over the strata where both
  groups have at least ``min_group_size`` rows in the metric's denominator (the others are left
  out and named);
* ``ratio`` = the Mantel–Haenszel risk ratio Σₛ k_gs m_rs / Mₛ ÷ Σₛ k_rs m_gs / Mₛ, with k the
  metric's numerator, m its denominator and Mₛ = m_gs + m_rs (Mantel & Haenszel 1959; Greenland &
  Robins 1985);
* the same pair's unconditioned difference and ratio over all rows, for comparison.

The reference group is the card's ``reference_groups`` entry when every factor of ``over`` has
one, else the group with the most rows.  Intervals are percentile intervals of the joint bootstrap
over the count cells (a multinomial draw of the rows over the cells), signed and for this pair,
widened where needed to contain their own estimate.

What it publishes follows the slices' privacy rules (:mod:`.slice_privacy`): the group × stratum
cells (and the strata and the groups of ``over``) are protected in the same count grid as every
slice of the results file, and

* a stratum is used, and its ``n``, ``weight``, ``group_value``, ``reference_value`` and
  ``difference`` are published, only when the rate of the group × stratum intersection, the rate
  of the reference × stratum intersection and the stratum's size are all shown by the grid; a
  stratum where one is hidden is left out of the combination (so no combined value gives it away
  by subtraction) and named in ``strata_left_out``, with ``min_cell_size`` in
  ``strata_left_out_by`` and none of its values or counts;
* a stratum where either group has fewer than ``min_group_size`` rows in the rate's denominator
  (none at all, for instance) is left out likewise, with ``min_group_size``;
* ``aggregate_difference`` and ``aggregate_ratio`` are published only when both groups' own rates
  are shown in their slices (neither hidden by ``min_cell_size`` nor below ``min_group_size``);
  else ``aggregate_reason`` says which setting hides them.

A conditional gate fails when a stratum of a compared group is hidden by ``min_cell_size`` (the
rule of :mod:`.gates`: it cannot speak for every stratum), with a reason saying how many strata
and by which setting, never their values.  Strata left out by ``min_group_size`` are left out of
the gate's combination as they are of the rows' (the gate speaks for the strata used), and a
compared group left with no stratum at all makes the gate fail.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..schema.analysis import QuantitativeAnalyses
from ..schema.gates import Gate
from .counts import CountTable
from .gates import hidden_strata_reason
from .intervals import percentile
from .metrics import PROPORTIONS, proportion_parts
from .slice_privacy import HIDDEN_REASON, Shield
from .slices import MetricKey

ALIASES = {"demographic_parity": "selection_rate", "equal_opportunity": "recall"}
CHUNK = 200


def _num(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _interval(value: float | None, draws: np.ndarray, level: float) -> tuple[float | None, float | None]:
    if value is None or draws.size == 0:
        return None, None
    lo, hi = percentile(draws[:, None], level)
    low, high = _num(lo[0]), _num(hi[0])
    if low is None or high is None:
        return None, None
    return min(low, value), max(high, value)


def _ratio(k_g: np.ndarray, m_g: np.ndarray, k_r: np.ndarray, m_r: np.ndarray) -> np.ndarray:
    big_m = m_g + m_r
    with np.errstate(invalid="ignore", divide="ignore"):
        top = np.where(big_m > 0, k_g * m_r / big_m, 0.0).sum(-1)
        bottom = np.where(big_m > 0, k_r * m_g / big_m, 0.0).sum(-1)
        return np.where(bottom > 0, top / bottom, np.nan)


def _difference(k_g: np.ndarray, m_g: np.ndarray, k_r: np.ndarray, m_r: np.ndarray, w: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((w * (k_g / m_g - k_r / m_r)).sum(-1), dtype=np.float64)


@dataclass
class Cells:
    """The count cells of one conditional comparison: groups × strata × confusion classes."""

    over: list[str]
    strata: list[str]
    cells: np.ndarray
    groups: list[dict[str, Any]]
    stratum_keys: list[dict[str, Any]]


@dataclass
class Guard:
    """What a conditional comparison may publish: the results' shield and the operating point."""

    shield: Shield
    threshold: float | None
    spec: QuantitativeAnalyses
    table: CountTable
    _positions: dict[str, dict[Any, int]] = field(default_factory=dict)

    def _index(self, over: tuple[str, ...], key: dict[str, Any]) -> int:
        i = 0
        for f in over:
            levels = self.table.levels[self.table.factors.index(f)]
            if f not in self._positions:
                self._positions[f] = {v: j for j, v in enumerate(levels)}
            i = i * len(levels) + self._positions[f][key[f]]
        return i

    def _key(self, rate: str) -> MetricKey:
        return (rate, self.threshold, None)

    def hidden(self, names: list[str], key: dict[str, Any], rate: str) -> bool:
        """Whether the grid hides the rate of the slice ``key`` of the factors ``names``."""
        over = canonical(self.spec, names)
        return self.shield.metric_hidden(over, self._index(over, key), self._key(rate))

    def small(self, names: list[str], key: dict[str, Any], rate: str) -> bool:
        over = canonical(self.spec, names)
        return self.shield.small(over, self._index(over, key), self._key(rate))

    def size_hidden(self, names: list[str], key: dict[str, Any]) -> bool:
        over = canonical(self.spec, names)
        return self.shield.size_hidden(over, self._index(over, key))

    def denominator(self, names: list[str], key: dict[str, Any], rate: str) -> int | None:
        """The rate's denominator in the slice ``key``, when the grid publishes it."""
        over = canonical(self.spec, names)
        i = self._index(over, key)
        return self.shield.count(over, i, self.shield.axis.denominator(self._key(rate)))


def canonical(spec: QuantitativeAnalyses, names: list[str]) -> tuple[str, ...]:
    """``names`` in the card's order of factors: how the results name a slice set."""
    return tuple(n for n in spec.factor_names if n in names)


def _problem(table: CountTable, rate: str, metric: str, over: list[str], strata: list[str]) -> str | None:
    unknown = [f for f in [*over, *strata] if f not in table.factors]
    if rate not in PROPORTIONS:
        return f"{metric} is not a rate; conditional disparities compare rates"
    if unknown:
        return f"not a factor: {', '.join(unknown)}"
    if set(over) & set(strata):
        return "a factor cannot be both compared and conditioned on"
    return None


def published_slices(spec: QuantitativeAnalyses, factors: list[str],
                     items: list[tuple[str, list[str], list[str]]]) -> dict[tuple[str, ...], list[str]]:
    """The slice sets conditional comparisons ``items`` (``(metric, over, conditional_on)``)
    publish something of, each with the rates it publishes: the groups of ``over`` (their
    aggregate rates), the group × stratum intersections (their rates) and the strata (their
    sizes)."""
    out: dict[tuple[str, ...], list[str]] = {}
    for metric, over, strata in items:
        rate = ALIASES.get(metric, metric)
        if rate not in PROPORTIONS or any(f not in factors for f in [*over, *strata]) or set(over) & set(strata):
            continue
        for names, rates in ((over, [rate]), ([*over, *strata], [rate]), (strata, [])):
            got = out.setdefault(canonical(spec, names), [])
            got += [r for r in rates if r not in got]
    return out


def _cells(table: CountTable, over: list[str], strata: list[str]) -> Cells:
    keep = [table.factors.index(f) for f in [*over, *strata]]
    conf = table.counts.sum(-1)
    axes = tuple(i for i in range(len(table.factors)) if i not in keep)
    sub = conf.sum(axis=axes) if axes else conf
    sub = np.moveaxis(sub, [sorted(keep).index(i) for i in keep], list(range(len(keep))))
    g_sizes = [len(table.levels[table.factors.index(f)]) for f in over]
    s_sizes = [len(table.levels[table.factors.index(f)]) for f in strata]
    cells = sub.reshape(math.prod(g_sizes), math.prod(s_sizes), 4)
    groups = [dict(zip(over, c)) for c in itertools.product(*(table.levels[table.factors.index(f)] for f in over))]
    stratum_keys = [dict(zip(strata, c)) for c in itertools.product(*(table.levels[table.factors.index(f)]
                                                                       for f in strata))]
    return Cells(over, strata, cells, groups, stratum_keys)


def _why_left_out(c: Cells, guard: Guard, rate: str, g: int, ref: int, den: np.ndarray) -> list[str | None]:
    """Per stratum, the setting that leaves it out of group ``g``'s comparison (``None``: used)."""
    k = guard.spec.min_group_size
    both = [*c.over, *c.strata]
    out: list[str | None] = []
    for s, stratum in enumerate(c.stratum_keys):
        pair = [{**c.groups[i], **stratum} for i in (g, ref)]
        if any(guard.denominator(both, key, rate) == 0 for key in pair):
            out.append("min_group_size")  # a published zero: nothing to compare
        elif any(guard.hidden(both, key, rate) for key in pair) or guard.size_hidden(c.strata, stratum):
            out.append("min_cell_size")
        elif den[g, s] < k or den[ref, s] < k:
            out.append("min_group_size")
        else:
            out.append(None)
    return out


def _aggregate(c: Cells, guard: Guard, rate: str, g: int, ref: int, num: np.ndarray, den: np.ndarray,
               ) -> dict[str, Any]:
    """The pair's difference and ratio over all rows, when both groups' own rates are shown."""
    keys = [c.groups[g], c.groups[ref]]
    if any(guard.hidden(c.over, key, rate) for key in keys):
        return {"aggregate_difference": None, "aggregate_ratio": None, "aggregate_reason": HIDDEN_REASON}
    if any(guard.small(c.over, key, rate) for key in keys):
        return {"aggregate_difference": None, "aggregate_ratio": None,
                "aggregate_reason": f"suppressed: a group has fewer than {guard.spec.min_group_size} rows "
                                    f"(min_group_size)"}
    agg_g = num[g].sum() / den[g].sum() if den[g].sum() else np.nan
    agg_r = num[ref].sum() / den[ref].sum() if den[ref].sum() else np.nan
    return {"aggregate_difference": _num(agg_g - agg_r),
            "aggregate_ratio": _num(agg_g / agg_r) if agg_r and math.isfinite(agg_r) else None}


def conditional(spec: QuantitativeAnalyses, table: CountTable, metric: str, over: list[str],
                strata: list[str], guard: Guard) -> tuple[list[dict[str, Any]], str | None]:
    """One row per group of ``over`` against the reference (or ``([], reason)``), publishing
    what ``guard`` shows."""
    rate = ALIASES.get(metric, metric)
    problem = _problem(table, rate, metric, over, strata)
    if problem is not None:
        return [], problem
    c = _cells(table, over, strata)
    num, den = proportion_parts(c.cells, rate)
    n = c.cells.sum(-1)
    refs = spec.reference_groups
    if all(f in refs for f in over):
        wanted = {f: str(refs[f]) for f in over}
        if wanted not in c.groups or n[c.groups.index(wanted)].sum() == 0:
            return [], "the reference group has no rows"
        ref = c.groups.index(wanted)
    else:
        ref = int(np.argmax(n.sum(-1)))
    draws = _resample(c.cells, spec.confidence.resamples, spec.confidence.seed)
    rows = []
    for g, key in enumerate(c.groups):
        if g == ref or n[g].sum() == 0:
            continue
        why = _why_left_out(c, guard, rate, g, ref, den)
        valid = np.array([w is None for w in why], dtype=bool)
        out = np.flatnonzero(~valid & (n.sum(0) > 0))
        row: dict[str, Any] = {"over": over, "conditional_on": strata, "metric": metric, "group": key,
                               "reference": c.groups[ref], "strata_used": int(valid.sum()),
                               "strata_left_out": [c.stratum_keys[s] for s in out],
                               "strata_left_out_by": [why[s] for s in out]}
        row.update(_aggregate(c, guard, rate, g, ref, num, den))
        if not valid.any():
            row.update(difference=None, reason=_nothing_left(spec, [w for s, w in enumerate(why) if n[:, s].sum()]))
            rows.append(row)
            continue
        row.update(_combined(spec, rate, num, den, n, draws, g, ref, valid))
        w = n.sum(0)[valid] / n.sum(0)[valid].sum()
        row["strata"] = [
            {"stratum": c.stratum_keys[s], "weight": float(wt), "n": int(n[:, s].sum()),
             "group_value": float(num[g, s] / den[g, s]), "reference_value": float(num[ref, s] / den[ref, s]),
             "difference": float(num[g, s] / den[g, s] - num[ref, s] / den[ref, s])}
            for s, wt in zip(np.flatnonzero(valid), w)]
        rows.append(row)
    return rows, None


def _nothing_left(spec: QuantitativeAnalyses, why: list[str | None]) -> str:
    """Why no stratum is left to combine (``why``: each observed stratum's setting)."""
    if "min_cell_size" in why:
        return (f"no stratum left to compare: each is hidden by min_cell_size {spec.min_cell_size} (a count a "
                f"value is made of is below it, or would give one away) or has fewer than {spec.min_group_size} "
                f"rows for a group (min_group_size)")
    return f"no stratum where both groups have {spec.min_group_size} rows (min_group_size)"


def _combined(spec: QuantitativeAnalyses, rate: str, num: np.ndarray, den: np.ndarray, n: np.ndarray,
              draws: np.ndarray | None, g: int, ref: int, valid: np.ndarray) -> dict[str, Any]:
    """The weighted difference and the Mantel–Haenszel ratio over the strata used, with intervals."""
    w = n.sum(0)[valid] / n.sum(0)[valid].sum()
    kg, mg, kr, mr = num[g][valid], den[g][valid], num[ref][valid], den[ref][valid]
    diff = _num(_difference(kg, mg, kr, mr, w))
    ratio = _num(_ratio(kg, mg, kr, mr))
    out: dict[str, Any] = {"difference": diff, "ratio": ratio}
    if draws is not None:
        level = spec.confidence.level
        bn, bd = proportion_parts(draws, rate)
        bw = draws.sum(-1).sum(1)[:, valid]
        bw = bw / bw.sum(-1, keepdims=True)
        d_draws = _difference(bn[:, g][:, valid], bd[:, g][:, valid], bn[:, ref][:, valid], bd[:, ref][:, valid], bw)
        r_draws = _ratio(bn[:, g][:, valid], bd[:, g][:, valid], bn[:, ref][:, valid], bd[:, ref][:, valid])
        out["ci_low"], out["ci_high"] = _interval(diff, d_draws, level)
        out["ratio_ci_low"], out["ratio_ci_high"] = _interval(ratio, r_draws, level)
    return out


def _resample(cells: np.ndarray, resamples: int, seed: int) -> np.ndarray | None:
    flat = cells.ravel()
    total = int(flat.sum())
    if resamples <= 0 or total == 0:
        return None
    rng = np.random.default_rng(seed)
    nonzero = np.flatnonzero(flat)
    parts = []
    done = 0
    while done < resamples:
        r = min(CHUNK, resamples - done)
        full = np.zeros((r, flat.size), dtype=np.int64)
        full[:, nonzero] = rng.multinomial(total, flat[nonzero] / total, size=r)
        parts.append(full.reshape(r, *cells.shape))
        done += r
    return np.concatenate(parts)


def apply(spec: QuantitativeAnalyses, table: CountTable, gates: list[dict[str, Any]], *, shown: Guard,
          gated: Guard) -> tuple[list[dict[str, Any]] | None, list[dict[str, Any]]]:
    """The card's conditional disparities (``None`` when it asks for none), and ``gates`` (the
    results' gate rows, one per gate of the card) with its conditional gates evaluated.  ``table``
    holds confusion counts ``(*cells, 4, bins)``; ``shown`` protects what the rows publish,
    ``gated`` what the gates see (the results' slices with those only gates need)."""
    rows: list[dict[str, Any]] = []
    for item in spec.conditional_disparities or []:
        got, reason = conditional(spec, table, item.metric, item.over, item.conditional_on, shown)
        rows += got or [{"over": item.over, "conditional_on": item.conditional_on, "metric": item.metric,
                         "difference": None, "reason": reason}]
    out = list(gates)
    for i, gate in enumerate(spec.gates):
        if gate.conditional_on and i < len(out):
            out[i] = _gate(spec, table, gate, dict(out[i]), gated)
    return (rows if spec.conditional_disparities is not None else None), out


def _gate(spec: QuantitativeAnalyses, table: CountTable, gate: Gate, row: dict[str, Any], guard: Guard,
          ) -> dict[str, Any]:
    row.update(value=None, passed=False, reason=None, groups=0)
    if row["kind"] not in ("max_difference", "min_ratio"):
        row["reason"] = "conditional_on applies to max_difference and min_ratio gates"
        return row
    strata = list(gate.conditional_on or [])
    found, reason = conditional(spec, table, gate.metric, list(gate.over), strata, guard)
    if not found:
        row["reason"] = reason or "no group to compare with the reference within the strata"
        return row
    hidden = {json.dumps(s, sort_keys=True, default=str) for r in found
              for s, by in zip(r["strata_left_out"], r["strata_left_out_by"]) if by == "min_cell_size"}
    if hidden:
        observed = int((_cells(table, list(gate.over), strata).cells.sum((0, -1)) > 0).sum())
        row["reason"] = hidden_strata_reason(spec, len(hidden), observed)
        return row
    empty = sum(r.get("difference") is None for r in found)
    if empty:
        row["reason"] = (f"{empty} of {len(found)} compared groups {'has' if empty == 1 else 'have'} no stratum where "
                         f"both it and the reference have {spec.min_group_size} rows (min_group_size); the gate "
                         f"cannot check every group, so it fails")
        return row
    values: list[float] = []
    for r in found:
        if row["kind"] == "max_difference":
            raw = [r["difference"]] if gate.use == "estimate" else [r.get("ci_low"), r.get("ci_high")]
            ends = [float(e) for e in raw if e is not None]
            if len(ends) < len(raw):
                row["reason"] = "the conditional difference has no interval"
                return row
            values.append(max(abs(e) for e in ends))
        else:
            raw = [r.get("ratio")] if gate.use == "estimate" else [r.get("ratio_ci_low"), r.get("ratio_ci_high")]
            ends = [float(e) for e in raw if e is not None and e > 0]
            if len(ends) < len(raw):
                row["reason"] = "the Mantel–Haenszel ratio is undefined"
                return row
            values.append(min(min(e, 1 / e) for e in ends))
    value = max(values) if row["kind"] == "max_difference" else min(values)
    row.update(value=value, groups=len(found) + 1,
               passed=bool(value <= row["limit"] if row["kind"] == "max_difference" else value >= row["limit"]))
    return row
