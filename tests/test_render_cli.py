"""`cardwright render`: every format, default output names, computing first, atomic writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from render_helpers import EXAMPLE, RENDER_FIXTURES


@pytest.fixture
def loan_dir(tmp_path: Path) -> Path:
    for name in ("loan.model-card.yaml", "loan.datasheet.yaml", "loan.model-card.results.json"):
        shutil.copy(RENDER_FIXTURES / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def credit_dir(tmp_path: Path) -> Path:
    target = tmp_path / "credit"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("*.results.json", "make_data.py", "__pycache__"))
    card = target / "credit.model-card.yaml"  # fewer bootstrap resamples: the same path, a faster test
    card.write_text(card.read_text(encoding="utf-8").replace("resamples: 1000", "resamples: 50"), encoding="utf-8")
    return target


@pytest.mark.parametrize(("fmt", "start"), [("md", b"# Loan pre-screen"), ("html", b"<!DOCTYPE html>"),
                                            ("json", b'{\n  "$schema"'),
                                            pytest.param("pdf", b"%PDF-", marks=pytest.mark.slow)])  # fmt: skip
def test_render_each_format_beside_the_card(loan_dir, fmt, start):
    r = run_cli("render", "loan.model-card.yaml", "--to", fmt, cwd=loan_dir)
    assert (r.code, r.out) == (0, "")
    out = loan_dir / f"loan.model-card.{fmt}"
    assert r.err == f"wrote {out.relative_to(loan_dir)}\n"
    assert out.read_bytes().startswith(start)
    assert not list(loan_dir.glob(".*.tmp"))


def test_render_to_standard_output(loan_dir):
    r = run_cli("render", "loan.model-card.yaml", "--to", "md", "-o", "-", cwd=loan_dir)
    assert r.code == 0 and r.out.startswith("# Loan pre-screen\n") and "0.912 (0.899 to 0.924)" in r.out


def test_render_computes_missing_results_first_and_says_so(credit_dir):
    r = run_cli("render", "credit.model-card.yaml", "--to", "md", "-o", "card.md", cwd=credit_dir)
    assert r.code == 0, r.err
    lines = r.err.splitlines()
    assert lines[0] == ("credit.model-card.yaml:213:3: warning[missing-results]: no results file yet "
                        "(credit.model-card.results.json); computing the results now and writing "
                        "credit.model-card.results.json")
    assert "warning[mostly-hidden]" in lines[1]  # computing says why half the credit card's values are hidden
    assert lines[-1] == "wrote card.md"
    computed = json.loads((credit_dir / "credit.model-card.results.json").read_text(encoding="utf-8"))
    overall = next(r for r in computed["results"] if r["slice"] == {} and r["metric"] == "accuracy")
    md = (credit_dir / "card.md").read_text(encoding="utf-8")
    assert f"| Accuracy | {overall['value']:.3f} ({overall['ci_low']:.3f} to {overall['ci_high']:.3f}) |" in md
    again = run_cli("render", "credit.model-card.yaml", "--to", "md", "-o", "card.md", cwd=credit_dir)
    assert again.err == "wrote card.md\n"  # current results are reused, not recomputed


def test_render_recomputes_stale_results(credit_dir):
    assert run_cli("compute", "credit.model-card.yaml", cwd=credit_dir).code == 0
    card = credit_dir / "credit.model-card.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("    seed: 0", "    seed: 7"), encoding="utf-8")
    r = run_cli("render", "credit.model-card.yaml", "--to", "html", "-o", "card.html", cwd=credit_dir)
    assert r.code == 0
    assert r.err.splitlines()[0].endswith(": warning[stale-results]: credit.model-card.results.json was computed with "
                                          "other settings; computing the results now and writing "
                                          "credit.model-card.results.json")


def test_a_failed_render_leaves_the_previous_output_intact(loan_dir):
    out = loan_dir / "loan.model-card.html"
    out.write_text("previous", encoding="utf-8")
    bad = loan_dir / "tpl"
    bad.mkdir()
    (bad / "card.html.j2").write_text('{% extends "base.html.j2" %}{% block header %}{{ nope }}{% endblock %}')
    r = run_cli("render", "loan.model-card.yaml", "--to", "html", "--template-dir", "tpl", cwd=loan_dir)
    assert r.code == 2
    assert "error[template]: 'nope' is undefined" in r.err
    assert out.read_text(encoding="utf-8") == "previous"
    assert not list(loan_dir.glob(".*.tmp"))


def test_render_refuses_to_overwrite_the_card(loan_dir):
    r = run_cli("render", "loan.model-card.yaml", "--to", "md", "-o", "loan.model-card.yaml", cwd=loan_dir)
    assert r.code == 1 and "refusing to overwrite an input file" in r.err


def test_render_a_datasheet(credit_dir):
    r = run_cli("render", "credit.datasheet.yaml", "--to", "html", "-o", "sheet.html", cwd=credit_dir)
    assert r.code == 0, r.err
    html = (credit_dir / "sheet.html").read_text(encoding="utf-8")
    assert '<h2 id="motivation-h">Motivation</h2>' in html and "Shares by sex" in html


@pytest.mark.slow
def test_the_pdf_appendix_comes_with_the_flag_or_the_policy(tmp_path, cli):
    from pypdf import PdfReader

    folder = tmp_path / "credit"
    shutil.copytree(EXAMPLE, folder)

    def outline(name: str) -> list[str]:
        return [o.title for o in PdfReader(folder / name).outline if not isinstance(o, list)]

    assert cli("render", str(folder / "credit.model-card.yaml"), "--to", "pdf", "-o", str(folder / "a.pdf")).code == 0
    assert "Appendix: full tables" not in outline("a.pdf")
    assert cli("render", str(folder / "credit.model-card.yaml"), "--to", "pdf", "--appendix",
               "-o", str(folder / "b.pdf")).code == 0
    assert "Appendix: full tables" in outline("b.pdf")
    (folder / "cardwright.toml").write_text("pdf_appendix = true\n")
    assert cli("render", str(folder / "credit.model-card.yaml"), "--to", "pdf", "-o", str(folder / "c.pdf")).code == 0
    assert "Appendix: full tables" in outline("c.pdf")
    run = cli("render", str(folder / "credit.model-card.yaml"), "--to", "html", "--no-appendix", "-o", "-")
    assert run.code == 0 and 'id="appendix"' not in run.out
    (folder / "cardwright.toml").write_text("pdf_appendix = 1\n")
    bad = cli("render", str(folder / "credit.model-card.yaml"), "--to", "pdf", "-o", str(folder / "d.pdf"))
    assert bad.code == 2 and "pdf_appendix must be true or false" in bad.err
