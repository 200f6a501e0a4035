"""The Hugging Face ``model-index`` read into reported results (the writing side is
:mod:`.model_index_export`).

Every metric of every result becomes one reported result (task, dataset with config,
split, revision and args, metric id, name, config, args, ``verified`` and its token, the
result's source).  Real front matter is often malformed; anything that cannot be read is dropped
with a warning naming it, never a crash.

What the export writes is read back: the slice from ``dataset.args.slice`` (and taken off
``dataset.name``), an interval from the metric's ``args`` (``ci_low``, ``ci_high``,
``confidence_level``, ``stderr``, ``n``); the rest (an evaluation's ``dataset.config``, a class
or threshold in the metric's ``config`` and ``args``) is kept as the Hub has it, so the same
``model-index`` is written again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .result_labels import slice_text

Warn = Callable[[str], None]


def _text(v: Any, limit: int = 500) -> str | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        v = str(v)
    if not isinstance(v, str) or not v.strip():
        return None
    return v.strip()[:limit]


def _mapping(v: Any) -> dict[str, Any] | None:
    return dict(v) if isinstance(v, dict) and v else None


def _as_list(value: Any, what: str, warn: Warn) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        warn(f"{what} is a mapping, not a list: read as a list of one")
        return [value]
    if value is not None:
        warn(f"{what} is {type(value).__name__} {str(value)[:60]!r}, not a list: dropped")
    return []


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v) if math.isfinite(v) else None


def _interval_from_args(args: dict[str, Any] | None, out: dict[str, Any]) -> dict[str, Any] | None:
    """Move an exported interval out of a metric's ``args`` (only when it is a sound one)."""
    if not args:
        return args
    lo, hi = _number(args.get("ci_low")), _number(args.get("ci_high"))
    if lo is None or hi is None or lo > hi:
        return args
    out.update(ci_low=lo, ci_high=hi)
    rest = {k: v for k, v in args.items() if k not in ("ci_low", "ci_high")}
    level = _number(rest.get("confidence_level"))
    if level is not None and 0 < level < 1:
        out["confidence_level"] = level
        rest.pop("confidence_level")
    stderr = _number(rest.get("stderr"))
    if stderr is not None and stderr >= 0:
        out["stderr"] = stderr
        rest.pop("stderr")
    n = rest.get("n")
    if isinstance(n, int) and not isinstance(n, bool) and n >= 0:
        out["n"] = n
        rest.pop("n")
    return rest or None


def _slice_from_dataset(dataset: dict[str, Any]) -> dict[str, str]:
    args = dataset.get("args")
    if not isinstance(args, dict) or not isinstance(args.get("slice"), dict):
        return {}
    s = args["slice"]
    if not s or not all(isinstance(k, str) and isinstance(v, (str, int, float)) for k, v in s.items()):
        return {}
    sl = {k: str(v) for k, v in s.items()}
    rest = {k: v for k, v in args.items() if k != "slice"}
    if rest:
        dataset["args"] = rest
    else:
        dataset.pop("args")
    suffix = f" ({slice_text(sl)})"
    if isinstance(dataset.get("name"), str) and dataset["name"].endswith(suffix):
        dataset["name"] = dataset["name"][: -len(suffix)]
    return sl


def _task(raw: Any, where: str, warn: Warn) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or not _text(raw.get("type")):
        warn(f"{where}.task has no `type`: kept without a task (the Hub needs one; it is not exported)")
        return None
    out = {"type": _text(raw["type"])}
    if _text(raw.get("name")):
        out["name"] = _text(raw.get("name"))
    return out


def _dataset(raw: Any, where: str, warn: Warn) -> tuple[dict[str, Any] | None, dict[str, str]]:
    if not isinstance(raw, dict):
        warn(f"{where}.dataset is missing: kept without a dataset (the Hub needs one; it is not exported)")
        return None, {}
    raw = dict(raw)
    sl = _slice_from_dataset(raw)
    name, ident = _text(raw.get("name")), _text(raw.get("type"))
    if not name and not ident:
        warn(f"{where}.dataset has neither `name` nor `type`: kept without a dataset (not exported)")
        return None, sl
    out: dict[str, Any] = {"name": name or ident}
    if ident:
        out["id"] = ident
    for key in ("config", "split", "revision"):
        if _text(raw.get(key)):
            out[key] = _text(raw.get(key))
    if raw.get("args") is not None:
        if isinstance(raw["args"], dict):
            out["args"] = raw["args"]
        else:
            warn(f"{where}.dataset.args is not a mapping: dropped ({str(raw['args'])[:60]!r})")
    return out, sl


def _source(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    out = {k: _text(raw.get(k)) for k in ("name", "url")}
    out = {k: v for k, v in out.items() if v}
    return out or None


def _metric(raw: Any, where: str, warn: Warn) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        warn(f"{where} is not a mapping: dropped")
        return None
    metric = _text(raw.get("type")) or _text(raw.get("name"))
    value = raw.get("value")
    if not metric:
        warn(f"{where} has no `type`: dropped")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)) or (isinstance(value, float) and not math.isfinite(value)):
        warn(f"{where} ({metric}) has no usable `value` ({value!r}): dropped")
        return None
    out: dict[str, Any] = {"metric": metric, "value": value}
    if _text(raw.get("name")) and raw.get("type"):
        out["metric_name"] = _text(raw.get("name"))
    if _text(raw.get("config")):
        out["metric_config"] = _text(raw.get("config"))
    args = raw.get("args")
    if args is not None and not isinstance(args, dict):
        warn(f"{where}.args is not a mapping: dropped ({str(args)[:60]!r})")
        args = None
    args = _interval_from_args(_mapping(args), out)
    if args:
        out["metric_args"] = args
    if isinstance(raw.get("verified"), bool):
        out["verified"] = raw["verified"]
    if isinstance(raw.get("verifyToken"), str):
        out["verify_token"] = raw["verifyToken"]
    return out


def reported_from_model_index(index: Any, warn: Warn, key: str = "model-index") -> tuple[list[dict[str, Any]], str | None]:
    """Reported results (as card data) from a front matter's ``model-index``, and the model's name."""
    out: list[dict[str, Any]] = []
    name: str | None = None
    entries = _as_list(index, f"`{key}`", warn)
    for i, entry in enumerate(entries):
        where = f"{key}.{i}"
        if not isinstance(entry, dict):
            warn(f"{where} is not a mapping: dropped")
            continue
        if name is None and _text(entry.get("name")):
            name = _text(entry.get("name"))
        elif _text(entry.get("name")) and _text(entry.get("name")) != name:
            warn(f"{where} names another model ({entry.get('name')!r}): its results are kept with this card's")
        for j, result in enumerate(_as_list(entry.get("results"), f"{where}.results", warn)):
            out += _results_of(result, f"{where}.results.{j}", warn)
    return out, name


def _results_of(result: Any, where: str, warn: Warn) -> list[dict[str, Any]]:
    if not isinstance(result, dict):
        warn(f"{where} is not a mapping: dropped")
        return []
    task = _task(result.get("task"), where, warn)
    dataset, sl = _dataset(result.get("dataset"), where, warn)
    source = _source(result.get("source"))
    out = []
    for k, raw in enumerate(_as_list(result.get("metrics"), f"{where}.metrics", warn)):
        m = _metric(raw, f"{where}.metrics.{k}", warn)
        if m is None:
            continue
        if sl:
            m["slice"] = sl
        if task:
            m["task"] = task
        if dataset:
            m["dataset"] = dataset
        if source:
            m["source"] = source
        out.append(m)
    return out
