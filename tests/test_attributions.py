"""Attributions → importance per group: SHAP values from ``shap.TreeExplainer`` on a scikit-learn
model fitted to a dataset scikit-learn ships (breast cancer), written to a Parquet file in another
row order than the evaluation file and matched by id; every mean absolute and mean signed
attribution, every interval, rank and rank flag equals numpy's on the same files; matching by
order, mismatched files and missing values are checked."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pytest

import cardwright
from cardwright._compute.analyses import reported_slice_sets
from cardwright._compute.attributions import compute
from cardwright.errors import DataError
from cardwright.schema.analysis import QuantitativeAnalyses
from cardwright.schema.results import AttributionResults

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "valid"
BINS = [13.0, 16.0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shap = pytest.importorskip("shap")
    import pandas as pd
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import GradientBoostingClassifier

    root = tmp_path_factory.mktemp("attributions")
    x, y = load_breast_cancer(return_X_y=True, as_frame=True)
    order = np.random.default_rng(0).permutation(len(x))
    train, test = order[:300], order[300:]
    model = GradientBoostingClassifier(n_estimators=40, max_depth=2, random_state=0).fit(x.iloc[train], y.iloc[train])
    values = shap.TreeExplainer(model).shap_values(x.iloc[test])
    evaluation = pd.DataFrame({
        "row_id": [f"r{i}" for i in test], "y_true": y.iloc[test].to_numpy(),
        "y_score": model.predict_proba(x.iloc[test])[:, 1].round(6),
        "radius": x["mean radius"].iloc[test].to_numpy(),
        "texture": np.where(x["mean texture"].iloc[test] > 19, "high", "low"),
    })
    evaluation.to_csv(root / "eval.csv", index=False)
    attributions = pd.DataFrame(values, columns=list(x.columns))
    attributions.insert(0, "row_id", evaluation["row_id"])
    attributions.sample(frac=1, random_state=1).to_parquet(root / "shap.parquet", index=False)
    attributions.drop(columns="row_id").to_csv(root / "shap_in_order.csv", index=False)
    return root


def spec(data: dict[str, Any] | None = None, **attributions: Any) -> QuantitativeAnalyses:
    return QuantitativeAnalyses.model_validate({
        "data": {"path": "eval.csv", "label": "y_true", "score": "y_score", "threshold": 0.5, **(data or {})},
        "factors": [{"column": "radius", "bins": BINS, "name": "radius_band"}, "texture"],
        "metrics": ["accuracy"], "min_group_size": 20, "confidence": {"level": 0.9},
        "attributions": {"path": "shap.parquet", "id": "row_id", "top_k": 5, **attributions},
    })


def _slices(evaluation: Any) -> dict[str, Any]:
    band = np.array(["<13", "13-16", ">=16"])[np.searchsorted(BINS, evaluation["radius"], side="right")]
    return {"radius_band": band, "texture": evaluation["texture"].to_numpy()}


def test_every_value_equals_numpy_on_the_same_files(files: Path) -> None:
    import pandas as pd

    s = spec()
    out = AttributionResults.model_validate(compute(s, files, reported_slice_sets(s)))
    evaluation = pd.read_csv(files / "eval.csv")
    shap_values = pd.read_parquet(files / "shap.parquet").set_index("row_id").loc[evaluation["row_id"]]
    features = [c for c in shap_values.columns]
    assert out.features == features and out.rows_matched == len(evaluation)
    columns = _slices(evaluation)
    z = NormalDist().inv_cdf(0.95)
    checked = 0
    for row in out.importance:
        mask = np.ones(len(evaluation), dtype=bool)
        for factor, group in row.slice.items():
            mask &= columns[factor] == group
        values = shap_values[row.feature].to_numpy()[mask]
        assert row.n == mask.sum()
        if row.n < 20:
            assert row.suppressed and row.value is None
            continue
        x = np.abs(values) if row.metric == "mean_abs_attribution" else values
        assert row.value == pytest.approx(x.mean(), rel=1e-12, abs=1e-15)
        half = z * x.std(ddof=1) / np.sqrt(len(x))
        assert row.ci_low == pytest.approx(x.mean() - half, rel=1e-9, abs=1e-12)
        assert row.ci_high == pytest.approx(x.mean() + half, rel=1e-9, abs=1e-12)
        checked += 1
    assert checked > 300


def test_ranks_and_rank_flags_follow_the_intervals(files: Path) -> None:
    s = spec()
    out = AttributionResults.model_validate(compute(s, files, reported_slice_sets(s)))
    by_slice: dict[str, list[Any]] = {}
    for row in out.importance:
        if row.metric == "mean_abs_attribution" and row.value is not None:
            by_slice.setdefault(repr(sorted(row.slice.items())), []).append(row)
    for rows in by_slice.values():
        values = np.array([r.value for r in rows])
        lo, hi = np.array([r.ci_low for r in rows]), np.array([r.ci_high for r in rows])
        assert sorted(r.rank for r in rows) == list(range(1, len(rows) + 1))
        assert next(r.feature for r in sorted(rows, key=lambda r: r.rank)) == rows[int(np.argmax(values))].feature
        for i, r in enumerate(rows):
            assert r.rank_low == 1 + int((lo > hi[i]).sum()) and r.rank_high == int((hi >= lo[i]).sum())
            assert r.rank_low <= r.rank <= r.rank_high
    assert out.rank_flags, "the radius bands rank the size features differently"
    for flag in out.rank_flags:
        ranges = {repr(sorted(g.slice.items())): (g.rank_low, g.rank_high) for g in flag.groups}
        for a, b in flag.pairs:
            (la, ha), (lb, hb) = ranges[repr(sorted(a.items()))], ranges[repr(sorted(b.items()))]
            assert ha < lb or hb < la
        apart = sum(1 for (la, ha), (lb, hb) in itertools.combinations(ranges.values(), 2) if ha < lb or hb < la)
        assert apart == len(flag.pairs)


def test_matching_by_order_gives_the_same_numbers(files: Path) -> None:
    by_id, by_order = spec(), spec(path="shap_in_order.csv", id=None)
    a = compute(by_id, files, reported_slice_sets(by_id))
    b = compute(by_order, files, reported_slice_sets(by_order))
    left, right = [r["value"] for r in a["importance"]], [r["value"] for r in b["importance"]]
    assert [v is None for v in left] == [v is None for v in right]  # the same slices suppressed
    assert [v for v in left if v is not None] == pytest.approx([v for v in right if v is not None], rel=1e-12)


@pytest.mark.parametrize("by", ["id", "order"])
def test_the_data_blocks_filter_leaves_the_same_rows_out_of_the_attributions(files: Path, by: str) -> None:
    """The metrics describe the rows the card's `filter` keeps; so do the attributions, whether
    rows are matched by id or by order (the filtered rows keep their places)."""
    import pandas as pd

    where = {"filter": "y_score >= 0.2 and texture == 'low'"}
    s = spec(where) if by == "id" else spec(where, path="shap_in_order.csv", id=None)
    out = AttributionResults.model_validate(compute(s, files, reported_slice_sets(s)))
    evaluation = pd.read_csv(files / "eval.csv")
    keep = ((evaluation["y_score"] >= 0.2) & (evaluation["texture"] == "low")).to_numpy()
    assert 0 < keep.sum() < len(evaluation)
    assert out.rows_matched == keep.sum() and out.rows_dropped == len(evaluation) - keep.sum()
    shap_values = pd.read_parquet(files / "shap.parquet").set_index("row_id").loc[evaluation["row_id"]]
    overall = {r.feature: r for r in out.importance if r.slice == {} and r.metric == "mean_attribution"}
    for feature, row in overall.items():
        assert row.n == keep.sum()
        assert row.value == pytest.approx(shap_values[feature].to_numpy()[keep].mean(), rel=1e-12, abs=1e-15)
    assert {r.slice.get("texture") for r in out.importance} <= {None, "low"}


def test_distributions_of_the_top_features(files: Path) -> None:
    s = spec()
    out = AttributionResults.model_validate(compute(s, files, reported_slice_sets(s)))
    overall = sorted((r for r in out.importance if r.slice == {} and r.metric == "mean_abs_attribution"),
                     key=lambda r: r.rank or 0)
    assert [d.feature for d in out.distributions] == [r.feature for r in overall[:5]]
    import pandas as pd

    values = pd.read_parquet(files / "shap.parquet")
    for d in out.distributions:
        x = values[d.feature].to_numpy()
        assert d.edges[0] <= x.min() and d.edges[-1] >= x.max()
        counts, _ = np.histogram(x, bins=d.edges)
        shown = [c for c in d.counts if c is not None]
        assert all(c == 0 or c >= 20 for c in shown)
        assert [c for c, s_ in zip(counts.tolist(), d.counts) if s_ is not None] == shown
        assert sum(1 for c in d.counts if c is None) != 1


@pytest.mark.parametrize("constant", [0.3, -1e-7, 12345.678])
def test_a_feature_constant_in_a_slice_has_an_interval_of_width_0(files: Path, tmp_path: Path,
                                                                   constant: float) -> None:
    """A feature whose attribution is the same in every row: its value is that constant and its
    intervals have width 0 in every slice (the variance from the sums is within their rounding,
    which once gave a width of about 1e-11).  The other features keep their intervals."""
    import pandas as pd

    shutil.copy(files / "eval.csv", tmp_path / "eval.csv")
    shap_values = pd.read_parquet(files / "shap.parquet")
    shap_values["mean radius"] = constant
    shap_values.to_parquet(tmp_path / "shap.parquet", index=False)
    s = spec()
    out = AttributionResults.model_validate(compute(s, tmp_path, reported_slice_sets(s)))
    rows = [r for r in out.importance if r.value is not None]
    fixed = [r for r in rows if r.feature == "mean radius"]
    assert len(fixed) >= 10
    for r in fixed:
        assert r.value == pytest.approx(abs(constant) if r.metric == "mean_abs_attribution" else constant, rel=1e-12)
        assert r.ci_low == r.value == r.ci_high
    assert any(r.ci_high > r.ci_low for r in rows if r.feature == "worst radius")


def test_mismatched_files_are_clear_errors(files: Path, tmp_path: Path) -> None:
    import pandas as pd

    for name in ("eval.csv", "shap.parquet", "shap_in_order.csv"):
        shutil.copy(files / name, tmp_path / name)
    shap_values = pd.read_parquet(files / "shap.parquet")
    shap_values.iloc[1:].to_parquet(tmp_path / "short.parquet", index=False)
    pd.concat([shap_values, shap_values.iloc[:1]]).to_parquet(tmp_path / "twice.parquet", index=False)
    holes = shap_values.copy()
    holes.iloc[5, 3] = np.nan
    holes.to_parquet(tmp_path / "holes.parquet", index=False)
    cases = {"short.parquet": "rows", "twice.parquet": "more than once", "holes.parquet": "not a finite number"}
    for name, words in cases.items():
        s = spec(path=name)
        with pytest.raises(DataError, match=words):
            compute(s, tmp_path, reported_slice_sets(s))
    s = spec(path="shap_in_order.csv", id=None)
    pd.read_csv(files / "shap_in_order.csv").iloc[:-3].to_csv(tmp_path / "shap_in_order.csv", index=False)
    with pytest.raises(DataError, match="the attribution file has 266 rows and the evaluation data 269"):
        compute(s, tmp_path, reported_slice_sets(s))


def test_a_model_card_computes_and_renders_attributions(files: Path, tmp_path: Path) -> None:
    import yaml

    for name in ("eval.csv", "shap.parquet"):
        shutil.copy(files / name, tmp_path / name)
    card = yaml.safe_load((FIXTURES / "minimal.model-card.yaml").read_text(encoding="utf-8"))
    card["quantitative_analyses"] = spec().model_dump(mode="json", exclude_defaults=True)
    path = tmp_path / "shap.model-card.yaml"
    path.write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    loaded = cardwright.load(path)
    results = cardwright.compute(loaded)
    assert results.attributions is not None and results.attributions.rows_matched == 269
    from cardwright._compute.api import check_results, write_results

    write_results(loaded, results)
    assert [f.message for f in check_results(loaded)] == []
    (tmp_path / "shap.parquet").write_bytes((files / "shap.parquet").read_bytes() + b"")
    import pandas as pd

    changed = pd.read_parquet(files / "shap.parquet")
    changed.iloc[0, 1] += 1.0
    changed.to_parquet(tmp_path / "shap.parquet", index=False)
    stale = check_results(loaded)
    assert [f.code for f in stale] == ["stale-results"] and "attribution file" in stale[0].message
    html = cardwright.render(loaded, results, to="html")
    assert isinstance(html, str)
    assert "Feature importance" in html and html.count("<svg") >= 3
