"""Exports are marked, so `cardwright export` replaces only its own output, unchanged.

An export goes where other tools look (a Hugging Face ``README.md``, a ``.cdx.json`` beside the
card), where a hand-written file may already be.  So every export carries a mark with the SHA-256
of its content, and an existing file is replaced only when it carries a mark that matches its
content: cardwright wrote it and nobody edited it since.  Anything else (a hand-written README, an
export edited by hand) needs ``--force``.

* Markdown: the last line is ``<!-- cardwright export sha256:HEX -->``, HEX the SHA-256 of the
  UTF-8 text before that line (an HTML comment: invisible on the Hub and in Markdown viewers).
* JSON (CycloneDX): a top-level property ``{"name": "cardwright:export-sha256", "value": HEX}``,
  HEX the SHA-256 of the document's canonical JSON without that property (keys sorted, no
  whitespace), so re-indenting the file does not count as an edit, changing a value does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Literal

from .errors import CardwrightError, Finding

Format = Literal["markdown", "json"]
Ownership = Literal["own", "edited", "foreign"]

PROPERTY = "cardwright:export-sha256"
_MARK = re.compile(r"^<!-- cardwright export sha256:([0-9a-f]{64}) -->$", re.M)
_MAX_BYTES = 64 << 20


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def mark(text: str, fmt: Format) -> str:
    """``text`` with its export mark."""
    if fmt == "markdown":
        body = text if text.endswith("\n") else text + "\n"
        return f"{body}<!-- cardwright export sha256:{_sha(body)} -->\n"
    doc = json.loads(text)
    props = list(doc.get("properties", []))
    props.append({"name": PROPERTY, "value": _sha(_canonical(doc))})
    doc["properties"] = props
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def ownership(text: str, fmt: Format) -> Ownership:
    """Whether ``text`` is an export cardwright wrote (``own``), one it wrote that was changed
    since (``edited``), or something else (``foreign``)."""
    if fmt == "markdown":
        found = list(_MARK.finditer(text))
        if not found:
            return "foreign"
        last = found[-1]
        intact = text[last.end():] in ("", "\n") and _sha(text[: last.start()]) == last.group(1)
        return "own" if intact else "edited"
    try:
        doc = json.loads(text)
    except ValueError:
        return "foreign"
    props = doc.get("properties") if isinstance(doc, dict) else None
    marks = [p for p in props if isinstance(p, dict) and p.get("name") == PROPERTY] if isinstance(props, list) else []
    if not marks:
        return "foreign"
    rest = [p for p in props if p not in marks]  # type: ignore[union-attr]
    if rest:
        doc["properties"] = rest
    else:
        del doc["properties"]
    return "own" if marks[-1].get("value") == _sha(_canonical(doc)) else "edited"


def _read(path: Path) -> str | None:
    """The text of an existing regular file (``None`` when absent; too large or not text: ``""``)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_BYTES:
        return ""  # the writer refuses what is not a regular file; a huge file is nobody's export
    try:
        with open(path, "rb") as fh:
            return fh.read(_MAX_BYTES + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def check_overwrite(path: Path, fmt: Format, force: bool) -> None:
    """Refuse to replace ``path`` unless it is absent, cardwright's own unchanged export, or ``force``."""
    if force:
        return
    text = _read(path)
    if text is None:
        return
    state = ownership(text, fmt)
    if state == "own":
        return
    why = ("it was changed since cardwright exported it" if state == "edited"
           else "cardwright did not write it (it has no export mark)")
    raise CardwrightError(Finding(str(path), "output", f"the file exists and {why}; not overwriting it",
                                  hint="choose another path with -o, or add --force to replace it"))
