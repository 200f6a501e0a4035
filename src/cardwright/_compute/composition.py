"""A datasheet's computable composition answers, from one pass over its data.

Per column: type, missing values, distinct values, numeric summaries and category shares; the
shares of the declared sensitive attributes and their intersections.  Small cells are never
published, and no published number gives one away: every count goes through
:mod:`.composition_tables` (rare values pooled, counts below ``min_cell_size`` suppressed with
complementary suppression over all linked tables, extremes only where enough rows share them).
A sensitive attribute's values are published as its groups only (a binned column as its ranges).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import DataError, Finding
from ..schema.analysis import BinnedFactor, CompositionData, Factor, Intersections, factor_name
from ..schema.results import CompositionResults
from .composition_tables import RARE, Cell, extremes, group_tables, keep_extremes, natural, value_table
from .counts import wrap_progress
from .engines.exact import Moments
from .filtering.prepare import Preparation, filter_drops
from .levels import MAX_GROUPS, MISSING, Levels, check_intersections, factor_codes
from .provenance import provenance
from .reading import ErrorAt, Loc, Locate, open_source, to_text

if TYPE_CHECKING:
    from . import bias, bias_grid
    from .engines.profile import ColumnCounts, Runner

__all__ = ["RARE", "compute_composition"]

DISTINCT_LIMIT = 10_000
CATEGORY_LIMIT = 50


class _Column:
    def __init__(self, name: str, type_name: str):
        self.name, self.type = name, type_name
        self.missing = 0
        self.values: dict[Any, int] | None = {}
        self.moments: Moments | None = None
        self.nested = False
        """Lists, records or maps: only missing values are counted (no values are published)."""
        self.lowest: list[float] = []
        self.highest: list[float] = []
        """The ``k`` smallest and largest finite values (extremes of columns with many values)."""

    def add(self, column: Any, k: int) -> None:
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
            x = x[np.isfinite(x)]
            self.moments.add_values(x)
            self.lowest = keep_extremes(self.lowest, x, k, largest=False)
            self.highest = keep_extremes(self.highest, x, k, largest=True)
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
        col.lowest, col.highest = list(counts.lowest), list(counts.highest)
        return col

    def labelled(self) -> dict[str, int] | None:
        """Value counts keyed by their text label (values sharing a label merged)."""
        if self.values is None:
            return None
        out: dict[str, int] = {}
        for v, c in self.values.items():
            out[to_text(v)] = out.get(to_text(v), 0) + c
        return out

    def has_categories(self, label: bool) -> bool:
        """Whether the values are published (rare ones pooled): few distinct values, and not a
        floating-point measurement unless the column is the label."""
        if self.values is None or len(self.values) > CATEGORY_LIMIT:
            return False
        return label or not self.type.startswith(("double", "float", "halffloat"))

    def numeric(self, k: int) -> dict[str, Any] | None:
        """min/max only when at least ``k`` rows hold them, low/high (the ``k``-th smallest and
        largest values), and mean and std only over at least ``k`` values."""
        if self.moments is None:
            return None
        summary = self.moments.summary()
        enough = self.moments.n >= k
        return {**extremes(self.values, self.lowest, self.highest, self.moments.n, k),
                "mean": summary["mean"] if enough else None, "std": summary["std"] if enough else None}

    def stats(self, rows: int, k: int, *, label: bool = False,
              table: tuple[list[dict[str, Any]] | None, Cell] | None = None
              ) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
        """The column's published statistics and its category rows (for the label, its shares).
        ``table``: its categories and missing count as protected with other tables (a sensitive
        attribute's missing count is its missing group, and its values are published as those
        groups, not as categories)."""
        categories, gone = table if table is not None else value_table(
            self.labelled(), self.missing, rows, k, categories=self.has_categories(label))
        # the number of values bounds the rows holding them: not shown beside a hidden missing count or pool
        hidden = gone.suppressed or any(c["suppressed"] and c["value"] == RARE for c in categories or [])
        out: dict[str, Any] = {
            "name": self.name, "type": self.type, "missing": gone.count, "missing_share": gone.share,
            "distinct": len(self.values) if self.values is not None and not hidden else None,
            "distinct_limit": DISTINCT_LIMIT,
        }
        numeric = self.numeric(k)
        if numeric is not None:
            out["numeric"] = numeric
        if categories is not None:
            out["categories"] = categories
        return out, categories


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
    base = base_dir or Path.cwd()
    inp, name, src, runner = _open(spec, data, base, engine, session)
    path = inp.path if inp.kind in ("file", "glob", "folder") else None
    column_names = src.column_names if runner is None else runner.column_names
    display = src.display if runner is None else inp.display

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
    keyed = (levels, attrs, columns) if extra is None else (
        levels + extra.levels, attrs + extra.factors, columns + extra.columns)

    def error(message: str, hint: str) -> DataError:
        return at(("data", "sensitive_attributes"), message, hint)

    for lv in levels:
        lv.check_bins(error)

    group_counts: dict[tuple[int, ...], int] = {}
    dropped = filter_drops(Preparation.of(spec))
    k = spec.min_cell_size
    if runner is not None:
        stats, rows = _engine_pass(runner, keyed[0], keyed[1], keyed[2], group_counts, error, k)
        filtered = runner.backend.filtered
    else:
        stats, rows, filtered = _arrow_pass(src, keyed[0], keyed[2], group_counts, error, progress,
                                            Preparation.of(spec), k)
    if filtered:
        dropped["filter"] = filtered
        if rows == 0:
            raise at(("data", "filter"), f"the filter left no rows: it dropped all {filtered:,} rows read from "
                     f"{display}", "check the filter's columns and values against the file (text compares "
                     "exactly, with its case)")
    _check_label_values(spec.label, stats, at)
    check_intersections(names, [len(lv.labels) for lv in levels], _overs(names, spec.intersections), limit, error)

    def label_error(message: str, hint: str) -> DataError:
        return at(("data", "label"), message, hint)

    counted = _Counted(stats, rows, group_counts, levels, names, columns)
    groups, unobserved, tables, bias_results = _protect(spec, extra, counted, label_error, locate)
    published, label_shares = [], None
    for n in column_names:
        if n not in stats:
            continue
        row, categories = stats[n].stats(rows, k, label=n == spec.label, table=tables.get(n))
        published.append(row)
        if n == spec.label:
            label_shares = categories
    prov = provenance(data_path=path, base_dir=base, sha256=inp.digest(), rows_read=rows + filtered, rows_used=rows,
                      dropped=dropped, spec=spec, engine=name, size=inp.size)
    return CompositionResults.model_validate({
        "provenance": prov, "min_cell_size": k, "rows": rows, "columns": published,
        "label": spec.label, "label_shares": label_shares, "sensitive_attributes": names,
        "groups": groups, "unobserved": unobserved, "bias": bias_results,
    })


def _open(spec: CompositionData, data: Any, base: Path, engine: str | None, session: Any) -> tuple[Any, str, Any, Any]:
    """``(input, engine name, Arrow source or None, engine runner or None)`` for ``spec``'s data."""
    from . import engines

    inp = engines.resolve(data, spec.path, spec.format, base)
    name, _reason = engines.choose(engine or spec.engine, inp)
    engines.require(name, inp.display)
    engines.check_input(name, inp)
    if name == "arrow":
        src = open_source(inp.data) if inp.kind == "memory" else open_source(
            path=inp.path, fmt=spec.format, delimiter=spec.delimiter, display=inp.display, pinned=inp.pinned)
        return inp, name, src, None
    from .engines.profile import Runner

    return inp, name, None, Runner(inp, name, spec.delimiter, session, Preparation.of(spec))


@dataclass
class _Counted:
    """What the composition pass counted."""

    stats: dict[str, _Column]
    rows: int
    group_counts: dict[tuple[int, ...], int]
    """Rows per combination of the attributes' groups (then, with bias measures, strata and label)."""
    levels: list[Levels]
    names: list[str]
    columns: list[str]


Table = tuple[list[dict[str, Any]] | None, Cell]


def _protect(spec: CompositionData, extra: bias.BiasPlan | None, counted: _Counted,
             label_error: Callable[[str, str], DataError], locate: Locate | None
             ) -> tuple[list[dict[str, Any]], list[dict[str, str]], dict[str, Table], dict[str, Any] | None]:
    """The groups, the unobserved intersections, the tables of the columns protected with them
    (by column) and the bias block: with bias measures, all protected in one grid
    (:mod:`.bias_grid`), else the groups' tables on their own."""
    from . import bias, bias_grid

    k, rows, levels, names = spec.min_cell_size, counted.rows, counted.levels, counted.names
    joint = found = None
    tables: dict[str, Table] = {}
    if extra is not None:
        found = bias.tables(spec, levels, extra, counted.group_counts, _order, label_error, k)
        joint = bias_grid.protect(found, spec.bias_metrics, spec.intersections,
                                  _joint_columns(spec, extra, counted.stats), rows, k)
        if joint is None and locate is not None:
            _warn_everything_hidden(spec, locate)
    if joint is not None:
        groups, unobserved, missing, tables = joint.groups, joint.unobserved, joint.missing, joint.columns
    else:
        groups, unobserved, missing = group_tables(
            names, [list(lv.labels) for lv in levels], bias.marginal(counted.group_counts, len(levels)), rows, k,
            _overs(names, spec.intersections), lambda i, code: _order(levels[i], code), MISSING)
    bias_results = None
    if extra is not None and found is not None:
        shield = joint.shield if joint is not None else _all_hidden(spec, extra, counted, tables)
        bias_results = bias.compute(spec, found, shield)
    for n, col in zip(names, counted.columns):
        tables[col] = (None, missing.get(n, Cell(0, 0.0 if rows else None, False)))
    return groups, unobserved, tables, bias_results


def _all_hidden(spec: CompositionData, extra: bias.BiasPlan, counted: _Counted,
                tables: dict[str, Table]) -> bias_grid.AllHidden:
    """Every bias row hidden, the tables protected on their own: the rows with a label are
    published when the label's missing count is, and a binned stratum column publishes its missing
    count only (as with the grid)."""
    from . import bias_grid

    k, rows, stats = spec.min_cell_size, counted.rows, counted.stats
    for factor, col in zip(extra.factors[:extra.strata], extra.columns[:extra.strata]):
        if isinstance(factor, BinnedFactor) and col in stats:  # its ranges, not its values
            tables[col] = value_table(None, stats[col].missing, rows, k, categories=False)
    label = spec.label
    missing = stats[label].stats(rows, k, label=True)[0]["missing"] if label is not None and label in stats else 0
    return bias_grid.AllHidden(k, missing is not None)


def _joint_columns(spec: CompositionData, extra: bias.BiasPlan, stats: dict[str, _Column]) -> bias_grid.Columns:
    """The label's and the strata columns' value tables in the joint grid: a binned stratum column
    publishes its missing count only (its raw values would undo the binning)."""
    from . import bias_grid

    plain = [not isinstance(f, BinnedFactor) for f in extra.factors[:extra.strata]]
    label = spec.label
    return bias_grid.Columns(
        label, label in stats and stats[label].has_categories(True), extra.columns[:extra.strata],
        [p and c in stats and stats[c].has_categories(False) for p, c in zip(plain, extra.columns[:extra.strata])])


def _warn_everything_hidden(spec: CompositionData, loc: Locate) -> None:
    from dataclasses import replace

    from ..errors import warn

    finding = loc(("data", "bias_metrics"), "every bias measure is hidden: the groups, strata and label values "
                  f"have too many cells below min_cell_size {spec.min_cell_size} to protect them one by one",
                  "report fewer intersections, fewer or coarser strata (conditional_on) or coarser groups, so that "
                  "most cells hold at least min_cell_size rows")
    warn(replace(finding.findings[0], code="protected-all", severity="warning"))


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
                error: ErrorAt, progress: bool, prep: Preparation | None, k: int) -> tuple[dict[str, _Column], int, int]:
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
            stats[name].add(column, k)
        _add_groups(group_counts, _codes(batch, levels, columns, error), None)
        rows += batch.num_rows
        if tick:
            tick(part.read)
    if tick:
        tick.close()
    return stats, rows, filtered


def _engine_pass(runner: Runner, levels: list[Levels], attrs: list[Factor], columns: list[str],
                 group_counts: dict[tuple[int, ...], int], error: ErrorAt, k: int) -> tuple[dict[str, _Column], int]:
    """The same statistics from an engine's counts (see :mod:`.engines.profile`)."""
    from .engines.aggregate import WEIGHT
    from .engines.profile import FactorAsk, column_counts, factor_rows

    rows, counts = column_counts(runner, DISTINCT_LIMIT, k)
    stats = {c.name: _Column.of(c) for c in counts}
    if columns:
        cuts = [list(a.bins) if isinstance(a, BinnedFactor) else None for a in attrs]
        ask = FactorAsk("", None, None, None, list(zip(columns, cuts)))
        table = factor_rows(runner, ask, {c.name: c.type for c in counts})
        for batch in table.to_batches():
            weights = batch.column(WEIGHT).to_numpy(zero_copy_only=False).astype(np.float64)
            _add_groups(group_counts, _codes(batch, levels, columns, error), weights)
    return stats, rows


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
    return natural(label)
