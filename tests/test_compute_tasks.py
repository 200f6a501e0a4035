"""Every metric of every task equals scikit-learn's on the same rows, on every slice of random
tables, with and without sample weights: to 1e-12 where the metric is exact, and within the
reported bound where it comes from binned values (medians, percentiles).  Hypothesis draws the
tables, empty groups, single-class slices and all-missing factor values included."""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve
from sklearn.utils.stats import _weighted_percentile

from cardwright._compute.analyses import compute_analyses
from cardwright._compute.levels import MISSING
from cardwright.schema.analysis import QuantitativeAnalyses

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning",
                                        "ignore::RuntimeWarning")


def slices(frame: pd.DataFrame, factor: str = "g") -> Iterator[tuple[dict[str, str], np.ndarray]]:
    """Every slice cardwright reports for one factor: overall, then each group (missing values as
    their own group)."""
    keys = frame[factor].astype(object).where(frame[factor].notna(), MISSING).astype(str)
    yield {}, np.ones(len(frame), dtype=bool)
    for value in keys.unique():
        yield {factor: value}, (keys == value).to_numpy()


def close(got: float | None, want: float, tol: float = 1e-12) -> bool:
    return got is not None and math.isclose(got, want, rel_tol=tol, abs_tol=tol)


def qa(**fields: Any) -> QuantitativeAnalyses:
    return QuantitativeAnalyses.model_validate({"factors": ["g"], "confidence": {"resamples": 0},
                                               "min_group_size": 1, "min_cell_size": 1, **fields})


def rows_of(results: Any) -> dict[tuple[Any, ...], Any]:
    return {(tuple(sorted(r.slice.items())), r.metric, r.class_, r.threshold): r for r in results.results}


groups = st.sampled_from(["x", "y", "z", None])


@st.composite
def regression_tables(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(1, 60))
    values = st.one_of(st.integers(-50, 50).map(float), st.floats(-1e3, 1e3, allow_nan=False, width=32))
    y = draw(st.lists(values, min_size=n, max_size=n))
    p = draw(st.lists(values, min_size=n, max_size=n))
    if draw(st.booleans()):
        y = [y[0]] * n  # constant labels: R² undefined
    g = draw(st.lists(groups, min_size=n, max_size=n))
    w = draw(st.lists(st.floats(0.1, 5.0), min_size=n, max_size=n))
    return pd.DataFrame({"y": y, "p": p, "g": g, "w": w})


REGRESSION = ["count", "mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2", "mean_error",
              "median_absolute_error", "mean_label", "mean_prediction"]


def regression_expected(y: np.ndarray, p: np.ndarray, w: np.ndarray | None) -> dict[str, float | None]:
    out: dict[str, float | None] = {
        "count": float(len(y)),
        "mean_absolute_error": skm.mean_absolute_error(y, p, sample_weight=w),
        "mean_squared_error": skm.mean_squared_error(y, p, sample_weight=w),
        "root_mean_squared_error": skm.root_mean_squared_error(y, p, sample_weight=w),
        "mean_error": float(np.average(p - y, weights=w)),
        "mean_label": float(np.average(y, weights=w)),
        "mean_prediction": float(np.average(p, weights=w)),
        "median_absolute_error": skm.median_absolute_error(y, p, sample_weight=w),
        "r2": None,
    }
    if len(y) >= 2 and np.ptp(y) > 0:
        out["r2"] = skm.r2_score(y, p, sample_weight=w)
    return out


def exact_weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The weighted median in exact arithmetic on the float weights, averaging the two middle
    values when the cumulative weight meets half the total exactly (scikit-learn's convention).
    Float sums can miss such a tie by a rounding step, so the oracle accepts this value too."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], [Fraction(float(x)) for x in weights[order]]
    half, cumulative = sum(w, Fraction(0)) / 2, Fraction(0)
    for i, weight in enumerate(w):
        cumulative += weight
        if cumulative == half:
            return float((v[i] + v[i + 1]) / 2)
        if cumulative > half:
            return float(v[i])
    return float(v[-1])


@pytest.mark.parametrize("weighted", [False, True])
@SETTINGS
@given(frame=regression_tables())
def test_regression_metrics_equal_sklearn(frame: pd.DataFrame, weighted: bool) -> None:
    data = {"path": "-", "label": "y", "prediction": "p", **({"weight": "w"} if weighted else {})}
    results = compute_analyses(qa(task="regression", data=data, metrics=REGRESSION), frame)
    got = rows_of(results)
    bound = results.settings.quantiles.max_error
    scale = max(1.0, float(np.abs(frame[["y", "p"]]).to_numpy().max()))
    for key, mask in slices(frame):
        y, p = frame["y"].to_numpy()[mask], frame["p"].to_numpy()[mask]
        w = frame["w"].to_numpy()[mask] if weighted else None
        want = regression_expected(y, p, w)
        # labels whose spread is lost in the rounding of values of the column's scale: R² undefined
        unresolved = len(y) >= 2 and float(np.var(y)) <= 1e-12 * scale * scale
        for metric in REGRESSION:
            row = got[(tuple(sorted(key.items())), metric, None, None)]
            if want[metric] is None or (metric == "r2" and unresolved and row.value is None):
                assert row.value is None and row.reason.startswith("undefined"), (key, metric)
            elif metric == "median_absolute_error":
                exact = want[metric] if w is None else exact_weighted_median(np.abs(p - y), w)
                off = min(abs(row.value - want[metric]), abs(row.value - exact))
                assert off <= bound + 1e-12 * scale, (key, row.value, want[metric], exact, bound)
            else:
                tol = 1e-12 * (scale * scale if "squared" in metric or metric == "r2" else scale)
                if metric == "r2":
                    # 1 − SSE/SST with SST from moments about the column's centre: its rounding
                    # error grows with scale² / Var(y), and R²'s with |1 − R²| times that
                    spread = float(np.average((y - np.average(y, weights=w)) ** 2, weights=w))
                    tol += 1e-14 * abs(1 - want[metric]) * scale * scale / spread
                assert math.isclose(row.value, want[metric], rel_tol=1e-12, abs_tol=tol), (key, metric, row.value, want)


@st.composite
def multiclass_tables(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(1, 60))
    classes = draw(st.sampled_from([["a", "b", "c"], ["a", "b", "c", "d", "e"]]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = draw(st.lists(st.sampled_from(classes[: draw(st.integers(1, len(classes)))]), min_size=n, max_size=n))
    scores = rng.dirichlet(np.ones(len(classes)), n)
    pred = draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n))
    g = draw(st.lists(groups, min_size=n, max_size=n))
    w = rng.uniform(0.1, 4.0, n)
    frame = pd.DataFrame({"y": y, "p": pred, "g": g, "w": w})
    for j, c in enumerate(classes):
        frame[f"s_{c}"] = scores[:, j]
    frame.attrs["classes"] = classes
    return frame


MULTICLASS = ["count", "accuracy", "balanced_accuracy", "macro_precision", "macro_recall", "macro_f1", "weighted_f1",
              "top_k_accuracy"]


def multiclass_expected(y: np.ndarray, p: np.ndarray, s: np.ndarray, classes: list[str], w: np.ndarray | None,
                        k: int) -> dict[tuple[str, str | None], float | None]:
    nan = np.nan
    prf = {avg: skm.precision_recall_fscore_support(y, p, average=avg, zero_division=nan, sample_weight=w)
           for avg in ("macro", "weighted")}
    labels = sorted(set(y) | set(p))
    per = skm.precision_recall_fscore_support(y, p, labels=labels, average=None, zero_division=nan, sample_weight=w)
    out: dict[tuple[str, str | None], float | None] = {
        ("count", None): float(len(y)),
        ("accuracy", None): skm.accuracy_score(y, p, sample_weight=w),
        ("macro_precision", None): prf["macro"][0], ("macro_recall", None): prf["macro"][1],
        ("macro_f1", None): prf["macro"][2], ("weighted_f1", None): prf["weighted"][2],
        ("top_k_accuracy", None): skm.top_k_accuracy_score(y, s, k=k, labels=classes, sample_weight=w),
    }
    with np.errstate(all="ignore"):
        out[("balanced_accuracy", None)] = skm.balanced_accuracy_score(y, p, sample_weight=w)
    for metric, values in zip(("precision", "recall", "f1"), per[:3]):
        for c in classes:
            out[(metric, c)] = float(values[labels.index(c)]) if c in labels else None
    return {key: (None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)) for key, v in out.items()}


@pytest.mark.parametrize("weighted", [False, True])
@SETTINGS
@given(frame=multiclass_tables())
def test_multiclass_metrics_equal_sklearn(frame: pd.DataFrame, weighted: bool) -> None:
    classes = frame.attrs["classes"]
    data = {"path": "-", "label": "y", "prediction": "p", "class_scores": {c: f"s_{c}" for c in classes},
            **({"weight": "w"} if weighted else {})}
    k = 2
    results = compute_analyses(qa(task="multiclass-classification", data=data, metrics=MULTICLASS, per_class=True,
                                  top_k=k), frame)
    got = rows_of(results)
    for key, mask in slices(frame):
        sub = frame[mask]
        s = sub[[f"s_{c}" for c in classes]].to_numpy()
        want = multiclass_expected(sub["y"].to_numpy(), sub["p"].to_numpy(), s, classes,
                                   sub["w"].to_numpy() if weighted else None, k)
        for (metric, c), value in want.items():
            row = got.get((tuple(sorted(key.items())), metric, c, None))
            if row is None:  # a class the whole evaluation never saw has no rows
                assert c is not None and c not in results.settings.classes
                continue
            if value is None:
                assert row.value is None and row.reason.startswith("undefined"), (key, metric, c)
            else:
                assert close(row.value, value), (key, metric, c, row.value, value)


@st.composite
def binary_tables(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(1, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = rng.integers(0, 2, n)
    g = draw(st.lists(groups, min_size=n, max_size=n))
    if draw(st.booleans()):  # group x has one class only
        y[np.array([v == "x" for v in g])] = draw(st.integers(0, 1))
    y[0] = 1  # cardwright refuses a file in which no label is the positive one
    s = rng.choice(np.round(rng.random(6), 3), n) if draw(st.booleans()) else rng.random(n)
    return pd.DataFrame({"y": y, "s": s, "g": g, "w": rng.uniform(0.1, 4.0, n)})


BINARY = ["accuracy", "recall", "average_precision", "brier_score", "log_loss", "expected_calibration_error"]


@pytest.mark.parametrize("weighted", [False, True])
@SETTINGS
@given(frame=binary_tables(), bins=st.integers(1, 12))
def test_binary_probability_metrics_and_operating_points_equal_sklearn(frame: pd.DataFrame, weighted: bool,
                                                                        bins: int) -> None:
    thresholds = [0.25, 0.5, 0.9]
    data = {"path": "-", "label": "y", "score": "s", "thresholds": thresholds, **({"weight": "w"} if weighted else {})}
    results = compute_analyses(qa(data=data, metrics=BINARY, calibration_bins=bins), frame)
    got = rows_of(results)
    tables = {tuple(sorted(c.slice.items())): c.bins for c in results.calibration}
    for key, mask in slices(frame):
        sub = frame[mask]
        y, s = sub["y"].to_numpy(), sub["s"].to_numpy()
        w = sub["w"].to_numpy() if weighted else None
        k = tuple(sorted(key.items()))
        for t in thresholds:
            assert close(got[(k, "accuracy", None, t)].value, skm.accuracy_score(y, s >= t, sample_weight=w))
            recall = got[(k, "recall", None, t)].value
            assert (recall is None) if y.sum() == 0 else close(recall, skm.recall_score(y, s >= t, sample_weight=w))
        assert close(got[(k, "brier_score", None, None)].value, skm.brier_score_loss(y, s, sample_weight=w))
        assert close(got[(k, "log_loss", None, None)].value, skm.log_loss(y, s, sample_weight=w, labels=[0, 1]))
        ap = got[(k, "average_precision", None, None)].value
        assert (ap is None) if y.sum() == 0 else close(ap, skm.average_precision_score(y, s, sample_weight=w))
        _check_calibration(tables[k], got[(k, "expected_calibration_error", None, None)].value, y, s, w, bins)


def _check_calibration(table: list[Any], ece: float, y: np.ndarray, s: np.ndarray, w: np.ndarray | None,
                       bins: int) -> None:
    if w is None:
        true, predicted = calibration_curve(y, s, n_bins=bins)
        assert [b.fraction_positive for b in table] == pytest.approx(list(true), abs=1e-12)
        assert [b.mean_score for b in table] == pytest.approx(list(predicted), abs=1e-12)
    ids = np.searchsorted(np.linspace(0, 1, bins + 1)[1:-1], s)
    weight = np.ones(len(y)) if w is None else w
    total = np.bincount(ids, weights=weight, minlength=bins)
    positive = np.bincount(ids, weights=weight * y, minlength=bins)
    score = np.bincount(ids, weights=weight * s, minlength=bins)
    assert [b.n for b in table] == [int(c) for c in np.bincount(ids, minlength=bins) if c]
    assert close(ece, float(np.abs(positive - score).sum() / total.sum()))


@st.composite
def scored_tables(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(1, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["continuous", "ratings", "signed"]))
    x = {"continuous": rng.beta(1, 5, n), "ratings": rng.integers(1, 6, n).astype(float),
         "signed": rng.normal(0, 3, n)}[kind]
    g = draw(st.lists(groups, min_size=n, max_size=n))
    return pd.DataFrame({"x": x, "g": g, "w": rng.uniform(0.1, 4.0, n)})


SCORED = ["count", "mean", "std", "pass_rate", "p10", "p50", "p90"]


@pytest.mark.parametrize("weighted", [False, True])
@SETTINGS
@given(frame=scored_tables())
def test_scored_metrics_equal_numpy_and_sklearn(frame: pd.DataFrame, weighted: bool) -> None:
    data = {"path": "-", "score": "x", "pass_threshold": 0.2, **({"weight": "w"} if weighted else {})}
    results = compute_analyses(qa(task="scored", data=data, metrics=SCORED), frame)
    got = rows_of(results)
    bound = results.settings.quantiles.max_error
    for key, mask in slices(frame):
        x = frame["x"].to_numpy()[mask]
        w = frame["w"].to_numpy()[mask] if weighted else np.ones(len(x))
        k = tuple(sorted(key.items()))
        mean = float(np.average(x, weights=w))
        n_eff = w.sum() ** 2 / (w * w).sum()
        assert close(got[(k, "mean", None, None)].value, mean)
        std = got[(k, "std", None, None)].value
        if len(x) < 2:
            assert std is None
        else:
            want = math.sqrt(np.average((x - mean) ** 2, weights=w) * n_eff / (n_eff - 1))
            assert close(std, want, 1e-9)
        assert close(got[(k, "pass_rate", None, None)].value, float(np.average(x >= 0.2, weights=w)))
        for metric, q in (("p10", 10), ("p50", 50), ("p90", 90)):
            want = (float(np.percentile(x, q, method="averaged_inverted_cdf")) if not weighted
                    else float(_weighted_percentile(x, w, q, average=True)))
            assert abs(got[(k, metric, None, None)].value - want) <= bound + 1e-12, (key, metric, want)


@pytest.mark.parametrize("weight", [0.1, 1 / 3, 0.7])
def test_equal_weights_give_the_unweighted_median_at_an_exact_half(weight: float) -> None:
    """Six rows of weight 0.1 each: the cumulative weight of the third row is half the total in
    exact arithmetic but not in float sums (0.30000000000000004 against 0.3), as in a falsifying
    example of the regression test above; the median averages the third and fourth values, as
    the unweighted median does (and scikit-learn's weighted one, when its float sums land within
    an epsilon of the half: at 0.1, not at 0.7)."""
    errors = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 2.0])
    frame = pd.DataFrame({"y": np.zeros(6), "p": errors, "w": np.full(6, weight), "g": ["a"] * 6})
    regression = compute_analyses(qa(task="regression", metrics=["median_absolute_error"], data={
        "path": "-", "label": "y", "prediction": "p", "weight": "w"}), frame)
    scored = compute_analyses(qa(task="scored", metrics=["p50"], data={"path": "-", "score": "p", "weight": "w"}),
                              frame)
    assert exact_weighted_median(errors, np.full(6, weight)) == float(np.median(errors)) == 0.5
    assert [r.value for r in regression.results] == [0.5, 0.5]
    assert [r.value for r in scored.results] == [0.5, 0.5]


@pytest.mark.parametrize(("task", "metrics", "data"), [
    ("regression", ["count", "mean_absolute_error", "r2"], {"label": "y", "prediction": "p"}),
    ("scored", ["count", "mean", "std", "p50"], {"score": "p"}),
    ("binary-classification", ["count", "accuracy", "recall"], {"label": "b", "prediction": "b"}),
])
def test_a_group_whose_weights_are_all_zero_says_so(task: str, metrics: list[str], data: dict[str, str]) -> None:
    """A group of 5 rows that all weigh 0: its count is 5 and its metrics have no value, with the
    reason that every row weighs 0 (not "no rows", which its count contradicts); the other group's
    values are the weighted ones."""
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 1, 2, 3, 4, 5], "p": [1.5, 2, 2, 5, 5, 1, 3, 3, 3, 6],
                          "b": [1, 0, 1, 1, 0, 1, 0, 0, 1, 1], "w": [0.0] * 5 + [1.0, 2, 1, 2, 1],
                          "g": ["a"] * 5 + ["b"] * 5})
    results = compute_analyses(qa(task=task, metrics=metrics, min_group_size=1,
                                  data={"path": "-", "weight": "w", **data}), frame)
    rows = {(r.slice.get("g"), r.metric): r for r in results.results if list(r.slice) in ([], ["g"])}
    assert rows[("a", "count")].value == 5
    for metric in metrics[1:]:
        assert rows[("a", metric)].value is None
        assert rows[("a", metric)].reason == "no weight: every row of the slice has weight 0"
    assert all(rows[("b", metric)].value is not None for metric in metrics)


def test_std_of_equal_weighted_scores_is_zero() -> None:
    """Equal scores under uneven weights: E[x²] and E[x]² (each an exact sum divided by the
    weight) can differ in their last bits, as they did for a group of scores of 5 in a falsifying
    example of the test above; the standard deviation is 0 all the same, not about 4e-8."""
    from cardwright._compute.tasks.common import Sizes
    from cardwright._compute.tasks.scored import _std

    m2 = np.array([np.nextafter(np.nextafter(25.0, 26.0), 26.0), 25.0])
    mean = {"x": np.array([5.0, 5.0]), "x2": m2, "x3": np.array([125.0, 125.0]), "x4": np.array([625.0, 625.0])}
    size = Sizes(np.array([4, 4]), np.array([4.03, 4.03]), np.array([2.1, 2.1]), True)
    value, _, _, _ = _std(mean, size, 0.95, 0.0, np.array([5.0, 5.0]))
    assert value.tolist() == [0.0, 0.0]


def _fairlearn_frame() -> pd.DataFrame:
    from task_data import frame

    return frame(rows=3000, seed=11).dropna(subset=["group", "yb", "score", "species", "price", "predicted",
                                                    "toxicity", "p_cat", "weight"]).reset_index(drop=True)


def _by_group(results: Any, metric: str) -> dict[str, float | None]:
    return {r.slice["group"]: r.value for r in results.results if r.metric == metric and list(r.slice) == ["group"]}


@pytest.mark.parametrize("weighted", [False, True])
def test_fairlearn_metricframe_agrees_on_every_group(weighted: bool) -> None:
    from functools import partial

    from fairlearn.metrics import MetricFrame

    df = _fairlearn_frame()
    w = df["weight"].to_numpy() if weighted else None
    weight = {"weight": "weight"} if weighted else {}

    def frame_of(metrics: dict[str, Any], y_true: Any, y_pred: Any) -> Any:
        params = {name: {"sample_weight": w} for name in metrics} if weighted else None
        return MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=df["group"],
                           sample_params=params).by_group

    def compare(results: Any, expected: Any, tol: float = 1e-12, bound: dict[str, float] | None = None) -> None:
        for metric in expected.columns:
            got = _by_group(results, metric)
            for group, value in expected[metric].items():
                slack = (bound or {}).get(metric, 0.0)
                assert abs(got[group] - value) <= max(slack, tol * max(1.0, abs(value))), (metric, group, got, value)

    base = {"factors": ["group"], "confidence": {"resamples": 0}, "min_group_size": 1, "min_cell_size": 1}
    reg = compute_analyses(QuantitativeAnalyses.model_validate({
        **base, "task": "regression", "metrics": ["mean_absolute_error", "mean_squared_error", "r2",
                                                  "median_absolute_error"],
        "data": {"path": "-", "label": "price", "prediction": "predicted", **weight}}), df)
    compare(reg, frame_of({"mean_absolute_error": skm.mean_absolute_error, "mean_squared_error":
                           skm.mean_squared_error, "r2": skm.r2_score, "median_absolute_error":
                           skm.median_absolute_error}, df["price"], df["predicted"]),
            bound={"median_absolute_error": reg.settings.quantiles.max_error})
    mc = compute_analyses(QuantitativeAnalyses.model_validate({
        **base, "task": "multiclass-classification", "metrics": ["accuracy", "balanced_accuracy", "macro_f1"],
        "data": {"path": "-", "label": "species", "prediction": "guess", **weight}}), df)
    compare(mc, frame_of({"accuracy": skm.accuracy_score, "balanced_accuracy": skm.balanced_accuracy_score,
                          "macro_f1": partial(skm.f1_score, average="macro", zero_division=np.nan)},
                         df["species"], df["guess"]))
    binary = compute_analyses(QuantitativeAnalyses.model_validate({
        **base, "metrics": ["brier_score", "log_loss", "average_precision", "roc_auc"],
        "data": {"path": "-", "label": "yb", "score": "score", "threshold": 0.5, "positive_label": "yes", **weight}}),
        df)
    compare(binary, frame_of({"brier_score": skm.brier_score_loss, "log_loss": skm.log_loss,
                              "average_precision": skm.average_precision_score, "roc_auc": skm.roc_auc_score},
                             (df["yb"] == "yes").astype(int), df["score"]),
            bound={"roc_auc": binary.settings.auc.max_error,
                   "average_precision": binary.settings.average_precision.max_error})
    scored = compute_analyses(QuantitativeAnalyses.model_validate({
        **base, "task": "scored", "metrics": ["mean"], "data": {"path": "-", "score": "toxicity", **weight}}), df)

    def mean(_y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
        return float(np.average(y_pred, weights=sample_weight))

    compare(scored, frame_of({"mean": mean}, df["toxicity"], df["toxicity"]))


def test_constant_labels_beside_other_labels_leave_r2_undefined_not_an_overflow():
    """A group whose labels are all 0 in a column whose centre is not 0: the labels' moments about
    the centre leave a variance of rounding noise, which must read as none (R² undefined), not as a
    tiny variance whose interval overflows."""
    frame = pd.DataFrame({"y": [0.0] * 22 + [0.0, 7.0], "p": [0.0] * 22 + [1.0, 0.0],
                          "g": ["x"] * 23 + ["y"], "w": [1.0] * 24})
    results = compute_analyses(qa(task="regression", data={"path": "-", "label": "y", "prediction": "p"},
                                  metrics=REGRESSION), frame)
    row = rows_of(results)[((("g", "x"),), "r2", None, None)]
    assert row.value is None and row.reason.startswith("undefined")
