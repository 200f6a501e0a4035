"""From a file to a validated card: YAML → kind → Pydantic model → cross-field and cross-file checks.

:func:`check_card` collects every finding in one run; :func:`load_card` raises them at once as a
:class:`~cardwright.errors.CardError`.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import CardError, Finding
from .cross_checks import cross_findings
from .findings import findings_from, real_path, value_at
from .yaml_loader import Document, Limits, Loc, load_yaml, resolve_plain

if TYPE_CHECKING:
    from .card import Card
    from .datasheet import Datasheet
    from .model_card import ModelCard

KINDS = ("model-card", "datasheet")


def card_class(kind: str) -> type[ModelCard] | type[Datasheet]:
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


def _validate(doc: Document, cls: type[ModelCard] | type[Datasheet]) -> tuple[Card | None, list[Finding]]:
    """Validate, giving text fields the author's source text of plain scalars (``1.10`` stays
    ``"1.10"``; YAML 1.2 semantics would otherwise make it the number 1.1).

    Returns the card, or ``None`` and at least one finding.  Each round turns at least one more
    plain scalar into text (a fixed value is text, so it is never fixed again), so the rounds end:
    with a valid card, or with errors that no such fix explains."""
    data = doc.data
    while True:
        try:
            return cls.model_validate(data), []
        except ValidationError as exc:
            fixes = _text_fixes(doc, data, exc)
            if not fixes:
                return None, findings_from(doc, cls, exc) or [_unexplained(doc, exc)]
            if data is doc.data:
                data = copy.deepcopy(data)
            for path in fixes:
                parent = value_at(data, path[:-1])
                parent[path[-1]] = doc.plain_text[path]
                if repr(parent[path[-1]]) != repr(str(resolve_plain(doc.plain_text[path]))):
                    doc.yaml11_ambiguous.append(path)
            doc.data = data


def _text_fixes(doc: Document, data: Any, exc: ValidationError) -> list[Loc]:
    """Where text is expected and the author wrote a plain scalar that YAML read as another type."""
    fixes: list[Loc] = []
    for err in exc.errors(include_url=False):
        if err["type"] == "string_type":
            path = real_path(data, err["loc"])
            if path in doc.plain_text and not isinstance(value_at(data, path), str):
                fixes.append(path)
    return fixes


def _unexplained(doc: Document, exc: ValidationError) -> Finding:
    """A finding for a validation error the positioned findings left out (a safety net: an
    invalid card always comes with a finding)."""
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return Finding(doc.path, "invalid-value", f"`{where}`: {first['msg']}", line=1, column=1)


def check_card(
    path: str | Path,
    *,
    limits: Limits | None = None,
    display: str | None = None,
    _seen: frozenset[Path] = frozenset(),
) -> tuple[Card | None, list[Finding]]:
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
    card._source = Path(path).resolve()
    card._positions = dict(doc.values)
    card._yaml11_ambiguous = list(doc.yaml11_ambiguous)
    card._source_text = doc.text
    card._scalar_spans = dict(doc.scalars)
    findings = cross_findings(card, doc, limits=limits, seen=_seen | {Path(path).resolve()}, check=check_card)
    return (card if not any(f.severity == "error" for f in findings) else None), findings


def load_card(path: str | Path, *, limits: Limits | None = None) -> Card:
    """Load a card, raising :class:`CardError` carrying every finding if it is invalid."""
    card, findings = check_card(path, limits=limits)
    if card is None:
        raise CardError(findings)
    return card
