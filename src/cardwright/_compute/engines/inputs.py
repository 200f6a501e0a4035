"""The data a card names, resolved (by :func:`cardwright._compute.engines.resolve`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Input:
    """The data a card names, resolved: one file, several files, a folder, a table or memory."""

    kind: str
    """``file``, ``glob``, ``folder``, ``uri``, ``table``, ``memory`` or ``spark``."""
    display: str
    fmt: str = "parquet"
    path: Path | None = None
    """The file, folder or pattern (absolute) for local data."""
    location: str = ""
    """What an engine is handed: a path, pattern, URI or table name."""
    files: list[Path] = field(default_factory=list)
    data: Any = None

    @property
    def size(self) -> int | None:
        return sum(f.stat().st_size for f in self.files) if self.files else None

    def digest(self) -> str | None:
        return digest_files(self.files, self.path) if self.kind in ("file", "glob", "folder") else None


def digest_files(files: list[Path], root: Path | None) -> str | None:
    """SHA-256 of one file, or of the sorted list of (path, SHA-256) of several."""
    from ..reading import sha256_file

    if not files:
        return None
    if len(files) == 1 and root is not None and files[0] == root:
        return sha256_file(files[0])
    digest = hashlib.sha256()
    base = root if root is not None and root.is_dir() else Path(*files[0].parts[:1])
    for f in files:
        name = f.relative_to(base).as_posix() if f.is_relative_to(base) else f.as_posix()
        digest.update(f"{name}\0{sha256_file(f)}\n".encode())
    return digest.hexdigest()
