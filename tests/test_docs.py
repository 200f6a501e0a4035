"""The documentation tells the truth: README's commands, the CLI reference, the finding codes."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", setup, re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _readme_commands()[1] in ci


def test_readme_main_job_names_existing_files():
    main_job = _readme_commands()[0]
    for path in re.findall(r"(?:examples|scripts)/[\w./*-]+", main_job):
        matches = list(ROOT.glob(path))
        assert matches, path


def test_generated_reference_pages_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_command_is_in_readme_or_reference():
    from cardwright.cli import cli

    reference = (ROOT / "docs" / "cli.md").read_text()
    for name, command in cli.commands.items():
        assert f"## cardwright {name}" in reference
        assert command.help, f"{name} has no help text"


def test_every_finding_code_used_in_source_is_registered():
    from cardwright.errors import CODES

    used = set()
    for path in (ROOT / "src" / "cardwright").rglob("*.py"):
        text = path.read_text()
        used |= set(re.findall(r'code="([a-z0-9-]+)"', text))
        used |= set(re.findall(r'Finding\(\s*[^,]+,\s*"([a-z0-9-]+)"', text))
    assert used - set(CODES) == set()
