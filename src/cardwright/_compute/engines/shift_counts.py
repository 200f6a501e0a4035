"""Distribution shift's counts on DuckDB or Spark: the engine counts, Python decides.

Per compared factor the engine returns one row per raw value (a binned factor: per range, with
its smallest value) with its rows, and for the label one row per raw value.  The Arrow pass's
decoder turns the values into groups (the ``(missing)`` group, binned labels) and
:func:`..reading.matches_label` decides which label values are positive, so every engine gives
the counts the Arrow pass gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import DataError, Finding
from ...schema.analysis import BinnedFactor, Factor, factor_name
from ..filtering.prepare import Preparation
from ..levels import MISSING, Levels, factor_codes
from ..reading import matches_label
from .inputs import Input
from .relations import Relations


def count(inp: Input, engine: str, delimiter: str, factors: list[Factor], label: str | None, positive: Any,
          display: str, session: Any = None, prep: Preparation | None = None,
          ) -> tuple[list[dict[str, int]], dict[str, int], int]:
    """Per factor its groups' counts, the label's positive/negative/missing counts (when
    ``label`` is given), and the rows: of the rows the data block's preparation ``prep`` keeps."""
    rel = Relations(engine, session)
    try:
        relation = rel.add(inp, delimiter, prep=prep)
        columns = [f if isinstance(f, str) else f.column for f in factors]
        check_columns(relation.column_names, columns, label, display)
        q = rel.dialect.quote
        rows = int(rel.run(f"SELECT count(*) AS n FROM {relation.sql} AS t").column("n")[0].as_py())

        def error(message: str, hint: str) -> DataError:
            return DataError(Finding(display, "data-error", message, hint=hint))

        out = []
        for i, f in enumerate(factors):
            lv = Levels(factor_name(f), f if isinstance(f, BinnedFactor) else None)
            if isinstance(f, BinnedFactor):
                x = f"TRY_CAST(t.{q(f.column)} AS DOUBLE)"
                params = {f"cut{j}": float(c) for j, c in enumerate(f.bins)}
                code = " + ".join(f"CAST({x} >= CAST({rel.dialect.param(k)} AS DOUBLE) AS INTEGER)" for k in params)
                got = rel.run(f"SELECT min(x) AS v, count(*) AS n FROM (SELECT {x} AS x, CASE WHEN {x} IS NULL OR "
                              f"isnan({x}) THEN NULL ELSE {code or '0'} END AS k FROM {relation.sql} AS t) AS s "
                              "GROUP BY k", params)
            else:
                got = rel.run(f"SELECT t.{q(columns[i])} AS v, count(*) AS n FROM {relation.sql} AS t "
                              f"GROUP BY t.{q(columns[i])}")
            values = got.column("v").combine_chunks()
            codes, missing = factor_codes(values, lv, error)
            if missing.any():
                codes = np.where(missing, lv.code(MISSING), codes)
            counts = np.zeros(len(lv.labels), dtype=np.int64)
            np.add.at(counts, codes, got.column("n").to_numpy().astype(np.int64))
            out.append({lv.labels[c]: int(n) for c, n in enumerate(counts)})
        label_counts = {"positive": 0, "negative": 0, MISSING: 0}
        if label is not None:
            got = rel.run(f"SELECT t.{q(label)} AS v, count(*) AS n FROM {relation.sql} AS t GROUP BY t.{q(label)}")
            wanted = positive if isinstance(positive, list) else [positive]
            for v, n in zip(got.column("v").to_pylist(), got.column("n").to_pylist()):
                if v is None:
                    label_counts[MISSING] += int(n)
                elif any(matches_label(v, p) for p in wanted):
                    label_counts["positive"] += int(n)
                else:
                    label_counts["negative"] += int(n)
        return out, label_counts, rows
    finally:
        rel.close()


def check_columns(names: list[str], columns: list[str], label: str | None, display: str) -> None:
    """A clear error for a compared column one of the files lacks."""
    missing = [c for c in [*columns, *([label] if label else [])] if c not in names]
    if missing:
        raise DataError(Finding(display, "data-error", f"column {missing[0]!r} is not in {display}",
                                hint="distribution_shift compares columns that both files hold"))
