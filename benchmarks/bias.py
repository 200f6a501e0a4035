"""What the pre-training bias measures cost a datasheet's composition pass.

Generates (once, under /tmp) a seeded table of 10M rows (Parquet) with a label, two sensitive
attributes (2 × 5 groups), a stratum column (6 departments) and four other columns, then runs
the datasheet's composition statistics twice, each in a fresh process: without `bias_metrics`,
and with all eight of Clarify's measures (CDDL conditioned on the department, intersections
included, 1,000 resamples).  The measures add the strata and the label to the key the pass
already counts, so the data are read the same number of times; the ratio is the price of the
wider key and of everything after the count.

    python benchmarks/bias.py                       # 10M rows, arrow, 3 runs each, medians
    python benchmarks/bias.py --rows 1000000 --engine duckdb
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path("/tmp/cardwright-bench-bias")

RUN = """
import sys, time
from cardwright._compute.composition import compute_composition
from cardwright.schema.analysis import CompositionData
from cardwright.schema.bias import BIAS_METRIC_NAMES
path, engine, bias = sys.argv[1], sys.argv[2], sys.argv[3] == "bias"
spec = {"path": path, "label": "label", "sensitive_attributes": ["sex", "race"], "engine": engine}
if bias:
    spec.update(positive_label="yes", conditional_on=["department"], bias_metrics=list(BIAS_METRIC_NAMES))
start = time.perf_counter()
compute_composition(CompositionData.model_validate(spec))
print(time.perf_counter() - start)
"""


def generate(rows: int) -> Path:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = ROOT / f"{rows}.parquet"
    if path.exists():
        return path
    ROOT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    writer = None
    for start in range(0, rows, 1_000_000):
        n = min(1_000_000, rows - start)
        table = pa.table({
            "label": rng.choice(np.array(["yes", "no"]), n, p=[0.4, 0.6]),
            "sex": rng.choice(np.array(["female", "male"]), n),
            "race": rng.choice(np.array(["a", "b", "c", "d", "e"]), n, p=[0.5, 0.2, 0.15, 0.1, 0.05]),
            "department": rng.choice(np.array(list("ABCDEF")), n),
            "income": rng.lognormal(10, 1, n), "age": rng.integers(18, 90, n),
            "score": rng.random(n), "region": rng.choice(np.array(["n", "s", "e", "w"]), n),
        })
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()
    return path


def run(path: Path, engine: str, mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", RUN, str(path), engine, mode], check=True, capture_output=True,
                         text=True)
    return float(out.stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engine", default="arrow", choices=["arrow", "duckdb", "spark"])
    args = ap.parse_args()
    path = generate(args.rows)
    times: dict[str, list[float]] = {"composition only": [], "composition + 8 bias measures": []}
    for _ in range(args.runs):
        times["composition only"].append(run(path, args.engine, "plain"))
        times["composition + 8 bias measures"].append(run(path, args.engine, "bias"))
    base = statistics.median(times["composition only"])
    print(f"{args.rows:,} rows, engine {args.engine}, median of {args.runs} runs\n")
    print("| run | median (s) | runs (s) | vs composition only |\n|---|---|---|---|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"| {name} | {med:.2f} | {', '.join(f'{t:.2f}' for t in ts)} | {med / base:.2f}x |")


if __name__ == "__main__":
    main()
