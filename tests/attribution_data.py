"""Files for the attribution engine tests: an evaluation set with a binned and a plain factor
(missing values in both), per-row attributions of six features on very different scales, in
another row order (matched by id) and in the evaluation's order (matched by order), and a model
card asking for them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "valid"
SCALES = [1.0, 1e-3, 5.0, 1e6, 0.1, 1e-30]


def write_files(root: Path, rows: int = 1200, seed: int = 0) -> Path:
    """Evaluation data (CSV, Parquet, three Parquet parts) and attribution files under ``root``."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    evaluation = pd.DataFrame({
        "row_id": [f"r{i}" for i in range(rows)], "y": rng.integers(0, 2, rows),
        "s": rng.random(rows).round(4), "age": rng.normal(40, 12, rows).round(1),
        "g": rng.choice(["a", "b", "c"], rows),
    })
    evaluation.loc[[3, 50], "g"] = None
    evaluation.loc[[7], "age"] = np.nan
    evaluation.loc[[11, 12], "s"] = np.nan  # no score: left out, as the metrics leave them out
    root.mkdir(parents=True, exist_ok=True)
    evaluation.to_csv(root / "eval.csv", index=False)
    evaluation.to_parquet(root / "eval.parquet", index=False)
    (root / "parts").mkdir(exist_ok=True)
    for i, part in enumerate(np.array_split(np.arange(rows), 3)):
        evaluation.iloc[part].to_parquet(root / "parts" / f"part-{i}.parquet", index=False)
    values = rng.normal(0, 1, (rows, len(SCALES))) * SCALES
    values[:, 2] = np.round(values[:, 2], 2)  # few binary digits: summed exactly
    values[0, 0] = -0.0
    attributions = pd.DataFrame(values, columns=[f"f{i}" for i in range(len(SCALES))])
    attributions.insert(0, "row_id", evaluation["row_id"])
    attributions.sample(frac=1, random_state=1).to_parquet(root / "shap.parquet", index=False)
    attributions.sample(frac=1, random_state=2).to_csv(root / "shap.csv", index=False)
    (root / "shap_parts").mkdir(exist_ok=True)
    for i, part in enumerate(np.array_split(np.arange(rows), 2)):
        attributions.iloc[part].to_csv(root / "shap_parts" / f"part-{i}.csv", index=False)
    attributions.drop(columns="row_id").to_csv(root / "in_order.csv", index=False)
    attributions.drop(columns="row_id").to_parquet(root / "in_order.parquet", index=False)
    return root


def analyses(data: str, **attributions: Any) -> dict[str, Any]:
    return {
        "data": {"path": data, "label": "y", "score": "s", "threshold": 0.5},
        "factors": [{"column": "age", "bins": [30, 50], "name": "age_band"}, "g"],
        "metrics": ["accuracy"], "min_group_size": 20, "confidence": {"level": 0.9},
        "attributions": {"path": "shap.parquet", "id": "row_id", "top_k": 3, **attributions},
    }


def card(root: Path, data: str = "eval.csv", name: str = "attr", missing: str | None = None,
         keep: str | None = None, **attributions: Any) -> Any:
    """A model card in ``root`` computing attributions from ``data``, loaded (``missing``: its
    `missing_values`; ``keep``: its data block's `filter`)."""
    import yaml

    import cardwright

    body = yaml.safe_load((FIXTURES / "minimal.model-card.yaml").read_text(encoding="utf-8"))
    body["quantitative_analyses"] = analyses(data, **attributions)
    if missing is not None:
        body["quantitative_analyses"]["missing_values"] = missing
    if keep is not None:
        body["quantitative_analyses"]["data"]["filter"] = keep
    path = root / f"{name}.model-card.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return cardwright.load(path)


def copy(files: Path, target: Path, *names: str) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(files / name, target / name)
    return target


#: Id columns read the same way on every engine: ``name → (evaluation ids, attribution ids, the
#: evaluation file's format, the attribution file's format, the data block's cleaning, the
#: finding expected or None)``.  The data block's ``strip_whitespace`` and ``na_values`` apply to
#: the evaluation data's id column like every other (an id equal to a missing-value token is
#: missing); the attribution file is read as it is; CSV ids are text as written ("007" is not 7);
#: floating-point ids are refused.
ID_ROWS = 60
_IDS = [f"r{i}" for i in range(ID_ROWS)]
_BIG = [2**63 + 7 * i for i in range(ID_ROWS)]
_TIMES = [f"2020-01-01 {i // 60:02d}:{i % 60:02d}:00" for i in range(ID_ROWS)]
ID_CASES: dict[str, tuple[list[Any], list[Any], str, str, dict[str, Any], str | None]] = {
    "spaces stripped (CSV)": ([f" r{i}\t" for i in range(ID_ROWS)], _IDS, "csv", "csv", {"strip_whitespace": True}, None),
    "spaces stripped (Parquet)": ([f" r{i}" for i in range(ID_ROWS)], _IDS, "parquet", "csv",
                                  {"strip_whitespace": True}, None),
    "spaces kept": ([f" r{i}" for i in range(ID_ROWS)], _IDS, "csv", "csv", {},
                    "60 attribution ids are not in the evaluation data"),
    "an na_values token": (["unknown", *_IDS[1:]], ["unknown", *_IDS[1:]], "csv", "csv", {"na_values": ["unknown"]},
                           "1 rows have no id"),
    "a token after stripping": ([" unknown ", *_IDS[1:]], ["unknown", *_IDS[1:]], "csv", "parquet",
                                {"na_values": ["unknown"], "strip_whitespace": True}, "1 rows have no id"),
    "text and integers": ([str(i) for i in range(ID_ROWS)], list(range(ID_ROWS)), "csv", "parquet", {}, None),
    "integers and text": (list(range(ID_ROWS)), [str(i) for i in range(ID_ROWS)], "parquet", "csv", {}, None),
    "leading zeros are text": ([f"{i:03d}" for i in range(ID_ROWS)], list(range(ID_ROWS)), "csv", "parquet", {},
                               "60 attribution ids are not in the evaluation data"),
    "floating-point evaluation ids": ([float(i) for i in range(ID_ROWS)], [str(i) for i in range(ID_ROWS)], "parquet",
                                      "csv", {}, "holds floating-point numbers (double)"),
    "floating-point attribution ids": ([str(i) for i in range(ID_ROWS)], [float(i) for i in range(ID_ROWS)], "csv",
                                       "parquet", {}, "holds floating-point numbers (double)"),
    # unsigned 64-bit integers past the signed range (64-bit hashes): DuckDB reads them as UBIGINT,
    # Spark as decimal(20,0), the Arrow pass as uint64; all three by their digits
    "unsigned 64-bit integers": (_BIG, _BIG, "parquet", "parquet", {}, None),
    "unsigned 64-bit integers and text": (_BIG, [str(i) for i in _BIG], "parquet", "csv", {}, None),
    # written as text differently by each engine (with or without microseconds; bytes escaped or decoded)
    "timestamp ids": (list(np.array(_TIMES, dtype="datetime64[us]")), _TIMES, "parquet", "csv", {},
                      "holds dates or times (timestamp"),
    "byte ids": ([f"é{i}".encode() for i in range(ID_ROWS)], [f"é{i}" for i in range(ID_ROWS)], "parquet", "csv", {},
                 "holds bytes, not text (binary)"),
}


def id_case(root: Path, name: str) -> tuple[Any, str | None]:
    """The model card of :data:`ID_CASES` ``name`` in a folder of its own under ``root``, loaded,
    with the finding expected."""
    import pandas as pd
    import yaml

    import cardwright

    eval_ids, attr_ids, eval_fmt, attr_fmt, cleaning, finding = ID_CASES[name]
    folder = root / "".join(c if c.isalnum() else "_" for c in name)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    evaluation = pd.DataFrame({"row_id": eval_ids, "y": rng.integers(0, 2, ID_ROWS), "s": rng.random(ID_ROWS).round(3),
                               "g": rng.choice(["a", "b"], ID_ROWS)})
    attributions = pd.DataFrame({"row_id": attr_ids, "f0": rng.normal(size=ID_ROWS).round(3),
                                 "f1": rng.normal(size=ID_ROWS).round(3)}).sample(frac=1, random_state=1)
    for frame, stem, fmt in ((evaluation, "eval", eval_fmt), (attributions, "shap", attr_fmt)):
        if fmt == "csv":
            frame.to_csv(folder / f"{stem}.csv", index=False)
        else:
            frame.to_parquet(folder / f"{stem}.parquet", index=False)
    body = yaml.safe_load((FIXTURES / "minimal.model-card.yaml").read_text(encoding="utf-8"))
    body["quantitative_analyses"] = {
        "data": {"path": f"eval.{eval_fmt}", "label": "y", "score": "s", "threshold": 0.5, **cleaning},
        "factors": ["g"], "metrics": ["accuracy"], "min_group_size": 5, "min_cell_size": 1,
        "confidence": {"resamples": 50, "seed": 2},
        "attributions": {"path": f"shap.{attr_fmt}", "id": "row_id"},
    }
    path = folder / "ids.model-card.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return cardwright.load(path), finding
