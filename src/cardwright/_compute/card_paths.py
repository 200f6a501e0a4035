"""Where a card's findings point and where its results file lives: what `validate` needs of a
card without loading the computing machinery."""

from __future__ import annotations

from pathlib import Path

from ..errors import Finding
from ..schema.card import Card
from ..schema.computation import Loc


def card_display(card: Card) -> str:
    """The card's file as findings name it: relative to the working folder when inside it."""
    src = card.source_path
    if src is None:
        return "<card>"
    return str(src.relative_to(Path.cwd())) if src.is_relative_to(Path.cwd()) else str(src)


def card_finding(card: Card, loc: Loc, code: str, message: str, hint: str) -> Finding:
    """A finding positioned at ``loc`` in ``card``."""
    line, col = card.locate(loc)
    return Finding(card_display(card), code, message, line=line, column=col, hint=hint, loc=loc)


def results_path(card: Card) -> Path:
    """The card's `results:` file, or ``<card file stem>.results.json`` beside the card.

    The folders on the way are resolved, the file itself is not: a link there is refused by the
    writer instead of followed."""
    comp = card.computation
    if comp is not None and comp.results:
        named = card.base_dir / comp.results
        return named.parent.resolve() / named.name
    src = card.source_path
    if src is None:
        return Path.cwd() / "card.results.json"
    name = src.name
    for suffix in (".yaml", ".yml"):
        name = name.removesuffix(suffix)
    return src.with_name(name + ".results.json")
