"""The code stays clean: ruff's checks and mypy's types (both configured in pyproject.toml)
report nothing, and vulture finds no dead code."""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
import subprocess
import sys

from conftest import ROOT

SRC = ROOT / "src" / "cardwright"


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


def _dynamically_used_names() -> set[str]:
    """Names used by name at run time: pydantic model fields and attributes read by templates."""
    from pydantic import BaseModel

    names: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        module = importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__.startswith("cardwright"):
                names |= set(obj.model_fields)
    for template in (SRC / "_render" / "templates").glob("*.j2"):
        names |= set(re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", template.read_text(encoding="utf-8")))
    return names


def test_no_dead_code():
    """vulture reports nothing in src/ beyond the dynamic uses of tests/vulture_whitelist.py."""
    import vulture

    checker = vulture.Vulture(ignore_names=sorted(_dynamically_used_names()),
                              ignore_decorators=["@field_validator", "@model_validator", "@model_serializer"])
    checker.scavenge([str(SRC), str(ROOT / "tests" / "vulture_whitelist.py")])
    assert [item.get_report() for item in checker.get_unused_code(min_confidence=60)] == []
