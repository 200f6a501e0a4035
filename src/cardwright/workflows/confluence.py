"""`render --to confluence`: a card as Confluence *storage format* (strict XHTML), for wikis that
take markup rather than files.

The card is rendered to HTML by :func:`cardwright.render` (already sanitised) and rewritten to the
elements storage format allows; anything else is unwrapped (its text kept) or dropped.  Charts
become SVG attachments referenced with ``<ac:image><ri:attachment/></ac:image>``; the page's
table of contents becomes Confluence's ``toc`` macro.  Text is written as Unicode with only the
five XML escapes (``&nbsp;``, ``&rsquo;`` and other HTML entities make Confluence reject the whole
page), and the result is parsed with an XML parser before it is returned.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from ..errors import Finding, OnWarning, RenderError

if TYPE_CHECKING:
    from ..schema.card import Card
    from ..schema.results import Results

NAMESPACES = {"ac": "http://atlassian.com/content", "ri": "http://atlassian.com/resource/identifier"}

#: Plain XHTML elements storage format accepts, with the attributes kept on each.
ALLOWED: dict[str, tuple[str, ...]] = {
    **{t: () for t in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "u", "s", "del", "sub", "sup",
                        "code", "pre", "blockquote", "ul", "ol", "li", "table", "tbody", "tr", "br", "hr")},
    "th": ("colspan", "rowspan"),
    "td": ("colspan", "rowspan"),
    "a": ("href", "title"),
}
#: Confluence elements this renderer emits.
MACRO_ELEMENTS = {"ac:image", "ri:attachment", "ac:structured-macro", "ac:parameter"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "source", "wbr"}
_DROP = {"head", "script", "style", "title", "template", "noscript", "button", "form", "input", "meta", "link"}
_RENAME = {"b": "strong", "i": "em", "thead": "tbody", "strike": "s", "kbd": "code", "samp": "code", "tt": "code"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "ul", "ol", "table", "hr", "div",
           "section", "figure", "dl", "ac:image"}
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs = tag, attrs
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


class _Writer:
    def __init__(self, charts: list[str]):
        self.charts = charts
        self.attachments: dict[str, bytes] = {}
        self.parts: list[str] = []

    def text(self, s: str) -> None:
        self.parts.append(escape(_XML_BAD.sub("", s)))

    def open(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        extra = "".join(f" {k}={quoteattr(_XML_BAD.sub('', v))}" for k, v in (attrs or {}).items())
        self.parts.append(f"<{tag}{extra}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def image(self, filename: str, data: bytes, alt: str) -> None:
        self.attachments[filename] = data
        self.parts.append(f"<ac:image ac:alt={quoteattr(_XML_BAD.sub('', alt))}>"
                          f"<ri:attachment ri:filename={quoteattr(filename)}/></ac:image>")

    def children(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.text(child)
            else:
                self.node(child)

    def node(self, n: _Node) -> None:
        tag = _RENAME.get(n.tag, n.tag)
        if tag in _DROP:
            return
        special = {"cw-chart": self._chart, "img": self._img, "nav": self._toc, "table": self._table,
                   "caption": self._strong_paragraph, "summary": self._strong_paragraph, "dt": self._strong_paragraph,
                   "figcaption": self._emphasised_paragraph, "dd": self._description}.get(tag)
        if special is not None:
            special(n)
            return
        if tag == "a" and not re.match(r"^(https?:|mailto:)", n.attrs.get("href", ""), re.I):
            self.children(n)  # in-page anchors and relative links have no target on a wiki
            return
        if tag not in ALLOWED:
            self.children(n)  # unwrap: keep the content, drop the element
            return
        attrs = {k: v for k, v in n.attrs.items() if k in ALLOWED[tag]}
        if tag in ("br", "hr"):
            self.parts.append(f"<{tag}/>")
            return
        self.open(tag, attrs)
        self.children(n)
        self.close(tag)

    def _chart(self, n: _Node) -> None:
        i = int(n.attrs.get("data-i", "0"))
        svg = self.charts[i]
        title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
        alt = re.sub(r"<[^>]+>", "", title.group(1)).strip() if title else f"chart {i + 1}"
        self.image(f"chart-{i + 1:02d}.svg", svg.encode("utf-8"), alt)

    def _toc(self, _n: _Node) -> None:
        self.parts.append('<ac:structured-macro ac:name="toc"><ac:parameter ac:name="maxLevel">2</ac:parameter>'
                          "</ac:structured-macro>")

    def _in_paragraph(self, n: _Node, inner: str) -> None:
        self.open("p")
        self.open(inner)
        self.children(n)
        self.close(inner)
        self.close("p")

    def _strong_paragraph(self, n: _Node) -> None:
        self._in_paragraph(n, "strong")

    def _emphasised_paragraph(self, n: _Node) -> None:
        self._in_paragraph(n, "em")

    def _description(self, n: _Node) -> None:
        blocky = any(isinstance(c, _Node) and c.tag in _BLOCKS for c in n.children)
        if not blocky:
            self.open("p")
        self.children(n)
        if not blocky:
            self.close("p")

    def _table(self, n: _Node) -> None:
        captions = [c for c in n.children if isinstance(c, _Node) and c.tag == "caption"]
        for c in captions:
            self.node(c)
        self.open("table")
        self.open("tbody")
        for row in _rows(n):
            self.node(row)
        self.close("tbody")
        self.close("table")

    def _img(self, n: _Node) -> None:
        src = n.attrs.get("src", "")
        m = re.match(r"^data:image/([a-z0-9.+-]+)(;base64)?,(.*)$", src, re.S | re.I)
        if not m:
            return  # only images the renderer inlined (from the card's folder) are kept
        ext = {"svg+xml": "svg", "jpeg": "jpg"}.get(m.group(1).lower(), m.group(1).lower())
        raw = m.group(3)
        try:
            data = base64.b64decode(raw) if m.group(2) else raw.encode("utf-8")
        except ValueError:
            return
        self.image(f"image-{len(self.attachments) + 1:02d}.{ext}", data, n.attrs.get("alt", ""))


def _rows(table: _Node) -> list[_Node]:
    out: list[_Node] = []
    for child in table.children:
        if isinstance(child, _Node):
            if child.tag == "tr":
                out.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                out.extend(c for c in child.children if isinstance(c, _Node) and c.tag == "tr")
    return out


def html_to_storage(html: str) -> tuple[str, dict[str, bytes]]:
    """Rewrite rendered HTML as storage-format XHTML; returns the body and its attachments."""
    charts: list[str] = []

    def keep_chart(m: re.Match[str]) -> str:
        charts.append(m.group(0))
        return f'<cw-chart data-i="{len(charts) - 1}"></cw-chart>'

    body = html.split("<body", 1)[1].split(">", 1)[1] if "<body" in html else html
    builder = _TreeBuilder()
    builder.feed(_SVG.sub(keep_chart, body))
    builder.close()
    writer = _Writer(charts)
    writer.children(builder.root)
    text = re.sub(r"\n{3,}", "\n\n", "".join(writer.parts)).strip() + "\n"
    return text, writer.attachments


def storage_problems(xhtml: str) -> list[str]:
    """Why Confluence would refuse ``xhtml`` (not well-formed XML, or elements it does not allow)."""
    import xml.etree.ElementTree as ET

    declared = " ".join(f'xmlns:{k}="{v}"' for k, v in NAMESPACES.items())
    try:
        root = ET.fromstring(f"<cw-root {declared}>{xhtml}</cw-root>")
    except ET.ParseError as e:
        return [f"not well-formed XML: {e}"]
    reverse = {v: k for k, v in NAMESPACES.items()}
    problems = []
    for el in root.iter():
        if el is root:
            continue
        tag = el.tag
        if tag.startswith("{"):
            ns, local = tag[1:].split("}", 1)
            tag = f"{reverse.get(ns, ns)}:{local}"
        if tag not in ALLOWED and tag not in MACRO_ELEMENTS:
            problems.append(f"element <{tag}> is not allowed")
    return sorted(set(problems))


def render_confluence(card: Card, results: Results | None = None, *, template_dir: str | Path | None = None,
                      on_warning: OnWarning | None = None) -> tuple[str, dict[str, bytes]]:
    """A card as storage-format XHTML and its attachments (file name → bytes)."""
    from .. import render

    html = render(card, results, to="html", template_dir=template_dir, on_warning=on_warning)
    assert isinstance(html, str)
    xhtml, attachments = html_to_storage(html)
    problems = storage_problems(xhtml)
    if problems:
        raise RenderError(Finding(str(card.source_path or "<card>"), "output",
                                  f"the Confluence body would be refused: {problems[0]}",
                                  hint="a template override may emit elements storage format does not allow"))
    return xhtml, attachments


def render_confluence_files(card: Card, results: Results | None, target: Path | None, *, template_dir: str | Path | None = None,
                            echo: Callable[[str], None] = print, on_warning: OnWarning | None = None) -> str:
    """The body for ``target``; attachments are written to ``<target>.attachments/`` beside it
    (with no target, for standard output, charts are left out and said so)."""
    from .._io import atomic_write, refuse_linked_folder

    xhtml, attachments = render_confluence(card, results, template_dir=template_dir, on_warning=on_warning)
    if attachments:
        if target is None:
            echo(f"{len(attachments)} chart(s) not written: give -o FILE to write them as attachments")
        else:
            folder = target.with_name(target.name + ".attachments")
            refuse_linked_folder(folder)
            for name, data in sorted(attachments.items()):
                atomic_write(folder / name, data)
            echo(f"wrote {len(attachments)} attachment(s) to {folder}")
    return xhtml
