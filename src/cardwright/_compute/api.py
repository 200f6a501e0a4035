"""A card's computation end to end: compute it, and write, load and check its results file."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CardwrightError, DataError, DataPathError, Finding
from ..schema.analysis import CompositionData, QuantitativeAnalyses
from ..schema.card import Card
from ..schema.computation import Computation, Loc
from ..schema.model_card import ModelCard
from ..schema.reported import ReportedGateResult
from ..schema.results import (
    AnalysisResults,
    AttributionResults,
    CompositionResults,
    GateResult,
    ShiftResults,
)
from .card_paths import card_display, card_finding, results_path
from .filtering.prepare import FilterError

if TYPE_CHECKING:
    from .reading import Locate

Results = AnalysisResults | CompositionResults


def compute_card(card: Card, *, data: Any = None, progress: bool = False, max_groups: int | None = None,
                 engine: str | None = None, session: Any = None) -> Results:
    """Compute a model card's quantitative analyses or a datasheet's composition statistics.

    ``data`` (a pandas DataFrame, pyarrow Table or Spark DataFrame) replaces the data the card
    names; ``engine`` overrides the card's `engine`; ``session`` is a SparkSession for `spark`."""
    comp = card.computation
    if comp is None or (comp.data_path is None and data is None):
        what = "quantitative_analyses.data" if comp is None or comp.kind == "quantitative-analyses" else "data"
        where = comp.loc if comp is not None else ("quantitative_analyses",) if card.kind == "model-card" else ("data",)
        raise DataError(card_finding(card, where, "data-error", f"the card names no data to compute from ({what})",
                                     f"add `{what}:` with the file's path and columns"))

    def locate(key: Loc, message: str, hint: str) -> DataError:
        return DataError(card_finding(card, key, "data-error", message, hint))

    def within(key: Loc, message: str, hint: str) -> DataError:
        """Errors at keys of the spec, positioned in the card."""
        return locate((*comp.loc, *key), message, hint)

    args: dict[str, Any] = {"base_dir": card.base_dir, "locate": locate, "progress": progress,
                            "max_groups": max_groups, "engine": engine, "session": session}
    from .results_file import seal

    try:
        if isinstance(comp.spec, CompositionData):
            from .composition import compute_composition

            return seal(compute_composition(comp.spec, data, **args))
        _refuse_unsupported(card, comp)
        if isinstance(comp.spec, list):
            from .analyses import compute_evaluations

            return seal(compute_evaluations(comp.spec, data, **{**args, "locate": within}))
        from .analyses import compute_analyses

        results = compute_analyses(comp.spec, data, **{**args, "locate": within})
        if comp.spec.attributions is not None:
            results.attributions = _attributions(card, comp.spec, data, locate, engine, session)
        if comp.spec.distribution_shift is not None and isinstance(card, ModelCard):
            from .shift import compute as compute_shift

            results.shift = ShiftResults.model_validate(compute_shift(card, comp.spec, data=data, engine=engine,
                                                                                session=session))
        if results.attributions is not None:
            from .attribution_privacy import protect

            results.attributions = protect(results.attributions, results)
        return seal(results)
    except DataPathError as e:
        found = e.findings[0]
        raise DataError(card_finding(card, comp.data_loc, "data-error", f"the data file {found.path!r} {e.problem}",
                                     found.hint or "")) from e
    except FilterError as e:
        raise filter_finding(card, comp, e) from e


def filter_finding(card: Card, comp: Computation, e: FilterError) -> DataError:
    """A filter that does not fit the data, positioned at the offending token of the card's `filter:`
    (of the evaluation it belongs to)."""
    if isinstance(comp.spec, CompositionData):
        loc: Loc = (*comp.loc, "filter")
        text = comp.spec.filter or ""
    else:
        evaluation = comp.evaluations[e.evaluation]
        loc = (*evaluation.loc, "data", "filter")
        text = evaluation.spec.data.filter or "" if evaluation.spec.data is not None else ""
    line, column = card.locate_in(loc, text, e.offset)
    dotted = ".".join(str(p) for p in loc)
    message = f"`{dotted}`: {e.problem} (character {e.offset + 1} of the filter)"
    return DataError(Finding(card_display(card), "invalid-filter", message, line=line, column=column, hint=e.hint,
                             loc=loc))


def refuse_remote(card: Card) -> None:
    """Refuse to compute, on the way to a render or a site, from data named by a URI: those
    read nothing from the network (an explicit `cardwright compute` does)."""
    comp = card.computation
    for data, loc in comp.data_paths if comp is not None else []:
        if "://" in data:
            name = Path(card_display(card)).name
            raise DataError(card_finding(
                card, loc, "data-error",
                f"the data {data!r} is on the network, and render, validate and build never read the network",
                f"compute the results first: `cardwright compute {name} --engine duckdb` (or spark)"))


def _attributions(card: Card, spec: QuantitativeAnalyses, data: Any, locate: Locate, engine: str | None,
                  session: Any) -> AttributionResults:
    """Attributions on the engine that counts the evaluation data (see docs/engines.md)."""
    from . import engines
    from .analyses import reported_slice_sets

    assert spec.data is not None and spec.attributions is not None
    evaluation = engines.resolve(data, spec.data.path, spec.data.format, card.base_dir)
    engine_name, _ = engines.choose(engine or spec.engine, evaluation)
    if engine_name == "arrow":
        from .attributions import compute

        if evaluation.kind != "file" and data is not None:
            raise locate(("quantitative_analyses", "attributions"), "attributions are matched with the rows of the "
                         "evaluation file the card names, and `data=` replaces that file with an in-memory table, "
                         "which the arrow engine does not match attributions with",
                         "call compute without `data=` (the card's file is read), or with `engine=\"duckdb\"` "
                         "(or spark), which match attributions with a DataFrame")
        if evaluation.kind != "file":
            raise locate(("quantitative_analyses", "attributions"), "attributions are matched with the evaluation data "
                         "on the engine that counts it, and the arrow engine reads one local file",
                         "name one CSV or Parquet file under quantitative_analyses.data, or use `engine: duckdb` "
                         "(or spark)")
        try:
            return AttributionResults.model_validate(compute(spec, card.base_dir, reported_slice_sets(spec),
                                                             locate=locate))
        except DataPathError as e:  # said of the attribution file, at its key (not of the evaluation data)
            found = e.findings[0]
            if found.path != spec.attributions.path:
                raise
            raise _attribution_path(locate, found.path, e.problem) from e
    from .engines.attribution_pass import compute as compute_on

    try:
        attributions = engines.resolve(None, spec.attributions.path, spec.attributions.format, card.base_dir)
    except DataPathError as e:
        found = e.findings[0]
        raise _attribution_path(locate, found.path, e.problem) from e
    if attributions.kind == "file" and not attributions.files:
        raise _attribution_path(locate, spec.attributions.path, "does not exist")
    engines.check_input(engine_name, attributions)
    return AttributionResults.model_validate(compute_on(spec, evaluation, attributions, engine_name,
                                                        reported_slice_sets(spec), session=session, locate=locate))


def _attribution_path(locate: Locate, path: str, problem: str) -> DataError:
    """What is wrong with the attribution file's path, said at its key (not of the evaluation data)."""
    return locate(("quantitative_analyses", "attributions", "path"), f"the attribution file {path!r} {problem}",
                  "check `path` under `attributions:` (relative to the card): one CSV or Parquet file of "
                  "per-row attributions")


def _refuse_unsupported(card: Card, comp: Computation) -> None:
    """An `unsupported` finding for what an evaluation may say but cannot compute: the
    explanations that join a single evaluation's results (attributions, distribution shift,
    conditional disparities) in a list of evaluations, and conditional disparities of weighted rows."""
    for evaluation in comp.evaluations:
        spec = evaluation.spec
        conditional = spec.conditional_disparities is not None or any(g.conditional_on for g in spec.gates)
        keys = [k for k in ("attributions", "distribution_shift") if getattr(spec, k) is not None]
        keys += ["conditional_disparities"] if conditional else []
        for key in keys if comp.is_list else []:
            raise DataError(card_finding(
                card, (*evaluation.loc, key), "unsupported",
                f"`{key}` is computed for a single evaluation, not yet for one of a list",
                "move it to a card with one evaluation (quantitative_analyses as a mapping)"))
        if conditional and spec.data is not None and spec.data.weight is not None:
            raise DataError(card_finding(
                card, (*evaluation.loc, "data", "weight"), "unsupported",
                "conditional disparities count rows and cannot be computed from weighted rows yet",
                "leave out `weight`, or the conditional disparities and gates"))


def card_inputs(card: Card) -> list[Path]:
    """The files a card is computed and rendered from (the card, its data, the files it names):
    no writer may replace them."""
    from .engines import data_files

    out = [card.source_path] if card.source_path is not None else []
    comp = card.computation
    for data, _ in comp.data_paths if comp is not None else []:
        if "://" not in data and not data.startswith("table:"):
            target = card.resolve(data)
            out += [target, *data_files(target)]
    if comp is not None:
        out += [card.resolve(g.baseline) for e in comp.evaluations for g in e.spec.gates if g.baseline is not None]
    if card.extensions_schema is not None:
        out.append(card.resolve(card.extensions_schema))
    return out


def check_results_target(card: Card, target: Path | None = None) -> None:
    """Refuse to write the card's results where a card in a pull request could aim them: a
    `results:` outside the project (after following links), or any input of the card."""
    from .._io import refuse_input_overwrite
    from ..schema.cross_checks import inside_root, results_keys

    comp = card.computation
    for named, loc in results_keys(comp) if target is None and comp is not None else []:
        if inside_root(card, named) is None or not named.lower().endswith(".json"):
            raise CardwrightError(card_finding(
                card, loc, "path-outside-card", f"results file {named!r} is outside the project folder or not a "
                ".json file", "name a .json file inside the project, relative to the card"))
    refuse_input_overwrite(target if target is not None else results_path(card), card_inputs(card))


def dumps(results: Results) -> str:
    """Canonical JSON: sorted keys, indent 2, a trailing newline, ``null`` for every non-number;
    sealed with the digest of its content (``content_sha256``, see :mod:`.results_file`)."""
    from .results_file import DIGEST_KEY, content_digest

    data = results.model_dump(mode="json", by_alias=True)
    data[DIGEST_KEY] = content_digest(data)
    return json.dumps(data, sort_keys=True, indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def write_results(card: Card, results: Results, path: str | Path | None = None) -> Path:
    """Write ``results`` atomically to ``path`` (default :func:`results_path`, which must stay
    inside the project); never over an input of the card.  ``-`` is standard output."""
    from .._io import atomic_write

    check_results_target(card, Path(path) if path is not None else None)
    target = Path(path) if path is not None else results_path(card)
    return atomic_write(target, dumps(results))


def parse_results(text: str) -> Results:
    """Results from JSON text (trusted text, e.g. embedded in a render; files go through
    :func:`load_results`)."""
    data = json.loads(text)
    if isinstance(data, dict) and data.get("kind") == "composition":
        return CompositionResults.model_validate(data)
    return AnalysisResults.model_validate(data)


def load_results(card: Card, path: str | Path | None = None) -> Results | None:
    """The card's results, or ``None`` when the file does not exist.  The file is read within
    bounds and checked (see :mod:`.results_file`): unreadable or malformed (``invalid-results``)
    or edited by hand (``tampered-results``) raise; a file without a content digest is a warning."""
    return _read(card, path, require_digest=False)


def _read(card: Card, path: str | Path | None, *, require_digest: bool) -> Results | None:
    from .results_file import read_results

    target = Path(path) if path is not None else results_path(card)
    if not os.path.lexists(target):
        return None
    return read_results(target, f"recompute it with `cardwright compute {Path(card_display(card)).name}`",
                        require_digest=require_digest)


def check_results(card: Card) -> list[Finding]:
    """``validate --strict``'s checks: results missing, unreadable, edited or stale, gates failed
    (computed gates, and error-severity gates on reported results; a card that names no data:
    only whether the results file it holds can be trusted)."""
    return _computed_checks(card) + _reported_gate_findings(card)


def _reported_gate_findings(card: Card) -> list[Finding]:
    from .reported import reported_gate_results

    out = []
    for i, outcome in enumerate(reported_gate_results(card)):
        if outcome.passed or outcome.severity != "error":
            continue
        out.append(card_finding(card, ("reported_results", "gates", i), "gate-failed", reported_gate_message(outcome),
                                "the reported values are in reported_results.results"))
    return out


def reported_gate_message(gate: ReportedGateResult) -> str:
    """One line saying why a gate on reported values failed."""
    where = f" over {' × '.join(gate.over)}" if gate.over else ""
    where += f" on {gate.dataset}" if gate.dataset else ""
    if gate.value is None:
        return f"gate on reported {gate.metric}{where} cannot be evaluated: {gate.reason}"
    what = {"max_difference": "difference", "min_ratio": "ratio", "min": "lowest value", "max": "highest value"}[gate.kind]
    bound = "at most" if gate.kind in ("max_difference", "max") else "at least"
    end = " (interval end)" if gate.use == "interval" else ""
    return f"gate failed: reported {gate.metric} {what}{where} is {gate.value:.4g}{end}, must be {bound} {gate.limit:g}"


def _computed_checks(card: Card) -> list[Finding]:
    from .provenance import settings_sha256

    comp = card.computation
    if comp is None:
        return []
    if comp.data_path is None:
        try:
            _read(card, None, require_digest=True)
        except CardwrightError as e:
            return e.findings
        return []
    target = results_path(card)
    recompute = f"run `cardwright compute {Path(card_display(card)).name}`"

    def finding(code: str, message: str, at: Loc = comp.loc, hint: str = recompute) -> Finding:
        return card_finding(card, at, code, message, hint)

    if not os.path.lexists(target):
        return [finding("missing-results", f"no results file yet ({target.name})")]
    try:
        results = _read(card, None, require_digest=True)
    except CardwrightError as e:
        return e.findings
    assert results is not None
    if results.kind != comp.kind:
        return [finding("stale-results", f"{target.name} holds {results.kind} results, not {comp.kind}")]
    out = []
    if results.provenance.settings_sha256 != settings_sha256(comp.spec):
        out.append(finding("stale-results", f"{target.name} was computed with other settings"))
    out += _data_findings(card, comp, results, target.name, finding)
    if isinstance(results, AnalysisResults) and not out:
        out += _baseline_findings(card, results, target.name, finding)
    if isinstance(results, AnalysisResults) and not out:
        out += _gate_findings(comp, results, finding)
    return out


def _provenances(comp: Computation, results: Results) -> list[tuple[str | None, Any]]:
    """``(data path as written, provenance)`` of every evaluation (or the datasheet)."""
    if isinstance(results, AnalysisResults) and results.evaluations is not None:
        by_name = {e.name: e.provenance for e in results.evaluations}
        return [(e.data_path, by_name.get(e.name or "")) for e in comp.evaluations]
    return [(comp.data_path, results.provenance)]


def _data_findings(card: Card, comp: Computation, results: Results, name: str,
                   finding: Callable[[str, str], Finding]) -> list[Finding]:
    from .engines import data_digest

    out = []
    for path, prov in _provenances(comp, results):
        if prov is None:
            out.append(finding("stale-results", f"{name} has no results for an evaluation of the card"))
            continue
        if prov.data_sha256 is None or path is None:
            continue
        try:
            current = data_digest(card.resolve(path))
        except CardwrightError as e:
            out.append(finding("stale-results", f"the data file {path!r} cannot be read: {e.findings[0].message}"))
            continue
        if current is None:
            out.append(finding("stale-results", f"the data file {path!r} no longer exists"))
        elif current != prov.data_sha256:
            out.append(finding("stale-results", f"the data file {path!r} changed since {name} was computed"))
    if isinstance(results, AnalysisResults) and not out:
        out += [finding("stale-results", f"{what} changed since {name} was computed")
                for what, path, digest in _more_inputs(results)
                if digest is not None and data_digest(card.resolve(path)) != digest]
    return out


def _baseline_findings(card: Card, results: AnalysisResults, name: str,
                       finding: Callable[[str, str], Finding]) -> list[Finding]:
    from .reading import sha256_file

    out = []
    for gate in results.gates:
        if gate.baseline is None or gate.baseline_sha256 is None:
            continue
        target = card.resolve(gate.baseline)
        current = sha256_file(target) if target.is_file() else None
        if current != gate.baseline_sha256:
            out.append(finding("stale-results", f"the baseline {gate.baseline!r} changed since {name} was computed"))
    return out


def gate_findings(card: Card, results: AnalysisResults) -> list[Finding]:
    """A located finding for every failed gate of freshly computed ``results`` of ``card`` (an
    error, or a note for a gate of severity warning), as ``validate --strict`` reports them."""
    comp = card.computation
    if comp is None:
        return []

    def finding(code: str, message: str, at: Loc, hint: str) -> Finding:
        return card_finding(card, at, code, message, hint)

    return _gate_findings(comp, results, finding)


def _gate_findings(comp: Computation, results: AnalysisResults,
                   finding: Callable[..., Finding]) -> list[Finding]:
    """A failed gate: an error, or a note for a gate of severity warning (never failing)."""
    places: list[Loc] = [(*e.loc, "gates", i) for e in comp.evaluations for i in range(len(e.spec.gates))]
    out = []
    for gate, at in zip(results.gates, places):
        if gate.passed:
            continue
        f = finding("gate-failed", gate_message(gate), at, _GATE_HINTS.get(gate.kind, _GATE_HINTS["max_difference"]))
        if gate.severity == "warning":
            f = Finding(f.path, f.code, f.message + " (severity: warning)", line=f.line, column=f.column,
                        hint=f.hint, severity="note", loc=f.loc)
        out.append(f)
    return out


_GATE_HINTS = {
    "max_difference": "see the disparities in the results file",
    "min_ratio": "see the disparities in the results file",
    "min": "see the metric's rows in the results file",
    "max": "see the metric's rows in the results file",
    "baseline": "compare the metric's rows with the baseline's results file",
}
_GATE_WORDS = {
    "max_difference": ("difference", "at most"),
    "min_ratio": ("ratio", "at least"),
    "min": ("worst group", "at least"),
    "max": ("worst group", "at most"),
    "baseline": ("regression from the baseline", "at most"),
}


def _more_inputs(results: AnalysisResults) -> list[tuple[str, str, str | None]]:
    """The other files a model card's results were computed from: the attribution file and the
    training data of a distribution shift (``(what, path relative to the card, recorded digest)``)."""
    out = []
    if results.attributions is not None:
        out.append((f"the attribution file {results.attributions.path!r}", results.attributions.path,
                    results.attributions.sha256))
    if results.shift is not None:
        out.append((f"the training data {results.shift.training_data_path!r}", results.shift.training_data_path,
                    results.shift.training_data_sha256))
    return out


def gate_message(gate: GateResult) -> str:
    """One line saying why a gate failed."""
    over = " × ".join(gate.over) or "all rows"
    what_of = "".join(f" {k} {v}" for k, v in (("at threshold", gate.threshold), ("of class", gate.class_))
                      if v is not None)
    who = f"{gate.evaluation}: " if gate.evaluation else ""
    if gate.value is None:
        return f"{who}gate on {gate.metric}{what_of} over {over} cannot be evaluated: {gate.reason}"
    what, bound = _GATE_WORDS[gate.kind]
    end = " (interval end)" if gate.use == "interval" else ""
    group = f" ({' × '.join(gate.group.values())})" if gate.group else ""
    return (f"{who}gate failed: {gate.metric}{what_of} {what} over {over}{group} is {number(gate.value)}{end}, "
            f"must be {bound} {number(gate.limit)}")


def number(x: float) -> str:
    """A value in a message: four significant digits, large values in full with thousands separators."""
    return f"{x:,.0f}" if abs(x) >= 1e4 else f"{x:.4g}"
