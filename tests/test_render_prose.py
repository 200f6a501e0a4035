"""Prose fields: Markdown in, sanitized output; hostile input always comes out inert."""

from __future__ import annotations

import re

import pytest

from cardwright._render.api import render
from cardwright._render.prose import markdown_prose, markdown_to_html, md_cell
from render_helpers import RENDER_FIXTURES, hostile

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<details open ontoggle=alert(1)>",
    '<div style="background:url(javascript:alert(1))">',
    "<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror=alert(1)></style></mtext></svg></mglyph></math>",
    "<<script>script>alert(1)<</script>/script>",
]


def _live_markup(html: str) -> list[str]:
    """Elements and attributes in HTML that a browser could execute or load (parsed, not grepped:
    escaped text that merely looks like a tag is harmless)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "object", "embed", "style", "svg", "math", "details", "link", "meta"):
                found.append(tag)
            for name, value in attrs:
                v = re.sub(r"[\x00-\x20]", "", value or "").lower()
                if name.startswith("on") or name == "style":
                    found.append(f"{tag}[{name}]")
                if name in ("href", "src") and v.startswith(("javascript:", "vbscript:", "data:text")):
                    found.append(f"{tag}[{name}={v[:20]}]")
                if tag == "img" and name == "src" and not v.startswith("data:image/"):
                    found.append(f"img[src={v[:30]}]")

    Scan(convert_charrefs=True).feed(html)
    return found


@pytest.mark.parametrize("payload", XSS)
def test_html_prose_never_carries_live_markup(payload):
    html = markdown_to_html(f"Before {payload} after\n\n{payload}")
    assert _live_markup(html) == []
    assert "Before" in html and "after" in html


@pytest.mark.parametrize("payload", XSS)
def test_markdown_prose_escapes_raw_html_and_drops_script_links(payload):
    md = markdown_prose(payload)
    # Re-rendered by a CommonMark renderer that passes raw HTML (as GitHub's would before its
    # own sanitizer), the result still carries nothing live.
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(md)
    assert _live_markup(html) == []


def test_template_syntax_in_a_field_renders_as_written():
    for fmt in ("md", "html"):
        text = render(hostile(), to=fmt)
        assert "{{ 7*7 }}" in text and "{% if true %}yes{% endif %}" in text
        assert "49" not in text


def test_tables_in_prose_become_html_tables():
    html = markdown_to_html("| a | b |\n|---|:-:|\n| 1 | 2 |")
    assert "<th>a</th>" in html and '<td style="text-align:center">2</td>' in html


def test_headings_in_prose_nest_under_the_field_heading():
    assert markdown_to_html("# Top\n\n###### Deep", heading_offset=3).startswith("<h4>Top</h4>")
    assert "<h6>Deep</h6>" in markdown_to_html("###### Deep", heading_offset=3)
    assert markdown_prose("# Top\n```\n# not a heading\n```", heading_level=3) == "#### Top\n```\n# not a heading\n```"


def test_images_only_from_the_card_folder_inlined_as_data_uris():
    html = markdown_to_html(
        "![pixel](pixel.png) ![far](../../../../../etc/passwd.png) ![net](http://169.254.169.254/x.png)",
        base_dir=RENDER_FIXTURES,
    )
    srcs = re.findall(r'src="([^"]*)"', html)
    assert len(srcs) == 1 and srcs[0].startswith("data:image/png;base64,iVBORw0KGgo")
    assert "[image: far]" in html and "[image: net]" in html


def test_images_without_a_card_folder_are_dropped():
    assert "<img" not in markdown_to_html("![pixel](pixel.png)", base_dir=None)


def test_links_keep_safe_schemes_with_rel_noopener():
    html = markdown_to_html("[site](https://example.com) [mail](mailto:a@example.com) [here](#top)")
    assert 'href="https://example.com"' in html and 'href="mailto:a@example.com"' in html
    assert 'href="#top"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_markdown_table_cells_escape_structure():
    assert md_cell("a | b\n# c *d* [e](f) <g>") == r"a \| b \# c \*d\* \[e\](f) \<g\>"


def test_markdown_output_keeps_code_spans_and_autolinks():
    assert markdown_prose("`<b>` and <https://example.com>") == "`<b>` and <https://example.com>"


def test_the_live_markup_detector_itself_sees_live_markup():
    assert _live_markup('<img src=x onerror="alert(1)"><a href=" javascript:x">a</a><script></script>') == [
        "img[src=x]", "img[onerror]", "a[href=javascript:x]", "script",
    ]  # fmt: skip
    assert _live_markup("&lt;script&gt; <p>text</p>") == []
