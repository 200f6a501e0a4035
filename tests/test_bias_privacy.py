"""A datasheet's bias measures publish no suppressed count (issue 16, item 2): they are protected in
one grid with the datasheet's tables, rare label values are pooled as in the label's table, every
published row is a function of its own counts only, and the audit of :mod:`audit_bias` catches a
bias row or count put back.  The audit of every output of the shipped Berkeley datasheet and of
random datasheets with bias measures is in tests/test_trust_privacy.py."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from audit_bias import BiasView
from audit_datasheet import datasheet_cells, facts_from_results
from cardwright._compute.composition import RARE, compute_composition
from cardwright.schema.analysis import CompositionData
from cardwright.schema.bias import BIAS_METRIC_NAMES
from privacy_audit import audit


def frame(seed: int, rows: int = 600, labels: tuple[str, ...] = ("yes", "no", "maybe"),
          p: tuple[float, ...] = (0.4, 0.4, 0.2)) -> Any:
    import pandas as pd

    rng = np.random.default_rng(seed)
    return pd.DataFrame({"g": rng.choice(["a", "b", "c"], rows, p=[0.5, 0.3, 0.2]), "h": rng.choice(["x", "y"], rows),
                         "s": rng.choice(["s1", "s2", "s3"], rows, p=[0.5, 0.3, 0.2]), "y": rng.choice(labels, rows, p=p)})


def spec(**extra: Any) -> CompositionData:
    base = {"path": "unused.csv", "label": "y", "positive_label": "yes", "sensitive_attributes": ["g", "h"],
            "conditional_on": ["s"], "bias_metrics": list(BIAS_METRIC_NAMES), "min_cell_size": 5,
            "confidence": {"resamples": 50}}
    return CompositionData.model_validate({**base, **extra})


def audited(df: Any, data: CompositionData, results: dict[str, Any]) -> list[str]:
    ds = datasheet_cells(df, data.model_dump())
    facts = facts_from_results(ds, results, "results")
    return [str(leak) for leak in audit(ds.cells, facts, ds.secrets, ds.k)]


def published(df: Any, data: CompositionData, results: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """``row`` (of ``results``) put back: its true sizes and value, as if it had not been hidden."""
    view = BiasView(datasheet_cells(df, data.model_dump()), results["bias"])
    total = view.ds.cells.total
    key = row["facet"]
    row.update(suppressed=False, reason=None, value=view.value(key, row["metric"]),
               n_facet=total(view.facet(key)), n_rest=total(view.rest(key)))
    return row


# -- the protection --------------------------------------------------------------------------------
def test_a_hidden_complement_of_the_tables_is_hidden_in_the_bias_block_too() -> None:
    """Groups b and c of g are hidden by the groups' table (complements of its small cells); their
    class imbalance publishes their sizes, so the grid hides it as a complement too; putting back
    either gives both groups away."""
    df = frame(17, rows=150)
    data = spec(min_cell_size=10)
    results = json.loads(compute_composition(data, df).model_dump_json())
    assert [g["slice"]["g"] for g in results["groups"] if g["suppressed"] and len(g["slice"]) == 1] == ["b", "c"]
    hidden = [r for r in results["bias"]["measures"] if r["reason"] and "complementary suppression" in r["reason"]]
    assert [(r["facet"], r["metric"]) for r in hidden] == [({"g": "b"}, "class_imbalance"),
                                                           ({"g": "c"}, "class_imbalance")]
    assert audited(df, data, results) == []
    published(df, data, results, hidden[0])
    leaks = audited(df, data, results)
    assert any(leak.startswith("results: group {'g': 'c'} = 24: recovered exactly") for leak in leaks), leaks


def test_a_few_rows_without_a_label_hide_every_measure_and_the_audit_sees_why() -> None:
    """Three rows miss the label: every measure's two sides add up to the rows with one, 3 fewer
    than all rows (and with a group's size, say that group's rows without one), so every measure
    is hidden; putting back one of them gives the 3 away."""
    df = frame(3)
    df.loc[df.index[:3], "y"] = None
    data = spec(bias_metrics=["class_imbalance", "difference_in_label_proportions", "total_variation_distance"])
    results = json.loads(compute_composition(data, df).model_dump_json())
    bias = results["bias"]
    assert bias["rows_used"] is None and bias["rows_dropped"] == {"missing_label": None}
    assert all(r["suppressed"] and "without" in r["reason"] for r in bias["measures"])
    assert audited(df, data, results) == []
    row = next(r for r in bias["measures"] if r["metric"] == "class_imbalance")
    published(df, data, results, row)
    leaks = audited(df, data, results)
    assert any("without a label = 3: recovered exactly" in leak for leak in leaks), leaks


def test_a_group_the_tables_hide_is_never_a_published_facet_size() -> None:
    """Group d of g holds 3 rows: its table hides it and a complement; the bias measures of g are
    hidden for every group (one group's rows are the others' rest), so the complement's size
    appears nowhere; putting it back as ``n_facet`` gives d's 3 away."""
    import pandas as pd

    df = pd.concat([frame(4), pd.DataFrame({"g": ["d"] * 3, "h": ["x"] * 3, "s": ["s1"] * 3, "y": ["yes"] * 3})],
                   ignore_index=True)
    data = spec(intersections="none")
    results = json.loads(compute_composition(data, df).model_dump_json())
    hidden = [g["slice"]["g"] for g in results["groups"] if g["suppressed"]]
    assert "d" in hidden and len(hidden) >= 2
    rows = [r for r in results["bias"]["measures"] if r["over"] == ["g"]]
    assert all(r["suppressed"] and r["n_facet"] is None and r["n_rest"] is None for r in rows)
    assert audited(df, data, results) == []
    complement = next(g for g in hidden if g != "d")
    row = next(r for r in rows if r["facet"] == {"g": complement} and r["metric"] == "class_imbalance")
    row["n_facet"] = int((df["g"] == complement).sum())
    leaks = audited(df, data, results)
    assert any("{'g': 'd'}" in leak and "= 3: recovered exactly" in leak for leak in leaks), leaks


def test_the_measures_of_the_other_groups_would_give_a_small_count_away() -> None:
    """Group d's 3 rejections hide DPL of g for every group: put back for every other group, their
    rejections and the label's table give d's 3 away."""
    import pandas as pd

    df = pd.concat([frame(7, labels=("yes", "no"), p=(0.5, 0.5)),
                    pd.DataFrame({"g": ["d"] * 12, "h": ["x"] * 12, "s": ["s1"] * 12, "y": ["yes"] * 9 + ["no"] * 3})],
                   ignore_index=True)
    data = spec(intersections="none", bias_metrics=["class_imbalance", "difference_in_label_proportions"])
    results = json.loads(compute_composition(data, df).model_dump_json())
    dpl = [r for r in results["bias"]["measures"] if r["over"] == ["g"] and r["metric"] != "class_imbalance"]
    assert dpl and all(r["suppressed"] for r in dpl)
    assert audited(df, data, results) == []
    for row in dpl:
        if row["facet"] != {"g": "d"}:
            published(df, data, results, row)
    leaks = audited(df, data, results)
    assert any("difference_in_label_proportions of {'g': 'd'}: d- = 3: recovered exactly" in leak
               for leak in leaks), leaks


# -- rare label values ------------------------------------------------------------------------------
def _rare(df: Any, values: list[str], each: int) -> Any:
    """``df`` with ``each`` rows of every one of ``values`` (each held by fewer than 5 rows)."""
    df = df.copy()
    for i, v in enumerate(values):
        df.loc[df.index[i * each:(i + 1) * each], "y"] = v
    return df


def test_rare_label_values_are_pooled_as_in_the_label_table_and_never_named() -> None:
    """Ten label values held by 4 rows each (below min_cell_size 5) are neither in ``label_values``
    nor in ``label_shares``: both pool them, and the distribution measures compare the pooled
    distributions (checked against Clarify's formulas on the data with the rare values made one)."""
    rare = [f"r{i}" for i in range(10)]
    df = _rare(frame(5), rare, 4)
    results = compute_composition(spec(intersections="none", min_cell_size=5), df)
    assert results.bias is not None and results.label_shares is not None
    assert results.bias.label_values == ["maybe", "no", "yes", RARE]
    assert [c.value for c in results.label_shares] == results.bias.label_values
    pooled = df["y"].where(df["y"].isin(["maybe", "no", "yes"]), "pool")
    values = ["maybe", "no", "yes", "pool"]
    compared = 0
    for r in results.bias.measures:
        if r.metric not in ("total_variation_distance", "kolmogorov_smirnov", "lp_norm"):
            continue
        facet = (df[r.over[0]] == r.facet[r.over[0]]).to_numpy()
        diff = (pooled[~facet].value_counts(normalize=True).reindex(values, fill_value=0)
                - pooled[facet].value_counts(normalize=True).reindex(values, fill_value=0)).abs()
        expected = {"total_variation_distance": diff.sum() / 2, "kolmogorov_smirnov": diff.max(),
                    "lp_norm": float(np.sqrt((diff ** 2).sum()))}[r.metric]
        assert not r.suppressed and r.value == pytest.approx(expected, abs=1e-12), (r.facet, r.metric)
        compared += 1
    assert compared == 3 * 5
    text = results.model_dump_json()
    assert not any(f'"{v}"' in text for v in rare)


def test_a_favourable_label_pooled_with_unfavourable_ones_hides_the_favourable_measures() -> None:
    df = _rare(frame(6), ["approved", *(f"r{i}" for i in range(10))], 4)
    results = compute_composition(spec(positive_label=["yes", "approved"], intersections="none"), df)
    assert results.bias is not None
    for r in results.bias.measures:
        favourable = r.metric in ("difference_in_label_proportions", "conditional_demographic_disparity")
        assert r.suppressed == favourable, (r.facet, r.metric)
        assert not favourable or (r.reason is not None and "pooled with unfavourable ones" in r.reason)


# -- every published row is a function of its own counts ----------------------------------------
def test_a_published_row_changes_only_with_its_own_counts() -> None:
    """Reshuffling ``h`` changes every count of the cube but none of g's rows' own counts (each
    group of g and the rest, per stratum and label): g's rows, intervals included, stay the same
    bytes; h's change.  (Resampling the whole cube would let a row's interval depend on counts it
    does not publish.)"""
    df = frame(8)
    shuffled = df.assign(h=np.random.default_rng(1).permutation(df["h"].to_numpy()))
    first, second = (compute_composition(spec(intersections="none"), d) for d in (df, shuffled))
    assert first.bias is not None and second.bias is not None

    def rows(results: Any, over: str) -> list[str]:
        return [r.model_dump_json() for r in results.bias.measures if r.over == [over]]

    assert rows(first, "g") == rows(second, "g")
    assert rows(first, "h") != rows(second, "h")


def test_a_two_group_attribute_gets_mirrored_intervals() -> None:
    results = compute_composition(spec(intersections="none"), frame(9))
    assert results.bias is not None
    by = {(r.facet["h"], r.metric): r for r in results.bias.measures if r.over == ["h"] and r.value is not None}
    for metric in ("conditional_demographic_disparity", "class_imbalance", "total_variation_distance"):
        x, y = by[("x", metric)], by[("y", metric)]
        assert x.ci_low is not None and y.ci_high is not None
        if metric == "total_variation_distance":  # a distance: the same for both sides
            assert (x.value, x.ci_low, x.ci_high) == pytest.approx((y.value, y.ci_low, y.ci_high), abs=1e-12)
        else:
            assert (x.value, x.ci_low, x.ci_high) == pytest.approx((-y.value, -y.ci_high, -y.ci_low), abs=1e-12)


# -- the cost of the search --------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [5000, 20000])
def test_three_attributes_strata_and_a_five_valued_label_stay_within_the_work_bound(rows: int) -> None:
    """3 sensitive attributes (2 × 5 × 4 groups, every intersection) × 6 strata × a 5-valued label,
    all eight measures: the grid decides within MAX_WORK (no row says everything was hidden), the
    tables hide nothing more than without the measures, and the coarse rows are published."""
    import pandas as pd

    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "sex": rng.choice(["female", "male"], rows), "race": rng.choice(list("abcde"), rows, p=[.5, .2, .15, .1, .05]),
        "age": rng.integers(18, 90, rows), "department": rng.choice(list("ABCDEF"), rows),
        "outcome": rng.choice(["accept", "waitlist", "reject", "appeal", "withdrawn"], rows, p=[.35, .15, .35, .1, .05])})
    base = {"path": "unused.csv", "label": "outcome", "min_cell_size": 10,
            "sensitive_attributes": ["sex", "race", {"column": "age", "bins": [30, 45, 60]}]}
    alone = compute_composition(CompositionData.model_validate(base), df)
    data = CompositionData.model_validate({**base, "positive_label": "accept", "conditional_on": ["department"],
                                           "bias_metrics": list(BIAS_METRIC_NAMES), "confidence": {"resamples": 50}})
    results = compute_composition(data, df)
    assert results.bias is not None
    assert not any(r.reason and r.reason.startswith("every") for r in results.bias.measures)
    assert [g.suppressed for g in results.groups] == [g.suppressed for g in alone.groups]
    assert all(not r.suppressed for r in results.bias.measures if len(r.over) == 1)


def test_a_grid_too_hard_to_search_hides_every_measure_and_keeps_the_tables(monkeypatch) -> None:
    """With no search allowed (``MAX_WORK`` 0), the grid gives up: every measure is hidden, with
    its reason and ``warning[protected-all]`` at ``bias_metrics``, and the tables are protected on
    their own, as without bias measures; nothing leaks."""
    import cardwright.errors as errors
    from cardwright._compute import disclosure

    monkeypatch.setattr(disclosure, "MAX_WORK", 0)
    df = frame(17, rows=150)
    data = spec(min_cell_size=10)
    warned: list[Any] = []

    def locate(key: Any, message: str, hint: str) -> Any:
        return errors.DataError(errors.Finding(f"card.yaml:{'.'.join(map(str, key))}", "data-error", message, hint=hint))

    with errors.reporting(warned.append):
        results = json.loads(compute_composition(data, df, locate=locate).model_dump_json())
    assert [(f.code, f.path) for f in warned] == [("protected-all", "card.yaml:data.bias_metrics")]
    assert all(r["suppressed"] and r["reason"].startswith("every bias measure is hidden")
               and r["n_facet"] is None for r in results["bias"]["measures"])
    alone = json.loads(compute_composition(spec(min_cell_size=10, bias_metrics=[]), df).model_dump_json())
    assert results["groups"] == alone["groups"] and results["label_shares"] == alone["label_shares"]
    assert audited(df, data, results) == []
