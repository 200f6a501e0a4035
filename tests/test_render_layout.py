"""Layout that a careful editor would publish, checked on the real renderers.

HTML, in a headless Chromium (tests/browser/layout.mjs) at a desktop and a narrow width: no
element overflows its container, no table is wider than the page at desktop width, no word of a
table's headers or labels is broken across lines, and the page never scrolls sideways.

PDF, from the text and positions pdfminer extracts: the credit example fits in 8 pages; no text
runs past the page's right margin; every word of every table label and column heading appears
whole on a line (a word broken mid-way would not); the summary fits on one page; a table that
runs over pages repeats its header row on each.

Both on the shipped examples and on fuzzed cards with long names, many groups and many metrics.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cardwright import load
from cardwright._render.api import render
from cardwright._render.view import build_view
from layout_cards import fuzzed
from render_helpers import ROOT, example, loan, loan_results

BROWSER_DIR = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SEEDS = (1, 2, 3)
RIGHT_MARGIN_PT = 13 / 25.4 * 72  # pdf.css: 13 mm


def _require(ok: bool, what: str) -> None:
    if not ok:
        message = f"{what} is not installed: run scripts/install-test-tools.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _cases() -> dict[str, tuple[object, object]]:
    cases = {"credit": example("model-card"), "datasheet": example("datasheet"), "loan": (loan(), loan_results())}
    cases.update({f"fuzzed-{seed}": fuzzed(seed) for seed in SEEDS})
    return cases


@pytest.fixture(scope="module")
def layout(tmp_path_factory) -> dict[str, dict[str, dict]]:
    _require(shutil.which("node") is not None, "node")
    _require(Path(CHROMIUM).exists(), "chromium")
    _require((BROWSER_DIR / "node_modules" / "playwright-core").is_dir(), "tests/browser/node_modules")
    folder = tmp_path_factory.mktemp("layout")
    files = {}
    for name, (card, results) in _cases().items():
        files[name] = folder / f"{name}.html"
        files[name].write_text(render(card, results, to="html"), encoding="utf-8")
    files["site-index"] = folder / "site-index.html"
    files["site-index"].write_text(_site_index(), encoding="utf-8")
    proc = subprocess.run(["node", str(BROWSER_DIR / "layout.mjs"), *map(str, files.values())], capture_output=True,
                          text=True, timeout=600, cwd=BROWSER_DIR, env={**os.environ, "CHROMIUM": CHROMIUM})
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    return {name: report[str(path)] for name, path in files.items()}


def _site_index() -> str:
    """A built site's index with many cards, long names, owners and tags (see `workflows.site_index`)."""
    from cardwright.workflows.site_index import Row, index_page

    long = "Regional small-business overdraft and revolving-credit-line default-probability estimator"
    rows = [Row(href=f"cards/card-{i}.html", name=f"{long} {i}" if i % 3 == 0 else f"Card {i}",
                kind="Model card" if i % 2 else "Datasheet", version=f"{i}.0.{i * 7}", status=("draft", "approved")[i % 2],
                owner=("Amara Chen, Rafael Oyelaran-Montgomery" if i % 2 else "The Credit Data team in Risk Analytics"),
                tags=tuple(f"tag-{j}" for j in range(i % 5)), summary=("Estimates default risk. " * (i % 4)).strip(),
                computed=f"2026-01-0{1 + i % 9}", digest="ab" * 32, gates=("all 3 passed", "1 of 3 failed")[i % 2],
                gates_class=("pass", "fail")[i % 2], links=((f"{long} sheet", f"cards/sheet-{i}.html"),))
            for i in range(40)]
    return index_page(rows)


@pytest.mark.browser
@pytest.mark.parametrize("name", ["credit", "datasheet", "loan", "site-index", *(f"fuzzed-{s}" for s in SEEDS)])
def test_html_nothing_overflows_and_no_label_is_broken(layout, name):
    for width, found in layout[name].items():
        assert found["counts"]["tables"] > 0 and found["counts"]["headerCells"] > 0, width
        assert found["overflow"] == [], width
        assert found["brokenWords"] == [], width
        assert not found["pageScroll"], width
    desktop = layout[name]["1280"]
    assert desktop["wideTables"] == []


@pytest.mark.browser
def test_the_layout_check_sees_an_overflow_and_a_broken_word(tmp_path):
    # The checker must be able to fail: a fixed-width box in a narrow column, a label forced to break.
    _require(shutil.which("node") is not None, "node")
    _require(Path(CHROMIUM).exists(), "chromium")
    _require((BROWSER_DIR / "node_modules" / "playwright-core").is_dir(), "tests/browser/node_modules")
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main style="width:300px">'
                   '<div style="width:900px">wide</div><table style="width:1400px"><tr><td>x</td></tr></table>'
                   '<table style="table-layout:fixed;width:60px"><thead><tr>'
                   '<th style="word-break:break-all">Unbreakableheading</th></tr></thead></table>'
                   "</main></body></html>")
    proc = subprocess.run(["node", str(BROWSER_DIR / "layout.mjs"), str(bad)], capture_output=True, text=True,
                          timeout=300, cwd=BROWSER_DIR, env={**os.environ, "CHROMIUM": CHROMIUM})
    found = json.loads(proc.stdout)[str(bad)]["1280"]
    assert any(o.startswith("div") for o in found["overflow"])
    assert found["wideTables"] and found["brokenWords"] == ["Unbreakableheading in table"]
    assert found["pageScroll"]


# ---------------------------------------------------------------------------------------------- PDF


def _pdf_lines(pdf: bytes) -> list[list[tuple[str, float, float, float]]]:
    """Per page: each text line with its left, right and top position (points)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    pages = []
    for page in extract_pages(io.BytesIO(pdf)):
        lines = []
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    if isinstance(line, LTTextLine):
                        lines.append((line.get_text().strip(), line.x0, line.x1, page.height - line.y1))
        pages.append((page.width, lines))
    return pages


def _labels(card, results) -> set[str]:
    """Every word of every table's column headings and row labels, as the view has them."""
    view = build_view(card, results, appendix=False)
    words: set[str] = set()
    tables = []
    for a in view.evaluations:  # the tables the PDF shows (the appendix is off)
        tables += a.group_tables + a.task_tables
    if view.summary is not None:
        tables += view.summary.tables + ([view.summary.gates] if view.summary.gates else [])
    if view.composition is not None:
        tables += [t for t in (view.composition.overview, *view.composition.tables) if t is not None]
    for t in tables:
        for text in [*t.columns, *(row[0].text for row in t.rows)]:
            words |= set(text.split())
    return words


@pytest.fixture(scope="module")
def pdfs() -> dict[str, tuple[bytes, object, object]]:
    out = {}
    for name in ("credit", "datasheet", "fuzzed-1", "fuzzed-2"):
        card, results = _cases()[name]
        out[name] = (render(card, results, to="pdf"), card, results)
    return out


@pytest.mark.slow
def test_pdf_the_credit_example_fits_in_eight_pages_with_the_summary_on_one(pdfs):
    pdf, _, _ = pdfs["credit"]
    pages = _pdf_lines(pdf)
    assert len(pages) <= 8
    text = [" ".join(line[0] for line in lines) for _, lines in pages]
    assert text[1].startswith(("Fernhill", "Summary")) and "Summary" in text[1]
    summary_page = text[1]
    assert "Where the model works less well" in summary_page and "Not measured, too few rows" in summary_page


@pytest.mark.slow
@pytest.mark.parametrize("name", ["credit", "datasheet", "fuzzed-1", "fuzzed-2"])
def test_pdf_no_text_past_the_margin_and_every_label_word_whole(pdfs, name):
    pdf, card, results = pdfs[name]
    tokens: set[str] = set()
    for width, lines in _pdf_lines(pdf):
        for text, _, right, _ in lines:
            assert right <= width - RIGHT_MARGIN_PT + 1.5, (text, right, width)
            tokens |= set(text.split())
    missing = sorted(w for w in _labels(card, results) if w not in tokens)
    assert missing == []


@pytest.mark.slow
def test_pdf_long_tables_repeat_their_header_row_on_every_page():
    card, results = example("model-card")
    pdf = render(card, results, to="pdf", appendix=True)
    pages = _pdf_lines(pdf)
    spanning = 0
    for _, lines in pages:
        texts = [t for t, *_ in lines]
        rows = [i for i, t in enumerate(texts) if t.startswith(("Female × ", "Male × "))]
        if not rows:
            continue
        headers = [i for i, t in enumerate(texts) if t in ("Metric", "Sex × Race", "Race × Age band", "Sex × Age band",
                                                             "Sex × Race × Age band")]
        assert headers and min(headers) < min(rows), texts[:12]
        spanning += 1
    assert spanning >= 2  # the intersection tables do run over pages


@pytest.mark.slow
def test_fuzzed_cards_keep_every_group_and_metric(pdfs):
    pdf, card, results = pdfs["fuzzed-1"]
    text = " ".join(t for _, lines in _pdf_lines(pdf) for t, *_ in lines)
    view = build_view(card, results, appendix=False)
    for row in view.analyses.groups.rows:
        assert row[0].text.split()[0] in text


EXAMPLE_MODEL_CARDS = sorted(ROOT.glob("examples/*/*.model-card.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLE_MODEL_CARDS, ids=lambda p: p.parent.name)
def test_pdf_every_example_model_card_fits_in_eight_pages(path):
    from cardwright._compute.api import load_results

    card = load(path)
    pages = _pdf_lines(render(card, load_results(card), to="pdf"))
    assert len(pages) <= 8, len(pages)


@pytest.mark.slow
def test_pdf_a_one_metric_group_chart_sits_beside_its_table_and_keeps_every_group():
    # assistant-llm's `refusals` evaluation has one metric: its chart is drawn at half width to the right of
    # the table, level with it, and still names every group (the PDF uses the view's narrow drawing).
    from cardwright._compute.api import load_results

    card = load(ROOT / "examples" / "assistant-llm" / "assistant-llm.model-card.yaml")
    results = load_results(card)
    pages = _pdf_lines(render(card, results, to="pdf"))
    width, lines = next((w, ls) for w, ls in pages if any(t == "Evaluation: refusals" for t, *_ in ls))
    section = lines[next(i for i, (t, *_) in enumerate(lines) if t == "Evaluation: refusals"):]
    header = next(line for line in section if line[0] == "Group")
    method = next(line for line in section if line[0] == "How these results were computed")
    table_right = max(right for _, x0, right, top in section if x0 < width / 2 and header[3] <= top < method[3])
    chart_label = next(line for line in section if line[0] == "Category" and line[1] > width / 2)
    caption = next(line for line in section if line[0].startswith("Every metric by group, with intervals"))
    assert table_right < width / 2  # the table keeps to the left half
    assert abs(chart_label[3] - header[3]) < 20 and caption[1] > width / 2  # the chart to its right, level with it
    refusals = next(a for a in build_view(card, results, appendix=False).evaluations if a.name == "refusals")
    assert refusals.chart_beside
    for group in ("cyber", "fraud", "self_harm", "weapons", "en", "es", "hi", "sw"):
        assert f">{group}</text>" in refusals.group_chart.narrow_svg, group
