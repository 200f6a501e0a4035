"""Numbers in cards and results say what they mean, or are refused clearly (issue 16, item 3).

Card-level checks, each with its pinned finding: non-finite numbers anywhere in a card or a
results file, binned factors whose labels repeat (merged, never a lost row), reference groups
that match no group (at ``validate`` from binned ranges, declared values or the results file; at
``compute`` from the data), label/prediction messages that name each column's values, and a
threshold outside the scores.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, run_cli

MINIMAL = FIXTURES / "valid" / "minimal.model-card.yaml"


def project(tmp_path: Path, qa: dict | None = None, *, rows: int = 300, seed: int = 1, factors: dict | None = None,
            text: str | None = None) -> Path:
    """A folder with data.csv and card.yaml (``text`` replaces the card's YAML)."""
    rng = np.random.default_rng(seed)
    lines = ["outcome,pred,score,sex,age"]
    for _ in range(rows):
        lines.append(f"{rng.integers(0, 2)},{rng.integers(0, 2)},{rng.uniform(0.05, 0.95):.3f},"
                     f"{rng.choice(['female', 'male'])},{rng.integers(16, 90)}")
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "cardwright.toml").write_text("", encoding="utf-8")
    if text is None:
        card = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
        if factors is not None:
            card["factors"] = factors
        card["quantitative_analyses"] = qa or {
            "data": {"path": "data.csv", "label": "outcome", "prediction": "pred"}, "factors": ["sex"],
            "metrics": ["accuracy"], "confidence": {"resamples": 0}}
        text = yaml.safe_dump(card, sort_keys=False)
    (tmp_path / "card.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "card.yaml"


def said(result) -> str:
    """What a command printed (validate reports on standard output, the others on standard error)."""
    return result.out + result.err


def first_error(result) -> str:
    return next(line for line in said(result).splitlines() if ": error[" in line)


def card_with(tmp_path: Path, qa_yaml: str) -> Path:
    """card.yaml from the minimal card plus a quantitative_analyses block written as YAML text."""
    project(tmp_path)
    text = MINIMAL.read_text(encoding="utf-8") + qa_yaml
    (tmp_path / "card.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "card.yaml"


QA = """quantitative_analyses:
  data: {{path: data.csv, label: outcome, score: score, threshold: {threshold}}}
  factors: [sex, {{column: age, bins: [{cut}, 60]}}]
  metrics: [accuracy]
  confidence: {{level: {level}, resamples: 0}}
  gates:
    - {{metric: accuracy, over: [sex], max_difference: {limit}}}
extensions:
  note: {extra}
"""
SAFE = {"threshold": "0.5", "cut": "30", "level": "0.9", "limit": "0.1", "extra": "fine"}
LINES = {"threshold": "14:67", "cut": "15:39", "level": "17:23", "limit": "19:55", "extra": "21:9"}


# -- non-finite numbers -----------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["threshold", "cut", "level", "limit", "extra"])
@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.INF", "1e400", "-2.5e999"])
def test_non_finite_numbers_anywhere_in_a_card_are_positioned_errors(tmp_path, where, value):
    path = card_with(tmp_path, QA.format(**{**SAFE, where: value}))
    got = run_cli("validate", str(path))
    assert got.code == 1
    line = first_error(got)
    assert f"card.yaml:{LINES[where]}:" in line and f"error[non-finite]: {value} is not a finite number" in line
    assert "hint: write a finite number" in said(got)


@pytest.mark.parametrize("where", ["threshold", "extra"])
def test_an_integer_too_long_to_read_is_a_positioned_error(tmp_path, where):
    """Python refuses to convert an integer of more than 4,300 digits: validate stopped with an
    internal error (exit 2)."""
    path = card_with(tmp_path, QA.format(**{**SAFE, where: "9" * 5000}))
    got = run_cli("validate", str(path))
    assert got.code == 1, said(got)
    line = first_error(got)
    assert f"card.yaml:{LINES[where]}: error[invalid-value]: an integer of 5,000 digits is too large to read" in line
    assert "hint: write a smaller number" in said(got) and "internal error" not in said(got)


def test_a_quoted_nan_is_text_and_a_finite_card_is_clean(tmp_path):
    path = card_with(tmp_path, QA.format(**{**SAFE, "extra": "'.nan'"}))
    got = run_cli("validate", str(path))
    assert got.code == 0, said(got)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_in_a_results_file_are_positioned_errors(tmp_path, token):
    path = project(tmp_path)
    assert run_cli("compute", str(path)).code == 0
    results = tmp_path / "card.results.json"
    text = results.read_text(encoding="utf-8")
    target = '"value": '
    at = text.index(target, text.index('"results"'))
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at) + len(target)
    end = text.index(",", at)
    results.write_text(text[:at] + target + token + text[end:], encoding="utf-8")
    for args in (("validate", "--strict", str(path)), ("render", str(path), "--to", "md", "-o", "-")):
        got = run_cli(*args)
        assert got.code == 1, (args, said(got))
        assert f"card.results.json:{line}:{column}: error[non-finite]: the results file holds {token}" in said(got)


def test_nan_inside_a_results_string_is_not_a_number():
    from cardwright.schema.results import non_finite

    assert non_finite('{"reason": "NaN and Infinity 1e400", "value": 0.5}') is None
    assert non_finite('{"a": [1, 2.5e300,\n  1e309]}') == (2, 3, "1e309")


def test_results_models_refuse_non_finite_values():
    from pydantic import ValidationError

    from cardwright.schema.results import ResultRow

    with pytest.raises(ValidationError):
        ResultRow.model_validate({"slice": {}, "metric": "accuracy", "value": float("nan"), "n": 3})


# -- repeated bin labels ----------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
@pytest.mark.parametrize(("labels", "expected"), [
    pytest.param(["young", "adult", "adult", "old"], ["young", "adult", "old"], id="adjacent"),
    pytest.param(["edge", "mid", "mid", "edge"], ["edge", "mid"], id="both ends share a label"),
    pytest.param(["a", "a", "a", "a"], ["a"], id="one label for every range"),
])
def test_binned_factors_with_repeated_labels_merge_their_ranges(tmp_path, engine, labels, expected):
    pytest.importorskip("duckdb")
    import pandas as pd

    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    path = project(tmp_path)
    frame = pd.read_csv(path.parent / "data.csv")
    spec = QuantitativeAnalyses.model_validate({
        "data": {"path": "data.csv", "label": "outcome", "prediction": "pred"},
        "factors": [{"column": "age", "bins": [25, 45, 65], "labels": labels, "name": "band"}],
        "metrics": ["count"], "confidence": {"resamples": 0}, "engine": engine})
    results = compute_analyses(spec, base_dir=path.parent)
    sizes = {s.slice["band"]: s.n for s in results.slices if s.slice}
    assert list(sizes) == expected and sum(sizes.values()) == len(frame)  # no row lost
    cut = np.searchsorted([25, 45, 65], frame["age"].to_numpy(), side="right")
    oracle = pd.Series([labels[i] for i in cut]).value_counts().to_dict()
    assert sizes == oracle


def test_repeated_labels_are_a_warning_at_validate(tmp_path):
    path = project(tmp_path, {
        "data": {"path": "data.csv", "label": "outcome", "prediction": "pred"},
        "factors": [{"column": "age", "bins": [25, 45], "labels": ["young", "young", "old"]}],
        "confidence": {"resamples": 0}, "metrics": ["accuracy"]})
    got = run_cli("validate", str(path))
    assert got.code == 0
    assert "warning[repeated-label]: ranges 1 and 2 of 'age' are both labelled 'young'" in said(got)


def test_repeated_labels_in_a_datasheet_merge_too():
    import pandas as pd

    from cardwright._compute.composition import compute_composition
    from cardwright.schema.analysis import CompositionData

    frame = pd.DataFrame({"age": list(range(10, 90))})
    spec = CompositionData.model_validate({"path": "x.csv", "min_cell_size": 1, "sensitive_attributes": [
        {"column": "age", "bins": [30, 50, 70], "labels": ["out", "in", "in", "out"]}]})
    groups = {g.slice["age"]: g.count for g in compute_composition(spec, frame).groups}
    assert groups == {"out": 40, "in": 40}


# -- reference groups --------------------------------------------------------------------------------
@pytest.mark.parametrize(("factor", "reference", "message", "hint"), [
    pytest.param({"column": "age", "bins": [40], "name": "band"}, {"band": "<4O"},
                 "reference group '<4O' for 'band' is not one of its groups (its binned ranges)",
                 "did you mean '<40'? groups: '<40', '>=40', '(missing)'", id="binned default labels"),
    pytest.param({"column": "age", "bins": [40], "labels": ["young", "older"], "name": "band"}, {"band": "yuong"},
                 "reference group 'yuong' for 'band' is not one of its groups (its binned ranges)",
                 "did you mean 'young'? groups: 'young', 'older', '(missing)'", id="binned labels"),
])
def test_a_reference_group_that_is_no_binned_range_is_an_error_at_validate(tmp_path, factor, reference, message,
                                                                              hint):
    path = project(tmp_path, {"data": {"path": "data.csv", "label": "outcome", "prediction": "pred"}, "factors": [factor],
                              "metrics": ["accuracy"], "confidence": {"resamples": 0},
                              "reference_groups": reference})
    got = run_cli("validate", str(path))
    assert got.code == 1
    assert f"error[unknown-group]: {message}" in first_error(got) and f"hint: {hint}" in said(got)


def test_a_reference_group_that_is_no_declared_value_is_an_error_at_validate(tmp_path):
    path = project(tmp_path, {"data": {"path": "data.csv", "label": "outcome", "prediction": "pred"}, "factors": ["sex"],
                              "metrics": ["accuracy"], "confidence": {"resamples": 0},
                              "reference_groups": {"sex": "Male"}},
                   factors={"evaluation_factors": [{"name": "sex", "values": ["female", "male"]}]})
    got = run_cli("validate", str(path))
    assert got.code == 1
    assert ("error[unknown-group]: reference group 'Male' for 'sex' is not one of its groups (the values declared "
            "under factors.evaluation_factors)") in said(got)
    assert "did you mean 'male' or 'female'?" in said(got)


def test_a_reference_group_is_checked_against_the_results_file_at_validate(tmp_path):
    path = project(tmp_path)
    assert run_cli("compute", str(path)).code == 0
    card = yaml.safe_load(path.read_text(encoding="utf-8"))
    card["quantitative_analyses"]["reference_groups"] = {"sex": "femal"}
    path.write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    got = run_cli("validate", str(path))
    assert got.code == 1
    assert ("error[unknown-group]: reference group 'femal' for 'sex' is not one of its groups (the groups of its "
            "results file)") in said(got) and "did you mean 'female'" in said(got)


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_a_reference_group_that_matches_no_observed_group_stops_compute(tmp_path, engine):
    pytest.importorskip("duckdb")
    path = project(tmp_path, {"data": {"path": "data.csv", "label": "outcome", "prediction": "pred"}, "factors": ["sex"],
                              "metrics": ["accuracy"], "confidence": {"resamples": 0}, "engine": engine,
                              "reference_groups": {"sex": "males"}})
    got = run_cli("compute", str(path))
    assert got.code == 1 and not (tmp_path / "card.results.json").exists()
    assert ("error[unknown-group]: reference group 'males' for 'sex' is not one of its groups (the groups in the "
            "data)") in said(got)
    assert "did you mean 'male' or 'female'?" in said(got)


def test_a_valid_reference_group_still_computes_signed_differences(tmp_path):
    path = project(tmp_path, {"data": {"path": "data.csv", "label": "outcome", "prediction": "pred"}, "factors": ["sex"],
                              "metrics": ["accuracy"], "confidence": {"resamples": 0},
                              "reference_groups": {"sex": "male"}})
    assert run_cli("compute", str(path)).code == 0
    results = json.loads((tmp_path / "card.results.json").read_text(encoding="utf-8"))
    rows = [d for d in results["disparities"] if d.get("group")]
    assert rows and all(d["reference"] == {"sex": "male"} for d in rows)


# -- label and prediction messages -------------------------------------------------------------------
def _compute_error(tmp_path: Path, rows: list[str], data: dict, engine: str = "auto") -> str:
    (tmp_path / "data.csv").write_text("\n".join(["outcome,pred,score,g", *rows]) + "\n", encoding="utf-8")
    (tmp_path / "cardwright.toml").write_text("", encoding="utf-8")
    card = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    card["quantitative_analyses"] = {"data": {"path": "data.csv", **data}, "factors": ["g"], "metrics": ["accuracy"],
                                     "confidence": {"resamples": 0}, "engine": engine}
    (tmp_path / "card.yaml").write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    got = run_cli("compute", str(tmp_path / "card.yaml"))
    assert got.code == 1
    return first_error(got).split("error[data-error]: ", 1)[1]


@pytest.mark.parametrize(("rows", "data", "message"), [
    pytest.param(["1,yes,0.5,a", "0,no,0.5,b"] * 5, {"label": "outcome", "prediction": "pred"},
                 "prediction column 'pred' in data.csv is not binary: besides the positive label 1 it holds no, yes "
                 "(label column 'outcome' holds 0, 1)", id="predictions written as words"),
    pytest.param(["1,1,0.5,a", "0,0,0.5,b", "2,0,0.5,a"] * 5, {"label": "outcome", "prediction": "pred"},
                 "label column 'outcome' in data.csv is not binary: besides the positive label 1 it holds 0, 2",
                 id="three label values"),
    pytest.param(["1,1,0.5,a", "0,false,0.5,b"] * 5, {"label": "outcome", "prediction": "pred"},
                 "the label and prediction columns in data.csv write the other class differently (label column 'outcome' "
                 "holds 0, 1; prediction column 'pred' holds 1, false)", id="different negatives"),
    pytest.param(["no,no,0.5,a", "yes,yes,0.5,b"] * 5, {"label": "outcome", "prediction": "pred", "positive_label": "approve"},
                 "no label or prediction in data.csv equals positive_label 'approve' (label column 'outcome' holds no, yes)",
                 id="positive label never seen"),
    pytest.param(["0,0,0.5,a", "0,0,0.5,b"] * 5, {"label": "outcome", "prediction": "pred", "positive_label": "1.5"},
                 "no label or prediction in data.csv equals positive_label '1.5' (label column 'outcome' holds 0; "
                 "prediction column 'pred' holds 0)", id="both columns listed"),
])
def test_label_and_prediction_mismatches_name_each_columns_values(tmp_path, rows, data, message):
    assert _compute_error(tmp_path, rows, data) == message


# -- thresholds -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("threshold", "message"), [
    pytest.param(0.99, "threshold 0.99 is above every score in data.csv, so every row would be predicted negative",
                 id="above"),
    pytest.param(0.01, "threshold 0.01 is below every score in data.csv, so every row would be predicted positive",
                 id="below"),
])
@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_a_threshold_outside_the_scores_is_an_error(tmp_path, threshold, message, engine):
    pytest.importorskip("duckdb")
    rows = [f"{i % 2},0,{0.2 + 0.05 * (i % 10):.2f},{'ab'[i % 2]}" for i in range(40)]
    got = _compute_error(tmp_path, rows, {"label": "outcome", "score": "score", "threshold": threshold}, engine)
    assert got == message


def test_a_threshold_within_the_scores_computes(tmp_path):
    rows = [f"{i % 2},0,{0.2 + 0.05 * (i % 10):.2f},{'ab'[i % 2]}" for i in range(40)]
    (tmp_path / "data.csv").write_text("\n".join(["outcome,pred,score,g", *rows]) + "\n", encoding="utf-8")
    shutil.copy(MINIMAL, tmp_path / "card.yaml")
    with (tmp_path / "card.yaml").open("a", encoding="utf-8") as f:
        f.write("quantitative_analyses:\n  data: {path: data.csv, label: outcome, score: score, threshold: 0.2}\n"
                "  factors: [g]\n  metrics: [selection_rate]\n  confidence: {resamples: 0}\n")
    (tmp_path / "cardwright.toml").write_text("", encoding="utf-8")
    assert run_cli("compute", str(tmp_path / "card.yaml")).code == 0  # 0.2 is the lowest score: all positive


# -- headline disparities name a pair and hold that pair's numbers ----------------------------------
def _two_equal_groups():
    import pandas as pd

    half = pd.DataFrame({"y": [1, 1, 0, 0, 1, 0, 1, 0] * 25, "p": [1, 0, 0, 1, 1, 0, 1, 1] * 25})
    return pd.concat([half.assign(g="a"), half.assign(g="b")], ignore_index=True)


@pytest.mark.parametrize("reference", [None, "a"])
def test_two_groups_with_identical_counts_show_no_difference_and_intervals_around_it(reference):
    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    spec = QuantitativeAnalyses.model_validate({
        "data": {"path": "x.csv", "label": "y", "prediction": "p"}, "factors": ["g"],
        "metrics": ["selection_rate", "false_positive_rate"], "confidence": {"resamples": 400, "seed": 3},
        "min_cell_size": 1, **({"reference_groups": {"g": reference}} if reference else {})})
    results = compute_analyses(spec, _two_equal_groups())
    headline = next(d for d in results.disparities if d.group is None and d.metric == "selection_rate")
    assert headline.difference == 0.0 and headline.ci_low <= 0.0 <= headline.ci_high
    assert headline.ratio == 1.0 and headline.ratio_ci_low <= 1.0 <= headline.ratio_ci_high
    assert headline.ci_low < 0 < headline.ci_high  # the pair's own interval, not that of a maximum


@st.composite
def evaluation_tables(draw):
    import pandas as pd

    n = draw(st.integers(30, 300))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    frame = pd.DataFrame({"y": rng.integers(0, 2, n), "s": rng.random(n).round(3),
                          "g": rng.choice(np.array(["a", "b", "c"], dtype=object), size=n),
                          "h": rng.choice(np.array(["u", "v"], dtype=object), size=n)})
    frame["p"] = (frame["s"] > draw(st.sampled_from([0.3, 0.5, 0.7]))).astype(int)
    spec = {"data": {"path": "x.csv", "label": "y", "prediction": "p", "score": "s"}, "factors": ["g", "h"],
            "metrics": ["selection_rate", "accuracy", "precision", "recall", "false_positive_rate", "f1",
                        "balanced_accuracy", "roc_auc"],
            "confidence": {"resamples": draw(st.sampled_from([20, 100])), "seed": draw(st.integers(0, 9)),
                           "method": draw(st.sampled_from(["auto", "percentile"]))},
            "min_group_size": draw(st.sampled_from([1, 10])), "min_cell_size": 1,
            **({"reference_groups": {"g": "a"}} if draw(st.booleans()) else {})}
    return frame, spec


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=evaluation_tables())
def test_every_interval_contains_its_estimate_and_headlines_hold_their_pairs_numbers(case):
    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    frame, raw = case
    results = compute_analyses(QuantitativeAnalyses.model_validate(raw), frame)
    for r in results.results:
        if r.value is not None and r.ci_low is not None:
            assert r.ci_low <= r.value <= r.ci_high, r
    value = {(r.metric, tuple(sorted(r.slice.items()))): r.value for r in results.results}
    for d in results.disparities:
        if d.difference is None:
            continue
        if d.ci_low is not None:
            assert d.ci_low <= d.difference <= d.ci_high, d
        if d.ratio is not None and d.ratio_ci_low is not None:
            assert d.ratio_ci_low <= d.ratio <= d.ratio_ci_high, d
        if d.metric not in value and d.metric not in {m for m, _ in value}:
            continue
        if d.comparison == "between-groups":  # the named pair's own difference
            hi, lo = value.get((d.metric, tuple(sorted(d.highest.items())))), value.get(
                (d.metric, tuple(sorted(d.lowest.items()))))
            if hi is not None and lo is not None:
                assert d.difference == pytest.approx(hi - lo, abs=1e-12)
        elif d.group is None and d.pair is not None:  # the headline holds its pair's signed numbers
            row = next(x for x in results.disparities if x.metric == d.metric and x.over == d.over and x.group == d.pair)
            assert (d.difference, d.ci_low, d.ci_high, d.ratio) == (row.difference, row.ci_low, row.ci_high, row.ratio)
            others = [x.difference for x in results.disparities if x.metric == d.metric and x.over == d.over
                      and x.group is not None and x.difference is not None]
            assert abs(d.difference) == max(abs(x) for x in others)


@pytest.mark.parametrize(("applies_to", "fpr_shown"), [("slice", True), ("denominator", False)])
def test_min_group_size_can_apply_to_a_metrics_own_denominator(applies_to, fpr_shown):
    """A group of 60 rows with 12 negatives: its false positive rate is reported when
    min_group_size (30) counts the slice's rows, and not when it counts the rate's own rows."""
    import pandas as pd

    from cardwright._compute.analyses import compute_analyses
    from cardwright.schema.analysis import QuantitativeAnalyses

    rows = [("a", 1, 1)] * 40 + [("a", 1, 0)] * 8 + [("a", 0, 0)] * 8 + [("a", 0, 1)] * 4
    rows += [("b", 1, 1)] * 30 + [("b", 0, 0)] * 40 + [("b", 0, 1)] * 10
    frame = pd.DataFrame(rows, columns=["g", "y", "p"])
    spec = QuantitativeAnalyses.model_validate({
        "data": {"path": "x.csv", "label": "y", "prediction": "p"}, "factors": ["g"],
        "metrics": ["accuracy", "false_positive_rate"], "confidence": {"resamples": 0}, "min_group_size": 30,
        "min_cell_size": 1, "min_group_size_applies_to": applies_to})
    results = compute_analyses(spec, frame)
    fpr = results.value("false_positive_rate", {"g": "a"})
    assert fpr.n == 12 and (fpr.value is not None) == fpr_shown
    assert fpr_shown or fpr.reason == "fewer than 30 rows (min_group_size)"
    assert results.value("accuracy", {"g": "a"}).value == pytest.approx(48 / 60)
    assert results.settings.min_group_size_applies_to == applies_to
