"""PDF output: real text (extracted with pdfminer.six), an outline per section, a cover, page
numbers, fixed metadata and byte-identical renders; a sandboxed fetcher."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings

import pytest

from cardwright._render.api import render
from cardwright.errors import BlockedResourceWarning, UsageError
from render_helpers import RENDER_FIXTURES, loan, loan_results


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return render(loan(), loan_results(), to="pdf")


@pytest.fixture(scope="module")
def pages(pdf_bytes) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    out = []
    for page in extract_pages(io.BytesIO(pdf_bytes)):
        out.append(" ".join(" ".join(el.get_text().split()) for el in page if isinstance(el, LTTextContainer)))
    return out


@pytest.mark.slow
def test_is_a_pdf(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF-")


@pytest.mark.slow
def test_cover_has_name_version_status(pages):
    cover = pages[0]
    assert "Loan pre-screen" in cover and "1.2.0" in cover and "review" in cover
    assert "Page" not in cover  # no page number on the cover


@pytest.mark.slow
def test_metric_values_are_selectable_text(pages):
    text = " ".join(pages)
    for value in ("0.912 0.899 to 0.924", "0.061 0.050 to 0.074", "0.905 0.890 to 0.920", "suppressed: fewer than"):
        assert value in text


@pytest.mark.slow
def test_page_numbers_and_running_header(pages):
    n = len(pages)
    assert f"Page 2 of {n}" in pages[1]
    assert pages[2].startswith("Loan pre-screen") or "Loan pre-screen" in pages[2][:80]


@pytest.mark.slow
def test_outline_has_an_entry_per_section(pdf_bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))

    def titles(items):
        for it in items:
            if isinstance(it, list):
                yield from titles(it)
            else:
                yield it.title

    outline = list(titles(reader.outline))
    for title in ("Summary", "Datasheets", "1. Model details", "2. Intended use", "7. Quantitative analyses",
                  "9. Caveats and recommendations", "Results by group", "Intersections",
                  "How these results were computed"):  # fmt: skip
        assert title in outline
    assert "Appendix: full tables" not in outline  # off by default in PDF


def test_the_appendix_is_opt_in_for_pdf():
    from pypdf import PdfReader

    pdf = render(loan(), loan_results(), to="pdf", appendix=True)
    reader = PdfReader(io.BytesIO(pdf))
    outline = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Appendix: full tables" in outline
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Differences by sex between the highest and lowest groups" in text
    assert "Results by sex × age band" in text


@pytest.mark.slow
def test_fixed_metadata_from_the_card(pdf_bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    meta = reader.metadata
    assert meta["/Title"] == "Loan pre-screen 1.2.0 · Model card"
    assert meta["/CreationDate"].startswith("D:20261001")
    assert "/ModDate" not in meta
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root  # tagged


@pytest.mark.slow
def test_byte_identical_renders(pdf_bytes):
    assert render(loan(), loan_results(), to="pdf") == pdf_bytes


@pytest.mark.slow
def test_the_fetcher_blocks_the_network_and_files_outside_the_card_folder(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes((RENDER_FIXTURES / "pixel.png").read_bytes())
    (tmp_path / "card.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block header %}{{ super() }}'
        '<img src="http://169.254.169.254/latest/meta-data.png" alt="a">'
        '<img src="file:///etc/hostname" alt="b">'
        '<img src="../../../../../../../etc/passwd" alt="c">'
        '<img src="pixel.png" alt="d">'
        "{% endblock %}",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BlockedResourceWarning)
        pdf = render(loan(), to="pdf", template_dir=tmp_path)
    blocked = sorted(w.message.finding.message for w in caught if isinstance(w.message, BlockedResourceWarning))
    assert len(blocked) == 3
    assert any("169.254.169.254" in b for b in blocked) and any("/etc/hostname" in b for b in blocked)
    assert any("/etc/passwd" in b for b in blocked)
    assert all(w.message.finding.code == "blocked-resource" for w in caught)
    assert pdf.startswith(b"%PDF-")


def test_missing_system_libraries_are_named_with_an_install_hint():
    # A fresh interpreter in which loading Pango fails exactly as it does on a machine without it.
    code = (
        "import cffi\n"
        "real = cffi.FFI.dlopen\n"
        "def dlopen(self, name, *a, **k):\n"
        "    if 'pango' in str(name) or 'gobject' in str(name):\n"
        "        raise OSError(f\"cannot load library '{name}': {name}: cannot open shared object file\")\n"
        "    return real(self, name, *a, **k)\n"
        "cffi.FFI.dlopen = dlopen\n"
        "from cardwright._render.pdf import import_weasyprint\n"
        "from cardwright.errors import CardwrightError\n"
        "try:\n"
        "    import_weasyprint()\n"
        "except CardwrightError as e:\n"
        "    print(e.findings[0].format()); print('exit', e.exit_code)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert (
        "error[missing-dependency]: PDF output needs system libraries WeasyPrint could not load: libgobject-2.0-0"
        in out
    )
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in out
    assert "exit 2" in out


def test_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError) as e:
        render(loan(), to="docx")
    assert e.value.findings[0].format() == (
        "--to: error[usage]: unknown output format 'docx'\n  hint: choose one of: md, html, pdf, json"
    )


@pytest.mark.slow
def test_contents_give_the_page_each_section_starts_on(pdf_bytes, pages):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    first = next(iter(extract_pages(io.BytesIO(pdf_bytes), page_numbers=[0])))
    lines = [(round(line.y0), " ".join(line.get_text().split())) for box in first if isinstance(box, LTTextContainer)
             for line in box if isinstance(line, LTTextLine)]
    numbers = {y: int(text) for y, text in lines if text.isdigit()}
    entries = [(text, numbers.get(y) or numbers.get(y - 1) or numbers.get(y + 1))
               for y, text in lines if text[:1].isdigit() and ". " in text and not text.isdigit()]
    assert len(entries) >= 9  # the nine numbered sections of a model card
    for label, page in entries:
        assert page is not None, label
        assert label in pages[page - 1], (label, page)  # the heading is on the page the contents name
        assert all(label not in text for text in pages[1:page - 1]), label  # and not before it


def test_weasyprint_loads_its_libraries_from_the_linker_cache():
    """In a fresh interpreter, loading WeasyPrint through cardwright starts one process (the
    linker cache, read once) instead of ldconfig, gcc and ld for every name WeasyPrint tries;
    the libraries found are those the standard lookup finds, and the standard lookup is back after."""
    code = (
        "import ctypes.util, subprocess\n"
        "standard = ctypes.util.find_library\n"
        "want = {n: standard(n) for n in ('pango-1.0', 'gobject-2.0', 'fontconfig', 'no-such-library-here')}\n"
        "spawned = []\n"
        "real = subprocess.Popen.__init__\n"
        "def popen(self, args, *a, **k):\n"
        "    spawned.append(args[0])\n"
        "    real(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = popen\n"
        "from cardwright._render import pdf\n"
        "with pdf._libraries_from_linker_cache():\n"
        "    got = {n: ctypes.util.find_library(n) for n in want}\n"
        "    import weasyprint\n"
        "print(spawned, got == want, want['pango-1.0'] is not None, ctypes.util.find_library is standard)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["['/sbin/ldconfig']", "True", "True", "True"], out.stdout + out.stderr
