"""pyarrow's CSV error messages, as cardwright reads them.

pyarrow raises one exception type for every problem in a CSV file, so cardwright tells the
problems apart by their wording, through one table (``reading.PYARROW_CSV_PROBLEMS``).  Each
test here makes the installed pyarrow fail on a real file the way a user's file would and feeds
the error pyarrow raised through that table: a pyarrow release that rewords a message fails here,
with the new wording in the assertion, instead of giving users a vaguer finding.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cardwright._compute import reading
from cardwright.errors import DataError

ROWS = b"sex,y_true,y_score\n" + b"f,1,0.9\nm,0,0.2\n" * 500


def read_all(path: Path, string_columns: tuple[str, ...] = ()) -> BaseException:
    """Read ``path`` as `compute` does; return the error pyarrow raised (the finding's cause)."""
    with pytest.raises(DataError) as caught:
        src = reading.open_source(path=path)
        for _ in src.batches(src.column_names, string_columns):
            pass
    cause = caught.value.__cause__
    assert cause is not None, caught.value
    return cause


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_that_is_not_utf8(tmp_path):
    path = write(tmp_path, "eval.csv", ROWS + b"\xe9,1,0.5\n")
    e = read_all(path, string_columns=("sex",))
    assert reading.csv_problem(e) == "not-utf8", str(e)


def test_a_row_longer_than_a_block(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "CSV_BLOCK_BYTES", 1 << 16)  # the same failure as 16 MiB, without the 16 MiB
    path = write(tmp_path, "eval.csv", ROWS + b"f" * (1 << 17) + b",1,0.5\n" + ROWS[19:])
    e = read_all(path)
    assert reading.csv_problem(e) == "row-too-long", str(e)


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_damaged_compressed_file(tmp_path, damage):
    packed = gzip.compress(ROWS * 50)
    data = packed[: len(packed) // 2] if damage == "truncated" else packed[:20] + b"\0" * 64 + packed[84:]
    e = read_all(write(tmp_path, "eval.csv.gz", data))
    assert isinstance(e, OSError)
    assert reading.csv_problem(e) == "compression", str(e)


@pytest.mark.parametrize("where", ["header", "body"])
def test_a_row_with_the_wrong_number_of_fields(tmp_path, where):
    data = ROWS + b"f,1\n" + ROWS[19:]
    if where == "header":  # the first block is parsed while the header is read
        with pytest.raises(DataError) as caught:
            reading.open_source(path=write(tmp_path, "eval.csv", b"sex,y_true,y_score\nf,1\n"))
        e = caught.value.__cause__
        assert e is not None
    else:
        e = read_all(write(tmp_path, "eval.csv", data))
    assert reading.csv_problem(e) == "wrong-field-count", str(e)


def test_an_empty_file(tmp_path):
    """An empty file is said to be empty, at its first line, with what to write there."""
    with pytest.raises(DataError) as caught:
        reading.open_source(path=write(tmp_path, "eval.csv", b""))
    e = caught.value.__cause__
    assert e is not None and reading.csv_problem(e) == "empty", str(e)
    finding = caught.value.findings[0]
    assert (finding.message, finding.line) == ("the file is empty: no line names the columns", 1)
    assert "column names on the first line" in (finding.hint or "")


def test_an_error_that_is_none_of_them_stays_unclassified():
    import pyarrow as pa

    assert reading.csv_problem(pa.ArrowInvalid("CSV parse error: something new")) is None


def test_every_pattern_in_the_table_is_tested_here():
    tested = {"not-utf8", "row-too-long", "compression", "wrong-field-count", "empty"}
    assert {kind for _, kind in reading.PYARROW_CSV_PROBLEMS} == tested
