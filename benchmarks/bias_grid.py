"""What protecting a datasheet's bias measures together with its tables costs.

With ``bias_metrics`` every count a datasheet publishes (groups and intersections, the label's
and the strata columns' value tables, and every count each bias row is built from) is protected
in one grid over attributes × strata × label (``_compute/bias_grid.py``).  The grid's search is
bounded by a count of steps, ``MAX_WORK`` in ``_compute/disclosure.py``, past which it hides
every count but the total (``warning[protected-all]``).  For each datasheet this prints, with and
without the bias measures (the peer: the same datasheet's composition tables alone), the cells
and counts of the grid, the steps the search took against ``MAX_WORK``, whether everything had to
be hidden, how many bias rows were published, and the median time of ``--runs`` computations.

Datasheets: the shipped ones with bias measures (examples/berkeley), and synthetic tables of 3
sensitive attributes (2 × 5 × 4 groups) × 6 strata × a 5-valued label, with every intersection
and all eight measures, at several sizes.

    python benchmarks/bias_grid.py
    python benchmarks/bias_grid.py --rows 2000 20000 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def synthetic(rows: int, seed: int = 0) -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "sex": rng.choice(["female", "male"], rows),
        "race": rng.choice(list("abcde"), rows, p=[0.5, 0.2, 0.15, 0.1, 0.05]),
        "age": rng.integers(18, 90, rows),
        "department": rng.choice(list("ABCDEF"), rows),
        "outcome": rng.choice(["accept", "waitlist", "reject", "appeal", "withdrawn"], rows,
                              p=[0.35, 0.15, 0.35, 0.1, 0.05]),
    })


def synthetic_spec(bias: bool) -> dict[str, Any]:
    from cardwright.schema.bias import BIAS_METRIC_NAMES

    spec: dict[str, Any] = {"path": "unused.csv", "label": "outcome", "min_cell_size": 10,
                            "sensitive_attributes": ["sex", "race", {"column": "age", "bins": [30, 45, 60]}]}
    if bias:
        spec.update(positive_label="accept", conditional_on=["department"], bias_metrics=list(BIAS_METRIC_NAMES),
                    confidence={"resamples": 200})
    return spec


def measure(spec: dict[str, Any], frame: Any, base: Path | None, runs: int) -> dict[str, Any]:
    """Compute ``runs`` times, recording every grid search of the first run."""
    from cardwright._compute import disclosure
    from cardwright._compute.composition import compute_composition
    from cardwright.schema.analysis import CompositionData

    searches: list[Any] = []
    grids: list[Any] = []
    original_search, original_grid = disclosure._Search.__init__, disclosure.CountGrid.protect

    def record_search(self: Any, *args: Any, **kwargs: Any) -> None:
        searches.append(self)
        original_search(self, *args, **kwargs)

    def record_grid(self: Any, k: int) -> Any:
        grids.append(self)
        return original_grid(self, k)

    data = CompositionData.model_validate(spec)
    times = []
    disclosure._Search.__init__, disclosure.CountGrid.protect = record_search, record_grid  # type: ignore[method-assign]
    try:
        for run in range(runs):
            start = time.perf_counter()
            results = compute_composition(data, frame, base_dir=base)
            times.append(time.perf_counter() - start)
            if run == 0:
                first = (list(grids), list(searches))
    finally:
        disclosure._Search.__init__, disclosure.CountGrid.protect = original_search, original_grid  # type: ignore[method-assign]
    big = max(first[0], key=lambda g: g.flat.size)
    rows = results.bias.measures if results.bias is not None else []
    return {"cells": big.flat.size, "counts": len(big.members), "work": max((s.work for s in first[1]), default=0),
            "everything": "yes" if any(r.reason and r.reason.startswith("every count") for r in rows) else "no",
            "published": f"{sum(not r.suppressed for r in rows)}/{len(rows)}" if rows else "–",
            "hidden groups": sum(g.suppressed for g in results.groups), "seconds": statistics.median(times)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[1000, 5000, 20000], help="sizes of the synthetic tables")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    import cardwright
    from cardwright._compute.disclosure import MAX_WORK

    cases: list[tuple[str, dict[str, Any], Any, Path | None]] = []
    card = ROOT / "examples" / "berkeley" / "berkeley.datasheet.yaml"
    data = cardwright.load(card).data.model_dump(mode="json", exclude_none=True)
    plain = {k: v for k, v in data.items() if k not in ("bias_metrics", "conditional_on", "confidence",
                                                           "positive_label")}
    cases += [("berkeley, tables alone", plain, None, card.parent), ("berkeley, with bias", data, None, card.parent)]
    for rows in args.rows:
        frame = synthetic(rows)
        cases += [(f"3 attributes × 6 strata × 5 labels, {rows:,} rows, tables alone", synthetic_spec(False), frame,
                   None), (f"3 attributes × 6 strata × 5 labels, {rows:,} rows, with bias", synthetic_spec(True), frame,
                           None)]
    print(f"MAX_WORK = {MAX_WORK:,} steps; median of {args.runs} runs")
    header = ["datasheet", "cells", "counts", "work", "everything", "published", "hidden groups", "seconds"]
    print(" | ".join(header))
    for name, spec, frame, base in cases:
        got = measure(spec, frame, base, args.runs)
        print(" | ".join([name, *(f"{got[h]:.3f}" if h == "seconds" else str(got[h]) for h in header[1:])]))


if __name__ == "__main__":
    main()
