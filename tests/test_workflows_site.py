"""`cardwright build DIR -o SITE`: pages, index, links both ways, incremental, deterministic;
and `render --to confluence`: storage-format XHTML checked with an XML parser."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cardwright.workflows.confluence import ALLOWED, MACRO_ELEMENTS, NAMESPACES, html_to_storage, storage_problems
from conftest import EXAMPLES
from workflows_cards import credit_copy


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))


def links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text())
    return parser.hrefs


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import run_cli

    src = tmp_path_factory.mktemp("cards")
    credit_copy(src)
    site = tmp_path_factory.mktemp("site")
    run = run_cli("build", str(src), "-o", str(site))
    assert run.code == 0, run.err
    return src, site, run


def test_every_card_has_a_page_and_the_index_lists_them(built):
    _, site, run = built
    assert (site / "credit" / "credit.model-card.html").is_file()
    assert (site / "credit" / "credit.datasheet.html").is_file()
    assert "2 rendered, 0 unchanged, 0 failed" in run.err
    index = (site / "index.html").read_text()
    rows = re.findall(r'<tr class="card"[^>]*>(.*?)</tr>', index)
    assert len(rows) == 2
    model = rows[0]
    assert 'href="credit/credit.model-card.html"' in model
    for cell in ("Model card", "3.1.0", "approved", "Amara Chen", "1 warning gate failed (of 2; none blocking)"):
        assert cell in model, cell
    assert "Datasheet" in rows[1] and "2.0" in rows[1]


def test_the_index_is_searchable_and_links_cards_both_ways(built):
    _, site, _ = built
    index = (site / "index.html").read_text()
    for control in ("f-search", "f-kind", "f-status", "f-owner", "f-tag", "f-failing"):
        assert f'id="{control}"' in index, control
    assert index.count('data-key="') >= 6  # sortable columns
    model, sheet = re.findall(r'<tr class="card"[^>]*>.*?</tr>', index)
    assert 'data-gates="warn"' in model and 'class="summary"' in model  # its race gate (a warning) cannot be checked
    assert re.search(r'class="digest"[^>]*>data [0-9a-f]{12}<', model)
    assert 'href="credit/credit.datasheet.html"' in model  # the datasheet it uses
    assert 'href="credit/credit.model-card.html"' in sheet  # the model card that uses it
    assert 'data-tags="' in sheet and "<script>" in index and "src=" not in index


def test_links_both_ways_are_relative_and_resolve(built):
    _, site, _ = built
    model = site / "credit" / "credit.model-card.html"
    sheet = site / "credit" / "credit.datasheet.html"
    assert "credit.datasheet.html" in links(model)
    assert "credit.model-card.html" in links(sheet)
    for page in (model, sheet, site / "index.html"):
        for href in links(page):
            if href.startswith(("http", "mailto:", "#")):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.is_file(), (page, href)  # works from file:// as from any static host
    for page in (model, sheet):  # nothing is fetched from elsewhere
        assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(css|js|png|svg)', page.read_text())


@pytest.mark.slow
def test_incremental_and_deterministic(built, tmp_path, cli):
    src, site, _ = built
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    again = cli("build", str(src), "-o", str(site))
    assert "0 rendered, 2 unchanged" in again.err
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    # a fresh build elsewhere gives the same bytes
    other = tmp_path / "other"
    cli("build", str(src), "-o", str(other))
    for path, data in before.items():
        assert (other / path.relative_to(site)).read_bytes() == data, path
    # editing the datasheet re-renders it and the model card that shows its facts
    sheet = src / "credit" / "credit.datasheet.yaml"
    sheet.write_text(sheet.read_text().replace('version: "2.0"', 'version: "2.0.1"', 1))
    run = cli("build", str(src), "-o", str(site))
    assert "2 rendered, 0 unchanged" in run.err
    assert "2.0.1" in (site / "credit" / "credit.datasheet.html").read_text()
    # removing a card removes its page
    (src / "credit" / "copy.model-card.yaml").write_text((src / "credit" / "credit.model-card.yaml").read_text())
    cli("build", str(src), "-o", str(site))
    assert (site / "credit" / "copy.model-card.html").is_file()
    (src / "credit" / "copy.model-card.yaml").unlink()
    cli("build", str(src), "-o", str(site))
    assert not (site / "credit" / "copy.model-card.html").exists()
    assert "copy.model-card.html" not in json.loads((site / ".cardwright-site.json").read_text())["pages"]


def test_invalid_card_is_reported_and_fails_the_build(tmp_path, cli):
    (tmp_path / "broken.model-card.yaml").write_text("kind: model-card\nschema_version: 1\nmodel_details: {}\n")
    run = cli("build", str(tmp_path), "-o", str(tmp_path / "site"))
    assert run.code == 1
    assert "broken.model-card.yaml" in run.err
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_card_whose_results_were_edited_is_left_out_not_shown_as_not_computed(tmp_path, cli):
    """A results file changed after cardwright wrote it fails the build, and the card gets no
    page (a page would read "not computed yet"); a page built before is removed."""
    folder = credit_copy(tmp_path / "cards")
    site = tmp_path / "site"
    assert cli("build", str(folder.parent), "-o", str(site)).code == 0
    assert (site / "credit" / "credit.model-card.html").is_file()
    results = folder / "credit.model-card.results.json"
    text = results.read_text(encoding="utf-8")
    at = text.index('"value": 0.') + len('"value": 0.')
    results.write_text(text[:at] + ("1" if text[at] != "1" else "2") + text[at + 1:], encoding="utf-8")
    run = cli("build", str(folder.parent), "-o", str(site))
    said = run.out + run.err
    assert run.code == 1 and "tampered-results" in said and "left out of the site" in said, said
    assert not (site / "credit" / "credit.model-card.html").exists()
    assert "credit.model-card.html" not in (site / "index.html").read_text(encoding="utf-8")
    assert "1 failed" in said and "credit.model-card.html" not in said, said


def test_a_link_to_a_card_outside_the_folder_is_left_out_and_said(tmp_path, cli):
    """A card file that is a link leaving the folder being built is not read (as links to
    folders are not): the build says so, and no page is made from it."""
    elsewhere, folder = tmp_path / "elsewhere", tmp_path / "cards"
    elsewhere.mkdir()
    folder.mkdir()
    (folder / "linked.model-card.yaml").symlink_to(credit_copy(elsewhere) / "credit.model-card.yaml")
    run = cli("build", str(folder), "-o", str(tmp_path / "site"))
    said = run.out + run.err
    assert "linked.model-card.yaml" in said and "outside" in said, said
    assert not (tmp_path / "site" / "linked.model-card.html").exists()
    assert "Fernhill" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def _elements(xhtml: str) -> list[str]:
    declared = " ".join(f'xmlns:{k}="{v}"' for k, v in NAMESPACES.items())
    root = ET.fromstring(f"<root {declared}>{xhtml}</root>")
    reverse = {v: k for k, v in NAMESPACES.items()}
    out = []
    for el in root.iter():
        tag = el.tag
        if tag.startswith("{"):
            ns, local = tag[1:].split("}")
            tag = f"{reverse[ns]}:{local}"
        out.append(tag)
    return out[1:]


def test_confluence_storage_format_is_well_formed_and_allowed(tmp_path, cli):
    folder = credit_copy(tmp_path)
    out = tmp_path / "page.xml"
    run = cli("render", str(folder / "credit.model-card.yaml"), "--to", "confluence", "-o", str(out))
    assert run.code == 0, run.err
    xhtml = out.read_text()
    tags = _elements(xhtml)  # raises when not well-formed XML
    assert set(tags) <= set(ALLOWED) | MACRO_ELEMENTS
    assert {"h1", "h2", "table", "ac:image", "ri:attachment"} <= set(tags)
    assert "&nbsp;" not in xhtml and "<br>" not in xhtml
    # every chart is an attachment beside the page, and every attachment is referenced
    attached = sorted(p.name for p in (tmp_path / "page.xml.attachments").iterdir())
    referenced = sorted(re.findall(r'ri:filename="([^"]+)"', xhtml))
    assert attached == referenced and len(attached) > 0
    for name in attached:
        ET.parse(tmp_path / "page.xml.attachments" / name)  # the SVG charts are XML too
    # the numbers are the renderer's: the overall accuracy row is there
    assert re.search(r"<th>Accuracy</th><td>0\.7\d\d", xhtml)


def test_confluence_rewrite_of_hostile_html():
    html = (
        '<body><p>a&nbsp;b &rsquo; <br> <script>alert(1)</script><span style="x">s</span></p>'
        '<details><summary>More</summary><dl><dt>Term</dt><dd>Def &amp; more</dd></dl></details>'
        '<a href="javascript:alert(1)">x</a><a href="https://example.com/?a=1&amp;b=2">ok</a>'
        '<img src="http://tracker.example/pixel.png"><table><caption>C</caption><thead><tr><th>h</th></tr></thead>'
        '<tbody><tr><td colspan="2" class="num">1</td></tr></tbody></table>\x0b</body>'
    )
    xhtml, attachments = html_to_storage(html)
    assert storage_problems(xhtml) == []
    assert attachments == {}
    assert "script" not in xhtml and "javascript" not in xhtml and "tracker" not in xhtml
    assert "a\u00a0b \u2019 <br/>" in xhtml
    assert '<a href="https://example.com/?a=1&amp;b=2">ok</a>' in xhtml
    assert '<td colspan="2">1</td>' in xhtml
    assert "<p><strong>C</strong></p><table><tbody><tr><th>h</th></tr><tr>" in xhtml


def test_storage_problems_detects_bad_markup():
    assert storage_problems("<p>a<br></p>")[0].startswith("not well-formed XML")
    assert storage_problems("<p>&nbsp;</p>")[0].startswith("not well-formed XML")
    assert storage_problems("<div>x</div>") == ["element <div> is not allowed"]


def test_the_gates_column_tells_blocking_failures_from_failed_warning_gates():
    """A failed warning gate is reported apart (class ``warn``), never as a plain failure that the
    "Only failing gates" filter (``fail``) would select."""
    import cardwright
    from cardwright.workflows.site import _Entry, _gates

    card = cardwright.load(EXAMPLES / "credit" / "credit.model-card.yaml")
    results = cardwright.load_results(card)
    race = next(g for g in results.gates if g.severity == "warning")
    other = next(g for g in results.gates if g.severity is None)

    def column(*gates):
        return _gates(_Entry(Path("x"), "x.html", card, results.model_copy(update={"gates": list(gates)})))

    assert column(race, other) == ("1 warning gate failed (of 2; none blocking)", "warn")
    blocking = other.model_copy(update={"passed": False})
    assert column(race, blocking) == ("1 of 2 failed; 1 warning gate failed", "fail")
    assert column(other) == ("all 1 passed", "pass")
    assert not race.passed and other.passed
