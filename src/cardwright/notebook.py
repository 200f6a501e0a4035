"""Cards and results in Jupyter: each displays itself as HTML (``_repr_html_``).

A card shows its full render, isolated in an ``<iframe srcdoc>`` so the card's styles never touch
the notebook's; results show what they hold at a glance (provenance, gates, a table of their
rows).  The schema knows nothing of rendering: the public API attaches these methods the first
time it hands out a card or results (:func:`enable`).  For analysis, ``results.to_frame()``
gives a tidy pandas DataFrame.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema.card import Card
    from .schema.results import AnalysisResults, CompositionResults, GateResult

_enabled = False
ROWS_SHOWN = 40


def card_html(card: Card) -> str:
    """The card's render, with its current results when the results file holds them."""
    from ._compute.api import load_results
    from ._compute.reported import reported_gate_results
    from ._render.api import render
    from .errors import CardwrightError

    results = None
    if card.computation is not None:
        try:
            results = load_results(card)
        except CardwrightError:  # a broken results file: the card without numbers, never no display
            results = None
    page = str(render(card, results, to="html", on_warning=lambda _finding: None, reported_gates=reported_gate_results(card)))
    return (f'<iframe srcdoc="{escape(page, quote=True)}" title="{escape(card_title(card))}" '
            'style="width:100%;height:640px;border:1px solid #c8c8c8" sandbox=""></iframe>')


def card_title(card: Card) -> str:
    return card.model_details.name if card.kind == "model-card" else card.dataset.name


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return escape(str(value))


def results_html(results: AnalysisResults | CompositionResults) -> str:
    """Provenance, gates and the first rows of the results as one small HTML table."""
    p = results.provenance
    head = (f"<p><strong>{escape(results.kind)}</strong> results: {p.rows_used:,} rows used of {p.rows_read:,}; "
            f"engine {escape(p.engine)}; cardwright {escape(p.tool_version)}.</p>")
    if results.kind == "composition":
        columns = [*results.sensitive_attributes, "count", "share", "suppressed"]
        rows = [[*(g.slice.get(a) for a in results.sensitive_attributes), g.count, g.share, g.suppressed]
                for g in results.groups]
    else:
        if results.gates:
            def named(gates: list[GateResult]) -> str:
                return ", ".join(escape(f"{g.metric} over {' × '.join(g.over)}") for g in gates)

            failed = [g for g in results.gates if g.blocking]
            warned = [g for g in results.gates if not g.passed and not g.blocking]
            passed = len(results.gates) - len(failed) - len(warned)
            head += (f"<p>{passed} of {len(results.gates)} gates passed"
                     + (f"; failed: {named(failed)}" if failed else "")
                     + (f"; failed warning gates (reported, not blocking): {named(warned)}" if warned else "") + ".</p>")
        columns = ["slice", "metric", "value", "ci_low", "ci_high", "n", "suppressed"]
        rows = [[" × ".join(f"{k}={v}" for k, v in r.slice.items()) or "overall", r.metric, r.value, r.ci_low,
                 r.ci_high, r.n, r.suppressed] for r in results.results]
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows[:ROWS_SHOWN])
    more = (f"<p>… and {len(rows) - ROWS_SHOWN:,} more rows: <code>results.to_frame()</code> has them all.</p>"
            if len(rows) > ROWS_SHOWN else "")
    header = "".join(f"<th>{escape(c)}</th>" for c in columns)
    return f"<div>{head}<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>{more}</div>"


def enable() -> None:
    """Give the card and results models their notebook display (once)."""
    global _enabled
    if _enabled:
        return
    from .schema.datasheet import Datasheet
    from .schema.model_card import ModelCard
    from .schema.results import AnalysisResults, CompositionResults

    def card_repr(self: Any) -> str:
        return card_html(self)

    def results_repr(self: Any) -> str:
        return results_html(self)

    for card_cls in (ModelCard, Datasheet):
        setattr(card_cls, "_repr_html_", card_repr)  # noqa: B010  (a method the schema must not know of)
    for results_cls in (AnalysisResults, CompositionResults):
        setattr(results_cls, "_repr_html_", results_repr)  # noqa: B010
    _enabled = True
