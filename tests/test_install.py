"""A light base install: `pip install cardwright` is what a pre-commit hook needs (validate,
compute, Markdown, HTML, JSON) without WeasyPrint or pandas; `cardwright[pdf]` adds PDF, and
asking for a PDF without it names that extra.

The missing packages are simulated in a fresh interpreter: an import hook placed first makes
``import name`` fail with the ``ModuleNotFoundError`` a missing package gives."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0].lower() for r in requirements}


def without(*modules: str) -> str:
    """Python code that makes ``modules`` unimportable, as in an install that lacks them."""
    return (
        "import sys\n"
        "class _NotInstalled:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {modules!r}:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, _NotInstalled())\n"
    )


def test_the_base_dependencies_carry_neither_weasyprint_nor_pandas():
    base = _names(PYPROJECT["project"]["dependencies"])
    assert {"weasyprint", "pandas", "pyspark", "duckdb"} & base == set(), base
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert _names(extras["pdf"]) == {"weasyprint"}
    assert "pandas" in _names(extras["spark"])  # Spark hands results over through pandas


def test_cardwright_imports_weasyprint_only_for_a_pdf_and_never_pandas():
    """pandas is needed only for a pandas DataFrame the caller passes (already imported then),
    WeasyPrint only by the PDF renderer."""
    found: dict[str, set[str]] = {"pandas": set(), "weasyprint": set()}
    for path in sorted((ROOT / "src" / "cardwright").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                top = name.split(".")[0]
                if top in found:
                    found[top].add(path.relative_to(ROOT / "src").as_posix())
    assert found == {"pandas": set(), "weasyprint": {"cardwright/_render/pdf.py"}}


def run_without(modules: tuple[str, ...], code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", without(*modules) + code], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_pdf_without_weasyprint_names_the_extra_and_other_formats_still_work(tmp_path):
    card = tmp_path / "card.model-card.yaml"
    shutil.copy(FIXTURES / "valid" / "minimal.model-card.yaml", card)
    code = ("import contextlib, io, json\nfrom cardwright.cli import main\nruns = {}\n"
            "for fmt in ('pdf', 'md', 'html', 'json'):\n"
            "    err = io.StringIO()\n"
            "    with contextlib.redirect_stderr(err):\n"
            "        try:\n            main(['render', 'card.model-card.yaml', '--to', fmt])\n"
            "        except SystemExit as e:\n            runs[fmt] = (e.code, err.getvalue())\n"
            "print(json.dumps(runs))\n")
    result = run_without(("weasyprint",), code, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    runs = json.loads(result.stdout)
    code_pdf, err = runs.pop("pdf")
    assert code_pdf == 2, err
    first, hint = err.splitlines()[:2]
    assert "error[missing-dependency]: PDF output needs WeasyPrint, which is not installed" in first
    assert hint == "  hint: pip install 'cardwright[pdf]'"
    assert "Traceback" not in err and not (tmp_path / "card.model-card.pdf").exists()
    assert {fmt: code for fmt, (code, _) in runs.items()} == {"md": 0, "html": 0, "json": 0}, runs
    for fmt in ("md", "html", "json"):
        assert (tmp_path / f"card.model-card.{fmt}").stat().st_size > 0


@pytest.fixture(scope="module")
def computed_cards(tmp_path_factory) -> Path:
    """A model card over a CSV, the same over Parquet, and a datasheet: the results fixtures' setup."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from compute_examples import COMPOSITION_SPEC, EVAL_CSV, SPEC

    folder = tmp_path_factory.mktemp("light")
    shutil.copy(EVAL_CSV, folder / EVAL_CSV.name)
    pq.write_table(pacsv.read_csv(EVAL_CSV), folder / "example.eval.parquet")
    card = yaml.safe_load((FIXTURES / "valid" / "minimal.model-card.yaml").read_text(encoding="utf-8"))
    card["quantitative_analyses"] = SPEC
    (folder / "csv.model-card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    card["quantitative_analyses"] = {**SPEC, "data": {**SPEC["data"], "path": "example.eval.parquet"}}
    (folder / "parquet.model-card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    sheet = yaml.safe_load((FIXTURES / "valid" / "minimal.datasheet.yaml").read_text(encoding="utf-8"))
    sheet["data"] = COMPOSITION_SPEC
    (folder / "data.datasheet.yaml").write_text(yaml.safe_dump(sheet), encoding="utf-8")
    return folder


CARDS = ("csv.model-card.yaml", "parquet.model-card.yaml", "data.datasheet.yaml")


def test_compute_from_files_works_without_pandas(computed_cards):
    """With pandas not installed, computing from CSV and Parquet files (model card and datasheet)
    works and gives the same bytes as with it.  (pyarrow, when pandas *is* installed, imports it
    on its first conversion; cardwright itself never does, see the test above.)"""
    import cardwright
    from cardwright._compute.api import dumps

    code = ("import json, cardwright\nfrom cardwright._compute.api import dumps\n"
            f"print(json.dumps([dumps(cardwright.compute(cardwright.load(c))) for c in {CARDS!r}]))\n"
            "assert 'pandas' not in sys.modules\n")
    result = run_without(("pandas",), code, computed_cards)
    assert result.returncode == 0, result.stderr[-3000:]
    light = json.loads(result.stdout)
    full = [dumps(cardwright.compute(cardwright.load(computed_cards / c))) for c in CARDS]
    assert light == full
    assert json.loads(light[0])["results"] and json.loads(light[2])["groups"]


def test_a_dataframe_without_pandas_is_a_clear_error(computed_cards):
    """Passing something that is not a table says what is accepted (pandas is optional)."""
    code = ("import cardwright\ntry:\n"
            "    cardwright.compute(cardwright.load('csv.model-card.yaml'), data=[{'y_true': 1}])\n"
            "except cardwright.DataError as e:\n    print(e.findings[0].format())\n")
    result = run_without(("pandas",), code, computed_cards)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "error[data-error]: cannot compute from a list" in result.stdout
    assert "pass a pandas DataFrame, a pyarrow Table" in result.stdout
