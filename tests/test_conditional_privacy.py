"""Conditional disparities publish nothing the slices keep hidden.

A small table (tests/fixtures/conditional/small.csv, the decision as the prediction): group a has
25 rows in stratum x, one of them selected.  With ``min_cell_size: 5`` the slices hide that count
(a × x is reported, with its size); a conditional disparity that published a × x's selection rate
(0.04, as earlier releases did) would give it away with that size, and the privacy audit, which
reads every number of ``conditional_disparities``, recovers it.  Now stratum x is left out of the
combination and named (``strata_left_out_by: min_cell_size``), none of its values or counts
published; the combined values cover the strata shown; a conditional gate fails with a reason;
Markdown, HTML and PDF render the row with its left-out stratum.  The Berkeley admissions at the
default ``min_cell_size`` of 10 (8 women refused by department B) still show the reversal over the
departments that can be shown.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from audit_model_card import facts_from_output, model_card_cells
from conftest import EXAMPLES, FIXTURES, published_outputs, run_cli
from privacy_audit import audit

MINIMAL = FIXTURES / "valid" / "minimal.model-card.yaml"
SMALL = FIXTURES / "conditional" / "small.csv"
ADMISSIONS = EXAMPLES / "berkeley" / "data" / "admissions.csv"


def _qa(**extra: Any) -> dict[str, Any]:
    return {"task": "binary-classification",
            "data": {"path": "small.csv", "label": "y", "prediction": "y"},
            "factors": ["g", "s"], "metrics": ["count", "selection_rate"], "intersections": "all",
            "reference_groups": {"g": "b"}, "min_cell_size": 5, "min_group_size": 5,
            "confidence": {"resamples": 200, "seed": 1},
            "conditional_disparities": [{"metric": "selection_rate", "over": ["g"], "conditional_on": ["s"]}],
            **extra}


def _card(folder: Path, qa: dict[str, Any], data: Path = SMALL) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(data, folder / data.name)
    (folder / "cardwright.toml").write_text("", encoding="utf-8")
    card = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    card["quantitative_analyses"] = qa
    (folder / "card.yaml").write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    return "card.yaml"


def _compute(folder: Path, qa: dict[str, Any], data: Path = SMALL) -> tuple[int, str, dict[str, Any]]:
    card = _card(folder, qa, data)
    got = run_cli("compute", card, cwd=folder)
    return got.code, got.err, json.loads((folder / "card.results.json").read_text(encoding="utf-8"))


def _rates(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    """(group, stratum) → (selected, rows), by pandas."""
    return {(str(g), str(s)): (int(part["y"].sum()), len(part)) for (g, s), part in frame.groupby(["g", "s"])}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("conditional") / "card"
    code, err, results = _compute(folder, _qa())
    assert code == 0, err
    return folder, results


def test_the_fixture_has_a_hidden_count_the_old_rows_published() -> None:
    cells = _rates(pd.read_csv(SMALL))
    assert cells[("a", "x")] == (1, 25)  # 0.04: one row, below min_cell_size 5
    assert len(cells) == 6 and all(rows >= 5 and 5 <= selected <= rows - 5 for key, (selected, rows) in cells.items() if key != ("a", "x"))


def _slice_rate(results: dict[str, Any], key: dict[str, str]) -> float | None:
    return next(r["value"] for r in results["results"] if r["slice"] == key and r["metric"] == "selection_rate")


def test_a_stratum_is_shown_exactly_where_the_slices_show_both_rates(small: tuple[Path, dict[str, Any]]) -> None:
    _, results = small
    assert _slice_rate(results, {"g": "a", "s": "x"}) is None  # the slices hide a × x's rate
    (row,) = results["conditional_disparities"]
    assert row["group"] == {"g": "a"} and row["reference"] == {"g": "b"}
    assert {"s": "x"} in row["strata_left_out"] and set(row["strata_left_out_by"]) == {"min_cell_size"}
    listed = [s["stratum"] for s in row["strata"]]
    assert row["strata_used"] == len(listed) >= 1 and len(listed) + len(row["strata_left_out"]) == 3
    for stratum in ({"s": v} for v in "xyz"):  # the slices' rules decide, stratum by stratum
        rates = [_slice_rate(results, {**who, **stratum}) for who in (row["group"], row["reference"])]
        assert (stratum in listed) == all(r is not None for r in rates), stratum
    cells = _rates(pd.read_csv(SMALL))
    sizes = {s: cells[("a", s)][1] + cells[("b", s)][1] for s in "xyz"}
    used = [s["s"] for s in listed]
    diff = sum(sizes[s] / sum(sizes[u] for u in used) * (cells[("a", s)][0] / cells[("a", s)][1]
                                                           - cells[("b", s)][0] / cells[("b", s)][1]) for s in used)
    top = sum(cells[("a", s)][0] * cells[("b", s)][1] / sizes[s] for s in used)
    bottom = sum(cells[("b", s)][0] * cells[("a", s)][1] / sizes[s] for s in used)
    assert row["difference"] == pytest.approx(diff, abs=1e-12)  # over the strata shown only
    assert row["ratio"] == pytest.approx(top / bottom, abs=1e-12)
    assert row["ci_low"] <= row["difference"] <= row["ci_high"]
    assert "0.04," not in json.dumps(row)


def _as_earlier_releases(results: dict[str, Any], frame: pd.DataFrame) -> dict[str, Any]:
    """``results`` with the conditional row as earlier releases wrote it: every stratum used and
    listed with both rates."""
    old = json.loads(json.dumps(results))
    row = old["conditional_disparities"][0]
    cells = _rates(frame)
    strata = []
    for s in "xyz":
        n = cells[("a", s)][1] + cells[("b", s)][1]
        a, b = (cells[(g, s)][0] / cells[(g, s)][1] for g in "ab")
        strata.append({"stratum": {"s": s}, "weight": n / len(frame), "n": n, "group_value": a,
                       "reference_value": b, "difference": a - b})
    row.update(strata=strata, strata_used=3, strata_left_out=[], strata_left_out_by=[])
    return old


def test_the_audit_recovers_the_count_the_old_rows_published(small: tuple[Path, dict[str, Any]]) -> None:
    _, results = small
    frame = pd.read_csv(SMALL)
    qa = _qa()
    mc = model_card_cells(frame, qa)
    facts = facts_from_output(mc, "results", json.dumps(results), results, qa["metrics"])
    assert [str(leak) for leak in audit(mc.cells, facts, mc.secrets, mc.k)] == []
    assert [str(leak) for leak in audit(mc.cells, facts, mc.withheld, mc.k, intervals=False)] == []
    old = _as_earlier_releases(results, frame)
    mc = model_card_cells(frame, qa)
    facts = facts_from_output(mc, "results", json.dumps(old), old, qa["metrics"])
    leaks = [str(leak) for leak in audit(mc.cells, facts, mc.secrets, mc.k)]
    assert any("{'g': 'a', 's': 'x'}" in leak and "recovered exactly" in leak for leak in leaks), leaks


def test_a_combination_over_an_unlisted_stratum_is_caught(small: tuple[Path, dict[str, Any]]) -> None:
    _, results = small
    tampered = json.loads(json.dumps(results))
    tampered["conditional_disparities"][0]["strata_used"] = 2  # x in the combination, not in the list
    frame = pd.read_csv(SMALL)
    with pytest.raises(AssertionError, match="a stratum used is not listed"):
        facts_from_output(model_card_cells(frame, _qa()), "results", json.dumps(tampered), tampered, ["count"])


def test_aggregates_are_shown_only_where_the_groups_own_values_are(tmp_path: Path) -> None:
    """min_group_size 130 suppresses group a's own rate (125 rows; b has 140): the aggregate
    values go with it."""
    code, err, results = _compute(tmp_path, _qa(min_group_size=130, min_cell_size=1))
    assert code == 0, err
    (row,) = results["conditional_disparities"]
    own = next(r for r in results["results"] if r["slice"] == {"g": "a"} and r["metric"] == "selection_rate")
    assert own["value"] is None
    assert row["aggregate_difference"] is None and row["aggregate_ratio"] is None
    assert "min_group_size" in row["aggregate_reason"]
    assert run_cli("render", "card.yaml", "--to", "md", "-o", "card.md", cwd=tmp_path).code == 0
    line = next(x for x in (tmp_path / "card.md").read_text(encoding="utf-8").splitlines() if "a vs b" in x)
    assert line.split(" | ")[5:7] == ["suppressed", "suppressed"]  # difference and ratio over all rows
    code, err, results = _compute(tmp_path / "shown", _qa(min_cell_size=1))
    (row,) = results["conditional_disparities"]
    frame = pd.read_csv(SMALL)
    rate = frame.groupby("g")["y"].mean()
    assert row["aggregate_difference"] == pytest.approx(rate["a"] - rate["b"], abs=1e-12)
    assert "aggregate_reason" not in row and row["strata_left_out"] == []


def test_a_conditional_gate_over_a_hidden_stratum_fails_without_its_value(tmp_path: Path) -> None:
    gates = [{"metric": "selection_rate", "over": ["g"], "conditional_on": ["s"], "max_difference": 1.0},
             {"metric": "selection_rate", "over": ["g"], "conditional_on": ["s"], "min_ratio": 0.01}]
    code, err, results = _compute(tmp_path, _qa(gates=gates))
    assert code == 1 and "gate" in err
    for gate in results["gates"]:
        assert gate["passed"] is False and gate["value"] is None
        assert re.match(r"\d of 3 strata (is|are) hidden for a compared group or the reference: by "
                        r"min_cell_size 5", gate["reason"]), gate["reason"]
        assert "0.04" not in gate["reason"]
    # with min_cell_size 1 nothing is hidden and the same gates pass
    code, err, results = _compute(tmp_path / "shown", _qa(gates=gates, min_cell_size=1))
    assert code == 0, err
    assert all(g["passed"] and g["value"] is not None for g in results["gates"])


def test_a_gate_with_a_group_left_without_strata_fails(tmp_path: Path) -> None:
    """min_group_size 70 leaves out every stratum of group a (25, 40 and 60 rows): the gate cannot
    check group a."""
    gates = [{"metric": "selection_rate", "over": ["g"], "conditional_on": ["s"], "max_difference": 1.0}]
    code, _err, results = _compute(tmp_path, _qa(gates=gates, min_cell_size=1, min_group_size=70))
    (gate,) = results["gates"]
    assert code == 1 and gate["passed"] is False and gate["value"] is None
    assert gate["reason"].startswith("1 of 1 compared groups has no stratum where both it and the reference have 70")


def test_renders_show_the_left_out_stratum(small: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = small
    texts = published_outputs(folder, "card.yaml", ("md", "html", "json", "pdf"))
    for kind in ("md", "html", "pdf"):
        text = " ".join(texts[kind].replace("\\_", "_").split())
        assert "Disparities within strata" in text, kind
        assert re.search(r"\b\d \(\d left out: \d by min_cell_size\)", text), kind
        assert "0.040" not in text, kind
    frame = pd.read_csv(SMALL)
    qa = _qa()
    for kind in ("json", "md", "html", "huggingface", "cyclonedx"):
        mc = model_card_cells(frame, qa)
        results = json.loads(texts["results"])
        facts = facts_from_output(mc, kind, texts[kind], results, qa["metrics"])
        assert [str(leak) for leak in audit(mc.cells, facts, mc.secrets, mc.k)] == [], kind


def test_berkeley_at_the_default_min_cell_size_still_shows_the_reversal(tmp_path: Path) -> None:
    qa = {"task": "binary-classification",
          "data": {"path": "admissions.csv", "label": "admitted", "prediction": "admitted", "positive_label": "yes"},
          "factors": ["sex", "department"], "metrics": ["selection_rate"], "intersections": "none",
          "reference_groups": {"sex": "male"}, "confidence": {"resamples": 200, "seed": 3}, "min_group_size": 10,
          "conditional_disparities": [{"metric": "demographic_parity", "over": ["sex"],
                                       "conditional_on": ["department"]}]}
    code, err, results = _compute(tmp_path, qa, ADMISSIONS)
    assert code == 0, err
    (row,) = results["conditional_disparities"]
    assert {"department": "B"} in row["strata_left_out"]  # 8 women refused
    assert set(row["strata_left_out_by"]) == {"min_cell_size"}
    frame = pd.read_csv(ADMISSIONS)
    used = [s["stratum"]["department"] for s in row["strata"]]
    assert "B" not in used and len(used) == row["strata_used"] == 6 - len(row["strata_left_out"])
    part = frame[frame["department"].isin(used)]
    expected = 0.0
    for _, dep in part.groupby("department"):
        admitted = dep["admitted"] == "yes"
        expected += len(dep) / len(part) * (admitted[dep["sex"] == "female"].mean() - admitted[dep["sex"] == "male"].mean())
    assert row["difference"] == pytest.approx(expected, abs=1e-12)
    assert row["aggregate_difference"] < -0.14 and row["difference"] > 0  # the reversal
