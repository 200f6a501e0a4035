"""Reading evaluation and dataset files in bounded-memory batches.

A :class:`Source` is a CSV (optionally gzip-compressed), a Parquet file, or an in-memory pandas
DataFrame / pyarrow Table; it yields :class:`pyarrow.RecordBatch` objects of about a million rows,
so memory stays roughly constant however long the file is.  Everything here imports pyarrow
lazily: the command line's start-up never pays for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import DataError, DataPathError, Finding
from .read_ahead import read_ahead

BATCH_ROWS = 1 << 20
CSV_BLOCK_BYTES = 1 << 24
#: Text that CSV readers treat as missing.  "NaN" is deliberately absent: a NaN score is an error.
CSV_NULLS = ["", "NA", "N/A", "null", "NULL", "None"]

#: pyarrow reports every problem in a CSV file with one exception type (``ArrowInvalid``, or an
#: ``OSError`` from the decompressor); which problem it is shows only in the wording.  These are
#: all the words cardwright reads, in the order they are tried: pattern → kind of problem.  Each
#: is pinned by a test that makes pyarrow fail that way on a real file
#: (``tests/test_reading_errors.py``), so a pyarrow release that rewords one fails that test.
CsvProblem = Literal["not-utf8", "row-too-long", "compression", "wrong-field-count", "empty"]
PYARROW_CSV_PROBLEMS: tuple[tuple[re.Pattern[str], CsvProblem], ...] = (
    (re.compile(r"UTF-?8"), "not-utf8"),  # In CSV column #0: CSV conversion error to string: invalid UTF8 data
    (re.compile(r"straddl"), "row-too-long"),  # straddling object straddles two block boundaries (...)
    (re.compile(r"ompress|inflate"), "compression"),  # Truncated compressed stream; zlib inflate failed: ...
    (re.compile(r"Expected.*columns"), "wrong-field-count"),  # CSV parse error: Expected 3 columns, got 2: ...
    (re.compile(r"Empty CSV"), "empty"),  # Empty CSV file
)


def csv_problem(e: BaseException) -> CsvProblem | None:
    """The kind of problem (from :data:`PYARROW_CSV_PROBLEMS`) a failed CSV read had; ``None``
    when the error is none of them."""
    if isinstance(e, UnicodeDecodeError):
        return "not-utf8"
    text = str(e)
    return next((kind for pattern, kind in PYARROW_CSV_PROBLEMS if pattern.search(text)), None)


Loc = tuple[str | int, ...]
Locate = Callable[[Loc, str, str], DataError]
"""``(key in the card, message, hint)`` → the error positioned at that key of the card."""
ErrorAt = Callable[[str, str], DataError]
"""``(message, hint)`` → the error for one fixed place (a factor's column, the data file)."""


@dataclass
class Source:
    """Rows to compute from, and how to point at one of them in a message."""

    display: str
    """How messages name the data (a path, or ``<DataFrame>``)."""
    kind: str
    """``csv``, ``parquet`` or ``memory``."""
    path: Path | None = None
    delimiter: str = ","
    table: Any = None
    column_names: list[str] = field(default_factory=list)
    total_rows: int | None = None
    kept_rows: Any = None
    """While a batch from which a filter left rows out is handled: ``(offset, rows)``, the file
    row of its row ``offset + i`` is ``rows[i]`` (see :mod:`.filtering.compile_arrow`)."""
    metadata: Any = None
    """A Parquet file's metadata (``pyarrow.parquet.FileMetaData``: row groups, statistics)."""
    pinned: Any = None
    """The file pinned for this computation (:class:`..snapshot.Pinned`): read through it, so
    the digest is of the bytes counted."""

    def open_file(self) -> Any:
        """The file as pyarrow reads it: through the pinned descriptor when there is one."""
        import pyarrow as pa

        if self.pinned is None:
            return str(self.path)
        return pa.PythonFile(self.pinned.reader(), mode="r")

    def input_stream(self) -> Any:
        """A (decompressing) stream over the whole file, for the CSV reader."""
        import pyarrow as pa

        if self.pinned is None:
            return pa.input_stream(str(self.path), compression="detect")
        raw = self.open_file()
        gz = str(self.path).lower().endswith(".gz")
        return pa.CompressedInputStream(raw, "gzip") if gz else raw

    def where(self, row: int) -> tuple[str, int | None]:
        """``("row N", line)`` for the 0-based data row ``row`` (lines only for CSV files)."""
        if self.kept_rows is not None:
            offset, rows = self.kept_rows
            if 0 <= row - offset < len(rows):
                row = int(rows[row - offset])
        line = row + 2 if self.kind == "csv" else None
        return f"row {row + 1}", line

    def error(self, message: str, *, hint: str | None = None, row: int | None = None) -> DataError:
        line = None
        if row is not None:
            where, line = self.where(row)
            message = f"{where}: {message}"
        return DataError(Finding(self.display, "data-error", message, line=line, hint=hint))

    def batches(self, columns: list[str], string_columns: tuple[str, ...] = (),
                null_values: list[str] | None = None, rows: int = BATCH_ROWS) -> Iterator[Any]:
        """Record batches holding ``columns`` (CSV columns in ``string_columns`` are read as text,
        and ``null_values`` (default :data:`CSV_NULLS`) as missing), of at most ``rows`` rows from
        memory and Parquet (CSV batches follow the block size)."""
        import pyarrow as pa

        if self.kind == "memory":
            yield from self.table.select(columns).to_batches(max_chunksize=rows)
        elif self.kind == "parquet":
            import pyarrow.parquet as pq

            # pre_buffer=False: pyarrow's pre-buffering keeps every range it read until the file is
            # closed, so memory grew with the file (about its size in Parquet bytes)
            with pq.ParquetFile(self.open_file(), pre_buffer=False) as pf:
                yield from read_ahead(pf.iter_batches(batch_size=rows, columns=columns))
        else:
            import pyarrow.csv as pacsv

            types = {c: pa.string() for c in string_columns}
            rows = 0
            try:
                with self.input_stream() as stream:
                    reader = pacsv.open_csv(
                        stream,
                        read_options=pacsv.ReadOptions(block_size=CSV_BLOCK_BYTES),
                        parse_options=pacsv.ParseOptions(delimiter=self.delimiter),
                        convert_options=pacsv.ConvertOptions(
                            include_columns=columns,
                            column_types=types,
                            null_values=CSV_NULLS if null_values is None else null_values,
                            strings_can_be_null=True,
                        ),
                    )
                    for batch in reader:
                        if any(pa.types.is_binary(t) for t in batch.schema.types):  # text that is not UTF-8
                            raise csv_error(self, None, rows, "not-utf8")
                        rows += batch.num_rows
                        yield batch
            except (pa.ArrowInvalid, OSError) as e:
                raise csv_error(self, e, rows, csv_problem(e)) from e


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text if len(text) <= 200 else text[:200] + " …"


def _lines(path: Path) -> Iterator[bytes]:
    """The raw lines of a (possibly gzip-compressed) text file, stopping quietly where it is cut short."""
    import gzip
    import zlib

    with path.open("rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    opener: Any = gzip.open if gz else open
    try:
        with opener(path, "rb") as fh:
            yield from fh
    except (EOFError, OSError, zlib.error):
        return


def _first_bad_utf8(path: Path, delimiter: str) -> tuple[int, int, int] | None:
    """``(line, field, byte)`` (1-based line, 0-based field) of the first byte that is not UTF-8."""
    for number, line in enumerate(_lines(path), 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            return number, line[: e.start].count(delimiter.encode()), line[e.start]
    return None


def _first_ragged_line(path: Path, delimiter: str) -> tuple[int, int, int] | None:
    """``(line, fields, header fields)`` of the first row whose field count differs from the header's."""
    import csv

    csv.field_size_limit(CSV_BLOCK_BYTES)
    text = (line.decode("utf-8", "replace") for line in _lines(path))
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, None)
        for row in reader:
            if header is not None and row and len(row) != len(header):
                return reader.line_num, len(row), len(header)
    except csv.Error:
        return None
    return None


def csv_error(src: Source, e: BaseException | None, rows: int, problem: CsvProblem | None) -> DataError:
    """A located, explained error for a CSV file the reader gave up on after ``rows`` data rows
    (``problem``: the kind of problem, see :func:`csv_problem`; ``e``: pyarrow's error, if any)."""
    reason = _first_line(e) if e is not None else "invalid UTF-8 data"
    after = f"after row {rows}" if rows else "near the start"
    if src.path is not None and next(_lines(src.path), b"")[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return DataError(Finding(
            src.display, "data-error", "the file is UTF-16 text (it starts with a UTF-16 byte-order mark)", line=1,
            hint="save it as UTF-8 (e.g. `iconv -f utf-16 -t utf-8 old.csv > new.csv`)"))
    if problem == "not-utf8":
        found = _first_bad_utf8(src.path, src.delimiter) if src.path is not None else None
        if found is not None:
            line, fieldno, byte = found
            names = src.column_names
            column = f" in column {names[fieldno]!r}" if line > 1 and fieldno < len(names) else ""
            where = "the header" if line == 1 else f"row {line - 1}"
            return DataError(Finding(
                src.display, "data-error", f"{where}{column}: byte 0x{byte:02X} is not valid UTF-8", line=line,
                hint="save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 old.csv > new.csv`)"))
        return src.error("the file is not valid UTF-8 text", hint="save the file as UTF-8")
    if problem == "row-too-long":
        return DataError(Finding(
            src.display, "data-error",
            f"a row {after} is longer than {CSV_BLOCK_BYTES >> 20} MiB, the longest row cardwright reads",
            line=rows + 2 if rows else None,
            hint="look for an unclosed quote, a wrong `delimiter`, or line endings other than \\n and \\r\\n"))
    if problem == "empty":
        return DataError(Finding(src.display, "data-error", "the file is empty: no line names the columns", line=1,
                                 hint="write the column names on the first line, then a row per example"))
    if problem == "compression":
        return src.error(f"the compressed file is cut short or damaged ({reason}; read {rows} rows)",
                         hint="compress the file again, or check that the copy or download finished")
    if problem == "wrong-field-count":
        ragged = _first_ragged_line(src.path, src.delimiter) if src.path is not None else None
        if ragged is not None:
            line, got, want = ragged
            return DataError(Finding(
                src.display, "data-error", f"row {line - 1} has {got} fields, the header {want}", line=line,
                hint="every row needs as many fields as the header; quote fields that contain the "
                     f"delimiter {src.delimiter!r}"))
        return src.error(f"a row {after} has the wrong number of fields: {reason}",
                         hint="every row needs as many fields as the header; quote fields that contain the "
                              f"delimiter {src.delimiter!r}")
    return src.error(f"cannot read the CSV file {after}: {reason}",
                     hint="check that every row has the same columns and each column one type")


def open_source(
    data: Any = None,
    *,
    path: Path | None = None,
    fmt: str | None = None,
    delimiter: str = ",",
    display: str | None = None,
    pinned: Any = None,
) -> Source:
    """A :class:`Source` for an in-memory table (``data``) or a file (``path``, read through
    ``pinned`` when given)."""
    import pyarrow as pa

    if data is not None:
        if not isinstance(data, pa.Table):
            data = _arrow_table(data)
        return Source(display or "<DataFrame>", "memory", table=data, column_names=list(data.column_names),
                      total_rows=data.num_rows)
    assert path is not None
    shown = display or str(path)
    if not path.exists():
        raise DataPathError(shown, "does not exist", "check `path` under the card's `data:` (it is relative to the card)")
    if path.is_dir():
        raise DataPathError(shown, "is a folder, not a file", "name a CSV or Parquet file")
    if pinned is None:
        from .snapshot import refuse_special

        refuse_special(path, shown)
    kind = fmt or _infer_format(path)
    if kind is None:
        raise DataError(Finding(shown, "unsupported", f"cannot tell the format of {path.name!r}",
                                hint="use a .csv, .csv.gz or .parquet file, or set `format:`"))
    src = Source(shown, kind, path=path, delimiter=delimiter, pinned=pinned)
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(src.open_file())
            src.column_names = list(meta.schema_arrow.names)
            src.total_rows = meta.metadata.num_rows
            src.metadata = meta.metadata
            meta.close()
        except (pa.ArrowInvalid, OSError) as e:
            raise src.error(f"not a readable Parquet file: {_first_line(e)}",
                            hint="check the file is Parquet, or set `format: csv`") from e
    else:
        import pyarrow.csv as pacsv

        try:
            with src.input_stream() as stream:
                reader = pacsv.open_csv(
                    stream,
                    read_options=pacsv.ReadOptions(block_size=CSV_BLOCK_BYTES),
                    parse_options=pacsv.ParseOptions(delimiter=delimiter),
                    convert_options=pacsv.ConvertOptions(null_values=CSV_NULLS, strings_can_be_null=True,
                                                         include_columns=[]),
                )
                src.column_names = list(reader.schema.names)
        except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as e:
            problem = csv_problem(e)
            if problem is not None:
                raise csv_error(src, e, 0, problem) from e
            raise src.error(f"cannot read the CSV header: {_first_line(e)}",
                            hint="the first line must name the columns") from e
    return src


def _arrow_table(data: Any) -> Any:
    """An in-memory table as Arrow: a pandas DataFrame, or anything that exports an Arrow stream
    (polars, DuckDB relations, ...).  pandas itself is needed only when a DataFrame is passed."""
    import pyarrow as pa

    kind = type(data)
    try:
        if kind.__module__.split(".")[0] == "pandas" and kind.__name__ == "DataFrame":
            return pa.Table.from_pandas(data, preserve_index=False)
        if hasattr(data, "__arrow_c_stream__"):
            return pa.table(data)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as e:
        raise DataError(Finding("<DataFrame>", "data-error", f"cannot convert the DataFrame: {_first_line(e)}",
                                hint="give each column values of one type")) from e
    raise DataError(Finding("<data>", "data-error", f"cannot compute from a {kind.__name__}",
                            hint="pass a pandas DataFrame, a pyarrow Table, or a table that exports Arrow data"))


def _infer_format(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")):
        return "csv"
    return None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    buffer = bytearray(1 << 20)  # one buffer, read into again and again: no fresh memory per chunk
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as fh:
        while size := fh.readinto(buffer):
            digest.update(view[:size])
    return digest.hexdigest()


def to_text(value: Any) -> str:
    """A group label for a factor value: ints as written, integral floats without ``.0``,
    booleans as ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def matches_label(value: Any, positive: Any) -> bool:
    """Whether a label value is the positive label (compared as text, numbers by value)."""
    if isinstance(value, bool) or isinstance(positive, bool):
        return _as_bool(value) is not None and _as_bool(value) == _as_bool(positive)
    if value == positive:
        return True
    a, b = str(value).strip(), str(positive).strip()
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "1.0", "yes", "t", "y"):
        return True
    if text in ("false", "0", "0.0", "no", "f", "n"):
        return False
    return None


def canonical(value: Any) -> Any:
    """A value's identity for counting distinct labels ("1" and 1.0 are one label)."""
    if isinstance(value, bool):
        return value
    try:
        return float(str(value).strip())
    except ValueError:
        return str(value)
