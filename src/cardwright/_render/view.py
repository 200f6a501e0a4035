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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .._version import tool_version
from ..schema.analysis import CompositionData, QuantitativeAnalyses
from ..schema.card import Card
from ..schema.common import CustomLicense
from ..schema.docs import documented_all
from ..schema.model_card import ModelCard
from ..schema.reported import ReportedGateResult
from ..schema.results import AnalysisResults, CompositionResults, Results
from .analyses import AnalysesView, analyses_view
from .composition import CompositionView, composition_view
from .fields import FieldView, guidance_of, is_blank, model_fields, value_view
from .focus import evaluation_part
from .labels import Labels
from .linked import LinkedDatasheet, linked_datasheets
from .reported import ReportedView, reported_view
from .settings import SETTINGS, settings_fields
from .summary import SummaryView, combined
from .text import anchor, humanize

#: Top-level card fields that describe the document rather than the model or dataset.
_META = ("schema_ref", "kind", "schema_version", "status", "extensions_schema")
#: Top-level fields placed after every content section, in this order.
_TRAILING = ("notes", "approvals", "extensions")
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


def _section(key: str, info: Any, value: Any, required: bool) -> SectionView:
    guidance = guidance_of(info)
    number, title = "", humanize(key)
    m = _NUMBERED.match(guidance)
    if m:
        number, title, guidance = m.group(1), m.group(2).strip(), guidance[m.end() :]
        title = title[:1].upper() + title[1:]
    if guidance.startswith("Optional: "):
        guidance = guidance[len("Optional: ") :]
    sec = SectionView(key, title, anchor(key), guidance[:1].upper() + guidance[1:], number, required=required)
    if isinstance(value, QuantitativeAnalyses | CompositionData) and key in SETTINGS:
        factors = value.factors if isinstance(value, QuantitativeAnalyses) else value.sensitive_attributes
        sec.fields = settings_fields(value, key, Labels.of(factors))
    elif isinstance(value, list) and key == "quantitative_analyses":
        sec.fields = [FieldView(str(i), ev.name or f"Evaluation {i + 1}", "", "record", fields=settings_fields(ev, f"{key}.{i}", Labels.of(ev.factors)),
                                loc=f"{key}.{i}") for i, ev in enumerate(value) if isinstance(ev, QuantitativeAnalyses)]
    elif isinstance(value, BaseModel):
        sec.fields = model_fields(value, key)
    else:
        fv = value_view(key, title, guidance, value, key)
        sec.fields = [fv] if fv is not None else []
    sec.missing = [f.title for f in sec.fields if f.kind == "missing"]
    return sec


@dataclass
class TocEntry:
    """One line of the contents: where it leads, its number (if the section has one), its title."""

    target: str
    number: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass
class CardView:
    """Everything a template needs: the cover, ordered sections, computed results."""

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
    owners: list[str] = field(default_factory=list)
    licence: str = ""
    summary_line: str = ""
    analyses: AnalysesView | None = None
    """The quantitative analyses (the first evaluation's, in a card with a list of them)."""
    evaluations: list[AnalysesView] = field(default_factory=list)
    """Every evaluation's view, in the card's order (one for a card with a single evaluation)."""
    method: list[list[FieldView]] = field(default_factory=list)
    """Each evaluation's settings, one line each ("how these results were computed")."""
    summary: SummaryView | None = None
    reported: ReportedView | None = None
    composition: CompositionView | None = None
    datasheets: list[LinkedDatasheet] = field(default_factory=list)
    used_by: list[dict[str, str]] = field(default_factory=list)
    appendix: bool = True
    lang: str = "en"

    @property
    def kind_title(self) -> str:
        return "Model card" if self.kind == "model-card" else "Datasheet"

    @property
    def has_appendix(self) -> bool:
        return self.appendix and any(a.computed and a.has_appendix for a in self.evaluations)

    @property
    def toc(self) -> list[TocEntry]:
        entries = []
        if self.summary is not None:
            entries.append(TocEntry("summary", "", "Summary"))
        if self.datasheets:
            entries.append(TocEntry("datasheets", "", "Datasheets"))
        entries += [TocEntry(s.anchor, s.number, s.title) for s in self.sections]
        if self.used_by:
            entries.append(TocEntry("used-by", "", "Used by"))
        if self.has_appendix:
            entries.append(TocEntry("appendix", "", "Appendix: full tables"))
        return entries


def _sections(card: Card) -> tuple[list[SectionView], list[FieldView]]:
    """The card's sections in schema order (notes, approvals and extensions last) and its
    top-level one-line facts."""
    sections: list[SectionView] = []
    facts: list[FieldView] = []
    trailing: dict[str, SectionView] = {}
    for key, info in type(card).model_fields.items():
        if key in _META:
            continue
        value = getattr(card, key)
        if not (isinstance(value, BaseModel) or key in _TRAILING or (key in SETTINGS and isinstance(value, list))):
            fv = value_view(key, humanize(key), guidance_of(info), value, key)
            if fv is not None:
                facts.append(fv)
            continue
        if is_blank(value) and not info.is_required():
            continue
        if key == "notes" and isinstance(value, str):
            sec = SectionView(key, "Notes", "notes", guidance_of(info), required=False)
            sec.fields = [FieldView(key, "Notes", "", "prose", value=value, loc=key)]
        else:
            sec = _section(key, info, value, info.is_required())
        if not sec.fields and not info.is_required():
            continue
        if key in _TRAILING:
            trailing[key] = sec
        else:
            sections.append(sec)
    return sections + [trailing[k] for k in _TRAILING if k in trailing], facts


def first_sentence(text: str | None, limit: int = 220) -> str:
    """The first sentence of a prose field, as plain text (Markdown emphasis and code marks dropped)."""
    if not text:
        return ""
    plain = re.sub(r"[*_`]+", "", " ".join(text.split()))
    m = re.match(r"(.+?[.!?])(\s|$)", plain)
    sentence = m.group(1) if m else plain
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def licence_text(licence: str | CustomLicense | None) -> str:
    if licence is None:
        return ""
    return licence if isinstance(licence, str) else licence.name


def _show_group_names(section: SectionView | None, labels: Labels) -> None:
    """In the factors section, a computed factor's values by the names renders use for them."""
    for f in section.fields if section is not None else []:
        for record in f.fields if f.kind == "records" else []:
            if record.title not in labels.factors:
                continue
            for v in record.fields:
                if v.key == "values" and v.kind == "items":
                    v.items = [labels.value(record.title, str(x)) for x in v.items]


def _evaluations(view: CardView, card: ModelCard, results: AnalysisResults | None, appendix: bool) -> None:
    """The view of each evaluation of a model card, and the summary of all of them."""
    qa = card.quantitative_analyses
    if qa is None:
        return
    specs = qa if isinstance(qa, list) else [qa]
    section = view.section.get("quantitative_analyses")
    for i, spec in enumerate(specs):
        labels = Labels.of(spec.factors)
        if isinstance(qa, list):
            view.method.append(settings_fields(spec, f"quantitative_analyses.{i}", labels))
        else:
            view.method.append(section.fields if section is not None else [])
        _show_group_names(view.section.get("factors"), labels)
        name = spec.name or "" if isinstance(qa, list) else ""
        part = evaluation_part(results, name) if results is not None and name else results
        view.evaluations.append(analyses_view(spec, part, labels, appendix=appendix, name=name))
    view.analyses = view.evaluations[0] if view.evaluations else None
    done = [a for a in view.evaluations if a.summary is not None]
    if len(done) == 1 and not isinstance(qa, list):
        view.summary = done[0].summary
    elif done and results is not None:
        view.summary = combined([(a.name, a.summary) for a in done if a.summary is not None], results.gates)


def build_view(card: Card, results: Results | None = None, *, used_by: Sequence[Mapping[str, str]] = (),
               datasheet_links: Mapping[str, str] | None = None, source_date: str = "",
               appendix: bool = True, reported_gates: Sequence[ReportedGateResult] = ()) -> CardView:
    """The view of ``card`` with its (already computed and validated) ``results``."""
    documented_all()  # section titles, numbers and guidance come from the schema's docstrings
    sections, facts = _sections(card)
    view = CardView(kind=card.kind, title="", version="", status=card.status, date="", facts=facts,
                    sections=sections, schema_version=str(card.schema_version), tool_version=tool_version(),
                    generated=source_date, section={s.key: s for s in sections},
                    used_by=[dict(u) for u in used_by], appendix=appendix)
    if isinstance(card, ModelCard):
        md = card.model_details
        view.title, view.version, view.licence = md.name, md.version, licence_text(md.license)
        view.date = md.date.isoformat() if md.date else ""
        view.owners = [p.name for p in (md.owners or md.developers)]
        view.summary_line = first_sentence(md.overview)
        view.datasheets = linked_datasheets(card, datasheet_links)
        _evaluations(view, card, results if isinstance(results, AnalysisResults) else None, appendix)
        view.reported = reported_view(card.reported_results, reported_gates)
    else:
        ds = card.dataset
        view.title, view.version, view.licence = ds.name, ds.version or "", licence_text(ds.license)
        view.date = ds.date.isoformat() if ds.date else ""
        maintainer = (card.maintenance.maintainer or "").strip().splitlines()
        view.owners = [first_sentence(maintainer[0], 120)] if maintainer else []
        view.summary_line = first_sentence(ds.summary)
        if card.data is not None:
            view.composition = composition_view(card.data, results if isinstance(results, CompositionResults) else None,
                                                Labels.of(card.data.sensitive_attributes))
    return view
