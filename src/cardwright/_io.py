"""Writing outputs safely: a temporary file in the target folder, renamed into place.

An error or Ctrl-C at any point leaves the previous file intact and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import CardwrightError, Finding

#: Files cardwright never overwrites: hand-written inputs.
_INPUT_SUFFIXES = (".yaml", ".yml")


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary sibling of ``path`` for writing; on success it replaces ``path``."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise CardwrightError(
            Finding(str(target), "output", f"cannot write here: {e.strerror or e}", hint="check the folder exists and is writable")
        ) from e
    try:
        text = "b" not in mode
        with open(fd, mode, encoding="utf-8" if text else None, newline="\n" if text else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (text is written as UTF-8 with ``\\n`` line ends)."""
    mode = "wb" if isinstance(data, bytes) else "w"
    with atomic_open(path, mode) as fh:
        fh.write(data)
    return Path(path)


def refuse_input_overwrite(path: Path, inputs: list[Path] | tuple[Path, ...] = ()) -> None:
    """Raise when ``path`` would overwrite one of ``inputs`` or any existing YAML card."""
    resolved = path.resolve()
    if any(resolved == p.resolve() for p in inputs) or (path.exists() and path.suffix in _INPUT_SUFFIXES):
        raise CardwrightError(
            Finding(
                str(path),
                "output",
                "refusing to overwrite an input file",
                hint="choose another output path with -o",
            )
        )
