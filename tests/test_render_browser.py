"""Rendered HTML in real tools: the Nu HTML checker (vnu.jar) must report no errors, and axe-core
in a headless Chromium no serious or critical violations; hostile prose must run no script and
the page must request nothing.  One checker run and one browser launch cover every page.

The tools are installed by scripts/install-test-tools.sh (Debian chromium, Java, and
`npm ci` in tests/browser); without them these tests skip locally and fail in CI.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cardwright._render.api import render
from render_helpers import ROOT, example, hostile, loan, loan_results

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real Chromium and the Nu checker
BROWSER_DIR = ROOT / "tests" / "browser"
VNU = BROWSER_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _require(ok: bool, what: str) -> None:
    if not ok:
        message = f"{what} is not installed: run scripts/install-test-tools.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    credit, credit_results = example("model-card")
    sheet, sheet_results = example("datasheet")
    rendered = {
        "loan": render(loan(), loan_results(), to="html"),
        "hostile": render(hostile(), to="html"),
        "credit": render(credit, credit_results, to="html"),
        "datasheet": render(sheet, sheet_results, to="html"),
        "used-by": render(sheet, sheet_results, to="html", used_by=[{"title": "Loan pre-screen", "href": "loan.html"}]),
    }
    # A page with live script, so the checker is seen to catch what it looks for.
    rendered["bad"] = (
        '<!DOCTYPE html><html><head><title>x</title></head><body><img src=x onerror="alert(1)">'
        "<script>alert(2)</script></body></html>"
    )
    out = {}
    for name, text in rendered.items():
        out[name] = folder / f"{name}.html"
        out[name].write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def browser_report(pages) -> dict[str, dict]:
    _require(shutil.which("node") is not None, "node")
    _require(Path(CHROMIUM).exists(), "chromium")
    _require((BROWSER_DIR / "node_modules" / "playwright-core").is_dir(), "tests/browser/node_modules")
    proc = subprocess.run(
        ["node", str(BROWSER_DIR / "check.mjs"), *(str(pages[n]) for n in BROWSER_PAGES)],
        capture_output=True, text=True, timeout=300, cwd=BROWSER_DIR, env={**os.environ, "CHROMIUM": CHROMIUM},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    return {name: report[str(pages[name])] for name in BROWSER_PAGES}


# The example model card (1,700 table cells) is left to the Nu checker: axe on it alone takes
# longer than the other pages together, and its markup comes from the same templates as "loan".
BROWSER_PAGES = ("loan", "hostile", "datasheet", "bad")


def test_nu_html_checker_reports_no_errors(pages):
    _require(shutil.which("java") is not None, "java")
    _require(VNU.exists(), "vnu.jar (tests/browser/node_modules)")
    proc = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *(str(p) for n, p in pages.items() if n != "bad")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    assert [(Path(m.get("url", "")).name, m.get("lastLine"), m["message"]) for m in messages] == []
    assert proc.returncode == 0


@pytest.mark.parametrize("name", ["loan", "hostile", "datasheet"])
def test_axe_finds_no_serious_or_critical_violations(browser_report, name):
    serious = [v for v in browser_report[name]["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("name", ["loan", "hostile", "datasheet"])
def test_pages_are_self_contained(browser_report, name):
    entry = browser_report[name]
    assert entry["requests"] == []
    assert entry["errors"] == []


def test_hostile_prose_runs_no_script(browser_report):
    entry = browser_report["hostile"]
    assert entry["dialogs"] == []
    assert entry["dom"]["scripts"] == 0
    assert entry["dom"]["handlers"] == []
    assert entry["dom"]["jsLinks"] == []
    assert entry["dom"]["iframes"] == 0


def test_language_title_and_heading_order(browser_report):
    dom = browser_report["loan"]["dom"]
    assert dom["lang"] == "en" and dom["title"] == "Loan pre-screen 1.2.0 · Model card"
    levels = dom["headings"]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))  # never skips a level


def test_the_browser_check_sees_a_script_when_there_is_one(browser_report):
    # The checker itself must be able to fail: the page with a live script is reported.
    entry = browser_report["bad"]
    assert sorted(entry["dialogs"]) == ["1", "2"]
    assert entry["dom"]["handlers"] == ["IMG.onerror"] and entry["dom"]["scripts"] == 1
    assert {v["id"] for v in entry["violations"]} >= {"html-has-lang"}
