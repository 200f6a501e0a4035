"""A datasheet's computable composition answers, from one pass over its data.

Per column: type, missing values, distinct values, numeric summaries and category shares; the
shares of the declared sensitive attributes and their intersections.  Small cells are never
published: a count below ``min_cell_size`` is shown as suppressed, and when a set of shares has
exactly one suppressed cell the next smallest is suppressed too (otherwise the total would give
the hidden count away).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import DataError, Finding
from ..schema.analysis import BinnedFactor, CompositionData, Factor, Intersections, factor_name
from ..schema.results import CompositionResults
from .counts import wrap_progress
from .decode import MAX_GROUPS, MISSING, Levels, check_intersections, factor_codes
from .engines.exact import Moments
from .filtering.prepare import Preparation, filter_drops
from .provenance import provenance
from .reading import ErrorAt, Loc, Locate, open_source, to_text

if TYPE_CHECKING:
    from .engines.profile import ColumnCounts, Runner

DISTINCT_LIMIT = 10_000
CATEGORY_LIMIT = 50
RARE = "(other values, each in fewer than min_cell_size rows)"


class _Column:
    def __init__(self, name: str, type_name: str):
        self.name, self.type = name, type_name
        self.missing = 0
        self.values: dict[Any, int] | None = {}
        self.moments: Moments | None = None
        self.nested = False
        """Lists, records or maps: only missing values are counted (no values are published)."""

    def add(self, column: Any) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_nested(column.type):
            self.nested, self.values = True, None
        nulls = column.null_count
        if pa.types.is_floating(column.type):
            nulls += int(pc.sum(pc.is_nan(column)).as_py() or 0)
        self.missing += nulls
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            if self.moments is None:
                self.moments = Moments()
            x = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
            self.moments.add_values(x[np.isfinite(x)])
        if self.values is not None:
            counts = pc.value_counts(column.drop_null())
            for item in counts.to_pylist():
                v = item["values"]
                if isinstance(v, float) and math.isnan(v):
                    continue
                self.values[v] = self.values.get(v, 0) + item["counts"]
            if len(self.values) > DISTINCT_LIMIT:
                self.values = None

    @classmethod
    def of(cls, counts: ColumnCounts) -> _Column:
        """A column from an engine's :class:`~.engines.profile.ColumnCounts`."""
        import pyarrow as pa

        col = cls(counts.name, str(counts.type))
        col.missing, col.values, col.moments = counts.missing, counts.values, counts.moments
        if pa.types.is_nested(counts.type):
            col.nested, col.values = True, None
        return col

    def stats(self, rows: int, k: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "type": self.type, "missing": self.missing,
            "missing_share": self.missing / rows if rows else None,
            "distinct": len(self.values) if self.values is not None else None,
            "distinct_limit": DISTINCT_LIMIT,
        }
        if self.moments is not None:
            out["numeric"] = self.moments.summary()
        if self.values is not None and len(self.values) <= CATEGORY_LIMIT and not self.type.startswith(
            ("double", "float", "halffloat")
        ):
            labelled: dict[str, int] = {}
            for v, c in self.values.items():
                labelled[to_text(v)] = labelled.get(to_text(v), 0) + c
            # A value held by fewer than k rows is itself row-level data: such values are pooled, unnamed.
            rare = sum(c for c in labelled.values() if c < k)
            items = sorted(((v, c) for v, c in labelled.items() if c >= k), key=_natural)
            out["categories"] = suppress_shares(items + ([(RARE, rare)] if rare else []), rows, k)
        return out


def _natural(item: tuple[str, int]) -> tuple[int, float, str]:
    try:
        return (0, float(item[0]), item[0])
    except ValueError:
        return (1, 0.0, item[0])


def suppress_shares(items: list[tuple[str, int]], total: int, k: int) -> list[dict[str, Any]]:
    """Category rows with counts below ``k`` suppressed, plus complementary suppression."""
    hidden = {i for i, (_, c) in enumerate(items) if 0 < c < k}
    if len(hidden) == 1 and len(items) > 1:
        rest = sorted((c, i) for i, (_, c) in enumerate(items) if i not in hidden and c > 0)
        if rest:
            hidden.add(rest[0][1])
    return [
        {"value": v, "count": None, "share": None, "suppressed": True}
        if i in hidden
        else {"value": v, "count": c, "share": c / total if total else None, "suppressed": False}
        for i, (v, c) in enumerate(items)
    ]


def compute_composition(
    spec: CompositionData,
    data: Any = None,
    *,
    base_dir: Path | None = None,
    locate: Locate | None = None,
    progress: bool = False,
    max_groups: int | None = None,
    engine: str | None = None,
    session: Any = None,
) -> CompositionResults:
    """Composition statistics for ``spec`` (``data``: a DataFrame or Table instead of the file)."""
    from . import engines

    base = base_dir or Path.cwd()
    inp = engines.resolve(data, spec.path, spec.format, base)
    name, _reason = engines.choose(engine or spec.engine, inp)
    engines.require(name, inp.display)
    engines.check_input(name, inp)
    path = inp.path if inp.kind in ("file", "glob", "folder") else None
    runner = None
    if name == "arrow":
        src = open_source(inp.data) if inp.kind == "memory" else open_source(
            path=inp.path, fmt=spec.format, delimiter=spec.delimiter, display=inp.display, pinned=inp.pinned)
        column_names = src.column_names
        display = src.display
    else:
        from .engines.profile import Runner

        runner = Runner(inp, name, spec.delimiter, session, Preparation.of(spec))
        column_names = runner.column_names
        display = inp.display
    def at(key: Loc, message: str, hint: str) -> DataError:
        return locate(key, message, hint) if locate is not None else _error(display, message, hint)

    attrs = list(spec.sensitive_attributes)
    names = [factor_name(a) for a in attrs]
    columns = [a if isinstance(a, str) else a.column for a in attrs]
    from . import bias

    limit = MAX_GROUPS if max_groups is None else max_groups
    extra = bias.plan(spec, limit)
    strata = [] if extra is None else extra.columns[:extra.strata]
    _check_columns(spec.label, columns, strata, column_names, display, at)
    levels = [Levels(n, a if isinstance(a, BinnedFactor) else None, limit=limit) for n, a in zip(names, attrs)]
    counted = (levels, attrs, columns) if extra is None else (
        levels + extra.levels, attrs + extra.factors, columns + extra.columns)

    def error(message: str, hint: str) -> DataError:
        return at(("data", "sensitive_attributes"), message, hint)

    for lv in levels:
        lv.check_bins(error)

    group_counts: dict[tuple[int, ...], int] = {}
    dropped = filter_drops(Preparation.of(spec))
    if runner is not None:
        stats, rows = _engine_pass(runner, counted[0], counted[1], counted[2], group_counts, error)
        filtered = runner.backend.filtered
    else:
        stats, rows, filtered = _arrow_pass(src, counted[0], counted[2], group_counts, error, progress,
                                            Preparation.of(spec))
    if filtered:
        dropped["filter"] = filtered
    _check_label_values(spec.label, stats, at)
    check_intersections(names, [len(lv.labels) for lv in levels], _overs(names, spec.intersections), limit, error)
    k = spec.min_cell_size
    bias_results = None
    if extra is not None:
        def label_error(message: str, hint: str) -> DataError:
            return locate(("data", "label"), message, hint) if locate else _error(display, message, hint)

        found = bias.tables(spec, levels, extra, group_counts, _order, label_error)
        bias_results = bias.compute(spec, found, k)
        group_counts = bias.marginal(group_counts, len(levels))
    groups, unobserved = _group_shares(levels, group_counts, rows, k, spec.intersections)
    label_shares = _label_shares(stats[spec.label], rows, k) if spec.label is not None and spec.label in stats else None
    prov = provenance(data_path=path, base_dir=base, sha256=inp.digest(), rows_read=rows + filtered, rows_used=rows,
                      dropped=dropped, spec=spec, engine=name, size=inp.size)
    return CompositionResults.model_validate({
        "provenance": prov, "min_cell_size": k, "rows": rows,
        "columns": [stats[n].stats(rows, k) for n in column_names if n in stats],
        "label": spec.label, "label_shares": label_shares, "sensitive_attributes": names,
        "groups": groups, "unobserved": unobserved, "bias": bias_results,
    })


def _check_columns(label: str | None, columns: list[str], strata: list[str], column_names: list[str], display: str,
                   at: Locate) -> None:
    """The label, attribute and stratum columns are in the data, each once."""
    wanted = [c for c in [label, *columns, *strata] if c is not None]
    for i, c in enumerate(wanted):
        if c not in column_names:
            key = ("data", "label") if c == label and i == 0 else (
                "data", "sensitive_attributes" if c in columns else "conditional_on")
            raise at(key, f"column {c!r} is not in {display}", f"columns there: {', '.join(column_names[:20])}")
    twice = sorted({c for c in column_names if column_names.count(c) > 1})
    if twice:
        raise at(("data", "path"), f"column {twice[0]!r} appears more than once in {display}",
                 "give each column of the file a distinct name")


def _label_shares(col: _Column, rows: int, k: int) -> list[dict[str, Any]] | None:
    """The shares of the label's values (small ones suppressed); ``None`` past the distinct limit."""
    if col.values is None:
        return None
    shares: dict[str, int] = {}
    for v, count in col.values.items():
        shares[to_text(v)] = shares.get(to_text(v), 0) + count
    return suppress_shares(sorted(shares.items(), key=_natural), rows, k)


def _check_label_values(label: str | None, stats: dict[str, _Column], at: Callable[[Loc, str, str], DataError]) -> None:
    """A label column of lists, records or maps has no label per row."""
    if label is not None and label in stats and stats[label].nested:
        raise at(("data", "label"), f"column {label!r} holds {stats[label].type} values (lists or records), not one "
                 "label per row", "flatten it into a column of single values, or choose another column")


def _error(display: str, message: str, hint: str) -> DataError:
    return DataError(Finding(display, "data-error", message, hint=hint))


def _add_groups(group_counts: dict[tuple[int, ...], int], codes: list[np.ndarray], weights: np.ndarray | None) -> None:
    if not codes:
        return
    keys, inverse = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
    counts = np.bincount(inverse.reshape(-1), weights=weights, minlength=len(keys))
    for key, cnt in zip(map(tuple, keys.tolist()), counts.tolist()):
        group_counts[key] = group_counts.get(key, 0) + round(cnt)


def _codes(batch: Any, levels: list[Levels], columns: list[str], error: ErrorAt) -> list[np.ndarray]:
    codes = []
    for lv, col in zip(levels, columns):
        c, missing = factor_codes(batch.column(col), lv, error)
        codes.append(np.where(missing, lv.code(MISSING), c) if missing.any() else c)
    return codes


def _arrow_pass(src: Any, levels: list[Levels], columns: list[str], group_counts: dict[tuple[int, ...], int],
                error: ErrorAt, progress: bool, prep: Preparation | None) -> tuple[dict[str, _Column], int, int]:
    """``(per-column statistics, rows, rows the filter left out)``."""
    from .filtering.retype import prepared_batches

    stats: dict[str, _Column] = {}
    rows = filtered = 0
    tick = wrap_progress(src.total_rows, progress)
    for part in prepared_batches(src, prep, DISTINCT_LIMIT):
        batch = part.batch
        filtered += part.dropped
        for name, column in zip(batch.schema.names, batch.columns):
            if name not in stats:
                stats[name] = _Column(name, str(column.type))
            stats[name].add(column)
        _add_groups(group_counts, _codes(batch, levels, columns, error), None)
        rows += batch.num_rows
        if tick:
            tick(part.read)
    if tick:
        tick.close()
    return stats, rows, filtered


def _engine_pass(runner: Runner, levels: list[Levels], attrs: list[Factor], columns: list[str],
                 group_counts: dict[tuple[int, ...], int], error: ErrorAt) -> tuple[dict[str, _Column], int]:
    """The same statistics from an engine's counts (see :mod:`.engines.profile`)."""
    from .engines.aggregate import WEIGHT
    from .engines.profile import FactorAsk, column_counts, factor_rows

    rows, counts = column_counts(runner, DISTINCT_LIMIT)
    stats = {c.name: _Column.of(c) for c in counts}
    if columns:
        cuts = [list(a.bins) if isinstance(a, BinnedFactor) else None for a in attrs]
        ask = FactorAsk("", None, None, None, list(zip(columns, cuts)))
        table = factor_rows(runner, ask, {c.name: c.type for c in counts})
        for batch in table.to_batches():
            weights = batch.column(WEIGHT).to_numpy(zero_copy_only=False).astype(np.float64)
            _add_groups(group_counts, _codes(batch, levels, columns, error), weights)
    return stats, rows


def _group_shares(levels: list[Levels], counts: dict[tuple[int, ...], int], rows: int, k: int,
                  intersections: Intersections) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    names = [lv.name for lv in levels]
    groups: list[dict[str, Any]] = []
    unobserved: list[dict[str, str]] = []
    for over in _overs(names, intersections):
        summed: dict[tuple[int, ...], int] = {}
        for key, c in counts.items():
            sub = tuple(key[i] for i in over)
            summed[sub] = summed.get(sub, 0) + c
        combos = list(itertools.product(*(range(len(levels[i].labels)) for i in over)))
        combos.sort(key=lambda combo: tuple(_order(levels[i], c) for i, c in zip(over, combo)))
        items = []
        for combo in combos:
            group = {names[i]: levels[i].labels[c] for i, c in zip(over, combo)}
            n = summed.get(combo, 0)
            if n == 0:
                unobserved.append(group)
            else:
                items.append((group, n))
        shown = suppress_shares([(str(i), n) for i, (_, n) in enumerate(items)], rows, k)
        for (group, _), row in zip(items, shown):
            groups.append({"slice": group, "count": row["count"], "share": row["share"],
                           "suppressed": row["suppressed"]})
    return groups, unobserved


def _overs(names: list[str], intersections: Intersections) -> list[tuple[int, ...]]:
    """Each attribute, then the intersections asked for, as attribute indexes."""
    overs: list[tuple[int, ...]] = [(i,) for i in range(len(names))]
    if intersections == "all":
        overs += [c for r in range(2, len(names) + 1) for c in itertools.combinations(range(len(names)), r)]
    elif isinstance(intersections, list):
        overs += [tuple(i for i, n in enumerate(names) if n in combo) for combo in intersections]
    return list(dict.fromkeys(overs))


def _order(lv: Levels, code: int) -> tuple[int, float, str]:
    label = lv.labels[code]
    if label == MISSING:
        return (2, 0.0, label)
    if lv.binned is not None:
        return (0, float(code), label)
    return _natural((label, 0))
