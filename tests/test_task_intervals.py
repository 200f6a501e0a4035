"""The intervals of the regression, scored and multiclass averages against independent
computations on the rows themselves (scipy, scikit-learn, numpy): R²'s MOVER interval, the
standard deviation's Bonett interval about the trimmed mean, the histogram's trimmed mean and the
jackknife variance of multiclass averages."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn import metrics as skm

from cardwright._compute.analyses import compute_analyses
from cardwright._compute.quantiles import Grid, trimmed_mean
from cardwright._compute.tasks.multiclass import _jackknife_variance
from cardwright.schema.analysis import QuantitativeAnalyses

LEVEL = 0.95


def qa(**fields: Any) -> QuantitativeAnalyses:
    return QuantitativeAnalyses.model_validate({"factors": ["g"], "confidence": {"resamples": 10},
                                               "min_group_size": 1, "min_cell_size": 1, **fields})


def row(results: Any, metric: str) -> Any:
    return next(r for r in results.results if r.metric == metric and r.slice == {"g": "a"})


def hall(values: np.ndarray) -> tuple[float, float]:
    """Hall's (1992) skewness-corrected Student interval of the mean, from the rows."""
    n = len(values)
    mean, se = values.mean(), values.std(ddof=1) / math.sqrt(n)
    a = stats.skew(values, bias=False) / (3 * math.sqrt(n))
    t = stats.t.ppf(0.5 + LEVEL / 2, n - 1)

    def inverse(q: float) -> float:
        return float((np.cbrt(1 + 3 * a * (q - a / 2)) - 1) / a)

    return mean - inverse(t) * se, mean - inverse(-t) * se


def hall_bonett(values: np.ndarray, tail: bool = False) -> tuple[float, float]:
    """Hall's interval of the mean of positive values carried to the log scale and widened there
    by Bonett's constant c = n / (n − z): c x̄ (l / x̄)^c to c x̄ (u / x̄)^c; with ``tail`` (squared
    errors) the upper end's exponent also multiplied by k = min(1.5, 1 + 3/√n)."""
    n, mean = len(values), float(values.mean())
    c = n / (n - stats.norm.ppf(0.5 + LEVEL / 2))
    k = min(1.5, 1 + 3 / math.sqrt(n)) if tail else 1.0
    low, high = hall(values)
    return (c * mean * (low / mean) ** c if low > 0 else 0.0), c * mean * (high / mean) ** (k * c)


def bonett(values: np.ndarray, about: float, tail: bool = False) -> tuple[float, float]:
    """Bonett's (2006) interval for the variance, the kurtosis taken about ``about``; with ``tail``
    the upper half-width multiplied by k = min(1.5, 1 + 3/√n)."""
    n = len(values)
    z = stats.norm.ppf(0.5 + LEVEL / 2)
    kurtosis = np.mean((values - about) ** 4) / np.var(values) ** 2
    c = n / (n - z)
    spread = c * math.sqrt((kurtosis - (n - 3) / n) / (n - 1))
    s2 = np.var(values, ddof=1)
    k = min(1.5, 1 + 3 / math.sqrt(n)) if tail else 1.0
    return c * s2 * math.exp(-z * spread), c * s2 * math.exp(z * spread * k)


def fractional_trimmed_mean(values: np.ndarray, share: float) -> float:
    """Mean after ``share · n`` rows are cut from each end, a row on a cut counting in part."""
    ordered = np.sort(values)
    n = len(ordered)
    cut = share * n
    kept = np.clip(np.minimum(np.arange(1, n + 1), n - cut) - np.maximum(np.arange(n), cut), 0, None)
    return float((kept * ordered).sum() / kept.sum())


def test_r2_interval_is_the_mover_combination_of_the_mse_and_label_variance_intervals() -> None:
    """R²'s interval, recomputed from the rows: the mean squared error's own interval (Hall's
    widened by Bonett's constant on the log scale, with the tail allowance), Bonett's of
    Var(y) (kurtosis about the mean), both logged, combined by Zou & Donner's MOVER with the
    Pearson correlation of e² and (y − ȳ)².  Catches a symmetric (delta) interval, a missing or
    wrongly signed correlation, and either component's interval going wrong."""
    rng = np.random.default_rng(7)
    n = 60
    y = rng.normal(50, 10, n)
    e = rng.standard_t(5, n) * 3 + 0.02 * (y - 50) ** 2
    frame = pd.DataFrame({"y": y, "p": y + e, "g": "a"})
    results = compute_analyses(qa(task="regression", data={"path": "-", "label": "y", "prediction": "p"},
                                  metrics=["r2"]), frame)
    got = row(results, "r2")
    assert got.interval == "mover-log"
    e2, yc2 = e**2, (y - y.mean()) ** 2
    mse_low, mse_high = hall_bonett(e2, tail=True)
    var_low, var_high = bonett(y, y.mean())
    rho = np.corrcoef(e2, yc2)[0, 1]
    t1, t2 = math.log(e2.mean()), math.log(np.var(y, ddof=1))
    h1, u1 = t1 - math.log(mse_low), math.log(mse_high) - t1
    h2, u2 = t2 - math.log(var_low), math.log(var_high) - t2
    low = t1 - t2 - math.sqrt(h1**2 + u2**2 - 2 * rho * h1 * u2)
    high = t1 - t2 + math.sqrt(u1**2 + h2**2 - 2 * rho * u1 * h2)
    assert got.ci_low == pytest.approx(1 - math.exp(high), rel=1e-9)
    assert got.ci_high == pytest.approx(1 - math.exp(low), rel=1e-9)
    assert got.ci_low < got.value < got.ci_high
    # the skewness of e² makes it asymmetric: a longer reach towards lower R² (larger MSE)
    assert got.value - got.ci_low > got.ci_high - got.value


@pytest.mark.parametrize("errors", ["t", "lognormal", "normal"])
def test_error_means_have_halls_interval_widened_by_bonetts_constant(errors: str) -> None:
    """The mean absolute and squared errors' intervals, recomputed from the rows: Hall's interval
    of the mean of |e| and of e², carried to the log scale and widened there by c = n / (n − z)
    (`hall-bonett`), the squared errors' upper end reaching further by the tail allowance
    (`hall-bonett-tail`; RMSE the square root of MSE's, `hall-bonett-tail-sqrt`).  Catches Hall's
    interval alone (which misses a heavy-tailed error's mean above it), c applied to one end only,
    the allowance missing from the squared errors or given to the absolute ones, and the RMSE not
    following the MSE."""
    rng = np.random.default_rng(5)
    n = 40
    y = rng.normal(100, 15, n)
    e = {"t": rng.standard_t(4, n) * 4, "lognormal": rng.lognormal(1.0, 0.6, n) - 3.2,
         "normal": rng.normal(0, 5, n)}[errors]
    frame = pd.DataFrame({"y": y, "p": y + e, "g": "a"})
    results = compute_analyses(qa(task="regression", data={"path": "-", "label": "y", "prediction": "p"},
                                  metrics=["mean_absolute_error", "mean_squared_error", "root_mean_squared_error"]),
                               frame)
    e = frame["p"].to_numpy() - frame["y"].to_numpy()
    for metric, values, tail in (("mean_absolute_error", np.abs(e), False), ("mean_squared_error", e**2, True)):
        got = row(results, metric)
        assert got.interval == ("hall-bonett-tail" if tail else "hall-bonett")
        low, high = hall_bonett(values, tail)
        assert got.ci_low == pytest.approx(low, rel=1e-9, abs=1e-12)
        assert got.ci_high == pytest.approx(high, rel=1e-9)
        plain = hall(values)
        assert high > plain[1]  # it reaches further up than Hall's
        assert got.ci_low <= got.value <= got.ci_high
    rmse, mse = row(results, "root_mean_squared_error"), row(results, "mean_squared_error")
    assert rmse.interval == "hall-bonett-tail-sqrt"
    assert rmse.ci_low == pytest.approx(math.sqrt(mse.ci_low), rel=1e-12)
    assert rmse.ci_high == pytest.approx(math.sqrt(mse.ci_high), rel=1e-12)


def test_positive_mean_interval_keeps_halls_for_a_handful_of_rows() -> None:
    """With fewer than 2z rows (c would exceed 2) the error's interval stays Hall's."""
    from cardwright._compute.intervals import mean_interval, positive_mean_interval

    values = np.array([0.5, 1.0, 4.0])
    args = (float(values.mean()), float((values**2).mean()), 3.0, LEVEL, float((values**3).mean()))
    assert positive_mean_interval(*args) == mean_interval(*args)
    assert mean_interval(*args)[2] == "hall"
    many = np.array([0.5, 1.0, 4.0, 2.0, 9.0])
    args = (float(many.mean()), float((many**2).mean()), 5.0, LEVEL, float((many**3).mean()))
    assert positive_mean_interval(*args)[2] == "hall-bonett"
    assert positive_mean_interval(*args, tail=True)[2] == "hall-bonett-tail"
    assert positive_mean_interval(*args[:3], 0.9999, args[4])[2] == "hall"  # 5 < 2 · 3.89
    assert positive_mean_interval(*args[:3], 0.9999, args[4], tail=True)[2] == "hall"


def test_std_interval_is_bonetts_with_the_kurtosis_about_the_trimmed_mean() -> None:
    """Integer scores have exact histogram bins, so the standard deviation's interval equals
    Bonett's computed from the rows with the kurtosis about the trimmed mean (trim share
    1/(2√(n − 4))), its upper end stretched by the tail allowance (`bonett-tail`).  Catches the
    kurtosis taken about the mean (a narrower interval for skewed scores), a wrong trim share, the
    histogram's trimmed mean going wrong, and the allowance missing or given to the lower end."""
    rng = np.random.default_rng(3)
    n = 40
    x = rng.geometric(0.15, n).astype(float)
    frame = pd.DataFrame({"x": x, "g": "a"})
    results = compute_analyses(qa(task="scored", data={"path": "-", "score": "x"}, metrics=["std"]), frame)
    got = row(results, "std")
    assert got.interval == "bonett-tail"
    low, high = bonett(x, fractional_trimmed_mean(x, 1 / (2 * math.sqrt(n - 4))), tail=True)
    assert got.ci_low == pytest.approx(math.sqrt(low), rel=1e-9)
    assert got.ci_high == pytest.approx(math.sqrt(high), rel=1e-9)
    about_mean = bonett(x, x.mean(), tail=True)
    assert high > about_mean[1]
    assert high > bonett(x, fractional_trimmed_mean(x, 1 / (2 * math.sqrt(n - 4))))[1]


@pytest.mark.parametrize("share", [0.0, 0.05, 0.1, 0.25, 0.4])
def test_trimmed_mean_from_a_histogram(share: float) -> None:
    """The histogram's trimmed mean equals numpy's on values with exact bins, and stays within
    half a bin's width of it on continuous values."""
    rng = np.random.default_rng(11)
    grid = Grid.for_bound(1000.0, 8, signed=True)
    for values, tol in ((rng.integers(-300, 300, 77).astype(float), 1e-12), (rng.lognormal(2, 1, 500) - 5, 2**-8)):
        codes = grid.codes(values)
        weights = np.bincount(codes, minlength=grid.size).astype(float)
        lo = np.full(grid.size, np.inf)
        hi = np.full(grid.size, -np.inf)
        np.minimum.at(lo, codes, values)
        np.maximum.at(hi, codes, values)
        got = trimmed_mean(weights, lo, hi, share)
        want = fractional_trimmed_mean(values, share)
        assert got is not None
        assert abs(got - want) <= tol * max(1.0, float(np.abs(values).max()))


def _rows(conf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pairs = [(t, p) for t in range(conf.shape[0]) for p in range(conf.shape[1]) for _ in range(int(conf[t, p]))]
    return np.array([t for t, _ in pairs]), np.array([p for _, p in pairs])


SKLEARN = {
    "balanced_accuracy": lambda y, p: skm.balanced_accuracy_score(y, p),
    "macro_f1": lambda y, p: skm.f1_score(y, p, average="macro", zero_division=np.nan),
    "macro_precision": lambda y, p: skm.precision_score(y, p, average="macro", zero_division=np.nan),
    "macro_recall": lambda y, p: skm.recall_score(y, p, average="macro", zero_division=np.nan),
    "weighted_f1": lambda y, p: skm.f1_score(y, p, average="weighted", zero_division=np.nan),
}


@pytest.mark.parametrize("metric", list(SKLEARN))
def test_jackknife_variance_of_a_class_average_equals_leaving_out_each_row(metric: str) -> None:
    """The jackknife over confusion cells equals the row-level jackknife with scikit-learn's
    metric on each leave-one-out sample (a class left without rows drops out of both)."""
    rng = np.random.default_rng(5)
    y = rng.integers(0, 4, 45)
    p = np.where(rng.random(45) < 0.7, y, rng.integers(0, 4, 45))
    y[0], p[0] = 4, 2  # a class with a single row
    conf = np.zeros((5, 5))
    np.add.at(conf, (y, p), 1)
    rows_y, rows_p = _rows(conf)
    n = len(rows_y)
    left_out = np.array([SKLEARN[metric](np.delete(rows_y, i), np.delete(rows_p, i)) for i in range(n)])
    want = (n - 1) / n * ((left_out - left_out.mean()) ** 2).sum()
    got = _jackknife_variance(metric, conf, conf)
    assert got == pytest.approx(want, rel=1e-9)


def test_multiclass_average_without_errors_keeps_a_width() -> None:
    """Every row right: the jackknife's variance is 0, and the delta method's at the shrunk matrix
    keeps the interval from collapsing to the estimate."""
    frame = pd.DataFrame({"y": list("abc") * 10, "p": list("abc") * 10, "g": "a"})
    results = compute_analyses(qa(task="multiclass-classification",
                                  data={"path": "-", "label": "y", "prediction": "p"},
                                  metrics=["balanced_accuracy", "macro_f1"]), frame)
    for metric in ("balanced_accuracy", "macro_f1"):
        got = row(results, metric)
        assert got.interval == "wilson-jackknife"
        assert got.value == 1.0 and got.ci_low < 0.95


def test_average_precision_interval_is_logit_wald_with_the_bootstraps_spread() -> None:
    """Average precision's interval is logit(AP) ± z·sd(logit AP*), the spread over the bootstrap's
    resamples (`logit-bootstrap`): centred on logit(AP) exactly, and as wide as the spread of
    scikit-learn's AP over row resamples of the same rows (within the noise of two bootstraps).
    Catches Boyd et al.'s binomial variance (`logit`), which leaves out the negatives' share."""
    rng = np.random.default_rng(21)
    n = 600
    s = rng.beta(2, 3, n).round(3)
    y = (rng.random(n) < s).astype(int)
    frame = pd.DataFrame({"y": y, "s": s, "g": "a"})
    spec = {"data": {"path": "-", "label": "y", "score": "s", "threshold": 0.5}, "metrics": ["average_precision"]}
    got = row(compute_analyses(qa(**spec, confidence={"resamples": 1000, "seed": 3}), frame), "average_precision")
    assert got.interval == "logit-bootstrap"
    assert got.value == pytest.approx(skm.average_precision_score(y, s), abs=1e-12)

    def logit(p: float) -> float:
        return math.log(p / (1 - p))

    assert (logit(got.ci_low) + logit(got.ci_high)) / 2 == pytest.approx(logit(got.value), abs=1e-9)
    picks = rng.integers(0, n, (1000, n))
    boot = np.array([skm.average_precision_score(y[i], s[i]) for i in picks])
    want = stats.norm.ppf(0.5 + LEVEL / 2) * np.std(np.log(boot / (1 - boot)), ddof=1)
    assert (logit(got.ci_high) - logit(got.ci_low)) / 2 == pytest.approx(want, rel=0.12)
    # few resamples, or weights: Boyd et al.'s logit interval
    few = row(compute_analyses(qa(**spec, confidence={"resamples": 50}), frame), "average_precision")
    assert few.interval == "logit"
    positives = y.sum()
    half = stats.norm.ppf(0.5 + LEVEL / 2) / math.sqrt(positives * few.value * (1 - few.value))
    assert logit(few.ci_high) == pytest.approx(logit(few.value) + half, rel=1e-9)


def test_average_precision_bootstrap_interval_by_hand() -> None:
    """The interval from given draws: logit(0.6) ± 1.96 · sd(logit draws); none at AP of 1, or
    when most draws are 0 or 1."""
    from cardwright._compute.tasks.binary import average_precision_bootstrap_interval

    draws = np.array([0.5, 0.6, 0.7, 0.55, 0.65])
    spread = float(np.std(np.log(draws / (1 - draws)), ddof=1))
    got = average_precision_bootstrap_interval(0.6, draws, LEVEL)
    assert got is not None
    z = stats.norm.ppf(0.5 + LEVEL / 2)
    assert got[0] == pytest.approx(1 / (1 + math.exp(-(math.log(1.5) - z * spread))), rel=1e-12)
    assert got[1] == pytest.approx(1 / (1 + math.exp(-(math.log(1.5) + z * spread))), rel=1e-12)
    assert got[2] == "logit-bootstrap"
    assert average_precision_bootstrap_interval(1.0, draws, LEVEL) is None
    assert average_precision_bootstrap_interval(0.6, np.array([1.0, 1.0, 0.0, 0.6]), LEVEL) is None


def test_error_means_of_a_model_with_a_constant_offset_hold_their_value(tmp_path) -> None:
    """A model that is off by about 50 on every row of scikit-learn's diabetes data (its errors
    50 ± 0.5): Bonett's constant moves the centre up by ln c ≈ z / n whatever the spread, and with
    errors of nearly equal size that move alone carried the lower end of the mean absolute error,
    the mean squared error and RMSE above their values (MAE 49.99 with [50.16, 50.26]).  The lower
    end now stays at least 0.8 of Hall's distance below the mean on the log scale, recomputed here
    from the rows; the values are scikit-learn's."""
    import json

    from sklearn.datasets import load_diabetes

    from card_heads import model_card_head
    from conftest import run_cli

    y = load_diabetes().target
    p = y + 50 + np.random.default_rng(0).normal(0, 0.5, len(y))
    pd.DataFrame({"y": y, "p": p, "g": "a"}).to_csv(tmp_path / "eval.csv", index=False)
    (tmp_path / "card.yaml").write_text(
        model_card_head("offset") + "quantitative_analyses:\n  task: regression\n"
        "  data: {path: eval.csv, label: 'y', prediction: p}\n  factors: [g]\n"
        "  metrics: [mean_absolute_error, mean_squared_error, root_mean_squared_error]\n"
        "  confidence: {level: 0.95, resamples: 100, seed: 0}\n", encoding="utf-8")
    got = run_cli("compute", "card.yaml", cwd=tmp_path)
    assert got.code == 0, got.err
    rows = {r["metric"]: r for r in json.loads((tmp_path / "card.results.json").read_text(encoding="utf-8"))["results"]
            if r["slice"] == {}}
    e = p - y
    want = {"mean_absolute_error": skm.mean_absolute_error(y, p), "mean_squared_error": skm.mean_squared_error(y, p),
            "root_mean_squared_error": skm.root_mean_squared_error(y, p)}
    for metric, values, tail in (("mean_absolute_error", np.abs(e), False), ("mean_squared_error", e**2, True)):
        got_row = rows[metric]
        assert got_row["value"] == pytest.approx(want[metric], rel=1e-12)
        assert got_row["interval"] == ("hall-bonett-tail" if tail else "hall-bonett")
        mean, (hall_low, _) = float(values.mean()), hall(values)
        assert hall_bonett(values, tail)[0] > mean  # the move alone would carry it past the mean
        assert got_row["ci_low"] == pytest.approx(mean * (hall_low / mean) ** 0.8, rel=1e-9)
        assert got_row["ci_high"] == pytest.approx(hall_bonett(values, tail)[1], rel=1e-9)
    for metric, got_row in rows.items():
        assert got_row["ci_low"] <= got_row["value"] <= got_row["ci_high"], metric
    assert rows["root_mean_squared_error"]["value"] == pytest.approx(want["root_mean_squared_error"], rel=1e-12)
    assert rows["root_mean_squared_error"]["ci_low"] == pytest.approx(math.sqrt(rows["mean_squared_error"]["ci_low"]))
