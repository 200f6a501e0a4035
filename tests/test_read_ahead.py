"""Reading ahead keeps the reader's order and errors, and stops the reader when the caller stops;
a Parquet file read through it gives the same rows as reading it whole."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cardwright._compute.read_ahead import read_ahead
from cardwright._compute.reading import open_source


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "cardwright-read-ahead"]


def test_items_arrive_in_order() -> None:
    assert list(read_ahead(iter(range(5000)))) == list(range(5000))
    assert list(read_ahead(iter([]))) == []
    assert not _readers()


def test_an_error_of_the_reader_is_raised_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield from (0, 1, 2)
        raise ValueError("broken row group")

    got = []
    with pytest.raises(ValueError, match="broken row group"):
        for item in read_ahead(items()):
            got.append(item)
    assert got == [0, 1, 2]
    assert not _readers()


def test_the_reader_stops_when_the_caller_stops() -> None:
    produced = []

    def endless() -> Iterator[int]:
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    ahead = read_ahead(endless(), depth=2)
    assert [next(ahead) for _ in range(3)] == [0, 1, 2]
    ahead.close()
    assert not _readers()
    assert len(produced) <= 3 + 2 + 1  # what was used, what waited, what was being read


def test_parquet_batches_are_the_file_rows(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    table = pa.table({"x": rng.normal(size=2_500_000), "g": rng.integers(0, 5, 2_500_000)})
    path = tmp_path / "rows.parquet"
    pq.write_table(table, path, row_group_size=700_000)
    source = open_source(path=path, fmt="parquet")
    batches = list(source.batches(["x", "g"]))
    assert len(batches) > 2
    assert pa.Table.from_batches(batches).equals(pq.read_table(path))
    assert not _readers()
