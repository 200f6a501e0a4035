"""The Hugging Face ``model-index`` written from a model card's computed and reported results.

One Hub result per task × dataset × source × slice, in first-seen order, computed results first:

* an **evaluation** is a Hub result of its own: its task (``task.type`` from cardwright's task, see
  :data:`HUB_TASKS`, ``task.name`` the task's readable name) and its dataset (see
  :func:`_evaluation_ref`); in a list of named evaluations the evaluation's name is
  ``dataset.config`` and is appended to ``dataset.name`` (``Holdout · fraud-2024``) unless the
  dataset is named like the evaluation (or the card names no dataset for it);
* a **slice** is named in ``dataset.name`` (``Holdout (sex=female)``) and kept machine-readable in
  ``dataset.args.slice``;
* a row's **class** and **threshold** stay with its metric: in ``name`` (``Precision (class
  setosa)``, ``Recall (threshold 0.5)``), ``config`` (``class=setosa``, ``threshold=0.5``) and
  ``args`` (``class``, ``threshold``), so two rows differing only in them are two metrics the Hub
  tells apart;
* an interval travels in the metric's ``args`` (``ci_low``, ``ci_high``, ``confidence_level``,
  ``stderr``, ``n``).

Only rows the results file publishes are written: a suppressed or undefined value never is.
Everything here is read back by :mod:`.model_index` into reported results that export to the
same ``model-index``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .result_labels import qualifier_words, qualifiers, slice_text, value_text

if TYPE_CHECKING:
    from ..schema.model_card import DatasetRef, ModelCard
    from ..schema.reported import ReportedResult
    from ..schema.results import AnalysisResults, ResultRow

Warn = Callable[[str], None]
Pair = tuple[dict[str, Any], dict[str, Any]]
"""A Hub result's head (task, dataset, source) and one of its metrics."""

#: cardwright's tasks as Hub task ids (pipeline types); ``extensions.huggingface.task_type`` overrides.
HUB_TASKS = {"binary-classification": "tabular-classification",
             "multiclass-classification": "tabular-classification",
             "regression": "tabular-regression",
             "scored": "other"}
_BINARY = "binary-classification"
_SETTING_ARGS = {"n_shot": "num_few_shot"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "dataset"


def _name_slice(dataset: dict[str, Any], args: dict[str, Any], s: dict[str, str]) -> None:
    if s:
        dataset["name"] = f"{dataset['name']} ({slice_text(s)})"
        args["slice"] = dict(s)


# --- computed results ---------------------------------------------------------------------------

def _override(ext: dict[str, Any], key: str, evaluation: str | None) -> str | None:
    """``extensions.huggingface.KEY``: text for every evaluation, or a mapping of evaluation names
    to text (in a list of evaluations)."""
    value = ext.get(key)
    if isinstance(value, dict):
        value = value.get(evaluation) if evaluation is not None else None
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value) else None


def _task_id(results: AnalysisResults, evaluation: str | None) -> str:
    """The cardwright task of an evaluation, as its results file records it."""
    if evaluation is not None and results.evaluations is not None:
        found = next((e.task for e in results.evaluations if e.name == evaluation), None)
        if found:
            return found
    settings = results.evaluation_settings(evaluation)
    return (settings.task if settings is not None else None) or _BINARY


def _describes(card: ModelCard, ref: DatasetRef, data_path: str | None) -> bool:
    """Whether the datasheet of ``ref`` describes the file at ``data_path`` (relative to the card)."""
    sheet = card.datasheets.get(ref.datasheet) if ref.datasheet else None
    if sheet is None or sheet.data is None or data_path is None:
        return False
    return sheet.resolve(sheet.data.path) == card.resolve(data_path)


def _evaluation_ref(card: ModelCard, evaluation: str | None) -> DatasetRef | None:
    """The evaluation dataset an evaluation was measured on: the first one for the single
    evaluation; in a list, the one named like the evaluation, else the one whose datasheet
    describes the evaluation's data file, else the only one (``None``: the card does not say)."""
    refs = card.evaluation_data.datasets
    if evaluation is None or not refs:
        return refs[0] if refs else None
    named = next((r for r in refs if r.name.casefold() == evaluation.casefold()), None)
    if named is not None:
        return named
    found = [e for e in card.computation.evaluations if e.name == evaluation] if card.computation else []
    described = next((r for r in refs if found and _describes(card, r, found[0].data_path)), None)
    return described or (refs[0] if len(refs) == 1 else None)


def _evaluation_head(card: ModelCard, results: AnalysisResults, evaluation: str | None,
                     ext: dict[str, Any]) -> dict[str, Any]:
    """The task and dataset of one evaluation's Hub results (before the slice is named)."""
    from .._render.text import humanize
    from .hub import hub_dataset_id

    task_id = _task_id(results, evaluation)
    task = {"type": _override(ext, "task_type", evaluation) or HUB_TASKS.get(task_id, "other"),
            "name": _override(ext, "task_name", evaluation) or humanize(task_id)}
    ref = _evaluation_ref(card, evaluation)
    name = ref.name if ref else evaluation or "Evaluation data"
    dataset: dict[str, Any] = {
        "name": name if evaluation is None or evaluation.casefold() == name.casefold() else f"{name} · {evaluation}",
        "type": _override(ext, "dataset_id", evaluation) or (hub_dataset_id(ref.url) if ref else None) or _slug(name),
    }
    if evaluation is not None:
        dataset["config"] = evaluation
    split = _override(ext, "dataset_split", evaluation) or (ref.split if ref else None)
    if split:
        dataset["split"] = split
    return {"task": task, "dataset": dataset}


def _computed_metric(row: ResultRow, level: float | None) -> dict[str, Any]:
    from .._render.text import humanize

    assert row.value is not None
    given = qualifiers(row)
    shown = qualifier_words(row, evaluation=False)
    metric: dict[str, Any] = {"type": row.metric, "value": row.value,
                              "name": humanize(row.metric) + (f" ({', '.join(shown)})" if shown else "")}
    if given:
        metric["config"] = ", ".join(f"{k}={value_text(v)}" for k, v in given.items())
    args: dict[str, Any] = dict(given)
    if row.ci_low is not None and row.ci_high is not None and level is not None:
        args.update(ci_low=row.ci_low, ci_high=row.ci_high, confidence_level=level)
    if row.n is not None:
        args["n"] = row.n
    if args:
        metric["args"] = args
    return metric


def computed_pairs(card: ModelCard, results: AnalysisResults, ext: dict[str, Any]) -> list[Pair]:
    """(head, metric) for every row the results file publishes (a value, not suppressed)."""
    heads: dict[str | None, dict[str, Any]] = {}
    out = []
    for row in results.results:
        if row.value is None or row.suppressed:
            continue  # publish only what the results file publishes
        if row.evaluation not in heads:
            heads[row.evaluation] = _evaluation_head(card, results, row.evaluation, ext)
        base = heads[row.evaluation]
        dataset = dict(base["dataset"])
        args: dict[str, Any] = {}
        _name_slice(dataset, args, row.slice)
        if args:
            dataset["args"] = args
        settings = results.evaluation_settings(row.evaluation)
        metric = _computed_metric(row, settings.level if settings is not None else None)
        out.append(({"task": base["task"], "dataset": dataset}, metric))
    return out


# --- reported results ---------------------------------------------------------------------------

def _reported_args(row: ReportedResult) -> dict[str, Any] | None:
    args = dict(row.metric_args or {})
    if row.ci_low is not None and row.ci_high is not None:
        args.update(ci_low=row.ci_low, ci_high=row.ci_high)
        if row.confidence_level is not None:
            args["confidence_level"] = row.confidence_level
        if row.stderr is not None:
            args["stderr"] = row.stderr
        if row.n is not None:
            args["n"] = row.n
    return args or None


def _reported_dataset(row: ReportedResult) -> dict[str, Any]:
    assert row.dataset is not None
    ds = row.dataset
    out: dict[str, Any] = {"name": ds.name, "type": ds.id or _slug(ds.name)}
    for key, value in (("config", ds.config), ("split", ds.split), ("revision", ds.revision)):
        if value:
            out[key] = value
    args = dict(ds.args or {})
    for k, v in row.settings.items():
        args.setdefault(_SETTING_ARGS.get(k, k), v)
    _name_slice(out, args, row.slice)
    if args:
        out["args"] = args
    return out


def _reported_metric(row: ReportedResult) -> dict[str, Any]:
    metric: dict[str, Any] = {"type": row.metric, "value": row.value}
    if row.metric_name:
        metric["name"] = row.metric_name
    if row.metric_config:
        metric["config"] = row.metric_config
    args = _reported_args(row)
    if args:
        metric["args"] = args
    if row.verified is not None:
        metric["verified"] = row.verified
    if row.verify_token:
        metric["verifyToken"] = row.verify_token
    return metric


def reported_pairs(rows: Iterable[ReportedResult], warn: Warn) -> list[Pair]:
    """(head, metric) for the reported results the Hub can take; the others are named to ``warn``."""
    out = []
    for i, row in enumerate(rows):
        if row.task is None or row.dataset is None:
            missing = "task" if row.task is None else "dataset"
            warn(f"reported_results.results.{i} ({row.metric}) has no {missing}: not in model-index (the Hub "
                 "requires both); it is listed in the README's reported results")
            continue
        head: dict[str, Any] = {"task": {"type": row.task.type, **({"name": row.task.name} if row.task.name else {})},
                                "dataset": _reported_dataset(row)}
        src = row.source
        if src is not None and src.url:
            head["source"] = {**({"name": src.name} if src.name else {}), "url": src.url}
        out.append((head, _reported_metric(row)))
    return out


def build_model_index(card: ModelCard, results: AnalysisResults | None, ext: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
    """``model-index`` for a card: computed results first, then reported ones, one Hub result
    per task × dataset × source × slice (in first-seen order)."""
    pairs = computed_pairs(card, results, ext) if results is not None else []
    if card.reported_results is not None:
        pairs += reported_pairs(card.reported_results.results, warn)
    grouped: dict[str, dict[str, Any]] = {}
    for head, metric in pairs:
        key = json.dumps(head, sort_keys=True, default=str)
        grouped.setdefault(key, {**head, "metrics": []})["metrics"].append(metric)
    if not grouped:
        return []
    return [{"name": card.model_details.name, "results": list(grouped.values())}]
