"""cardwright's regression, multiclass (10 classes, with class scores) and scored evaluations
against fairlearn's MetricFrame on the same data (and binary classification, timed alone: its
comparison with fairlearn is benchmarks/compute_vs_fairlearn.py, whose data and card it uses).

For each task, generates a seeded Parquet file under /tmp (three factors with 2, 5 and 4 groups),
then runs, each in its own process so peak memory is measured separately:

* cardwright: the full report (overall, each factor, every intersection; every metric of the
  task; 1000 resamples where the task bootstraps; intervals, disparities, a gate);
* fairlearn: MetricFrame over the same slices and the metrics scikit-learn has (point
  estimates, no bootstrap), on ``--fairlearn-rows`` rows of the same file (fairlearn holds the
  data in memory and re-runs every metric on every group).

It prints seconds (the computation alone, and the whole process with start-up), peak memory (max
RSS), the engine ``auto`` chose, the ratios, and the largest disagreement between the two sets of
point estimates.  From 50M rows fairlearn is left out (it holds the data in memory).

    python benchmarks/tasks_vs_fairlearn.py                        # 10M rows, every task
    python benchmarks/tasks_vs_fairlearn.py --rows 100000000 --runs 3   # 100M rows (about 2.7 GB under /tmp)
    python benchmarks/tasks_vs_fairlearn.py --engine arrow --runs 3   # medians of three runs
    python benchmarks/tasks_vs_fairlearn.py --tasks binary,regression,multiclass,scored --rows 100000000 --delete-data
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

FACTORS = {"sex": 2, "region": 5, "age_band": 4}
NO_FAIRLEARN_ROWS = 50_000_000
"""From this many rows fairlearn is not run."""
CLASSES = 10
TASKS: dict[str, dict[str, Any]] = {
    "regression": {
        "task": "regression",
        "data": {"label": "y", "prediction": "p"},
        "metrics": ["count", "mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2",
                    "mean_error", "median_absolute_error", "mean_label", "mean_prediction"],
        "gates": [{"metric": "mean_error", "over": ["sex"], "max_difference": 0.5}],
    },
    "multiclass": {
        "task": "multiclass-classification",
        "data": {"label": "y", "prediction": "p", "class_scores": {c: f"s{c}" for c in range(CLASSES)}},
        "metrics": ["count", "accuracy", "balanced_accuracy", "macro_precision", "macro_recall", "macro_f1",
                    "weighted_f1", "top_k_accuracy"],
        "per_class": True,
        "gates": [{"metric": "macro_f1", "over": ["sex"], "min": 0.3}],
    },
    "scored": {
        "task": "scored",
        "data": {"score": "x", "pass_threshold": 0.5},
        "metrics": ["count", "mean", "std", "pass_rate", "p10", "p50", "p90"],
        "gates": [{"metric": "p90", "over": ["region"], "max": 0.95}],
    },
}


def data_path(task: str, rows: int) -> Path:
    if task == "binary":
        return Path(f"/tmp/cardwright-bench-{rows}.parquet")  # compute_vs_fairlearn.py's file
    return Path(f"/tmp/cardwright-bench-{task}-{rows}.parquet")


def generate(task: str, path: Path, rows: int, seed: int = 0) -> None:
    """Write ``rows`` seeded rows in batches (never all in memory)."""
    if task == "binary":
        _binary().generate(path, rows, seed)
        return
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    names = {f: [f"{f}_{i}" for i in range(k)] for f, k in FACTORS.items()}
    writer = None
    done = 0
    while done < rows:
        n = min(2_000_000, rows - done)
        cols: dict[str, Any] = {}
        effect = np.zeros(n)
        for f, k in FACTORS.items():
            codes = rng.integers(0, k, n).astype(np.int32)
            effect += 0.1 * codes / k
            cols[f] = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(names[f]))
        cols.update(_columns(task, rng, n, effect))
        table = pa.table(cols)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=1 << 20)
        done += n
    assert writer is not None
    writer.close()


def _columns(task: str, rng: Any, n: int, effect: Any) -> dict[str, Any]:
    import numpy as np

    if task == "regression":
        y = rng.normal(50, 10, n).round(2)
        return {"y": y, "p": (y + rng.normal(effect * 5, 4, n)).round(2)}
    if task == "scored":
        return {"x": rng.beta(2, 5 - 2 * effect, n).round(4)}
    logits = rng.normal(0, 1, (n, CLASSES))
    y = rng.integers(0, CLASSES, n)
    logits[np.arange(n), y] += 1.5 + effect
    scores = np.exp(logits)
    scores /= scores.sum(1, keepdims=True)
    out = {"y": y.astype(np.int8), "p": scores.argmax(1).astype(np.int8)}
    out.update({f"s{c}": scores[:, c].astype(np.float32).round(4) for c in range(CLASSES)})
    return out


def _binary() -> Any:
    sys.path.insert(0, str(Path(__file__).parent))
    import compute_vs_fairlearn

    return compute_vs_fairlearn


def spec(task: str, engine: str) -> Any:
    from cardwright.schema.analysis import QuantitativeAnalyses

    if task == "binary":
        return QuantitativeAnalyses.model_validate(_binary().spec(engine))
    base = TASKS[task]
    return QuantitativeAnalyses.model_validate({
        **base, "engine": engine, "data": {"path": "x", **base["data"]}, "factors": list(FACTORS),
        "intersections": "all", "confidence": {"level": 0.95, "resamples": 1000, "seed": 0}, "min_group_size": 30,
    })


def run_cardwright(task: str, path: str, engine: str) -> dict[str, Any]:
    from cardwright._compute.analyses import compute_analyses

    qa = spec(task, engine)
    start = time.perf_counter()
    results = compute_analyses(qa, path)
    seconds = time.perf_counter() - start
    values = {json.dumps([r.slice, r.metric, r.class_], sort_keys=True): r.value for r in results.results}
    return {"seconds": seconds, "values": values, "engine": results.provenance.engine,
            "quantiles": results.settings.quantiles.model_dump() if results.settings.quantiles else None}


def _slices() -> list[list[str]]:
    import itertools

    names = list(FACTORS)
    return [list(c) for k in range(1, len(names) + 1) for c in itertools.combinations(names, k)]


def fairlearn_metrics(task: str) -> dict[str, Any]:
    from functools import partial

    import numpy as np
    from sklearn import metrics as skm

    if task == "regression":
        return {"count": lambda y, _p: float(len(y)), "mean_absolute_error": skm.mean_absolute_error,
                "mean_squared_error": skm.mean_squared_error, "root_mean_squared_error": skm.root_mean_squared_error,
                "r2": skm.r2_score, "mean_error": lambda y, p: float(np.mean(p - y)),
                "median_absolute_error": skm.median_absolute_error, "mean_label": lambda y, _p: float(np.mean(y)),
                "mean_prediction": lambda _y, p: float(np.mean(p))}
    if task == "scored":
        return {"count": lambda _y, p: float(len(p)), "mean": lambda _y, p: float(np.mean(p)),
                "std": lambda _y, p: float(np.std(p, ddof=1)), "pass_rate": lambda _y, p: float(np.mean(p >= 0.5)),
                "p10": lambda _y, p: float(np.percentile(p, 10, method="averaged_inverted_cdf")),
                "p50": lambda _y, p: float(np.percentile(p, 50, method="averaged_inverted_cdf")),
                "p90": lambda _y, p: float(np.percentile(p, 90, method="averaged_inverted_cdf"))}
    nan = np.nan
    return {"count": lambda y, _p: float(len(y)), "accuracy": skm.accuracy_score,
            "balanced_accuracy": skm.balanced_accuracy_score,
            "macro_precision": partial(skm.precision_score, average="macro", zero_division=nan),
            "macro_recall": partial(skm.recall_score, average="macro", zero_division=nan),
            "macro_f1": partial(skm.f1_score, average="macro", zero_division=nan),
            "weighted_f1": partial(skm.f1_score, average="weighted", zero_division=nan)}


def run_fairlearn(task: str, path: str, rows: int) -> dict[str, Any]:
    import pyarrow.parquet as pq
    from fairlearn.metrics import MetricFrame

    frame = pq.ParquetFile(path).iter_batches(batch_size=rows).__next__().to_pandas()
    start = time.perf_counter()
    y = frame["y"].to_numpy() if "y" in frame else frame["x"].to_numpy()
    p = frame["p"].to_numpy() if "p" in frame else frame["x"].to_numpy()
    values: dict[str, float] = {}
    metrics = fairlearn_metrics(task)
    for over in _slices():
        mf = MetricFrame(metrics=metrics, y_true=y, y_pred=p, sensitive_features=frame[over].astype(str))
        if over == ["sex"]:
            for name, v in mf.overall.to_dict().items():
                values[json.dumps([{}, name, None], sort_keys=True)] = float(v)
        for key, row in mf.by_group.iterrows():
            key = key if isinstance(key, tuple) else (key,)
            for name, v in row.items():
                values[json.dumps([dict(zip(over, key)), name, None], sort_keys=True)] = float(v)
    return {"seconds": time.perf_counter() - start, "values": values}


def child(which: str, task: str, path: str, engine: str, rows: int) -> None:
    out = run_cardwright(task, path, engine) if which == "cardwright" else run_fairlearn(task, path, rows)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(which: str, task: str, path: Path, engine: str, rows: int = 0) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", which, "--task", task, "--data", str(path), "--engine", engine,
           "--fairlearn-rows", str(rows)]
    wall = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - wall
    return result


def compare(cw: dict[str, Any], fl: dict[str, Any]) -> tuple[float, str | None, int]:
    worst, where, compared = 0.0, None, 0
    for key, value in fl["values"].items():
        mine = cw["values"].get(key)
        if mine is None or value != value:
            continue
        compared += 1
        if abs(mine - value) > worst:
            worst, where = abs(mine - value), key
    return worst, where, compared


def benchmark(task: str, args: argparse.Namespace) -> None:
    path = data_path(task, args.rows)
    made = not path.exists()
    if made:
        start = time.perf_counter()
        generate(task, path, args.rows)
        print(f"generated {args.rows:,} {task} rows in {time.perf_counter() - start:.1f} s: {path} "
              f"({path.stat().st_size / 2**20:.0f} MiB)")
    runs = [measure("cardwright", task, path, args.engine) for _ in range(args.runs)]
    load = os.getloadavg()[0]
    seconds = statistics.median(r["seconds"] for r in runs)
    whole = statistics.median(r["wall"] for r in runs)
    peak = max(r["peak_mb"] for r in runs)
    cw = runs[0]
    extra = f"; quantiles {cw['quantiles']}" if cw.get("quantiles") else ""
    walls = ", ".join(f"{r['wall']:.2f}" for r in runs)
    print(f"{task}: cardwright full report ({args.rows:,} rows, 8 slice sets): engine {cw['engine']}: median "
          f"{seconds:.2f} s compute, {whole:.2f} s whole process, of {args.runs} run(s) (whole: {walls} s), "
          f"peak {peak:.0f} MiB, load average {load:.1f}{extra}")
    if args.delete_data and made:
        path.unlink()
    if args.skip_fairlearn or task == "binary" or args.rows >= NO_FAIRLEARN_ROWS:
        return
    small = data_path(task, args.fairlearn_rows)
    if not small.exists():
        generate(task, small, args.fairlearn_rows)
    fl = measure("fairlearn", task, small, args.engine, args.fairlearn_rows)
    same = measure("cardwright", task, small, args.engine)
    worst, where, compared = compare(same, fl)
    print(f"{task}: on {args.fairlearn_rows:,} rows fairlearn MetricFrame (no bootstrap) {fl['seconds']:.2f} s, peak "
          f"{fl['peak_mb']:.0f} MiB; cardwright full report {same['seconds']:.2f} s, peak {same['peak_mb']:.0f} MiB; "
          f"ratio {fl['seconds'] / same['seconds']:.1f}x time, {fl['peak_mb'] / same['peak_mb']:.1f}x memory; "
          f"largest disagreement {worst:.3g} ({where}) over {compared} values")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--tasks", default=",".join(TASKS),
                    help="comma-separated: regression, multiclass, scored, binary (default: all but binary)")
    ap.add_argument("--delete-data", action="store_true", help="delete each data file this run generated once timed")
    ap.add_argument("--fairlearn-rows", type=int, default=1_000_000)
    ap.add_argument("--skip-fairlearn", action="store_true")
    ap.add_argument("--runs", type=int, default=1, help="cardwright runs per task (the median is printed)")
    ap.add_argument("--engine", default="auto", choices=["auto", "arrow", "duckdb"])
    ap.add_argument("--child", choices=["cardwright", "fairlearn"], help=argparse.SUPPRESS)
    ap.add_argument("--task", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.task, args.data, args.engine, args.fairlearn_rows)
        return
    for task in args.tasks.split(","):
        benchmark(task, args)


if __name__ == "__main__":
    main()
