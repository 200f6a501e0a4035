"""`cardwright diff`: metrics first with interval overlap, disparity drift, gate flips, slices,
prose per field; text, markdown and json; files and REV:path; --fail-on regression."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import cardwright
from cardwright._compute.api import load_results
from workflows_cards import compute, credit_copy, toy_card


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Two releases of the toy card: in the second, group b's positives are often missed."""
    root = tmp_path_factory.mktemp("releases")
    old = toy_card(root / "old", version="1.0.0")
    compute(old)
    new = toy_card(root / "new", version="1.1.0", miss_b=0.5, risks="Wrong flags delay applications, for group b most.")
    compute(new)
    return old, new


def test_json_diff_agrees_with_both_results_files(releases, cli):
    old, new = releases
    run = cli("diff", str(old), str(new), "--format", "json")
    assert run.code == 0
    d = json.loads(run.out)
    ro, rn = load_results(cardwright.load(old)), load_results(cardwright.load(new))
    fnr = next(c for c in d["metrics"] if c["metric"] == "false_negative_rate" and c["slice"] == {})
    a, b = ro.value("false_negative_rate"), rn.value("false_negative_rate")
    assert fnr["old"]["value"] == a.value and fnr["new"]["value"] == b.value
    assert fnr["delta"] == pytest.approx(b.value - a.value)
    overlap = max(a.ci_low, b.ci_low) <= min(a.ci_high, b.ci_high)
    assert fnr["overlap"] is overlap and fnr["significant"] is (not overlap)
    # overall metrics come first
    firsts = [c["slice"] for c in d["metrics"]]
    assert firsts.index({}) == 0 and all(s == {} for s in firsts[: firsts.count({})])
    # the gate flipped, as the two results files say
    gate = next(g for g in d["gates"] if g["metric"] == "false_negative_rate")
    assert ro.gates[0].passed and not rn.gates[0].passed
    assert gate["status"] == "now-failing"
    # the disparity grew by exactly the difference of the two headline disparities
    dis = next(x for x in d["disparities"] if x["metric"] == "false_negative_rate" and x["group"] is None)
    old_d = next(x for x in ro.disparities if x.metric == "false_negative_rate" and x.group is None)
    new_d = next(x for x in rn.disparities if x.metric == "false_negative_rate" and x.group is None)
    assert dis["growth"] == pytest.approx(abs(new_d.difference) - abs(old_d.difference))
    assert dis["grew"] is True
    fields = {f["field"]: f for f in d["fields"]}
    assert fields["model_details.version"]["old"] == "1.0.0" and fields["model_details.version"]["new"] == "1.1.0"
    assert "ethical_considerations.risks_and_harms" in fields
    assert d["regressions"][0].startswith("gate false_negative_rate over group now fails")


def test_text_shows_metrics_before_prose_and_flags_significance(releases, cli):
    old, new = releases
    text = cli("diff", str(old), str(new)).out
    assert text.index("Metrics") < text.index("Disparities") < text.index("Gates") < text.index("Fields")
    assert "SIGNIFICANT (intervals do not overlap)" in text
    assert "now-failing" in text and "GREW" in text
    assert "risks_and_harms" in text


def test_markdown_is_a_pull_request_comment(releases, cli):
    old, new = releases
    md = cli("diff", str(old), str(new), "--format", "markdown").out
    assert md.startswith("### Card diff: Toy screening model: 1.0.0 → 1.1.0")
    assert ":warning: **Regressions**" in md
    assert "| metric | slice | old | new | change | |" in md
    assert "- `ethical_considerations.risks_and_harms` (changed): Wrong flags delay applications. → " in md


def test_fail_on_regression(releases, cli):
    old, new = releases
    assert cli("diff", str(old), str(new)).code == 0
    assert cli("diff", str(old), str(new), "--fail-on", "regression").code == 1
    # the other way round the gate recovers and disparities shrink: no regression
    assert cli("diff", str(new), str(old), "--fail-on", "regression").code == 0
    # a tolerance above every growth leaves only the gate flip
    d = json.loads(cli("diff", str(old), str(new), "--format", "json", "--tolerance", "5").out)
    assert len(d["regressions"]) == 1


def test_identical_cards_have_no_changes(releases, cli):
    old, _ = releases
    run = cli("diff", str(old), str(old))
    assert run.code == 0 and run.out.endswith("no changes\n")


def test_slices_added_and_removed(tmp_path, cli):
    old = toy_card(tmp_path / "a")
    compute(old)
    new = toy_card(tmp_path / "b")
    (tmp_path / "b" / "eval.csv").write_text((tmp_path / "b" / "eval.csv").read_text().replace("\nb,", "\nc,"))
    compute(new)
    d = json.loads(cli("diff", str(old), str(new), "--format", "json").out)
    assert d["slices"] == {"added": [{"group": "c"}], "removed": [{"group": "b"}]}


def test_revision_from_git(tmp_path, cli):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = credit_copy(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "v3.1.0"], cwd=tmp_path, check=True)
    card = folder / "credit.model-card.yaml"
    card.write_text(card.read_text().replace('version: "3.1.0"', 'version: "3.1.1"'))
    run = cli("diff", "HEAD:credit/credit.model-card.yaml", "credit/credit.model-card.yaml", "--format", "json",
              cwd=tmp_path)
    assert run.code == 0, run.err
    d = json.loads(run.out)
    assert d["old"]["version"] == "3.1.0" and d["new"]["version"] == "3.1.1"
    assert d["old"]["results"] is True  # the results file was read from the same revision
    assert d["metrics"] == [] and [f["field"] for f in d["fields"]] == ["model_details.version"]
    bad = cli("diff", "nosuchrev:credit/credit.model-card.yaml", "credit/credit.model-card.yaml", cwd=tmp_path)
    assert bad.code == 1 and "error[git]" in bad.err
