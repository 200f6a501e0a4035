"""Evaluation files for the engine tests: the same rows as one Parquet file, a CSV file, several
Parquet parts (a glob) and a hive-partitioned folder; with string labels, missing labels, scores
and factor values, a binned factor with NaN, an integer factor, and scores that are exact (few
distinct values) or binned (more than the exact-bin limit)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np


def frame(rows: int = 6000, distinct_scores: int | None = None, seed: int = 3) -> Any:
    import pandas as pd

    rng = np.random.default_rng(seed)
    y = rng.choice(["yes", "no"], rows, p=[0.4, 0.6])
    noise = rng.random(rows)
    score = np.clip(np.where(y == "yes", 0.35, 0.0) + 0.65 * noise, 0, 1)
    if distinct_scores is not None:
        score = np.round(score * (distinct_scores - 1)) / (distinct_scores - 1)
    df = pd.DataFrame({
        "y": y,
        "s": score,
        "sex": rng.choice(["female", "male", "non-binary"], rows, p=[0.48, 0.48, 0.04]),
        "age": rng.integers(16, 90, rows).astype(float),
        "region": rng.choice([1, 2, 3], rows),
    })
    df.loc[rng.random(rows) < 0.03, "y"] = None
    df.loc[rng.random(rows) < 0.03, "s"] = np.nan
    df.loc[rng.random(rows) < 0.05, "sex"] = None
    df.loc[rng.random(rows) < 0.04, "age"] = np.nan
    return df


def write_all(df: Any, folder: Path) -> dict[str, str]:
    """The same rows in every layout an engine reads; names relative to ``folder``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, folder / "eval.parquet")
    df.to_csv(folder / "eval.csv", index=False)
    (folder / "parts").mkdir(exist_ok=True)
    for i in range(3):
        pq.write_table(table.slice(i * len(df) // 3, len(df) // 3 + (len(df) % 3 if i == 2 else 0)),
                       folder / "parts" / f"part-{i}.parquet")
    for region in sorted(set(df["region"])):
        part = folder / "hive" / f"region={region}"
        part.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pandas(df[df["region"] == region].drop(columns="region"), preserve_index=False),
                       part / "part-0.parquet")
    return {"parquet": "eval.parquet", "csv": "eval.csv", "glob": "parts/*.parquet", "hive": "hive"}


def spec(path: str, *, threshold: bool = True, **extra: Any) -> Any:
    from cardwright.schema.analysis import QuantitativeAnalyses

    data = {"path": path, "label": "y", "score": "s", "positive_label": "yes"}
    data.update({"threshold": 0.5} if threshold else {"prediction": "pred"})
    return QuantitativeAnalyses.model_validate({
        "data": data,
        "factors": ["sex", {"column": "age", "bins": [25, 45, 65], "name": "age_band"}, "region"],
        "metrics": ["count", "accuracy", "recall", "false_positive_rate", "selection_rate", "roc_auc"],
        "confidence": {"resamples": 40, "seed": 1},
        "min_group_size": 20,
        "reference_groups": {"sex": "female"},
        "gates": [{"metric": "selection_rate", "min_ratio": 0.5, "over": ["sex"]}],
        **extra,
    })


def text(results: Any, *, drop: tuple[str, ...] = ("engine",)) -> str:
    """The results file's bytes, less the provenance fields named in ``drop`` (and the content
    digest, which covers them)."""
    from cardwright._compute.api import dumps

    data = json.loads(dumps(results))
    data.pop("content_sha256")
    for key in drop:
        data["provenance"].pop(key)
    return json.dumps(data, sort_keys=True, indent=2)
