"""Turning a batch of rows into what the count table needs: a group code per factor, the task's
discrete keys (binary: label and prediction level; multiclass: label, prediction and top-k hit;
scored: pass), the per-row values its sums and histogram are made of, and the rows dropped.

The same decoder reads the Arrow pass's batches of rows and the DuckDB and Spark aggregates (one
row per distinct key with the number of rows it stands for, the exact digit sums of every
statistic, and for keys the engine computes — score bins, thresholds reached, calibration bins,
histogram bins — the smallest value of the group, from which the decoder computes them again).
So what is positive, which class a row has, group names and the rows dropped are decided once
for every engine.

Rows that cannot be used (a missing label, prediction, score or weight; a missing factor value
when the card says to drop those) are counted by reason, never lost without a word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import DataError
from ..schema.analysis import BinnedFactor, DataFile, Factor, factor_name
from ..schema.metric_names import BINARY, MULTICLASS, PROBABILITY_METRICS, REGRESSION, SCORED
from .engines import expr as ex
from .labels import BEYOND_LIMIT_HINT, BinaryLabels, Classes, beyond_limit, numbers
from .levels import MAX_GROUPS, MISSING, Levels, factor_codes
from .plan import LARGEST_VALUE, LARGEST_WEIGHT, Bounds, Plan, Stat
from .reading import Locate, Source

Drop = Callable[[str, np.ndarray], None]
"""``drop(reason, mask)``: leave out the masked rows, counted under ``reason``."""

DIGITS_PREFIX = "__d_"
"""Aggregate columns ``__d_<stat>_<j>``: the sum of digit ``j`` of a statistic (see :mod:`.engines.fixed`)."""


@dataclass
class Decoded:
    """One batch, decoded: every array has one entry per kept row (or aggregate row)."""

    codes: list[np.ndarray]
    keys: dict[str, np.ndarray]
    """The task's discrete keys: ``label``, ``level``, ``cal`` (binary); ``label``, ``pred``,
    ``hit`` (multiclass); ``pass`` (scored)."""
    dropped: dict[str, int]
    score: np.ndarray | None = None
    """Binary: the score of each row (of an aggregate row: the smallest in its group), for bins."""
    values: dict[str, np.ndarray] = field(default_factory=dict)
    """Rows: every statistic's value per row."""
    digits: dict[str, np.ndarray] = field(default_factory=dict)
    """Aggregates: every statistic's digit sums per aggregate row, int64 ``(n, 3)``."""
    hist: tuple[np.ndarray, np.ndarray] | None = None
    """The histogram's value (smallest, largest) per row or aggregate row."""
    rows: np.ndarray | None = None
    """How many rows each aggregate row stands for (``None``: one each)."""
    size: int = 0
    """How many rows (or aggregate rows) the arrays hold."""

    def keep(self, mask: np.ndarray) -> Decoded:
        def cut(a: np.ndarray) -> np.ndarray:
            out: np.ndarray = a[mask]
            return out

        return Decoded(
            [cut(c) for c in self.codes], {k: cut(v) for k, v in self.keys.items()}, self.dropped,
            None if self.score is None else cut(self.score), {k: cut(v) for k, v in self.values.items()},
            {k: cut(v) for k, v in self.digits.items()},
            None if self.hist is None else (cut(self.hist[0]), cut(self.hist[1])),
            None if self.rows is None else cut(self.rows), int(mask.sum()),
        )


def statistics(plan: Plan) -> list[Stat]:
    """Every statistic the count pass sums for ``plan``."""
    return [*plan.values, *(s for s in (plan.weight, plan.weight2, plan.hist_weight) if s is not None)]


def default_plan(task: str, spec: DataFile) -> Plan:
    """The plan of a binary evaluation of count metrics (no sums): thresholds from the card."""
    plan = Plan(task)
    if task == BINARY and spec.prediction is None:
        plan.thresholds = tuple(sorted(spec.thresholds)) if spec.thresholds else (float(spec.threshold or 0.0),)
    return plan


class BatchDecoder:
    """Decodes batches for one evaluation, keeping factor levels, classes and label checks across
    batches."""

    def __init__(self, spec: DataFile, factors: list[Factor], source: Source, *, task: str = BINARY,
                 plan: Plan | None = None, metrics: list[str] | None = None, missing_values: str = "group",
                 locate: Locate | None = None, max_groups: int = MAX_GROUPS,
                 planner: Callable[[dict[str, Bounds], bool], Plan] | None = None):
        self.spec = spec
        self.task = task
        self.plan = plan or default_plan(task, spec)
        self.source = source
        self.missing_values = missing_values
        self.levels = [Levels(factor_name(f), f if isinstance(f, BinnedFactor) else None, limit=max_groups)
                       for f in factors]
        self.factor_columns = [f if isinstance(f, str) else f.column for f in factors]
        self.use_score = spec.score is not None and task == BINARY
        self.score_range: tuple[float, float] | None = None
        self.probability = next((m for m in metrics or [] if m in PROBABILITY_METRICS), None)
        """The first requested metric that needs scores in [0, 1] (binary)."""
        self._locate = locate  # (key, message, hint) -> DataError at the card key
        self.binary = BinaryLabels(spec.positive_label, source, self._at_key,
                                   columns={"label": spec.label, "prediction": spec.prediction})
        self.classes = Classes(limit=max_groups)
        if self.plan.classes:
            for label in self.plan.classes:
                self.classes.code(label)
        self.stats = statistics(self.plan)
        self.planner = planner
        """Makes the plan once the pre-pass has bounded the numeric columns (see :meth:`set_bounds`)."""
        self.max_groups = max_groups
        self._scores = np.empty((0, 0))
        """The buffer :meth:`_class_scores` fills, kept from batch to batch."""
        self._buffers: dict[ex.Node, np.ndarray] = {}
        self._hist_buffers: dict[ex.Node, np.ndarray] = {}
        """The arrays the statistics and the histogram's value are computed into, batch after batch."""
        for i, lv in enumerate(self.levels):
            lv.check_bins(lambda m, h, i=i: self._at_key(("factors", i), m, h))

    def set_bounds(self, bounds: dict[str, Bounds], boolean: bool = False) -> None:
        """The plan, from what the pre-pass found (``boolean``: a scored column of booleans)."""
        if self.planner is None:
            return
        self._check_bounds(bounds)
        self.plan = self.planner(bounds, boolean)
        self.stats = statistics(self.plan)
        for label in self.plan.classes or []:
            self.classes.code(label)

    def _check_bounds(self, bounds: dict[str, Bounds]) -> None:
        """Values whose moments would overflow are errors (any engine's pre-pass): beyond
        :data:`LARGEST_VALUE`, or weights beyond :data:`LARGEST_WEIGHT`."""
        for key, name in self.numeric_inputs().items():
            got = bounds.get(name)
            limit = self._limit(key)
            if got is None or limit is None or got.magnitude <= limit:
                continue
            column = getattr(self.spec, key)
            largest = got.hi if got.hi is not None and abs(got.hi) >= got.magnitude else got.lo
            raise self._at_key(("data", key), beyond_limit(key, column, float(largest or 0.0), limit)
                               + f" ({self.source.display})", BEYOND_LIMIT_HINT)

    def numeric_inputs(self) -> dict[str, str]:
        """The numeric columns the pre-pass bounds: name in the statistics → card key under `data`."""
        out = {"weight": "w"} if self.spec.weight is not None else {}
        if self.task == REGRESSION:
            out.update(label="y", prediction="p")
        elif self.task == SCORED:
            out["score"] = "s"
        return out

    @property
    def label(self) -> str | None:
        return self.spec.label

    @property
    def columns(self) -> list[str]:
        spec = self.spec
        wanted = [spec.label, spec.prediction, spec.score if self.task in (BINARY, SCORED) else None,
                  *(self.plan.class_columns or []), spec.weight, *self.factor_columns]
        return list(dict.fromkeys(c for c in wanted if c is not None))

    @property
    def number_columns(self) -> tuple[str, ...]:
        """The columns read as numbers: binned factors, scores, class scores, weights, and the
        label and prediction of a regression."""
        spec = self.spec
        binned = [c for c, lv in zip(self.factor_columns, self.levels) if lv.binned is not None]
        numeric = [spec.score if self.task in (BINARY, SCORED) else None, *(self.plan.class_columns or []),
                   spec.weight, *((spec.label, spec.prediction) if self.task == REGRESSION else ())]
        return tuple(dict.fromkeys(c for c in [*binned, *numeric] if c is not None))

    @property
    def string_columns(self) -> tuple[str, ...]:
        binned = {f.column for f in (lv.binned for lv in self.levels) if f is not None}
        labels = [self.spec.label, self.spec.prediction] if self.task in (BINARY, MULTICLASS) else []
        return tuple(c for c in dict.fromkeys([*labels, *self.factor_columns]) if c is not None and c not in binned)

    def check_columns(self) -> None:
        have = set(self.source.column_names)
        spec = self.spec
        keys: list[tuple[tuple[str | int, ...], str]] = []
        for name in ("label", "prediction", "score", "weight"):
            column = getattr(spec, name)
            if column is not None and (name != "score" or self.task in (BINARY, SCORED)):
                keys.append((("data", name), column))
        for label, column in (spec.class_scores or {}).items():
            keys.append((("data", "class_scores", label), column))
        keys += [(("factors", i), c) for i, c in enumerate(self.factor_columns)]
        for key, column in keys:
            if column not in have:
                message = f"column {column!r} is not in {self.source.display}"
                hint = missing_column_hint(self.source)
                if self._locate is not None:
                    raise self._locate(key, message, hint)
                raise self.source.error(message, hint=hint)
            if self.source.column_names.count(column) > 1:
                places = [i + 1 for i, c in enumerate(self.source.column_names) if c == column]
                raise self._at_key(key, f"column {column!r} appears {len(places)} times in {self.source.display} "
                                   f"(columns {', '.join(map(str, places))}), so which one is meant is unclear",
                                   "give each column of the file a distinct name")

    def _at_key(self, key: tuple[str | int, ...], message: str, hint: str) -> DataError:
        if self._locate is not None:
            return self._locate(key, message, hint)
        return self.source.error(message, hint=hint)

    def finish(self) -> None:
        """Checks that need the whole file."""
        if self.task == BINARY:
            self.binary.finish()
            self._check_threshold()

    def _check_threshold(self) -> None:
        """A single threshold outside the scores' range turns every row into one class: a mistake."""
        t = self.spec.threshold
        if (t is None or self.spec.prediction is not None or self.spec.thresholds is not None
                or self.score_range is None):
            return
        lo, hi = self.score_range
        if t > hi or t < lo:
            side, cls = ("above", "negative") if t > hi else ("below", "positive")
            raise self._at_key(
                ("data", "threshold"),
                f"threshold {t:g} is {side} every score in {self.source.display}, so every row would be "
                f"predicted {cls}",
                "choose a threshold within the range of the scores, or give a `prediction` column",
            )

    def _numbers(self, batch: Any, name: str, offset: int, what: str, booleans: bool = False) -> tuple[np.ndarray, np.ndarray]:
        column = getattr(self.spec, name)
        assert column is not None
        return numbers(batch.column(column), name=column, what=what, source=self.source, at_key=self._at_key,
                       key=("data", name), offset=offset, booleans=booleans, limit=self._limit(name))

    def _limit(self, name: str) -> float | None:
        """The largest magnitude of the column under `data.NAME` whose moments are summed."""
        if name == "weight":
            return LARGEST_WEIGHT
        summed = (REGRESSION, ("label", "prediction")), (SCORED, ("score",))
        return LARGEST_VALUE if any(self.task == task and name in keys for task, keys in summed) else None

    # -- factors --------------------------------------------------------------------------
    def _factor(self, column: Any, levels: Levels, key: int) -> tuple[np.ndarray, np.ndarray]:
        def error(message: str, hint: str) -> DataError:
            return self._at_key(("factors", key), message, hint)

        return factor_codes(column, levels, error)

    # -- one batch ------------------------------------------------------------------------
    def decode(self, batch: Any, offset: int, rows: np.ndarray | None = None) -> Decoded:
        """``rows``: how many rows each row of ``batch`` stands for (an engine's aggregate)."""
        keep = np.ones(batch.num_rows, dtype=bool)
        dropped: dict[str, int] = {}

        def drop(reason: str, mask: np.ndarray) -> None:
            lost = mask & keep
            count = int(lost.sum()) if rows is None else int(rows[lost].sum())
            if count:
                dropped[reason] = dropped.get(reason, 0) + count
                keep[lost] = False

        weight, weight_missing = self._weight(batch, offset, rows)
        task = {BINARY: self._binary, MULTICLASS: self._multiclass, REGRESSION: self._regression,
                SCORED: self._scored}[self.task]
        out = task(batch, offset, rows, drop, weight)
        out.dropped = dropped
        if weight_missing is not None:
            drop("missing_weight", weight_missing)
        out.codes = self._factors(batch, drop)
        out.rows = rows
        out.size = batch.num_rows
        if rows is not None:
            out.digits = self._digits(batch)
        return out if keep.all() else out.keep(keep)

    def _factors(self, batch: Any, drop: Callable[[str, np.ndarray], None]) -> list[np.ndarray]:
        codes = []
        for i, (col, lv) in enumerate(zip(self.factor_columns, self.levels)):
            c, missing = self._factor(batch.column(col), lv, i)
            if missing.any():
                if self.missing_values == "drop":
                    drop("missing_factor", missing)
                else:
                    c = np.where(missing, lv.code(MISSING), c)
            codes.append(c)
        return codes

    def _weight(self, batch: Any, offset: int, rows: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None]:
        """``(weights, is_missing)`` of a batch of rows; for an aggregate, only which rows miss one."""
        if self.spec.weight is None:
            return None, None
        if rows is not None:
            return None, batch.column("__miss_weight").to_numpy(zero_copy_only=False).astype(bool)
        weight, missing = self._numbers(batch, "weight", offset, "weight")
        negative = weight < 0
        if negative.any():
            row = int(np.flatnonzero(negative)[0])
            raise self.source.error(f"weight {float(weight[row])!r} is negative", row=offset + row,
                                    hint="sample weights must be zero or more")
        return weight, missing

    def _digits(self, batch: Any) -> dict[str, np.ndarray]:
        out = {}
        for st in self.stats:
            parts = [batch.column(f"{DIGITS_PREFIX}{st.name}_{j}").fill_null(0).to_numpy(zero_copy_only=False)
                     for j in range(3)]
            out[st.name] = np.stack([np.asarray(p, dtype=np.int64) for p in parts], axis=-1)
        return out

    def _values(self, inputs: dict[str, np.ndarray], weight: np.ndarray | None) -> dict[str, np.ndarray]:
        """Every statistic's value per row (``inputs``: the row's numbers by name)."""
        columns = inputs if weight is None else {**inputs, "w": weight}
        if not columns:
            return {}
        cache: dict[ex.Node, np.ndarray] = {}
        return {st.name: ex.evaluate(st.node, columns, cache, self._buffers) for st in self.stats}

    # -- tasks ----------------------------------------------------------------------------
    def _binary(self, batch: Any, offset: int, rows: np.ndarray | None, drop: Drop,
                weight: np.ndarray | None) -> Decoded:
        spec = self.spec
        assert spec.label is not None
        label, label_missing = self.binary.read(batch.column(spec.label), "label", spec.label)
        drop("missing_label", label_missing)
        score = score_missing = None
        if self.use_score:
            score, score_missing = self._numbers(batch, "score", offset, "score")
            self.check_probabilities(score, score_missing, offset)
            self._score_range(score, score_missing)
        if spec.prediction is not None:
            pred, pred_missing = self.binary.read(batch.column(spec.prediction), "prediction", spec.prediction)
            drop("missing_prediction", pred_missing)
            level = pred.astype(np.int64)
        else:
            assert score is not None and score_missing is not None and self.plan.thresholds is not None
            level = np.searchsorted(np.asarray(self.plan.thresholds), score, side="right").astype(np.int64)
            drop("missing_prediction", score_missing)
        if score_missing is not None:
            drop("missing_score", score_missing)
        keys = {"label": label.astype(np.int64), "level": level}
        if self.plan.calibration is not None:
            assert score is not None
            keys["cal"] = np.searchsorted(np.asarray(self.plan.calibration), score, side="left").astype(np.int64)
        values = self._values({"s": score} if score is not None and self.stats else {}, weight) if rows is None else {}
        return Decoded([], keys, {}, score=score, values=values)

    def _score_range(self, score: np.ndarray, missing: np.ndarray) -> None:
        present = score[~missing] if missing.any() else score
        if present.size:
            lo, hi = float(present.min()), float(present.max())
            old = self.score_range
            self.score_range = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))

    def check_probabilities(self, score: np.ndarray, missing: np.ndarray, offset: int) -> None:
        """Scores outside [0, 1] are errors when a requested metric needs probabilities."""
        if self.probability is None or not score.size or (score.min() >= 0 and score.max() <= 1):
            return  # (missing scores read as 0)
        out = ((score < 0) | (score > 1)) & ~missing
        if out.any():
            row = int(np.flatnonzero(out)[0])
            raise self.source.error(
                f"score {float(score[row])!r} is outside [0, 1], and {self.probability} needs probabilities",
                row=offset + row, hint=f"give probabilities in `score`, or drop {self.probability}")

    def _multiclass(self, batch: Any, offset: int, rows: np.ndarray | None, drop: Drop,
                    weight: np.ndarray | None) -> Decoded:
        spec = self.spec
        assert spec.label is not None
        label, label_missing = self.classes.read(batch.column(spec.label), self._at_key, ("data", "label"), spec.label)
        drop("missing_label", label_missing)
        keys = {"label": label}
        scores = None
        if self.plan.class_columns and rows is None:
            scores, missing = self._class_scores(batch, offset)
            drop("missing_prediction" if spec.prediction is None else "missing_score", missing)
        if spec.prediction is not None:
            pred, pred_missing = self.classes.read(batch.column(spec.prediction), self._at_key, ("data", "prediction"),
                                                     spec.prediction)
            drop("missing_prediction", pred_missing)
            keys["pred"] = pred
        elif rows is not None:
            keys["pred"] = self._engine_codes(batch, "__pred", drop, "missing_prediction")
        else:
            assert scores is not None
            keys["pred"] = self._score_classes()[np.argmax(scores, axis=0)]
        if self.plan.class_columns:
            if rows is not None:
                keys["hit"] = self._engine_codes(batch, "__hit", drop, "missing_score")
            else:
                assert scores is not None
                keys["hit"] = self._hits(scores, label, label_missing, offset)
        return Decoded([], keys, {}, values=self._values({}, weight) if rows is None else {})

    def _score_classes(self) -> np.ndarray:
        """For every score column, its class code."""
        return np.array([self.classes.index[c] for c in self.plan.classes or []], dtype=np.int64)

    def _class_scores(self, batch: Any, offset: int) -> tuple[np.ndarray, np.ndarray]:
        """``(scores, is_missing)``: the score columns in the order of ``plan.classes`` as the
        rows of a ``(classes, rows)`` array (each column's values contiguous; the array is a
        buffer the next batch fills again)."""
        spec = self.spec
        assert spec.class_scores is not None and self.plan.classes is not None
        n = batch.num_rows
        if self._scores.shape[0] != len(self.plan.classes) or self._scores.shape[1] < n:
            self._scores = np.empty((len(self.plan.classes), n))
        scores, missing = self._scores[:, :n], np.zeros(n, dtype=bool)
        for j, label in enumerate(self.plan.classes):
            name = spec.class_scores[label]
            values, miss = numbers(batch.column(name), name=name, what="score", source=self.source,
                                   at_key=self._at_key, key=("data", "class_scores", label), offset=offset,
                                   native=True)
            scores[j] = values  # widened to float64 here (exactly)
            missing |= miss
        return scores, missing

    def score_index(self) -> np.ndarray:
        """For every class code, the index of its score column (-1: none)."""
        out = np.full(len(self.classes.labels), -1, dtype=np.int64)
        for j, label in enumerate(self.plan.classes or []):
            out[self.classes.index[label]] = j
        return out

    def _hits(self, scores: np.ndarray, label: np.ndarray, missing: np.ndarray, offset: int) -> np.ndarray:
        """Whether each row's label is among the ``top_k`` highest scores, ties ordered as
        scikit-learn's ``top_k_accuracy_score`` (the later class first)."""
        index = self.score_index()[np.where(missing, 0, label)]
        unknown = (index < 0) & ~missing
        if unknown.any():
            row = int(np.flatnonzero(unknown)[0])
            raise self.source.error(f"label {self.classes.labels[label[row]]!r} has no score column in `class_scores`",
                                    row=offset + row, hint="give every class a score column for top_k_accuracy")
        own = scores[np.maximum(index, 0), np.arange(len(index))]
        above = (scores > own).sum(axis=0)  # higher scores, and equal scores of later classes
        ties = (scores == own) & (np.arange(len(scores))[:, None] > index)
        hit: np.ndarray = (above + ties.sum(axis=0) < self.plan.top_k).astype(np.int64)
        return hit

    def _engine_codes(self, batch: Any, name: str, drop: Drop, reason: str) -> np.ndarray:
        """A key the engine computed (null where an input was missing)."""
        column = batch.column(name)
        missing = column.is_null().to_numpy(zero_copy_only=False)
        drop(reason, missing)
        codes: np.ndarray = column.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        return self._score_classes()[codes] if name == "__pred" else codes

    def _regression(self, batch: Any, offset: int, rows: np.ndarray | None, drop: Drop,
                    weight: np.ndarray | None) -> Decoded:
        if rows is not None:
            self._engine_missing(batch, drop, ("missing_label", "missing_prediction"))
            return Decoded([], {}, {}, hist=self._engine_hist(batch))
        y, y_missing = self._numbers(batch, "label", offset, "label")
        drop("missing_label", y_missing)
        p, p_missing = self._numbers(batch, "prediction", offset, "prediction")
        drop("missing_prediction", p_missing)
        inputs = {"y": y, "p": p}
        return Decoded([], {}, {}, values=self._values(inputs, weight), hist=self._hist(inputs))

    def _scored(self, batch: Any, offset: int, rows: np.ndarray | None, drop: Drop,
                weight: np.ndarray | None) -> Decoded:
        x, missing = self._numbers(batch, "score", offset, "score", booleans=self.plan.boolean)
        if rows is not None:
            self._engine_missing(batch, drop, ("missing_score",))
        else:
            drop("missing_score", missing)
        plan = self.plan
        if plan.boolean:
            passed = x == 1
        elif plan.pass_threshold is not None:
            passed = x >= plan.pass_threshold
        else:
            passed = np.zeros(len(x), dtype=bool)
        keys = {"pass": passed.astype(np.int64)}
        if rows is not None:
            return Decoded([], keys, {}, hist=self._engine_hist(batch))
        inputs = {"s": x}
        return Decoded([], keys, {}, values=self._values(inputs, weight), hist=self._hist(inputs))

    def _hist(self, inputs: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
        if self.plan.hist_value is None:
            return None
        value = ex.evaluate(self.plan.hist_value, inputs, buffers=self._hist_buffers)
        return value, value

    def _engine_hist(self, batch: Any) -> tuple[np.ndarray, np.ndarray] | None:
        if self.plan.hist_value is None:
            return None
        lo = batch.column("__hlo").fill_null(0.0).to_numpy(zero_copy_only=False).astype(np.float64)
        hi = batch.column("__hhi").fill_null(0.0).to_numpy(zero_copy_only=False).astype(np.float64)
        return lo, hi

    def _engine_missing(self, batch: Any, drop: Drop, reasons: tuple[str, ...]) -> None:
        """``__miss``: 0 for a usable group, ``i + 1`` for one missing the ``i``-th input."""
        miss = batch.column("__miss").to_numpy(zero_copy_only=False).astype(np.int64)
        for i, reason in enumerate(reasons):
            drop(reason, miss == i + 1)


def missing_column_hint(source: Source) -> str:
    """The columns a file has, and a likelier delimiter when the header looks like one undivided name."""
    names = source.column_names
    shown = ", ".join(sorted(names)[:20]) + (" …" if len(names) > 20 else "")
    if len(names) == 1:
        for sep in (";", "\t", "|", ","):
            if sep != source.delimiter and sep in names[0]:
                return f"the header is one column {names[0][:60]!r}: set `delimiter: {sep!r}` under `data:`"
    return f"columns there: {shown}"

