"""From a file to a validated card: YAML → kind → Pydantic model → cross-field and cross-file checks.

:func:`check_card` collects every finding in one run; :func:`load_card` raises them at once as a
:class:`~cardwright.errors.CardError`.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import CardError, Finding
from .cross_checks import cross_findings
from .findings import findings_from, real_path, value_at
from .yaml_loader import Document, Limits, load_yaml, resolve_plain

KINDS = ("model-card", "datasheet")


def card_class(kind: str) -> type[BaseModel]:
    if kind == "model-card":
        from .model_card import ModelCard

        return ModelCard
    from .datasheet import Datasheet

    return Datasheet


def _kind_findings(doc: Document) -> list[Finding]:
    data = doc.data
    kind = data.get("kind")
    out: list[Finding] = []
    if kind not in KINDS:
        line, col = doc.position(("kind",)) if "kind" in data else (1, 1)
        close = difflib.get_close_matches(str(kind), KINDS, n=1, cutoff=0.5) if kind is not None else []
        out.append(
            Finding(
                doc.path,
                "unknown-kind",
                "missing `kind`" if kind is None else f"unknown kind {kind!r}",
                line=line,
                column=col,
                hint=f"did you mean {close[0]!r}?" if close else "start the card with `kind: model-card` or `kind: datasheet`",
                loc=("kind",),
            )
        )
    version = data.get("schema_version")
    if version != 1 or isinstance(version, bool):
        line, col = doc.position(("schema_version",)) if "schema_version" in data else (1, 1)
        out.append(
            Finding(
                doc.path,
                "schema-version",
                "missing `schema_version`" if version is None else f"schema_version {version!r} is not supported",
                line=line,
                column=col,
                hint="write `schema_version: 1` (the only version this cardwright reads)",
                loc=("schema_version",),
            )
        )
    return out


def _validate(doc: Document, cls: type[BaseModel]) -> tuple[BaseModel | None, list[Finding]]:
    """Validate, giving text fields the author's source text of plain scalars (``1.10`` stays
    ``"1.10"``; YAML 1.2 semantics would otherwise make it the number 1.1)."""
    data = doc.data
    for _ in range(8):
        try:
            return cls.model_validate(data), []
        except ValidationError as exc:
            fixes = []
            for err in exc.errors(include_url=False):
                if err["type"] == "string_type":
                    path = real_path(data, err["loc"])
                    if path in doc.plain_text and not isinstance(value_at(data, path), str):
                        fixes.append(path)
            if not fixes:
                return None, findings_from(doc, cls, exc)
            if data is doc.data:
                data = copy.deepcopy(data)
            for path in fixes:
                parent = value_at(data, path[:-1])
                parent[path[-1]] = doc.plain_text[path]
                if repr(parent[path[-1]]) != repr(str(resolve_plain(doc.plain_text[path]))):
                    doc.yaml11_ambiguous.append(path)
            doc.data = data
    return None, []  # pragma: no cover - more retries than nesting levels cannot happen


def check_card(
    path: str | Path,
    *,
    limits: Limits | None = None,
    display: str | None = None,
    _seen: frozenset[Path] = frozenset(),
) -> tuple[BaseModel | None, list[Finding]]:
    """Load and check one card; returns the card (``None`` when invalid) and every finding."""
    try:
        doc = load_yaml(path, limits=limits, display=display)
    except CardError as e:
        return None, e.findings
    findings = _kind_findings(doc)
    if findings:
        return None, findings
    cls = card_class(doc.data["kind"])
    card, findings = _validate(doc, cls)
    if card is None:
        return None, findings
    card._source = Path(path).resolve()  # type: ignore[attr-defined]
    card._positions = dict(doc.values)  # type: ignore[attr-defined]
    card._key_positions = dict(doc.keys)  # type: ignore[attr-defined]
    card._yaml11_ambiguous = list(doc.yaml11_ambiguous)  # type: ignore[attr-defined]
    findings = cross_findings(card, doc, limits=limits, seen=_seen | {Path(path).resolve()}, check=check_card)
    return (card if not any(f.severity == "error" for f in findings) else None), findings


def load_card(path: str | Path, *, limits: Limits | None = None) -> Any:
    """Load a card, raising :class:`CardError` carrying every finding if it is invalid."""
    card, findings = check_card(path, limits=limits)
    if card is None:
        raise CardError(findings)
    return card
