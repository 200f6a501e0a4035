"""The datasheets a model card names, as a render shows them: key facts and a link.

Render never loads files: :func:`cardwright.load` attaches each valid datasheet to the card
(``card.datasheets``); one that could not be loaded is named with a note instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..schema.common import CustomLicense
from ..schema.datasheet import Datasheet
from ..schema.model_card import ModelCard

ROLES = (("evaluation data", "evaluation_data"), ("training data", "training_data"))


@dataclass
class LinkedDatasheet:
    """One datasheet a model card names."""

    name: str
    role: str
    path: str
    href: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""
    error: str = ""


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    line = text.strip().splitlines()[0]
    return line if len(line) <= 160 else line[:157] + "…"


def _facts(sheet: Datasheet) -> list[tuple[str, str]]:
    ds = sheet.dataset
    licence = ds.license.name if isinstance(ds.license, CustomLicense) else ds.license
    facts = [
        ("Version", ds.version),
        ("Date", ds.date.isoformat() if ds.date else None),
        ("Licence", licence),
        ("Status", sheet.status),
        ("Relates to people", "yes" if sheet.relates_to_people else "no"),
        ("Instances", _first_line(sheet.composition.instance_count)),
    ]
    return [(k, str(v)) for k, v in facts if v]


def linked_datasheets(card: ModelCard, links: Mapping[str, str] | None = None) -> list[LinkedDatasheet]:
    """Key facts of each datasheet ``card`` names, once each, in the card's order; ``links`` maps
    a ``datasheet:`` path to the link a site uses for it."""
    out: list[LinkedDatasheet] = []
    seen: set[str] = set()
    for role, key in ROLES:
        section = card.evaluation_data if key == "evaluation_data" else card.training_data
        for ref in section.datasets:
            if not ref.datasheet or ref.datasheet in seen:
                continue
            seen.add(ref.datasheet)
            entry = LinkedDatasheet(ref.name, role, ref.datasheet, (links or {}).get(ref.datasheet, ref.datasheet))
            sheet = card.datasheets.get(ref.datasheet)
            if sheet is None:
                entry.error = "This datasheet could not be read; `cardwright validate` on the model card says why."
            else:
                entry.name, entry.facts, entry.summary = sheet.dataset.name, _facts(sheet), sheet.dataset.summary or ""
            out.append(entry)
    return out
