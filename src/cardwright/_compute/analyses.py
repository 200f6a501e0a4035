"""A model card's quantitative analyses: count once, estimate, resample, compare, gate — for one
evaluation, or for each of a list of named evaluations into one results file."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, DataPathError, Finding
from ..schema.analysis import NamedEvaluation, QuantitativeAnalyses
from ..schema.metric_names import BINARY, MULTICLASS, PER_CLASS_METRICS, SCORED
from ..schema.results import AnalysisResults
from . import disparities as dsp
from .card_checks import check_references
from .comparisons import disparity_rows
from .counts import CountTable
from .filtering.prepare import FilterError
from .gates import Baseline, gate_over, gate_row
from .provenance import provenance
from .reading import Locate
from .rows import calibration_rows, metric_keys, result_row, settings, slice_rows, thresholds

if TYPE_CHECKING:
    from .slice_privacy import Shield
    from .slices import SliceSet


def slice_sets(spec: QuantitativeAnalyses) -> list[tuple[str, ...]]:
    """Overall, each factor, then the intersections the card asks for (and those gates need)."""
    names = spec.factor_names
    overs: list[tuple[str, ...]] = [(), *((n,) for n in names)]
    if spec.intersections == "all":
        for k in range(2, len(names) + 1):
            overs += list(itertools.combinations(names, k))
    elif isinstance(spec.intersections, list):
        overs += [tuple(n for n in names if n in combo) for combo in spec.intersections]
    overs += [tuple(n for n in names if n in g.over) for g in spec.gates]
    return list(dict.fromkeys(o for o in overs if len(o) == len(set(o))))


def _default_locate(display: str) -> Locate:
    def at(_key: tuple[str | int, ...], message: str, hint: str) -> DataError:
        return DataError(Finding(display, "data-error", message, hint=hint))

    return at


def wanted_metrics(spec: QuantitativeAnalyses) -> list[str]:
    """Every metric the slices need: the card's, the gates', and for binary classification the
    rates the fairness measures compare; ``count`` last."""
    gates = [m for g in spec.gates for m in dsp.needed_metrics(g.metric)]
    extra = ["selection_rate", "recall", "false_positive_rate"] if spec.task == BINARY else []
    wanted = list(dict.fromkeys([m for m in spec.metrics if m != "count"] + extra + gates))
    if spec.task == MULTICLASS:
        wanted = [m for m in wanted if m not in PER_CLASS_METRICS]
    return [*wanted, "count"]


@dataclass
class Parts:
    """One evaluation's share of a results file."""

    provenance: dict[str, Any]
    settings: dict[str, Any]
    slices: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    disparities: list[dict[str, Any]] = field(default_factory=list)
    gates: list[dict[str, Any]] = field(default_factory=list)
    unobserved: list[Any] = field(default_factory=list)
    calibration: list[dict[str, Any]] = field(default_factory=list)
    conditional: list[dict[str, Any]] | None = None


def compute_analyses(
    spec: QuantitativeAnalyses,
    source: Any = None,
    *,
    base_dir: Path | None = None,
    locate: Locate | None = None,
    progress: bool = False,
    max_groups: int | None = None,
    engine: str | None = None,
    session: Any = None,
) -> AnalysisResults:
    """Compute ``spec`` from ``source``: a path, a pandas DataFrame, a pyarrow Table or a Spark
    DataFrame (``None``: what ``spec.data.path`` names, relative to ``base_dir``).  ``engine``
    overrides ``spec.engine``; ``session`` is the SparkSession the spark engine uses.  ``locate``
    makes errors positioned at keys of ``spec`` (e.g. ``("data", "label")``)."""
    parts = evaluate_one(spec, source, base_dir=base_dir, locate=locate, progress=progress, max_groups=max_groups,
                         engine=engine, session=session, name=None)
    data = _document(parts)
    return AnalysisResults.model_validate(data)


def compute_evaluations(
    evaluations: list[NamedEvaluation],
    source: Any = None,
    *,
    base_dir: Path | None = None,
    locate: Locate | None = None,
    progress: bool = False,
    max_groups: int | None = None,
    engine: str | None = None,
    session: Any = None,
) -> AnalysisResults:
    """Compute each of a list of named evaluations into one results file; ``locate`` takes keys
    starting with the evaluation's index."""
    parts = []
    for i, spec in enumerate(evaluations):
        at = None if locate is None else _prefixed(locate, i)
        try:
            parts.append(evaluate_one(spec, source, base_dir=base_dir, locate=at, progress=progress,
                                      max_groups=max_groups, engine=engine, session=session, name=spec.name))
        except FilterError as e:
            e.evaluation = i
            raise
    engines = list(dict.fromkeys(p.provenance["engine"] for p in parts))
    envelope = provenance(data_path=None, base_dir=base_dir, sha256=None,
                          rows_read=sum(p.provenance["rows_read"] for p in parts),
                          rows_used=sum(p.provenance["rows_used"] for p in parts),
                          dropped=_summed(p.provenance["rows_dropped"] for p in parts),
                          spec=evaluations, engine=", ".join(engines))
    envelope["bytes"] = None
    data = _document(Parts(envelope, {}), list_of=parts, names=[e.name for e in evaluations],
                     tasks=[e.task for e in evaluations])
    return AnalysisResults.model_validate(data)


def _prefixed(locate: Locate, i: int) -> Locate:
    def at(key: tuple[str | int, ...], message: str, hint: str) -> DataError:
        return locate((i, *key), message, hint)

    return at


def _summed(dicts: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return out


def _document(parts: Parts, *, list_of: list[Parts] | None = None, names: list[str] | None = None,
              tasks: list[str] | None = None) -> dict[str, Any]:
    if list_of is None:
        data: dict[str, Any] = {
            "provenance": parts.provenance, "settings": parts.settings, "slices": parts.slices,
            "results": parts.results, "disparities": parts.disparities, "gates": parts.gates,
            "unobserved": parts.unobserved,
        }
        if parts.calibration:
            data["calibration"] = parts.calibration
        if parts.conditional is not None:
            data["conditional_disparities"] = parts.conditional
        return data
    assert names is not None and tasks is not None
    data = {"provenance": parts.provenance, "settings": None,
            "evaluations": [{"name": n, "task": t, "provenance": p.provenance, "settings": p.settings}
                            for n, t, p in zip(names, tasks, list_of)]}
    for key in ("slices", "results", "disparities", "gates", "unobserved", "calibration"):
        data[key] = [row for p in list_of for row in getattr(p, key)]
    if not data["calibration"]:
        data["calibration"] = None
    return data


def evaluate_one(spec: QuantitativeAnalyses, source: Any, *, base_dir: Path | None, locate: Locate | None,
                 progress: bool, max_groups: int | None, engine: str | None, session: Any,
                 name: str | None) -> Parts:
    """Count, estimate, compare and gate one evaluation."""
    if spec.data is None:
        raise DataError(Finding("<card>", "data-error", "quantitative_analyses has no `data:`",
                                hint="name the evaluation file under quantitative_analyses.data"))
    from . import engines

    base = base_dir or Path.cwd()
    try:
        inp = engines.resolve(source, spec.data.path, spec.data.format, base)
    except DataPathError as e:
        if locate is None:
            raise
        found = e.findings[0]
        raise locate(("data", "path"), f"the data file {found.path!r} {e.problem}", found.hint or "") from e
    engine_name, _reason = engines.choose(engine or spec.engine, inp)
    engines.require(engine_name, inp.display)
    engines.check_input(engine_name, inp)
    path = inp.path if inp.kind in ("file", "glob", "folder") else None
    loc = locate or _default_locate(inp.display)
    _check_scores(spec, loc)
    table = engines.count_table(_decoder_args(spec, loc, max_groups), inp, engine_name, progress=progress,
                                session=session)
    _check_groups(spec, table, loc, max_groups)
    check_references(spec, table.factors, table.levels, lambda key, m, h: loc(key[1:], m, h))
    _check_pass_rate(spec, table, loc)
    _check_top_k(spec, loc)
    prov = provenance(data_path=path, base_dir=base, sha256=inp.digest(), rows_read=table.rows_read,
                      rows_used=table.rows_used, dropped=table.dropped or {}, spec=spec, engine=engine_name,
                      size=inp.size)
    return build(spec, table, prov, name=name, base_dir=base, loc=loc)


def _check_groups(spec: QuantitativeAnalyses, table: CountTable, loc: Locate, max_groups: int | None) -> None:
    """Every intersection's groups count against the group limit, before any is enumerated."""
    from .levels import MAX_GROUPS, check_intersections

    overs = slice_sets(spec)
    check_intersections(table.factors, [len(lv) for lv in table.levels],
                        [tuple(table.factors.index(n) for n in o) for o in overs], max_groups or MAX_GROUPS,
                        lambda m, h: loc(("intersections",), m, h))


def _check_scores(spec: QuantitativeAnalyses, loc: Locate) -> None:
    from ..schema.metric_names import BINARY_SCORE_METRICS

    assert spec.data is not None
    if spec.task != BINARY or spec.data.score is not None:
        return
    needs = [m for m in list(spec.metrics) + [g.metric for g in spec.gates] if m in BINARY_SCORE_METRICS]
    if needs:
        raise loc(("metrics",), f"{needs[0]} needs scores, and `data` names no `score` column",
                  f"add `score:` under data, or remove {needs[0]} from metrics")


def _check_pass_rate(spec: QuantitativeAnalyses, table: CountTable, loc: Locate) -> None:
    plan = table.plan
    if spec.task != SCORED or plan is None or plan.boolean or plan.pass_threshold is not None:
        return
    if "pass_rate" in spec.metrics or any(g.metric == "pass_rate" for g in spec.gates):
        where = ("metrics", spec.metrics.index("pass_rate")) if "pass_rate" in spec.metrics else ("gates",)
        raise loc(where, "pass_rate needs `data.pass_threshold`, or a score column of booleans (true passes)",
                  "add `pass_threshold:` under data (an item passes at or above it)")


def _check_top_k(spec: QuantitativeAnalyses, loc: Locate) -> None:
    """Once the count has found a score column for every label of the data (else it stopped
    there), `top_k` must be less than their number."""
    scores = spec.data.class_scores if spec.data is not None else None
    wanted = "top_k_accuracy" in spec.metrics or any(g.metric == "top_k_accuracy" for g in spec.gates)
    if spec.task == MULTICLASS and scores and wanted and spec.k >= len(scores):
        raise loc(("top_k",), f"top_k {spec.k} is not less than the number of classes ({len(scores)}: "
                  f"{', '.join(map(str, scores))}), so every row would count as correct",
                  "use a smaller top_k" if spec.top_k is not None else
                  "set `top_k:` below the number of classes (it is 2 when left out)")


def _decoder_args(spec: QuantitativeAnalyses, loc: Locate, max_groups: int | None) -> dict[str, Any]:
    from .plan import make_plan

    assert spec.data is not None

    def planner(bounds: dict[str, Any], boolean: bool) -> Any:
        return make_plan(spec, bounds, boolean_score=boolean)

    args: dict[str, Any] = {
        "spec": spec.data, "factors": spec.factors, "missing_values": spec.missing_values,
        "locate": lambda key, m, h: loc(key, m, h), "delimiter": spec.data.delimiter, "task": spec.task,
        "metrics": wanted_metrics(spec), "planner": planner,
    }
    if max_groups is not None:
        args["max_groups"] = max_groups
    return args


def reported(spec: QuantitativeAnalyses) -> set[tuple[str, ...]]:
    """The slice sets results are published for (those only gates need are left out)."""
    return set(slice_sets(spec.model_copy(update={"gates": []})))


def reported_slice_sets(spec: QuantitativeAnalyses) -> list[tuple[str, ...]]:
    """The slice sets a results file reports (overall, factors, intersections), in order."""
    return slice_sets(spec.model_copy(update={"gates": []}))

def build(spec: QuantitativeAnalyses, table: CountTable, prov: dict[str, Any], *, name: str | None = None,
          base_dir: Path | None = None, loc: Locate | None = None) -> Parts:
    """Every results row of one evaluation from its count table, with what ``min_cell_size``
    lets it publish (:mod:`.slice_privacy`)."""
    from .tasks import evaluate

    overs = slice_sets(spec)
    sets = evaluate(table, spec, overs, wanted_metrics(spec))
    shown = [o for o in overs if o in reported(spec)]
    shield, gate_shield = _shields(spec, table, shown, sets)
    if shield.everything and loc is not None:
        _warn_everything_hidden(spec, loc)
    keys = metric_keys(spec, table, list(spec.metrics))
    parts = Parts(prov, settings(spec, table, sets, shown))
    for over in shown:
        ss = sets[over]
        for i in range(len(ss.keys)):
            if int(ss.n[i]) == 0:
                parts.unobserved.append(ss.keys[i] if name is None else {"evaluation": name, "slice": ss.keys[i]})
                continue
            parts.slices += slice_rows(ss, i, name, shield)
            parts.results += [result_row(ss, i, k, spec, name, shield) for k in keys]
        parts.calibration += calibration_rows(ss, name, shield)
    if loc is not None and not shield.everything:
        from .hidden_share import hidden_share, warn_if_mostly_hidden

        warn_if_mostly_hidden(spec, hidden_share(sets, shown, keys, shield), loc, name)
    for over in shown:
        if over:
            parts.disparities += disparity_rows(spec, sets[over], over, keys, name, shield)
    points = thresholds(spec, table)
    parts.gates = [gate_row(spec, sets, g, evaluation=name, thresholds=points, shield=gate_shield,
                            baseline=_baseline(g.baseline, base_dir)) for g in spec.gates]
    if spec.conditional_disparities is not None or any(g.conditional_on for g in spec.gates):
        from .conditional import Guard, apply
        from .tasks.binary import confusion_table

        point = points[0] if points else None
        parts.conditional, parts.gates = apply(
            spec, confusion_table(table), parts.gates, shown=Guard(shield, point, spec, table),
            gated=Guard(gate_shield, point, spec, table))
    return parts


def _shields(spec: QuantitativeAnalyses, table: CountTable, shown: list[tuple[str, ...]],
             sets: dict[tuple[str, ...], SliceSet]) -> tuple[Shield, Shield]:
    """What the results publish, protected (:func:`.slice_privacy.protect`): the ``shown`` slices
    and the group × stratum cells, strata and groups conditional disparities publish (only the
    counts they publish); and what the gates see, protected with it: the slices only gates need,
    and those of conditional gates (the same shield when there are none)."""
    from . import slice_privacy as privacy

    within = _conditional_slices(spec, table, [(c.metric, c.over, c.conditional_on)
                                               for c in spec.conditional_disparities or []])
    published = list(dict.fromkeys([*shown, *within]))
    partial = {o: rates for o, rates in within.items() if o not in shown}
    metrics = list(dict.fromkeys([*published_metrics(spec), *(r for rates in within.values() for r in rates)]))
    shield = privacy.protect(spec, table, published, metrics, partial)
    gated = [o for o in dict.fromkeys(gate_over(spec, g) for g in spec.gates) if o not in shown and o in sets]
    gate_within = _conditional_slices(spec, table, [(g.metric, list(g.over), g.conditional_on)
                                                    for g in spec.gates if g.conditional_on])
    seen = {o: list(dict.fromkeys([*partial.get(o, []), *gate_within.get(o, [])]))
            for o in dict.fromkeys([*partial, *gate_within]) if o not in shown and o not in gated}
    seen_metrics = list(dict.fromkeys([*metrics, *(r for got in gate_within.values() for r in got)]))
    if not gated and seen == partial and seen_metrics == metrics:
        return shield, shield
    # gates over slices that are not reported: their values are still published
    overs = list(dict.fromkeys([*published, *gated, *seen]))
    return shield, privacy.protect(spec, table, overs, seen_metrics, seen)


def _conditional_slices(spec: QuantitativeAnalyses, table: CountTable,
                        items: list[tuple[str, list[str], list[str] | None]]) -> dict[tuple[str, ...], list[str]]:
    if spec.task != BINARY or not items:
        return {}
    from .conditional import published_slices

    return published_slices(spec, table.factors, [(m, over, list(on or [])) for m, over, on in items])


def published_metrics(spec: QuantitativeAnalyses) -> list[str]:
    """Every metric whose values reach the results: the card's, those disparities compare (the
    fairness measures' rates for binary classification) and those gates check."""
    fairness = [m for measure in dsp.FAIRNESS for m in dsp.needed_metrics(measure)] if spec.task == BINARY else []
    return list(dict.fromkeys([*spec.metrics, *fairness,
                               *(m for g in spec.gates for m in dsp.needed_metrics(g.metric))]))


def _warn_everything_hidden(spec: QuantitativeAnalyses, loc: Locate) -> None:
    from dataclasses import replace

    from ..errors import warn

    where = ("intersections",) if spec.intersections else ("factors",)
    finding = loc(where, f"every count but the total is hidden: the slices have too many cells below min_cell_size "
                  f"{spec.min_cell_size} to protect them one by one", "report fewer intersections, or coarser "
                  "groups (binned factors, fewer values), so that most cells hold at least min_cell_size rows")
    warn(replace(finding.findings[0], code="protected-all", severity="warning"))


def _baseline(path: str | None, base_dir: Path | None) -> Baseline | None:
    if path is None:
        return None
    target = ((base_dir or Path.cwd()) / path).resolve()
    try:
        return Baseline(target, path)
    except (OSError, ValueError):
        return None
