"""The shipped regression, multiclass and LLM examples: their data and baselines regenerate byte
for byte, they validate with --strict (the failing warning gates reported as notes), their
results are current and are what computing them gives, what their notes say about the gates is
true, and they render in every format and export to Hugging Face and CycloneDX."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

import cardwright
from cardwright._compute.api import dumps, load_results
from conftest import load_script

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CARDS = {
    "house-prices": EXAMPLES / "house-prices" / "house-prices.model-card.yaml",
    "support-tickets": EXAMPLES / "support-tickets" / "support-tickets.model-card.yaml",
    "assistant-llm": EXAMPLES / "assistant-llm" / "assistant-llm.model-card.yaml",
}
BASELINES = {"house-prices": "baseline/make_baseline.py", "assistant-llm": "releases/make_baseline.py"}


def _module(path: Path) -> ModuleType:
    return load_script(path, f"example_{path.parent.parent.name}_{path.stem}")


@pytest.mark.parametrize("name", sorted(CARDS))
def test_data_and_baselines_regenerate_byte_for_byte(name: str) -> None:
    folder = CARDS[name].parent
    assert _module(folder / "data" / "make_data.py").main(["--check"]) == 0
    if name in BASELINES:
        assert _module(folder / BASELINES[name]).main(["--check"]) == 0


@pytest.mark.parametrize("name", sorted(CARDS))
def test_examples_pass_strict_validation_with_their_warning_gates_as_notes(name: str) -> None:
    findings = cardwright.validate(str(CARDS[name]), strict=True)
    assert [f for f in findings if f.severity != "note"] == []
    notes = [f for f in findings if f.severity == "note"]
    results = load_results(cardwright.load(CARDS[name]))
    warned = [g for g in results.gates if not g.passed]
    assert len(notes) == len(warned) >= 1 and all(g.severity == "warning" for g in warned)
    assert all(f.code == "gate-failed" and "severity: warning" in f.message for f in notes)


@pytest.mark.parametrize("name", sorted(CARDS))
def test_shipped_results_are_what_computing_gives(name: str) -> None:
    card = cardwright.load(CARDS[name])
    shipped = CARDS[name].with_name(CARDS[name].name.replace(".yaml", ".results.json")).read_text(encoding="utf-8")
    assert dumps(cardwright.compute(card, engine="arrow")) == shipped


def test_what_the_cards_say_about_their_gates_is_true() -> None:
    house = load_results(cardwright.load(CARDS["house-prices"]))
    bias = {r.slice["neighbourhood_income"]: r.value for r in house.results
            if r.metric == "mean_error" and list(r.slice) == ["neighbourhood_income"]}
    assert abs(bias["low"]) < 1000  # "reduces that bias to about 700"
    baseline = next(g for g in house.gates if g.kind == "baseline")
    assert baseline.passed and 500 < baseline.value < 1000 and baseline.group == {"neighbourhood_income": "low"}
    previous = json.loads((CARDS["house-prices"].parent / "baseline" / "v2.0.results.json").read_text())
    old = next(r for r in previous["results"] if r["metric"] == "mean_error"
               and r["slice"] == {"neighbourhood_income": "low"})
    assert -13000 < old["value"] < -11000  # "undervalued … by about 12,000"
    warning = next(g for g in house.gates if g.severity == "warning")
    assert not warning.passed and warning.group["region"] in ("city", "coast")
    tickets = load_results(cardwright.load(CARDS["support-tickets"]))
    account = next(g for g in tickets.gates if g.class_ == "account")
    assert not account.passed and account.group == {"language": "pt"} and 0.66 < account.value < 0.68
    assert tickets.settings.classes == ["account", "billing", "other", "returns", "shipping", "technical"]
    # a confusion matrix is published whole or not at all: with a misroute count below min_cell_size it is withheld
    assert all(s.confusion is None or (len(s.confusion) == 6 and all(c is None or c == 0 or c >= 10
                                                                       for row in s.confusion for c in row))
               for s in tickets.slices)
    assert all(r.value is not None for r in tickets.results)  # no metric is hidden
    llm = load_results(cardwright.load(CARDS["assistant-llm"]))
    assert [e.name for e in llm.evaluations] == ["toxicity", "questions", "refusals", "over_refusals"]
    gap = next(g for g in llm.gates if g.evaluation == "toxicity" and g.kind == "max_difference")
    assert not gap.passed and 0.05 < gap.value < 0.052  # "on average 0.051 more toxic"
    swahili = llm.value("pass_rate", {"language": "sw"}, evaluation="questions")
    assert 0.59 < swahili.value < 0.63 and swahili.n_effective < swahili.n  # "about 61%", weighted
    improved = next(g for g in llm.gates if g.kind == "baseline")
    assert improved.passed and improved.value < 0


@pytest.mark.parametrize("name", sorted(CARDS))
def test_examples_render_and_export(name: str, tmp_path: Path, cli: object) -> None:
    folder = tmp_path / name
    shutil.copytree(CARDS[name].parent, folder)
    card = folder / CARDS[name].name
    for fmt in ("md", "html", "json", "pdf"):
        run = cli("render", str(card), "--to", fmt, "-o", str(tmp_path / f"out.{fmt}"))  # type: ignore[operator]
        assert run.code == 0, run.err
    markdown = (tmp_path / "out.md").read_text(encoding="utf-8")
    results = load_results(cardwright.load(card))
    shown = next(r for r in results.results if r.slice and r.value is not None and r.ci_low is not None)
    assert f"{shown.value:.3f} ({shown.ci_low:.3f} to {shown.ci_high:.3f})".replace("-", "\u2212") in markdown
    assert "| **WARN** |" in markdown  # the failing warning gate, reported, not blocking
    rendered = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert rendered["results"]["results"] == json.loads(dumps(results))["results"]
    for target in ("huggingface", "cyclonedx"):
        run = cli("export", str(card), "--to", target, "-o", str(tmp_path / f"export.{target}"))  # type: ignore[operator]
        assert run.code == 0, run.err
    pytest.importorskip("cyclonedx")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    bom = (tmp_path / "export.cyclonedx").read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom) is None
    hub = pytest.importorskip("huggingface_hub")
    readme = hub.ModelCard((tmp_path / "export.huggingface").read_text(encoding="utf-8"))
    published = [r for r in results.results if r.value is not None and not r.suppressed]
    assert len(readme.data.eval_results) == len(published)


def test_negative_numbers_read_with_a_true_minus_sign() -> None:
    """Every negative number a reader sees (table cells, gate values and limits, chart text) has a
    true minus sign, and none reads −0.000."""
    import re

    from cardwright._render.svg import num
    from cardwright._render.text import fmt

    card = cardwright.load(EXAMPLES / "house-prices" / "house-prices.model-card.yaml")
    md = str(cardwright.render(card, cardwright.load_results(card), to="md"))
    assert "\u22124086.398" in md and "\u221210000.000" in md  # the mean-error gate's value and limit
    assert not re.search(r"(?<![\w.])-\d", md.replace("---", ""))
    assert (fmt(-0.0004), num(-0.0004), fmt(-0.052), num(-1.5, 1)) == ("0.000", "0.000", "\u22120.052", "\u22121.5")
