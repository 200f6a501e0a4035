"""Conditional disparities on model cards, the check against Simpson's paradox: the Berkeley 1973
admissions, read as a model card whose predictions are the admission decisions, show women
selected less often overall and more often within departments; every number equals a direct
computation on the rows (strata-weighted differences, the Mantel–Haenszel ratio), intervals are
signed, for the pair, and contain their estimates; conditional gates use them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cardwright._compute.analyses import compute_analyses
from cardwright.schema.analysis import QuantitativeAnalyses

ADMISSIONS = Path(__file__).resolve().parents[1] / "examples" / "berkeley" / "data" / "admissions.csv"


def spec(**extra: Any) -> QuantitativeAnalyses:
    return QuantitativeAnalyses.model_validate({
        "data": {"path": str(ADMISSIONS), "label": "admitted", "prediction": "admitted", "positive_label": "yes"},
        "factors": ["sex", "department"], "metrics": ["selection_rate"], "intersections": "none",
        "reference_groups": {"sex": "male"}, "confidence": {"resamples": 400, "seed": 3}, "min_group_size": 10,
        "min_cell_size": 5,  # as the example datasheet: 8 women were refused by department B
        "conditional_disparities": [{"metric": "demographic_parity", "over": ["sex"], "conditional_on": ["department"]}],
        **extra,
    })


@pytest.fixture(scope="module")
def rows() -> Any:
    import pandas as pd

    return pd.read_csv(ADMISSIONS)


def test_the_disparity_reverses_within_departments(rows: Any) -> None:
    results = compute_analyses(spec())
    assert results.conditional_disparities is not None
    (row,) = results.conditional_disparities
    assert row.group == {"sex": "female"} and row.reference == {"sex": "male"}
    admitted = rows["admitted"] == "yes"
    women, men = rows["sex"] == "female", rows["sex"] == "male"
    assert row.aggregate_difference == pytest.approx(admitted[women].mean() - admitted[men].mean(), abs=1e-12)
    assert row.aggregate_difference < -0.14
    expected_diff, top, bottom = 0.0, 0.0, 0.0
    for _, part in rows.groupby("department"):
        w_adm, m_adm = (part["admitted"] == "yes")[part["sex"] == "female"], (part["admitted"] == "yes")[part["sex"] == "male"]
        expected_diff += len(part) / len(rows) * (w_adm.mean() - m_adm.mean())
        total = len(w_adm) + len(m_adm)
        top += w_adm.sum() * len(m_adm) / total
        bottom += m_adm.sum() * len(w_adm) / total
    assert row.difference == pytest.approx(expected_diff, abs=1e-12)
    assert row.ratio == pytest.approx(top / bottom, abs=1e-12)
    assert row.difference > 0 and row.ratio > 1  # women were admitted more often within departments
    assert row.ci_low is not None and row.ci_high is not None
    assert row.ci_low <= row.difference <= row.ci_high
    assert row.ratio_ci_low <= row.ratio <= row.ratio_ci_high
    assert row.strata_used == 6 and [s.stratum["department"] for s in row.strata] == list("ABCDEF")
    a = next(s for s in row.strata if s.stratum == {"department": "A"})
    assert round(a.group_value * 100) == 82 and round(a.reference_value * 100) == 62


def test_small_strata_are_left_out_and_named() -> None:
    results = compute_analyses(spec(min_group_size=100))
    (row,) = results.conditional_disparities or []
    assert {"department": "B"} in row.strata_left_out  # 25 women applied to department B
    assert row.strata_used == 5


def test_a_conditional_gate_passes_where_the_aggregate_one_fails() -> None:
    gates = [{"metric": "demographic_parity", "over": ["sex"], "max_difference": 0.1},
             {"metric": "demographic_parity", "over": ["sex"], "max_difference": 0.1, "conditional_on": ["department"]},
             {"metric": "demographic_parity", "over": ["sex"], "min_ratio": 0.8, "conditional_on": ["department"],
              "use": "interval"}]
    results = compute_analyses(spec(gates=gates))
    plain, conditioned, ratio = results.gates
    assert not plain.passed and plain.value == pytest.approx(0.1416, abs=1e-4)
    assert conditioned.passed and conditioned.value < 0.1
    assert ratio.passed and ratio.value is not None and ratio.value >= 0.8


def test_what_cannot_be_conditioned_says_why() -> None:
    results = compute_analyses(spec(conditional_disparities=[
        {"metric": "selection_rate", "over": ["sex"], "conditional_on": ["sex"]},
        {"metric": "selection_rate", "over": ["sex"], "conditional_on": ["region"]}]))
    reasons = [r.reason for r in results.conditional_disparities or []]
    assert reasons == ["a factor cannot be both compared and conditioned on", "not a factor: region"]


def test_results_repeat_byte_for_byte() -> None:
    from cardwright._compute.api import dumps

    assert dumps(compute_analyses(spec())) == dumps(compute_analyses(spec()))
    assert np.isfinite(compute_analyses(spec()).conditional_disparities[0].difference)
