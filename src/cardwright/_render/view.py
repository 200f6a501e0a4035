"""The view-model: a card turned into plain, ordered data that every template lays out.

The card's pydantic models are walked generically (``type(model).model_fields`` in declaration
order, which is Mitchell's / Gebru's order), so a field added to the schema shows up in every
output without touching a template: nothing in a card is ever silently dropped.  Titles come
from field names (or a section docstring's ``"1. Model details:"`` prefix), guidance from the
docstrings.  Empty optional fields and sections are left out; required prose that is empty is
kept and marked, so a gap is visible to the reader.

The view holds raw text: each output format escapes and renders it (Markdown → HTML, or
Markdown kept but made safe) through its own template filters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .._version import tool_version
from ..schema._base import ProseKind
from .composition import composition_view
from .explain import explain_tables
from .reported import reported_view
from .tables import analyses_view, as_dict, evaluations_view
from .text import anchor, humanize

#: Top-level card fields that describe the document rather than the model or dataset.
_META = ("schema_ref", "kind", "schema_version", "status", "extensions_schema")
#: Top-level fields placed after every content section, in this order.
_TRAILING = ("notes", "approvals", "extensions")
MISSING = "[More information needed]"
#: Sections that have a named block in the packaged base templates, in output order.  Any other
#: section a card has is still rendered (after these, by a generic loop), never dropped.
SECTION_BLOCKS = (
    # model card (Mitchell et al.), then its optional sections
    "model_details",
    "intended_use",
    "factors",
    "metrics",
    "evaluation_data",
    "training_data",
    "quantitative_analyses",
    "reported_results",
    "ethical_considerations",
    "caveats_and_recommendations",
    "privacy",
    "robustness",
    "transparency",
    "governance",
    "explainability",
    "environmental_impact",
    # datasheet (Gebru et al.)
    "dataset",
    "motivation",
    "composition",
    "collection_process",
    "preprocessing",
    "uses",
    "distribution",
    "maintenance",
    "data",
    "notes",
    # both
    "approvals",
    "extensions",
)

_NUMBERED = re.compile(r"^\s*(\d+)\.\s+([^:.]+)[:.]\s*")
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


@dataclass
class SectionView:
    """One top-level section of the card."""

    key: str
    title: str
    anchor: str
    guidance: str
    number: str = ""
    fields: list[FieldView] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    required: bool = True

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def empty(self) -> bool:
        return all(f.kind == "missing" for f in self.fields)

    @property
    def facts(self) -> list[FieldView]:
        """Short one-line values (names, versions, dates, links), shown together first."""
        return [f for f in self.fields if f.kind in ("text", "link")]

    @property
    def blocks(self) -> list[FieldView]:
        """Everything else, each under its own heading, in schema order."""
        return [f for f in self.fields if f.kind not in ("text", "link")]

    @property
    def single(self) -> FieldView | None:
        """The value itself when the section is one value rather than a group of fields."""
        if len(self.fields) == 1 and self.fields[0].key == self.key:
            return self.fields[0]
        return None


def _guidance(info: Any) -> str:
    return " ".join((info.description or "").split())


def _prose_kind(info: Any) -> ProseKind | None:
    return next((m for m in info.metadata if isinstance(m, ProseKind)), None)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict | tuple) and not value)


def _value_view(key: str, title: str, guidance: str, value: Any, loc: str) -> FieldView | None:
    """The view of one non-prose value, or ``None`` when it is empty."""
    if _is_blank(value):
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
    text = _scalar(value)
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
    return _scalar(value)


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
        title, guidance = humanize((info.alias or key) if key == "schema_ref" else key), _guidance(info)
        here = f"{loc}.{key}" if loc else key
        prose = _prose_kind(info)
        if prose is not None:
            if value is not None and str(value).strip():
                out.append(FieldView(key, title, guidance, "prose", value=str(value), loc=here))
            elif prose.required:
                out.append(FieldView(key, title, guidance, "missing", value=MISSING, loc=here))
            continue
        view = _value_view(key, title, guidance, value, here)
        if view is not None:
            out.append(view)
    return out


def _section(key: str, info: Any, value: Any, required: bool) -> SectionView:
    guidance = _guidance(info)
    number, title = "", humanize(key)
    m = _NUMBERED.match(guidance)
    if m:
        number, title, guidance = m.group(1), m.group(2).strip(), guidance[m.end() :]
        title = title[:1].upper() + title[1:]
    if guidance.startswith("Optional: "):
        guidance = guidance[len("Optional: ") :]
    sec = SectionView(key, title, anchor(key), guidance[:1].upper() + guidance[1:], number, required=required)
    if isinstance(value, BaseModel):
        sec.fields = model_fields(value, key)
    else:
        fv = _value_view(key, title, guidance, value, key)
        sec.fields = [fv] if fv is not None else []
    sec.missing = [f.title for f in sec.fields if f.kind == "missing"]
    return sec


@dataclass
class CardView:
    """Everything a template needs: header facts, ordered sections, computed results."""

    kind: str
    title: str
    version: str
    status: str
    date: str
    facts: list[FieldView]
    sections: list[SectionView]
    schema_version: str
    tool_version: str
    generated: str
    section: dict[str, SectionView] = field(default_factory=dict)
    analyses: Any = None
    composition: Any = None
    reported: Any = None
    datasheets: list[dict[str, Any]] = field(default_factory=list)
    used_by: list[dict[str, str]] = field(default_factory=list)
    lang: str = "en"

    @property
    def kind_title(self) -> str:
        return "Model card" if self.kind == "model-card" else "Datasheet"

    @property
    def toc(self) -> list[tuple[str, str]]:
        entries = []
        if self.analyses is not None and self.analyses.has_summary:
            entries.append(("summary", "Summary"))
        if self.datasheets:
            entries.append(("datasheets", "Datasheets"))
        entries += [(s.anchor, s.heading) for s in self.sections]
        if self.used_by:
            entries.append(("used-by", "Used by"))
        return entries


def card_date(card: BaseModel) -> str:
    """The card's own date (model_details.date or dataset.date), ISO formatted; else ''."""
    for sec in ("model_details", "dataset"):
        d = getattr(getattr(card, sec, None), "date", None)
        if isinstance(d, dt.date):
            return d.isoformat()
    return ""


def build_view(card: BaseModel, results: dict[str, Any] | None = None, **context: Any) -> CardView:
    """The view of ``card`` with its (already computed) ``results``; see :mod:`.tables`."""
    fields = type(card).model_fields
    sections: list[SectionView] = []
    facts: list[FieldView] = []
    trailing: dict[str, SectionView] = {}
    for key, info in fields.items():
        if key in _META:
            continue
        value = getattr(card, key)
        is_section = isinstance(value, BaseModel) or key in _TRAILING
        if not is_section:
            fv = _value_view(key, humanize(key), _guidance(info), value, key)
            if fv is not None:
                facts.append(fv)
            continue
        if _is_blank(value) and not info.is_required():
            continue
        if key == "notes" and isinstance(value, str):
            sec = SectionView(key, "Notes", "notes", _guidance(info), required=False)
            sec.fields = [FieldView(key, "Notes", "", "prose", value=value, loc=key)]
        else:
            sec = _section(key, info, value, info.is_required())
        if not sec.fields and not info.is_required():
            continue
        (trailing if key in _TRAILING else {}).setdefault(key, sec)
        if key not in _TRAILING:
            sections.append(sec)
    sections += [trailing[k] for k in _TRAILING if k in trailing]
    first = next((getattr(card, k) for k in ("model_details", "dataset") if hasattr(card, k)), None)
    source_date = context.pop("source_date", "")
    reported_gates = context.pop("reported_gates", ())
    view = CardView(
        kind=str(getattr(card, "kind", "model-card")),
        title=str(getattr(first, "name", "") or "Untitled"),
        version=str(getattr(first, "version", "") or ""),
        status=str(getattr(card, "status", "") or ""),
        date=card_date(card),
        facts=facts,
        sections=sections,
        schema_version=str(getattr(card, "schema_version", "")),
        tool_version=tool_version(),
        generated=source_date,
        section={s.key: s for s in sections},
        used_by=list(context.pop("used_by", ()) or ()),
        datasheets=list(context.pop("datasheets", ()) or ()),
    )
    qa = getattr(card, "quantitative_analyses", None)
    if isinstance(qa, list):
        view.analyses = evaluations_view(qa, results)
    elif qa is not None:
        view.analyses = analyses_view(qa, results)
        view.analyses.factors += explain_tables(as_dict(results))
    view.reported = reported_view(getattr(card, "reported_results", None), reported_gates)
    data = getattr(card, "data", None)
    if data is not None and view.kind == "datasheet":
        view.composition = composition_view(data, results)
    return view
