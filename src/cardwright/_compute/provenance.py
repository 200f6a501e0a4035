"""Provenance: the facts that say where a results file came from and when it is stale."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import tool_version

if TYPE_CHECKING:
    from ..schema.analysis import CompositionData, QuantitativeAnalyses

#: Settings that never change the numbers, left out of the settings hash.
_NOT_HASHED = {"notes", "results", "engine"}
#: Fields added after the first release, per model: left out of the hash while they are ``None``
#: (their default), so results computed before they existed stay current.
_ADDED = {
    "DataFile": frozenset({"thresholds", "class_scores", "weight", "pass_threshold", "filter", "na_values",
                           "strip_whitespace"}),
    "CompositionData": frozenset({"filter", "na_values", "strip_whitespace"}),
    "QuantitativeAnalyses": frozenset({"name", "per_class", "top_k", "calibration_bins", "attributions",
                                       "distribution_shift", "conditional_disparities"}),
    "NamedEvaluation": frozenset({"per_class", "top_k", "calibration_bins", "attributions", "distribution_shift",
                                   "conditional_disparities"}),
    "Gate": frozenset({"min", "max", "baseline", "tolerance", "severity", "threshold", "class_", "conditional_on"}),
}
#: A datasheet's bias settings change nothing unless bias measures are asked for, so results
#: computed before they existed stay current.
_BIAS_ONLY = frozenset({"positive_label", "bias_metrics", "conditional_on", "confidence"})

def settings_sha256(spec: QuantitativeAnalyses | CompositionData | list[Any]) -> str:
    """SHA-256 of the canonical JSON of the settings that change the numbers (for a list of
    evaluations, of the list).  Fields added after the first release are left out while they hold
    their default, so results computed before they existed stay current."""
    items = spec if isinstance(spec, list) else [spec]
    data = [_stable_dump(s, exclude=_NOT_HASHED | (_BIAS_ONLY if _without_bias(s) else frozenset())) for s in items]
    text = json.dumps(data if isinstance(spec, list) else data[0], sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _without_bias(spec: Any) -> bool:
    from ..schema.analysis import CompositionData

    return isinstance(spec, CompositionData) and not spec.bias_metrics


def _stable_dump(model: Any, exclude: Collection[str] = ()) -> Any:
    """``model.model_dump(mode="json")`` without the fields in ``exclude``, nor added fields while ``None``."""
    from pydantic import BaseModel

    if isinstance(model, BaseModel):
        dumped = model.model_dump(mode="json")
        added = _ADDED.get(type(model).__name__, frozenset())
        out = {}
        for name in type(model).model_fields:
            if name in exclude:
                continue
            value = getattr(model, name)
            if name in added and value is None:
                continue
            out[name] = _stable_dump(value) if isinstance(value, (BaseModel, list, dict)) else dumped[name]
        return out
    if isinstance(model, list):
        return [_stable_dump(v) for v in model]
    if isinstance(model, dict):
        return {k: _stable_dump(v) for k, v in model.items()}
    return model


def computed_at() -> str | None:
    """UTC time from ``SOURCE_DATE_EPOCH`` (reproducible builds); ``None`` when it is not set, so
    the same inputs give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def relative_to(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` with forward slashes (absolute when on another drive)."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return path.as_posix()


def provenance(
    *,
    data_path: Path | None,
    base_dir: Path | None,
    sha256: str | None,
    rows_read: int,
    rows_used: int,
    dropped: dict[str, int],
    spec: QuantitativeAnalyses | CompositionData,
    engine: str = "arrow",
    size: int | None = None,
) -> dict[str, Any]:
    return {
        "tool_version": tool_version(),
        "data_path": relative_to(data_path, base_dir or Path.cwd()) if data_path is not None else None,
        "data_sha256": sha256,
        "bytes": size if size is not None else data_path.stat().st_size if data_path is not None else None,
        "rows_read": rows_read,
        "rows_used": rows_used,
        "rows_dropped": dict(sorted(dropped.items())),
        "settings_sha256": settings_sha256(spec),
        "engine": engine,
        "computed_at": computed_at(),
    }
