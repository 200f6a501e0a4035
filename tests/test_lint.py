"""The code stays clean: ruff's checks (configured in pyproject.toml) report nothing."""

from __future__ import annotations

import shutil
import subprocess

from conftest import ROOT


def test_ruff_reports_nothing():
    ruff = shutil.which("ruff")
    assert ruff, "ruff is a development dependency: pip install -e '.[dev]'"
    result = subprocess.run([ruff, "check", "src", "tests", "scripts", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
