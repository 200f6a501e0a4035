"""The public library API: load, validate, and the single error type carrying every finding."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import cardwright
from conftest import FIXTURES


def test_load_returns_typed_card():
    card = cardwright.load(FIXTURES / "valid" / "with_analysis.model-card.yaml")
    assert isinstance(card, cardwright.ModelCard)
    assert card.quantitative_analyses.factor_names == ["sex", "race"]
    assert card.locate(("quantitative_analyses", "factors", 1)) == (18, 18)
    sheet = cardwright.load(FIXTURES / "valid" / "minimal.datasheet.yaml")
    assert isinstance(sheet, cardwright.Datasheet)


def test_load_raises_one_error_type_with_every_finding(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "invalid" / "typo_key.yaml").read_text().replace("status", "x").replace(
        "  version: \"1.0\"", "  version: \"1.0\"\n  date: someday\n  license: MIT2"))
    with pytest.raises(cardwright.CardwrightError) as e:
        cardwright.load(bad)
    assert isinstance(e.value, cardwright.CardError)
    assert [f.code for f in e.value.findings] == ["unknown-key", "invalid-date", "invalid-license"]
    assert e.value.exit_code == 1


def test_validate_returns_findings_without_raising():
    findings = cardwright.validate(str(FIXTURES / "invalid" / "bad_date.yaml"))
    assert [(f.code, f.line, f.column) for f in findings] == [("invalid-date", 6, 9)]


def test_import_is_light():
    code = "import sys, cardwright; print(sorted(m for m in ('pydantic', 'pandas', 'numpy', 'weasyprint', 'jinja2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_validate_loads_no_results_models_and_no_numerics():
    """`validate` of the credit card (which has reference groups, so its results file is read)
    builds none of the results models and imports none of the numeric libraries: they are most
    of what a start costs."""
    card = Path(__file__).resolve().parents[1] / "examples" / "credit" / "credit.model-card.yaml"
    code = ("import sys, cardwright; assert not cardwright.validate(sys.argv[1]); "
            "print(sorted(m for m in ('cardwright.schema.results', 'numpy', 'pandas', 'pyarrow', 'jinja2') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(card)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_names_are_one_thing_each():
    """Every public name resolves, no function shares its name with a module, and the
    implementation packages are private."""
    import importlib
    import inspect

    import cardwright._compute
    import cardwright._render

    for name in cardwright.__all__:
        assert getattr(cardwright, name) is not None, name
    for name in ("compute", "render", "load", "validate", "load_results", "check_results", "results_for"):
        assert inspect.isfunction(getattr(cardwright, name)), name
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"cardwright.{name}")
    params = inspect.signature(cardwright.compute).parameters
    assert [p for p in params if params[p].kind is inspect.Parameter.KEYWORD_ONLY][:3] == ["data", "engine", "session"]
    assert cardwright.Card == cardwright.ModelCard | cardwright.Datasheet
