"""`--strict` checks: is the card finished?  Empty required prose, placeholders, raw HTML."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..errors import Finding
from ._base import ProseKind

if TYPE_CHECKING:
    from .card import Card

Loc = tuple[str | int, ...]
Add = Callable[[Loc, str, str, "str | None"], None]

PLACEHOLDERS = re.compile(
    r"\b(?:TODO|TBD|TBA|FIXME|XXX)\b|\[?More Information Needed\]?|lorem ipsum|\bfill (?:this |me )?in\b|<insert[^>]*>",
    re.IGNORECASE,
)
_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>|<!--")


def _prose_kind(field: FieldInfo) -> ProseKind | None:
    return next((m for m in field.metadata if isinstance(m, ProseKind)), None)


@dataclass(frozen=True)
class TextField:
    """A text value of a card (or an unanswered prose field) and where it is."""

    loc: tuple[str | int, ...]
    value: str | None
    field: FieldInfo
    prose: ProseKind | None
    """Set for prose fields (not for list items, which are names or identifiers)."""

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.loc)


_NOT_AUTHORED = ("extensions", "schema_ref", "extensions_schema")


def text_fields(model: BaseModel, loc: tuple[str | int, ...] = ()) -> Iterator[TextField]:
    """Every text value in a card, depth first in schema order, and every prose field even when
    it is unanswered; free-form `extensions` are the author's own and are not walked."""
    for name, field in type(model).model_fields.items():
        if name in _NOT_AUTHORED:
            continue
        value = getattr(model, name)
        here = (*loc, field.alias or name)
        kind = _prose_kind(field)
        if isinstance(value, str) or (value is None and kind is not None):
            yield TextField(here, value, field, kind)
        elif isinstance(value, BaseModel):
            yield from text_fields(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from text_fields(item, (*here, i))
                elif isinstance(item, str):
                    yield TextField((*here, i), item, field, None)


def completeness_findings(card: Card, path: str) -> list[Finding]:
    """Every unfinished part of a valid card, positioned in its source file."""
    out: list[Finding] = []

    def add(loc: tuple[str | int, ...], code: str, message: str, hint: str | None) -> None:
        line, col = card.locate(loc)
        out.append(Finding(path, code, message, line=line, column=col, hint=hint, loc=loc))

    for t in text_fields(card):
        if t.prose is not None and t.prose.required and (t.value is None or not t.value.strip()):
            guidance = (t.field.description or "").split("\n")[0]
            add(t.loc, "empty-prose", f"`{t.dotted}` is empty", guidance or None)
        elif t.value is not None:
            _check_text(t.value, t.loc, t.dotted, t.field, t.prose is not None, add)
    if card.kind == "datasheet":
        from .datasheet import people_question_findings

        people = [f for f in people_question_findings(card, strict=True) if f.code == "missing-answer"]
        # The people rule says more than "empty": it replaces the generic finding.
        where = {tuple(f.loc) for f in people}
        out = [f for f in out if not (f.code == "empty-prose" and f.loc in where)]
        for f in people:
            add(tuple(f.loc), f.code, f.message, f.hint)
    return out


def _check_text(value: str, loc: Loc, dotted: str, field: FieldInfo, prose: bool, add: Add) -> None:
    match = PLACEHOLDERS.search(value)
    description = (field.description or "").strip()
    if match:
        add(loc, "placeholder", f"`{dotted}` holds placeholder text {match.group(0)!r}",
            "replace it with the real answer (or remove the field if it is optional)")
    elif description and value.strip() == description:
        add(loc, "placeholder", f"`{dotted}` repeats the scaffold's guidance", "write the real answer")
    if prose and _RAW_HTML.search(value):
        add(loc, "raw-html", f"`{dotted}` contains raw HTML, which is never rendered",
            "use Markdown instead (e.g. **bold**, [link](https://…), lists)")
