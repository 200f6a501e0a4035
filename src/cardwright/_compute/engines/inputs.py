"""The data a card names, resolved (by :func:`cardwright._compute.engines.resolve`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..snapshot import Pinned, Snapshot


GLOB_CHARS = "*?["


def file_format(name: str) -> str | None:
    low = name.lower()
    if low.endswith((".parquet", ".pq")):
        return "parquet"
    if low.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")):
        return "csv"
    return None


def glob_anchor(path: Path) -> Path:
    """The folder a pattern starts from: its longest leading part without a glob character."""
    text = str(path)
    return Path(text[: min(text.index(ch) for ch in GLOB_CHARS if ch in text)]).parent


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
    snapshot: Snapshot | None = None
    """The local files, pinned when resolved (see :mod:`..snapshot`)."""
    base: Path | None = None
    """The folder the path is relative to (the card's): messages name files relative to it."""

    @property
    def pinned(self) -> Pinned | None:
        """The one pinned file of a ``file`` input (``None`` otherwise)."""
        if self.kind == "file" and self.snapshot is not None and self.snapshot.files:
            return self.snapshot.files[0]
        return None

    @property
    def size(self) -> int | None:
        if self.snapshot is not None and self.snapshot.files:
            return self.snapshot.size
        return sum(f.stat().st_size for f in self.files) if self.files else None

    def digest(self) -> str | None:
        """The digest of the bytes that were counted; an error when a file changed meanwhile."""
        if self.kind not in ("file", "glob", "folder"):
            return None
        if self.snapshot is not None:
            return self.snapshot.digest(self.path)
        return digest_files(self.files, self.path)


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


def duckdb_location(inp: Input) -> str | list[str]:
    """What DuckDB reads: the URI or file, or for a pattern or folder the exact files matched and
    checked here (DuckDB's own globbing could match others)."""
    if inp.kind in ("glob", "folder"):
        return [str(f) for f in inp.files]
    return inp.location
