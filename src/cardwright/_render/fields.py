"""Fields of a card as plain data: every value of a pydantic model, in declaration order, turned
into a :class:`FieldView` whose ``kind`` says how templates lay it out (prose, a short fact, a
link, items, a record, records, a table, a mapping, or a marked gap)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..schema._base import ProseKind
from .text import humanize, minus

MISSING = "[More information needed]"
_URLISH = re.compile(r"^(https?://\S+|mailto:\S+|[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,})$")


@dataclass
class FieldView:
    """One field: ``kind`` says how to lay it out."""

    key: str
    title: str
    guidance: str
    kind: str  # prose | text | link | items | record | records | table | mapping | missing
    value: str = ""
    items: list[Any] = field(default_factory=list)
    fields: list[FieldView] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    loc: str = ""

    @property
    def short(self) -> list[FieldView]:
        """A record's one-line values (text, links, lists of items)."""
        return [f for f in self.fields if f.kind in ("text", "link", "items")]

    @property
    def compact(self) -> bool:
        """A record that reads as one paragraph: short values, then at most one piece of prose."""
        rest = [f for f in self.fields if f.kind not in ("text", "link", "items")]
        return len(rest) <= 1 and all(f.kind in ("prose", "missing") for f in rest)


def guidance_of(info: Any) -> str:
    return " ".join((info.description or "").split())


def prose_kind(info: Any) -> ProseKind | None:
    return next((m for m in info.metadata if isinstance(m, ProseKind)), None)


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return minus(f"{value:g}" if isinstance(value, float) else str(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict | tuple) and not value)


def value_view(key: str, title: str, guidance: str, value: Any, loc: str) -> FieldView | None:
    """The view of one non-prose value, or ``None`` when it is empty."""
    if is_blank(value):
        return None
    if isinstance(value, BaseModel):
        sub = model_fields(value, loc)
        if not sub:
            return None
        names = {f.key for f in sub}
        if names <= {"title", "url"} and "url" in names:  # a Link
            title_f = next((f.value for f in sub if f.key == "title"), "")
            url_f = next(f.value for f in sub if f.key == "url")
            return FieldView(key, title, guidance, "link", value=url_f, items=[title_f or url_f], loc=loc)
        return FieldView(key, title, guidance, "record", fields=sub, loc=loc)
    if isinstance(value, list | tuple):
        if all(isinstance(v, BaseModel) for v in value):
            records = [model_fields(v, f"{loc}.{i}") for i, v in enumerate(value)]
            flat = all(f.kind in ("text", "link") for r in records for f in r)
            if flat:  # short facts per item: one table row each
                cols: list[str] = []
                for r in records:
                    cols += [f.key for f in r if f.key not in cols]
                order = list(type(value[0]).model_fields)
                cols.sort(key=lambda c: order.index(c) if c in order else len(order))
                rows = [[next((f.value for f in r if f.key == c), "") for c in cols] for r in records]
                return FieldView(key, title, guidance, "table", columns=[humanize(c) for c in cols], rows=rows, loc=loc)
            subs = []
            for i, (v, r) in enumerate(zip(value, records, strict=False)):
                label_key, label = _label(v, i)
                rest = [f for f in r if f.key != label_key]  # the label is the item's title already
                subs.append(FieldView(str(i), label, "", "record", fields=rest, loc=f"{loc}.{i}"))
            return FieldView(key, title, guidance, "records", fields=subs, loc=loc)
        return FieldView(key, title, guidance, "items", items=[_plain(v) for v in value], loc=loc)
    if isinstance(value, dict):
        rows = [[str(k), _plain(v)] for k, v in value.items()]
        return FieldView(key, title, guidance, "mapping", rows=rows, loc=loc)
    text = scalar(value)
    kind = "link" if isinstance(value, str) and _URLISH.match(text) else "text"
    return FieldView(key, title, guidance, kind, value=text, items=[text], loc=loc)


def _plain(value: Any) -> str:
    """Nested free-form data (extensions, list items) as one line of text."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True, by_alias=True)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return scalar(value)


def _label(model: BaseModel, i: int) -> tuple[str, str]:
    """The field that names a list item, and its text."""
    for key in ("name", "title", "feature", "metric", "by"):
        v = getattr(model, key, None)
        if isinstance(v, str) and v:
            return key, v
    return "", f"Item {i + 1}"


def model_fields(model: BaseModel, loc: str = "") -> list[FieldView]:
    """Every non-empty field of ``model`` in declaration order; empty required prose is kept
    as a ``missing`` field."""
    out: list[FieldView] = []
    for key, info in type(model).model_fields.items():
        value = getattr(model, key)
        title, guidance = humanize((info.alias or key) if key == "schema_ref" else key), guidance_of(info)
        here = f"{loc}.{key}" if loc else key
        prose = prose_kind(info)
        if prose is not None:
            if value is not None and str(value).strip():
                out.append(FieldView(key, title, guidance, "prose", value=str(value), loc=here))
            elif prose.required:
                out.append(FieldView(key, title, guidance, "missing", value=MISSING, loc=here))
            continue
        view = value_view(key, title, guidance, value, here)
        if view is not None:
            out.append(view)
    return out
