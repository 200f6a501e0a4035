"""Cards to Markdown that reads well on GitHub and GitLab: pipe tables, ordered heading levels,
no raw HTML needed (the only HTML is ``<!-- -->`` guidance for authors, which renders invisibly)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .env import ENTRY, make_env, render_template
from .prose import fenced
from .view import SECTION_BLOCKS, CardView


def _gh_anchor(text: str) -> str:
    """The id GitHub and GitLab give a heading."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _urlpart(url: str) -> str:
    return str(url).replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def md_filters(base_dir: Path | None = None) -> dict[str, Any]:
    from .prose import markdown_prose, md_cell

    return {
        "cell": md_cell,
        "prose": lambda text, level=3: markdown_prose(text, heading_level=level, base_dir=base_dir),
        "urlpart": _urlpart,
        "comment": lambda text: str(text).replace("--", "–"),
        "code": lambda text: str(text).replace("`", "'"),
        "gh_anchor": _gh_anchor,
    }


def render_markdown(
    view: CardView, *, card: Any = None, base_dir: Path | None = None, template_dir: str | Path | None = None
) -> str:
    """The Markdown page for ``view``; templates also get the ``card`` model itself."""
    env = make_env("md", template_dir, md_filters(base_dir))
    text = render_template(env, ENTRY["md"], view=view, card=card, section_blocks=SECTION_BLOCKS)
    return tidy_markdown(text)


def tidy_markdown(text: str) -> str:
    """At most one blank line in a row and no trailing spaces, except inside fenced code."""
    out: list[str] = []
    for line, code in fenced(text.splitlines()):
        if code:
            out.append(line)
            continue
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
