"""Distribution shift between a model card's evaluation data and its training data's datasheet.

For every compared factor (and the label, as the share of its positive value) both files are
counted per group: one pass over the columns needed in each file, on the engine each card asks
for.  With P the training shares and Q the evaluation shares of the groups:

* ``js_divergence``: ½[KL(P‖M) + KL(Q‖M)], M = ½(P + Q) (natural log);
* ``total_variation_distance``: ½ Σ |P − Q|;
* ``kolmogorov_smirnov``: for a binned factor (ordered ranges), the two-sample statistic on the
  ranges, max |F_P − F_Q| over the cumulative shares; for unordered groups, Clarify's
  max |P − Q|;
* ``population_stability_index``: Σ (Q − P) ln(Q / P); when a group is empty on either side every
  group's count gets 0.5 on both sides first, so the index stays finite.

Intervals: each side is resampled on its own (a multinomial draw over its groups is a row
resample of that file); the distances get the basic bootstrap interval cut at 0, widened to
contain the estimate.  A column with a count below the training datasheet's ``min_cell_size`` on
either side is suppressed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError, Finding
from ..schema.analysis import BinnedFactor, CompositionData, DataFile, Factor, QuantitativeAnalyses, factor_name
from ..schema.model_card import ModelCard
from .bias import bootstrap_interval
from .clarify import distance
from .engines.inputs import Input
from .levels import MISSING, Levels, factor_codes
from .provenance import relative_to
from .reading import matches_label

MEASURES = ("js_divergence", "total_variation_distance", "kolmogorov_smirnov", "population_stability_index")
LABEL = "(label)"


def _training(card: ModelCard, spec: QuantitativeAnalyses) -> tuple[str, Any]:
    """``(path as written, datasheet)`` of the training data to compare with."""
    assert spec.distribution_shift is not None
    wanted = spec.distribution_shift.datasheet
    refs = [d.datasheet for d in card.training_data.datasets if d.datasheet]
    for ref in ([wanted] if wanted else refs):
        sheet = card.datasheets.get(ref) if ref else None
        if sheet is not None and sheet.data is not None:
            return ref, sheet
    line, col = card.locate(("quantitative_analyses", "distribution_shift"))
    raise DataError(Finding(str(card.source_path or "<card>"), "data-error",
                            "distribution_shift needs the training data's datasheet with a `data:` block",
                            line=line, column=col,
                            hint="name it under training_data.datasets[].datasheet (or distribution_shift.datasheet)"))


class Side:
    """One data block's file to count: where it is, on which engine."""

    def __init__(self, inp: Input, engine: str, block: DataFile | CompositionData, display: str,
                 session: Any = None):
        self.inp, self.engine, self.block, self.display, self.session = inp, engine, block, display, session

    def column_names(self) -> list[str]:
        if self.engine == "arrow":
            return list(self.source().column_names)
        from .engines.relations import Relations

        rel = Relations(self.engine, self.session)
        try:
            return rel.add(self.inp, self.block.delimiter).column_names
        finally:
            rel.close()

    def source(self) -> Any:
        from .reading import open_source

        if self.inp.kind == "memory":
            return open_source(self.inp.data)
        return open_source(path=self.inp.path, fmt=self.inp.fmt or None, delimiter=self.block.delimiter,
                           display=self.display, pinned=self.inp.pinned)


def _count(side: Side, factors: list[Factor], label: str | None,
           positive: Any) -> tuple[list[dict[str, int]], dict[str, int], int]:
    """Per factor its groups' counts, the label's positive/negative counts (when ``label`` is
    given), and the rows, on the side's engine: of the rows the data block's preparation
    (`filter`, `na_values`, `strip_whitespace`) keeps, as everywhere else that block is counted."""
    from .filtering.prepare import Preparation

    prep = Preparation.of(side.block)
    if side.engine != "arrow":
        from .engines.shift_counts import count

        return count(side.inp, side.engine, side.block.delimiter, factors, label, positive, side.display,
                     side.session, prep)
    import pyarrow as pa

    from .engines.shift_counts import check_columns
    from .filtering.compile_arrow import read

    display = side.display
    src = side.source()
    columns = [f if isinstance(f, str) else f.column for f in factors]
    check_columns(src.column_names, columns, label, display)
    levels = [Levels(factor_name(f), f if isinstance(f, BinnedFactor) else None) for f in factors]
    counts: list[np.ndarray] = [np.zeros(0, dtype=np.int64) for _ in factors]
    label_counts = {"positive": 0, "negative": 0, MISSING: 0}
    rows = 0

    def error(message: str, hint: str) -> DataError:
        return DataError(Finding(display, "data-error", message, hint=hint))

    needed = list(dict.fromkeys([*columns, *([label] if label else [])]))
    text = tuple(c for c, f in zip(columns, factors) if isinstance(f, str)) + ((label,) if label else ())
    numeric = tuple(f.column for f in factors if isinstance(f, BinnedFactor))
    for part in read(src, needed, text, prep, numeric):
        batch = part.batch
        rows += batch.num_rows
        for i, (col, lv) in enumerate(zip(columns, levels)):
            codes, miss = factor_codes(batch.column(col), lv, error)
            if miss.any():
                codes = np.where(miss, lv.code(MISSING), codes)
            got = np.bincount(codes, minlength=len(lv.labels))
            counts[i] = np.pad(counts[i], (0, len(got) - len(counts[i]))) + got
        if label is None:
            continue
        column = batch.column(label)
        nulls = column.is_null().to_numpy(zero_copy_only=False)
        values = pa.compute.unique(column.drop_null()).to_pylist()
        wanted = positive if isinstance(positive, list) else [positive]
        hits = {v: any(matches_label(v, p) for p in wanted) for v in values}
        taken = np.array([hits.get(v, False) for v in column.to_pylist()], dtype=bool)
        label_counts[MISSING] += int(nulls.sum())
        label_counts["positive"] += int((taken & ~nulls).sum())
        label_counts["negative"] += int((~taken & ~nulls).sum())
    out = [{lv.labels[c]: int(n) for c, n in enumerate(cnt)} for lv, cnt in zip(levels, counts)]
    return out, label_counts, rows


def compute(card: ModelCard, spec: QuantitativeAnalyses, *, data: Any = None, engine: str | None = None,
            session: Any = None) -> dict[str, Any]:
    """The ``shift`` block of a model card's results: each file counted on the engine that reads
    it (``engine``, when given, for both; else the evaluation's and the datasheet's own)."""
    assert spec.distribution_shift is not None and spec.data is not None
    ref, sheet = _training(card, spec)
    data_block: CompositionData = sheet.data
    names = spec.distribution_shift.columns
    factors = [f for f in spec.factors if names is None or factor_name(f) in names]
    if names is not None:
        unknown = [n for n in names if n not in {factor_name(f) for f in spec.factors}]
        if unknown:
            line, col = card.locate(("quantitative_analyses", "distribution_shift", "columns"))
            raise DataError(Finding(str(card.source_path or "<card>"), "data-error",
                                    f"distribution_shift compares factors; {unknown[0]!r} is not one", line=line,
                                    column=col, hint=f"factors: {', '.join(spec.factor_names)}"))
    train = _side(None, data_block, sheet.base_dir, engine or data_block.engine, session)
    evaluation = _side(data, spec.data, card.base_dir, engine or spec.engine, session)
    if names is None:
        train_cols = set(train.column_names())
        factors = [f for f in factors if (f if isinstance(f, str) else f.column) in train_cols]
    both = data_block.label is not None and spec.data.label is not None
    train_positive = data_block.positive_label if data_block.positive_label is not None else spec.data.positive_label
    train_counts, train_label, train_rows = _count(train, factors, data_block.label if both else None, train_positive)
    eval_counts, eval_label, eval_rows = _count(evaluation, factors, spec.data.label if both else None,
                                                spec.data.positive_label)
    data = data_block
    train_path = sheet.resolve(data.path)
    conf = spec.confidence
    k = data.min_cell_size
    rng = np.random.default_rng(conf.seed)
    rows: list[dict[str, Any]] = []
    pairs = [(factor_name(f), isinstance(f, BinnedFactor), t, e) for f, t, e in zip(factors, train_counts, eval_counts)]
    if both:
        pairs.append((LABEL, False, {k_: v for k_, v in train_label.items() if k_ != MISSING},
                      {k_: v for k_, v in eval_label.items() if k_ != MISSING}))
    for name, ordered, t, e in pairs:
        rows += _column_rows(name, ordered, t, e, k, conf.level, conf.resamples, rng)
    base = card.base_dir
    return {
        "datasheet": ref, "training_data_path": relative_to(train_path, base) if train.inp.path else data.path,
        "training_data_sha256": train.inp.digest(),
        "training_rows": train_rows, "evaluation_rows": eval_rows, "level": conf.level,
        "resamples": conf.resamples, "seed": conf.seed, "min_cell_size": k,
        "columns": [p[0] for p in pairs], "measures": rows,
    }


def _side(data: Any, block: DataFile | CompositionData, base: Path, requested: str, session: Any) -> Side:
    from . import engines

    inp = engines.resolve(data, block.path, block.format, base)
    engine, _ = engines.choose(requested, inp)
    engines.require(engine, inp.display)
    engines.check_input(engine, inp)
    return Side(inp, engine, block, block.path if data is None else inp.display, session)


def _order(labels: list[str], ordered: bool) -> list[str]:
    rest = [x for x in labels if x != MISSING]
    if not ordered:
        rest.sort()
    return rest + ([MISSING] if MISSING in labels else [])


def shift_measure(name: str, p: np.ndarray, q: np.ndarray, ordered: bool) -> np.ndarray:
    """One measure between training counts ``p`` and evaluation counts ``q`` (last axis: groups)."""
    p = p.astype(np.float64)
    q = q.astype(np.float64)
    if name == "population_stability_index":
        empty = np.any((p == 0) | (q == 0), axis=-1, keepdims=True)
        p, q = np.where(empty, p + 0.5, p), np.where(empty, q + 0.5, q)
    with np.errstate(invalid="ignore", divide="ignore"):
        sp = p / p.sum(-1, keepdims=True)
        sq = q / q.sum(-1, keepdims=True)
        if name == "population_stability_index":
            return np.asarray(np.sum((sq - sp) * np.log(sq / sp), axis=-1), dtype=np.float64)
    if name == "kolmogorov_smirnov" and ordered:
        return np.asarray(np.max(np.abs(np.cumsum(sp, -1) - np.cumsum(sq, -1)), axis=-1), dtype=np.float64)
    return distance(name, sq, sp)


def _column_rows(name: str, ordered: bool, train: dict[str, int], evaluation: dict[str, int], k: int, level: float,
                 resamples: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    seen = [g for g in dict.fromkeys([*train, *evaluation]) if train.get(g, 0) + evaluation.get(g, 0) > 0]
    groups = _order(seen, ordered)
    p = np.array([train.get(g, 0) for g in groups], dtype=np.int64)
    q = np.array([evaluation.get(g, 0) for g in groups], dtype=np.int64)
    small = bool(np.any((p > 0) & (p < k)) or np.any((q > 0) & (q < k)))
    out = []
    draws_p = draws_q = None
    if not small and resamples > 0 and p.sum() and q.sum():
        draws_p = rng.multinomial(int(p.sum()), p / p.sum(), size=resamples)
        draws_q = rng.multinomial(int(q.sum()), q / q.sum(), size=resamples)
    for measure in MEASURES:
        row: dict[str, Any] = {"column": name, "measure": measure, "value": None, "groups": len(groups),
                               "suppressed": small}
        if small:
            row["reason"] = f"a group holds fewer than {k} rows in one of the files (min_cell_size)"
            out.append(row)
            continue
        value = float(shift_measure(measure, p, q, ordered))
        if not math.isfinite(value):
            row["reason"] = "undefined: a file has no rows to compare"
            out.append(row)
            continue
        row["value"] = value
        if draws_p is not None and draws_q is not None:
            draws = shift_measure(measure, draws_p, draws_q, ordered)
            lo, hi, method = bootstrap_interval(value, draws, level, basic=True)
            if lo is not None and hi is not None:
                row.update(ci_low=min(lo, value), ci_high=max(hi, value), interval=method)
        out.append(row)
    return out
