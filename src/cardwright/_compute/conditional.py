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
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from ..schema.analysis import QuantitativeAnalyses
from ..schema.results import AnalysisResults
from .counts import CountTable
from .intervals import percentile
from .metrics import PROPORTIONS, proportion_parts

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


def conditional(spec: QuantitativeAnalyses, table: CountTable, metric: str, over: list[str],
                strata: list[str]) -> tuple[list[dict[str, Any]], str | None]:
    """One row per group of ``over`` against the reference (or ``([], reason)``)."""
    rate = ALIASES.get(metric, metric)
    unknown = [f for f in [*over, *strata] if f not in table.factors]
    if rate not in PROPORTIONS:
        return [], f"{metric} is not a rate; conditional disparities compare rates"
    if unknown:
        return [], f"not a factor: {', '.join(unknown)}"
    if set(over) & set(strata):
        return [], "a factor cannot be both compared and conditioned on"
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
    num, den = proportion_parts(cells, rate)
    n = cells.sum(-1)
    refs = spec.reference_groups
    if all(f in refs for f in over):
        wanted = {f: str(refs[f]) for f in over}
        if wanted not in groups or n[groups.index(wanted)].sum() == 0:
            return [], "the reference group has no rows"
        ref = groups.index(wanted)
    else:
        ref = int(np.argmax(n.sum(-1)))
    draws = _resample(cells, spec.confidence.resamples, spec.confidence.seed)
    level, k = spec.confidence.level, spec.min_group_size
    rows = []
    for g, key in enumerate(groups):
        if g == ref or n[g].sum() == 0:
            continue
        valid = (den[g] >= k) & (den[ref] >= k)
        row: dict[str, Any] = {"over": over, "conditional_on": strata, "metric": metric, "group": key,
                               "reference": groups[ref], "strata_used": int(valid.sum()),
                               "strata_left_out": [stratum_keys[s] for s in np.flatnonzero(~valid & (n.sum(0) > 0))]}
        agg_g, agg_r = num[g].sum() / den[g].sum() if den[g].sum() else np.nan, \
            num[ref].sum() / den[ref].sum() if den[ref].sum() else np.nan
        row.update(aggregate_difference=_num(agg_g - agg_r),
                   aggregate_ratio=_num(agg_g / agg_r) if agg_r and math.isfinite(agg_r) else None)
        if not valid.any():
            row.update(difference=None, reason=f"no stratum where both groups have {k} rows (min_group_size)")
            rows.append(row)
            continue
        w = n.sum(0)[valid] / n.sum(0)[valid].sum()
        kg, mg, kr, mr = num[g][valid], den[g][valid], num[ref][valid], den[ref][valid]
        diff = _num(_difference(kg, mg, kr, mr, w))
        ratio = _num(_ratio(kg, mg, kr, mr))
        row.update(difference=diff, ratio=ratio)
        if draws is not None:
            bn, bd = proportion_parts(draws, rate)
            bw = draws.sum(-1).sum(1)[:, valid]
            bw = bw / bw.sum(-1, keepdims=True)
            d_draws = _difference(bn[:, g][:, valid], bd[:, g][:, valid], bn[:, ref][:, valid], bd[:, ref][:, valid], bw)
            r_draws = _ratio(bn[:, g][:, valid], bd[:, g][:, valid], bn[:, ref][:, valid], bd[:, ref][:, valid])
            row["ci_low"], row["ci_high"] = _interval(diff, d_draws, level)
            row["ratio_ci_low"], row["ratio_ci_high"] = _interval(ratio, r_draws, level)
        row["strata"] = [
            {"stratum": stratum_keys[s], "weight": float(wt), "n": int(n[:, s].sum()),
             "group_value": float(num[g, s] / den[g, s]), "reference_value": float(num[ref, s] / den[ref, s]),
             "difference": float(num[g, s] / den[g, s] - num[ref, s] / den[ref, s])}
            for s, wt in zip(np.flatnonzero(valid), w)]
        rows.append(row)
    return rows, None


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


def apply(spec: QuantitativeAnalyses, table: CountTable, results: AnalysisResults) -> AnalysisResults:
    """``results`` with the card's conditional disparities, and its conditional gates evaluated."""
    from ..schema.results import ConditionalDisparityRow, GateResult

    rows: list[dict[str, Any]] = []
    for item in spec.conditional_disparities or []:
        got, reason = conditional(spec, table, item.metric, item.over, item.conditional_on)
        rows += got or [{"over": item.over, "conditional_on": item.conditional_on, "metric": item.metric,
                         "difference": None, "reason": reason}]
    if spec.conditional_disparities is not None:
        results.conditional_disparities = [ConditionalDisparityRow.model_validate(r) for r in rows]
    gates = list(results.gates)
    for i, gate in enumerate(spec.gates):
        if not gate.conditional_on or i >= len(gates):
            continue
        gates[i] = GateResult.model_validate(_gate(spec, table, gate, gates[i].model_dump(by_alias=True)))
    results.gates = gates
    return results


def _gate(spec: QuantitativeAnalyses, table: CountTable, gate: Any, row: dict[str, Any]) -> dict[str, Any]:
    row.update(value=None, passed=False, reason=None)
    if row["kind"] not in ("max_difference", "min_ratio"):
        row["reason"] = "conditional_on applies to max_difference and min_ratio gates"
        return row
    found, reason = conditional(spec, table, gate.metric, list(gate.over), list(gate.conditional_on))
    found = [r for r in found if r.get("difference") is not None]
    if not found:
        row["reason"] = reason or "no group to compare with the reference within the strata"
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
