"""Cross-field checks of what a model card asks about explanations and bias: conditional
disparities and conditional gates name factors of the card and compare rates; the attribution
file lies inside the card's folder; a distribution shift compares factors.  Each finding is
positioned at the key it is about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .analysis import QuantitativeAnalyses
from .metric_names import BINARY
from .yaml_loader import Loc

Add = Callable[..., None]
PathCheck = Callable[[Loc, str], Path | None]

RATES = ("base_rate", "selection_rate", "accuracy", "precision", "recall", "specificity", "false_positive_rate",
         "false_negative_rate", "false_discovery_rate", "negative_predictive_value")
"""The rates a conditional disparity compares (a numerator and a denominator of confusion counts)."""
RATE_ALIASES = ("demographic_parity", "equal_opportunity")


def explain_checks(qa: QuantitativeAnalyses, base: Loc, add: Add, check_path: PathCheck) -> None:
    """Every check of the explanation and bias settings of one evaluation written at ``base``."""
    names = qa.factor_names
    for i, item in enumerate(qa.conditional_disparities or []):
        at = (*base, "conditional_disparities", i)
        _rate(qa, item.metric, (*at, "metric"), add)
        _factors(names, item.over, (*at, "over"), add)
        _factors(names, item.conditional_on, (*at, "conditional_on"), add)
        if set(item.over) & set(item.conditional_on):
            add((*at, "conditional_on"), "invalid-value", "a factor cannot be both compared and conditioned on",
                "condition on the legitimate factor (e.g. the department), compare the sensitive one")
    for i, gate in enumerate(qa.gates):
        if not gate.conditional_on:
            continue
        at = (*base, "gates", i, "conditional_on")
        if gate.max_difference is None and gate.min_ratio is None:
            add(at, "invalid-value", "conditional_on applies to `max_difference` and `min_ratio` gates",
                "compare groups within strata with max_difference or min_ratio")
        _rate(qa, gate.metric, (*base, "gates", i, "metric"), add)
        _factors(names, gate.conditional_on, at, add)
    if qa.attributions is not None:
        check_path((*base, "attributions", "path"), qa.attributions.path)
    if qa.distribution_shift is not None and qa.distribution_shift.columns is not None:
        _factors(names, qa.distribution_shift.columns, (*base, "distribution_shift", "columns"), add)


def _rate(qa: QuantitativeAnalyses, metric: str, at: Loc, add: Add) -> None:
    if qa.task != BINARY:
        add(at, "unsupported", f"conditional disparities compare rates of a binary classifier, not of a {qa.task} "
            "evaluation", "leave conditional_on out for this evaluation")
    elif metric not in RATES and metric not in RATE_ALIASES:
        add(at, "unknown-metric", f"{metric!r} is not a rate, so it cannot be compared within strata",
            f"use one of: {', '.join((*RATES, *RATE_ALIASES))}")


def _factors(names: list[str], given: list[str], at: Loc, add: Add) -> None:
    for j, name in enumerate(given):
        if name not in names:
            add((*at, j), "unknown-factor", f"{name!r} is not a factor of this evaluation",
                hint=f"factors: {', '.join(names) or '(none)'}")
