"""`validate --strict`'s organisational checks: the policy from `[tool.cardwright]` and the
approval lifecycle.

* **Policy** (:class:`cardwright.config.Policy`): required optional sections, a minimum length of
  required prose, metrics that must be computed and gated, extra placeholder patterns.
* **Lifecycle**: an ``approved`` card needs ``min_approvals`` approvals, none of them older than
  the card's content or results; an ``archived`` card must not change after it was archived.
  "Older" is decided by the *content hash* (:func:`content_sha256`): an approval records the hash
  it approved (``content_sha256``); without one, its date is compared with the results'
  computation time (``provenance.computed_at``) when that was recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from .config import Policy
from .errors import Finding, Severity

if TYPE_CHECKING:
    from .schema.card import Card
    from .schema.model_card import ModelCard

#: Top-level fields that describe the card's life rather than its content (left out of the hash).
_NOT_CONTENT = {"status", "approvals", "schema_ref"}


def _results_dump(card: Card) -> dict[str, Any] | None:
    if card.computation is None:
        return None
    from ._compute.api import load_results
    from .errors import CardwrightError

    try:
        results = load_results(card)
    except CardwrightError:
        return None
    if results is None:
        return None
    return results.model_dump(mode="json", exclude={"content_sha256": True,
                                                    "provenance": {"tool_version", "computed_at"}})


def content_sha256(card: Card) -> str:
    """SHA-256 of what an approval vouches for: the card's content (every field but ``status``,
    ``approvals`` and ``$schema``; comments and layout do not count) and its computed results
    (without the tool version and computation time)."""
    payload = {
        "card": card.model_dump(mode="json", by_alias=True, exclude=_NOT_CONTENT & set(type(card).model_fields)),
        "results": _results_dump(card),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Out:
    def __init__(self, card: Card, path: str):
        self.card, self.path = card, path
        self.items: list[Finding] = []

    def add(self, loc: tuple[str | int, ...], code: str, message: str, hint: str | None,
            severity: Severity = "error") -> None:
        line, col = self.card.locate(loc)
        if line is None:
            line, col = 1, 1
        self.items.append(Finding(self.path, code, message, line=line, column=col, hint=hint, loc=loc,
                                  severity=severity))


def policy_findings(card: Card, path: str, policy: Policy) -> list[Finding]:
    """Every policy and lifecycle finding for a valid card."""
    out = _Out(card, path)
    where = f" (policy: {policy.source})" if policy.source else ""
    for name in policy.required_sections:
        if name in type(card).model_fields and getattr(card, name) is None:
            out.add((), "missing-section", f"the card has no `{name}` section, which the policy requires{where}",
                    f"add `{name}:` to the card (`cardwright init` shows its fields)")
    _prose_checks(card, policy, out)
    if card.kind == "model-card":
        _analysis_checks(card, policy, out, where)
    _lifecycle_checks(card, policy, out)
    return out.items


def _prose_checks(card: Card, policy: Policy, out: _Out) -> None:
    from .schema.completeness import text_fields

    patterns = policy.placeholder_regexes()
    minimum = policy.min_prose_chars
    for t in text_fields(card):
        if t.value is None:
            continue
        for rx in patterns:
            m = rx.search(t.value)
            if m:
                out.add(t.loc, "placeholder", f"`{t.dotted}` holds placeholder text {m.group(0)!r} (policy pattern {rx.pattern!r})",
                        "replace it with the real answer")
                break
        stripped = t.value.strip()
        if t.prose is not None and t.prose.required and minimum and stripped and len(stripped) < minimum:
            out.add(t.loc, "short-prose", f"`{t.dotted}` has {len(stripped)} characters; the policy asks for at least {minimum}",
                    "say more: who, what, why and how, with the evidence")


def _analysis_checks(card: ModelCard, policy: Policy, out: _Out, where: str) -> None:
    qa = card.quantitative_analyses
    if (policy.required_metrics or policy.required_gates) and qa is None:
        out.add((), "missing-metric",
                f"the policy requires metrics or gates{where}, but the card has no `quantitative_analyses`",
                "add `quantitative_analyses:` naming the evaluation file, the metrics and the gates")
        return
    if qa is None:
        return
    evaluations = qa if isinstance(qa, list) else [qa]
    computed = {m for e in evaluations for m in e.metrics}
    for metric in policy.required_metrics:
        if metric not in computed:
            out.add(("quantitative_analyses", "metrics"), "missing-metric",
                    f"the policy requires the metric {metric!r}{where}, which the card does not compute",
                    f"add `{metric}` to quantitative_analyses.metrics")
    gated = {g.metric for e in evaluations for g in e.gates}
    for metric in policy.required_gates:
        if metric not in gated:
            out.add(("quantitative_analyses", "gates"), "missing-gate",
                    f"the policy requires a gate on {metric!r}{where}, and the card has none",
                    f"add e.g. `- {{metric: {metric}, over: [<factor>], max_difference: 0.05}}` to quantitative_analyses.gates")


def _computed_date(card: Card) -> dt.date | None:
    dump = _results_dump(card)
    if dump is None:
        return None
    from ._compute.api import load_results

    results = load_results(card)
    stamp = results.provenance.computed_at if results is not None else None
    return dt.date.fromisoformat(stamp[:10]) if stamp else None


def _lifecycle_checks(card: Card, policy: Policy, out: _Out) -> None:
    status = card.status
    approvals = list(card.approvals)
    if status not in ("approved", "archived"):
        return
    current = content_sha256(card)
    hint_hash = f"once re-approved, record `content_sha256: {current}` in the approval"
    if status == "approved":
        if len(approvals) < policy.min_approvals:
            out.add(("approvals",) if approvals else ("status",), "too-few-approvals",
                    f"the card is approved with {len(approvals)} approval{'s' * (len(approvals) != 1)}; "
                    f"the policy asks for at least {policy.min_approvals}",
                    "add the missing sign-offs under `approvals`, or set `status: review`")
        computed = _computed_date(card)
        for i, a in enumerate(approvals):
            if a.content_sha256 is not None and a.content_sha256 != current:
                out.add(("approvals", i, "content_sha256"), "stale-approval",
                        f"the approval by {a.by} ({a.date}) is for other content: the card or its results changed since",
                        f"have it reviewed again; {hint_hash}")
            elif a.content_sha256 is None and computed is not None and computed > a.date:
                out.add(("approvals", i, "date"), "stale-approval",
                        f"the approval by {a.by} ({a.date}) is older than the results (computed {computed})",
                        f"have the new results reviewed; {hint_hash}")
        return
    hashed = [(i, a) for i, a in enumerate(approvals) if a.content_sha256 is not None]
    if not hashed:
        out.add(("status",), "archived-edited",
                "the card is archived but no approval records its content hash, so edits cannot be detected",
                f"record `content_sha256: {current}` in the last approval", severity="warning")
        return
    i, last = max(hashed, key=lambda pair: (pair[1].date, pair[0]))
    if last.content_sha256 != current:
        out.add(("approvals", i, "content_sha256"), "archived-edited",
                f"the card is archived, but its content or results changed after the approval by {last.by} ({last.date})",
                "revert the edit (archived cards are frozen), or un-archive the card and approve it again")
