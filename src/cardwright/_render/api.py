"""``render(card, results, to=...)``: one card (and its computed results) to one output.

The boundary of the render package: results given as a dict are validated into the results
model here, so everything after works on typed, checked data.  Render never computes and never
loads files: a model card's datasheets come attached to it (``card.datasheets``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Finding, OnWarning, RenderError, UsageError, reporting
from ..schema.card import Card
from ..schema.reported import ReportedGateResult
from ..schema.results import AnalysisResults, CompositionResults, Results

FORMATS = ("md", "html", "pdf", "json")


def source_date() -> str:
    """``SOURCE_DATE_EPOCH`` as an ISO date-time (UTC), or ``""`` when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return ""
    try:
        return dt.datetime.fromtimestamp(int(raw), tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError) as e:
        raise UsageError(
            Finding(
                "SOURCE_DATE_EPOCH",
                "usage",
                f"SOURCE_DATE_EPOCH={raw!r} is not a Unix timestamp",
                hint="set it to whole seconds since 1970-01-01, e.g. `git log -1 --format=%ct`",
            )
        ) from e


def as_results(card: Card, results: Results | Mapping[str, Any] | None) -> Results | None:
    """``results`` as the results model of ``card``'s kind (validated when given as data)."""
    from pydantic import ValidationError

    if results is None or isinstance(results, AnalysisResults | CompositionResults):
        return results
    model = AnalysisResults if card.kind == "model-card" else CompositionResults
    try:
        return model.model_validate(dict(results))
    except (ValidationError, TypeError, ValueError) as e:
        first = e.errors(include_url=False)[0] if isinstance(e, ValidationError) else {"loc": (), "msg": str(e)}
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        raise RenderError(Finding(
            str(card.source_path or "<card>"), "invalid-results",
            f"the results given to render are not {card.kind} results: {where}: {first['msg']}",
            hint="pass what `cardwright compute` (or cardwright.results_for) returns, or recompute the results file",
        )) from e


def render(
    card: Card,
    results: Results | Mapping[str, Any] | None = None,
    *,
    to: str = "md",
    template_dir: str | Path | None = None,
    used_by: Sequence[Mapping[str, str]] = (),
    datasheet_links: Mapping[str, str] | None = None,
    appendix: bool | None = None,
    on_warning: OnWarning | None = None,
    reported_gates: Sequence[Any] = (),
) -> str | bytes:
    """Render ``card`` with its already computed ``results`` (a results model, the same data as
    a dict, or ``None``).

    ``to`` is ``md``, ``html`` or ``json`` (text) or ``pdf`` (bytes).  ``template_dir`` is searched
    before the packaged templates.  ``used_by`` (``{"title", "href"}`` each) lists, on a
    datasheet, the model cards that use it; ``datasheet_links`` maps a model card's
    ``datasheet:`` paths to the links a site uses for them.  ``appendix``: the full tables
    (intersections, differences) at the end; by default in Markdown and HTML (collapsed) and left
    out of PDF.  Warning findings go to ``on_warning``, or are raised as Python warnings without it.
    ``reported_gates``: the outcomes of the gates on the card's reported results, shown beside them.
    """
    with reporting(on_warning):
        if to not in FORMATS:
            raise UsageError(Finding("--to", "usage", f"unknown output format {to!r}",
                                     hint=f"choose one of: {', '.join(FORMATS)}"))
        checked = as_results(card, results)
        if to == "json":
            from .json import render_json

            return render_json(card, checked, reported_gates)
        return _render_page(card, checked, to, template_dir, used_by, datasheet_links,
                            appendix if appendix is not None else to != "pdf", reported_gates)


def _render_page(card: Card, results: Results | None, to: str, template_dir: str | Path | None,
                 used_by: Sequence[Mapping[str, str]], datasheet_links: Mapping[str, str] | None,
                 appendix: bool, reported_gates: Sequence[ReportedGateResult]) -> str | bytes:
    from .view import build_view

    view = build_view(card, results, used_by=used_by, datasheet_links=datasheet_links, source_date=source_date(),
                      appendix=appendix, reported_gates=reported_gates)
    from .controls import visible_controls

    base_dir = card.base_dir
    if to == "md":
        from .markdown import render_markdown

        return visible_controls(render_markdown(view, card=card, base_dir=base_dir, template_dir=template_dir))
    from .html import render_html

    html = visible_controls(render_html(view, card=card, base_dir=base_dir, template_dir=template_dir,
                                        pdf=to == "pdf"))
    if to == "html":
        return html
    from .pdf import html_to_pdf

    return html_to_pdf(html, base_dir=base_dir, source=str(card.source_path or "<card>"), template_dir=template_dir)
