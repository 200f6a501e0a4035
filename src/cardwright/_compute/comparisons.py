"""Disparity rows: each metric (at each threshold, for each class) compared between the groups
of every reported factor and intersection (see :mod:`.disparities` for the conventions)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..schema.analysis import QuantitativeAnalyses
from ..schema.metric_names import BINARY, threshold_dependent
from . import disparities as dsp
from .intervals import percentile
from .rows import around, num
from .slice_privacy import Shield
from .slices import MetricKey, SliceSet


def reference(spec: QuantitativeAnalyses, ss: SliceSet, over: tuple[str, ...]) -> tuple[int | None, dict[str, str] | None]:
    refs = spec.reference_groups
    if not over or not all(f in refs for f in over):
        return None, None
    key = {f: str(refs[f]) for f in over}
    return (ss.keys.index(key) if key in ss.keys else -1), key


def ci(draws: np.ndarray | None, level: float) -> tuple[float | None, float | None]:
    if draws is None or draws.shape[0] <= 1:
        return None, None
    lo, hi = percentile(draws[1:, None], level)
    return num(lo[0]), num(hi[0])


def measure_keys(spec: QuantitativeAnalyses, keys: list[MetricKey]) -> list[MetricKey]:
    """What disparities compare: every reported metric key but counts, then (binary) the fairness
    measures at every threshold."""
    out = [k for k in keys if k[0] != "count"]
    if spec.task == BINARY:
        points = list(dict.fromkeys(k[1] for k in keys if threshold_dependent(spec.task, k[0]))) or [None]
        out += [(m, t, None) for m in dsp.FAIRNESS for t in points]
    return out


def disparity_rows(spec: QuantitativeAnalyses, ss: SliceSet, over: tuple[str, ...], keys: list[MetricKey],
                   evaluation: str | None, shield: Shield) -> list[dict[str, Any]]:
    ref, ref_key = reference(spec, ss, over)
    out = []
    for measure, threshold, class_ in measure_keys(spec, keys):
        base: dict[str, Any] = {"evaluation": evaluation, "over": list(over), "metric": measure, "groups": 0,
                                "threshold": threshold, "class": class_}
        idx = dsp.eligible(ss, measure, shield.excluded(ss, measure, threshold, class_), False, threshold, class_)
        comps = dsp.components(ss, measure, threshold, class_)
        if ref is None:
            out.append(_between(ss, base, idx, comps, measure, spec.confidence.level))
        else:
            out += _to_reference(ss, {**base, "comparison": "to-reference", "reference": ref_key}, ref, idx, comps,
                                 measure, spec.confidence.level)
    return out


def _between(ss: SliceSet, base: dict[str, Any], idx: np.ndarray, comps: list[np.ndarray], measure: str,
             level: float) -> dict[str, Any]:
    base = {**base, "comparison": "between-groups"}
    if len(idx) < 2:
        return {**base, "difference": None, "reason": "fewer than two groups to compare"}
    pair = dsp.widest_pair(comps, idx, measure)
    return {**base, **pair_fields(pair, level), "groups": len(idx), "highest": ss.keys[pair.first],
            "lowest": ss.keys[pair.second]}


def _to_reference(ss: SliceSet, base: dict[str, Any], ref: int, idx: np.ndarray, comps: list[np.ndarray],
                  measure: str, level: float) -> list[dict[str, Any]]:
    if ref < 0 or ref not in idx:
        return [{**base, "difference": None,
                 "reason": "the reference group is suppressed, unobserved or undefined for this metric"}]
    if len(idx) < 2:
        return [{**base, "difference": None, "reason": "no other group to compare with the reference"}]
    diff, rat, _ = dsp.to_reference(comps, ref, idx, measure)
    pair = dsp.furthest_from_reference(diff, rat, idx, ref)
    out = [{**base, **pair_fields(pair, level), "groups": len(idx), "pair": ss.keys[pair.first]}]
    for j, g in enumerate(i for i in idx if i != ref):
        out.append({**base, "group": ss.keys[g], "groups": 2,
                    **pair_fields(dsp.Pair(g, ref, diff[:, j], None if rat is None else rat[:, j]), level)})
    return out


def pair_fields(pair: dsp.Pair, level: float) -> dict[str, Any]:
    """A pair's difference and ratio with their own intervals, each containing its estimate."""
    diff = num(pair.difference[0])
    lo, hi = around(ci(pair.difference, level), diff)
    fields: dict[str, Any] = {"difference": diff, "ci_low": lo, "ci_high": hi}
    if pair.ratio is not None:
        rat = num(pair.ratio[0])
        rlo, rhi = around(ci(pair.ratio, level), rat)
        fields.update(ratio=rat, ratio_ci_low=rlo, ratio_ci_high=rhi)
    return fields
