"""The functions the rest of cardwright calls: compute a card, and write, load and check results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import CardwrightError, DataError, Finding
from ..schema.results import AnalysisResults, CompositionResults

Results = AnalysisResults | CompositionResults


def _spec(card: Any) -> tuple[str, Any, tuple[str, ...]]:
    """``(kind, spec, key)``: what the card asks to compute and where that is in the card."""
    if getattr(card, "kind", None) == "datasheet" or (
        not hasattr(card, "quantitative_analyses") and hasattr(card, "data")
    ):
        return "datasheet", getattr(card, "data", None), ("data",)
    return "model-card", getattr(card, "quantitative_analyses", None), ("quantitative_analyses",)


def _card_path(card: Any) -> str:
    src = getattr(card, "source_path", None)
    if src is None:
        return "<card>"
    return str(src.relative_to(Path.cwd())) if src.is_relative_to(Path.cwd()) else str(src)


def _locator(card: Any):
    def at(key: tuple[str | int, ...], message: str, hint: str) -> DataError:
        line, col = card.locate(key) if hasattr(card, "locate") else (None, None)
        return DataError(Finding(_card_path(card), "data-error", message, line=line, column=col,
                                 hint=hint, loc=key))

    return at


def _base_dir(card: Any) -> Path:
    return card.base_dir if hasattr(card, "base_dir") else Path.cwd()


def compute_card(card: Any, *, data: Any = None, progress: bool = False, max_groups: int | None = None,
                 engine: str | None = None, session: Any = None) -> Results:
    """Compute a model card's quantitative analyses or a datasheet's composition statistics.

    ``data`` (a pandas DataFrame, pyarrow Table or Spark DataFrame) replaces the data the card
    names; ``engine`` overrides the card's `engine`; ``session`` is a SparkSession for `spark`."""
    kind, spec, key = _spec(card)
    if spec is None or (kind == "model-card" and spec.data is None and data is None):
        line, col = card.locate(key) if hasattr(card, "locate") else (None, None)
        what = "quantitative_analyses.data" if kind == "model-card" else "data"
        raise DataError(Finding(_card_path(card), "data-error", f"the card names no data to compute from ({what})",
                                line=line, column=col, loc=key,
                                hint=f"add `{what}:` with the file's path and columns"))
    locate = _locator(card)
    if kind == "datasheet":
        from .composition import compute_composition

        return compute_composition(spec, data, base_dir=_base_dir(card), locate=locate, progress=progress,
                                   max_groups=max_groups, **_engine_args(engine, session))
    from .analyses import compute_analyses

    try:
        return compute_analyses(spec, data, base_dir=_base_dir(card), locate=locate, progress=progress,
                                max_groups=max_groups, engine=engine, session=session)
    except DataError as e:
        raise _with_card_location(e, card) from e.__cause__


def _engine_args(engine: str | None, session: Any) -> dict[str, Any]:
    return {k: v for k, v in (("engine", engine), ("session", session)) if v is not None}


def _with_card_location(error: DataError, card: Any) -> DataError:
    """A data-file error whose file does not exist is positioned at the card's `path:` key."""
    found = error.findings[0]
    folder = ("the data path is a folder, not a file", "the data path is a folder with no CSV or Parquet file")
    if found.message == "the data file does not exist" or found.message in folder:
        line, col = card.locate(("quantitative_analyses", "data", "path"))
        what = "does not exist" if "exist" in found.message else found.message.removeprefix("the data path ")
        return DataError(Finding(_card_path(card), "data-error",
                                 f"the data file {found.path!r} {what}", line=line, column=col,
                                 hint=found.hint, loc=("quantitative_analyses", "data", "path")))
    return error


def results_path(card: Any) -> Path:
    """The card's `results:` file, or ``<card file stem>.results.json`` beside the card."""
    _, spec, _ = _spec(card)
    if spec is not None and getattr(spec, "results", None):
        return (_base_dir(card) / spec.results).resolve()
    src = getattr(card, "source_path", None)
    if src is None:
        return Path.cwd() / "card.results.json"
    name = src.name
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return src.with_name(name + ".results.json")


def dumps(results: Results) -> str:
    """Canonical JSON: sorted keys, indent 2, a trailing newline, ``null`` for every non-number."""
    return json.dumps(results.model_dump(mode="json"), sort_keys=True, indent=2, allow_nan=False,
                      ensure_ascii=False) + "\n"


def write_results(card: Any, results: Results, path: str | Path | None = None) -> Path:
    """Write ``results`` atomically to ``path`` (default :func:`results_path`)."""
    from .._io import atomic_write

    target = Path(path) if path is not None else results_path(card)
    return atomic_write(target, dumps(results))


def parse_results(text: str) -> Results:
    data = json.loads(text)
    if data.get("kind") == "composition":
        return CompositionResults.model_validate(data)
    return AnalysisResults.model_validate(data)


def load_results(card: Any, path: str | Path | None = None) -> Results | None:
    """The card's results, or ``None`` when the file does not exist."""
    target = Path(path) if path is not None else results_path(card)
    if not target.exists():
        return None
    from pydantic import ValidationError

    try:
        return parse_results(target.read_text(encoding="utf-8"))
    except (ValueError, ValidationError) as e:
        raise CardwrightError(Finding(str(target), "stale-results", f"the results file cannot be read: {e}",
                                      hint="recompute it with `cardwright compute`")) from e


def check_results(card: Any) -> list[Finding]:
    """``validate --strict``'s checks: results missing or stale, gates failed."""
    from .provenance import settings_sha256

    kind, spec, key = _spec(card)
    if spec is None or (getattr(spec, "path", None) is None and getattr(spec, "data", None) is None):
        return []
    where = _card_path(card)
    target = results_path(card)

    def finding(code: str, message: str, hint: str, at: tuple[str | int, ...] = key) -> Finding:
        ln, cl = card.locate(at)
        return Finding(where, code, message, line=ln, column=cl, hint=hint, loc=at)

    if not target.exists():
        return [finding("missing-results", f"no results file yet ({target.name})",
                        f"run `cardwright compute {Path(where).name}`")]
    try:
        results = load_results(card)
    except CardwrightError as e:
        return [finding("stale-results", e.findings[0].message, "recompute with `cardwright compute`")]
    assert results is not None
    expected = "composition" if kind == "datasheet" else "quantitative-analyses"
    recompute = f"run `cardwright compute {Path(where).name}`"
    if results.kind != expected:
        return [finding("stale-results", f"{target.name} holds {results.kind} results, not {expected}", recompute)]
    out = []
    if results.provenance.settings_sha256 != settings_sha256(spec):
        out.append(finding("stale-results", f"{target.name} was computed with other settings", recompute))
    data_rel = spec.data.path if kind == "model-card" else spec.path
    data_file = (_base_dir(card) / data_rel).resolve()
    if results.provenance.data_sha256 is not None:
        from .engines import data_digest

        current = data_digest(data_file)
        if current is None:
            out.append(finding("stale-results", f"the data file {data_rel!r} no longer exists", recompute))
        elif current != results.provenance.data_sha256:
            out.append(finding("stale-results", f"the data file {data_rel!r} changed since {target.name} was computed",
                               recompute))
    if isinstance(results, AnalysisResults) and not out:
        for i, gate in enumerate(results.gates):
            if not gate.passed:
                out.append(finding("gate-failed", _gate_message(gate), "see the disparities in the results file",
                                   (*key, "gates", i)))
    return out


def _gate_message(gate: Any) -> str:
    over = " × ".join(gate.over)
    if gate.value is None:
        return f"gate on {gate.metric} over {over} cannot be evaluated: {gate.reason}"
    what = "difference" if gate.kind == "max_difference" else "ratio"
    bound = "at most" if gate.kind == "max_difference" else "at least"
    end = " (interval end)" if gate.use == "interval" else ""
    return f"gate failed: {gate.metric} {what} over {over} is {gate.value:.4g}{end}, must be {bound} {gate.limit:g}"
