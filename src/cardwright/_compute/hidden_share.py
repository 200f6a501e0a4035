"""How much of an evaluation's results the small-group settings hide, and saying so.

A results file in which most values are ``null`` is honest but puzzling: each row names its
reason, yet nothing says that one setting hid nearly everything.  :func:`hidden_share` counts the
metric values (every slice's, ``count`` left out) hidden by ``min_cell_size`` (privacy: a count
they are made of is small, or would give one away) and by ``min_group_size`` (reliability), and
the groups whose size is hidden; :func:`warn_if_mostly_hidden` reports a ``mostly-hidden``
warning when at least :data:`SHARE` of the values are hidden, naming the settings and what
changing them would mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..schema.analysis import QuantitativeAnalyses
from .slice_privacy import Shield
from .slices import MetricKey, SliceSet

if TYPE_CHECKING:
    from .reading import Locate

SHARE = 0.5
"""The share of hidden values from which compute warns."""


@dataclass
class HiddenShare:
    values: int = 0
    """Metric values that could be published (observed slices, ``count`` left out)."""
    by_cell_size: int = 0
    """Hidden by ``min_cell_size``."""
    by_group_size: int = 0
    """Hidden by ``min_group_size``."""
    groups: int = 0
    """Observed groups (of factors and intersections)."""
    sizes_hidden: int = 0
    """Groups whose size is hidden."""

    @property
    def hidden(self) -> int:
        return self.by_cell_size + self.by_group_size


def hidden_share(sets: dict[tuple[str, ...], SliceSet], shown: list[tuple[str, ...]], keys: list[MetricKey],
                 shield: Shield) -> HiddenShare:
    """Count what ``shield`` hides of the ``keys`` of the ``shown`` slice sets, as the results rows
    do: a slice below ``min_group_size`` is suppressed for that, else a metric with a hidden count
    for ``min_cell_size``."""
    out = HiddenShare()
    for over in shown:
        ss = sets[over]
        for i in range(len(ss.keys)):
            if int(ss.n[i]) == 0:
                continue
            if over:
                out.groups += 1
                out.sizes_hidden += shield.size_hidden(over, i)
            for k in keys:
                if k[0] == "count":
                    continue
                out.values += 1
                if shield.small(over, i, k):
                    out.by_group_size += 1
                elif shield.metric_hidden(over, i, k):
                    out.by_cell_size += 1
    return out


def warn_if_mostly_hidden(spec: QuantitativeAnalyses, share: HiddenShare, loc: Locate,
                          evaluation: str | None = None) -> None:
    """A ``mostly-hidden`` warning when at least :data:`SHARE` of the values are hidden."""
    from dataclasses import replace

    from ..errors import warn

    if not share.values or share.hidden < SHARE * share.values:
        return
    k, g = spec.min_cell_size, spec.min_group_size
    causes = []
    if share.by_cell_size:
        causes.append(f"{share.by_cell_size} by min_cell_size {k} (a count they are made of is below {k}, or "
                      f"would give one away)")
    if share.by_group_size:
        causes.append(f"{share.by_group_size} by min_group_size {g} (slices of fewer than {g} rows)")
    sizes = f"; {share.sizes_hidden} of {share.groups} group sizes are hidden too" if share.sizes_hidden else ""
    who = f"{evaluation}: " if evaluation else ""
    message = (f"{who}{share.hidden} of {share.values} metric values ({100 * share.hidden / share.values:.0f}%) are "
               f"hidden: {', '.join(causes)}{sizes}")
    hints = []
    if share.by_cell_size:
        hints.append(f"min_cell_size protects the people in small counts: more rows per group, coarser groups or "
                     f"fewer intersections and per-class metrics publish more; a min_cell_size below {k} publishes "
                     f"counts of fewer people")
    if share.by_group_size:
        hints.append(f"a min_group_size below {g} publishes values from fewer rows, with wider intervals")
    where = ("min_cell_size",) if share.by_cell_size >= share.by_group_size else ("min_group_size",)
    finding = loc(where, message, "; ".join(hints))
    warn(replace(finding.findings[0], code="mostly-hidden", severity="warning"))
