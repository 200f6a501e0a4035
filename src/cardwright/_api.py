"""The public functions, in the order of the data flow: load → compute → render.

:mod:`cardwright` re-exports them; the command line, the site builder and the policy checks call
them as any library user would.  Each imports what it needs when it runs, so importing
:mod:`cardwright` stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Finding, OnWarning

if TYPE_CHECKING:
    from .schema.card import Card
    from .schema.results import AnalysisResults, CompositionResults
    from .schema.yaml_loader import Limits

    Results = AnalysisResults | CompositionResults


def load(path: str | Path, *, limits: Limits | None = None) -> Card:
    """Load and validate a card (model card or datasheet) and the datasheets it references.

    Raises :class:`~cardwright.CardError` carrying every finding when the card is invalid."""
    from .schema.loading import load_card

    return load_card(path, limits=limits)


def validate(paths: str | Path | Sequence[str | Path], *, strict: bool = False,
             limits: Limits | None = None) -> list[Finding]:
    """Every finding for the given cards (errors and warnings), without raising.  ``strict`` adds
    `validate --strict`'s checks: completeness, current results, passing gates, the policy."""
    from .validation import validate_paths

    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    return validate_paths([str(p) for p in items], strict=strict, limits=limits)


def compute(card: Card, *, data: Any = None, engine: str | None = None, session: Any = None,
            progress: bool = False, max_groups: int | None = None, on_warning: OnWarning | None = None) -> Results:
    """Compute a card's quantitative analyses (model card) or composition statistics (datasheet).

    ``data``: a pandas DataFrame, pyarrow Table or Spark DataFrame instead of the data the card
    names; ``engine``: ``auto``, ``arrow``, ``duckdb`` or ``spark`` instead of the card's (a URI
    in the card is read only with an engine chosen here or in the card); ``session``: the
    SparkSession the spark engine uses (see docs/engines.md); ``max_groups``: the most groups one
    factor (or intersection) may have (default 1000); warning findings (group labels merged by
    Unicode normalisation) go to ``on_warning``, or are raised as
    :class:`~cardwright.errors.CardwrightWarning` without it.  Nothing is written."""
    from ._compute.api import compute_card
    from .errors import reporting

    with reporting(on_warning):
        return compute_card(card, data=data, engine=engine, session=session, progress=progress,
                            max_groups=max_groups)


def load_results(card: Card, path: str | Path | None = None) -> Results | None:
    """The card's results file (or ``path``) read and validated; ``None`` when it does not exist."""
    from ._compute.api import load_results as run

    return run(card, path)


def check_results(card: Card) -> list[Finding]:
    """Whether the card's results are current: findings for a missing or stale results file and
    for failed gates (none when the card asks for no computation)."""
    from ._compute.api import check_results as run

    return run(card)


def results_for(card: Card, *, write: bool = False, progress: bool = False, max_groups: int | None = None,
                on_warning: OnWarning | None = None) -> Results | None:
    """The card's results: its results file when that is current, else computed now (and, with
    ``write``, written to the card's results file, which must stay inside the project and must not
    be one of its inputs: checked before computing, as `compute` checks it).

    A recomputation is announced to ``on_warning`` as a warning finding (``missing-results`` or
    ``stale-results``), and is refused for data named by a URI (no network without an explicit
    `cardwright compute`).  A results file that was edited by hand is an error
    (``tampered-results``).  A card that names no data has the results its file holds, if any;
    ``None`` when the card asks for no computation."""
    from ._compute.api import (
        check_results,
        check_results_target,
        compute_card,
        load_results,
        refuse_remote,
        results_path,
        write_results,
    )
    from .errors import CardwrightError, reporting

    comp = card.computation
    if comp is None:
        return None
    if comp.data_path is None:  # nothing to recompute from: the file, checked
        with reporting(on_warning):
            return load_results(card)
    findings = check_results(card)
    tampered = [f for f in findings if f.code == "tampered-results"]
    if tampered:
        raise CardwrightError(tampered)
    stale = [f for f in findings if f.code in ("missing-results", "stale-results", "invalid-results")]
    if not stale:
        with reporting(on_warning):
            return load_results(card)
    if write:
        check_results_target(card)
    refuse_remote(card)
    if on_warning is not None:
        first = stale[0]
        then = f"computing the results now and writing {results_path(card).name}" if write else "computing them now"
        on_warning(Finding(first.path, first.code, f"{first.message}; {then}", line=first.line, column=first.column,
                           loc=first.loc, severity="warning"))
    with reporting(on_warning):
        results = compute_card(card, progress=progress, max_groups=max_groups)
    if write:
        write_results(card, results)
    return results


def render(card: Card, results: Results | None = None, *, to: str = "md", template_dir: str | Path | None = None,
           on_warning: OnWarning | None = None) -> str | bytes:
    """Render a card and its results to ``md``, ``html``, ``json`` (text) or ``pdf`` (bytes).

    ``template_dir`` is searched before the packaged templates; warning findings (an image or file
    refused because it lies outside the card's folder) go to ``on_warning``, or are raised as
    :class:`~cardwright.errors.CardwrightWarning` without it.  Render never computes: pass
    :func:`results_for`'s results to include numbers."""
    from ._compute.reported import reported_gate_results
    from ._render.api import render as run

    return run(card, results, to=to, template_dir=template_dir, on_warning=on_warning,
               reported_gates=reported_gate_results(card))
