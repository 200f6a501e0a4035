"""What a model card's results may publish: the counts of every slice protected together.

Everything a results file says about a slice is a count of *classes*, or a function of such
counts.  The classes are the task's: binary classification the label × the score band (the
thresholds a row's score reaches, or the prediction; at each operating point the confusion
counts ``tn``, ``fp``, ``fn``, ``tp`` are sums of bands), multiclass the label class × the
predicted class (× whether the label is among the top k scores), scored with a pass threshold
(or boolean scores) pass × fail, regression and scored without one a single class (the slice's
size).  A slice publishes its size ``n`` and its counts (binary: the confusion counts at every
threshold; multiclass: every cell of its confusion matrix, and through the per-class metrics
each class's support and predicted count), and every metric its numerator and denominator (a
false positive rate publishes ``fp`` and the negatives ``tn + fp``; per-class precision the
diagonal cell over its column; a macro average every component's; disparities publish the
groups' values through their differences and ratios).  The finest cells are one per combination
of every factor's group and the class; every slice's counts are sums of them, so the tables over
slices, factors, intersections and thresholds are linked, and :class:`~.disclosure.CountGrid`
protects them together, with the classes as one axis group: counts below ``min_cell_size`` are
hidden, and enough others that none can be worked out.  A metric is shown only when every count
it is made of is published.  A slice whose size is hidden publishes none of its counts, zeros
included (a zero beside a hidden size would say which class its rows are in).

Reliability is separate: ``min_group_size`` hides the *metrics* of small slices (or, with
``min_group_size_applies_to: denominator``, of metrics whose own denominator is small), never
their counts, which follow ``min_cell_size`` alone.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..schema.analysis import QuantitativeAnalyses
from ..schema.metric_names import BINARY, MULTICLASS, PER_CLASS_METRICS, SCORED
from .calibration_grid import CalibrationShield, Parts, bin_parts
from .counts import CountTable
from .disclosure import CountGrid
from .disparities import draws_key, needed_metrics
from .metrics import PROPORTIONS
from .slices import MetricKey, SliceSet

Classes = tuple[int, ...]
"""A set of classes (flat indices into the task's class axis): one published count of a slice."""
CONFUSION = ("tn", "fp", "fn", "tp")
#: Binary metrics as confusion classes (0 TN, 1 FP, 2 FN, 3 TP): each count they are made of, the
#: last the rows they are computed over (their ``n``).
BINARY_PARTS: dict[str, list[tuple[int, ...]]] = {
    **{m: [num, den] for m, (num, den) in PROPORTIONS.items()},
    "f1": [(3,), (1, 2, 3)],
    "balanced_accuracy": [(3,), (2, 3), (0,), (0, 1), (0, 1, 2, 3)],
    "roc_auc": [(2, 3), (0, 1), (0, 1, 2, 3)],
    "average_precision": [(2, 3), (0, 1), (0, 1, 2, 3)],
}
HIDDEN_REASON = "hidden: a count it is made of is below min_cell_size, or would give one away"


@dataclass
class ClassAxis:
    """The task's classes: their counts per finest cell, and which class sets each count and
    metric is made of."""

    task: str
    shape: tuple[int, ...]
    """The class axes: binary ``(2, bands)``, multiclass ``(K, K, hits)``, scored ``(pass,)``, else ``(1,)``."""
    counts: np.ndarray
    """``(*factor levels, *shape)``."""
    classes: list[str] = field(default_factory=list)
    """Multiclass: the class names, in the order of the axes."""
    points: dict[float | None, int] = field(default_factory=dict)
    """Binary: the band index of each threshold named in the results (``None``: the only one)."""
    groups: list[list[int]] = field(default_factory=lambda: [[0]])
    """Class axes that move together in a protecting direction (indices into ``shape``): binary's
    label and band together (a swap between confusion classes); multiclass's label, prediction
    and hit each alone, so a rectangle within one slice's matrix keeps its row and column sums."""
    band_level: np.ndarray | None = None
    """Binary: the level of each band (how many thresholds its scores reach, or the prediction)."""
    band_cal: np.ndarray | None = None
    """Binary with calibration bins: the calibration bin of each band (the bands are then the
    score bands of :mod:`.calibration_grid`)."""
    bins: int = 0
    """Binary with calibration bins: how many."""
    _parts: dict[MetricKey, list[Classes]] = field(default_factory=dict, repr=False, compare=False)
    """:meth:`parts`, remembered (a function of the key alone)."""

    @cached_property
    def all(self) -> Classes:
        return tuple(range(int(np.prod(self.shape))))

    def _cells(self, mask: np.ndarray) -> Classes:
        return tuple(int(i) for i in np.flatnonzero(mask.ravel()))

    def confusion(self, threshold: float | None, cls: tuple[int, ...]) -> Classes:
        """Binary: the bands of confusion classes ``cls`` (0 TN … 3 TP) at ``threshold``."""
        assert self.band_level is not None
        above = self.band_level > self.points.get(threshold, 0)
        mask = np.zeros(self.shape, dtype=bool)
        for c in cls:
            label, positive = c >> 1, c & 1
            mask[label] |= above if positive else ~above
        return self._cells(mask)

    def matrix(self, label: int | None = None, predicted: int | None = None, *, diagonal: bool = False,
               hits: bool = False) -> Classes:
        """Multiclass: the cells of a label class (row), a predicted class (column), one cell,
        the diagonal, or the top-k hits."""
        mask = np.zeros(self.shape, dtype=bool)
        if diagonal:
            for c in range(self.shape[0]):
                mask[c, c] = True
        elif hits:
            mask[..., 1] = True
        else:
            mask[(slice(None) if label is None else label, slice(None) if predicted is None else predicted)] = True
        return self._cells(mask)

    def slice_counts(self) -> list[Classes]:
        """What a ``slices`` entry publishes besides the size."""
        if self.task == BINARY:
            return [self.confusion(t, (c,)) for t in self.points for c in range(4)]
        if self.task == MULTICLASS:  # every cell, each class's support and predicted count, the diagonal
            k = self.shape[0]
            return [*(self.matrix(a, b) for a in range(k) for b in range(k)), *(self.matrix(label=c) for c in range(k)),
                    *(self.matrix(predicted=c) for c in range(k)), self.matrix(diagonal=True)]
        return []

    def parts(self, key: MetricKey) -> list[Classes]:
        """The class sets of each count ``key`` is made of; the last is the rows it is computed over."""
        got = self._parts.get(key)
        if got is None:
            got = self._parts[key] = self._find_parts(key)
        return list(got)

    def _find_parts(self, key: MetricKey) -> list[Classes]:
        metric, threshold, class_ = key
        if self.task == BINARY and metric in BINARY_PARTS:
            parts = [self.confusion(threshold, p) for p in BINARY_PARTS[metric]]
        elif self.task == MULTICLASS and metric != "count":
            parts = self._multiclass_parts(metric, class_)
        elif self.task == SCORED and metric == "pass_rate" and self.shape[0] == 2:
            parts = [(1,), self.all]
        else:
            parts = [self.all]
        return with_complements(parts)

    def _multiclass_parts(self, metric: str, class_: str | None) -> list[Classes]:
        if class_ is not None:
            c = self.classes.index(class_)
            return self._per_class(metric, c)
        if metric == "accuracy":
            return [self.matrix(diagonal=True), self.all]
        if metric == "top_k_accuracy":
            return [self.matrix(hits=True), self.all] if self.shape[-1] == 2 else [self.all]
        each = {"balanced_accuracy": "recall", "macro_recall": "recall", "macro_precision": "precision"}
        out = [p for c in range(self.shape[0]) for p in self._per_class(each.get(metric, "f1"), c)]
        return [*dict.fromkeys(out), self.all]

    def _per_class(self, metric: str, c: int) -> list[Classes]:
        """A class's counts: its diagonal cell with the rest of its row (the rows of that label
        predicted as another) or column (predicted as it, of another label) — a metric with both
        publishes their difference too — and the row, column or their union it is computed over."""
        tp, row, col = self.matrix(c, c), self.matrix(label=c), self.matrix(predicted=c)
        missed = tuple(sorted(set(row) - set(tp)))
        wrong = tuple(sorted(set(col) - set(tp)))
        if metric == "precision":
            return [tp, wrong, col]
        if metric == "recall":
            return [tp, missed, row]
        return [tp, missed, wrong, row, col, tuple(sorted(set(row) | set(col)))]

    def denominator(self, key: MetricKey) -> Classes:
        return self.parts(key)[-1]


def with_complements(parts: list[Classes]) -> list[Classes]:
    """``parts`` with, for each count inside the last (the rows a metric is computed over), the
    rest of those rows: a rate and its ``n`` publish both (top-k accuracy 0.994 of 178 rows says
    one row missed the top k), so both are protected.  The last stays last."""
    *counts, rows = parts
    inside = set(rows)
    rests = [tuple(sorted(inside - set(p))) for p in counts if set(p) < inside]
    return [*dict.fromkeys([*counts, *(r for r in rests if r)]), rows]


def class_axis(spec: QuantitativeAnalyses, table: CountTable, *, calibration: bool = False) -> ClassAxis:
    """The classes of ``table``'s task, with their counts per finest cell (``calibration``: binary
    with calibration bins, on the score bands of :mod:`.calibration_grid`)."""
    nf = len(table.factors)
    counts = np.asarray(table.counts)
    if spec.task == BINARY:
        from .calibration_grid import binary_classes
        from .tasks.binary import operating_points

        assert spec.data is not None
        counts, level, cal = binary_classes(table, spec.data.prediction is None, calibration)
        points = {t: j for j, t in operating_points(table, spec)}
        return ClassAxis(BINARY, tuple(counts.shape[nf:]), counts, points=points, groups=[[0, 1]], band_level=level,
                         band_cal=cal, bins=0 if cal is None or table.joint is None else table.joint.shape[-1])
    if spec.task == MULTICLASS:
        shape = tuple(counts.shape[nf:])
        return ClassAxis(MULTICLASS, shape, counts, classes=list(table.classes or []),
                         groups=[[a] for a in range(len(shape))])
    if spec.task == SCORED and counts.ndim > nf:
        flat = counts.reshape(*counts.shape[:nf], -1)
        return ClassAxis(SCORED, (flat.shape[-1],), flat)
    flat = counts.reshape(*counts.shape[:nf], -1).sum(-1, keepdims=True)
    return ClassAxis(spec.task, (1,), flat)


@dataclass
class Shield:
    """The protection decided for one evaluation: which counts of which slices are published."""

    spec: QuantitativeAnalyses
    axis: ClassAxis
    hidden: dict[tuple[tuple[str, ...], int, Classes], bool] = field(default_factory=dict)
    """(over, slice index, classes) → hidden."""
    conf: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    """Per ``over``: the class counts of each slice, ``(S, classes)``."""
    everything: bool = False
    """Every count but the total is hidden: no selective protection was found (or the search for
    one was too large, see :data:`.disclosure.MAX_WORK`)."""
    matrices: dict[tuple[tuple[str, ...], int], bool] = field(default_factory=dict)
    """Multiclass: whether a slice publishes its confusion matrix (see :func:`protect`)."""
    calibration: CalibrationShield = field(default_factory=CalibrationShield)
    """Binary with calibration bins: what each slice's calibration table publishes."""
    _totals: dict[tuple[tuple[str, ...], int, Classes], int] = field(default_factory=dict, repr=False)

    def total(self, over: tuple[str, ...], i: int, classes: Classes) -> int:
        """The rows of slice ``i`` of ``over`` in ``classes`` (published or not)."""
        key = (over, i, classes)
        got = self._totals.get(key)
        if got is None:
            got = self._totals[key] = int(self.conf[over][i][list(classes)].sum())
        return got

    def matrix_published(self, over: tuple[str, ...], i: int) -> bool:
        return self.matrices.get((over, i), False) and not self.size_hidden(over, i)

    def is_hidden(self, over: tuple[str, ...], i: int, classes: Classes) -> bool:
        return self.hidden.get((over, i, classes), False)

    def metric_hidden(self, over: tuple[str, ...], i: int, key: MetricKey) -> bool:
        return any(self.is_hidden(over, i, p) for p in self.axis.parts(key))

    def count(self, over: tuple[str, ...], i: int, classes: Classes) -> int | None:
        if self.is_hidden(over, i, classes) and (over or classes != self.axis.all):  # the total is in the provenance
            return None
        return self.total(over, i, classes)

    def size_hidden(self, over: tuple[str, ...], i: int) -> bool:
        return self.count(over, i, self.axis.all) is None

    def lost(self, reported: list[tuple[str, ...]], metrics: list[str]) -> int:
        """How many of the slices' sizes, counts and values of ``metrics`` are hidden."""
        keys = published_keys(self.spec, self.axis, metrics)
        out = 0
        for over in reported:
            for i in range(len(self.conf[over])):
                out += self.size_hidden(over, i) + sum(self.is_hidden(over, i, c) for c in self.axis.slice_counts())
                out += sum(self.metric_hidden(over, i, key) for key in keys)
        return out

    def small(self, over: tuple[str, ...], i: int, key: MetricKey) -> bool:
        """Below ``min_group_size`` (reliability): the slice, or the metric's own denominator."""
        whole = self.spec.min_group_size_applies_to == "slice" or key[0] == "count"
        rows = self.axis.all if whole else self.axis.denominator(key)
        return self.total(over, i, rows) < self.spec.min_group_size

    def excluded(self, ss: SliceSet, measure: str, threshold: float | None = None, class_: str | None = None,
                 *, include_small: bool = False) -> np.ndarray:
        """Groups left out of a comparison of ``measure``: hidden for privacy (always), and below
        ``min_group_size`` (unless ``include_small``)."""
        why = self.why_excluded(ss, measure, threshold, class_, include_small=include_small)
        return np.array([w is not None for w in why], dtype=bool)

    def why_excluded(self, ss: SliceSet, measure: str, threshold: float | None = None, class_: str | None = None,
                     *, include_small: bool = False) -> list[str | None]:
        """Per group, the setting that leaves it out of a comparison of ``measure``:
        ``"min_cell_size"`` (hidden for privacy, always), ``"min_group_size"`` (too few rows to be
        reliable, unless ``include_small``) or ``None`` (taken part)."""
        out: list[str | None] = []
        for i in range(len(ss.keys)):
            keys = [draws_key(m, threshold, class_) for m in needed_metrics(measure)]
            if any(self.metric_hidden(ss.over, i, k) for k in keys):
                out.append("min_cell_size")
            elif not include_small and any(self.small(ss.over, i, k) for k in keys):
                out.append("min_group_size")
            else:
                out.append(None)
        return out

    def publish(self, over: tuple[str, ...], i: int, key: MetricKey, row: dict[str, Any]) -> dict[str, Any]:
        """A results row with its ``n`` (the rows it is computed over) and, when a count it is made
        of is hidden, no value."""
        row["n"] = self.count(over, i, self.axis.denominator(key))
        total = not over and key[0] == "count"  # the number of rows used, in the provenance too
        if self.metric_hidden(over, i, key) and row.get("value") is not None and not total:
            for name in ("value", "ci_low", "ci_high", "interval", "n_effective"):
                row.pop(name, None)
            row.update(value=None, suppressed=True, reason=HIDDEN_REASON)
        return row


def published_keys(spec: QuantitativeAnalyses, axis: ClassAxis, metrics: list[str]) -> list[MetricKey]:
    """Every metric key whose value reaches the results, at every threshold and for every class."""
    from ..schema.metric_names import threshold_dependent

    out: list[MetricKey] = []
    if spec.task == MULTICLASS and spec.per_class:
        metrics = [*metrics, *(m for m in PER_CLASS_METRICS if m not in metrics)]
    for metric in metrics:
        if spec.task == MULTICLASS and metric in PER_CLASS_METRICS:
            out += [(metric, None, c) for c in axis.classes]
        elif threshold_dependent(spec.task, metric):
            out += [(metric, t, None) for t in axis.points]
        else:
            out.append((metric, None, None))
    return out


def protect(spec: QuantitativeAnalyses, table: CountTable, reported: list[tuple[str, ...]], metrics: list[str],
            partial: dict[tuple[str, ...], list[str]] | None = None) -> Shield:
    """Decide what the results of ``reported`` slices may publish (``metrics``: every metric whose
    values reach the file, directly or through disparities and gates).  ``partial``: slice sets of
    ``reported`` that publish only their sizes and the values of the metrics named (the
    group × stratum cells of conditional disparities); only those are protected, and only those
    may be asked of the shield for them.  Binary with calibration bins: the calibration tables
    too, in the same grid — unless no table can be shown (every one is sparse), or protecting them
    would hide more of the slices' counts and metrics than protecting the slices alone: then none
    is shown."""
    alone = _protect(spec, table, reported, metrics, calibration=False, partial=partial or {})
    assert alone is not None
    if table.joint is None:
        return alone
    shield = _protect(spec, table, reported, metrics, calibration=True, partial=partial or {})
    if shield is None or shield.everything or shield.lost(reported, metrics) > alone.lost(reported, metrics):
        return alone
    return shield


def _protect(spec: QuantitativeAnalyses, table: CountTable, reported: list[tuple[str, ...]], metrics: list[str],
             *, calibration: bool, partial: dict[tuple[str, ...], list[str]]) -> Shield | None:
    """:func:`protect`, with the calibration tables or without (``None``: with, but none is shown)."""
    axis = class_axis(spec, table, calibration=calibration)
    nf = len(table.factors)
    shield = Shield(spec, axis, conf={o: _class_counts(axis, table, o) for o in reported})
    width = len(axis.all)
    cells = {over: [c * width for c in _slice_cells(table, over)] for over in reported}
    parts: Parts = []
    if axis.bins and axis.band_cal is not None:
        parts = bin_parts(axis.band_cal, axis.bins)
        for over in (o for o in reported if o not in partial):
            shield.calibration.choose(axis.counts.reshape(-1), parts, over, cells[over], spec.min_cell_size,
                                      spec.min_group_size)
        if not any(shield.calibration.tables.values()):
            return None
    grid = CountGrid(axis.counts, groups=[*([i] for i in range(nf)), *([nf + a for a in g] for g in axis.groups)])
    grid.add(np.ones(grid.shape, dtype=bool), fixed=True)
    keys = published_keys(spec, axis, metrics)
    class_sets = list(dict.fromkeys([axis.all, *axis.slice_counts(), *(p for key in keys for p in axis.parts(key))]))
    slots: dict[tuple[tuple[str, ...], int, Classes], int] = {}
    withheld: set[tuple[tuple[str, ...], int, Classes]] = set()
    for over in reported:
        sets = class_sets if over not in partial else list(dict.fromkeys(
            [axis.all, *(p for key in published_keys(spec, axis, partial[over]) for p in axis.parts(key))]))
        for i, first in enumerate(cells[over]):
            _register(shield, grid, over, i, first, sets, slots, withheld)
            if parts and over not in partial:
                shield.calibration.register(grid, parts, over, i, first, spec.min_cell_size)
    protection = grid.protect(spec.min_cell_size)
    hidden = protection.suppressed
    shield.everything = protection.everything
    shield.hidden = {key: bool(hidden[q]) for key, q in slots.items()}
    shield.hidden.update(dict.fromkeys(withheld, True))
    shield.calibration.decide(hidden)
    for (over, i, classes), q in slots.items():  # a hidden size hides every count of its slice
        if classes == axis.all and hidden[q]:
            for other in class_sets:
                shield.hidden[(over, i, other)] = True
    return shield


def _slice_cells(table: CountTable, over: tuple[str, ...]) -> list[np.ndarray]:
    """For each slice of ``over`` (in the order of its keys), the flat indices of its factor cells."""
    shape = tuple(len(levels) for levels in table.levels)
    axes = [table.factors.index(f) for f in over]
    out = []
    for combo in itertools.product(*(range(shape[a]) for a in axes)):
        index: list[Any] = [slice(None)] * len(shape)
        for a, c in zip(axes, combo):
            index[a] = c
        mask = np.zeros(shape, dtype=bool)
        mask[tuple(index)] = True
        out.append(np.flatnonzero(mask))
    return out


def _register(shield: Shield, grid: CountGrid, over: tuple[str, ...], i: int, cells: np.ndarray,
              class_sets: list[Classes], slots: dict[tuple[tuple[str, ...], int, Classes], int],
              withheld: set[tuple[tuple[str, ...], int, Classes]]) -> None:
    """Add what slice ``i`` publishes to ``grid`` (``cells``: the grid index of its factor cells'
    first class)."""
    axis, k = shield.axis, shield.spec.min_cell_size
    counts = shield.conf[over][i]
    size = int(counts.sum())
    matrix = axis.task != MULTICLASS or _whole(counts, axis, k)
    shield.matrices[(over, i)] = matrix
    off_diagonal = _off_diagonal(axis)
    for classes in class_sets:
        members = (cells[:, None] + np.asarray(classes, dtype=np.int64)[None, :]).ravel()
        if not matrix and classes in off_diagonal:  # withheld with its matrix
            withheld.add((over, i, classes))
            if 0 < int(counts[list(classes)].sum()) < k:  # still a small count to protect
                grid.add(members, hidden=True)
            continue
        # a slice below the threshold publishes nothing but that it exists, not even its zeros
        slots[(over, i, classes)] = grid.add(members, hidden=size < k and classes != axis.all)


def _off_diagonal(axis: ClassAxis) -> set[Classes]:
    """Multiclass: the cells of a confusion matrix no metric is made of (a label predicted as another)."""
    if axis.task != MULTICLASS:
        return set()
    k = axis.shape[0]
    return {axis.matrix(a, b) for a in range(k) for b in range(k) if a != b}


def _whole(counts: np.ndarray, axis: ClassAxis, k: int) -> bool:
    """A slice publishes its confusion matrix only when no cell of it is below ``k`` but zero:
    a sparse matrix is withheld as a whole (its diagonal, row and column sums still stand for the
    metrics), rather than protected cell by cell at the cost of most of its metrics."""
    cells = counts.reshape(axis.shape).sum(axis=tuple(range(2, len(axis.shape))))
    return bool(((cells == 0) | (cells >= k)).all())


def _class_counts(axis: ClassAxis, table: CountTable, over: tuple[str, ...]) -> np.ndarray:
    nf = len(table.factors)
    keep = {table.factors.index(f) for f in over}
    drop = tuple(a for a in range(nf) if a not in keep)
    counts = axis.counts.sum(axis=drop) if drop else axis.counts
    return counts.reshape(-1, int(np.prod(axis.shape)))
