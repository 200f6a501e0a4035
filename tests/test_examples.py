"""The shipped credit example: it validates, its data regenerate byte for byte, and what the cards
say about the data (gates, suppressed groups, feature importances, robustness figures) is true."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import cardwright
from cardwright.schema.completeness import completeness_findings
from cardwright.schema.datasheet import SECTIONS
from conftest import load_script

CREDIT = Path(__file__).resolve().parents[1] / "examples" / "credit"
MODEL_CARD = CREDIT / "credit.model-card.yaml"
DATASHEET = CREDIT / "credit.datasheet.yaml"


def _load_generator() -> ModuleType:
    return load_script(CREDIT / "data" / "make_data.py", "credit_make_data")


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _load_generator()


@pytest.fixture(scope="module")
def generated(generator: ModuleType) -> tuple[Any, ...]:
    return generator.generate()


@pytest.fixture(scope="module")
def card() -> Any:
    return cardwright.load(MODEL_CARD)


@pytest.fixture(scope="module")
def sheet() -> Any:
    return cardwright.load(DATASHEET)


def test_examples_validate_and_are_complete() -> None:
    paths = [str(MODEL_CARD), str(DATASHEET)]
    assert cardwright.validate(paths) == []
    for path in paths:
        assert completeness_findings(cardwright.load(path), path) == []


def test_examples_pass_strict_validation() -> None:
    """Strict validation includes the results being current: the settings digest of a card that
    uses none of the fields added later is what it was when its results were computed."""
    findings = cardwright.validate([str(MODEL_CARD), str(DATASHEET)], strict=True)
    # the race gate is a warning: four of six groups' selection rates are hidden (min_cell_size)
    [note] = findings
    assert (note.code, note.severity, note.loc) == ("gate-failed", "note", ("quantitative_analyses", "gates", 1))
    assert "min_cell_size 10" in note.message


def test_data_regenerates_byte_for_byte(
    generated: tuple[Any, ...], tmp_path: Path, generator: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    apps, evals, _, _ = generated
    assert (CREDIT / "data" / "applications.csv").read_bytes() == apps.encode()
    assert (CREDIT / "data" / "eval.csv").read_bytes() == evals.encode()
    monkeypatch.setattr(generator, "generate", lambda: generated)  # the script's --check, without a rerun
    assert generator.main(["--check"]) == 0
    (tmp_path / "eval.csv").write_text("y_true,y_score\n")
    assert generator.main(["--check", "-o", str(tmp_path)]) == 1


def test_model_card_names_its_datasheet_and_fills_every_optional_section(card: Any) -> None:
    assert [d.datasheet for d in card.evaluation_data.datasets] == ["credit.datasheet.yaml"]
    assert card.resolve(card.evaluation_data.datasets[0].datasheet) == DATASHEET.resolve()
    for section in (
        "privacy",
        "robustness",
        "transparency",
        "governance",
        "explainability",
        "environmental_impact",
    ):
        assert getattr(card, section) is not None, section
    assert str(card.model_details.license) == "Apache-2.0"


def test_datasheet_answers_every_question(sheet: Any) -> None:
    assert sheet.relates_to_people is True
    assert str(sheet.dataset.license) == "CC-BY-4.0"
    for key, model in SECTIONS:
        section = getattr(sheet, key)
        for question in model.model_fields:
            answer = getattr(section, question)
            assert answer and len(answer.split()) >= 5, f"{key}.{question}"


def _eval_frame(card: Any) -> Any:
    import pandas as pd

    qa = card.quantitative_analyses
    frame = pd.read_csv(card.resolve(qa.data.path))
    frame["pred"] = (frame[qa.data.score] >= qa.data.threshold).astype(int)
    age = qa.factors[2]
    frame[age.factor_name] = pd.cut(
        frame[age.column], [float("-inf"), *age.bins, float("inf")], right=False, labels=age.labels
    )
    return frame


def test_eval_file_holds_aggregatable_columns_only(card: Any) -> None:
    frame = _eval_frame(card)
    raw = list(frame.columns[: frame.columns.get_loc("pred")])
    assert raw == ["y_true", "y_score", "sex", "race", "age", "region"]
    assert 5000 <= len(frame) <= 10000


def test_a_small_group_is_suppressed(card: Any) -> None:
    frame = _eval_frame(card)
    qa = card.quantitative_analyses
    sizes = frame.groupby("race").size()
    small = sizes[sizes < qa.min_group_size]
    assert list(small.index) == ["native_american"]
    assert str(small["native_american"]) in qa.notes


def test_gates_pass_on_the_shipped_data(card: Any) -> None:
    frame = _eval_frame(card)
    qa = card.quantitative_analyses
    fnr_gate, sel_gate = qa.gates
    assert (fnr_gate.metric, fnr_gate.over, sel_gate.metric, sel_gate.over) == (
        "false_negative_rate",
        ["sex"],
        "selection_rate",
        ["race"],
    )
    positives = frame[frame.y_true == 1]
    fnr = 1 - positives.groupby("sex").pred.mean()
    assert 0 < fnr.max() - fnr.min() <= fnr_gate.max_difference
    sizes = frame.groupby("race").size()
    rates = frame.groupby("race").pred.mean()[sizes >= qa.min_group_size]
    assert sel_gate.min_ratio <= rates.min() / rates.max() < 1
    # the disparities are real but modest: the age gap the card discusses is visible
    by_age = frame.groupby("age_band", observed=True).pred.mean()
    assert by_age["under_25"] < by_age["25_44"] - 0.05


def test_card_figures_match_the_fitted_model(
    card: Any, generated: tuple[Any, ...], generator: ModuleType
) -> None:
    _, _, model, rows = generated
    fitted = dict(zip(generator.FEATURES, model.weights[1:], strict=True))
    shown = {f.feature: f.importance for f in card.explainability.feature_importance}
    assert shown == {name: round(abs(w), 4) for name, w in fitted.items()}
    assert list(shown.values()) == sorted(shown.values(), reverse=True)
    report = generator.report(model, rows, threshold=card.quantitative_analyses.data.threshold)
    text = card.robustness.evaluations
    numbers = [float(x) for x in re.findall(r"(?:AUC|rate(?: at [\d.]+)?) (0\.\d+)", report)]
    train_auc, _, test_auc, test_rate, low, high = numbers
    for value in (f"{train_auc:.3f}", f"{test_auc:.3f}"):
        assert value in text
    for rate in (test_rate, low, high):
        assert f"{rate * 100:.1f}%" in text


def test_datasheet_figures_are_true_of_the_data(sheet: Any) -> None:
    import pandas as pd

    frame = pd.read_csv(sheet.resolve(sheet.data.path))
    composition = sheet.composition
    by_split = frame.groupby("split").repaid_12m
    assert f"{by_split.size()['train']:,} in the training split" in composition.instance_count
    assert f"{by_split.size()['test']:,} in the test split" in composition.instance_count
    for split in ("train", "test"):
        share = by_split.sum()[split] / by_split.size()[split]
        assert f"{round(share * 100 + 1e-9, 1)}% of {split}" in composition.labels.replace(
            "training", "train"
        )
    race = frame.race.value_counts()
    assert f"only {race['native_american']} rows" in composition.subpopulations
    assert f"{race['not_provided']} applicants" in composition.missing_information
    history = frame.credit_history_years
    assert f"{(history < 4).sum():,} applicants have fewer than four years" in composition.other_comments
    assert f"{(history == 0).sum()} have none" in composition.other_comments
    unique = frame.groupby(["sex", "race", "age", "region"]).size()
    assert f"{(unique == 1).sum()} rows are unique" in composition.reidentification_risk
