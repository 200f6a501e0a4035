"""The data files of one computation, pinned: what was counted is what the digest names.

A results file records the SHA-256 of its data.  That digest must be of the bytes that were
counted, even if someone replaces or rewrites the file while `compute` runs.  So each data file is
opened once, before counting (:func:`pin`), and its identity is recorded: device, inode, size and
modification time.  Then:

* the built-in Arrow engine reads the file through that open descriptor (:meth:`Pinned.reader`),
  and a streaming read (a CSV file) feeds the digest as it goes: the file is read once, not once
  for counting and once for hashing;
* files read by random access (Parquet reads only the columns it needs) and files that another
  engine (DuckDB, Spark) opens by name are hashed from the pinned descriptor after counting;
* :meth:`Snapshot.verify` then checks that every file still has the recorded size and
  modification time, and that its name still points at the same file.  If not, the computation
  is refused (``data-error``): no results file ever pairs one file's digest with another's counts.

Only regular files are pinned: a FIFO, a device or a socket is refused before anything reads from
it (it is opened non-blocking), so a pipe can never hold a computation or its time limit.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, DataPathError, Finding

CHUNK = 1 << 22
_SPECIAL = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """``a FIFO (named pipe)`` and so on for a file that is neither regular nor a folder."""
    for test, name in _SPECIAL:
        if test(mode):
            return name
    return None


def refuse_special(path: Path, display: str) -> None:
    """Raise a :class:`DataPathError` when ``path`` (followed through links) is a FIFO, device or socket."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    kind = special_kind(mode)
    if kind is not None:
        raise DataPathError(display, f"is {kind}, not a regular file",
                            "name a regular CSV or Parquet file: cardwright does not read pipes, devices or sockets")


def open_regular(path: Path, display: str | None = None) -> int:
    """A read-only descriptor of the regular file ``path`` (opened without blocking, so a FIFO
    cannot hold the caller); anything else is refused."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = special_kind(mode) or "a folder"
        raise DataPathError(display or str(path), f"is {kind}, not a regular file",
                            "name a regular CSV or Parquet file: cardwright does not read pipes, devices or sockets")
    return fd


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _pread(fd: int, size: int, offset: int, lock: threading.Lock) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    with lock:  # pragma: no cover - platforms without pread
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, size)


@dataclass(eq=False)
class Pinned:
    """One data file: its identity when pinned, and its digest as far as it has been read in order."""

    path: Path
    display: str
    identity: tuple[int, int, int, int]
    fd: int | None = None
    _hash: Any = field(default_factory=hashlib.sha256)
    _upto: int = 0
    _gap: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self) -> int:
        return self.identity[2]

    def _descriptor(self) -> int:
        if self.fd is None:
            fd = open_regular(self.path, self.display)
            if _identity(os.fstat(fd)) != self.identity:
                os.close(fd)
                raise changed(self.display)
            self.fd = fd
        return self.fd

    def read_at(self, offset: int, size: int) -> bytes:
        """``size`` bytes at ``offset`` of the pinned file (fewer at its end); sequential reads feed the digest."""
        data = _pread(self._descriptor(), size, offset, self._lock)
        self._feed(offset, data)
        return data

    def _feed(self, offset: int, data: bytes) -> None:
        with self._lock:
            end = offset + len(data)
            if offset > self._upto:
                self._gap = True
            elif end > self._upto and not self._gap:
                self._hash.update(data[self._upto - offset:])
                self._upto = end

    def reader(self) -> Reader:
        """A file object over the pinned file, from its start (several may be open at once)."""
        return Reader(self)

    def sha256(self) -> str:
        """SHA-256 of the pinned file: from the bytes already read in order when they cover it,
        else by reading the pinned descriptor once more."""
        with self._lock:
            if not self._gap and self._upto == self.size:
                return str(self._hash.hexdigest())
        digest = hashlib.sha256()
        offset = 0
        fd = self._descriptor()
        while chunk := _pread(fd, CHUNK, offset, self._lock):
            digest.update(chunk)
            offset += len(chunk)
        return digest.hexdigest()

    def unchanged(self) -> bool:
        """Whether the file has its pinned size and time, and its name still points at it."""
        try:
            if self.fd is not None and _identity(os.fstat(self.fd)) != self.identity:
                return False
            return _identity(os.stat(self.path)) == self.identity
        except OSError:
            return False

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Reader(io.RawIOBase):
    """A read-only, seekable file object over a :class:`Pinned` file (for pyarrow)."""

    def __init__(self, pinned: Pinned):
        super().__init__()
        self.pinned = pinned
        self.pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.pinned.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.pinned.read_at(self.pos, len(view))
        view[: len(data)] = data
        self.pos += len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = max(0, self.pinned.size - self.pos)
        data = self.pinned.read_at(self.pos, size)
        self.pos += len(data)
        return data

    def readall(self) -> bytes:
        return self.read(-1)


def changed(display: str) -> DataError:
    return DataError(Finding(
        display, "data-error", "the file changed while cardwright was reading it, so its digest and its counts "
        "could describe different data", hint="run compute again once nothing is writing the file"))


@dataclass
class Snapshot:
    """The pinned files of one computation's data (one file, or the parts of a pattern or folder)."""

    files: list[Pinned]

    @property
    def size(self) -> int:
        return sum(p.size for p in self.files)

    def digest(self, root: Path | None) -> str | None:
        """The provenance digest (as :func:`~.engines.digest_files` computes it from names),
        then :meth:`verify`; the descriptors are closed."""
        try:
            if not self.files:
                return None
            if len(self.files) == 1 and root is not None and self.files[0].path == root:
                value = self.files[0].sha256()
            else:
                digest = hashlib.sha256()
                base = root if root is not None and root.is_dir() else Path(*self.files[0].path.parts[:1])
                for p in self.files:
                    name = p.path.relative_to(base).as_posix() if p.path.is_relative_to(base) else p.path.as_posix()
                    digest.update(f"{name}\0{p.sha256()}\n".encode())
                value = digest.hexdigest()
            self.verify()
            return value
        finally:
            self.close()

    def verify(self) -> None:
        for p in self.files:
            if not p.unchanged():
                raise changed(p.display)

    def close(self) -> None:
        for p in self.files:
            p.close()


def pin(files: list[Path], display: str, *, hold: bool) -> Snapshot:
    """Record each file's identity (refusing anything but regular files); with ``hold``, keep a
    descriptor open from now on (one file read by the Arrow engine), else open it to hash it."""
    out = []
    for f in files:
        shown = display if len(files) == 1 else f"{display} ({f.name})"
        fd = open_regular(f, shown)
        try:
            identity = _identity(os.fstat(fd))
        except OSError:
            os.close(fd)
            raise
        if not hold:
            os.close(fd)
            fd = None  # type: ignore[assignment]
        out.append(Pinned(f, shown, identity, fd))
    return Snapshot(out)
