"""The code stays clean: ruff's checks and mypy's types (both configured in pyproject.toml)
report nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import ROOT


def test_ruff_reports_nothing():
    ruff = shutil.which("ruff")
    assert ruff, "ruff is a development dependency: pip install -e '.[dev]'"
    result = subprocess.run([ruff, "check", "src", "tests", "scripts", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_mypy_reports_nothing():
    """Strict on the schema, compute and the core modules, `check_untyped_defs` on the rest; an
    unused or code-less ``type: ignore`` is an error too."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
