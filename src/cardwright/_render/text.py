"""Text helpers every part of a render shares: names made readable, stable anchors, numbers
and intervals formatted, slices labelled."""

from __future__ import annotations

import re
from typing import Any

SUPPRESSED = "suppressed †"

_ACRONYMS = {
    "roc": "ROC",
    "auc": "AUC",
    "url": "URL",
    "id": "ID",
    "doi": "DOI",
    "spdx": "SPDX",
    "ai": "AI",
    "sha256": "SHA-256",
    "csv": "CSV",
    "pii": "PII",
    "faq": "FAQ",
    "co2": "CO₂",
}


#: One spelling throughout (British, as the schema's own guidance): field names keep theirs.
_SPELLING = {
    "license": "licence",
    "licenses": "licences",
    "organization": "organisation",
    "organizations": "organisations",
    "color": "colour",
    "behavior": "behaviour",
    "center": "centre",
}


def humanize(name: str) -> str:
    """``false_positive_rate`` → ``False positive rate``; ``roc_auc`` → ``ROC AUC``; ``license``
    → ``Licence`` (one spelling in everything a reader sees)."""
    words = [_SPELLING.get(w, w) for w in str(name).replace("-", "_").split("_") if w]
    out = [_ACRONYMS.get(w.lower(), w) for w in words]
    if out and out[0] == words[0]:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def anchor(*parts: object) -> str:
    """A stable HTML id from readable parts."""
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list) and not value:
        return "none"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != value:  # NaN
            return "n/a"
        return decimal(value, digits)
    return str(value)


def decimal(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` places with a true minus sign (``−0.052``); a value that rounds to
    zero has none (``0.000``, not ``−0.000``)."""
    text = f"{value:.{digits}f}"
    if not text.startswith("-"):
        return text
    return text[1:] if float(text) == 0 else "\u2212" + text[1:]


def metric_value(metric: str, value: Any) -> str:
    """A metric's value as a reader sees it: a count (``count``, the slice's rows) as a whole
    number, every other value to three decimals."""
    if metric == "count" and isinstance(value, float) and value.is_integer():
        return fmt(int(value))
    return fmt(value)


MINUS = "\u2212"


def minus(text: str) -> str:
    """A number's text with a true minus sign: ``−0.010``."""
    return MINUS + text[1:] if text.startswith("-") else text


def interval(low: float, high: float, number: Any = fmt) -> str:
    """``−0.538 to 0.155``: how every interval reads (``number`` formats each end)."""
    return f"{minus(number(low))} to {minus(number(high))}"


def slice_label(s: dict[str, Any], keys: list[str]) -> str:
    return " × ".join(str(s[k]) for k in keys)
