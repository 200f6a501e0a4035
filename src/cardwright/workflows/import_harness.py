"""lm-evaluation-harness ``results.json`` → reported results.

Each task's ``"<metric>,<filter>"`` entry becomes one reported result: the metric, its value, its
standard error (``"<metric>_stderr,<filter>"``) and the 95% normal interval value ± 1.96·stderr,
the examples evaluated (``n-samples.effective``), the task's dataset (``configs``: path, name, test
split) and settings (task, n-shot, filter when not ``none``), whether higher is better, the
harness and its version, and the run's date.  Entries that are not numbers (``"N/A"`` standard
errors, aliases) are skipped; a value that is not a number is dropped with a warning.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

from .import_common import Conversion, Warn, Warnings, as_mapping, bounded_json, empty_model_card, prune

if TYPE_CHECKING:
    from ..schema.yaml_loader import Limits

HARNESS = "lm-evaluation-harness"
Z95 = 1.959963984540054
_NAMES = {"acc": "Accuracy", "acc_norm": "Accuracy (normalised)", "exact_match": "Exact match", "f1": "F1",
          "mcc": "Matthews correlation", "bleu": "BLEU", "rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L",
          "perplexity": "Perplexity", "word_perplexity": "Word perplexity", "byte_perplexity": "Byte perplexity",
          "bits_per_byte": "Bits per byte", "pass@1": "pass@1", "ter": "TER", "chrf": "chrF", "brier_score": "Brier score"}


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return float(v)


def _task_map(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return as_mapping(value)


def _model_name(doc: dict[str, Any]) -> str | None:
    config = _task_map(doc, "config")
    args = config.get("model_args")
    if isinstance(args, str):
        m = re.search(r"(?:^|,)\s*(?:pretrained|model|base_name|model_name)=([^,]+)", args)
        if m:
            return m.group(1).strip()
    elif isinstance(args, dict):
        for k in ("pretrained", "model", "model_name"):
            value = args.get(k)
            if isinstance(value, str):
                return value
    for v in (doc.get("model_name"), config.get("model")):
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def _date(doc: dict[str, Any]) -> str | None:
    stamp = _number(doc.get("date"))
    if stamp is None:
        return None
    try:
        return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _version(doc: dict[str, Any]) -> str | None:
    for key in ("lm_eval_version", "version", "git_hash"):
        v = doc.get(key)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip():
            return str(v).strip()[:500]
    return None


def _dataset(task: str, entry: dict[str, Any], configs: dict[str, Any]) -> dict[str, Any]:
    alias = entry.get("alias")
    name = alias.strip().lstrip("- ").strip() if isinstance(alias, str) and alias.strip() else task
    conf = as_mapping(configs.get(task))
    out: dict[str, Any] = {"name": name[:500]}
    path = conf.get("dataset_path")
    out["id"] = (path if isinstance(path, str) and path.strip() else task)[:500]
    for key, src in (("config", "dataset_name"), ("split", "test_split")):
        if isinstance(conf.get(src), str) and conf[src].strip():
            out[key] = conf[src][:500]
    return out


def _rows(task: str, entry: dict[str, Any], doc: dict[str, Any], common: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
    nshot = _task_map(doc, "n-shot").get(task)
    samples = _task_map(doc, "n-samples").get(task)
    better = _task_map(doc, "higher_is_better").get(task)
    dataset = _dataset(task, entry, _task_map(doc, "configs"))
    out = []
    for key, value in entry.items():
        if "," not in key or "_stderr," in key:
            continue
        metric, _, filt = key.partition(",")
        num = _number(value)
        if num is None:
            warn(f"results.{task}.{key}: {str(value)[:40]!r} is not a number (dropped)")
            continue
        row: dict[str, Any] = {"metric": metric, "value": num, "task": {"type": "text-generation", "name": "Text generation"},
                               "dataset": dataset, **common}
        if metric in _NAMES:
            row["metric_name"] = _NAMES[metric]
        stderr = _number(entry.get(f"{metric}_stderr,{filt}"))
        if stderr is not None and stderr >= 0:
            row.update(stderr=stderr, ci_low=num - Z95 * stderr, ci_high=num + Z95 * stderr, confidence_level=0.95)
        if isinstance(samples, dict) and isinstance(samples.get("effective"), int):
            row["n"] = samples["effective"]
        settings: dict[str, Any] = {"task": task}
        if isinstance(nshot, int) and not isinstance(nshot, bool):
            settings["n_shot"] = nshot
        if filt and filt != "none":
            settings["filter"] = filt
        row["settings"] = settings
        if isinstance(better, dict) and isinstance(better.get(metric), bool):
            row["higher_is_better"] = better[metric]
        out.append(row)
    return out


def reported_from_harness(doc: Any, display: str, warn: Warn) -> tuple[list[dict[str, Any]], str | None]:
    """Reported results (as card data) and the model's name, from a parsed ``results.json``."""
    from ..errors import CardwrightError, Finding

    if not isinstance(doc, dict) or not isinstance(doc.get("results"), dict):
        raise CardwrightError(Finding(display, "import", "this is not an lm-evaluation-harness results file "
                                      "(no `results` mapping of tasks)",
                                      hint="pass the results_*.json the harness wrote with --output_path"))
    source = {"harness": HARNESS, **({"version": v} if (v := _version(doc)) else {})}
    common: dict[str, Any] = {"source": source}
    if _date(doc):
        common["date"] = _date(doc)
    tasks = dict(doc["results"])
    for group, entry in _task_map(doc, "groups").items():
        tasks.setdefault(group, entry)
    out = []
    for task, entry in tasks.items():
        if not isinstance(entry, dict):
            warn(f"results.{task} is not a mapping (dropped)")
            continue
        out += _rows(str(task), entry, doc, common, warn)
    return out, _model_name(doc)


def convert_harness(raw: str, display: str, *, limits: Limits | None = None) -> Conversion:
    warnings = Warnings()
    rows, name = reported_from_harness(bounded_json(raw, display, limits), display, warnings.add)
    card = empty_model_card()
    card["model_details"] = {"name": (name or "Evaluated model")[:500], "version": "unversioned"}
    if not name:
        warnings.add("no model name in the results (config.model_args pretrained=…): set to 'Evaluated model'")
    warnings.add("no version in the results: set to 'unversioned'")
    if rows:
        card["reported_results"] = {"results": rows}
        card["metrics"]["performance_measures"] = [{"name": m} for m in dict.fromkeys(r["metric"] for r in rows)]
    else:
        warnings.add("the results file holds no numeric result")
    return Conversion(kind="model-card", data=prune(card), unmapped=warnings.items, source=HARNESS, reported=len(rows))
