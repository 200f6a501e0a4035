"""A datasheet's pre-training bias measures (SageMaker Clarify's CI, DPL, KL, JS, LP, TVD, KS and
CDDL): every value equals a direct implementation of Clarify's documented formulas on the rows and
the open-source ``smclarify`` package, on random tables; the intervals contain their estimates;
small cells are suppressed; arrow and DuckDB write the same bytes; and the Berkeley 1973 example
reproduces the published rates and the reversal within departments."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cardwright
from cardwright._compute.composition import compute_composition
from cardwright.schema.analysis import CompositionData
from cardwright.schema.bias import BIAS_METRIC_NAMES
from conftest import load_script
from engine_data import text

BERKELEY = Path(__file__).resolve().parents[1] / "examples" / "berkeley"


def table(seed: int, rows: int = 600, labels: tuple[str, ...] = ("yes", "no")) -> Any:
    import pandas as pd

    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b", "c"], rows, p=[0.5, 0.3, 0.2])
    h = rng.choice(["x", "y"], rows)
    s = rng.choice(["s1", "s2", "s3"], rows, p=[0.5, 0.3, 0.2])
    base = rng.random(len(labels))
    shift = {"a": 0.0, "b": 0.8, "c": -0.5}
    logits = np.stack([base[i] + (i == 0) * np.vectorize(shift.get)(g) + 0.3 * (s == "s2") for i in range(len(labels))], 1)
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    y = np.array([labels[rng.choice(len(labels), p=row)] for row in p])
    return pd.DataFrame({"g": g, "h": h, "s": s, "y": y})


def spec(**extra: Any) -> CompositionData:
    base = {"path": "unused.csv", "label": "y", "positive_label": "yes", "sensitive_attributes": ["g", "h"],
            "conditional_on": ["s"], "bias_metrics": list(BIAS_METRIC_NAMES), "min_cell_size": 1,
            "confidence": {"resamples": 200, "seed": 1}}
    return CompositionData.model_validate({**base, **extra})


# -- a direct implementation of the documented formulas, on rows -------------------------------

def documented(df: Any, facet: Any, positive: str = "yes") -> dict[str, float]:
    """Clarify's documented definitions, facet d = ``facet`` (a boolean Series), a = the rest."""
    d, a = df[facet], df[~facet]
    n_d, n_a = len(d), len(a)
    values = sorted(df["y"].unique())
    pd_ = np.array([(d["y"] == v).mean() for v in values])
    pa = np.array([(a["y"] == v).mean() for v in values])
    out = {"class_imbalance": (n_a - n_d) / (n_a + n_d),
           "difference_in_label_proportions": (a["y"] == positive).mean() - (d["y"] == positive).mean()}
    if np.all((pa == 0) | (pd_ > 0)):
        out["kl_divergence"] = sum(p * math.log(p / q) for p, q in zip(pa, pd_) if p > 0)
    m = (pa + pd_) / 2
    out["js_divergence"] = 0.5 * (sum(p * math.log(p / q) for p, q in zip(pa, m) if p > 0)
                                  + sum(p * math.log(p / q) for p, q in zip(pd_, m) if p > 0))
    out["lp_norm"] = math.sqrt(sum((p - q) ** 2 for p, q in zip(pa, pd_)))
    out["total_variation_distance"] = 0.5 * sum(abs(p - q) for p, q in zip(pa, pd_))
    out["kolmogorov_smirnov"] = max(abs(p - q) for p, q in zip(pa, pd_))
    num = 0.0
    for s in df["s"].unique():
        stratum = df[df["s"] == s]
        in_d = facet[df["s"] == s]
        rejected, accepted = stratum["y"] != positive, stratum["y"] == positive
        share_rejected = (in_d & rejected).sum() / rejected.sum() if rejected.sum() else 0.0
        share_accepted = (in_d & accepted).sum() / accepted.sum() if accepted.sum() else 0.0
        num += len(stratum) * (share_rejected - share_accepted)
    out["conditional_demographic_disparity"] = num / len(df)
    return out


def facet_mask(df: Any, facet: dict[str, str]) -> Any:
    mask = np.ones(len(df), dtype=bool)
    for col, value in facet.items():
        mask &= (df[col] == value).to_numpy()
    import pandas as pd

    return pd.Series(mask, index=df.index)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("labels", [("yes", "no"), ("yes", "no", "maybe")])
def test_every_measure_equals_clarifys_documented_formula(seed: int, labels: tuple[str, ...]) -> None:
    df = table(seed, rows=200 + 50 * seed, labels=labels)
    results = compute_composition(spec(), df)
    assert results.bias is not None
    seen = 0
    for row in results.bias.measures:
        expected = documented(df, facet_mask(df, row.facet))
        if row.metric not in expected:
            assert row.value is None and row.reason is not None and row.reason.startswith("infinite")
            continue
        assert row.value == pytest.approx(expected[row.metric], abs=1e-12), (row.facet, row.metric)
        seen += 1
    assert seen >= 5 * 8


@pytest.mark.skipif(importlib.util.find_spec("smclarify") is None, reason="smclarify is not installed")
@pytest.mark.parametrize("seed", range(8))
def test_every_measure_equals_smclarify(seed: int) -> None:
    from smclarify.bias.metrics import pretraining as clarify

    df = table(seed, rows=300 + 40 * seed)
    results = compute_composition(spec(), df)
    assert results.bias is not None
    label = df["y"]
    positive = label == "yes"
    compared = 0
    for row in results.bias.measures:
        facet = facet_mask(df, row.facet)
        both = all(((label[facet] == v).any() and (label[~facet] == v).any()) for v in label.unique())
        if not both:  # smclarify drops label values absent from one side; Clarify's formulas do not
            continue
        got = smclarify_value(clarify, row.metric, label, facet, positive, df["s"])
        assert row.value == pytest.approx(float(got), abs=1e-12), (row.facet, row.metric)
        compared += 1
    assert compared >= 40


def smclarify_value(clarify: Any, metric: str, label: Any, facet: Any, positive: Any, strata: Any) -> float:
    if metric == "class_imbalance":
        return float(clarify.CI(label, facet))
    if metric == "difference_in_label_proportions":
        return float(clarify.DPL(label, facet, positive))
    if metric == "conditional_demographic_disparity":
        return float(clarify.CDDL(label, facet, positive, strata))
    short = {"kl_divergence": "KL", "js_divergence": "JS", "lp_norm": "LP", "total_variation_distance": "TVD",
             "kolmogorov_smirnov": "KS"}[metric]
    return float(getattr(clarify, short)(label, facet))


def test_intervals_contain_their_estimates_and_repeat() -> None:
    df = table(3, rows=400, labels=("yes", "no", "maybe"))
    first = compute_composition(spec(), df)
    again = compute_composition(spec(), df)
    assert text(first) == text(again)
    assert first.bias is not None
    with_interval = 0
    for row in first.bias.measures:
        if row.value is None:
            continue
        assert row.ci_low is not None and row.ci_high is not None and row.interval is not None
        assert row.ci_low <= row.value <= row.ci_high, (row.facet, row.metric)
        with_interval += 1
        for s in row.strata or []:
            if s.disparity is not None and s.ci_low is not None and s.ci_high is not None:
                assert s.ci_low <= s.disparity <= s.ci_high
    assert with_interval > 40
    methods = {r.metric: r.interval for r in first.bias.measures if r.value is not None}
    assert methods["class_imbalance"] == "wilson-transformed"
    assert methods["difference_in_label_proportions"] == "newcombe"
    assert methods["total_variation_distance"] == "bootstrap-basic"
    assert methods["conditional_demographic_disparity"] == "bootstrap-percentile"
    binary = compute_composition(spec(), table(3, rows=400))
    assert binary.bias is not None
    methods = {r.metric: r.interval for r in binary.bias.measures if r.value is not None}
    assert methods["total_variation_distance"] == methods["lp_norm"] == "newcombe-folded"
    assert methods["kl_divergence"] == methods["js_divergence"] == "wilson-box"
    for row in binary.bias.measures:
        if row.value is not None:
            assert row.ci_low is not None and row.ci_high is not None
            assert 0 <= row.ci_low <= row.value <= row.ci_high or row.metric in (
                "class_imbalance", "difference_in_label_proportions", "conditional_demographic_disparity")


def test_intersections_compare_each_cell_with_everything_else() -> None:
    df = table(5, rows=800)
    results = compute_composition(spec(), df)
    assert results.bias is not None
    cells = [r for r in results.bias.measures if r.over == ["g", "h"] and r.metric == "class_imbalance"]
    assert len(cells) == 6
    for row in cells:
        n_d = int(facet_mask(df, row.facet).sum())
        assert row.n_facet == n_d and row.n_rest == len(df) - n_d
        assert row.value == pytest.approx((len(df) - 2 * n_d) / len(df), abs=1e-15)


def test_one_small_count_hides_what_is_built_from_it_for_every_group() -> None:
    import pandas as pd

    df = table(7, rows=500)
    rare = pd.DataFrame({"g": ["d"] * 12, "h": ["x"] * 12, "s": ["s1"] * 12, "y": ["yes"] * 9 + ["no"] * 3})
    df = pd.concat([df, rare], ignore_index=True)
    results = compute_composition(spec(min_cell_size=5), df)
    assert results.bias is not None
    # group d has 3 rejections: every measure of g (and of g × h) built from the label counts is hidden
    # for every group, or the rejections of all rows minus the other groups' would give the 3 away ...
    for r in results.bias.measures:
        if "g" not in r.facet or r.metric == "class_imbalance":
            continue
        assert r.suppressed and r.value is None and r.ci_low is None and not r.strata and r.facet_rate is None
        assert r.reason is not None and "is below 5 (min_cell_size)" in r.reason and "every group" in r.reason
    # ... while group sizes (12 for d) are published, and so is everything by h alone
    sizes = {r.facet["g"]: r for r in results.bias.measures if r.over == ["g"] and r.metric == "class_imbalance"}
    assert sizes["d"].n_facet == 12 and all(not r.suppressed and r.value is not None for r in sizes.values())
    assert all(not r.suppressed for r in results.bias.measures if r.over == ["h"])
    published = [c for r in results.bias.measures for c in (r.n_facet, r.n_rest) if c is not None]
    published += [c for r in results.bias.measures for s in r.strata or [] for c in (s.n, s.n_facet, s.n_rest)
                  if c is not None]
    assert published and min(published) >= 5


def test_a_small_count_within_a_stratum_hides_only_conditional_measures() -> None:
    import pandas as pd

    df = table(8, rows=600)
    df = df[~((df["g"] == "c") & (df["s"] == "s3") & (df["y"] == "no"))]
    extra = pd.DataFrame({"g": ["c"] * 2, "h": ["x"] * 2, "s": ["s3"] * 2, "y": ["no"] * 2})
    df = pd.concat([df, extra], ignore_index=True)
    results = compute_composition(spec(min_cell_size=5, intersections="none"), df)
    assert results.bias is not None
    for r in results.bias.measures:
        hidden = r.over == ["g"] and r.metric == "conditional_demographic_disparity"
        assert r.suppressed == hidden and (r.value is not None) != hidden, (r.facet, r.metric)


def test_class_imbalance_needs_no_label() -> None:
    df = table(4, rows=300)
    results = compute_composition(spec(label=None, positive_label=None, bias_metrics=["class_imbalance"]), df)
    assert results.bias is not None and results.bias.label_values is None
    rows = [r for r in results.bias.measures if r.over == ["g"]]
    assert [r.facet for r in rows] == [{"g": "a"}, {"g": "b"}, {"g": "c"}]
    for r in rows:
        n_d = int((df["g"] == r.facet["g"]).sum())
        assert r.value == pytest.approx((len(df) - 2 * n_d) / len(df), abs=1e-15)


def test_a_continuous_label_is_refused_before_counting_into_a_large_table() -> None:
    from cardwright.errors import DataError

    df = table(4, rows=300)
    df["y"] = np.arange(len(df)).astype(str)
    with pytest.raises(DataError, match="more than 50 distinct values"):
        compute_composition(spec(bias_metrics=["kl_divergence"], positive_label=None), df)


def test_missing_labels_are_left_out_and_counted() -> None:
    df = table(9, rows=300)
    df.loc[df.index[:7], "y"] = None
    results = compute_composition(spec(), df)
    assert results.bias is not None
    assert results.bias.rows_dropped == {"missing_label": 7}
    assert results.bias.rows_used == 293


def test_schema_requires_what_the_measures_need() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="positive_label"):
        spec(positive_label=None)
    with pytest.raises(ValidationError, match="conditional_on"):
        spec(conditional_on=[])
    with pytest.raises(ValidationError, match="sensitive_attributes"):
        spec(sensitive_attributes=[])
    assert spec(positive_label=None, bias_metrics=["kl_divergence"]).bias_metrics == ["kl_divergence"]


def test_a_positive_label_no_row_has_is_an_error() -> None:
    from cardwright.errors import DataError

    with pytest.raises(DataError, match="positive_label"):
        compute_composition(spec(positive_label="approved"), table(1))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_duckdb_writes_the_same_bytes_as_arrow(tmp_path: Path, fmt: str) -> None:
    pytest.importorskip("duckdb")
    df = table(11, rows=2000)
    df.loc[df.index[:30], "g"] = None
    df.loc[df.index[30:40], "y"] = None
    path = tmp_path / f"data.{fmt}"
    df.to_csv(path, index=False) if fmt == "csv" else df.to_parquet(path, index=False)
    runs = [compute_composition(spec(path=path.name, min_cell_size=10), base_dir=tmp_path, engine=e)
            for e in ("arrow", "duckdb")]
    assert runs[1].provenance.engine == "duckdb"
    assert text(runs[0]) == text(runs[1])
    assert runs[0].bias is not None and any(r.facet == {"g": "(missing)"} for r in runs[0].bias.measures)


@pytest.mark.parametrize("column", ["y", "g", "s"])
def test_duckdb_reads_a_csv_of_integer_codes_as_arrow_does(tmp_path: Path, column: str) -> None:
    """A label, attribute or stratum of integer codes in a CSV file (COMPAS' `two_year_recid`):
    DuckDB types its groups as the Arrow pass reads them and writes the same bytes (its grouped
    column came back in chunks, and typing it stopped with an internal error)."""
    pytest.importorskip("duckdb")
    df = table(12, rows=1500)
    codes = {v: i for i, v in enumerate(sorted(df[column].unique()))}
    df[column] = df[column].map(codes)
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False)
    extra: dict[str, Any] = {"positive_label": codes["yes"]} if column == "y" else {}
    runs = [compute_composition(spec(path=path.name, min_cell_size=10, **extra), base_dir=tmp_path, engine=e)
            for e in ("arrow", "duckdb")]
    assert runs[1].provenance.engine == "duckdb"
    assert text(runs[0]) == text(runs[1])
    assert runs[0].bias is not None and runs[0].bias.measures


# -- the Berkeley example --------------------------------------------------------------------

#: Bickel, Hammel & O'Connell (1975), the six largest departments: percent admitted, as published.
PUBLISHED_RATES = {"A": (62, 82), "B": (63, 68), "C": (37, 34), "D": (33, 35), "E": (28, 24), "F": (6, 7)}


@pytest.fixture(scope="module")
def berkeley() -> Any:
    card = cardwright.load(BERKELEY / "berkeley.datasheet.yaml")
    return cardwright.compute(card)


def test_berkeley_data_regenerate_byte_for_byte() -> None:
    module = load_script(BERKELEY / "data" / "make_data.py", "berkeley_make_data")
    assert (BERKELEY / "data" / "admissions.csv").read_bytes() == module.generate().encode()
    assert module.main(["--check"]) == 0


def test_berkeley_aggregate_rates_are_the_published_ones(berkeley: Any) -> None:
    dpl = next(r for r in berkeley.bias.measures if r.facet == {"sex": "female"}
               and r.metric == "difference_in_label_proportions")
    assert (dpl.n_facet, dpl.n_rest) == (1835, 2691)
    assert round(dpl.facet_rate * 100, 1) == 30.4 and round(dpl.rest_rate * 100, 1) == 44.5
    assert dpl.value == pytest.approx(1198 / 2691 - 557 / 1835, abs=1e-15)
    assert dpl.ci_low > 0  # in aggregate, women were admitted less often, beyond the interval


def test_berkeley_conditional_disparity_shows_the_reversal(berkeley: Any) -> None:
    cdd = next(r for r in berkeley.bias.measures if r.facet == {"sex": "female"}
               and r.metric == "conditional_demographic_disparity")
    strata = {s.stratum["department"]: s for s in cdd.strata}
    assert sorted(strata) == list("ABCDEF")
    for dep, (men, women) in PUBLISHED_RATES.items():
        assert round(strata[dep].facet_rate * 100) == women and round(strata[dep].rest_rate * 100) == men
    # aggregate demographic disparity of women (Clarify's own example: 0.46 - 0.32 = 0.14) ...
    rejected_women, rejected = 1835 - 557, 4526 - 1755
    aggregate = rejected_women / rejected - 557 / 1755
    assert aggregate == pytest.approx(0.144, abs=1e-3)
    # ... reverses once departments are held fixed
    assert cdd.value < 0 < aggregate
    assert cdd.ci_low < 0 < cdd.ci_high
    assert sum(1 for s in strata.values() if s.facet_rate > s.rest_rate) == 4


def test_berkeley_example_validates_strictly_with_current_results() -> None:
    from cardwright.schema.completeness import completeness_findings

    path = BERKELEY / "berkeley.datasheet.yaml"
    assert completeness_findings(cardwright.load(path), str(path)) == []
    assert [f.format() for f in cardwright.validate([str(path)], strict=True)] == []
