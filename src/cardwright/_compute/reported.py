"""Gates on reported results: the card's ``reported_results.gates`` judged against the values
the card reports (nothing is read from data).

* ``min`` / ``max``: every matching value (on the slices of ``over``'s groups, or on whole
  datasets when ``over`` is empty) must be at least / at most the limit; the worst decides.
* ``max_difference`` / ``min_ratio``: within each dataset, task and source, the groups of
  ``over`` are compared (highest minus lowest, lowest over highest); the worst comparison decides.
* ``use: interval`` compares the unfavourable end of each value's interval instead.

A gate speaks for every matching result, as a computed gate speaks for every group (see
:mod:`.gates`): when a matching result has no numeric value (the source gave text, such as
``"92.1 ± 0.3"`` or ``"n/a"``) — or, with ``use: interval``, no interval — the gate cannot check it
and fails, whatever the others show, with a reason saying how many of the matching results lack
one and naming them (reported values are public: naming them helps fix the card).  A gate that
matches no result at all fails too, with the reason.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING

from ..schema.reported import ReportedGate, ReportedGateResult, ReportedResult

if TYPE_CHECKING:
    from ..schema.card import Card


def _matches(gate: ReportedGate, row: ReportedResult) -> bool:
    if row.metric != gate.metric or set(row.slice) != set(gate.over):
        return False
    if gate.dataset is None:
        return True
    return row.dataset is not None and gate.dataset in (row.dataset.name, row.dataset.id)


def _bound(gate: ReportedGate, row: ReportedResult, favourable_high: bool) -> float | None:
    """The value a gate compares: the estimate, or the unfavourable end of the interval."""
    if gate.use == "estimate":
        return row.number
    if row.ci_low is None or row.ci_high is None:
        return None
    return row.ci_low if favourable_high else row.ci_high


def _outcome(gate: ReportedGate, value: float | None, passed: bool, groups: int, *,
             worst: dict[str, str] | None = None, reason: str | None = None) -> ReportedGateResult:
    return ReportedGateResult(metric=gate.metric, over=list(gate.over), dataset=gate.dataset, kind=gate.kind,
                              limit=gate.limit, use=gate.use, severity=gate.severity, value=value, passed=passed,
                              groups=groups, worst=worst, reason=reason)


def _usable(gate: ReportedGate, row: ReportedResult) -> bool:
    """Whether ``row`` has what the gate compares: a number, and with ``use: interval`` an interval."""
    if gate.use == "interval":
        return row.ci_low is not None and row.ci_high is not None
    return row.number is not None


def _described(row: ReportedResult) -> str:
    """A matching result in words: its group (or the whole dataset), its data, what it reports."""
    who = ", ".join(f"{k}={v}" for k, v in sorted(row.slice.items())) or "whole dataset"
    where = f" of {row.dataset.name}" if row.dataset is not None else ""
    return f"{who}{where} ({json.dumps(row.value, ensure_ascii=False)})"


def _unchecked(gate: ReportedGate, rows: list[ReportedResult]) -> ReportedGateResult | None:
    """The failed outcome when a matching result lacks what the gate compares, else ``None``."""
    lacking = [r for r in rows if not _usable(gate, r)]
    if not lacking or len(lacking) == len(rows):
        return None
    what = "interval (`ci_low`, `ci_high`)" if gate.use == "interval" else "numeric value"
    n = len(lacking)
    return _outcome(gate, None, False, len(rows) - n, reason=(
        f"{n} of {len(rows)} matching results {'has' if n == 1 else 'have'} no {what}: "
        f"{'; '.join(_described(r) for r in lacking)}; the gate cannot check every group, so it fails"))


def _absolute(gate: ReportedGate, rows: list[ReportedResult]) -> ReportedGateResult:
    high = gate.kind == "min"
    values = [(v, r) for r in rows if (v := _bound(gate, r, high)) is not None]
    if not values:
        why = "no matching value has an interval" if rows and gate.use == "interval" else "no numeric value matches"
        return _outcome(gate, None, False, 0, reason=why)
    unchecked = _unchecked(gate, rows)
    if unchecked is not None:
        return unchecked
    value, row = min(values, key=lambda p: p[0]) if high else max(values, key=lambda p: p[0])
    passed = value >= gate.limit if high else value <= gate.limit
    return _outcome(gate, value, passed, len(values), worst=dict(row.slice))


def _between(gate: ReportedGate, rows: list[ReportedResult]) -> ReportedGateResult:
    usable = [r for r in rows if _usable(gate, r)]
    by_context: dict[tuple[object, ...], list[ReportedResult]] = defaultdict(list)
    for r in usable:
        by_context[r.context].append(r)
    unchecked = _unchecked(gate, rows)
    if unchecked is not None:
        return unchecked
    if not any(len(group) >= 2 for group in by_context.values()):
        return _outcome(gate, None, False, 0, reason="fewer than two groups with numeric values to compare"
                        if gate.use == "estimate" else "fewer than two groups with intervals to compare")
    worst: float | None = None
    compared = 0
    for group in by_context.values():
        if len(group) < 2:
            continue
        if gate.use == "interval":
            top = max(r.ci_high for r in group if r.ci_high is not None)  # the widest gap the intervals allow
            bottom = min(r.ci_low for r in group if r.ci_low is not None)
        else:
            nums = [n for r in group if (n := r.number) is not None]
            top, bottom = max(nums), min(nums)
        compared += len(group)
        if gate.kind == "max_difference":
            value = top - bottom
            worst = value if worst is None else max(worst, value)
        else:
            value = bottom / top if top else (1.0 if bottom == top else 0.0)
            worst = value if worst is None else min(worst, value)
    assert worst is not None
    passed = worst <= gate.limit if gate.kind == "max_difference" else worst >= gate.limit
    return _outcome(gate, worst, passed, compared)


def evaluate_gate(gate: ReportedGate, results: list[ReportedResult]) -> ReportedGateResult:
    rows = [r for r in results if _matches(gate, r)]
    if gate.kind in ("min", "max"):
        return _absolute(gate, rows)
    return _between(gate, rows)


def reported_gate_results(card: Card) -> list[ReportedGateResult]:
    """The outcome of every gate in the card's ``reported_results`` (none for a datasheet)."""
    if card.kind != "model-card" or card.reported_results is None:
        return []
    section = card.reported_results
    return [evaluate_gate(g, section.results) for g in section.gates]
