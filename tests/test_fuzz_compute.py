"""Fuzzing the computation: random small tables (empty groups, a single class, missing values,
all-missing columns, odd factor values) give results or a CardwrightError, never another exception.

Budget: 60 examples per test in CI; `HYPOTHESIS_PROFILE=long` for the long run (docs/safety.md).
"""

from __future__ import annotations

import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardwright._compute.analyses import compute_analyses
from cardwright._compute.composition import compute_composition
from cardwright.errors import CardwrightError
from cardwright.schema.analysis import CompositionData, QuantitativeAnalyses

pytestmark = pytest.mark.slow  # fuzzing: many examples per test

EXAMPLES = {"long": 3000}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 60)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

labels = st.sampled_from([0, 1, None])
scores = st.one_of(st.none(), st.floats(0, 1), st.sampled_from([0.0, 1.0, 0.5]))
groups = st.one_of(st.none(), st.sampled_from(["a", "b", "", "(missing)", "<b>x</b>", "{{ 7*7 }}", "1", "1.0"]))


@st.composite
def tables(draw):
    n = draw(st.integers(0, 40))
    rows = draw(st.lists(st.tuples(labels, scores, groups, groups), min_size=n, max_size=n))
    frame = pd.DataFrame(rows, columns=["y", "s", "f", "g"])
    if draw(st.booleans()):
        frame["y"] = frame["y"].astype("Int64")
    return frame


@st.composite
def specs(draw):
    factors = draw(st.lists(st.sampled_from(["f", "g"]), unique=True, max_size=2))
    metrics = draw(st.lists(st.sampled_from(["count", "accuracy", "recall", "precision", "f1", "roc_auc",
                                             "balanced_accuracy", "selection_rate", "false_positive_rate"]),
                            unique=True, min_size=1, max_size=4))
    gates = []
    if factors and draw(st.booleans()):
        gates = [{"metric": draw(st.sampled_from(["recall", "demographic_parity", "equalized_odds"])),
                  "over": factors[:1], "max_difference": 0.1,
                  "use": draw(st.sampled_from(["estimate", "interval"]))}]
        if gates[0]["metric"] == "recall" and "recall" not in metrics:
            metrics.append("recall")
    return QuantitativeAnalyses.model_validate({
        "data": {"path": "x.csv", "label": "y", "score": "s", "threshold": draw(st.sampled_from([0.0, 0.5, 1.0])),
                 "positive_label": draw(st.sampled_from([1, "1", 0]))},
        "factors": factors, "metrics": metrics, "gates": gates,
        "confidence": {"resamples": draw(st.sampled_from([0, 5, 20])), "seed": 1},
        "min_group_size": draw(st.integers(1, 5)),
        "missing_values": draw(st.sampled_from(["group", "drop"])),
        "reference_groups": draw(st.sampled_from([{}, {"f": "a"}])) if "f" in factors else {},
    })


@FUZZ
@given(frame=tables(), spec=specs())
def test_random_tables_compute_or_fail_cleanly(frame, spec):
    try:
        results = compute_analyses(spec, frame)
    except CardwrightError as e:
        assert e.findings[0].message
        return
    overall = [s for s in results.slices if s.slice == {}]
    assert overall and overall[0].n == results.provenance.rows_used


@FUZZ
@given(frame=tables(), k=st.integers(1, 10), attrs=st.lists(st.sampled_from(["f", "g"]), unique=True, max_size=2))
def test_random_tables_give_composition_or_fail_cleanly(frame, k, attrs):
    spec = CompositionData.model_validate({"path": "x.csv", "label": "y", "sensitive_attributes": attrs,
                                           "min_cell_size": k})
    try:
        results = compute_composition(spec, frame)
    except CardwrightError as e:
        assert e.findings[0].message
        return
    shares = [*results.groups, *(results.label_shares or []),
              *(c for col in results.columns for c in col.categories or [])]
    for share in shares:  # no published count below the suppression threshold
        assert (share.count is None) == share.suppressed
        assert share.count is None or share.count >= k
