"""``render(card, results, to=...)``: one card (and its computed results) to one output."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Finding, OnWarning, UsageError, reporting

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


def linked_datasheets(card: Any, links: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Key facts of the datasheets a model card names (each loaded and validated)."""
    from ..errors import CardwrightError
    from ..schema.datasheet import Datasheet
    from ..schema.loading import load_card

    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for role, section in (("evaluation data", "evaluation_data"), ("training data", "training_data")):
        for ref in getattr(getattr(card, section, None), "datasets", None) or []:
            if not ref.datasheet:
                continue
            entry: dict[str, Any] = {
                "name": ref.name,
                "role": role,
                "path": ref.datasheet,
                "facts": [],
                "summary": "",
                "error": "",
                "href": (links or {}).get(ref.datasheet, ref.datasheet),
            }
            if ref.datasheet in seen:
                continue
            seen.add(ref.datasheet)
            try:
                sheet = load_card(card.resolve(ref.datasheet))
            except CardwrightError as e:
                entry["error"] = f"This datasheet could not be read: {e.findings[0].message}"
                out.append(entry)
                continue
            assert isinstance(sheet, Datasheet)  # loading the model card checked it names datasheets
            ds = sheet.dataset
            entry["name"] = ds.name
            facts = [
                ("Version", ds.version),
                ("Date", ds.date.isoformat() if ds.date else None),
                ("Licence", ds.license if isinstance(ds.license, str) else getattr(ds.license, "name", None)),
                ("Status", sheet.status),
                ("Relates to people", "yes" if sheet.relates_to_people else "no"),
                ("Instances", _first_line(sheet.composition.instance_count)),
            ]
            entry["facts"] = [(k, str(v)) for k, v in facts if v]
            entry["summary"] = ds.summary or ""
            out.append(entry)
    return out


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    line = text.strip().splitlines()[0]
    return line if len(line) <= 160 else line[:157] + "…"


def render(
    card: Any,
    results: Any = None,
    *,
    to: str = "md",
    template_dir: str | Path | None = None,
    used_by: Sequence[Mapping[str, str]] = (),
    datasheet_links: Mapping[str, str] | None = None,
    on_warning: OnWarning | None = None,
    reported_gates: Sequence[Any] = (),
) -> str | bytes:
    """Render ``card`` with its already computed ``results`` (a results model, a dict, or ``None``).

    ``to`` is ``md``, ``html`` or ``json`` (text) or ``pdf`` (bytes).  ``template_dir`` is searched
    before the packaged templates.  ``used_by`` (``{"title", "href"}`` each) lists, on a
    datasheet, the model cards that use it; ``datasheet_links`` maps a model card's
    ``datasheet:`` paths to the links a site uses for them.  Warning findings (a refused image or
    file) go to ``on_warning``, or are raised as Python warnings without it.  ``reported_gates``: the
    outcomes of the gates on the card's reported results, shown beside them.  Render never computes.
    """
    with reporting(on_warning):
        return _render(card, results, to, template_dir, used_by, datasheet_links, reported_gates)


def _render(card: Any, results: Any, to: str, template_dir: str | Path | None, used_by: Sequence[Mapping[str, str]],
            datasheet_links: Mapping[str, str] | None, reported_gates: Sequence[Any] = ()) -> str | bytes:
    if to not in FORMATS:
        raise UsageError(
            Finding("--to", "usage", f"unknown output format {to!r}", hint=f"choose one of: {', '.join(FORMATS)}")
        )
    if to == "json":
        from .json import render_json

        return render_json(card, results, reported_gates)
    from .view import build_view

    datasheets = linked_datasheets(card, datasheet_links) if getattr(card, "kind", "") == "model-card" else []
    view = build_view(card, results, used_by=used_by, datasheets=datasheets, source_date=source_date(),
                      reported_gates=reported_gates)
    source = getattr(card, "source_path", None)
    base_dir = card.base_dir if hasattr(card, "base_dir") else Path.cwd()
    if to == "md":
        from .markdown import render_markdown

        return render_markdown(view, card=card, base_dir=base_dir, template_dir=template_dir)
    from .html import render_html

    html = render_html(view, card=card, base_dir=base_dir, template_dir=template_dir, pdf=to == "pdf")
    if to == "html":
        return html
    from .pdf import html_to_pdf

    return html_to_pdf(html, base_dir=base_dir, source=str(source or "<card>"), template_dir=template_dir)
