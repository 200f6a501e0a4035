"""Binned medians and percentiles keep their promises on data that strains the histogram grid:
values spanning more than the grid's 64 octaves (one label of 1e22 beside errors of tens), where
the smallest values share one bin.  The value stays within its reported bound of scikit-learn's
and numpy's, and the interval holds the exact sample quantile (its ends are taken at the edges of
their bins, so it holds whatever a bin's width)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes
from sklearn.metrics import median_absolute_error

from cardwright._compute.analyses import compute_analyses
from cardwright.schema.analysis import QuantitativeAnalyses


def _frame(outlier: float | None) -> pd.DataFrame:
    x, y = load_diabetes(return_X_y=True)
    rng = np.random.default_rng(0)
    p = y + rng.normal(0, 40, len(y))
    y = y.copy()
    if outlier is not None:
        y[7] = outlier
    return pd.DataFrame({"y": y, "p": p, "g": np.where(x[:, 1] > 0, "a", "b"), "s": np.abs(p - y)})


def _rows(frame: pd.DataFrame, task: str, data: dict, metrics: list[str]) -> dict:
    qa = QuantitativeAnalyses.model_validate({"task": task, "data": {"path": "-", **data}, "factors": ["g"],
                                              "metrics": metrics, "min_group_size": 1, "min_cell_size": 1,
                                              "confidence": {"resamples": 20}})
    results = compute_analyses(qa, frame)
    return results, {(tuple(sorted(r.slice.items())), r.metric): r for r in results.results}


@pytest.mark.parametrize("outlier", [None, 1e22])
def test_median_absolute_error_within_its_bound_and_its_interval_holds_the_sample_median(outlier):
    frame = _frame(outlier)
    results, rows = _rows(frame, "regression", {"label": "y", "prediction": "p"}, ["median_absolute_error"])
    bound = results.settings.quantiles.max_error
    for key, mask in [((), np.ones(len(frame), bool)), ((("g", "a"),), (frame["g"] == "a").to_numpy()),
                      ((("g", "b"),), (frame["g"] == "b").to_numpy())]:
        row = rows[(key, "median_absolute_error")]
        want = median_absolute_error(frame["y"][mask], frame["p"][mask])
        assert abs(row.value - want) <= bound + 1e-9, (key, row.value, want, bound)
        assert row.ci_low <= want <= row.ci_high, (key, row.ci_low, want, row.ci_high)


@pytest.mark.parametrize("outlier", [None, 1e22])
def test_percentiles_intervals_hold_the_sample_percentiles(outlier):
    frame = _frame(outlier)
    if outlier is not None:
        frame.loc[7, "s"] = outlier
    results, rows = _rows(frame, "scored", {"score": "s"}, ["p10", "p50", "p90"])
    bound = results.settings.quantiles.max_error
    for metric, q in (("p10", 10), ("p50", 50), ("p90", 90)):
        row = rows[((), metric)]
        want = float(np.percentile(frame["s"], q, method="averaged_inverted_cdf"))
        assert abs(row.value - want) <= bound + 1e-9, (metric, row.value, want, bound)
        assert row.ci_low <= want <= row.ci_high, (metric, row.ci_low, want, row.ci_high)


def test_a_coarse_quantile_is_said_not_only_written_in_the_settings():
    from cardwright.errors import reporting

    seen: list = []
    with reporting(seen.append):
        _rows(_frame(1e22), "regression", {"label": "y", "prediction": "p"}, ["median_absolute_error"])
    assert [f.code for f in seen] == ["coarse-quantile"] and seen[0].severity == "warning"
    assert "median_absolute_error" in seen[0].message and seen[0].hint
    seen.clear()
    with reporting(seen.append):
        _rows(_frame(None), "regression", {"label": "y", "prediction": "p"}, ["median_absolute_error"])
    assert seen == []
