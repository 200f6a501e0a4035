"""`cardwright validate` on the fixture corpus: exact findings, exit status, output formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli

INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
INVALID_CARDS = sorted(p.name for p in INVALID.glob("*.yaml"))
VALID_CARDS = sorted(p.name for p in VALID.glob("*.yaml"))


def test_corpus_is_large_enough():
    assert len(INVALID_CARDS) >= 30


@pytest.mark.parametrize("name", INVALID_CARDS)
def test_invalid_card_gives_exact_findings(name, pinned):
    """Each invalid card has one defect; its findings are pinned in NAME.expected."""
    result = run_cli("validate", name, cwd=INVALID)
    pinned(INVALID / name.replace(".yaml", ".expected"), result.out)
    assert result.code == 1
    assert "Traceback" not in result.err
    first = result.out.splitlines()[0]
    assert first.startswith(name + ":") and "error[" in first


@pytest.mark.parametrize("name", VALID_CARDS)
def test_valid_card_passes(name):
    result = run_cli("validate", name, cwd=VALID)
    assert result.code == 0, result.out
    assert "error[" not in result.out


def test_all_findings_in_one_run():
    result = run_cli("validate", "typo_key.yaml", "bad_date.yaml", "python_tag.yaml", cwd=INVALID)
    codes = [line.split("[")[1].split("]")[0] for line in result.out.splitlines() if "error[" in line]
    assert codes == ["unknown-key", "invalid-date", "yaml-tag"]
    assert result.code == 1
    assert "3 errors, 0 warnings in 3 files" in result.err


def test_json_format_lists_objects():
    result = run_cli("validate", "--format", "json", "bad_spdx.yaml", cwd=INVALID)
    data = json.loads(result.out)
    assert data == [
        {
            "path": "bad_spdx.yaml",
            "line": 6,
            "column": 12,
            "end_line": None,
            "end_column": None,
            "severity": "error",
            "code": "invalid-license",
            "message": "`model_details.license`: 'Apache2' is not a known SPDX licence identifier; did you mean 'Apache-2.0'?",
            "hint": "use an SPDX id (https://spdx.org/licenses/) or `{name: ..., url: ...}` for a custom licence",
            "loc": ["model_details", "license"],
        }
    ]


def test_github_format_annotates_and_writes_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("validate", "--format", "github", "typo_key.yaml", cwd=INVALID)
    assert result.out == (
        "::error file=typo_key.yaml,line=4,col=3,title=cardwright unknown-key::"
        "unknown key `model_details.nmae`%0Adid you mean `name`?\n"
    )
    assert "| `typo_key.yaml:4:3` | error | `unknown-key` |" in summary.read_text()
    assert result.code == 1


def test_gitlab_format_is_code_quality_report():
    result = run_cli("validate", "--format", "gitlab", "typo_key.yaml", "bad_date.yaml", cwd=INVALID)
    report = json.loads(result.out)
    assert [r["check_name"] for r in report] == ["unknown-key", "invalid-date"]
    assert report[0]["location"] == {"path": "typo_key.yaml", "lines": {"begin": 4}}
    assert report[0]["severity"] == "major"
    assert len({r["fingerprint"] for r in report}) == 2


def test_gitlab_fingerprint_survives_moved_lines(tmp_path):
    card = (INVALID / "typo_key.yaml").read_text()
    (tmp_path / "a.yaml").write_text(card)
    first = json.loads(run_cli("validate", "--format", "gitlab", "a.yaml", cwd=tmp_path).out)
    (tmp_path / "a.yaml").write_text("# a new comment line\n" + card)
    second = json.loads(run_cli("validate", "--format", "gitlab", "a.yaml", cwd=tmp_path).out)
    assert first[0]["location"]["lines"]["begin"] + 1 == second[0]["location"]["lines"]["begin"]
    assert first[0]["fingerprint"] == second[0]["fingerprint"]


def test_oversize_card_fails_fast(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("kind: model-card\nschema_version: 1\nextensions:\n  blob: '" + "x" * (2 * 1024 * 1024) + "'\n")
    result = run_cli("validate", "big.yaml", cwd=tmp_path)
    assert result.code == 1
    assert "error[file-too-large]" in result.out and "over the 2,097,152-byte limit" in result.out
    raised = run_cli("validate", "--max-bytes", "3000000", "big.yaml", cwd=tmp_path)
    assert "file-too-large" not in raised.out


def test_limits_are_settings():
    assert run_cli("validate", "deep_nesting.yaml", cwd=INVALID).code == 1
    deeper = run_cli("validate", "--max-depth", "200", "deep_nesting.yaml", cwd=INVALID)
    assert "yaml-depth" not in deeper.out
    bomb = run_cli("validate", "--max-nodes", "50", "alias_bomb.yaml", cwd=INVALID)
    assert "more than 50 values" in bomb.out


def test_missing_file_is_a_finding_not_a_crash(tmp_path):
    result = run_cli("validate", "nope.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out == "nope.yaml: error[file-not-found]: no such file\n  hint: check the path\n"


def test_usage_error_exits_2():
    result = run_cli("validate", "--format", "xml", "x.yaml")
    assert result.code == 2
    assert "Invalid value for '--format'" in result.err


def test_strict_fails_on_warnings():
    path = "yaml12_scalars.model-card.yaml"
    assert run_cli("validate", path, cwd=VALID).code == 0
    strict = run_cli("validate", "--strict", path, cwd=VALID)
    assert strict.code == 1
    assert "warning[ambiguous-scalar]: '1.10' is kept as text here" in strict.out


def test_validate_never_modifies_a_card(tmp_path):
    src = INVALID / "typo_key.yaml"
    card = tmp_path / "c.yaml"
    card.write_bytes(src.read_bytes())
    before = (card.read_bytes(), card.stat().st_mtime_ns)
    run_cli("validate", "--strict", "c.yaml", cwd=tmp_path)
    assert (card.read_bytes(), card.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


def test_internal_error_exits_2_without_traceback(monkeypatch, tmp_path):
    import cardwright.validation as validation

    def boom(*_args, **_kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(validation, "validate_paths", boom)
    result = run_cli("validate", "x.yaml", cwd=tmp_path)
    assert result.code == 2
    assert "internal error: RuntimeError: kaboom" in result.err
    assert "Traceback" not in result.err
    with pytest.raises(RuntimeError):
        run_cli("--debug", "validate", "x.yaml", cwd=tmp_path)


def test_referenced_datasheet_errors_point_into_that_file():
    result = run_cli("validate", "datasheet_invalid.yaml", cwd=INVALID)
    lines = result.out.splitlines()
    assert lines[0].startswith("datasheet_invalid.yaml:12:18: error[invalid-datasheet]")
    assert any(line.startswith(str(Path("refs/broken.datasheet.yaml")) + ":5:3: error[unknown-key]") for line in lines)


@pytest.mark.parametrize("edit, finding", [
    (None, "unknown-evaluation"),  # sealed as cardwright wrote it: read without the results models
    ("provenance", "invalid-value"),  # edited after sealing: checked in full, and not a results file
    ("forged", "invalid-value"),  # a seal recomputed over a file of another shape
])
def test_a_sealed_baseline_is_trusted_as_written_and_an_edited_one_is_checked(tmp_path: Path, edit: str | None,
                                                                              finding: str) -> None:
    from cardwright.schema.sealing import DIGEST_KEY, content_digest

    card = (INVALID / "gate_baseline_unknown_evaluation.yaml").read_text()
    (tmp_path / "refs").mkdir()
    (tmp_path / "eval.csv").write_text("toxicity\n0.1\n")
    data = json.loads((INVALID / "refs" / "two-evaluations.results.json").read_text())
    data[DIGEST_KEY] = content_digest(data)
    if edit == "provenance":
        data["provenance"] = "edited"
    elif edit == "forged":
        data["evaluations"], data["results"] = 5, "none"
        data[DIGEST_KEY] = content_digest(data)
    (tmp_path / "refs" / "two-evaluations.results.json").write_text(json.dumps(data))
    (tmp_path / "card.yaml").write_text(card)
    result = run_cli("validate", "card.yaml", cwd=tmp_path)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"error[{finding}]" in result.out, result.out
