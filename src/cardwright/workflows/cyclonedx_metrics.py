"""A model card's results as CycloneDX 1.6 ``performanceMetrics`` (``{type, value, slice,
confidenceInterval}``, nothing else allowed).

``type`` is the metric's id.  ``slice`` names everything that sets the number apart, so no two
entries look alike: the group (``sex=female``, ``overall``), then in parentheses what the row has of
its evaluation, class and operating point (``overall (evaluation holdout-2024; class setosa)``,
``sex=female (threshold 0.5)``); a reported result says where it was reported, and by whom, and
its metric configuration, task and settings (``sex=female (reported on Census test by Paper)``).
Every computed row the results file holds is an entry; a withheld value says why
(``suppressed: fewer than 30 rows``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .result_labels import qualifier_words

if TYPE_CHECKING:
    from ..schema.model_card import ModelCard
    from ..schema.reported import ReportedResult
    from ..schema.results import AnalysisResults, ResultRow


def number(v: float | None) -> str | None:
    return None if v is None else repr(float(v))


def slice_name(s: dict[str, str]) -> str:
    return "overall" if not s else ", ".join(f"{k}={v}" for k, v in s.items())


def _interval(low: float | None, high: float | None) -> dict[str, Any] | None:
    if low is None or high is None:
        return None
    return {"lowerBound": number(low), "upperBound": number(high)}


def computed_slice(row: ResultRow) -> str:
    """``sex=female``, or ``sex=female (evaluation holdout; class setosa; threshold 0.5)``."""
    words = qualifier_words(row, evaluation=True)
    return slice_name(row.slice) + (f" ({'; '.join(words)})" if words else "")


def _withheld(row: ResultRow) -> str:
    why = row.reason or ("too few rows in the group" if row.suppressed else "undefined")
    return f"{'suppressed' if row.suppressed else 'not available'}: {why}"


def computed_metrics(results: AnalysisResults) -> list[dict[str, Any]]:
    """Every computed row the results file holds; a row without a value says why."""
    out = []
    for row in results.results:
        entry: dict[str, Any] = {"type": row.metric, "value": number(row.value) if row.value is not None else _withheld(row),
                                 "slice": computed_slice(row)}
        interval = _interval(row.ci_low, row.ci_high)
        if interval:
            entry["confidenceInterval"] = interval
        out.append(entry)
    return out


def reported_slice(r: ReportedResult) -> str:
    """``sex=female (reported on Census test by Paper)``, with the metric's configuration, the task
    and the settings after a semicolon when the result has them."""
    where = "reported"
    if r.dataset is not None:
        ds = r.dataset
        where += f" on {ds.name}" + "".join(f", {v}" for v in (f"config {ds.config}" if ds.config else None,
                                                                 f"{ds.split} split" if ds.split else None) if v)
    if r.source is not None and (r.source.name or r.source.harness):
        where += f" by {r.source.name or r.source.harness}"
    extra = [f"metric config {r.metric_config}"] if r.metric_config else []
    if r.task is not None:
        extra.append(f"task {r.task.type}")
    extra += [f"{k} {v}" for k, v in r.settings.items()]
    return f"{slice_name(r.slice)} ({where}{'; ' + '; '.join(extra) if extra else ''})"


def reported_metrics(card: ModelCard) -> list[dict[str, Any]]:
    """Every reported result, marked as reported with its dataset and source."""
    section = card.reported_results
    if section is None:
        return []
    out = []
    for r in section.results:
        entry: dict[str, Any] = {"type": r.metric, "value": number(r.number) if r.number is not None else str(r.value),
                                 "slice": reported_slice(r)}
        interval = _interval(r.ci_low, r.ci_high)
        if interval:
            entry["confidenceInterval"] = interval
        out.append(entry)
    return out
