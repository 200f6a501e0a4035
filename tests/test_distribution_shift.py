"""Distribution shift from a model card's training data (its datasheet's file) to its evaluation
data: every value equals scipy's (Jensen-Shannon, two-sample Kolmogorov-Smirnov) or numpy's
(total variation distance, population stability index) on the same files; intervals contain
their estimates; small groups are suppressed; cards that do not ask keep their settings hash."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cardwright
from cardwright._compute.provenance import settings_sha256
from cardwright.schema.analysis import QuantitativeAnalyses

CREDIT = Path(__file__).resolve().parents[1] / "examples" / "credit"
AGE_BINS = [25, 45, 65]


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("shift")
    shutil.copytree(CREDIT, root / "credit")
    path = root / "credit" / "credit.model-card.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("quantitative_analyses:\n", "quantitative_analyses:\n  distribution_shift: {}\n", 1)
    path.write_text(text, encoding="utf-8")
    return cardwright.load(path)


@pytest.fixture(scope="module")
def results(card: Any) -> Any:
    return cardwright.compute(card)


def _shares(values: Any, groups: list[Any]) -> np.ndarray:
    counts = np.array([(values == g).sum() for g in groups], dtype=float)
    return counts / counts.sum()


def test_every_measure_equals_scipy_and_numpy_on_the_same_files(card: Any, results: Any) -> None:
    import pandas as pd
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import ks_2samp

    train = pd.read_csv(card.base_dir / "data" / "applications.csv")
    evaluation = pd.read_csv(card.base_dir / "data" / "eval.csv")
    assert results.shift is not None
    assert results.shift.training_rows == len(train) and results.shift.evaluation_rows == len(evaluation)
    got = {(m.column, m.measure): m.value for m in results.shift.measures}
    pairs = {
        "sex": (train["sex"], evaluation["sex"], False),
        "race": (train["race"], evaluation["race"], False),
        "age_band": (np.searchsorted(AGE_BINS, train["age"], side="right"),
                     np.searchsorted(AGE_BINS, evaluation["age"], side="right"), True),
        "(label)": (train["repaid_12m"] == 1, evaluation["y_true"] == 1, False),
    }
    for column, (t, e, ordered) in pairs.items():
        groups = sorted(set(np.asarray(t).tolist()) | set(np.asarray(e).tolist()))
        p, q = _shares(np.asarray(t), groups), _shares(np.asarray(e), groups)
        assert got[(column, "js_divergence")] == pytest.approx(jensenshannon(p, q) ** 2, abs=1e-12)
        assert got[(column, "total_variation_distance")] == pytest.approx(0.5 * np.abs(p - q).sum(), abs=1e-12)
        ks = ks_2samp(np.asarray(t, dtype=float), np.asarray(e, dtype=float)).statistic if ordered \
            else np.abs(p - q).max()
        assert got[(column, "kolmogorov_smirnov")] == pytest.approx(ks, abs=1e-12)
        assert got[(column, "population_stability_index")] == pytest.approx(np.sum((q - p) * np.log(q / p)),
                                                                          abs=1e-12)


def test_intervals_contain_their_estimates(results: Any) -> None:
    assert results.shift is not None
    for m in results.shift.measures:
        assert m.value is not None and m.ci_low is not None and m.ci_high is not None
        assert 0 <= m.ci_low <= m.value <= m.ci_high
        assert m.interval == "bootstrap-basic"


def test_a_small_group_suppresses_its_column() -> None:
    from cardwright._compute.shift import _column_rows

    rows = _column_rows("race", False, {"a": 500, "b": 400, "c": 3}, {"a": 300, "b": 200, "c": 20}, 10, 0.95,
                        100, np.random.default_rng(0))
    assert rows and all(r["suppressed"] and r["value"] is None and "min_cell_size" in r["reason"] for r in rows)


def test_an_empty_group_keeps_the_stability_index_finite() -> None:
    from cardwright._compute.shift import shift_measure

    p, q = np.array([50, 50, 0]), np.array([40, 40, 20])
    psi = float(shift_measure("population_stability_index", p, q, False))
    pp, qq = (p + 0.5) / (p + 0.5).sum(), (q + 0.5) / (q + 0.5).sum()
    assert psi == pytest.approx(np.sum((qq - pp) * np.log(qq / pp)), abs=1e-15) and np.isfinite(psi)


def test_cards_that_do_not_ask_keep_their_settings_hash(card: Any) -> None:
    spec = card.quantitative_analyses
    without = QuantitativeAnalyses.model_validate(spec.model_dump(exclude={"distribution_shift"}))
    original = cardwright.load(CREDIT / "credit.model-card.yaml").quantitative_analyses
    assert settings_sha256(without) == settings_sha256(original)
    assert settings_sha256(spec) != settings_sha256(without)


def test_without_a_training_datasheet_it_is_a_clear_error(card: Any) -> None:
    from cardwright.errors import DataError

    bare = card.model_copy(deep=True)
    bare.quantitative_analyses.distribution_shift.datasheet = "missing.datasheet.yaml"
    with pytest.raises(DataError, match="distribution_shift needs the training data's datasheet"):
        cardwright.compute(bare)


def test_a_changed_training_file_makes_the_results_stale(tmp_path: Path) -> None:
    from cardwright._compute.api import check_results, write_results

    shutil.copytree(CREDIT, tmp_path / "credit")
    path = tmp_path / "credit" / "credit.model-card.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "quantitative_analyses:\n", "quantitative_analyses:\n  distribution_shift: {}\n", 1), encoding="utf-8")
    card = cardwright.load(path)
    write_results(card, cardwright.compute(card))
    assert [f.code for f in check_results(card) if f.code == "stale-results"] == []
    training = tmp_path / "credit" / "data" / "applications.csv"
    training.write_text(training.read_text(encoding="utf-8") + training.read_text(encoding="utf-8").splitlines()[1]
                        + "\n", encoding="utf-8")
    stale = [f for f in check_results(card) if f.code == "stale-results"]
    assert len(stale) == 1 and "training data" in stale[0].message


def test_each_files_filter_decides_the_rows_compared(tmp_path: Path) -> None:
    """Both data blocks' `filter`s apply, as everywhere else those blocks are counted: the model
    card's evaluation rows and the datasheet's training rows are the rows each filter keeps."""
    import pandas as pd

    shutil.copytree(CREDIT, tmp_path / "credit")
    card_path = tmp_path / "credit" / "credit.model-card.yaml"
    text = card_path.read_text(encoding="utf-8")
    text = text.replace("quantitative_analyses:\n", "quantitative_analyses:\n  distribution_shift: {}\n", 1)
    text = text.replace("    path: data/eval.csv\n", "    path: data/eval.csv\n    filter: age >= 30\n", 1)
    card_path.write_text(text, encoding="utf-8")
    sheet_path = tmp_path / "credit" / "credit.datasheet.yaml"
    sheet = sheet_path.read_text(encoding="utf-8")
    sheet_path.write_text(sheet.replace("  path: data/applications.csv\n",
                                        "  path: data/applications.csv\n  filter: sex == 'female'\n", 1),
                          encoding="utf-8")
    results = cardwright.compute(cardwright.load(card_path))
    train = pd.read_csv(tmp_path / "credit" / "data" / "applications.csv")
    evaluation = pd.read_csv(tmp_path / "credit" / "data" / "eval.csv")
    train, evaluation = train[train["sex"] == "female"], evaluation[evaluation["age"] >= 30]
    assert results.shift is not None
    assert results.shift.training_rows == len(train) and results.shift.evaluation_rows == len(evaluation)
    got = {(m.column, m.measure): m.value for m in results.shift.measures}
    groups = sorted(set(train["race"]) | set(evaluation["race"]))
    p, q = _shares(train["race"].to_numpy(), groups), _shares(evaluation["race"].to_numpy(), groups)
    assert got[("race", "total_variation_distance")] == pytest.approx(0.5 * np.abs(p - q).sum(), abs=1e-12)
