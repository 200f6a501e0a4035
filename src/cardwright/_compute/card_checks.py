"""Reference groups checked against the groups that exist: those of a results file (at
``validate``) and those observed in the data (at ``compute``).  A reference that matches no group
is an error with the nearest names, never a silently empty disparity table.  (Binned ranges and
declared values are checked with the card: :mod:`..schema.group_checks`.)"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..errors import DataError
from ..schema.analysis import BinnedFactor, QuantitativeAnalyses, factor_name
from ..schema.card import Card
from ..schema.computation import Loc
from ..schema.group_checks import unknown_reference
from ..schema.model_card import ModelCard
from .reading import Locate


def check_references(spec: QuantitativeAnalyses, factors: Sequence[str], levels: Sequence[Sequence[str]],
                     locate: Locate) -> None:
    """Raise at ``reference_groups.FACTOR`` when a reference is none of the groups in the data."""
    observed = dict(zip(factors, levels))
    for factor, value in spec.reference_groups.items():
        known = observed.get(factor)
        if known is not None and str(value) not in known:
            message, hint = unknown_reference(factor, str(value), list(known), "the groups in the data")
            located = locate(("quantitative_analyses", "reference_groups", factor), message, hint)
            raise DataError([dataclasses.replace(f, code="unknown-group") for f in located.findings])


def reference_findings(card: Card, slices: Sequence[tuple[dict[str, str], str | None]],
                       ) -> list[tuple[Loc, str, str]]:
    """``validate``: reference groups of factors that are neither binned nor declared, checked
    against the groups of the card's results file (``slices``: each slice's groups and
    evaluation): ``(where, message, hint)`` for each miss."""
    if not isinstance(card, ModelCard) or card.quantitative_analyses is None:
        return []
    qa = card.quantitative_analyses
    base: Loc = ("quantitative_analyses",)
    evaluations = [((*base, i), ev) for i, ev in enumerate(qa)] if isinstance(qa, list) else [(base, qa)]
    declared = {f.name for f in card.factors.evaluation_factors if f.values}
    out: list[tuple[Loc, str, str]] = []
    for at, ev in evaluations:
        binned = {factor_name(f) for f in ev.factors if isinstance(f, BinnedFactor)}
        name = ev.name if isinstance(qa, list) else None
        for factor, value in ev.reference_groups.items():
            if factor in declared | binned or factor not in ev.factor_names:
                continue
            known = list(dict.fromkeys(key[factor] for key, evaluation in slices
                                       if list(key) == [factor] and evaluation == name))
            if known and str(value) not in known:
                message, hint = unknown_reference(factor, str(value), known, "the groups of its results file")
                out.append(((*at, "reference_groups", factor), message, hint))
    return out
