"""A model card's attributions on DuckDB or Spark: the engine joins and sums, Python decides.

The attribution file and the evaluation data are two relations of one session (see
:mod:`.relations`), joined by ``id`` (every id once in each, the same ids: the checks and
findings of the Arrow pass) or, on DuckDB, by row number in file order.  Three queries:

* a pre-pass over the attribution file: per feature the values that are not numbers, the missing
  and non-finite ones (errors), and the largest absolute value, which sets the fixed scales of
  :class:`..attribution_sums.Scales` exactly as the Arrow pass sets them;
* the aggregate of the joined rows grouped by the factors' raw values (binned factors by range,
  with the smallest value): rows, per feature the smallest and largest attribution and the digit
  sums of Σa, Σ|a| and Σa² (:mod:`.fixed`: integers, so the order of the rows does not matter);
* for the top features, the same groups with the rows per histogram bin.

Python decodes the groups with the Arrow pass's factor decoder (groups, the ``(missing)`` group,
dropped rows), so every engine fills the same sums per finest cell and the rest is shared
(:func:`..attributions.finish`): the results file is the same, byte for byte.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import DataError, Finding
from ...schema.analysis import BinnedFactor, QuantitativeAnalyses, factor_name
from ..attribution_ids import exact_match
from ..attribution_read import error_at
from ..attribution_sums import Scales, Sums, checked_scales
from ..attributions import _edges, check_id_type, finish, hidden_bins
from ..filtering.prepare import Preparation
from ..levels import MISSING, Levels, factor_codes
from ..reading import Locate
from . import expr as ex
from .fixed import scaled_node
from .inputs import Input
from .relations import ROW, Relation, Relations, Unordered
from .sql import DIGITS, digit_sums

KEPT = "__cardwright_kept"
"""1 for the evaluation rows the data block's filter keeps, 0 for those it leaves out (they keep
their places for matching, and are left out of every sum, as are the rows without one of the
metrics' inputs: label, prediction, score, weight, class scores)."""
STATS = ("s", "a", "q")
"""Σa, Σ|a|, Σa²: the digit-sum names of a feature's statistics."""


def compute(spec: QuantitativeAnalyses, evaluation: Input, attributions: Input, engine: str,
            overs: list[tuple[str, ...]], *, session: Any = None, locate: Locate | None = None) -> dict[str, Any]:
    """The ``attributions`` block of a model card's results, on ``engine``."""
    att = spec.attributions
    assert att is not None and spec.data is not None
    rel = Relations(engine, session)
    try:
        try:
            e = rel.add(evaluation, spec.data.delimiter, numbered=att.id is None, prep=Preparation.of(spec.data),
                        flag=KEPT)
            a = rel.add(attributions, att.delimiter, numbered=att.id is None)
        except Unordered:
            raise error_at(att.path, "matching attributions by order needs an engine that keeps the order of the "
                           "rows; Spark reads files in parallel and does not",
                           "name an `id` column both files hold (or compute with `engine: duckdb` or `arrow`)",
                           locate, ("id",)) from None
        features = _features(rel, a, attributions, att.features, att.id, att.delimiter, att.path, locate)
        _check_columns(spec, e, a, locate)
        joined = _join(rel, spec, e, a, locate)
        scales = checked_scales(_prepass(rel, a, features, att.path, locate), features, att.path, locate)
        levels = [Levels(factor_name(f), f if isinstance(f, BinnedFactor) else None) for f in spec.factors]
        got = _aggregate(rel, spec, joined, features, scales)
        cells, dropped_groups = _cells(spec, levels, got)
        sums = Sums(len(features), scales)
        keep = cells >= 0
        n = got.column("__rows").to_numpy().astype(np.int64)
        sums.add_digits(cells[keep], n[keep], _digits(got, len(features))[keep],
                        _values(got, "lo", len(features))[keep], _values(got, "hi", len(features))[keep])
        dropped = int(n[dropped_groups].sum())

        def histograms(top: list[str]) -> list[dict[str, Any]]:
            return _histograms(rel, spec, levels, joined, top, features, sums)

        out = finish(spec, levels, sums, features, overs, dropped, histograms)
    finally:
        rel.close()
    out["sha256"] = attributions.digest()
    return out


def _features(rel: Relations, a: Relation, inp: Input, wanted: list[str] | None, id_column: str | None,
              delimiter: str, display: str, locate: Locate | None) -> list[str]:
    """The attribution columns: as the Arrow pass picks them for local files (the numeric
    columns, typed as Arrow reads them); for a table or a URI, its numeric columns."""
    from ..attribution_read import feature_columns, source_schema

    if inp.files:  # local: the first file's columns, typed as the Arrow pass reads them
        from ..reading import open_source

        src = open_source(path=inp.files[0], fmt=inp.fmt or None, delimiter=delimiter, display=display)
        return feature_columns(src.column_names, wanted, id_column, display, locate, source_schema(src))
    return feature_columns(a.column_names, wanted, id_column, display, locate,
                           lambda _names: rel.run(f"SELECT * FROM {a.sql} AS t LIMIT 0").schema)


def _check_columns(spec: QuantitativeAnalyses, e: Relation, a: Relation, locate: Locate | None) -> None:
    att = spec.attributions
    assert att is not None and spec.data is not None
    if att.id is None:
        return
    for relation, what, path in ((e, "evaluation data", spec.data.path), (a, "attribution file", att.path)):
        if att.id not in relation.column_names:
            raise error_at(path, f"the id column {att.id!r} is not in the {what} {path}",
                           "name a column both files hold, or leave `id` out to match rows by order", locate, ("id",))


def _join(rel: Relations, spec: QuantitativeAnalyses, e: Relation, a: Relation, locate: Locate | None) -> str:
    """The joined rows as a relation (after the checks that every evaluation row has exactly one
    attribution row)."""
    att = spec.attributions
    assert att is not None
    q = rel.dialect.quote
    if att.id is None:
        got = rel.run(f"SELECT (SELECT count(*) FROM {e.sql} AS x) AS ne, (SELECT count(*) FROM {a.sql} AS y) AS na")
        ne, na = int(got.column("ne")[0].as_py()), int(got.column("na")[0].as_py())
        if ne != na:
            raise error_at(att.path, f"the attribution file has {na:,} rows and the evaluation data {ne:,}",
                           "give one attribution row per evaluation row, in the same order (or name an `id` column)",
                           locate, ("path",))
        return f"{e.sql} AS e JOIN {a.sql} AS a ON e.{ROW} = a.{ROW}"
    assert spec.data is not None
    for r, what, path in ((e, "evaluation data", spec.data.path), (a, "attribution file", att.path)):
        typed = rel.run(f"SELECT {q(att.id)} AS k FROM {r.sql} AS t LIMIT 0").schema.field(0).type
        check_id_type(typed, att.id, what, path, locate)
    key = f"CAST({q(att.id)} AS STRING)"
    ids = {side: f"(SELECT {key} AS k FROM {r.sql} AS t)" for side, r in (("e", e), ("a", a))}
    dup = "(SELECT count(*) FROM (SELECT k FROM {0} AS d GROUP BY k HAVING count(*) > 1) AS c)"
    got = rel.run(
        f"SELECT (SELECT count(*) FROM {ids['e']} AS x WHERE k IS NULL) + "
        f"(SELECT count(*) FROM {ids['a']} AS x WHERE k IS NULL) AS nulls, "
        f"{dup.format(ids['e'])} AS dup_e, {dup.format(ids['a'])} AS dup_a, "
        f"(SELECT count(*) FROM {ids['e']} AS x) AS ne, (SELECT count(*) FROM {ids['a']} AS x) AS na, "
        f"(SELECT count(*) FROM {ids['a']} AS x LEFT JOIN (SELECT DISTINCT k AS j FROM {ids['e']} AS z) AS y "
        "ON x.k = y.j WHERE y.j IS NULL) AS extra").to_pydict()
    seen = {k: int(v[0]) for k, v in got.items()}
    if seen["nulls"] or seen["dup_e"] or seen["dup_a"] or seen["extra"] or seen["na"] != seen["ne"]:
        # the ids themselves, to name what differs as the Arrow pass does (the same finding)
        eval_ids = rel.run(f"SELECT k FROM {ids['e']} AS x").column("k").combine_chunks()
        attr_ids = rel.run(f"SELECT k FROM {ids['a']} AS x").column("k").combine_chunks()
        exact_match(eval_ids, attr_ids, att.path, locate)
    if seen["nulls"]:
        raise error_at(att.path, f"{seen['nulls']:,} rows have no id", "every row of both files needs an id",
                       locate, ("id",))
    for name, count in (("evaluation data", seen["dup_e"]), ("attribution file", seen["dup_a"])):
        if count:
            raise error_at(att.path, f"{count:,} ids appear more than once in the {name}",
                           "every id must name one row", locate, ("id",))
    if seen["extra"] or seen["na"] != seen["ne"]:
        raise error_at(att.path, f"the attribution file has {seen['na']:,} rows and the evaluation data {seen['ne']:,}; "
                       f"{seen['extra']:,} attribution ids are not in the evaluation data",
                       "give one attribution row for every evaluation row, with the same ids", locate, ("id",))
    return f"{e.sql} AS e JOIN {a.sql} AS a ON CAST(e.{q(att.id)} AS STRING) = CAST(a.{q(att.id)} AS STRING)"


def _double(rel: Relations, relation: str, column: str) -> str:
    return f"TRY_CAST({relation}.{rel.dialect.quote(column)} AS DOUBLE)"


def _prepass(rel: Relations, a: Relation, features: list[str], display: str, locate: Locate | None) -> np.ndarray:
    """Each feature's largest absolute attribution, after the checks (numbers, finite, present)."""
    finite = "(NOT isnan({x}) AND abs({x}) <= 1.7976931348623157E308)"
    aggs = []
    for f, name in enumerate(features):
        raw, x = f"t.{rel.dialect.quote(name)}", _double(rel, "t", name)
        ok = finite.format(x=x)
        aggs += [f"count(*) FILTER (WHERE {raw} IS NOT NULL AND {x} IS NULL) AS text{f}",
                 f"count(*) FILTER (WHERE {x} IS NULL OR NOT {ok}) AS bad{f}",
                 f"max(abs({x})) FILTER (WHERE {ok}) AS top{f}"]
    if not aggs:
        return np.zeros(0)
    got = {k: v[0] for k, v in rel.run(f"SELECT {', '.join(aggs)} FROM {a.sql} AS t").to_pydict().items()}
    for f, name in enumerate(features):
        if got[f"text{f}"]:
            raise error_at(display, f"attribution column {name!r} holds {int(got[f'text{f}']):,} values that are not "
                           "numbers", "attributions must be numbers", locate, ("features",))
        if got[f"bad{f}"]:
            raise error_at(display, f"attribution {name!r} is missing or not a finite number in {int(got[f'bad{f}']):,} "
                           "rows", "every attribution must be a number", locate, ("path",))
    return np.array([float(got[f"top{f}"] or 0.0) for f in range(len(features))])


def _keys(rel: Relations, spec: QuantitativeAnalyses, params: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """``(projections, group keys, outputs)`` of the factors: plain factors' raw values, binned
    factors' range codes with their smallest value."""
    from ..attributions import _metric_inputs

    q = rel.dialect.quote
    lacking = [f"e.{q(c)} IS NULL OR COALESCE(isnan({_double(rel, 'e', c)}), false)" for c in _metric_inputs(spec)]
    kept = f"e.{KEPT} = 1" + "".join(f" AND NOT ({m})" for m in lacking)
    select, keys, outputs = [f"CASE WHEN {kept} THEN 1 ELSE 0 END AS __kept"], ["__kept"], ["__kept"]
    for i, f in enumerate(spec.factors):
        if not isinstance(f, BinnedFactor):
            select.append(f"e.{q(f if isinstance(f, str) else f.column)} AS __k{i}")
            keys.append(f"__k{i}")
            outputs.append(f"__k{i}")
            continue
        x = _double(rel, "e", f.column)
        terms = []
        for j, cut in enumerate(f.bins):
            params[f"cut{i}_{j}"] = float(cut)
            terms.append(f"CAST({x} >= CAST({rel.dialect.param(f'cut{i}_{j}')} AS DOUBLE) AS INTEGER)")
        code = " + ".join(terms) if terms else "0"
        select += [f"CASE WHEN {x} IS NULL OR isnan({x}) THEN NULL ELSE {code} END AS __k{i}", f"{x} AS __x{i}"]
        keys.append(f"__k{i}")
        outputs.append(f"min(__x{i}) AS __k{i}v")
    return select, keys, outputs


def _aggregate(rel: Relations, spec: QuantitativeAnalyses, joined: str, features: list[str], scales: Scales) -> Any:
    params: dict[str, Any] = {}
    select, keys, outputs = _keys(rel, spec, params)
    aggs = []
    for f, name in enumerate(features):
        select.append(f"{_double(rel, 'a', name)} AS __a{f}")
        x = ex.Col(f"__a{f}")
        nodes = (scaled_node(x, scales.linear[f]), scaled_node(ex.absolute(x), scales.linear[f]),
                 scaled_node(ex.mul(x, x), scales.square[f]))
        for stat, node in zip(STATS, nodes):
            value = ex.sql(node, rel.dialect, params, {f"__a{f}": f"__a{f}"})
            aggs += digit_sums(rel.dialect, f"CAST({value} AS BIGINT)", f"{stat}{f}")
        aggs += [f"min(__a{f}) AS __lo{f}", f"max(__a{f}) AS __hi{f}"]
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    sql = (f"SELECT {', '.join([*outputs, *aggs, 'count(*) AS __rows'])} "
           f"FROM (SELECT {', '.join(select)} FROM {joined}) AS j{group}")
    return rel.run(sql, params)


def _cells(spec: QuantitativeAnalyses, levels: list[Levels], got: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each group's finest cell (−1: left out) and whether it was left out (by the data block's
    filter, or for a missing factor value under `missing_values: drop`), decoded as the Arrow pass
    decodes rows: only the rows the filter keeps are decoded (``levels`` grow as they are read)."""
    assert spec.data is not None

    def error(message: str, hint: str) -> DataError:
        return DataError(Finding(spec.data.path if spec.data else "<data>", "data-error", message, hint=hint))

    kept = got.column("__kept").to_numpy(zero_copy_only=False).astype(bool)
    codes = np.full((got.num_rows, len(levels)), -1, dtype=np.int64)
    rows = np.flatnonzero(kept)
    for i, (f, lv) in enumerate(zip(spec.factors, levels)):
        column = got.column(f"__k{i}v" if isinstance(f, BinnedFactor) else f"__k{i}").take(rows)
        c, missing = factor_codes(column.combine_chunks() if hasattr(column, "combine_chunks") else column, lv, error)
        if missing.any():
            c = np.where(missing, -1, c) if spec.missing_values == "drop" else np.where(missing, lv.code(MISSING), c)
        codes[rows, i] = c
    dropped = np.asarray(~kept | (codes < 0).any(axis=1))
    cell = np.zeros(got.num_rows, dtype=np.int64)
    for i, lv in enumerate(levels):
        cell = cell * len(lv.labels) + codes[:, i]
    cell[dropped] = -1
    return cell, dropped


def _digits(got: Any, features: int) -> np.ndarray:
    out = np.zeros((got.num_rows, 3, features, 3), dtype=np.int64)
    for s, stat in enumerate(STATS):
        for f in range(features):
            for j in range(3):
                out[:, s, f, j] = got.column(f"{DIGITS}{stat}{f}_{j}").to_numpy(zero_copy_only=False)
    return out


def _values(got: Any, what: str, features: int) -> np.ndarray:
    out = np.empty((got.num_rows, features))
    for f in range(features):
        out[:, f] = got.column(f"__{what}{f}").to_numpy(zero_copy_only=False).astype(np.float64)
    return out


def _histograms(rel: Relations, spec: QuantitativeAnalyses, levels: list[Levels], joined: str, top: list[str],
                features: list[str], sums: Sums) -> list[dict[str, Any]]:
    """The top features' histograms, as :func:`..attributions._histograms` counts them: the bin
    of a value is ``floor((x − e0) / step)`` clipped to the bins (IEEE operations every engine
    carries out alike), rows of dropped groups left out."""
    if not top:
        return []
    params: dict[str, Any] = {}
    select, keys, outputs = _keys(rel, spec, params)
    edges, aggs = [], []
    for t, name in enumerate(top):
        f = features.index(name)
        e = _edges(float(sums.lo[f]), float(sums.hi[f]))
        edges.append(e)
        step = (e[-1] - e[0]) / (len(e) - 1)
        node = ex.floor(ex.div(ex.sub(ex.Col("__x"), ex.const(float(e[0]))), ex.const(float(step))))
        value = ex.sql(node, rel.dialect, params, {"__x": _double(rel, "a", name)})
        select.append(f"least(greatest(CAST({value} AS BIGINT), 0), {len(e) - 2}) AS __b{t}")
        aggs += [f"count(*) FILTER (WHERE __b{t} = {b}) AS __h{t}_{b}" for b in range(len(e) - 1)]
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    got = rel.run(f"SELECT {', '.join([*outputs, *aggs])} FROM (SELECT {', '.join(select)} FROM {joined}) AS j{group}",
                  params)
    _, dropped = _cells(spec, levels, got)
    out = []
    for t, (name, e) in enumerate(zip(top, edges)):
        counts = np.array([int(np.asarray(got.column(f"__h{t}_{b}").to_numpy(zero_copy_only=False))[~dropped].sum())
                           for b in range(len(e) - 1)], dtype=np.int64)
        out.append(hidden_bins(name, e, counts, spec.min_group_size))
    return out
