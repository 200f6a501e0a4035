"""Provenance: the facts that say where a results file came from and when it is stale."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import tool_version

if TYPE_CHECKING:
    from ..schema.analysis import CompositionData, QuantitativeAnalyses

#: Settings that never change the numbers, left out of the settings hash.
_NOT_HASHED = {"notes", "results", "engine"}


def settings_sha256(spec: QuantitativeAnalyses | CompositionData) -> str:
    """SHA-256 of the canonical JSON of the settings that change the numbers."""
    data = spec.model_dump(mode="json", exclude=_NOT_HASHED & set(type(spec).model_fields))
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
