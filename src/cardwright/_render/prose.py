"""Prose fields: Markdown in, sanitized HTML (or GitHub-safe Markdown) out.

HTML: markdown-it-py in CommonMark mode with tables and ``html=False`` (raw HTML in a field is
shown as text, never passed through), then an nh3 allow-list.  Images are kept only when they
come from the card's own folder (inlined as ``data:`` URIs so the page stays self-contained) or
are ``data:image/…`` URIs already; anything else becomes its alt text.

Markdown: the author's Markdown is kept, but raw HTML is escaped, headings are pushed below the
section heading they sit under, and table cells are escaped so a ``|`` cannot break a table.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterable, Iterator
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "s",
}
_ALLOWED_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "code": {"class"},
}
_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
_MAX_IMAGE_BYTES = 5 * 1024 * 1024
_SAFE_HREF = re.compile(r"^(https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
_SAFE_STYLE = re.compile(r"^text-align:(left|right|center)$")


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    return md


def _inline_image(src: str, base_dir: Path | None) -> str | None:
    """A ``data:`` URI for an image inside ``base_dir``; ``None`` when it may not be shown."""
    if src.lower().startswith("data:image/") and not src.lower().startswith("data:image/svg"):
        return src
    if base_dir is None or ":" in src.split("/")[0] or src.startswith(("/", "\\")):
        return None
    base = base_dir.resolve()
    path = (base / src.split("#")[0].split("?")[0]).resolve()
    mime = _IMAGE_TYPES.get(path.suffix.lower())
    if mime is None or not path.is_relative_to(base) or not path.is_file():
        return None
    if path.stat().st_size > _MAX_IMAGE_BYTES:
        return None
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _refused_image(src: str, base_dir: Path | None) -> None:
    from ..errors import BlockedResourceWarning, Finding, warn

    warn(Finding(str(base_dir or "<card>"), "blocked-resource",
                 f"refused image {src[:200]!r}: only images inside the card's folder are shown",
                 severity="warning", hint="put the image beside the card and refer to it by a relative path"),
         BlockedResourceWarning)


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href":
        return value if _SAFE_HREF.match(value) else None
    if tag == "img" and attr == "src":
        return value if value.startswith("data:image/") else None
    if attr == "style":
        return value if _SAFE_STYLE.match(value.replace(" ", "")) else None
    if tag == "code" and attr == "class":
        return value if re.fullmatch(r"language-[\w+-]+", value) else None
    return value


def sanitize_html(html: str) -> str:
    """Run HTML through the allow-list: no script, no event handlers, no ``javascript:``."""
    import nh3

    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def markdown_to_html(text: str | None, *, base_dir: Path | None = None, heading_offset: int = 0) -> str:
    """Render one prose field to sanitized HTML.  Headings written in the field are pushed down
    by ``heading_offset`` levels (capped at ``h6``) so they nest under the section heading."""
    if not text or not text.strip():
        return ""
    md = _parser()
    tokens = md.parse(text)
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close") and heading_offset:
            level = min(6, int(tok.tag[1]) + heading_offset)
            tok.tag = f"h{level}"
        if tok.type == "inline" and tok.children:
            kept = []
            for child in tok.children:
                if child.type == "image":
                    src = _inline_image(str(child.attrGet("src") or ""), base_dir)
                    if src is None:
                        # Not from the card's folder: keep the words, drop the fetch, say so.
                        _refused_image(str(child.attrGet("src") or ""), base_dir)
                        alt = "".join(c.content for c in (child.children or []))
                        from markdown_it.token import Token

                        repl = Token("text", "", 0)
                        repl.content = f"[image: {alt}]" if alt else "[image]"
                        kept.append(repl)
                        continue
                    child.attrSet("src", src)
                kept.append(child)
            tok.children = kept
    html = md.renderer.render(tokens, md.options, {})
    return _breakable_code(sanitize_html(html).strip())


_INLINE_CODE = re.compile(r"(?<!<pre>)<code>([^<]*)</code>")


def _breakable_code(html: str) -> str:
    """Inline code may break after ``_``, ``.`` and ``/`` (``quantitative_<wbr>analyses``), never
    inside a word: long identifiers wrap at their own boundaries."""
    return _INLINE_CODE.sub(lambda m: "<code>" + re.sub(r"([_./])(?=\w)", r"\1<wbr>", m.group(1)) + "</code>", html)


# ---------------------------------------------------------------------------------------------
# Markdown output

_MD_CELL_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!])")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def fenced(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each Markdown line with whether it belongs to a fenced code block (fences included)."""
    fence: str | None = None
    for line in lines:
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            yield line, True
        elif m:
            fence = m.group(1)
            yield line, True
        else:
            yield line, False
_ATX = re.compile(r"^(\s{0,3})(#{1,6})(\s|$)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+|mailto:[^\s<>]+)>")
_LINK_DEST = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(\s+\"[^\"]*\")?\s*\)")
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20]")


def md_cell(value: object) -> str:
    """Plain text made safe for one Markdown table cell (or a heading): every character with
    Markdown meaning is backslash-escaped and line breaks become spaces."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return _MD_CELL_SPECIAL.sub(r"\\\1", text)


def _escape_inline_html(line: str, base_dir: Path | None) -> str:
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(line):
        out.append(_escape_segment(line[pos : m.start()], base_dir))
        out.append(m.group(0))
        pos = m.end()
    out.append(_escape_segment(line[pos:], base_dir))
    return "".join(out)


def _md_link(m: re.Match[str], base_dir: Path | None) -> str:
    """A Markdown link or image kept, or made inert: no script schemes (entity-obfuscated or
    not), images only from the card's folder (a ``data:image`` URI cannot be shown on GitHub)."""
    bang, text, dest = m.group(1), m.group(2), m.group(3)
    plain = _CONTROL.sub("", html_unescape(dest))
    if bang:
        if _inline_image(dest, base_dir) is None or dest.lower().startswith("data:"):
            _refused_image(dest, base_dir)  # as the HTML render does: the reader's page loses it
            return f"\\[image: {text}\\]" if text else "\\[image\\]"
        return m.group(0)
    if _BAD_SCHEME.match(plain):
        return f"{text} (link removed)"
    return m.group(0)


def _escape_segment(seg: str, base_dir: Path | None) -> str:
    keep: list[str] = []

    def stash_text(text: str) -> str:
        keep.append(text)
        return f"\x00{len(keep) - 1}\x00"

    def stash(m: re.Match[str]) -> str:
        return stash_text(m.group(0))

    seg = _AUTOLINK.sub(stash, seg)
    seg = _LINK_DEST.sub(lambda m: stash_text(_md_link(m, base_dir)), seg)
    seg = seg.replace("<", "\\<").replace(">", "\\>")
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], seg)


def markdown_prose(text: str | None, *, heading_level: int = 3, base_dir: Path | None = None) -> str:
    """A prose field as Markdown for GitHub/GitLab: raw HTML escaped (shown, never interpreted),
    ``javascript:``-style links neutralised, and headings demoted below ``heading_level``."""
    if not text or not text.strip():
        return ""
    out: list[str] = []
    for line, code in fenced(text.strip("\n").splitlines()):
        if code:
            out.append(line)
            continue
        if line.startswith(("    ", "\t")) and (not out or not out[-1].strip()):
            out.append(line)  # an indented code block
            continue
        h = _ATX.match(line)
        if h:
            level = min(6, len(h.group(2)) + heading_level)
            line = h.group(1) + "#" * level + line[h.end(2) :]
        out.append(_escape_inline_html(line, base_dir))
    return "\n".join(out).rstrip()
