"""`cardwright diff OLD NEW`: what changed between two versions of a card, numbers first.

The diff is a plain JSON-able mapping (the ``json`` format prints it as is):

* ``metrics``: every metric × slice whose value or interval changed, added or removed, with the
  change, whether the two intervals overlap and ``significant`` (they do not overlap); computed
  results first, then reported ones (``reported: true``, their label naming the dataset);
* ``disparities``: every disparity whose size (absolute difference) changed, ``grew`` flagged
  when it grew by more than the tolerance (bias drift between releases);
* ``gates``: gates that changed status, appeared or disappeared (gates on reported results too,
  ``reported: true``);
* ``slices``: slices added or removed;
* ``fields``: every other field of the card that changed (prose per field), in card order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..schema.results import AnalysisResults, Results

if TYPE_CHECKING:
    from ..schema.card import Card
    from ..schema.reported import ReportedGateResult, ReportedResult
    from ..schema.results import Disparity, GateResult, ResultRow

SCHEMA_VERSION = 1


def _slice_key(s: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(s.items()))


def _slice_label(s: dict[str, str] | None) -> str:
    if not s:
        return "overall"
    return " × ".join(f"{k}={v}" for k, v in s.items())


Scope = tuple[str | None, str | None, float | None]
"""What a row, disparity or gate is about besides its metric and groups: (evaluation, class, threshold)."""
_SCOPE_KEYS = ("evaluation", "class", "threshold")


def _scope(x: ResultRow | Disparity | GateResult) -> Scope:
    return (x.evaluation, x.class_, x.threshold)


def _scope_label(scope: Scope) -> str:
    """`` (evaluation holdout; class setosa; threshold 0.5)``, or nothing for a row without them."""
    words = [f"{k} {v}" for k, v in zip(_SCOPE_KEYS, scope) if v is not None]
    return f" ({'; '.join(words)})" if words else ""


def _scoped(change: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """``change`` with the evaluation, class and threshold it is about (the keys only where set)."""
    change.update({k: v for k, v in zip(_SCOPE_KEYS, scope) if v is not None})
    return change


def _overlap(a: ResultRow | ReportedResult, b: ResultRow | ReportedResult) -> bool | None:
    if a.ci_low is None or a.ci_high is None or b.ci_low is None or b.ci_high is None:
        return None
    return max(a.ci_low, b.ci_low) <= min(a.ci_high, b.ci_high)


def _row(r: ResultRow | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high, "n": r.n, "suppressed": r.suppressed}


def metric_changes(old: AnalysisResults | None, new: AnalysisResults | None) -> list[dict[str, Any]]:
    olds = {(r.metric, _slice_key(r.slice), *_scope(r)): r for r in (old.results if old else [])}
    news = {(r.metric, _slice_key(r.slice), *_scope(r)): r for r in (new.results if new else [])}
    order = list(news) + [k for k in olds if k not in news]
    out = []
    for key in order:
        a, b = olds.get(key), news.get(key)
        if a is not None and b is not None and _row(a) == _row(b):
            continue
        change: dict[str, Any] = {
            "metric": key[0],
            "slice": dict(key[1]),
            "label": _slice_label(dict(key[1])) + _scope_label(key[2:]),
            "status": "added" if a is None else "removed" if b is None else "changed",
            "old": _row(a),
            "new": _row(b),
            "delta": None,
            "overlap": None,
            "significant": None,
        }
        if a is not None and b is not None:
            if a.value is not None and b.value is not None:
                change["delta"] = b.value - a.value
            change["overlap"] = _overlap(a, b)
            change["significant"] = None if change["overlap"] is None else not change["overlap"]
        out.append(_scoped(change, key[2:]))
    out.sort(key=lambda c: (bool(c["slice"]), len(c["slice"])))  # overall first, then by depth (stable)
    return out


def _reported_rows(card: Card) -> list[ReportedResult]:
    section = card.reported_results if card.kind == "model-card" else None
    return list(section.results) if section is not None else []


def _reported_row(r: ReportedResult | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"value": r.number, "text": None if r.number is not None else str(r.value), "ci_low": r.ci_low,
            "ci_high": r.ci_high, "n": r.n, "suppressed": False}


def reported_metric_changes(old_card: Card, new_card: Card) -> list[dict[str, Any]]:
    """Changes of reported results, matched by what identifies them (metric, slice, dataset, task,
    source, settings)."""
    olds = {r.key: r for r in _reported_rows(old_card)}
    news = {r.key: r for r in _reported_rows(new_card)}
    out = []
    for key in list(news) + [k for k in olds if k not in news]:
        a, b = olds.get(key), news.get(key)
        if a is not None and b is not None and _reported_row(a) == _reported_row(b):
            continue
        r = b if b is not None else a
        assert r is not None
        where = f"reported on {r.dataset.name}" if r.dataset else "reported"
        change: dict[str, Any] = {
            "metric": r.metric, "slice": dict(r.slice), "label": f"{_slice_label(r.slice)} · {where}",
            "status": "added" if a is None else "removed" if b is None else "changed",
            "old": _reported_row(a), "new": _reported_row(b), "delta": None, "overlap": None, "significant": None,
            "reported": True,
        }
        if a is not None and b is not None:
            if a.number is not None and b.number is not None:
                change["delta"] = b.number - a.number
            change["overlap"] = _overlap(a, b)
            change["significant"] = None if change["overlap"] is None else not change["overlap"]
        out.append(change)
    return out


def reported_gate_changes(old_card: Card, new_card: Card) -> list[dict[str, Any]]:
    from .._compute.reported import reported_gate_results

    def key(g: ReportedGateResult) -> tuple[Any, ...]:
        return (g.metric, tuple(g.over), g.dataset, g.kind, g.limit, g.use)

    olds = {key(g): g for g in reported_gate_results(old_card)}
    news = {key(g): g for g in reported_gate_results(new_card)}
    out = []
    for k in list(news) + [k for k in olds if k not in news]:
        a, b = olds.get(k), news.get(k)
        if a is not None and b is not None and a.passed == b.passed and a.value == b.value:
            continue
        out.append({
            "metric": k[0], "over": list(k[1]), "kind": k[3], "limit": k[4], "status": _gate_status(a, b),
            "old": None if a is None else {"passed": a.passed, "value": a.value},
            "new": None if b is None else {"passed": b.passed, "value": b.value},
            "reported": True, "dataset": k[2], "severity": b.severity if b is not None else a.severity if a else "error",
        })
    return out


def _gate_status(a: GateResult | ReportedGateResult | None, b: GateResult | ReportedGateResult | None) -> str:
    if a is None:
        assert b is not None  # a gate in one of the two
        return "added-failed" if not b.passed else "added"
    if b is None:
        return "removed"
    if a.passed and not b.passed:
        return "now-failing"
    if b.passed and not a.passed:
        return "now-passing"
    return "value-changed"


def _disparity_key(d: Disparity) -> tuple[Any, ...]:
    return (d.metric, tuple(d.over), d.comparison, _slice_key(d.group) if d.group is not None else None, *_scope(d))


def disparity_changes(old: AnalysisResults | None, new: AnalysisResults | None, tolerance: float) -> list[dict[str, Any]]:
    # Only the headline row of each metric × factor (between-groups, or the to-reference summary
    # holding the largest difference): per-group rows would bury the drift in noise.
    olds = {_disparity_key(d): d for d in (old.disparities if old else []) if d.group is None}
    news = {_disparity_key(d): d for d in (new.disparities if new else []) if d.group is None}
    out = []
    for key in list(news) + [k for k in olds if k not in news]:
        a, b = olds.get(key), news.get(key)
        va = abs(a.difference) if a is not None and a.difference is not None else None
        vb = abs(b.difference) if b is not None and b.difference is not None else None
        if a is not None and b is not None and va == vb and a.ratio == b.ratio:
            continue
        growth = vb - va if va is not None and vb is not None else None
        out.append(_scoped({
            "metric": key[0],
            "over": list(key[1]),
            "comparison": key[2],
            "group": dict(key[3]) if key[3] is not None else None,
            "label": " × ".join(key[1]) + (f" ({_slice_label(dict(key[3]))})" if key[3] else "") + _scope_label(key[4:]),
            "status": "added" if a is None else "removed" if b is None else "changed",
            "old": None if a is None else {"difference": a.difference, "ratio": a.ratio, "ci_low": a.ci_low, "ci_high": a.ci_high},
            "new": None if b is None else {"difference": b.difference, "ratio": b.ratio, "ci_low": b.ci_low, "ci_high": b.ci_high},
            "growth": growth,
            "grew": growth is not None and growth > tolerance,
        }, key[4:]))
    return out


def gate_changes(old: AnalysisResults | None, new: AnalysisResults | None) -> list[dict[str, Any]]:
    def key(g: GateResult) -> tuple[Any, ...]:
        return (g.metric, tuple(g.over), g.kind, g.limit, g.use, *_scope(g))

    olds = {key(g): g for g in (old.gates if old else [])}
    news = {key(g): g for g in (new.gates if new else [])}
    out = []
    for k in list(news) + [k for k in olds if k not in news]:
        a, b = olds.get(k), news.get(k)
        if a is not None and b is not None and a.passed == b.passed and a.value == b.value:
            continue
        status = _gate_status(a, b)
        out.append(_scoped({
            "metric": k[0], "over": list(k[1]), "kind": k[2], "limit": k[3], "status": status,
            "old": None if a is None else {"passed": a.passed, "value": a.value},
            "new": None if b is None else {"passed": b.passed, "value": b.value},
        }, k[5:]))
    return out


def slice_changes(old: AnalysisResults | None, new: AnalysisResults | None) -> dict[str, list[dict[str, str]]]:
    olds = {_slice_key(s.slice) for s in (old.slices if old else [])}
    news = {_slice_key(s.slice) for s in (new.slices if new else [])}
    return {"added": [dict(k) for k in sorted(news - olds)], "removed": [dict(k) for k in sorted(olds - news)]}


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}.{i}", out)
    elif value is not None and value != [] and value != {}:
        out[prefix] = value


def field_changes(old_card: Card, new_card: Card) -> list[dict[str, Any]]:
    def flat(card: Card) -> dict[str, Any]:
        out: dict[str, Any] = {}
        # reported results are compared as metrics, not as fields
        _flatten(card.model_dump(mode="json", by_alias=True, exclude={"schema_ref", "reported_results"}), "", out)
        section = card.model_dump(mode="json", include={"reported_results"}).get("reported_results")
        if section:
            _flatten({k: v for k, v in section.items() if k != "results"}, "reported_results", out)
        return out

    a, b = flat(old_card), flat(new_card)
    out = []
    for key in list(b) + [k for k in a if k not in b]:
        if a.get(key) == b.get(key):
            continue
        old_v, new_v = a.get(key), b.get(key)
        out.append({
            "field": key,
            "status": "added" if key not in a else "removed" if key not in b else "changed",
            "old": old_v,
            "new": new_v,
            "prose": any(isinstance(v, str) and (len(v) > 80 or "\n" in v) for v in (old_v, new_v)),
        })
    return out


def diff_cards(old_card: Card, new_card: Card, old_results: Results | None = None, new_results: Results | None = None,
               *, tolerance: float = 0.0) -> dict[str, Any]:
    """The diff of two loaded cards and their results (``None`` when not computed)."""
    oa = old_results if isinstance(old_results, AnalysisResults) else None
    na = new_results if isinstance(new_results, AnalysisResults) else None
    gates = gate_changes(oa, na) + reported_gate_changes(old_card, new_card)
    disparities = disparity_changes(oa, na, tolerance)
    regressions = [f"gate {'on reported ' if g.get('reported') else ''}{g['metric']}"
                   f"{' over ' + ' × '.join(g['over']) if g['over'] else ''}"
                   f"{_scope_label((g.get('evaluation'), g.get('class'), g.get('threshold')))} now fails" for g in gates
                   if g["status"] in ("now-failing", "added-failed") and g.get("severity", "error") == "error"]
    regressions += [f"disparity in {d['metric']} over {d['label']} grew by {d['growth']:.4g}" for d in disparities if d["grew"]]
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": new_card.kind,
        "old": {"name": _name(old_card), "version": _version(old_card), "results": old_results is not None},
        "new": {"name": _name(new_card), "version": _version(new_card), "results": new_results is not None},
        "tolerance": tolerance,
        "metrics": metric_changes(oa, na) + reported_metric_changes(old_card, new_card),
        "disparities": disparities,
        "gates": gates,
        "slices": slice_changes(oa, na),
        "fields": field_changes(old_card, new_card),
        "regressions": regressions,
    }


def _name(card: Card) -> str:
    return card.model_details.name if card.kind == "model-card" else card.dataset.name


def _version(card: Card) -> str | None:
    return card.model_details.version if card.kind == "model-card" else card.dataset.version


def diff_paths(old: str, new: str, *, tolerance: float = 0.0) -> dict[str, Any]:
    """Load ``old`` and ``new`` (files, or ``REV:path`` from git) and diff them."""
    from .. import load_results
    from .revisions import load_side

    with contextlib.ExitStack() as stack:
        a = load_side(old, stack)
        b = load_side(new, stack)
        ra, rb = _results(a, load_results), _results(b, load_results)
        return diff_cards(a, b, ra, rb, tolerance=tolerance)


def _results(card: Card, load_results: Callable[[Card], Results | None]) -> Results | None:
    return load_results(card) if card.computation is not None else None
