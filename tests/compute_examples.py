"""The small synthetic evaluation set and spec behind tests/fixtures/results/example.results.json.

Two factors (sex, and age binned into bands), a group below min_group_size (65 and over), an
intersection that never occurs (female, 65 and over), a reference group (male) and two gates, both
failing: the first on its value, the second because the age bands' false positive counts are hidden
(only 9 false positives in all, so min_cell_size hides most bands' rates).  The results files are
pinned outputs (refreshed by ``pytest --update-golden``); the evaluation file is their input, written by::

    python tests/compute_examples.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).parent / "fixtures" / "results"
EVAL_CSV = FIXTURES / "example.eval.csv"
RESULTS = FIXTURES / "example.results.json"
COMPOSITION = FIXTURES / "example.composition.json"

SPEC = {
    "data": {"path": "example.eval.csv", "label": "y_true", "score": "y_score", "threshold": 0.5,
             "positive_label": 1},
    "factors": ["sex", {"column": "age", "bins": [25, 45, 65], "name": "age_band"}],
    "intersections": "all",
    "metrics": ["count", "accuracy", "selection_rate", "precision", "recall", "false_positive_rate",
                "false_negative_rate", "roc_auc"],
    "confidence": {"level": 0.95, "resamples": 200, "seed": 1},
    "min_group_size": 30,
    "min_cell_size": 3,
    "reference_groups": {"sex": "male"},
    "gates": [
        {"metric": "selection_rate", "min_ratio": 0.8, "over": ["sex"]},
        {"metric": "false_positive_rate", "max_difference": 0.2, "over": ["age_band"]},
    ],
}

COMPOSITION_SPEC = {
    "path": "example.eval.csv",
    "label": "y_true",
    "sensitive_attributes": ["sex", {"column": "age", "bins": [25, 45, 65], "name": "age_band"}],
    "min_cell_size": 25,
}


def example_frame(n: int = 600, seed: int = 7):
    import pandas as pd

    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n, p=[0.45, 0.55])
    age = rng.integers(18, 64, n).astype(float)
    old = rng.choice(n, 20, replace=False)
    age[old] = rng.integers(65, 80, 20)
    sex[old] = "male"
    y = rng.random(n) < 0.35
    score = np.clip(0.35 * y + 0.4 * rng.random(n) + np.where(sex == "male", 0.12, 0.0), 0, 1).round(3)
    return pd.DataFrame({"sex": sex, "age": age.astype(int), "y_true": y.astype(int), "y_score": score})


def example_results():
    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    return compute_analyses(QuantitativeAnalyses.model_validate(SPEC), base_dir=FIXTURES)


def example_composition():
    from cardwright._compute.composition import compute_composition
    from cardwright.schema.analysis import CompositionData

    return compute_composition(CompositionData.model_validate(COMPOSITION_SPEC), base_dir=FIXTURES)


def write_input() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    example_frame().to_csv(EVAL_CSV, index=False, lineterminator="\n")


if __name__ == "__main__":
    write_input()
