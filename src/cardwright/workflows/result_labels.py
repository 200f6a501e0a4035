"""How the exports name what sets a computed result row apart: its slice (``sex=female, race=black``),
and besides it the row's evaluation, class and operating point (``evaluation holdout-2024; class
setosa; threshold 0.5``), so rows that differ only in those never look alike in an export."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..schema.results import ResultRow


def slice_text(s: dict[str, str]) -> str:
    """``sex=female, race=black`` (empty for the whole dataset)."""
    return ", ".join(f"{k}={v}" for k, v in s.items())


def value_text(v: str | float) -> str:
    """A class as given; a threshold as the shortest text that reads back as the same number."""
    return v if isinstance(v, str) else repr(float(v))


def qualifiers(row: ResultRow) -> dict[str, str | float]:
    """A row's class and threshold, where it has them (in that order)."""
    out: dict[str, str | float] = {}
    if row.class_ is not None:
        out["class"] = row.class_
    if row.threshold is not None:
        out["threshold"] = row.threshold
    return out


def qualifier_words(row: ResultRow, *, evaluation: bool) -> list[str]:
    """``["evaluation holdout", "class setosa", "threshold 0.5"]``: what the row has of them."""
    words = [f"evaluation {row.evaluation}"] if evaluation and row.evaluation is not None else []
    return words + [f"{k} {value_text(v)}" for k, v in qualifiers(row).items()]
