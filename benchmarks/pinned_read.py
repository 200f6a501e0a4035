"""The digest of the bytes counted: what pinning the data file costs against reading it twice.

Generates (once, under /tmp) an evaluation CSV file and a Parquet file of the same rows, then
times, each run in this process after a warm-up (so both read from the page cache):

* pinned: the count pass of the Arrow engine through the pinned descriptor
  (``cardwright._compute.snapshot``), with the digest taken from the same reads (CSV) or from the
  pinned descriptor (Parquet), and the identity check afterwards: what `compute` does;
* the peer: the count pass reading the file by name, then ``hashlib.sha256`` over the whole file
  in a second read (what `compute` did before, and what a separate checksum step costs).

Prints the median seconds of each and the ratio pinned / peer.

    python benchmarks/pinned_read.py                 # 5M rows, 5 runs each
    python benchmarks/pinned_read.py --rows 1000000 --runs 3
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from pathlib import Path

ROOT = Path("/tmp/cardwright-bench-pinned")
COLUMNS = ["sex", "race", "y_true", "y_score"]


def generate(rows: int) -> tuple[Path, Path]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder = ROOT / str(rows)
    csv, parquet = folder / "eval.csv", folder / "eval.parquet"
    if csv.exists() and parquet.exists():
        return csv, parquet
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    table = pa.table({
        "sex": rng.choice(["female", "male"], rows),
        "race": rng.choice(["a", "b", "c", "d", "e"], rows),
        "y_true": rng.integers(0, 2, rows),
        "y_score": np.round(rng.random(rows), 4),
    })
    pacsv.write_csv(table, csv)
    pq.write_table(table, parquet)
    return csv, parquet


def count(src: object) -> int:
    return sum(b.num_rows for b in src.batches(COLUMNS, ("sex", "race", "y_true")))  # type: ignore[attr-defined]


def pinned(path: Path) -> str | None:
    from cardwright._compute.engines import resolve
    from cardwright._compute.reading import open_source

    inp = resolve(None, path.name, None, path.parent)
    count(open_source(path=inp.path, display=path.name, pinned=inp.pinned))
    return inp.digest()


def peer(path: Path) -> str:
    from cardwright._compute.reading import open_source

    count(open_source(path=path, display=path.name))
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def median_seconds(fn: object, path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(path)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for path in generate(args.rows):
        assert pinned(path) == peer(path)  # the same digest, and a warm page cache for both
        ours, theirs = median_seconds(pinned, path, args.runs), median_seconds(peer, path, args.runs)
        size = path.stat().st_size / (1 << 20)
        print(f"{path.name:13} {size:7.1f} MiB  pinned {ours:6.2f} s  count+sha256 {theirs:6.2f} s  "
              f"ratio {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
