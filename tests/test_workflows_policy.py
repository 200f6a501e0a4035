"""Policy from [tool.cardwright] / cardwright.toml, and the approval lifecycle under --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

import cardwright
from cardwright.config import Policy, find_config, load_policy
from cardwright.errors import UsageError
from cardwright.policy import content_sha256, policy_findings
from workflows_cards import compute, credit_copy, toy_card


def codes(findings):
    return sorted(f.code for f in findings)


LIFECYCLE = {"too-few-approvals", "stale-approval", "archived-edited"}


def strict_codes(path: Path) -> list[str]:
    return codes(cardwright.validate(str(path), strict=True))


def lifecycle(path: Path) -> list:
    """Lifecycle findings only (the toy card leaves prose empty on purpose)."""
    return [f for f in cardwright.validate(str(path), strict=True) if f.code in LIFECYCLE]


def test_defaults_without_any_file(tmp_path):
    (tmp_path / ".git").mkdir()  # the walk stops at the repository root
    assert find_config(tmp_path / "card.yaml") is None
    assert load_policy(tmp_path / "card.yaml") == Policy()
    assert Policy().min_approvals == 1


def test_pyproject_table_found_by_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.cardwright]\nmin_approvals = 3\n')
    nested = tmp_path / "models" / "credit"
    nested.mkdir(parents=True)
    policy = load_policy(nested / "card.yaml")
    assert policy.min_approvals == 3
    assert policy.source == str(tmp_path / "pyproject.toml")


def test_cardwright_toml_wins_and_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "cardwright.toml").write_text('required_sections = ["governance"]\nmax_depth = 10\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    policy = load_policy(sub)
    assert policy.required_sections == ("governance",)
    assert policy.limits().max_depth == 10


def test_bad_configuration_reports_every_problem(tmp_path):
    (tmp_path / "cardwright.toml").write_text(
        'min_aprovals = 2\nmin_prose_chars = -1\nrequired_sections = ["privacy", "governence"]\n'
        'placeholder_patterns = ["(unclosed"]\n'
    )
    with pytest.raises(UsageError) as e:
        load_policy(tmp_path)
    messages = [f.message for f in e.value.findings]
    assert all(f.code == "config" for f in e.value.findings)
    assert any("min_aprovals" in m for m in messages)
    assert any("min_approvals" in (f.hint or "") for f in e.value.findings)
    assert any("min_prose_chars" in m for m in messages)
    assert any("'governence'" in m for m in messages)
    assert any("(unclosed" in m for m in messages)


def test_invalid_toml_is_a_config_error_with_a_line(tmp_path, cli):
    (tmp_path / "cardwright.toml").write_text("min_approvals = \n")
    card = toy_card(tmp_path)
    run = cli("validate", "--strict", str(card))
    assert run.code == 2
    assert "error[config]" in run.err and "cardwright.toml:1" in run.err


def test_invalid_toml_position_and_message_come_from_the_parser(tmp_path):
    """The TOML parser gives the position as fields (Python 3.14+) or inside its message (older
    Pythons): either way the finding has the line and column, and the message without them."""
    path = tmp_path / "cardwright.toml"
    path.write_text("timeout = 1\nmax_depth = \n")
    with pytest.raises(UsageError) as e:
        load_policy(tmp_path)
    [finding] = e.value.findings
    assert (finding.line, finding.column) == (2, 13)
    assert finding.message == "not valid TOML: Invalid value"


def test_policy_checks_fail_strict_validation(tmp_path, cli):
    card = toy_card(tmp_path, risks="Contoso said so.")
    compute(card)
    assert strict_codes(card).count("missing-section") == 0
    (tmp_path / "cardwright.toml").write_text(
        'required_sections = ["governance"]\nmin_prose_chars = 30\nrequired_metrics = ["roc_auc"]\n'
        'required_gates = ["selection_rate"]\nplaceholder_patterns = ["(?i)\\\\bcontoso\\\\b"]\n'
    )
    run = cli("validate", "--strict", str(card))
    assert run.code == 1
    for code in ("missing-section", "short-prose", "missing-metric", "missing-gate", "placeholder"):
        assert f"[{code}]" in run.out, code
    # positioned at the offending key, with the policy file named
    line = next(ln for ln in run.out.splitlines() if "[missing-metric]" in ln)
    assert line.startswith(f"{card}:")
    assert "cardwright.toml" in line
    # without --strict the policy does not apply
    assert cli("validate", str(card)).code == 0


def test_example_meets_a_demanding_policy(tmp_path):
    folder = credit_copy(tmp_path)
    (tmp_path / "cardwright.toml").write_text(
        'min_approvals = 2\nmin_prose_chars = 40\nrequired_sections = ["governance", "privacy"]\n'
        'required_metrics = ["false_negative_rate"]\nrequired_gates = ["false_negative_rate"]\n'
    )
    # the warning gate over race cannot be checked (four of six groups hidden): a note, not a failure
    assert strict_codes(folder / "credit.model-card.yaml") == ["gate-failed"]
    (tmp_path / "cardwright.toml").write_text("min_approvals = 3\n")
    assert strict_codes(folder / "credit.model-card.yaml") == ["gate-failed", "too-few-approvals"]


def _approval(sha: str | None = None, date: str = "2024-01-02") -> str:
    extra = f", content_sha256: {sha}" if sha else ""
    return f"[{{by: Ann Reviewer, role: model risk, date: '{date}'{extra}}}]"


def test_approved_card_without_approvals_fails(tmp_path):
    card = toy_card(tmp_path, status="approved")
    compute(card)
    assert codes(lifecycle(card)) == ["too-few-approvals"]


def test_approval_hash_goes_stale_when_content_or_results_change(tmp_path, cli):
    card = toy_card(tmp_path, status="approved")
    compute(card)
    sha = cli("hash", str(card)).out.strip()
    assert sha == content_sha256(cardwright.load(card))
    toy_card(tmp_path, status="approved", approvals=_approval(sha))
    assert codes(lifecycle(card)) == []
    # a prose edit makes the approval stale
    toy_card(tmp_path, status="approved", approvals=_approval(sha), risks="Wrong flags delay some applications.")
    found = lifecycle(card)
    assert codes(found) == ["stale-approval"]
    assert "content_sha256: " in found[0].hint
    # back to the approved text, but new results (other data) also make it stale
    toy_card(tmp_path, status="approved", approvals=_approval(sha), miss_b=0.05, seed=7)
    compute(card)
    assert "stale-approval" in codes(lifecycle(card))


def test_hash_ignores_layout_comments_status_and_approvals(tmp_path):
    card = toy_card(tmp_path)
    before = content_sha256(cardwright.load(card))
    text = card.read_text().replace("status: draft", "status: review\n# a comment")
    card.write_text(text.replace("approvals: []", "approvals:\n  - {by: A, role: B, date: '2024-01-01'}"))
    assert content_sha256(cardwright.load(card)) == before


def test_approval_older_than_recorded_computation_is_stale(tmp_path, monkeypatch):
    card = toy_card(tmp_path, status="approved", approvals=_approval(date="2024-01-02"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    compute(card)
    found = lifecycle(card)
    assert codes(found) == ["stale-approval"]
    assert "2025-01-01" in found[0].message


def test_archived_card_that_was_edited_fails(tmp_path):
    card = toy_card(tmp_path, status="archived")
    compute(card)
    found = lifecycle(card)
    assert [(f.code, f.severity) for f in found] == [("archived-edited", "warning")]
    sha = content_sha256(cardwright.load(card))
    toy_card(tmp_path, status="archived", approvals=_approval(sha))
    assert codes(lifecycle(card)) == []
    toy_card(tmp_path, status="archived", approvals=_approval(sha), risks="Edited after archiving.")
    found = lifecycle(card)
    assert [(f.code, f.severity) for f in found] == [("archived-edited", "error")]


def test_policy_findings_are_positioned(tmp_path):
    card_path = toy_card(tmp_path)
    card = cardwright.load(card_path)
    found = policy_findings(card, str(card_path), Policy(required_gates=("accuracy",)))
    assert len(found) == 1
    text = card_path.read_text().splitlines()
    assert text[found[0].line - 1].strip().startswith("gates:") or "gates" in text[found[0].line - 2]


def test_limits_come_from_the_policy(tmp_path, cli):
    card = toy_card(tmp_path)
    (tmp_path / "cardwright.toml").write_text("max_card_bytes = 100\n")
    run = cli("validate", str(card))
    assert run.code == 1 and "[file-too-large]" in run.out
    assert cli("validate", "--max-bytes", "100000", str(card)).code == 0
