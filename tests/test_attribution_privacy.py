"""Attributions publish nothing about a group that the metrics keep hidden: they are computed over
the rows the metrics count (rows without a label or prediction are left out, as the metrics leave
them out), a group whose size the metrics hide shows no importance, count or interval, and a
group whose attribution rows would differ from the metrics' rows is suppressed rather than
published beside them (their difference would be a count of the rows left out)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cardwright
from card_heads import model_card_head
from cardwright._compute.attribution_privacy import protect

HEAD = model_card_head("Prices")


def _project(tmp_path: Path) -> Path:
    rng = np.random.default_rng(3)
    n = 240
    sex = rng.choice(["a", "b"], n, p=[0.35, 0.65]).astype(object)
    sex[:3] = None  # a group of three rows: the metrics hide it
    y = rng.normal(100, 20, n)
    p = y + rng.normal(0, 10, n)
    y[5:10] = np.nan  # rows the metrics leave out (no label)
    p[10:17] = np.nan  # (no prediction)
    evaluation = pd.DataFrame({"id": [f"r{i}" for i in range(n)], "y": y, "p": p, "sex": sex,
                               "age": rng.integers(18, 80, n)})
    attributions = pd.DataFrame({"id": evaluation["id"], **{f"f{j}": rng.normal(0, 1 + j, n) for j in range(4)}})
    (tmp_path / "data").mkdir()
    evaluation.to_csv(tmp_path / "data" / "eval.csv", index=False)
    attributions.sample(frac=1, random_state=0).to_csv(tmp_path / "data" / "shap.csv", index=False)
    (tmp_path / "cardwright.toml").write_text("", encoding="utf-8")
    (tmp_path / "m.model-card.yaml").write_text(HEAD + """quantitative_analyses:
  task: regression
  data: {path: data/eval.csv, label: y, prediction: p}
  factors: [sex, {column: age, bins: [45], name: age_band}]
  metrics: [count, mean_absolute_error]
  min_group_size: 5
  min_cell_size: 10
  confidence: {resamples: 0}
  attributions: {path: data/shap.csv, id: id}
""", encoding="utf-8")
    return tmp_path / "m.model-card.yaml"


def _key(s: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(s.items()))


def test_attributions_count_the_metrics_rows_and_hide_what_they_hide(tmp_path: Path) -> None:
    card = cardwright.load(_project(tmp_path))
    results = cardwright.compute(card)
    assert results.attributions is not None
    sizes = {_key(s.slice): s.n for s in results.slices}
    assert sizes[()] == 240 - 12 and results.attributions.rows_matched == 240 - 12
    hidden = {k for k, n in sizes.items() if n is None}
    assert (("sex", "(missing)"),) in hidden
    evaluation = pd.read_csv(tmp_path / "data" / "eval.csv")
    shap = pd.read_csv(tmp_path / "data" / "shap.csv").set_index("id").loc[evaluation["id"]]
    used = evaluation["y"].notna() & evaluation["p"].notna()
    checked = 0
    for row in results.attributions.importance:
        key = _key(row.slice)
        if key in hidden:
            assert row.suppressed and row.value is None and row.n is None and row.ci_low is None, row
            continue
        assert row.n == sizes[key], (key, row.n, sizes[key])
        if row.value is None:
            continue
        mask = used.copy()
        for factor, group in row.slice.items():
            column = evaluation["sex"].fillna("(missing)") if factor == "sex" else \
                np.where(evaluation["age"] < 45, "<45", ">=45")
            mask &= np.asarray(column == group)
        x = shap[row.feature].to_numpy()[mask.to_numpy()]
        want = np.abs(x).mean() if row.metric == "mean_abs_attribution" else x.mean()
        assert row.value == pytest.approx(want, rel=1e-12), (key, row.feature)
        checked += 1
    assert checked > 20
    for flag in results.attributions.rank_flags:
        assert all(_key(g.slice) not in hidden for g in flag.groups)


def test_a_group_whose_attribution_rows_differ_from_the_metrics_is_suppressed(tmp_path: Path) -> None:
    """Were a group's attribution rows ever other than the metrics' rows, both counts would be
    published and their difference with them: the group's rows are suppressed instead."""
    card = cardwright.load(_project(tmp_path))
    results = cardwright.compute(card)
    assert results.attributions is not None
    att = results.attributions.model_copy(deep=True)
    target = ("sex", "b")
    for row in att.importance:
        if _key(row.slice) == (target,):
            row.n = (row.n or 0) + 2  # as if two rows without a label had attributions there
    protected = protect(att, results)
    rows = [r for r in protected.importance if _key(r.slice) == (target,)]
    assert rows and all(r.suppressed and r.value is None and r.n is None for r in rows)
    assert "not the rows the metrics count" in (rows[0].reason or "")
    others = [r for r in protected.importance if _key(r.slice) == (("age_band", "<45"),)]
    assert others and all(r.n is not None for r in others)
