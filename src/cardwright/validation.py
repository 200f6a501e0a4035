"""`cardwright validate`: every finding for a set of cards, optionally with `--strict` completeness."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Finding

if TYPE_CHECKING:
    from .config import Policy
    from .schema.card import Card
    from .schema.yaml_loader import Limits


def validate_paths(paths: list[str], *, strict: bool, limits: Limits | None = None) -> list[Finding]:
    from .schema.completeness import completeness_findings
    from .schema.loading import check_card

    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    for path in paths:
        card, findings = check_card(Path(path), limits=limits or _policy(path).limits(), display=path)
        if card is not None:
            findings = findings + _group_findings(card)
        if card is not None and strict:
            findings = findings + completeness_findings(card, path) + _results_findings(card)
            findings = findings + _policy_findings(card, path)
        for f in findings:
            key = (f.path, f.line, f.column, f.code, f.message)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _policy(path: str) -> Policy:
    from .config import load_policy

    return load_policy(path)


def _policy_findings(card: Card, path: str) -> list[Finding]:
    """The organisation's policy (`[tool.cardwright]`) and the approval lifecycle."""
    from .policy import policy_findings

    return policy_findings(card, path, _policy(path))


def _group_findings(card: Card) -> list[Finding]:
    """Reference groups that the card's results file (when cardwright wrote it and nobody edited
    it since) shows do not exist.  Read without the results models, which `validate` does not
    otherwise need."""
    from ._compute.card_checks import reference_findings
    from ._compute.card_paths import card_finding, results_path
    from ._compute.results_file import sealed_slices
    from .schema.model_card import ModelCard

    qa = card.quantitative_analyses if isinstance(card, ModelCard) else None
    if not qa or not any(ev.reference_groups for ev in (qa if isinstance(qa, list) else [qa])):
        return []
    slices = sealed_slices(results_path(card))
    if slices is None:  # missing, unreadable or edited: --strict's business
        return []
    return [card_finding(card, loc, "unknown-group", message, hint)
            for loc, message, hint in reference_findings(card, slices)]


def _results_findings(card: Card) -> list[Finding]:
    """Stale or missing results and failed gates, when the card asks for a computation."""
    from ._compute.api import check_results

    return check_results(card)


def failed(findings: list[Finding], *, strict: bool) -> bool:
    """Whether findings make validation fail: any error, or under ``--strict`` any warning.  Notes
    (such as a failed gate of severity `warning`) never do."""
    return any(f.severity == "error" or (strict and f.severity == "warning") for f in findings)
