"""The count pass on each engine: the built-in Arrow pass, DuckDB and Spark (local mode).

Generates a seeded evaluation set under /tmp in batches (never all in memory): Parquet split into
several part files (what DuckDB and Spark read, as the glob ``part-*.parquet``) and the same rows
as one file (the Arrow pass reads one file).  Three factors (sex: 2 groups, region: 5, age binned
into 4 bands), a string label, continuous scores (binned AUC) and ``score >= 0.5`` predictions.
Each engine runs in its own process; the parent samples the resident memory of that process and
all its descendants (the JVM for Spark) every 50 ms.  It prints, per engine: seconds of the
count pass, rows/s, seconds of the whole process (start-up, count, metrics and 200 bootstrap
resamples), peak memory of the process tree, and ratios against the Arrow pass; and checks the
three results files are identical apart from ``provenance.engine`` and the data path.

    python benchmarks/engines.py                    # 10M rows
    python benchmarks/engines.py --rows 100000000   # 100M rows (about 2.5 GB under /tmp)
    python benchmarks/engines.py --engines arrow,duckdb
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PARTS = 8


def generate(folder: Path, rows: int, seed: int = 0) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    if (folder / "done").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    per_part = -(-rows // PARTS)
    batch = 2_000_000
    single = None
    done = 0
    for part in range(PARTS):
        writer = None
        end = min(rows, done + per_part)
        while done < end:
            n = min(batch, end - done)
            sex = rng.integers(0, 2, n)
            region = rng.integers(0, 5, n)
            age = rng.integers(16, 90, n).astype(np.float64)
            y = rng.random(n) < (0.3 + 0.05 * region / 4 + 0.05 * sex)
            score = np.clip(0.25 * y + rng.beta(2, 3, n), 0, 1)
            table = pa.table({
                "y": pa.array(np.where(y, "yes", "no")),
                "s": score,
                "sex": pa.array(np.array(["female", "male"])[sex]),
                "region": pa.array(np.array(["north", "south", "east", "west", "central"])[region]),
                "age": age,
            })
            writer = writer or pq.ParquetWriter(folder / f"part-{part}.parquet", table.schema)
            single = single or pq.ParquetWriter(folder / "all.parquet", table.schema)
            writer.write_table(table)
            single.write_table(table)
            done += n
        if writer is not None:
            writer.close()
    if single is not None:
        single.close()
    (folder / "done").write_text(str(rows))


def spec(path: str):
    from cardwright.schema.analysis import QuantitativeAnalyses

    return QuantitativeAnalyses.model_validate({
        "data": {"path": path, "label": "y", "score": "s", "threshold": 0.5, "positive_label": "yes"},
        "factors": ["sex", "region", {"column": "age", "bins": [25, 45, 65], "name": "age_band"}],
        "metrics": ["count", "selection_rate", "accuracy", "recall", "false_positive_rate", "roc_auc"],
        "confidence": {"resamples": 200, "seed": 0},
    })


def child(engine: str, folder: Path, out: Path) -> None:
    """One engine in this process: the count pass timed apart from the rest."""
    start = time.perf_counter()
    from cardwright._compute import engines
    from cardwright._compute.analyses import compute_analyses
    from cardwright._compute.api import dumps

    session = None
    if engine == "spark":
        from pyspark.sql import SparkSession

        session = (SparkSession.builder.master("local[2]").appName("cardwright-bench")
                   .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.driver.memory", "2g").getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
    path = "all.parquet" if engine == "arrow" else "part-*.parquet"
    timed: dict[str, float] = {}
    original = engines.count_table

    def count_table(*args, **kwargs):
        t = time.perf_counter()
        table = original(*args, **kwargs)
        timed["count"] = time.perf_counter() - t
        timed["rows"] = table.rows_read
        return table

    engines.count_table = count_table
    results = compute_analyses(spec(path), base_dir=folder, engine=engine, session=session)
    total = time.perf_counter() - start
    out.write_text(json.dumps({"count": timed["count"], "rows": timed["rows"], "total": total,
                               "results": dumps(results)}))
    if session is not None:
        session.stop()


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every descendant."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        todo += children.get(p, [])
    return total


def run(engine: str, folder: Path) -> dict:
    out = folder / f"result-{engine}.json"
    out.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, __file__, "--child", engine, "--folder", str(folder)],
                            stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.05)
    if proc.returncode != 0:
        raise SystemExit(f"{engine} failed with exit code {proc.returncode}")
    got = json.loads(out.read_text())
    got["peak"] = peak
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--engines", default="arrow,duckdb,spark")
    parser.add_argument("--child")
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.folder / f"result-{args.child}.json")
        return
    folder = Path(f"/tmp/cardwright-engines-{args.rows}")
    t = time.perf_counter()
    generate(folder, args.rows)
    size = sum(p.stat().st_size for p in folder.glob("part-*.parquet"))
    print(f"{args.rows:,} rows in {PARTS} Parquet parts ({size / 2**20:,.0f} MiB) under {folder} "
          f"(ready in {time.perf_counter() - t:.0f} s); {os.cpu_count()} cores")
    runs = {e: run(e, folder) for e in args.engines.split(",")}
    base = runs.get("arrow") or next(iter(runs.values()))
    print("\n| engine | count pass (s) | rows/s | whole run (s) | peak memory (MiB) | count time vs arrow "
          "| memory vs arrow |\n|---|---|---|---|---|---|---|")
    for name, r in runs.items():
        print(f"| {name} | {r['count']:.1f} | {r['rows'] / r['count']:,.0f} | {r['total']:.1f} | "
              f"{r['peak'] / 2**20:,.0f} | {r['count'] / base['count']:.2f}x | {r['peak'] / base['peak']:.2f}x |")
    texts = set()
    for r in runs.values():
        data = json.loads(r["results"])
        for key in ("engine", "data_path", "data_sha256", "bytes", "settings_sha256"):
            data["provenance"].pop(key)
        texts.add(json.dumps(data, sort_keys=True))
    print(f"\nresults identical across engines (less engine and data path): {len(texts) == 1}")


if __name__ == "__main__":
    main()
