"""Invisible controls made visible in what a reader sees.

Bidirectional controls (U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F and U+061C) in a
group label, a column name or prose reorder the text around them on screen ("Trojan Source"): a
label can show as another label, a number as another number.  No template writes them, so any in
a Markdown, HTML or PDF page came from the card or its data; each is shown as its code point
(``⟨U+202E⟩``), so the reader sees the text in its order and sees that a control was there.  The
JSON render and the results file keep the text exactly as it is.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def visible_controls(text: str) -> str:
    """``text`` with every bidirectional control written as ``⟨U+XXXX⟩``."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
