"""Small-count protection (`slice_privacy.protect`), this tree against an earlier one, in one process.

The count table of each card is built once (this tree's count pass); then the protection of this
tree and of ``--before`` (a git revision, default ``main``: its ``src/cardwright`` is exported to a
temporary folder and imported under another name) run on the same table, alternately, ``--runs``
times each.  Printed per card: the median time of each, their ratio, and what each publishes
(hidden slice sizes, hidden counts, calibration tables shown).

Cards: the shipped credit model card (no calibration tables: both trees run the same grid), and
the same card with `expected_calibration_error` at 10 bins and three thresholds (0.5, 0.65, 0.8),
its three factors and two-way intersections (no table is whole: the grid is the earlier one's); at
4 bins (three tables are whole: the calibration grid is searched, and its tables dropped for
costing other counts — the slowest case found); at 2 bins and the threshold 0.75 (tables shown).

    python benchmarks/protect.py                 # against main, 5 runs each
    python benchmarks/protect.py --before HEAD~3 --runs 9
"""

from __future__ import annotations

import argparse
import importlib
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "examples" / "credit"
CASES: dict[str, dict[str, Any]] = {
    "credit (shipped)": {},
    "credit + ECE, 10 bins, thresholds 0.5/0.65/0.8": {"calibration_bins": 10, "thresholds": [0.5, 0.65, 0.8]},
    "credit + ECE, 4 bins, thresholds 0.5/0.65/0.8": {"calibration_bins": 4, "thresholds": [0.5, 0.65, 0.8]},
    "credit + ECE, 2 bins, threshold 0.75": {"calibration_bins": 2, "threshold": 0.75},
}


def earlier(revision: str, folder: Path) -> Any:
    """``slice_privacy`` of ``revision``, imported as ``cardwright_before``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "src/cardwright"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "src" / "cardwright").rename(folder / "cardwright_before")
    sys.path.insert(0, str(folder))
    return importlib.import_module("cardwright_before._compute.slice_privacy")


def inputs(change: dict[str, Any]) -> tuple[Any, ...]:
    """``(spec, table, reported, metrics)`` as `compute` hands them to the protection."""
    import pandas as pd

    import cardwright
    from cardwright._compute import slice_privacy
    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    qa = cardwright.load(CREDIT / "credit.model-card.yaml").quantitative_analyses.model_dump(exclude_none=True)
    qa["confidence"]["resamples"] = 0
    if change:
        qa["metrics"] = [*qa["metrics"], "expected_calibration_error"]
        qa["calibration_bins"] = change["calibration_bins"]
        if "thresholds" in change:
            qa["data"].pop("threshold", None)
            qa["data"]["thresholds"] = change["thresholds"]
        else:
            qa["data"]["threshold"] = change["threshold"]
    captured: list[tuple[Any, ...]] = []
    protect = slice_privacy.protect

    def capture(*args: Any) -> Any:
        captured.append(args)
        return protect(*args)

    slice_privacy.protect = capture
    try:
        compute_analyses(QuantitativeAnalyses.model_validate(qa), pd.read_csv(CREDIT / "data" / "eval.csv"))
    finally:
        slice_privacy.protect = protect
    return captured[0]


def summary(shield: Any, reported: list[tuple[str, ...]]) -> str:
    axis = shield.axis
    sizes = sum(shield.size_hidden(o, i) for o in reported for i in range(len(shield.conf[o])))
    counts = sum(shield.is_hidden(o, i, c) for o in reported for i in range(len(shield.conf[o]))
                 for c in axis.slice_counts())
    chosen = shield.calibration.tables if hasattr(shield, "calibration") else None
    tables = "-" if chosen is None else sum(shown and not shield.size_hidden(o, i) for (o, i), shown in chosen.items())
    return f"sizes hidden {sizes}, counts hidden {counts}, tables {tables}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git revision to compare with (default: main)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from cardwright._compute import slice_privacy

    with tempfile.TemporaryDirectory() as tmp:
        old = earlier(args.before, Path(tmp))
        for name, change in CASES.items():
            spec, table, reported, metrics = inputs(change)
            times: dict[str, list[float]] = {"before": [], "after": []}
            shields: dict[str, Any] = {}
            for _ in range(args.runs):
                for label, module in (("before", old), ("after", slice_privacy)):
                    start = time.perf_counter()
                    shields[label] = module.protect(spec, table, reported, metrics)
                    times[label].append(time.perf_counter() - start)
            before, after = statistics.median(times["before"]), statistics.median(times["after"])
            print(f"{name}: before {before:.2f} s, after {after:.2f} s (median of {args.runs}), "
                  f"after/before {after / before:.2f}")
            for label in ("before", "after"):
                print(f"    {label}: {summary(shields[label], reported)}")


if __name__ == "__main__":
    main()
