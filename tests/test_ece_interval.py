"""The expected calibration error's interval (``profile-bootstrap``): its ends behave as the test
inversion says, on data whose true ECE is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cardwright._compute.tasks.ece_interval import bin_variance
from conftest import load_script

SCRIPT = load_script(Path(__file__).parents[1] / "benchmarks" / "coverage_ece.py", "coverage_ece")
_true_ece = SCRIPT.true_ece
_interval = SCRIPT.sample


def test_the_interval_contains_its_estimate_and_lies_in_the_unit_range() -> None:
    for seed in range(20):
        low, high, estimate = _interval(60, 1.4, seed)
        assert 0.0 <= low <= estimate <= high <= 1.0


def test_calibrated_scores_get_a_lower_end_of_zero_in_most_samples() -> None:
    # true ECE 0: the plug-in ECE is positive in every sample, and an interval around it (the
    # percentile bootstrap) would exclude 0 nearly always; this one must reach 0 in about 95 % of them
    lows = [_interval(300, 1.0, seed)[0] for seed in range(60)]
    assert sum(low == 0.0 for low in lows) >= 53  # 95 % of 60 is 57; 53 is about two binomial errors below


@pytest.mark.parametrize(("n", "shape"), [(300, 1.6), (2000, 1.3)])
def test_miscalibrated_scores_are_covered_and_bounded_away_from_zero(n: int, shape: float) -> None:
    truth = _true_ece(shape)
    got = [_interval(n, shape, seed) for seed in range(60)]
    covered = sum(low <= truth <= high for low, high, _ in got)
    assert covered >= 53          # 95 % of 60 is 57; 53 is about two binomial errors below
    assert all(low > 0 for low, _, _ in got)


def test_a_bin_of_one_label_still_has_a_variance() -> None:
    # three rows, all positive: the sample variance of y − s is about 0, the floor is not
    var = bin_variance(np.array([0.3]), np.array([0.09]), np.array([1.0]), np.array([3.0]))
    assert var[0] == pytest.approx(0.8 * 0.2)
