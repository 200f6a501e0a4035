"""Attributions → importance per slice: 10M rows × 50 attribution columns.

Generates (once, under /tmp) an evaluation Parquet file with three factors (2 × 5 × 4 age bands)
and an attribution Parquet file with 50 float columns in the same row order, then times, each in
a fresh process:

* cardwright: `mean_abs_attribution` and `mean_attribution` of every feature on every slice
  (overall, 3 factors, 4 intersections) with intervals, ranks, rank flags and the top-10
  histograms (matched by order, and by an id column with ``--by-id``; with ``--shuffled`` also by
  id against a copy of the evaluation file whose rows are shuffled, so no row is in its place);
* the peer: pandas, ``groupby(factors).agg(["mean", "std"])`` of the attributions and of their
  absolute values on the finest cells only (no other slice, no interval, no ranks).

    python benchmarks/attributions.py                    # 10M rows, 3 runs each, medians
    python benchmarks/attributions.py --rows 1000000 --runs 5
    python benchmarks/attributions.py --by-id --shuffled --skip-pandas
    python benchmarks/attributions.py --engines arrow,duckdb,spark --by-id   # the same on each engine

DuckDB and Spark (``local[2]``) read the same two files; Spark matches by id only (it keeps no
file order), so without ``--by-id`` it is left out.

Target: cardwright ≤ 10 s at 10M rows on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path("/tmp/cardwright-bench-attributions")
FEATURES = 50


def generate(rows: int) -> Path:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = ROOT / f"{rows}"
    if (folder / "attributions.parquet").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    chunk = 1_000_000
    eval_writer = att_writer = None
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        sex = rng.choice(np.array(["female", "male"]), n)
        race = rng.choice(np.array(["a", "b", "c", "d", "e"]), n, p=[0.5, 0.2, 0.15, 0.1, 0.05])
        age = rng.integers(18, 90, n).astype(np.float64)
        ids = np.char.add("r", np.arange(start, start + n).astype(str))
        ev = pa.table({"row_id": ids, "y": rng.integers(0, 2, n), "score": rng.random(n).round(4),
                       "sex": sex, "race": race, "age": age})
        scale = np.linspace(1.0, 0.02, FEATURES)
        att = {f"f{j:02d}": rng.normal(0, scale[j], n) * (1.3 if j % 7 == 0 else 1.0) for j in range(FEATURES)}
        att_table = pa.table({"row_id": ids, **att})
        if eval_writer is None:
            eval_writer = pq.ParquetWriter(folder / "eval.parquet", ev.schema)
            att_writer = pq.ParquetWriter(folder / "attributions.parquet", att_table.schema)
        eval_writer.write_table(ev)
        assert att_writer is not None
        att_writer.write_table(att_table)
    assert eval_writer is not None and att_writer is not None
    eval_writer.close()
    att_writer.close()
    return folder


def shuffled(folder: Path) -> None:
    """``eval_shuffled.parquet``: the evaluation rows in a random order."""
    import numpy as np
    import pyarrow.parquet as pq

    if (folder / "eval_shuffled.parquet").exists():
        return
    table = pq.read_table(folder / "eval.parquet")
    order = np.random.default_rng(1).permutation(table.num_rows)
    pq.write_table(table.take(order), folder / "eval_shuffled.parquet")


CARDWRIGHT = """
import sys, time
from pathlib import Path
from cardwright.schema.analysis import QuantitativeAnalyses
from cardwright._compute.analyses import reported_slice_sets
from cardwright._compute.attributions import compute
folder, by_id, engine = Path(sys.argv[1]), sys.argv[2] != "order", sys.argv[3]
spec = QuantitativeAnalyses.model_validate({
    "data": {"path": "eval_shuffled.parquet" if sys.argv[2] == "shuffled" else "eval.parquet", "label": "y", "score": "score", "threshold": 0.5},
    "factors": ["sex", "race", {"column": "age", "bins": [25, 45, 65], "name": "age_band"}],
    "metrics": ["accuracy"],
    "attributions": {"path": "attributions.parquet", "id": "row_id" if by_id else None,
                     "features": [f"f{j:02d}" for j in range(50)]}})
session = None
if engine == "spark":
    from pyspark.sql import SparkSession
    session = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
start = time.perf_counter()
if engine == "arrow":
    out = compute(spec, folder, reported_slice_sets(spec))
else:
    from cardwright._compute import engines
    from cardwright._compute.engines.attribution_pass import compute as on_engine
    inputs = [engines.resolve(None, p, None, folder) for p in ("eval.parquet", "attributions.parquet")]
    out = on_engine(spec, *inputs, engine, reported_slice_sets(spec), session=session)
print(time.perf_counter() - start, len(out["importance"]))
"""

PANDAS = """
import sys, time
import pandas as pd
folder = sys.argv[1]
start = time.perf_counter()
ev = pd.read_parquet(f"{folder}/eval.parquet", columns=["sex", "race", "age"])
att = pd.read_parquet(f"{folder}/attributions.parquet").drop(columns="row_id")
ev["age_band"] = pd.cut(ev["age"], [-float("inf"), 25, 45, 65, float("inf")], right=False)
keys = [ev["sex"], ev["race"], ev["age_band"]]
a = att.groupby(keys, observed=True).agg(["mean", "std"])
b = att.abs().groupby(keys, observed=True).agg(["mean", "std"])
print(time.perf_counter() - start, a.size + b.size)
"""


def run(code: str, *args: str) -> float:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return float(out.stdout.split()[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--by-id", action="store_true", help="also time matching by the id column")
    ap.add_argument("--shuffled", action="store_true",
                    help="also time matching by id with the evaluation rows in a random order (arrow)")
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--engines", default="arrow", help="comma-separated: arrow, duckdb, spark")
    args = ap.parse_args()
    folder = generate(args.rows)
    runs: dict[str, tuple[str, str]] = {}
    for engine in args.engines.split(","):
        if engine != "spark":
            runs[f"cardwright {engine} (by order)"] = (engine, "order")
        if args.by_id:
            runs[f"cardwright {engine} (by id)"] = (engine, "id")
        if args.shuffled and engine == "arrow":
            shuffled(folder)
            runs[f"cardwright {engine} (by id, evaluation rows shuffled)"] = (engine, "shuffled")
    times: dict[str, list[float]] = {name: [] for name in runs}
    if not args.skip_pandas:
        times["pandas groupby, finest cells only"] = []
    for _ in range(args.runs):
        for name, (engine, match) in runs.items():
            times[name].append(run(CARDWRIGHT, str(folder), match, engine))
        if not args.skip_pandas:
            times["pandas groupby, finest cells only"].append(run(PANDAS, str(folder)))
    first = next(iter(times))
    base = statistics.median(times[first])
    print(f"{args.rows:,} rows × {FEATURES} attribution columns, median of {args.runs} runs\n")
    print(f"| run | median (s) | runs (s) | vs {first} |\n|---|---|---|---|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"| {name} | {med:.2f} | {', '.join(f'{t:.2f}' for t in ts)} | {med / base:.2f}x |")
    print(json.dumps({k: statistics.median(v) for k, v in times.items()}))


if __name__ == "__main__":
    main()
