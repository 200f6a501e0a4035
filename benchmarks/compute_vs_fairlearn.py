"""cardwright's compute engine against fairlearn's MetricFrame on the same data.

Generates a seeded evaluation set (three factors with 2, 5 and 4 groups, a label, a score and a
prediction) as a Parquet file under /tmp, then runs, each in its own process so peak memory is
measured separately:

* cardwright: the full report (overall, each factor, every intersection; all 14 metrics; 1000
  bootstrap resamples for intervals and disparities);
* fairlearn: MetricFrame over the same slices and the 13 count metrics plus ROC AUC, without
  bootstrap, and with ``n_boot`` at a size that finishes (``--fairlearn-boot``);

and prints seconds, peak memory (max RSS), the ratios, and the largest disagreement between the
two sets of point estimates.  ``--rows 100000000 --skip-fairlearn`` shows the bounded-memory run
on a file too large for an in-memory tool, with a progress bar on stderr.

    python benchmarks/compute_vs_fairlearn.py                      # 10M rows
    python benchmarks/compute_vs_fairlearn.py --rows 100000000 --skip-fairlearn
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

FACTORS = {"sex": 2, "region": 5, "age_band": 4}
METRICS = ["count", "base_rate", "selection_rate", "accuracy", "balanced_accuracy", "precision", "recall",
           "specificity", "false_positive_rate", "false_negative_rate", "false_discovery_rate",
           "negative_predictive_value", "f1", "roc_auc"]


def generate(path: Path, rows: int, seed: int = 0) -> None:
    """Write ``rows`` seeded rows in batches (never all in memory)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    names = {f: [f"{f}_{i}" for i in range(k)] for f, k in FACTORS.items()}
    batch = 2_000_000
    writer = None
    done = 0
    while done < rows:
        n = min(batch, rows - done)
        cols = {}
        effect = np.zeros(n)
        for f, k in FACTORS.items():
            codes = rng.integers(0, k, n).astype(np.int32)
            effect += 0.1 * codes / k
            cols[f] = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(names[f]))
        y = (rng.random(n) < 0.2 + effect).astype(np.int8)
        score = np.clip(0.35 * y + 0.55 * rng.random(n) + 0.2 * effect, 0, 1).round(4)
        cols["y_true"] = pa.array(y)
        cols["y_score"] = pa.array(score)
        cols["y_pred"] = pa.array((score >= 0.5).astype(np.int8))
        table = pa.table(cols)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=1 << 20)
        done += n
    writer.close()


def spec(engine: str = "auto") -> dict:
    return {
        "engine": engine,
        "data": {"path": "x", "label": "y_true", "prediction": "y_pred", "score": "y_score"},
        "factors": list(FACTORS),
        "intersections": "all",
        "metrics": METRICS,
        "confidence": {"level": 0.95, "resamples": 1000, "seed": 0},
        "min_group_size": 30,
        "gates": [{"metric": "false_positive_rate", "over": ["sex"], "max_difference": 0.05}],
    }


def run_cardwright(path: str, progress: bool, engine: str = "auto") -> dict:
    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    qa = QuantitativeAnalyses.model_validate(spec(engine))
    start = time.perf_counter()
    results = compute_analyses(qa, path, progress=progress)
    seconds = time.perf_counter() - start
    values = {json.dumps([r.slice, r.metric], sort_keys=True): r.value for r in results.results}
    return {"seconds": seconds, "values": values, "auc": results.settings.auc.model_dump(),
            "engine": results.provenance.engine}


def _slices():
    import itertools

    names = list(FACTORS)
    return [list(c) for k in range(1, len(names) + 1) for c in itertools.combinations(names, k)]


def fairlearn_metrics() -> dict:
    import numpy as np
    from fairlearn.metrics import false_negative_rate, false_positive_rate, selection_rate
    from sklearn import metrics as skm

    def base_rate(y, _p):
        return float(np.mean(y))

    def npv(y, p):
        return skm.precision_score(1 - y, 1 - p, zero_division=np.nan)

    def fdr(y, p):
        return 1 - skm.precision_score(y, p, zero_division=np.nan)

    return {
        "count": lambda y, _p: float(len(y)), "base_rate": base_rate, "selection_rate": selection_rate,
        "accuracy": skm.accuracy_score, "balanced_accuracy": skm.balanced_accuracy_score,
        "precision": lambda y, p: skm.precision_score(y, p, zero_division=np.nan),
        "recall": skm.recall_score, "specificity": lambda y, p: skm.recall_score(1 - y, 1 - p),
        "false_positive_rate": false_positive_rate, "false_negative_rate": false_negative_rate,
        "false_discovery_rate": fdr, "negative_predictive_value": npv, "f1": skm.f1_score,
    }


def run_fairlearn(path: str, n_boot: int) -> dict:
    import pandas as pd
    from fairlearn.metrics import MetricFrame
    from sklearn.metrics import roc_auc_score

    frame = pd.read_parquet(path)
    start = time.perf_counter()
    y, p, s = frame["y_true"].to_numpy(), frame["y_pred"].to_numpy(), frame["y_score"].to_numpy()
    values = {}
    extra = {"n_boot": n_boot, "ci_quantiles": [0.025, 0.975], "random_state": 0} if n_boot else {}
    metrics = fairlearn_metrics()
    for over in _slices():
        sf = frame[over].astype(str)
        mf = MetricFrame(metrics=metrics, y_true=y, y_pred=p, sensitive_features=sf, **extra)
        auc = MetricFrame(metrics={"roc_auc": roc_auc_score}, y_true=y, y_pred=s, sensitive_features=sf, **extra)
        if over == ["sex"]:
            for name, v in {**mf.overall.to_dict(), **auc.overall.to_dict()}.items():
                values[json.dumps([{}, name], sort_keys=True)] = float(v)
        for table in (mf.by_group, auc.by_group):
            for key, row in table.iterrows():
                key = key if isinstance(key, tuple) else (key,)
                for name, v in row.items():
                    values[json.dumps([dict(zip(over, key)), name], sort_keys=True)] = float(v)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "values": values}


def child(which: str, path: str, n_boot: int, progress: bool, engine: str = "auto") -> None:
    out = run_cardwright(path, progress, engine) if which == "cardwright" else run_fairlearn(path, n_boot)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(which: str, path: Path, n_boot: int = 0, progress: bool = False, engine: str = "auto") -> dict:
    cmd = [sys.executable, __file__, "--child", which, "--data", str(path), "--fairlearn-boot", str(n_boot),
           "--engine", engine]
    if progress:
        cmd.append("--progress")
    wall = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - wall
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--data", help="Parquet file to use (generated when missing)")
    ap.add_argument("--fairlearn-boot", type=int, default=10, help="n_boot for the bootstrapped MetricFrame run (0: skip)")
    ap.add_argument("--fairlearn-boot-rows", type=int, default=200_000, help="rows for the bootstrapped fairlearn run")
    ap.add_argument("--skip-fairlearn", action="store_true")
    ap.add_argument("--progress", action="store_true")
    ap.add_argument("--engine", default="auto", choices=["auto", "arrow", "duckdb"],
                    help="cardwright's counting engine (auto picks duckdb for large files when installed)")
    ap.add_argument("--child", choices=["cardwright", "fairlearn"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.data, args.fairlearn_boot, args.progress, args.engine)
        return
    path = Path(args.data or f"/tmp/cardwright-bench-{args.rows}.parquet")
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - t:.1f} s: {path} "
              f"({path.stat().st_size / 2**20:.0f} MiB)")
    cw = measure("cardwright", path, progress=args.progress or args.skip_fairlearn, engine=args.engine)
    print(f"cardwright full report ({args.rows:,} rows; 8 slice sets, 14 metrics, 1000 resamples): "
          f"engine {cw['engine']}: {cw['seconds']:.2f} s compute, {cw['wall']:.2f} s with start-up, peak {cw['peak_mb']:.0f} MiB; "
          f"AUC {cw['auc']['method']} ({cw['auc']['bins']} bins, max error {cw['auc']['max_error']:.1e})")
    if args.skip_fairlearn:
        return
    fl = measure("fairlearn", path)
    print(f"fairlearn MetricFrame, no bootstrap ({args.rows:,} rows; same slices and metrics): "
          f"{fl['seconds']:.2f} s, {fl['wall']:.2f} s with start-up, peak {fl['peak_mb']:.0f} MiB")
    print(f"ratio fairlearn (no bootstrap) / cardwright (1000 resamples): time {fl['seconds'] / cw['seconds']:.1f}x, "
          f"peak memory {fl['peak_mb'] / cw['peak_mb']:.1f}x")
    worst, where = 0.0, None
    for key, v in fl["values"].items():
        mine = cw["values"].get(key)
        if mine is None or v != v:
            continue
        if abs(mine - v) > worst:
            worst, where = abs(mine - v), key
    print(f"largest disagreement in point estimates: {worst:.3g} ({where}); "
          f"{len(set(fl['values']) & set(cw['values']))} values compared")
    if args.fairlearn_boot:
        small = Path(f"/tmp/cardwright-bench-{args.fairlearn_boot_rows}.parquet")
        if not small.exists():
            generate(small, args.fairlearn_boot_rows)
        flb = measure("fairlearn", small, n_boot=args.fairlearn_boot)
        cws = measure("cardwright", small, engine=args.engine)
        print(f"with bootstrap on {args.fairlearn_boot_rows:,} rows: fairlearn n_boot={args.fairlearn_boot} "
              f"{flb['seconds']:.2f} s (peak {flb['peak_mb']:.0f} MiB) vs cardwright 1000 resamples "
              f"{cws['seconds']:.2f} s (peak {cws['peak_mb']:.0f} MiB): "
              f"{flb['seconds'] / cws['seconds']:.1f}x, per resample "
              f"{(flb['seconds'] / args.fairlearn_boot) / (cws['seconds'] / 1000):.0f}x")


if __name__ == "__main__":
    main()
