"""Cross-field checks of a model card's quantitative analyses: every evaluation's columns, metrics
and gates fit its task, names and factors refer to something that exists, and a list of
evaluations has unique names.  Each finding is positioned at the key it is about."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .analysis import QuantitativeAnalyses
from .explain_checks import explain_checks
from .gates import COMPARING, Gate
from .metric_names import (
    BINARY,
    BINARY_SCORE_METRICS,
    DISPARITY_NAMES,
    MULTICLASS,
    NO_RATIO,
    PER_CLASS_METRICS,
    REGRESSION,
    SCORED,
    TASK_METRICS,
    threshold_dependent,
)
from .yaml_loader import Loc

Add = Callable[..., None]
"""``add(loc, code, message, hint=None, severity="error")``: record a positioned finding."""
PathCheck = Callable[[Loc, str], Path | None]
"""``check(loc, relative)``: the path resolved inside the card's folder tree, or ``None`` (with a finding)."""


def evaluation_checks(qa: QuantitativeAnalyses, base: Loc, declared: set[str], add: Add,
                      check_path: PathCheck) -> None:
    """Every check of one evaluation written at ``base`` in the card."""
    _factor_checks(qa, base, declared, add)
    _data_checks(qa, base, add)
    _metric_checks(qa, base, add)
    combos = _computed_intersections(qa, base, add)
    for i, gate in enumerate(qa.gates):
        _gate_checks(qa, gate, (*base, "gates", i), combos, add, check_path)
    if qa.data is not None:
        check_path((*base, "data", "path"), qa.data.path)
    explain_checks(qa, base, add, check_path)


def list_checks(evaluations: Sequence[QuantitativeAnalyses], base: Loc, add: Add) -> None:
    """Names unique within the card; one results file for all evaluations."""
    seen: dict[str, int] = {}
    for i, ev in enumerate(evaluations):
        name = ev.name or ""
        if name in seen:
            add((*base, i, "name"), "invalid-value", f"evaluation name {name!r} is used twice (also evaluation {seen[name] + 1})",
                "give every evaluation its own name: results rows are told apart by it")
        seen.setdefault(name, i)
    first = next((ev.results for ev in evaluations if ev.results), None)
    for i, ev in enumerate(evaluations):
        if ev.results and ev.results != first:
            add((*base, i, "results"), "invalid-value", "the evaluations of a card share one results file, "
                f"but this one names {ev.results!r} and an earlier one {first!r}",
                "give `results:` once, or the same file in every evaluation")
            break


def _factor_checks(qa: QuantitativeAnalyses, base: Loc, declared: set[str], add: Add) -> None:
    names = qa.factor_names
    for i, name in enumerate(names):
        if name in names[:i]:
            add((*base, "factors", i), "invalid-value", f"factor {name!r} is listed twice")
    for factor in qa.reference_groups:
        if factor not in names:
            add((*base, "reference_groups", factor), "unknown-factor",
                f"reference group given for {factor!r}, which is not a factor",
                hint=f"factors: {', '.join(names) or '(none)'}")
    for i, name in enumerate(names):
        if name not in declared:
            add((*base, "factors", i), "undeclared-factor",
                f"factor {name!r} is computed but not described under factors.evaluation_factors",
                hint="describe it there so readers know what it is and why it was chosen", severity="warning")


def _computed_intersections(qa: QuantitativeAnalyses, base: Loc, add: Add) -> set[frozenset[str]]:
    names = qa.factor_names
    known = set(names)
    combos: set[frozenset[str]] = set()
    if qa.intersections == "all":
        combos = {frozenset(c) for r in range(2, len(names) + 1) for c in itertools.combinations(names, r)}
    elif isinstance(qa.intersections, list):
        for i, combo in enumerate(qa.intersections):
            loc = (*base, "intersections", i)
            unknown = [f for f in combo if f not in known]
            if unknown:
                add(loc, "unknown-factor", f"intersection names {unknown[0]!r}, which is not a factor",
                    hint=f"factors: {', '.join(names) or '(none)'}")
            elif len(set(combo)) < 2:
                add(loc, "invalid-value", "an intersection needs two or more different factors")
            combos.add(frozenset(combo))
    return combos


#: Columns (and settings) each task reads from `data`, besides those of every task (path, format,
#: delimiter and the data preparation: filter, na_values, strip_whitespace).
_USES: dict[str, set[str]] = {
    BINARY: {"label", "prediction", "score", "threshold", "thresholds", "positive_label", "weight"},
    MULTICLASS: {"label", "prediction", "class_scores", "weight"},
    REGRESSION: {"label", "prediction", "weight"},
    SCORED: {"score", "pass_threshold", "weight"},
}


def _data_checks(qa: QuantitativeAnalyses, base: Loc, add: Add) -> None:
    data = qa.data
    if data is None:
        return
    at: Loc = (*base, "data")
    every_task = {"path", "format", "delimiter", "filter", "na_values", "strip_whitespace"}
    for key in sorted(data.model_fields_set - _USES[qa.task] - every_task):
        value = getattr(data, key)
        if value is not None:
            add((*at, key), "invalid-value", f"`{key}` is not used by a {qa.task} evaluation",
                f"a {qa.task} evaluation reads: {', '.join(sorted(_USES[qa.task]))}")
    if qa.task != SCORED and data.label is None:
        add((*at,), "missing-field", f"missing required field `{'.'.join(map(str, at))}.label`",
            "add `label:` here: the column holding the true label")
    if qa.task == BINARY:
        _binary_data(qa, at, add)
    elif qa.task == MULTICLASS and data.prediction is None and data.class_scores is None:
        add(at, "missing-field", f"`{'.'.join(map(str, at))}`: give `prediction`, or `class_scores` (the "
            "prediction is then the class with the highest score)")
    elif qa.task == REGRESSION and data.prediction is None:
        add(at, "missing-field", f"missing required field `{'.'.join(map(str, at))}.prediction`",
            "add `prediction:` here: the column holding the predicted value")
    elif qa.task == SCORED and data.score is None:
        add(at, "missing-field", f"missing required field `{'.'.join(map(str, at))}.score`",
            "add `score:` here: the column holding each item's score (a number or a boolean)")


def _binary_data(qa: QuantitativeAnalyses, at: Loc, add: Add) -> None:
    data = qa.data
    assert data is not None
    dotted = ".".join(map(str, at))
    if data.thresholds is not None:
        if data.threshold is not None:
            add((*at, "thresholds"), "invalid-value", "give `threshold` or `thresholds`, not both",
                "list every operating point under `thresholds`")
        if data.prediction is not None:
            add((*at, "thresholds"), "invalid-value", "`thresholds` turns scores into predictions, so "
                "`prediction` must not be given too", "remove `prediction`, or `thresholds`")
        if data.score is None:
            add((*at, "thresholds"), "missing-field", "`thresholds` needs scores, but `data.score` is not given",
                "name the score column in `data.score`")
    elif data.prediction is None and (data.score is None or data.threshold is None):
        add(at, "missing-field", f"`{dotted}`: give `prediction`, or both `score` and `threshold`, so predictions are known")


def _metric_checks(qa: QuantitativeAnalyses, base: Loc, add: Add) -> None:
    allowed = TASK_METRICS[qa.task]
    for i, metric in enumerate(qa.metrics):
        at = (*base, "metrics", i)
        if qa.task == MULTICLASS and metric in PER_CLASS_METRICS:
            add(at, "unknown-metric", f"{metric!r} has one value per class in a multiclass evaluation",
                f"remove {metric} from `metrics`: `per_class: true` already reports precision, recall and f1 of "
                f"every class (or use macro_{metric})" if qa.per_class else
                f"set `per_class: true` for per-class precision, recall and f1, or use macro_{metric}")
        elif metric not in allowed:
            close = difflib.get_close_matches(metric, allowed, n=1, cutoff=0.6)
            add(at, "unknown-metric", f"{metric!r} is not a metric of a {qa.task} evaluation",
                f"did you mean {close[0]!r}?" if close else f"{qa.task} metrics: {', '.join(allowed)}")
    if qa.per_class and qa.task != MULTICLASS:
        add((*base, "per_class"), "invalid-value", "`per_class` is for multiclass-classification evaluations")
    data = qa.data
    if data is None:
        return
    if qa.task == BINARY and data.score is None:
        for i, metric in enumerate(qa.metrics):
            if metric in BINARY_SCORE_METRICS:
                where = (*base, "metrics") if metric == "roc_auc" else (*base, "metrics", i)
                add(where, "invalid-value", f"`{metric}` needs scores, but `data.score` is not given",
                    hint=f"name the score column in `data.score`, or drop {metric}")
    if qa.task == MULTICLASS and "top_k_accuracy" in qa.metrics and data.class_scores is None:
        at = (*base, "metrics", qa.metrics.index("top_k_accuracy"))
        add(at, "invalid-value", "`top_k_accuracy` needs a score column per class, but `data.class_scores` "
            "is not given", "add `class_scores: {class: column, ...}` under data, or drop top_k_accuracy")


def _gate_checks(qa: QuantitativeAnalyses, gate: Gate, loc: Loc, combos: set[frozenset[str]], add: Add,
                 check_path: PathCheck) -> None:
    names = qa.factor_names
    measures = DISPARITY_NAMES if qa.task == BINARY else ()
    if gate.metric not in qa.metrics and gate.metric not in measures and not (
            qa.per_class and gate.metric in PER_CLASS_METRICS):
        add((*loc, "metric"), "unknown-metric", f"gate metric {gate.metric!r} is not computed",
            hint="add it to `metrics`" + (f", or use one of: {', '.join(measures)}" if measures else ""))
    if gate.metric in measures and gate.kind not in COMPARING:
        add((*loc, "metric"), "invalid-value", f"{gate.metric!r} compares groups, so its gate needs "
            "`max_difference` or `min_ratio`", "gate a plain metric with `min`, `max` or `baseline`")
    if gate.kind == "min_ratio" and gate.metric in NO_RATIO:
        add((*loc, "min_ratio"), "invalid-value", f"{gate.metric!r} has no meaningful ratio between groups",
            "use `max_difference`")
    unknown = [f for f in gate.over if f not in names]
    if unknown:
        add((*loc, "over"), "unknown-factor", f"gate is over {unknown[0]!r}, which is not a factor",
            hint=f"factors: {', '.join(names) or '(none)'}")
    elif len(gate.over) > 1 and frozenset(gate.over) not in combos:
        add((*loc, "over"), "unknown-factor",
            f"gate is over the intersection {' × '.join(gate.over)}, which is not computed",
            hint="add it to `intersections` (or use `intersections: all`)")
    _gate_operating_point(qa, gate, loc, add)
    if gate.baseline is not None:
        target = check_path((*loc, "baseline"), gate.baseline)
        if target is not None:
            _baseline_checks(qa, gate, target, (*loc, "baseline"), add)


def _baseline_checks(qa: QuantitativeAnalyses, gate: Gate, target: Path, loc: Loc, add: Add) -> None:
    """The baseline is a readable results file holding this evaluation."""
    import json

    from pydantic import ValidationError

    if not target.is_file():
        add(loc, "invalid-value", f"the baseline results file {gate.baseline!r} does not exist",
            "point `baseline` at a results file written by `cardwright compute` (relative to this card)")
        return
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        if not _as_written(data):
            from .results import AnalysisResults  # the results models only for a file not as written

            AnalysisResults.model_validate(data)
    except (OSError, ValueError, ValidationError):
        add(loc, "invalid-value", f"{gate.baseline!r} is not a model card's results file",
            "point `baseline` at a results file written by `cardwright compute`")
        return
    evaluations = data.get("evaluations")
    names = [e["name"] for e in evaluations if isinstance(e, dict) and isinstance(e.get("name"), str)] \
        if isinstance(evaluations, list) else []
    if names and qa.name not in names:
        add(loc, "unknown-evaluation", f"the baseline {gate.baseline!r} has no evaluation named {qa.name!r}",
            f"its evaluations: {', '.join(names)}")


def _as_written(data: Any) -> bool:
    """A model card's results file sealed as cardwright writes it (so its shape was checked when
    it was written; the full check of an unsealed or edited one builds the results models)."""
    from .sealing import is_sealed

    return is_sealed(data) and data.get("kind") == "quantitative-analyses" and all(
        isinstance(data.get(k), list) for k in ("slices", "results", "disparities", "gates")) and \
        isinstance(data.get("provenance"), dict) and isinstance(data.get("evaluations") or [], list)


def _gate_operating_point(qa: QuantitativeAnalyses, gate: Gate, loc: Loc, add: Add) -> None:
    """A per-class metric needs its class; with several thresholds, a threshold-dependent metric
    needs its threshold."""
    if qa.task == MULTICLASS and gate.metric in PER_CLASS_METRICS and gate.class_ is None:
        add(loc, "missing-field", f"the gate on the per-class metric {gate.metric!r} needs `class`",
            "add `class: <label>` to the gate")
    if gate.class_ is not None and not (qa.task == MULTICLASS and gate.metric in PER_CLASS_METRICS):
        add((*loc, "class"), "invalid-value", "`class` is for gates on the per-class metrics of a multiclass evaluation")
    thresholds = qa.data.thresholds if qa.data is not None else None
    dependent = threshold_dependent(qa.task, gate.metric)
    if gate.threshold is not None:
        if not dependent:
            add((*loc, "threshold"), "invalid-value", f"{gate.metric!r} does not depend on a threshold")
        elif thresholds is None or gate.threshold not in thresholds:
            add((*loc, "threshold"), "invalid-value", f"threshold {gate.threshold:g} is not one of `data.thresholds`",
                f"thresholds: {', '.join(f'{t:g}' for t in thresholds or [])}" if thresholds else
                "list the operating points under `data.thresholds`")
    elif dependent and thresholds is not None and len(thresholds) > 1:
        add(loc, "missing-field", f"the evaluation reports {gate.metric!r} at {len(thresholds)} thresholds: "
            "say which one the gate checks", "add `threshold: <one of data.thresholds>` to the gate")
