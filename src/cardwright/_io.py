"""Writing outputs safely: a temporary file in the target folder, renamed into place.

An error or Ctrl-C at any point leaves the previous file intact and no temporary file behind.
Only regular files are ever replaced: a symbolic link, a device (``/dev/null`` too), a FIFO, a
socket or a folder at the target is refused with an ``output`` finding, so a write can neither
follow a link out of the folder it was meant for nor turn a device into a file (even as root).
``-`` is standard output.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import CardwrightError, Finding

#: Files cardwright never overwrites: hand-written inputs.
_INPUT_SUFFIXES = (".yaml", ".yml")

STDOUT = "-"
"""The output name that means standard output."""

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str | None:
    """What a file of mode ``mode`` is, when it is not a regular file (``None`` for a regular file)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def shown(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    p = Path(path)
    cwd = Path.cwd()
    return str(p.relative_to(cwd)) if p.is_absolute() and p.is_relative_to(cwd) else str(p)


def refuse_special(path: str | os.PathLike[str]) -> None:
    """Raise an ``output`` finding when ``path`` exists and is not a regular file (a link is
    refused whatever it points at: the writer replaces only what it names)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise CardwrightError(Finding(shown(path), "output", f"cannot write here: {e.strerror or e}",
                                      hint="check the folder exists and is writable")) from e
    kind = file_kind(mode)
    if kind is not None:
        raise CardwrightError(Finding(
            shown(path), "output", f"refusing to write: the path is {kind}, not a regular file",
            hint="name a regular file (or a new one) with -o; use `-o -` for standard output"))


def refuse_linked_folder(folder: Path) -> None:
    """Raise when the folder a writer creates beside its output exists as anything but a real
    folder (a link could send the files it holds elsewhere)."""
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(mode):
        raise CardwrightError(Finding(
            shown(folder), "output", f"refusing to write into it: it is {file_kind(mode) or 'a regular file'}, not a folder",
            hint="remove it, or choose another output path with -o"))


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary sibling of ``path`` for writing; on success it replaces ``path``."""
    target = Path(path)
    refuse_special(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise CardwrightError(
            Finding(shown(target), "output", f"cannot write here: {e.strerror or e}", hint="check the folder exists and is writable")
        ) from e
    try:
        text = "b" not in mode
        with open(fd, mode, encoding="utf-8" if text else None, newline="\n" if text else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # Checked again just before the rename: something may have appeared there meanwhile.
        refuse_special(target)
        try:
            os.chmod(tmp, os.lstat(target).st_mode & 0o777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (text is written as UTF-8 with ``\\n`` line ends);
    ``-`` writes it to standard output."""
    if str(path) == STDOUT:
        write_stdout(data)
        return Path(STDOUT)
    mode = "wb" if isinstance(data, bytes) else "w"
    with atomic_open(path, mode) as fh:
        fh.write(data)
    return Path(path)


def write_stdout(data: str | bytes) -> None:
    """``data`` on standard output, text as UTF-8 with ``\\n`` line ends."""
    if isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)
        sys.stdout.flush()


def refuse_input_overwrite(path: Path, inputs: list[Path] | tuple[Path, ...] = ()) -> None:
    """Raise when ``path`` would overwrite one of ``inputs`` or any existing YAML card, or is not
    a regular file (checked before the work, so nothing is computed to be thrown away)."""
    if str(path) == STDOUT:
        return
    refuse_special(path)
    resolved = path.resolve()
    if any(resolved == p.resolve() for p in inputs) or (path.exists() and path.suffix in _INPUT_SUFFIXES):
        raise CardwrightError(
            Finding(
                shown(path),
                "output",
                "refusing to overwrite an input file",
                hint="choose another output path with -o",
            )
        )
