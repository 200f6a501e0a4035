"""Gate outcomes: a disparity within a limit (`max_difference`, `min_ratio`), a metric within a
limit in every group (`min`, `max`: the worst group decides), or no regression beyond a tolerance
from an earlier results file (`baseline`).

With ``use: interval`` a gate compares the unfavourable end of an interval — the upper end of a
difference, the lower end of a ratio, the lower end of a metric that must stay above its `min`,
the upper end of one that must stay below its `max`, the end furthest the wrong way from the
baseline — so it passes only when the data show the gate is met.  A gate that cannot be
evaluated fails, with the reason.

A gate speaks for every group of its ``over``: when an observed group's value is hidden — by
``min_cell_size`` (privacy: always) or by ``min_group_size`` (reliability: unless the gate says
``include_suppressed: true``) — the gate cannot be checked and fails, whatever the groups it can
see show, with a reason saying how many groups are hidden, by which setting, and what to do.  It
never publishes a hidden group's value, nor says which hidden group would have failed (a gate
that passed or failed on hidden values would give them away).  A baseline gate fails likewise
when a group is suppressed in the baseline.

A gate of ``severity: warning`` is computed the same way; its failure is reported but fails
neither `compute` nor `validate --strict`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..schema.analysis import Gate, QuantitativeAnalyses
from ..schema.metric_names import direction, threshold_dependent
from ..schema.results import AnalysisResults, ResultRow
from . import disparities as dsp
from .comparisons import ci, reference
from .rows import interval, num
from .slice_privacy import Shield
from .slices import MetricKey, SliceSet


def gate_over(spec: QuantitativeAnalyses, gate: Gate) -> tuple[str, ...]:
    return tuple(n for n in spec.factor_names if n in gate.over)


def operating_key(spec: QuantitativeAnalyses, gate: Gate, thresholds: list[float] | None) -> MetricKey:
    """The metric key a gate checks: its threshold (the only one, when there is one) and class."""
    threshold = gate.threshold
    if threshold is None and thresholds and threshold_dependent(spec.task, gate.metric):
        threshold = thresholds[0]
    return (gate.metric, threshold if thresholds and threshold_dependent(spec.task, gate.metric) else None,
            None if gate.class_ is None else _text(gate.class_))


def _text(value: Any) -> str:
    from .reading import to_text

    return to_text(value)


def gate_row(spec: QuantitativeAnalyses, sets: dict[tuple[str, ...], SliceSet], gate: Gate, *,
             evaluation: str | None, thresholds: list[float] | None, baseline: Baseline | None,
             shield: Shield) -> dict[str, Any]:
    over = gate_over(spec, gate)
    k = operating_key(spec, gate, thresholds)
    row: dict[str, Any] = {
        "evaluation": evaluation, "metric": gate.metric, "over": list(over), "kind": gate.kind, "limit": gate.limit,
        "use": gate.use, "value": None, "passed": False, "groups": 0, "include_suppressed": gate.include_suppressed,
        "severity": "warning" if gate.warning else None, "threshold": k[1], "class": k[2],
    }
    unknown = [f for f in gate.over if f not in spec.factor_names]
    if unknown:
        return {**row, "reason": f"not a factor: {', '.join(unknown)}"}
    ss = sets[over]
    why = shield.why_excluded(ss, gate.metric, k[1], k[2], include_small=gate.include_suppressed)
    left_out = np.array([w is not None for w in why], dtype=bool)
    hidden = hidden_reason(spec, ss, why)
    if hidden is not None:
        shown = sum(1 for i, w in enumerate(why) if w is None and ss.n[i] > 0)
        return {**row, "groups": shown, "reason": hidden}
    if gate.kind in ("max_difference", "min_ratio"):
        return _comparing(spec, ss, gate, k, row, left_out)
    if gate.kind == "baseline":
        return _baseline(spec, ss, gate, k, row, baseline, left_out)
    return _limit(spec, ss, gate, k, row, left_out)


def hidden_reason(spec: QuantitativeAnalyses, ss: SliceSet, why: list[str | None]) -> str | None:
    """Why a gate cannot speak for every group of ``ss`` (``why``: per group, the setting that
    hides it, see :meth:`~.slice_privacy.Shield.why_excluded`), or ``None`` when no observed
    group is hidden."""
    observed = [w for i, w in enumerate(why) if ss.n[i] > 0]
    privacy = sum(w == "min_cell_size" for w in observed)
    small = sum(w == "min_group_size" for w in observed)
    if not privacy and not small:
        return None
    causes = _causes(spec)
    if not ss.over:
        return f"the overall value is hidden by {causes['min_cell_size' if privacy else 'min_group_size']}, " \
               f"so the gate cannot be checked"
    hidden = privacy + small
    parts = [f"{n} by {causes[name]}" for n, name in ((privacy, "min_cell_size"), (small, "min_group_size")) if n]
    return f"{hidden} of {len(observed)} groups {'is' if hidden == 1 else 'are'} hidden: {'; '.join(parts)}; " \
           f"the gate cannot check every group, so it fails"


def _causes(spec: QuantitativeAnalyses) -> dict[str, str]:
    k, g = spec.min_cell_size, spec.min_group_size
    return {
        "min_cell_size": f"min_cell_size {k} (a count the value is made of is below {k}, or would give one away; "
                         f"more rows or coarser groups would show it)",
        "min_group_size": f"min_group_size {g} (fewer than {g} rows, too few for a reliable value; "
                          f"`include_suppressed: true` checks it)",
    }


def hidden_strata_reason(spec: QuantitativeAnalyses, hidden: int, observed: int) -> str:
    """Why a conditional gate cannot speak for every stratum: ``hidden`` of the ``observed`` strata
    are hidden by ``min_cell_size`` for a compared group or the reference."""
    return (f"{hidden} of {observed} strata {'is' if hidden == 1 else 'are'} hidden for a compared group or the "
            f"reference: by {_causes(spec)['min_cell_size'].replace('or coarser groups', 'or coarser groups or strata')}"
            f"; the gate cannot check every stratum, so it fails")


def _comparing(spec: QuantitativeAnalyses, ss: SliceSet, gate: Gate, k: MetricKey, row: dict[str, Any],
               left_out: np.ndarray) -> dict[str, Any]:
    ref, _ = reference(spec, ss, ss.over)
    summary, reason = dsp.summarize(ss, gate.metric, left_out,
                                    reference=None if ref is None else (ref if ref >= 0 else -1),
                                    threshold=k[1], class_=k[2])
    if summary is None:
        return {**row, "reason": reason}
    row["groups"] = summary.groups
    stat = summary.difference if gate.kind == "max_difference" else summary.ratio
    if stat is None:
        return {**row, "reason": f"{gate.metric} has no ratio; use max_difference"}
    if gate.use == "estimate":
        value = num(stat[0])
    else:
        if stat.shape[0] <= 1:
            return {**row, "reason": "interval gates need confidence.resamples > 0"}
        lo, hi = ci(stat, spec.confidence.level)
        value = hi if gate.kind == "max_difference" else lo
    if value is None:
        return {**row, "reason": "the compared value is undefined"}
    passed = value <= gate.limit if gate.kind == "max_difference" else value >= gate.limit
    return {**row, "value": value, "passed": bool(passed)}


def _groups(ss: SliceSet, k: MetricKey, left_out: np.ndarray) -> list[int]:
    """The slices a limit applies to: observed, with a value, neither hidden for privacy nor
    suppressed (unless the gate asks for suppressed groups)."""
    out = []
    for i in range(len(ss.keys)):
        if ss.n[i] <= 0 or left_out[i]:
            continue
        if k in ss.draws and num(ss.draws[k][0, i]) is not None:
            out.append(i)
    return out


def _checked(spec: QuantitativeAnalyses, ss: SliceSet, k: MetricKey, i: int, use: str, side: str) -> float | None:
    """A slice's estimate, or the ``side`` (``low``/``high``) end of its interval."""
    if use == "estimate":
        return num(ss.draws[k][0, i])
    lo, hi, _ = interval(ss, k, i, spec.confidence.level)
    return lo if side == "low" else hi


def _limit(spec: QuantitativeAnalyses, ss: SliceSet, gate: Gate, k: MetricKey, row: dict[str, Any],
           left_out: np.ndarray) -> dict[str, Any]:
    groups = _groups(ss, k, left_out)
    if not groups:
        return {**row, "reason": "no group has a value for this metric"}
    side = "low" if gate.kind == "min" else "high"
    checked = [(v, i) for i in groups if (v := _checked(spec, ss, k, i, gate.use, side)) is not None]
    if len(checked) < len(groups):
        return {**row, "groups": len(groups), "reason": "interval gates need intervals (confidence.resamples > 0)"}
    value, worst = min(checked) if gate.kind == "min" else max(checked)
    passed = value >= gate.limit if gate.kind == "min" else value <= gate.limit
    return {**row, "groups": len(groups), "value": value, "passed": bool(passed), "group": ss.keys[worst]}


class Baseline:
    """An earlier results file a gate compares with."""

    def __init__(self, path: Path, display: str):
        import json

        from pydantic import ValidationError

        from .reading import sha256_file

        self.display = display
        self.sha256 = sha256_file(path)
        try:
            self.results = AnalysisResults.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except ValidationError as e:
            raise ValueError("not a model card's results file") from e

    def value(self, evaluation: str | None, slice_: dict[str, str], k: MetricKey) -> float | None:
        row = self._row(evaluation, slice_, k)
        return None if row is None or row.suppressed else row.value

    def hidden(self, evaluation: str | None, slice_: dict[str, str], k: MetricKey) -> bool:
        """Whether the baseline has this group's row but hides its value (suppressed there)."""
        row = self._row(evaluation, slice_, k)
        return row is not None and row.suppressed

    def _row(self, evaluation: str | None, slice_: dict[str, str], k: MetricKey) -> ResultRow | None:
        metric, threshold, class_ = k
        for r in self.results.results:
            if (r.metric == metric and r.slice == slice_ and r.threshold == threshold and r.class_ == class_
                    and r.evaluation == evaluation):
                return r
        return None


def _baseline(spec: QuantitativeAnalyses, ss: SliceSet, gate: Gate, k: MetricKey, row: dict[str, Any],
              baseline: Baseline | None, left_out: np.ndarray) -> dict[str, Any]:
    if baseline is None:
        return {**row, "reason": "the baseline results file could not be read"}
    row = {**row, "baseline": baseline.display, "baseline_sha256": baseline.sha256}
    way = gate.better or direction(gate.metric)
    worst: tuple[float, int, float] | None = None
    compared = 0
    groups = _groups(ss, k, left_out)
    hidden_there = sum(baseline.hidden(row["evaluation"], ss.keys[i], k) for i in groups)
    if hidden_there:
        return {**row, "reason": f"{hidden_there} of {len(groups)} groups {'is' if hidden_there == 1 else 'are'} "
                                 f"hidden in the baseline (suppressed there), so no regression can be ruled out for "
                                 f"{'it' if hidden_there == 1 else 'them'}; the gate cannot check every group, so it "
                                 f"fails"}
    for i in groups:
        old = baseline.value(row["evaluation"], ss.keys[i], k)
        if old is None:
            continue
        change = _regression(spec, ss, k, i, gate.use, way, old)
        if change is None:
            return {**row, "reason": "interval gates need intervals (confidence.resamples > 0)"}
        compared += 1
        if worst is None or change > worst[0]:
            worst = (change, i, old)
    if worst is None:
        return {**row, "reason": "no group has a value both here and in the baseline"}
    change, i, old = worst
    return {**row, "groups": compared, "value": change, "passed": bool(change <= gate.limit), "group": ss.keys[i],
            "baseline_value": old}


def _regression(spec: QuantitativeAnalyses, ss: SliceSet, k: MetricKey, i: int, use: str, way: str,
                old: float) -> float | None:
    """How far a slice moved the wrong way from ``old`` (positive: a regression)."""
    if way == "higher":
        new = _checked(spec, ss, k, i, use, "low")
        return None if new is None else old - new
    if way == "lower":
        new = _checked(spec, ss, k, i, use, "high")
        return None if new is None else new - old
    ends = [_checked(spec, ss, k, i, use, side) for side in ("low", "high")] if use == "interval" else \
        [_checked(spec, ss, k, i, use, "low")]
    if any(e is None for e in ends):
        return None
    return max(abs(e - old) for e in ends if e is not None)
