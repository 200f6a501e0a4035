"""`--strict` checks: is the card finished?  Empty required prose, placeholders, raw HTML."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from ..errors import Finding
from ._base import ProseKind

PLACEHOLDERS = re.compile(
    r"\b(?:TODO|TBD|TBA|FIXME|XXX)\b|\[More Information Needed\]|lorem ipsum|\bfill (?:this |me )?in\b|<insert[^>]*>",
    re.IGNORECASE,
)
_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>|<!--")


def _prose_kind(field: Any) -> ProseKind | None:
    return next((m for m in field.metadata if isinstance(m, ProseKind)), None)


def completeness_findings(card: BaseModel, path: str) -> list[Finding]:
    """Every unfinished part of a valid card, positioned in its source file."""
    out: list[Finding] = []

    def add(loc: tuple[str | int, ...], code: str, message: str, hint: str | None) -> None:
        line, col = card.locate(loc)  # type: ignore[attr-defined]
        out.append(Finding(path, code, message, line=line, column=col, hint=hint, loc=loc))

    def walk(model: BaseModel, loc: tuple[str | int, ...]) -> None:
        for name, field in type(model).model_fields.items():
            if name == "extensions":
                continue
            value = getattr(model, name)
            here = (*loc, field.alias or name)
            dotted = ".".join(str(p) for p in here)
            kind = _prose_kind(field)
            if kind is not None and kind.required and (value is None or not value.strip()):
                guidance = (field.description or "").split("\n")[0]
                add(here, "empty-prose", f"`{dotted}` is empty", guidance or None)
            elif isinstance(value, str):
                _check_text(value, here, dotted, field, kind is not None, add)
            elif isinstance(value, BaseModel):
                walk(value, here)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, BaseModel):
                        walk(item, (*here, i))
                    elif isinstance(item, str):
                        _check_text(item, (*here, i), f"{dotted}.{i}", field, False, add)

    walk(card, ())
    if getattr(card, "kind", None) == "datasheet":
        from .datasheet import people_question_findings

        people = [f for f in people_question_findings(card, strict=True) if f.code == "missing-answer"]  # type: ignore[arg-type]
        # The people rule says more than "empty": it replaces the generic finding.
        where = {tuple(f.loc) for f in people}
        out = [f for f in out if not (f.code == "empty-prose" and f.loc in where)]
        for f in people:
            add(tuple(f.loc), f.code, f.message, f.hint)
    return out


def _check_text(value: str, loc: tuple[str | int, ...], dotted: str, field: Any, prose: bool, add: Any) -> None:
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
