"""Where the count pass runs: the built-in Arrow pass, DuckDB, or Spark.

Every engine produces the same :class:`~..counts.CountTable` (same groups in the same order, the
same score bins, the same dropped rows by reason), and everything after the count is shared, so
the same inputs give the same results file on every engine; only ``provenance.engine`` says which
one ran.  ``auto`` picks DuckDB for globs and folders when it is installed, and the Arrow pass
for one file whatever its size (its memory does not grow with the file, and on two cores it
counted 100M rows faster than DuckDB for every task); a ``table:NAME`` path or a Spark DataFrame
goes to Spark.  See docs/engines.md.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from ...errors import DataPathError, Finding, UsageError
from .inputs import GLOB_CHARS, Input, digest_files, duckdb_location, file_format, glob_anchor

ENGINES = ("arrow", "duckdb", "spark")
MODULES = {"duckdb": "duckdb", "spark": "pyspark"}
TABLE_PREFIX = "table:"


def installed(engine: str) -> bool:
    """Whether ``engine``'s library can be imported (the Arrow engine always can)."""
    module = MODULES.get(engine)
    return module is None or importlib.util.find_spec(module) is not None


def require(engine: str, where: str = "<card>") -> None:
    if engine not in ENGINES:
        raise UsageError(Finding(where, "usage", f"unknown engine {engine!r}",
                                 hint=f"use one of: auto, {', '.join(ENGINES)}"))
    if not installed(engine):
        raise UsageError(Finding(
            where, "missing-dependency", f"the {engine} engine needs the {MODULES[engine]} package, which is "
            "not installed", hint=f"pip install 'cardwright[{engine}]'"))


def _is_spark_frame(data: Any) -> bool:
    return type(data).__module__.startswith("pyspark.") and hasattr(data, "groupBy")


def data_files(path: Path) -> list[Path]:
    """The files a local path, glob or folder names (sorted; in folders, hidden and ``_`` files
    and files of other formats are left out).  Anything that is not a folder counts as a file, so
    a FIFO or device among them can be refused rather than silently skipped."""
    text = str(path)
    if any(ch in text for ch in GLOB_CHARS):
        anchor = glob_anchor(path)
        pattern = str(path.relative_to(anchor)) if path.is_relative_to(anchor) else text
        return sorted(p for p in anchor.glob(pattern) if _is_file_like(p))
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if _is_file_like(p) and file_format(p.name)
                      and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts))
    return [path] if path.is_file() else []


def _is_file_like(path: Path) -> bool:
    try:
        return not path.is_dir() and path.exists()
    except OSError:
        return False


def data_digest(path: Path) -> str | None:
    """The digest provenance records for a local file, glob or folder (``None``: nothing there;
    a FIFO, device or socket is refused, never read)."""
    from ..snapshot import refuse_special

    files = data_files(path)
    for f in files:
        refuse_special(f, str(f))
    return digest_files(files, path)


def resolve(source: Any, spec_path: str, fmt: str | None, base_dir: Path) -> Input:
    """What ``source`` (or the card's ``path``) points at.  The files a card names are confined to
    its project after following links (globs and folders too), must be regular files of one
    format, and are pinned (see :mod:`..snapshot`)."""
    from .files import check_files

    if source is not None and not isinstance(source, (str, Path)):
        if _is_spark_frame(source):
            return Input("spark", "<Spark DataFrame>", data=source)
        return Input("memory", "<DataFrame>", data=source)
    text = str(source if source is not None else spec_path)
    if text.startswith(TABLE_PREFIX):
        return Input("table", text, location=text[len(TABLE_PREFIX):])
    if "://" in text:
        from ...schema.cross_checks import REMOTE_SCHEMES, remote_scheme

        if source is None and remote_scheme(text) not in REMOTE_SCHEMES:  # a card's own path: see _path_check
            raise DataPathError(text, "is not a URI of data on the network",
                                "name a local file by its path relative to the card")
        return Input("uri", text, fmt=fmt or file_format(text.rstrip("/")) or "parquet", location=text)
    path = (base_dir / text).resolve()
    if any(ch in text for ch in GLOB_CHARS):
        files = data_files(path)
        if not files:
            raise DataPathError(text, "does not exist", "no file matches the pattern; check `path` (relative to the card)")
        kind = "glob"
    elif path.is_dir():
        files = data_files(path)
        if not files:
            raise DataPathError(text, "is a folder with no CSV or Parquet file",
                                "name a file, a pattern such as eval/*.parquet, or a folder of them")
        kind = "folder"
    else:
        inp = Input("file", text, fmt=fmt or file_format(path.name) or "", path=path, location=str(path),
                    files=[path] if path.exists() else [], base=base_dir)
        check_files(inp, base_dir if source is None else None)
        return inp
    inp = Input(kind, text, fmt=fmt or file_format(files[0].name) or "parquet", path=path, location=str(path),
                files=files, base=base_dir)
    check_files(inp, base_dir if source is None else None, given_format=fmt)
    return inp


def choose(requested: str, inp: Input) -> tuple[str, str]:
    """``(engine, provenance label)``: ``auto`` resolved, with the reason in the label."""
    if requested != "auto":
        return requested, requested
    if inp.kind in ("spark", "table"):
        return "spark", "spark (auto: a Spark table)"
    if inp.kind == "uri":
        raise DataPathError(inp.display, "is a URI, and data on the network is read only with an engine chosen explicitly",
                            "set `engine: duckdb` (or spark) in the card or pass --engine to `cardwright compute`; "
                            "validate, render and build never use the network")
    if inp.kind in ("glob", "folder"):
        if installed("duckdb"):
            return "duckdb", f"duckdb (auto: a {'pattern' if inp.kind == 'glob' else inp.kind})"
        what = {"glob": "a pattern of files", "folder": "a folder of files"}[inp.kind]
        raise UsageError(Finding(inp.display, "missing-dependency",
                                 f"reading {what} needs the duckdb engine, which is not installed",
                                 hint="pip install 'cardwright[duckdb]'"))
    return "arrow", "arrow (auto)"


def check_input(engine: str, inp: Input) -> None:
    """Refuse what an engine cannot read, naming the engine that can."""
    if engine == "arrow" and inp.kind not in ("file", "memory"):
        need = "spark" if inp.kind in ("table", "spark") else "duckdb"
        raise UsageError(Finding(inp.display, "usage", f"the arrow engine reads one file or an in-memory table, "
                                 f"not {_what(inp)}", hint=f"use `engine: {need}` (or `auto`)"))
    if engine == "duckdb" and inp.kind in ("table", "spark"):
        raise UsageError(Finding(inp.display, "usage", f"the duckdb engine cannot read {_what(inp)}",
                                 hint="use `engine: spark`"))
    if engine == "spark" and inp.kind == "memory":
        raise UsageError(Finding(inp.display, "usage", "the spark engine reads paths, tables and Spark DataFrames",
                                 hint="pass a Spark DataFrame, or use `engine: arrow` for a pandas or Arrow table"))


def _what(inp: Input) -> str:
    return {"glob": "a pattern of files", "folder": "a folder", "uri": "a URI", "table": "a Spark table",
            "spark": "a Spark DataFrame"}.get(inp.kind, inp.kind)


def count_table(decoder_args: dict[str, Any], inp: Input, engine: str, *, progress: bool = False,
                session: Any = None) -> Any:
    """The count table of ``inp`` on ``engine`` (``decoder_args``: the BatchDecoder's arguments
    besides its source)."""
    from ..counts import wrap_progress
    from ..decode import BatchDecoder
    from ..reading import Source, open_source

    if engine == "arrow":
        from . import arrow

        if inp.kind == "memory":
            src = open_source(inp.data)
        else:
            assert inp.path is not None
            src = open_source(path=inp.path, fmt=inp.fmt or None, delimiter=decoder_args.pop("delimiter", ","),
                              display=inp.display, pinned=inp.pinned)
        decoder_args.pop("delimiter", None)
        decoder = BatchDecoder(source=src, **decoder_args)
        return arrow.count(decoder, progress=wrap_progress(src.total_rows, progress))
    from ..filtering.prepare import Preparation
    from . import aggregate
    from .aggregate import Backend

    delimiter = decoder_args.pop("delimiter", ",")
    prep = Preparation.of(decoder_args["spec"])
    backend: Backend
    if engine == "duckdb":
        from .duckdb import DuckDBBackend

        table = None
        if inp.kind == "memory":
            table = open_source(inp.data).table
        elif inp.kind == "file":
            open_source(path=inp.path, fmt=inp.fmt or None, delimiter=delimiter, display=inp.display)
        else:
            from .files import check_parts

            check_parts(inp, needed_columns(decoder_args), delimiter)
        backend = DuckDBBackend(path=duckdb_location(inp), fmt=inp.fmt, delimiter=delimiter, table=table,
                                display=inp.display, files=inp.files, base=inp.base, prep=prep)
    else:
        from .spark import SparkBackend

        if inp.kind == "file":
            open_source(path=inp.path, fmt=inp.fmt or None, delimiter=delimiter, display=inp.display)
        else:
            from .files import check_parts

            check_parts(inp, needed_columns(decoder_args), delimiter)
        backend = SparkBackend(inp, delimiter=delimiter, session=session, prep=prep)
    src = Source(inp.display, "memory", column_names=backend.column_names)
    decoder = BatchDecoder(source=src, **decoder_args)
    return aggregate.count(backend, decoder)


def needed_columns(decoder_args: dict[str, Any]) -> list[str]:
    """The columns a count reads (label, prediction, score, class scores, weight, factors)."""
    spec = decoder_args["spec"]
    score = spec.score if decoder_args.get("task", "binary-classification") in ("binary-classification", "scored") \
        else None
    cols = [spec.label, spec.prediction, score, *(spec.class_scores or {}).values(), spec.weight]
    cols += [f if isinstance(f, str) else f.column for f in decoder_args.get("factors", [])]
    return [c for c in dict.fromkeys(cols) if c is not None]
