"""What data preparation costs: `compute` with and without a filter (and with `strip_whitespace`
and `na_values` too), on the Arrow pass and DuckDB, on CSV and Parquet; pandas (read the file,
then the same boolean mask) as the named peer for the filtering step.

Generates a seeded evaluation set under /tmp (a string label, a score, a text factor, a numeric
column the filter compares, a charge-degree column), then for each engine and format prints the
median seconds of several runs of the whole computation (count, metrics, no bootstrap), the ratio
of filtered to unfiltered, and the ratio to pandas reading the file and applying the mask.

    python benchmarks/filtering.py                 # 2M rows, 3 runs each
    python benchmarks/filtering.py --rows 10000000 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

FILTER = 'days <= 30 and days >= -30 and charge != "O" and region in ["north", "south", "east"]'


def generate(folder: Path, rows: int, seed: int = 0) -> dict[str, Path]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    paths = {"parquet": folder / "eval.parquet", "csv": folder / "eval.csv"}
    if all(p.exists() for p in paths.values()):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    y = rng.random(rows) < 0.4
    days = rng.integers(-60, 60, rows).astype(float)
    days[rng.random(rows) < 0.05] = np.nan
    table = pa.table({
        "y": pa.array(np.where(y, "yes", "no")),
        "s": np.clip(0.3 * y + rng.beta(2, 3, rows), 0, 1),
        "region": pa.array(np.array(["north", "south", "east", "west", " central "])[rng.integers(0, 5, rows)]),
        "days": pa.array(days, mask=np.isnan(days)),  # missing, as an empty CSV field
        "charge": pa.array(np.array(["F", "M", "O"])[rng.choice(3, rows, p=[0.6, 0.39, 0.01])]),
    })
    pq.write_table(table, paths["parquet"])
    pacsv.write_csv(table, paths["csv"])
    return paths


def spec(path: Path, prep: dict[str, Any]) -> Any:
    from cardwright.schema.analysis import QuantitativeAnalyses

    data = {"path": path.name, "label": "y", "score": "s", "threshold": 0.5, "positive_label": "yes", **prep}
    return QuantitativeAnalyses.model_validate({
        "data": data, "factors": ["region"], "metrics": ["count", "accuracy", "false_positive_rate"],
        "confidence": {"resamples": 0}, "min_group_size": 1})


def timed(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pandas_mask(path: Path) -> int:
    import pandas as pd

    df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    keep = (df.days <= 30) & (df.days >= -30) & (df.charge != "O") & df.region.isin(["north", "south", "east"])
    return int(keep.sum())


def main(argv: list[str] | None = None) -> int:
    from cardwright._compute.analyses import compute_analyses

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    paths = generate(Path(f"/tmp/cardwright-filter-bench-{args.rows}"), args.rows)
    variants = {"none": {}, "filter": {"filter": FILTER},
                "filter+strip+na": {"filter": FILTER, "strip_whitespace": True, "na_values": ["?", "unknown"]}}
    print(f"{args.rows:,} rows, median of {args.runs} runs; filter: {FILTER}")
    print(f"{'engine':8} {'format':8} {'pandas mask':>12} " + " ".join(f"{v:>16}" for v in variants)
          + "   filtered/none  filtered/pandas")
    for fmt, path in paths.items():
        kept = pandas_mask(path)
        peer = timed(lambda path=path: pandas_mask(path), args.runs)
        for engine in ("arrow", "duckdb"):
            seconds = {}
            for name, prep in variants.items():
                def run(prep: dict[str, Any] = prep, engine: str = engine, path: Path = path, kept: int = kept) -> None:
                    result = compute_analyses(spec(path, prep), base_dir=path.parent, engine=engine)
                    if "filter" in prep:  # the same rows as pandas keeps
                        assert result.provenance.rows_used == kept
                seconds[name] = timed(run, args.runs)
            print(f"{engine:8} {fmt:8} {peer:11.2f}s " + " ".join(f"{seconds[v]:15.2f}s" for v in variants)
                  + f"   {seconds['filter'] / seconds['none']:13.2f}  {seconds['filter'] / peer:15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
