"""Per-row feature attributions turned into importance per group.

``quantitative_analyses.attributions`` names a file with one row per evaluation row and one column
per feature (SHAP values, LIME weights, integrated gradients…).  Rows are matched with the
evaluation data by an ``id`` column both files hold (every id once in each, the same ids) or, without
one, by order (the same number of rows); anything else is an error that says what differs
(:mod:`.attribution_ids`).

One pass over each file.  The evaluation file, read through the data block's preparation (its
`filter`, `na_values`, `strip_whitespace`, as for the metrics), gives every row its finest cell (a
group of every factor; −1 for a row left out); the attribution file is read in batches of about
64 MB (:mod:`.attribution_read`), sorted by cell once per batch, and, per cell and feature, the
rows' count, Σa, Σ|a| and Σa² are summed exactly (:mod:`.attribution_sums`: digit sums at scales
set by each feature's largest absolute attribution), so the sums are the same in any row order
and on DuckDB and Spark (:mod:`.engines.attribution_pass`, which fills the same sums).  Everything after
(:func:`finish`) is shared by every engine and is a function of those sums: for every slice
(overall, each factor, each intersection) the mean absolute attribution (``mean_abs_attribution``,
the usual global importance of SHAP) and the mean signed attribution (``mean_attribution``), each
with a normal interval ``mean ± z·s/√n`` from the slice's own variance; rank ranges from the
intervals (a feature's rank can be anything from 1 + the number of features whose interval lies
wholly above its own, to the number whose interval reaches its own), and a flag for every feature
whose rank ranges in two groups of a factor do not overlap; and, for the ``top_k`` most important
features overall, a histogram of the attributions (a second read of those columns) for the
distribution plot, bins below the count threshold suppressed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError, Finding
from ..schema.analysis import BinnedFactor, QuantitativeAnalyses, factor_name
from .attribution_ids import match
from .attribution_read import batch_rows, error_at, feature_columns, source_schema
from .attribution_sums import Sums, sum_cells
from .counts import level_order
from .intervals import z_value
from .levels import MISSING, Levels, factor_codes
from .reading import Locate, open_source
from .tasks.common import ROUNDING

HISTOGRAM_BINS = 40


def _eval_cells(spec: QuantitativeAnalyses, base: Path, id_column: str | None,
                locate: Locate | None) -> tuple[list[Levels], np.ndarray, Any, int]:
    """The factors' levels, every evaluation row's finest cell (−1: left out by the data block's
    `filter`, or for a missing factor value with `missing_values: drop`), their ids, rows left out."""
    assert spec.data is not None
    src = open_source(path=base / spec.data.path, fmt=spec.data.format, delimiter=spec.data.delimiter,
                      display=spec.data.path)
    levels = [Levels(factor_name(f), f if isinstance(f, BinnedFactor) else None) for f in spec.factors]
    columns = [f if isinstance(f, str) else f.column for f in spec.factors]
    if id_column is not None and id_column not in src.column_names:
        raise error_at(spec.data.path, f"the id column {id_column!r} is not in the evaluation data {spec.data.path}",
                       "name a column both files hold, or leave `id` out to match rows by order", locate, ("id",))

    def error(message: str, hint: str) -> DataError:
        return DataError(Finding(spec.data.path if spec.data else "<data>", "data-error", message, hint=hint))

    from .filtering.compile_arrow import read
    from .filtering.prepare import Preparation

    text = tuple(c for c, f in zip(columns, spec.factors) if isinstance(f, str))
    numeric = tuple(f.column for f in spec.factors if isinstance(f, BinnedFactor))
    inputs = _metric_inputs(spec)
    prep = Preparation.of(spec.data)
    # without a filter every row reaches the batches: the ids are read in the same pass
    extra = [id_column] if id_column is not None and (prep is None or prep.expression is None) \
        and id_column not in columns and id_column not in inputs else []
    wanted = list(dict.fromkeys([*columns, *inputs, *extra]))
    text_read = (*text, *extra)
    codes: list[list[np.ndarray]] = [[] for _ in levels]
    filtered: list[np.ndarray] = []
    id_parts: list[Any] = []
    # the rows the metrics use: the data block's filter and cleaning apply here too, and a row
    # without one of the metrics' inputs (label, prediction, score, weight) is left out as the
    # metrics leave it out; such a row keeps its place (for matching by order or id) with cell −1
    for part in read(src, wanted, text_read, prep, numeric):
        kept = None if src.kept_rows is None else src.kept_rows[1] - part.offset
        if extra:
            id_parts.append(part.batch.column(id_column))
        out = np.zeros(part.read, dtype=bool)
        if kept is not None:
            out[:] = True
            out[kept] = False
        lacking = _lacking(part.batch, inputs)
        if lacking is not None:
            out[kept if kept is not None else slice(None)] |= lacking
        filtered.append(out)
        for i, (col, lv) in enumerate(zip(columns, levels)):
            c, missing = factor_codes(part.batch.column(col), lv, error)
            if missing.any():
                c = np.where(missing, -1 if spec.missing_values == "drop" else lv.code(MISSING), c)
            if kept is not None:
                full = np.full(part.read, -1, dtype=np.int64)
                full[kept] = c
                c = full
            codes[i].append(c)

    # every row's finest cell, numbered in mixed radix over the factors' final group counts (−1: left out)
    dropped = np.concatenate(filtered) if filtered else np.zeros(0, dtype=bool)
    cell: np.ndarray = np.zeros(len(dropped), dtype=np.int64)
    for lv, parts in zip(levels, codes):
        c = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        dropped |= c < 0
        cell *= len(lv.labels)
        cell += c
    cell[dropped] = -1
    id_array = None
    if id_column is not None:
        id_array = _concatenated(id_parts) if extra else _evaluation_ids(src, id_column, prep)
        check_id_type(id_array.type, id_column, "evaluation data", spec.data.path, locate)
    return levels, cell, id_array, int(dropped.sum())


def _evaluation_ids(src: Any, id_column: str, prep: Any) -> Any:
    """The evaluation data's ids, read as every engine reads them: as text from a CSV file, cleaned
    as the data block says (`strip_whitespace`, `na_values`: an id equal to a missing-value token is
    missing) like every other column of the data, for every row (the filter's too: they keep their
    places)."""
    import dataclasses

    from .filtering.compile_arrow import read

    cleaning = None if prep is None else dataclasses.replace(prep, expression=None)
    return _concatenated([part.batch.column(id_column) for part in read(src, [id_column], (id_column,), cleaning)])


def _concatenated(parts: list[Any]) -> Any:
    import pyarrow as pa

    return pa.concat_arrays([c.combine_chunks() if hasattr(c, "combine_chunks") else c for c in parts]) \
        if parts else pa.array([], pa.string())


def check_id_type(column_type: Any, id_column: str, what: str, display: str, locate: Locate | None) -> None:
    """Ids are text or integers (whole-number decimals too: Spark reads an unsigned 64-bit
    integer as ``decimal(20,0)``); any other column is refused on every engine, since each engine
    writes such a value as text in its own way (``7`` or ``7.0``, ``1e+20`` or ``1.0E20``; a
    timestamp with or without its microseconds; bytes decoded or escaped), so files would match on
    one engine and not on another."""
    import pyarrow as pa

    t = column_type.value_type if pa.types.is_dictionary(column_type) else column_type
    if (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t) or pa.types.is_null(t)
            or (pa.types.is_decimal(t) and t.scale == 0)):
        return
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        kind, fix = "floating-point numbers", ("a column of whole numbers with a gap reads as floating point: "
                                               "fill the gap, or cast the column")
    elif pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        kind, fix = "bytes, not text", "write the column as UTF-8 text"
    elif pa.types.is_temporal(t):
        kind, fix = "dates or times", "write them as text, in the same format in both files"
    else:
        kind, fix = "values that are neither text nor integers", "cast the column"
    raise error_at(display, f"the id column {id_column!r} of the {what} holds {kind} ({column_type}); "
                   "ids must be text or integers", f"store the ids as integers or text in both files ({fix})",
                   locate, ("id",))


def _metric_inputs(spec: QuantitativeAnalyses) -> list[str]:
    """The evaluation columns a row needs for the metrics to count it."""
    data = spec.data
    assert data is not None
    named = [data.label, data.prediction, data.score, data.weight, *(data.class_scores or {}).values()]
    return list(dict.fromkeys(c for c in named if c is not None))


def _lacking(batch: Any, inputs: list[str]) -> np.ndarray | None:
    """Rows of ``batch`` missing one of ``inputs`` (null, or NaN in a float column); ``None``: none."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out: np.ndarray | None = None
    for name in inputs:
        column = batch.column(name)
        floating = pa.types.is_floating(column.type)
        if not column.null_count and not (floating and np.isnan(column.to_numpy(zero_copy_only=False)).any()):
            continue  # nothing missing: no mask to build
        missing = column.is_null()
        if pa.types.is_floating(column.type):
            missing = pc.or_(missing, pc.fill_null(pc.is_nan(column), False))
        if pc.any(missing).as_py():
            m = missing.to_numpy(zero_copy_only=False)
            out = m if out is None else out | m
    return out


def compute(spec: QuantitativeAnalyses, base: Path, overs: list[tuple[str, ...]], *,
            locate: Locate | None = None) -> dict[str, Any]:
    """The ``attributions`` block of a model card's results."""
    att = spec.attributions
    assert att is not None
    from concurrent.futures import ThreadPoolExecutor

    from .engines import data_digest

    with ThreadPoolExecutor(1) as pool:  # hashing releases the GIL: it runs beside the reads
        digest = pool.submit(data_digest, base / att.path)
        out = _compute(spec, base, overs, locate)
        out["sha256"] = digest.result()
    return out


def _compute(spec: QuantitativeAnalyses, base: Path, overs: list[tuple[str, ...]],
             locate: Locate | None) -> dict[str, Any]:
    att = spec.attributions
    assert att is not None
    levels, cell, eval_ids, dropped = _eval_cells(spec, base, att.id, locate)
    src = open_source(path=base / att.path, fmt=att.format, delimiter=att.delimiter, display=att.path)
    features = feature_columns(src.column_names, att.features, att.id, att.path, locate, source_schema(src))
    if att.id is not None:
        attr_ids = _concatenated([b.column(att.id) for b in src.batches([att.id], (att.id,))])
        check_id_type(attr_ids.type, att.id, "attribution file", att.path, locate)
        row_of = match(eval_ids, attr_ids, att.path, locate)
    else:
        row_of = None
        total = src.total_rows if src.total_rows is not None else sum(b.num_rows for b in src.batches(features[:1]))
        if total != len(cell):
            raise error_at(att.path, f"the attribution file has {total:,} rows and the evaluation data {len(cell):,}",
                           "give one attribution row per evaluation row, in the same order (or name an `id` column)",
                           locate, ("path",))
    sums = sum_cells(src, features, cell, row_of, att.path, locate)
    return finish(spec, levels, sums, features, overs, dropped,
                  lambda top: _histograms(src, top, features, sums, cell, row_of, spec.min_group_size))


def finish(spec: QuantitativeAnalyses, levels: list[Levels], sums: Sums, features: list[str],
           overs: list[tuple[str, ...]], dropped: int,
           histograms: Callable[[list[str]], list[dict[str, Any]]]) -> dict[str, Any]:
    """The ``attributions`` block from the sums per cell, on every engine (``histograms``: the
    distributions of the top features, read by the engine)."""
    att = spec.attributions
    assert att is not None
    sizes = [len(lv.labels) for lv in levels]
    sums.grow(math.prod(sizes))
    out = _summaries(spec, levels, sums, features, overs)
    top = [features[i] for i in _top(out["importance"], features, att.top_k)]
    out["distributions"] = histograms(top)
    out.update(path=att.path, id=att.id, features=features, rows_matched=int(sums.n.sum()),
               rows_dropped=dropped, top_k=att.top_k)
    return out


def _summaries(spec: QuantitativeAnalyses, levels: list[Levels], sums: Sums, features: list[str],
               overs: list[tuple[str, ...]]) -> dict[str, Any]:
    from .engines.fixed import to_float

    sizes = [len(lv.labels) for lv in levels]
    orders = [level_order(lv.labels, lv.binned is not None, MISSING) for lv in levels]
    names = [lv.name for lv in levels]

    def table(a: np.ndarray) -> np.ndarray:
        out = a[: math.prod(sizes)].reshape(*sizes, *a.shape[1:])
        for axis, o in enumerate(orders):
            out = np.take(out, o, axis=axis)
        return out

    n, digits = table(sums.n), table(sums.digits)
    scales = sums.scales
    level, k = spec.confidence.level, spec.min_group_size
    z = z_value(level)
    importance: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    for over in overs:
        axes = tuple(i for i, name in enumerate(names) if name not in over)
        keep = [i for i, name in enumerate(names) if name in over]
        cn = (n.sum(axis=axes) if axes else n).reshape(-1)
        cd = (digits.sum(axis=axes) if axes else digits).reshape(-1, 3, len(features), 3)
        c1, ca = to_float(cd[:, 0], scales.linear), to_float(cd[:, 1], scales.linear)
        c2 = to_float(cd[:, 2], scales.square)
        keys = [dict(zip([names[i] for i in keep], combo))
                for combo in itertools.product(*([levels[i].labels[j] for j in orders[i]] for i in keep))]
        ranges: list[tuple[dict[str, str], np.ndarray, np.ndarray, np.ndarray]] = []
        for g, key in enumerate(keys):
            m = int(cn[g])
            if m == 0:
                continue
            rows, rank, r_low, r_high = _group_rows(key, m, ca[g], c1[g], c2[g], features, z, k)
            importance += rows
            if m >= k:
                ranges.append((key, rank, r_low, r_high))
        if over:
            flags += _rank_flags(list(over), ranges, features)
    return {"level": level, "importance": importance, "rank_flags": flags}


def _group_rows(key: dict[str, str], m: int, ca: np.ndarray, c1: np.ndarray, c2: np.ndarray, features: list[str],
                z: float, k: int) -> tuple[list[dict[str, Any]], np.ndarray, np.ndarray, np.ndarray]:
    """One group's rows (mean absolute and mean signed attribution per feature, with normal
    intervals and rank ranges), and its ranks and rank range."""
    small = m < k
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_abs, mean = ca / m, c1 / m
        var, var_abs = (_sample_variance(c1, c2, m), _sample_variance(ca, c2, m)) if m > 1 else (
            np.full(len(features), np.nan), np.full(len(features), np.nan))
    half_abs, half = z * np.sqrt(var_abs / m), z * np.sqrt(var / m)
    lo, hi = mean_abs - half_abs, mean_abs + half_abs
    rank = np.empty(len(features), dtype=np.int64)
    rank[np.argsort(-mean_abs, kind="stable")] = np.arange(1, len(features) + 1)
    r_low = 1 + np.array([(lo > hi[f]).sum() for f in range(len(features))])
    r_high = np.array([(hi >= lo[f]).sum() for f in range(len(features))])
    rows: list[dict[str, Any]] = []
    for f, feature in enumerate(features):
        for metric, value, h in (("mean_abs_attribution", mean_abs[f], half_abs[f]),
                                 ("mean_attribution", mean[f], half[f])):
            row: dict[str, Any] = {"slice": key, "feature": feature, "metric": metric, "n": m,
                                   "value": None, "suppressed": small}
            if small:
                row["reason"] = f"fewer than {k} rows (min_group_size)"
            else:
                row["value"] = float(value)
                if math.isfinite(h):
                    row.update(ci_low=float(value - h), ci_high=float(value + h), interval="normal")
                if metric == "mean_abs_attribution":
                    row.update(rank=int(rank[f]), rank_low=int(r_low[f]), rank_high=int(r_high[f]))
            rows.append(row)
    return rows, rank, r_low, r_high


def _sample_variance(c1: np.ndarray, c2: np.ndarray, m: int) -> np.ndarray:
    """(Σx² − (Σx)²/m) / (m − 1) from the sums, 0 where the difference is within the rounding of
    Σx² (``ROUNDING``): a feature constant in a slice gets an interval of width 0, not one of the
    rounding's width."""
    spread = c2 - c1 ** 2 / m
    return np.where(spread > ROUNDING * c2, spread, 0.0) / (m - 1)


def _rank_flags(over: list[str], ranges: list[tuple[dict[str, str], np.ndarray, np.ndarray, np.ndarray]],
                features: list[str]) -> list[dict[str, Any]]:
    """Features whose rank ranges in two groups do not overlap."""
    out = []
    for f, feature in enumerate(features):
        apart = [(a[0], b[0]) for a, b in itertools.combinations(ranges, 2)
                 if a[3][f] < b[2][f] or b[3][f] < a[2][f]]
        if apart:
            out.append({"over": over, "feature": feature,
                        "groups": [{"slice": key, "rank": int(rank[f]), "rank_low": int(lo[f]), "rank_high": int(hi[f])}
                                   for key, rank, lo, hi in ranges],
                        "pairs": [[a, b] for a, b in apart]})
    return out


def _top(importance: list[dict[str, Any]], features: list[str], k: int) -> list[int]:
    overall = {r["feature"]: r["value"] for r in importance
               if r["slice"] == {} and r["metric"] == "mean_abs_attribution" and r["value"] is not None}
    order = sorted(range(len(features)), key=lambda i: (-overall.get(features[i], -math.inf), i))
    return order[:k]


def _histograms(src: Any, top: list[str], features: list[str], sums: Sums, cell: np.ndarray,
                row_of: np.ndarray | None, k: int) -> list[dict[str, Any]]:
    """Counts of each top feature's attributions in equal bins over its range (rows in a dropped
    group left out); a bin below ``k`` rows is suppressed, and so is the next smallest when one
    would otherwise follow from the total."""
    if not top:
        return []
    index = [features.index(f) for f in top]
    edges = [_edges(float(sums.lo[i]), float(sums.hi[i])) for i in index]
    counts = [np.zeros(len(e) - 1, dtype=np.int64) for e in edges]
    offset = 0
    for batch in src.batches(top, rows=batch_rows(len(top))):
        rows = slice(offset, offset + batch.num_rows)
        keep = (cell[row_of[rows]] if row_of is not None else cell[rows]) >= 0
        every = bool(keep.all())
        for j, f in enumerate(top):
            x = batch.column(f).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
            x = x if every else x[keep]
            e = edges[j]
            step = (e[-1] - e[0]) / (len(e) - 1)
            b = np.clip(np.floor((x - e[0]) / step).astype(np.int64), 0, len(counts[j]) - 1)
            counts[j] += np.bincount(b, minlength=len(counts[j]))
        offset += batch.num_rows
    return [hidden_bins(f, e, c, k) for f, e, c in zip(top, edges, counts)]


def hidden_bins(feature: str, edges: np.ndarray, counts: np.ndarray, k: int) -> dict[str, Any]:
    """One feature's distribution: a bin below ``k`` rows is suppressed, and so is the next
    smallest when one would otherwise follow from the total."""
    hidden = (counts > 0) & (counts < k)
    if hidden.sum() == 1:
        rest = np.flatnonzero(~hidden & (counts > 0))
        if len(rest):
            hidden[rest[np.argmin(counts[rest])]] = True
    return {"feature": feature, "edges": [float(v) for v in edges],
            "counts": [None if h else int(v) for v, h in zip(counts, hidden)]}


def _edges(lo: float, hi: float) -> np.ndarray:
    """Equal bins on a round step covering ``[lo, hi]`` (so the edges do not publish one row's
    extreme value)."""
    span = hi - lo if hi > lo else max(abs(lo), 1.0)
    raw = span / HISTOGRAM_BINS
    step = 10 ** math.floor(math.log10(raw))
    step = next(m * step for m in (1, 2, 2.5, 5, 10) if m * step >= raw)
    start, stop = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if stop <= start:
        stop = start + step
    count = max(1, round((stop - start) / step))
    return np.asarray(np.round(start + step * np.arange(count + 1), 12), dtype=np.float64)
