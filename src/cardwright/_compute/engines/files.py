"""The local files a card's data path names: refused unless they are regular data files of one
format inside the card's project, then pinned for the computation (see :mod:`..snapshot`).

The checks run on what a pattern or folder actually matches, after following links, so a glob
cannot reach outside the project through a symlinked folder, read the card itself, mix CSV and
Parquet, or block on a FIFO.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import DataPathError

if TYPE_CHECKING:
    from .inputs import Input

_NOT_DATA = (".yaml", ".yml", ".json")
"""Cards and results files: never data, whatever `format:` says."""


def _shown(path: Path, base: Path) -> str:
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return path.as_posix()


def check_files(inp: Input, confine_from: Path | None, *, given_format: str | None = None) -> None:
    """Check the files of ``inp`` (``confine_from``: the card's folder, whose project they must
    stay in; ``None`` for a path the caller passed itself) and pin them."""
    from ...schema.cross_checks import project_root
    from ..snapshot import pin, refuse_special
    from .inputs import file_format

    base = confine_from or Path.cwd()
    root = project_root(confine_from / "card") if confine_from is not None else None
    formats: dict[str, Path] = {}
    for f in inp.files:
        shown = inp.display if inp.kind == "file" else _shown(f, base)
        subject = "" if inp.kind == "file" else f"matches {shown}, "
        which = "" if inp.kind == "file" else "which "
        if root is not None and not f.resolve().is_relative_to(root):
            raise DataPathError(inp.display, f"{subject}{which}leads outside the project folder (through a link)",
                                "keep the data inside the project (copy the file in instead of linking to it)")
        if inp.kind == "file":
            refuse_special(f, inp.display)
            continue
        _refuse_special_part(f, inp.display, subject)
        fmt = file_format(f.name)
        if f.name.lower().endswith(_NOT_DATA) or (fmt is None and given_format is None):
            raise DataPathError(inp.display, f"{subject}which is not a CSV or Parquet file",
                                "narrow the pattern so it matches only data files (e.g. `eval/*.parquet`)")
        formats.setdefault(given_format or fmt or "", f)
    if len(formats) > 1:
        csv, parquet = _shown(formats["csv"], base), _shown(formats["parquet"], base)
        raise DataPathError(inp.display, f"matches both CSV files ({csv}) and Parquet files ({parquet})",
                            "read one format per data path: narrow the pattern (e.g. `eval/*.parquet`) or "
                            "convert the files to one format")
    inp.snapshot = pin(inp.files, inp.display, hold=inp.kind == "file")


def _refuse_special_part(path: Path, display: str, subject: str) -> None:
    from ..snapshot import special_kind

    try:
        mode = path.stat().st_mode
    except OSError:
        return
    kind = special_kind(mode)
    if kind is not None:
        raise DataPathError(display, f"{subject}which is {kind}, not a regular file",
                            "name regular CSV or Parquet files: cardwright does not read pipes, devices or sockets")


def _hive_keys(path: Path, anchor: Path) -> set[str]:
    """Partition columns a hive-style path gives its file (``region=eu/part-0.parquet`` → region)."""
    rel = path.relative_to(anchor).parts[:-1] if path.is_relative_to(anchor) else ()
    return {part.split("=", 1)[0] for part in rel if "=" in part}


def _utf16(path: Path) -> bool:
    from ..reading import _lines

    return next(_lines(path), b"")[:2] in (b"\xff\xfe", b"\xfe\xff")


def part_columns(path: Path, fmt: str, delimiter: str) -> list[str]:
    """The column names in one part's header (CSV) or schema (Parquet)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    import csv

    from ..reading import _lines

    first = next(_lines(path), b"").decode("utf-8-sig", "replace").rstrip("\r\n")
    return next(csv.reader([first], delimiter=delimiter), [])


def check_parts(inp: Input, needed: list[str] | None, delimiter: str) -> None:
    """Every part of a pattern or folder must hold the columns the count needs (``None``: every
    column of any part) when any part does: name the first part that lacks one (before an engine
    fails on it, or fills it with nulls)."""
    if inp.kind not in ("glob", "folder") or len(inp.files) < 2:
        return
    from .inputs import glob_anchor

    anchor = inp.path if inp.kind == "folder" else glob_anchor(inp.path) if inp.path is not None else None
    base = inp.base or Path.cwd()
    seen: dict[Path, set[str]] = {}
    for f in inp.files:
        if inp.fmt == "csv" and _utf16(f):
            raise DataPathError(inp.display, f"matches {_shown(f, base)}, which is UTF-16 text",
                                f"save {_shown(f, base)} as UTF-8 (e.g. `iconv -f utf-16 -t utf-8`)")
        try:
            seen[f] = set(part_columns(f, inp.fmt, delimiter)) | (_hive_keys(f, anchor) if anchor else set())
        except (OSError, ValueError) as e:  # an unreadable part (pyarrow's errors are ValueErrors): say which
            raise part_error(inp, f, e) from e
    if needed is None:
        needed = sorted(set().union(*seen.values()))
    for column in needed:
        having = [f for f in inp.files if column in seen[f]]
        if having and len(having) < len(inp.files):
            lacking = next(f for f in inp.files if column not in seen[f])
            raise DataPathError(
                inp.display, f"matches {_shown(lacking, base)}, which has no column {column!r} "
                f"(other parts, such as {_shown(having[0], base)}, have it)",
                "give every part the same columns, or narrow the pattern to the parts that have them")


def part_error(inp: Input, part: Path, e: BaseException) -> DataPathError:
    """A part an engine or its schema reader cannot read, named with the reason."""
    from ..reading import _first_line

    shown = _shown(part, inp.base or Path.cwd())
    what = "Parquet" if inp.fmt == "parquet" else "CSV"
    return DataPathError(inp.display, f"matches {shown}, which is not a readable {what} file ({_first_line(e)})",
                         f"check that every file the pattern matches is {what}, or narrow the pattern")


def diagnose(files: list[Path], fmt: str, delimiter: str, display: str, base: Path) -> DataPathError | None:
    """After an engine failed on several files: the first part with bytes that are not UTF-8, a
    row of the wrong length, or a schema that cannot be read, named with its line."""
    from ..reading import _first_bad_utf8, _first_ragged_line

    for f in files:
        shown = _shown(f, base)
        if fmt == "parquet":
            try:
                part_columns(f, fmt, delimiter)
            except (OSError, ValueError) as e:
                from ..reading import _first_line

                return DataPathError(display, f"matches {shown}, which is not a readable Parquet file ({_first_line(e)})",
                                     "check that every file the pattern matches is Parquet, or narrow the pattern")
            continue
        if _utf16(f):
            return DataPathError(display, f"matches {shown}, which is UTF-16 text",
                                 f"save {shown} as UTF-8 (e.g. `iconv -f utf-16 -t utf-8`)")
        bad = _first_bad_utf8(f, delimiter)
        if bad is not None:
            line, _, byte = bad
            return DataPathError(display, f"matches {shown}, whose line {line} holds byte 0x{byte:02X}, which is not "
                                 "valid UTF-8", f"save {shown} as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)")
        ragged = _first_ragged_line(f, delimiter)
        if ragged is not None:
            line, got, want = ragged
            return DataPathError(display, f"matches {shown}, whose line {line} has {got} fields, the header {want}",
                                 f"every row needs as many fields as the header; quote fields that contain "
                                 f"the delimiter {delimiter!r}")
    return None
