"""A README body as headed sections, and those sections mapped onto card fields by heading.

Headings are matched case-insensitively, ignoring ``[optional]``, numbering, emphasis and a
trailing colon.  A subsection whose heading has no mapping of its own inherits its parent's, and
is kept under its own heading inside that field.  HTML comments (template guidance) are dropped;
everything else is kept: a section whose heading maps nowhere goes, with its heading, to the
card's ``notes`` and is listed as not mapped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FENCE = re.compile(r"^\s*(```|~~~)")

Target = tuple[str, ...]
"""Where a section's text goes: ``(section, field)`` in the card, or a special target."""


@dataclass
class Part:
    """One headed section of the body (``level`` 0 and heading ``""`` for text before any heading)."""

    level: int
    heading: str
    text: str
    line: int
    """Line of the heading in the README (1-based)."""


@dataclass
class Placed:
    """The text each target received, and what was mapped nowhere."""

    fields: dict[Target, list[str]] = field(default_factory=dict)
    unmapped: list[Part] = field(default_factory=list)
    title: str | None = None


def drop_comments(text: str) -> str:
    """The text without HTML comments (outside code fences)."""
    out: list[str] = []
    buf: list[str] = []
    fence = False
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            if not fence:
                out.append(_COMMENT.sub("", "".join(buf)))
                buf = []
            fence = not fence
            out.append(line)
            continue
        (out if fence else buf).append(line)
    out.append(_COMMENT.sub("", "".join(buf)))
    return "".join(out)


def split_sections(body: str, first_line: int = 1) -> list[Part]:
    """Every section in order; headings inside code fences are text."""
    parts: list[Part] = []
    level, heading, start, fence = 0, "", first_line, False
    lines: list[str] = []
    raw = body.splitlines()
    for i, line in enumerate(raw):
        if _FENCE.match(line):
            fence = not fence
        m = None if fence else _HEADING.match(line)
        if m is None and not fence and i + 1 < len(raw) and line.strip() and _SETEXT.match(raw[i + 1]) \
                and not line.lstrip().startswith(("-", "*", "|", ">")):
            m = re.match(r"^()(.*)$", line.strip())
            setext_level = 1 if raw[i + 1].strip().startswith("=") else 2
        else:
            setext_level = 0
        if m is not None:
            parts.append(Part(level, heading, "\n".join(lines).strip("\n"), start))
            level = setext_level or len(m.group(1))
            heading, start, lines = m.group(2).strip(), first_line + i, []
            if setext_level:
                raw[i + 1] = ""
            continue
        lines.append(line)
    parts.append(Part(level, heading, "\n".join(lines).strip("\n"), start))
    return [p for p in parts if p.heading or p.text.strip()]


def normalize(heading: str) -> str:
    """``## 1. Bias, Risks, and Limitations [optional]:`` → ``bias, risks, and limitations``."""
    h = re.sub(r"\[optional\]", "", heading, flags=re.I)
    h = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", h)  # links keep their text
    h = re.sub(r"[*_`]", "", h)
    h = re.sub(r"^\s*(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+", "", h, flags=re.I)
    h = re.sub(r"^[^\w\[(]+", "", h)  # leading emoji and symbols
    return re.sub(r"\s+", " ", h).strip().rstrip(":").strip().lower()


def place(parts: list[Part], headings: Mapping[str, Target], *, intro: Target | None = None) -> Placed:
    """Each part's text into the field its heading (or its nearest mapped ancestor's) names.  The
    first level-1 heading is the title; text before any heading goes to ``intro``."""
    out = Placed()
    stack: list[tuple[int, Target | None]] = []
    for part in parts:
        if part.level == 1 and out.title is None and part.heading:
            out.title = part.heading
            stack = [(1, None)]  # the title holds everything: its sections inherit nothing from it
            if part.text.strip() and intro is not None:
                out.fields.setdefault(intro, []).append(part.text)
            continue
        while stack and stack[-1][0] >= part.level:
            stack.pop()
        key = normalize(part.heading)
        own = headings.get(key) if part.heading else intro
        inherited = next((t for _, t in reversed(stack) if t is not None), None)
        target = own or inherited
        stack.append((part.level, target))
        if not part.text.strip():
            continue
        if target is None:
            out.unmapped.append(part)
            continue
        text = part.text if own is not None or not part.heading else f"**{part.heading.strip()}**\n\n{part.text}"
        out.fields.setdefault(target, []).append(text)
    return out


def joined(chunks: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(c.strip("\n") for c in chunks if c.strip())).strip()


def notes_text(parts: list[Part]) -> str:
    """Unmapped sections as Markdown, each under its own heading."""
    return joined([f"### {p.heading}\n\n{p.text}" if p.heading else p.text for p in parts])
