"""Cards to one self-contained HTML file: inline CSS and SVG, images inlined, no external requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .env import ENTRY, make_env, render_template
from .text import anchor
from .view import SECTION_BLOCKS, CardView


def html_filters(base_dir: Path | None) -> dict[str, Any]:
    from markupsafe import Markup

    from .prose import markdown_to_html

    def prose(text: str | None, level: int = 3) -> Markup:
        return Markup(markdown_to_html(text, base_dir=base_dir, heading_offset=level))

    def svg(text: str) -> Markup:
        return Markup(text)

    return {"prose": prose, "svg": svg, "anchor": anchor}


def render_html(
    view: CardView,
    *,
    card: Any = None,
    base_dir: Path | None,
    template_dir: str | Path | None = None,
    pdf: bool = False,
) -> str:
    """The HTML page for ``view`` (``pdf=True`` adds the paged-media styles and cover).  Templates
    also get the ``card`` model itself, for overrides that lay out ``extensions``."""
    env = make_env("html", template_dir, html_filters(base_dir))
    text = render_template(env, ENTRY["html"], view=view, card=card, pdf=pdf, section_blocks=SECTION_BLOCKS)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Drop the blank lines template control flow leaves behind (stable, smaller output);
    the inside of ``<pre>`` is left as it is."""
    out, in_pre = [], False
    for line in text.splitlines():
        if "<pre" in line:
            in_pre = True
        if in_pre or line.strip():
            out.append(line.rstrip() if not in_pre else line)
        if "</pre>" in line:
            in_pre = False
    return "\n".join(out) + "\n"
