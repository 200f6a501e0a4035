"""Reported results: their schema (positioned findings), gates on them (checked against numbers
worked out here from the card's own values), how they render, how `diff` compares them and how
the CycloneDX export carries them."""

from __future__ import annotations

import json
import textwrap

import pytest

import cardwright
from card_heads import model_card_head

HEAD = model_card_head("Census classifier")
REPORTED = """\
# Numbers from the model's paper, not computed here.
reported_results:
  results:
    - {{metric: accuracy, value: {female}, slice: {{sex: female}}, ci_low: 0.85, ci_high: 0.93,
       dataset: {{name: Census test}}, source: {{name: Paper, paper: "Doe et al. 2024"}}}}
    - {{metric: accuracy, value: 0.95, slice: {{sex: male}}, ci_low: 0.93, ci_high: 0.97,
       dataset: {{name: Census test}}, source: {{name: Paper, paper: "Doe et al. 2024"}}}}
    - {{metric: acc, value: 0.34, stderr: 0.0476, n: 100, dataset: {{name: MMLU algebra, split: test}},
       source: {{harness: lm-evaluation-harness, version: 0.4.8}}, settings: {{n_shot: 5}}}}
    - {{metric: wer, value: "12.3%", dataset: {{name: Common Voice}}}}
  gates:
{gates}
"""
GATES = """\
    - {metric: accuracy, over: [sex], max_difference: 0.05}
    - {metric: accuracy, over: [sex], min_ratio: 0.9}
    - {metric: accuracy, over: [sex], min: 0.8}
    - {metric: acc, max: 0.5, severity: warning}
"""


def write(tmp_path, female=0.91, gates=GATES, name="card.yaml"):
    path = tmp_path / name
    path.write_text(HEAD + REPORTED.format(female=female, gates=textwrap.indent(gates, "") or "    []"))
    return path


def test_gates_on_reported_values(tmp_path):
    from cardwright._compute.reported import reported_gate_results

    card = cardwright.load(write(tmp_path))
    values = {"female": 0.91, "male": 0.95}
    outcomes = reported_gate_results(card)
    diff, ratio, low = (max(values.values()) - min(values.values()), min(values.values()) / max(values.values()),
                        min(values.values()))
    assert [(g.kind, g.passed) for g in outcomes] == [("max_difference", True), ("min_ratio", True), ("min", True),
                                                      ("max", True)]
    assert outcomes[0].value == pytest.approx(diff) and outcomes[1].value == pytest.approx(ratio)
    assert outcomes[2].value == low and outcomes[2].worst == {"sex": "female"}
    assert outcomes[3].value == 0.34 and outcomes[3].severity == "warning"


def test_interval_gates_use_the_unfavourable_end(tmp_path):
    from cardwright._compute.reported import reported_gate_results

    gates = "    - {metric: accuracy, over: [sex], min: 0.86, use: interval}\n" \
            "    - {metric: accuracy, over: [sex], max_difference: 0.1, use: interval}\n" \
            "    - {metric: acc, min: 0.3, use: interval}\n"
    outcomes = reported_gate_results(cardwright.load(write(tmp_path, gates=gates)))
    assert (outcomes[0].value, outcomes[0].passed) == (0.85, False)  # the female interval's low end
    assert outcomes[1].value == pytest.approx(0.97 - 0.85) and not outcomes[1].passed
    assert outcomes[2].value is None and outcomes[2].reason == "no matching value has an interval"


def test_failed_error_gate_fails_strict_and_a_warning_gate_does_not(tmp_path, cli):
    path = write(tmp_path, female=0.80)
    run = cli("validate", "--strict", str(path))
    assert run.code == 1
    failed = [line for line in run.out.splitlines() + run.err.splitlines() if "gate-failed" in line]
    assert len(failed) == 2  # the difference (0.15) and the ratio (0.80/0.95); not the warning gate
    line_no = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "max_difference: 0.05" in line)
    assert any(f":{line_no}:" in f and "reported accuracy difference over sex is 0.15" in f for f in failed)
    warned = write(tmp_path, name="ok.yaml", gates="    - {metric: acc, max: 0.1, severity: warning}\n")
    run = cli("validate", "--strict", str(warned))
    assert "gate-failed" not in run.out + run.err  # reported and rendered, never failing
    assert "| value ≤ 0.1 | 0.34 | **WARN** |" in cardwright.render(cardwright.load(warned), to="md")


@pytest.mark.parametrize(("results", "message"), [
    ("    - {metric: a, value: 0.5, ci_low: 0.6, ci_high: 0.4}\n", "`ci_low` is above `ci_high`"),
    ("    - {metric: a, value: 0.5, ci_low: 0.4}\n", "give both `ci_low` and `ci_high`"),
    ("    - {metric: a, value: [0.5]}\n", "value"),
    ("    - {metric: a, value: .nan}\n", "not a finite number"),
])
def test_bad_reported_results_are_positioned_findings(tmp_path, cli, results, message):
    path = tmp_path / "bad.yaml"
    text = HEAD + REPORTED.format(female=0.9, gates="    []")
    start = text.index("  results:\n") + len("  results:\n")
    end = text.index("  gates:")
    path.write_text(text[:start] + results + text[end:])
    run = cli("validate", str(path))
    assert run.code == 1
    line = text[:start].count("\n") + 1
    assert f"bad.yaml:{line}:" in run.out + run.err and message in run.out + run.err


def test_gate_needs_one_limit_and_groups_to_compare(tmp_path, cli):
    for gate, message in (("{metric: accuracy, min: 0.1, max: 0.9}", "exactly one of"),
                          ("{metric: accuracy, max_difference: 0.1}", "name them with `over`")):
        path = write(tmp_path, gates=f"    - {gate}\n", name="g.yaml")
        run = cli("validate", str(path))
        assert run.code == 1 and message in run.out + run.err


def test_render_shows_reported_results_as_reported(tmp_path):
    path = write(tmp_path, female=0.80)
    md = cardwright.render(cardwright.load(path), to="md")
    assert "## Reported results" in md
    assert "not computed by cardwright" in md
    assert "| Accuracy | Sex: female | 0.8 (0.85 to 0.93) | – |" in md  # as reported, even an odd interval
    assert "0.34 ± 0.0476 (s.e.)" in md and "12.3%" in md
    assert "Source: lm-evaluation-harness 0.4.8." in md and "Settings: N shot: 5." in md
    assert "**2 of 4 gates on reported results failed.**" in md
    assert "| Acc | whole dataset | value ≤ 0.5 | 0.34 | **PASS** |" in md
    html = cardwright.render(cardwright.load(path), to="html")
    assert 'class="reported"' in html and "Gates on reported results" in html
    assert md.index("## Reported results") < md.index("## 8. Ethical considerations")
    # the same card gives the same bytes
    assert cardwright.render(cardwright.load(path), to="md") == md
    jsonschema = pytest.importorskip("jsonschema")
    from cardwright._render.json import rendered_json_schema

    doc = json.loads(cardwright.render(cardwright.load(path), to="json"))
    jsonschema.validate(doc, rendered_json_schema())
    assert [(g["kind"], g["passed"]) for g in doc["reported_gates"]] == [
        ("max_difference", False), ("min_ratio", False), ("min", True), ("max", True)]


def test_diff_compares_reported_results_and_their_gates(tmp_path, cli):
    old, new = write(tmp_path, name="old.yaml"), write(tmp_path, female=0.80, name="new.yaml")
    run = cli("diff", str(old), str(new), "--format", "json", "--fail-on", "regression")
    assert run.code == 1
    d = json.loads(run.out)
    (change,) = [c for c in d["metrics"] if c.get("reported")]
    assert change["slice"] == {"sex": "female"} and change["label"] == "sex=female · reported on Census test"
    assert change["delta"] == pytest.approx(0.80 - 0.91) and change["old"]["value"] == 0.91
    flipped = {(g["kind"], g["status"]) for g in d["gates"] if g.get("reported")}
    assert flipped == {("max_difference", "now-failing"), ("min_ratio", "now-failing"), ("min", "value-changed")}
    assert any("gate on reported accuracy over sex now fails" in r for r in d["regressions"])
    assert not [f for f in d["fields"] if f["field"].startswith("reported_results.results")]
    text = cli("diff", str(old), str(new)).out
    assert "accuracy [sex=female · reported on Census test]: 0.9100 [0.8500, 0.9300] → 0.8000" in text


def test_cyclonedx_carries_reported_results(tmp_path, cli):
    pytest.importorskip("cyclonedx")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    out = tmp_path / "card.cdx.json"
    assert cli("export", str(write(tmp_path)), "--to", "cyclonedx", "-o", str(out)).code == 0
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(out.read_text()) is None
    metrics = json.loads(out.read_text())["components"][0]["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
    assert [(m["type"], m["value"]) for m in metrics] == [("accuracy", "0.91"), ("accuracy", "0.95"), ("acc", "0.34"),
                                                          ("wer", "12.3%")]
    assert metrics[0]["slice"] == "sex=female (reported on Census test by Paper)"
    assert metrics[0]["confidenceInterval"] == {"lowerBound": "0.85", "upperBound": "0.93"}
    fairness = json.loads(out.read_text())["components"][0]["modelCard"]["considerations"]["fairnessAssessments"]
    assert [f["groupAtRisk"] for f in fairness] == ["sex", "sex", "sex=female", "overall"]
    assert fairness[3]["harms"] == "gate on reported acc passed (warning only)."


# -- a gate speaks for every matching result -----------------------------------------------------------
UNCHECKED = """\
reported_results:
  results:
    - {{metric: accuracy, value: 0.91, slice: {{sex: female}}, ci_low: 0.88, ci_high: 0.94, dataset: {{name: Census test}}}}
    - {{metric: accuracy, value: 0.95, slice: {{sex: male}}, ci_low: 0.93, ci_high: 0.97, dataset: {{name: Census test}}}}
    - {{metric: accuracy, value: {other}, slice: {{sex: other}}, dataset: {{name: Census test}}}}
  gates:
{gates}
"""


@pytest.mark.parametrize("gate", [
    "{metric: accuracy, over: [sex], min: 0.7}",
    "{metric: accuracy, over: [sex], max: 0.99}",
    "{metric: accuracy, over: [sex], max_difference: 0.5}",
    "{metric: accuracy, over: [sex], min_ratio: 0.5}",
])
def test_a_gate_with_a_matching_result_that_is_not_a_number_fails_and_names_it(tmp_path, cli, gate):
    """Two groups pass every limit; the third group's reported value is text, so the gate cannot
    say "every group" and fails, naming that group."""
    from cardwright._compute.reported import reported_gate_results

    path = tmp_path / "card.yaml"
    path.write_text(HEAD + UNCHECKED.format(other='"n/a"', gates=f"    - {gate}\n"), encoding="utf-8")
    (outcome,) = reported_gate_results(cardwright.load(path))
    assert outcome.passed is False and outcome.value is None and outcome.groups == 2
    assert outcome.reason == ('1 of 3 matching results has no numeric value: sex=other of Census test ("n/a"); '
                              "the gate cannot check every group, so it fails")
    run = cli("validate", "--strict", str(path))
    assert run.code == 1 and "gate-failed" in run.out + run.err and "sex=other" in run.out + run.err
    # with a number for the third group, the same gate passes
    path.write_text(HEAD + UNCHECKED.format(other="0.9", gates=f"    - {gate}\n"), encoding="utf-8")
    (outcome,) = reported_gate_results(cardwright.load(path))
    assert outcome.passed is True and outcome.groups == 3 and outcome.reason is None


@pytest.mark.parametrize("gate", ["{metric: accuracy, over: [sex], min: 0.7, use: interval}",
                                  "{metric: accuracy, over: [sex], max_difference: 0.5, use: interval}"])
def test_an_interval_gate_with_a_matching_result_without_an_interval_fails(tmp_path, gate):
    from cardwright._compute.reported import reported_gate_results

    path = tmp_path / "card.yaml"
    path.write_text(HEAD + UNCHECKED.format(other="0.9", gates=f"    - {gate}\n"), encoding="utf-8")
    (outcome,) = reported_gate_results(cardwright.load(path))
    assert outcome.passed is False and outcome.value is None
    assert outcome.reason.startswith("1 of 3 matching results has no interval (`ci_low`, `ci_high`): "
                                     "sex=other of Census test (0.9)")
