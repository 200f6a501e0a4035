"""Cards made to stress a layout: long names, many groups, many metrics, deep intersections.

``fuzzed(seed)`` gives a model card (the loan fixture with its name and quantitative analyses
replaced) and results shaped exactly as the results schema says, with suppressed groups, an
unobserved intersection, per-group disparities and a failing gate.  The numbers are made up;
layout tests only need them to be plausible and complete.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from cardwright.schema.analysis import QuantitativeAnalyses
from cardwright.schema.results import AnalysisResults
from render_helpers import loan

METRICS = ["selection_rate", "accuracy", "balanced_accuracy", "precision", "recall", "specificity",
           "false_positive_rate", "false_negative_rate", "false_discovery_rate", "negative_predictive_value", "f1",
           "roc_auc"]
WORDS = ["regional", "applicants", "with", "incomplete", "credit", "history", "self-employed", "seasonal",
         "income", "declared", "verified", "documentation", "supplementary", "Überprüfung", "naïve", "long-term"]


def _name(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def fuzzed(seed: int) -> tuple[Any, AnalysisResults]:
    rng = random.Random(seed)
    n_factors = rng.choice([2, 3])
    factors = {f"factor_{i}_{'_'.join(rng.sample(WORDS[:6], 2))}": [
        f"{_name(rng, rng.randint(1, 5))} {j}" for j in range(rng.randint(3, 14 if i == 0 else 5))]
        for i in range(n_factors)}
    metrics = rng.sample(METRICS, rng.randint(5, len(METRICS)))
    names = list(factors)
    qa = QuantitativeAnalyses.model_validate({
        "factors": names, "metrics": metrics, "min_group_size": 30,
        "reference_groups": {f: groups[0] for f, groups in factors.items()},
        "gates": [{"metric": metrics[0], "over": [names[0]], "max_difference": 0.01}],
    })
    card = loan().model_copy(update={"quantitative_analyses": qa})
    card.model_details = card.model_details.model_copy(update={"name": _name(rng, 18) + " model"})

    slices: list[dict[str, str]] = [{}]
    for r in range(1, n_factors + 1):
        for keys in itertools.combinations(names, r):
            slices += [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(factors[k] for k in keys))]
    unobserved = slices.pop()  # the last full intersection never occurs
    rows, disparities = [], []
    for s in slices:
        n = 2000 if not s else max(5, int(rng.expovariate(1 / (400 / len(s)))))
        hidden = n < 30
        for m in metrics:
            v = round(rng.uniform(0.05, 0.95), 4)
            rows.append({"slice": s, "metric": m, "value": None if hidden else v, "n": n, "suppressed": hidden,
                         "ci_low": None if hidden else round(max(0, v - 0.05), 4),
                         "ci_high": None if hidden else round(min(1, v + 0.05), 4),
                         "reason": "fewer than 30 rows (min_group_size)" if hidden else None})
            if len(s) == 1 and not hidden:
                (f, _), = s.items()
                ref = {f: factors[f][0]}
                d = round(rng.uniform(-0.2, 0.2), 4)
                disparities.append({"over": [f], "metric": m, "comparison": "to-reference", "group": s,
                                    "reference": ref, "difference": d, "ci_low": round(d - 0.04, 4),
                                    "ci_high": round(d + 0.04, 4), "ratio": round(1 + d, 4), "groups": 2})
    data = {
        "provenance": {"tool_version": "0", "data_path": "eval.csv", "data_sha256": "0" * 64, "bytes": 1,
                       "rows_read": 2000, "rows_used": 2000, "rows_dropped": {}, "settings_sha256": "0" * 64,
                       "engine": "arrow"},
        "settings": {"factors": names, "metrics": metrics, "level": 0.95, "resamples": 0, "seed": 0,
                     "interval_method": "auto", "min_group_size": 30, "missing_values": "group",
                     "positive_label": "1"},
        "slices": [], "results": rows, "disparities": disparities,
        "gates": [{"metric": metrics[0], "over": [names[0]], "kind": "max_difference", "limit": 0.01,
                   "use": "estimate", "value": 0.2, "passed": False, "groups": len(factors[names[0]])}],
        "unobserved": [unobserved],
    }
    return card, AnalysisResults.model_validate(data)
