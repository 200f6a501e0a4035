"""The documentation tells the truth: README's commands, its Python snippets and those of docs/,
the CLI reference, the finding codes."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "examples" / "README.md"]


def python_snippets() -> list[tuple[str, str]]:
    """``(file:line, code)`` of every ```python block in README.md, docs/ and examples/README.md."""
    out = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^```python\n(.*?)^```$", text, re.S | re.M):
            out.append((f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}", m.group(1)))
    return out


def _snippet_param(where: str, code: str) -> object:
    slow = "pyspark" in code  # a Spark session: a JVM and seconds
    return pytest.param(code, id=where, marks=[pytest.mark.slow] if slow else [])


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_the_docs_have_python_snippets():
    places = [where for where, _ in python_snippets()]
    assert any(w.startswith("README.md") for w in places) and len(places) >= 3, places


@pytest.mark.parametrize("code", [_snippet_param(w, c) for w, c in python_snippets()])
def test_python_snippet_runs(code):
    """Each snippet runs as written, from the repository root with the shipped examples, and
    changes no file there (a snippet that is not meant to run is not marked ```python)."""
    if "pyspark" in code and (importlib.util.find_spec("pyspark") is None or
                              (shutil.which("java") is None and not os.environ.get("JAVA_HOME"))):
        if os.environ.get("CI"):
            pytest.fail("the Spark snippet must run in CI: pyspark or Java is missing")
        pytest.skip("pyspark or Java is missing")
    before = _tree_digest(ROOT / "examples")
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYTHONWARNINGS": "error::DeprecationWarning:cardwright"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _tree_digest(ROOT / "examples") == before, "the snippet changed files under examples/"


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


def test_stored_field_docstrings_are_the_sources_and_a_changed_source_is_read_again(monkeypatch):
    # _field_docs.py spares every start the parsing of the schema's sources: it must say what the sources say,
    # be what is used while a source is unchanged, and be ignored for a module whose source changed since.
    from cardwright.schema import _field_docs, analysis, docs

    assert analysis.DataFile.model_fields
    for module, (_, stored) in _field_docs.DOCS.items():
        source = (ROOT / "src" / Path(*module.split("."))).with_suffix(".py").read_text(encoding="utf-8")
        assert stored == {cls: fields for cls, fields in docs._parsed_docs(source).items() if fields}, module
    digest, _ = _field_docs.DOCS["cardwright.schema.analysis"]
    try:
        monkeypatch.setattr(_field_docs, "DOCS", {"cardwright.schema.analysis": (digest, {"DataFile": {"path": "kept"}})})
        docs._module_docs.cache_clear()
        assert docs._module_docs("cardwright.schema.analysis")["DataFile"]["path"] == "kept"
        monkeypatch.setattr(_field_docs, "DOCS", {"cardwright.schema.analysis": ("0" * 64, {"DataFile": {"path": "old"}})})
        docs._module_docs.cache_clear()
        assert docs._module_docs("cardwright.schema.analysis")["DataFile"]["path"].startswith("The evaluation file")
    finally:
        docs._module_docs.cache_clear()
