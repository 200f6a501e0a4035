"""Checks on the groups a card names, wherever those groups are known without reading data.

A binned factor's groups are its labels (or the ranges' default names); a factor whose
``factors.evaluation_factors`` entry lists ``values`` declares its groups.  A reference group that
is none of them is an error with the nearest names, never a silently empty disparity table; two
ranges sharing a label are counted as one group, said as a warning.  (The groups of a results file
and of the data itself are checked where they are read: ``_compute.card_checks``.)
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from .analysis import BinnedFactor, Factor, QuantitativeAnalyses, factor_name

Add = Callable[..., None]
"""``add(loc, code, message, hint=..., severity=...)``: records a positioned finding."""
MISSING_GROUP = "(missing)"


def did_you_mean(value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.5)
    listed = ", ".join(repr(k) for k in list(known)[:12]) + (" …" if len(known) > 12 else "")
    return (f"did you mean {' or '.join(repr(c) for c in close)}? " if close else "") + f"groups: {listed}"


def unknown_reference(factor: str, value: str, known: Sequence[str], where: str) -> tuple[str, str]:
    """The message and hint for a reference group that matches none of ``known``."""
    return (f"reference group {value!r} for {factor!r} is not one of its groups ({where})",
            did_you_mean(value, known))


def repeated_label_findings(factors: Sequence[Factor], base: tuple[str | int, ...], add: Add) -> None:
    for i, f in enumerate(factors):
        if not isinstance(f, BinnedFactor) or f.labels is None:
            continue
        names = f.group_names
        seen: dict[str, int] = {}
        for j, label in enumerate(names):
            if label in seen:
                add((*base, i, "labels", j), "repeated-label",
                    f"ranges {seen[label] + 1} and {j + 1} of {f.factor_name!r} are both labelled {label!r}: "
                    "they are counted as one group",
                    hint="give each range its own label, or merge the cut points", severity="warning")
            else:
                seen[label] = j


def reference_findings(qa: QuantitativeAnalyses, base: tuple[str | int, ...], declared: dict[str, list[str]],
                       add: Add) -> None:
    """Reference groups of the evaluation written at ``base``, checked against binned labels and
    declared values."""
    by_name = {factor_name(f): f for f in qa.factors}
    for factor, value in qa.reference_groups.items():
        f = by_name.get(factor)
        if f is None:
            continue  # an unknown factor is reported by the cross checks
        if isinstance(f, BinnedFactor):
            known, where = f.group_names, "its binned ranges"
        elif declared.get(factor):
            known, where = declared[factor], "the values declared under factors.evaluation_factors"
        else:
            continue
        known = list(dict.fromkeys([*known, *([MISSING_GROUP] if qa.missing_values == "group" else [])]))
        if str(value) not in known:
            message, hint = unknown_reference(factor, str(value), known, where)
            add((*base, "reference_groups", factor), "unknown-group", message, hint=hint)
