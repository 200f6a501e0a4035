"""Attributions publish nothing about a group that the metrics keep hidden.

The importance rows of a slice carry its row count, and their intervals (two means and two
half-widths from the same Σa²) give it away too.  The metrics publish each slice's size only
when the count grid allows it, and they count the rows with a label, a prediction (or score) and
a weight.  So an importance row is published only when its slice's size is published by the
metrics and equals the rows it was computed from (overall, the difference is published anyway, as
provenance's `rows_dropped`): a group whose size the metrics hide, or whose
attribution rows differ from the metrics' rows (rows the metrics leave out, for a missing label or
prediction, still have attributions), shows no value, interval, rank or count, and rank flags no
longer name it.  Otherwise a difference of two published counts would be a count of the rows left
out of that group.
"""

from __future__ import annotations

from ..schema.results import AnalysisResults, AttributionResults

HIDDEN = "suppressed: the metrics hide this group's size (min_cell_size), so its attributions are hidden too"
DIFFERENT = ("suppressed: these attribution rows are not the rows the metrics count (rows without a label, "
             "prediction, score or weight have attributions), and their difference would be published; "
             "leave such rows out with the data block's `filter`")


def _key(s: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(s.items()))


def protect(att: AttributionResults, results: AnalysisResults) -> AttributionResults:
    """``att`` with every row of a slice the metrics do not publish, or publish with another size,
    suppressed, and rank flags that name only the groups left."""
    sizes = {_key(s.slice): s.n for s in results.slices}
    hidden: set[tuple[tuple[str, str], ...]] = set()
    for row in att.importance:
        key = _key(row.slice)
        size = sizes.get(key)
        if size is not None and (size == row.n or not key):
            continue  # overall, the rows the metrics leave out are counted in provenance.rows_dropped
        hidden.add(key)
        row.value = row.ci_low = row.ci_high = None
        row.interval = None
        row.rank = row.rank_low = row.rank_high = None
        row.n = None
        row.suppressed = True
        row.reason = HIDDEN if size is None else DIFFERENT
    if hidden:
        flags = []
        for flag in att.rank_flags:
            flag.groups = [g for g in flag.groups if _key(g.slice) not in hidden]
            flag.pairs = [p for p in flag.pairs if not any(_key(s) in hidden for s in p)]
            if flag.pairs:
                flags.append(flag)
        att.rank_flags = flags
    return att
