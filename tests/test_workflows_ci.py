"""CI integration: the pre-commit hook under `pre-commit try-repo`, the GitHub Action's steps and
the GitLab CI example's script, each run for real on cards in a temporary repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, ROOT
from workflows_cards import credit_copy

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
BROKEN = "kind: model-card\nschema_version: 1\nmodel_details: {name: x}\n"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _bin_env(tmp_path: Path) -> dict[str, str]:
    """The environment with this interpreter's `cardwright` first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    env.pop("GITHUB_STEP_SUMMARY", None)
    return env


def _repo(path: Path) -> Path:
    subprocess.run([*GIT, "init", "-q"], cwd=path, check=True)
    subprocess.run([*GIT, "add", "."], cwd=path, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "init"], cwd=path, check=True)
    return path


def test_manifest_is_valid_and_matches_card_names():
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed")
    run = subprocess.run([pre_commit, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    import re

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"cardwright-validate", "cardwright-validate-system"}
    for hook in hooks:
        assert hook["entry"] == "cardwright validate"
        pattern = re.compile(hook["files"])
        for name in ("examples/credit/credit.model-card.yaml", "credit.datasheet.yaml", "model_card.yml"):
            assert pattern.search(name), name
        for name in ("pyproject.yaml", "docs/model-card.md", ".gitlab-ci.yml"):
            assert not pattern.search(name), name


@needs_git
@pytest.mark.slow
def test_hook_runs_under_pre_commit_try_repo(tmp_path):
    """`language: python` installs cardwright from PyPI into pre-commit's cache, which an offline
    test cannot do; the `language: system` hook runs the same entry with the cardwright installed
    here, through the real pre-commit machinery (clone, file filtering, exit status)."""
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed")
    # through this interpreter: a pyenv shim would put its own interpreter's `cardwright` first on PATH
    pre_commit = [sys.executable, "-m", "pre_commit"]
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks)
    _repo(hooks)
    project = tmp_path / "project"
    project.mkdir()
    credit_copy(project)
    (project / "broken.model-card.yaml").write_text(BROKEN)
    (project / "notes.yaml").write_text("not: a card\n")
    _repo(project)
    env = _bin_env(tmp_path)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*pre_commit, "try-repo", str(hooks), "cardwright-validate-system", "--files", *files],
                              cwd=project, capture_output=True, text=True, env=env, timeout=300)

    good = try_repo("credit/credit.model-card.yaml", "credit/credit.datasheet.yaml", "notes.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = try_repo("credit/credit.model-card.yaml", "broken.model-card.yaml")
    assert bad.returncode == 1
    assert "broken.model-card.yaml:1:1: error[missing-field]" in bad.stdout
    skipped = try_repo("notes.yaml")
    assert skipped.returncode == 0 and "(no files to check)Skipped" in skipped.stdout


def _action_steps() -> dict[str, dict]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    return {s.get("id", s.get("name", s.get("uses"))): s for s in action["runs"]["steps"]}


def _defaults() -> dict[str, str]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    return {k: str(v.get("default", "")) for k, v in action["inputs"].items()}


def _run_step(step: dict, cwd: Path, inputs: dict[str, str], extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = dict(extra_env)
    for key, value in (step.get("env") or {}).items():
        expr = str(value)
        assert expr.startswith("${{ inputs.") and expr.endswith("}}"), "steps take inputs through env only"
        env[key] = inputs[expr[len("${{ inputs."):-2].strip()]
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_action_steps_validate_and_build(tmp_path):
    steps = _action_steps()
    assert {"install", "validate", "render"} <= set(steps)
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps.values())
    inputs = {**_defaults(), "cards": "cards"}
    project = tmp_path / "repo"
    (project / "cards").mkdir(parents=True)
    credit_copy(project / "cards")
    summary = tmp_path / "summary.md"
    env = {**_bin_env(tmp_path), "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}
    ok = _run_step(steps["validate"], project, inputs, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    built = _run_step(steps["render"], project, inputs, env)
    assert built.returncode == 0, built.stderr
    assert (project / inputs["site-dir"] / "index.html").is_file()
    assert (project / inputs["site-dir"] / "credit" / "credit.model-card.html").is_file()
    # a broken card fails the step with annotations (and a summary table for more than ten)
    (project / "cards" / "broken.model-card.yaml").write_text(BROKEN)
    bad = _run_step(steps["validate"], project, inputs, env)
    assert bad.returncode == 1
    assert "::error file=cards/broken.model-card.yaml,line=1" in bad.stdout
    assert "broken.model-card.yaml" in summary.read_text()


@pytest.mark.slow
def test_gitlab_example_produces_a_code_quality_report(tmp_path):
    ci = yaml.safe_load((EXAMPLES / "ci" / ".gitlab-ci.yml").read_text())
    job = ci["cards"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    project = tmp_path / "repo"
    (project / "examples").mkdir(parents=True)
    credit_copy(project / "examples")
    (project / "examples" / "broken.model-card.yaml").write_text(BROKEN)
    script = "\n".join(job["script"])  # `before_script` installs cardwright, which is installed here
    run = subprocess.run(["bash", "-c", script], cwd=project, capture_output=True, text=True, env=_bin_env(tmp_path),
                         timeout=300)
    assert run.returncode == 1, run.stderr  # the broken card fails the job
    report = json.loads((project / "gl-code-quality-report.json").read_text())
    assert report and all(set(r) >= {"description", "check_name", "fingerprint", "severity", "location"} for r in report)
    # besides the broken card: the credit card's warning gate over race (hidden groups), as info
    assert {r["location"]["path"] for r in report if r["severity"] != "info"} == {"examples/broken.model-card.yaml"}
    assert all(r["severity"] in {"info", "minor", "major", "critical", "blocker"} for r in report)
    assert (project / "public" / "index.html").is_file()  # the site is built even when validation fails
    (project / "examples" / "broken.model-card.yaml").unlink()
    clean = subprocess.run(["bash", "-c", script], cwd=project, capture_output=True, text=True, env=_bin_env(tmp_path),
                           timeout=300)
    assert clean.returncode == 0, clean.stderr
    left = json.loads((project / "gl-code-quality-report.json").read_text())
    assert [(r["location"]["path"], r["severity"], r["check_name"]) for r in left] == [
        ("examples/credit/credit.model-card.yaml", "info", "gate-failed")]


def test_docs_show_the_worked_examples():
    ci = (ROOT / "docs" / "ci.md").read_text()
    for needle in (".pre-commit-hooks.yaml", "cardwright-validate", "try-repo", "--strict --format github",
                   "codequality", "examples/ci/.gitlab-ci.yml", "examples/ci/github-workflow.yml"):
        assert needle in ci, needle
    workflows = (ROOT / "docs" / "workflows.md").read_text()
    for command in ("cardwright diff", "cardwright build", "cardwright export", "cardwright import",
                    "--to confluence", "[tool.cardwright]", "content_sha256", "/rest/api/content"):
        assert command in workflows, command
