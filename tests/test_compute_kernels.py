"""The count pass's vectorised kernels compute exactly what their plain definitions do: the digit
sums of the fixed-point statistics (against Python integers), the pre-pass's exact sum of a column
(against fractions), the incomplete beta function the intervals' quantiles are solved
from (against the textbook loops, to the last bit, and against SciPy to 1e-10), and the top-k hits
of tied class scores (against scikit-learn)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special
from sklearn import metrics as skm

from cardwright._compute import distributions as dist
from cardwright._compute.analyses import compute_analyses
from cardwright._compute.engines import fixed
from cardwright._compute.engines.exact import Mean, Moments, Range
from cardwright.schema.analysis import QuantitativeAnalyses


def _sums_by_integers(values: np.ndarray, key: np.ndarray, s: int, size: int) -> list[int]:
    """``Σ floor(v · 2^s + 0.5)`` per key, with Python integers (the scaling as the float
    operations :func:`fixed.scaled_node` describes)."""
    out = [0] * size
    for v, k in zip(values.tolist(), key.tolist()):
        t = v * 2.0 ** (s - 1023) * 2.0**1023 if s > 1023 else v * 2.0**s
        out[k] += math.floor(t + 0.5)
    return out


def _total(digits: list[int]) -> int:
    d0, d1, d2 = digits
    return (d2 << (2 * fixed.WIDTH)) + (d1 << fixed.WIDTH) + d0


@pytest.mark.parametrize("bound, s_shift", [(300.0, 0), (1e-300, 0), (1e300, 0), (7.5, -30), (2.0**-1000, 0)])
def test_digit_sums_add_up_to_the_sum_of_each_rows_integer(bound: float, s_shift: int) -> None:
    rng = np.random.default_rng(3)
    values = rng.uniform(-bound, bound, 4000)
    values[:4] = [bound, -bound, 0.0, -0.0]
    values[4:200] = np.round(values[4:200] / bound * 64) / 64 * bound  # ties at half a unit of the scale
    s = fixed.scale_for(bound) + s_shift
    key = rng.integers(0, 7, len(values))
    target = np.zeros((7, fixed.DIGITS), dtype=np.int64)
    fixed.add_digits(target, key, values, s)
    fixed.add_digits(target, key, values, s, (np.empty(5000), np.empty(5000)))  # with scratch buffers: the same again
    want = _sums_by_integers(values, key, s, 7)
    assert [_total(row) for row in target.tolist()] == [2 * w for w in want]
    total = fixed.to_float(target[:, None, :], [s])[:, 0]
    assert total.tolist() == [float(Fraction(2 * w) / Fraction(2) ** s) for w in want]


@pytest.mark.parametrize("bound, s_shift", [(300.0, 0), (1e-300, 0), (1e300, 0), (7.5, -30), (2.0**-1000, 0)])
def test_segment_digit_sums_are_the_scattered_ones(bound: float, s_shift: int) -> None:
    """Values sorted by key and summed per run of a key (the attribution pass) give each key the
    same Σq as the scatter of :func:`add_digits`, ties at half a unit and ±bound included."""
    rng = np.random.default_rng(4)
    values = rng.uniform(-bound, bound, 5000)
    values[:4] = [bound, -bound, 0.0, -0.0]
    values[4:300] = np.round(values[4:300] / bound * 64) / 64 * bound
    s = fixed.scale_for(bound) + s_shift
    key = rng.integers(0, 9, len(values))
    key[key == 5] = 6  # a key with no rows
    segments = fixed.Segments(key, 9)
    target = np.zeros((9, fixed.DIGITS), dtype=np.int64)
    fixed.add_segment_digits(target, segments, values[segments.order], s, (np.empty(5000), np.empty(5000)))
    want = _sums_by_integers(values, key, s, 9)
    assert [_total(row) for row in target.tolist()] == want
    assert segments.counts.tolist() == np.bincount(key, minlength=9).tolist()


def test_sums_of_millions_of_rows_are_rounded_from_the_exact_integer() -> None:
    """Digit sums whose ``Σq`` does not fit 64 bits (ten million rows at 2^-20 of the bound: the
    high digits sum to little, the middle ones to more than 2^42), huge sums, sums too small for a
    normal float, negative sums."""
    n, q = 10_000_000, 3 << 40
    digits = [[(q & fixed.MASK) * n, ((q >> fixed.WIDTH) & fixed.MASK) * n, (q >> 42) * n],
              [5, 7, 3 << 55], [3, 0, 0], [fixed.MASK, fixed.MASK, -1], [0, 0, 0], [-(1 << 40), 1 << 45, -(1 << 30)]]
    for s in (60, 0, -40, 1100, 2046):
        got = fixed.to_float(np.array(digits, dtype=np.int64)[:, None, :], [s])[:, 0]
        want = [fixed._scaled(_total(d), s) for d in digits]
        assert got.tolist() == want, s
        assert want[0] == float(Fraction(q * n) / Fraction(2) ** s)


def _exact_sum(x: np.ndarray) -> Fraction:
    return sum((Fraction(v) for v in x.tolist()), Fraction(0))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=300),
       st.integers(0, 2**32 - 1))
def test_pre_pass_sum_is_the_exact_sum(values: list[float], seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.array(values + rng.normal(0, 1, 50).tolist() + [0.0, -0.0, 5e-324, -2.5e-310, 1.7976931348623157e308])
    mean, moments = Mean(), Moments()
    mean.add_values(x)
    moments.add_values(x)
    want = _exact_sum(x)
    assert mean.sums()[0] == want == moments.sums()[0]
    assert (mean.n, mean.min, mean.max) == (len(x), float(x.min()), float(x.max()))
    assert mean.summary()["mean"] == moments.summary()["mean"] == float(want / len(x)) + 0.0
    spread = Range()
    spread.add_values(x)
    assert (spread.n, spread.min, spread.max, spread.summary()["mean"]) == (len(x), float(x.min()), float(x.max()), None)


def test_pre_pass_sum_is_exact_over_many_rows() -> None:
    """More rows than one chunk, every exponent of a wide range, cancelling signs."""
    rng = np.random.default_rng(4)
    x = rng.normal(0, 1, 1_300_000) * 10.0 ** rng.integers(-30, 30, 1_300_000)
    mean = Mean()
    mean.add_values(x)
    assert mean.sums()[0] == _exact_sum(x)


def _beta_cf_loop(a: float, b: float, x: float) -> float:
    """Numerical Recipes' ``betacf`` (modified Lentz)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c if abs(1 + aa / c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c if abs(1 + aa / c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1) < eps:
            break
    return h


def test_incomplete_beta_is_the_textbook_loop_to_the_last_bit() -> None:
    rng = np.random.default_rng(5)
    for _ in range(400):
        p, q = float(10 ** rng.uniform(-1, 6)), float(10 ** rng.uniform(-1, 6))
        y = float(rng.random())
        assert dist._beta_cf(p, q, y) == _beta_cf_loop(p, q, y), (p, q, y)
        assert dist.beta_inc(p, q, y) == pytest.approx(float(special.betainc(p, q, y)), rel=1e-9, abs=1e-10)


def test_quantiles_of_large_degrees_of_freedom_match_scipy() -> None:
    """The intervals of millions of rows solve for quantiles with a series of thousands of terms."""
    from scipy import stats

    for df in (2.5, 40.0, 6.3e4, 1.2e6, 3.3e6):
        for p in (0.025, 0.975):
            assert dist.t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9)


def test_top_k_hits_of_tied_scores_equal_sklearn() -> None:
    rng = np.random.default_rng(6)
    n, classes = 3000, ["a", "b", "c", "d", "e"]
    scores = rng.integers(0, 3, (n, len(classes))) / 2  # many ties, within a row and across rows
    y = rng.choice(classes, n)
    frame = pd.DataFrame({"y": y, "g": rng.choice(["u", "v"], n), **{f"s_{c}": scores[:, j] for j, c in
                                                                       enumerate(classes)}})
    for k in (1, 2, 3, 4):
        spec = QuantitativeAnalyses.model_validate({
            "task": "multiclass-classification", "factors": ["g"], "top_k": k, "metrics": ["top_k_accuracy"],
            "data": {"path": "-", "label": "y", "class_scores": {c: f"s_{c}" for c in classes}},
            "confidence": {"resamples": 0}, "min_group_size": 1, "min_cell_size": 1})
        results = compute_analyses(spec, frame)
        for row in results.results:
            if row.metric != "top_k_accuracy":
                continue
            mask = np.ones(n, dtype=bool) if not row.slice else (frame["g"] == row.slice["g"]).to_numpy()
            want = skm.top_k_accuracy_score(y[mask], scores[mask], k=k, labels=classes)
            assert row.value == pytest.approx(want, abs=1e-12), (k, row.slice)


def test_integer_classes_read_by_lookup_give_the_results_of_the_same_classes_as_text(monkeypatch) -> None:
    """Integer labels and predictions (read through a lookup table, classes coded as they first
    show up batch by batch) against the same values written as text (read through a hash)."""
    from cardwright._compute import reading

    monkeypatch.setattr(reading, "BATCH_ROWS", 97)  # many batches; classes first seen in later ones
    rng = np.random.default_rng(7)
    n = 2000
    values = np.array([1000, 7, -3, 12, 0])
    y = values[np.minimum(rng.integers(0, 5, n), np.arange(n) // 300)]  # class k from row 300·k on
    p = np.where(rng.random(n) < 0.7, y, rng.choice(values, n))
    frame = pd.DataFrame({"y": y.astype(np.int16), "p": p.astype(np.int16), "g": rng.choice(["u", "v", "w"], n)})
    text = frame.assign(y=frame["y"].astype(str), p=frame["p"].astype(str))

    def rows(data: pd.DataFrame) -> list[tuple]:
        spec = QuantitativeAnalyses.model_validate({
            "task": "multiclass-classification", "factors": ["g"], "per_class": True,
            "metrics": ["count", "accuracy", "balanced_accuracy", "macro_f1", "weighted_f1"],
            "data": {"path": "-", "label": "y", "prediction": "p"},
            "confidence": {"resamples": 50, "seed": 1}, "min_group_size": 1, "min_cell_size": 1})
        results = compute_analyses(spec, data)
        assert results.settings.classes == ["-3", "0", "7", "12", "1000"]
        return [(tuple(sorted(r.slice.items())), r.metric, r.class_, r.value, r.ci_low, r.ci_high)
                for r in results.results]

    assert rows(frame) == rows(text)
