"""What the count pass accumulates for an evaluation, decided before counting and the same on
every engine: the task's discrete axes, the per-row statistics summed exactly (with their
scales), and the histogram grid for medians and percentiles.

A statistic is an expression of the row's numbers (:mod:`.engines.expr`), with these names:
``y`` the label and ``p`` the prediction of a regression, ``s`` the score (binary
classification, scored items), ``w`` the sample weight.  Binary statistics that depend on the
label are summed in both forms (``…0`` for a negative row, ``…1`` for a positive one), so an
engine never needs to know which label is positive: the shared decoder picks the form by label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..schema.analysis import QuantitativeAnalyses
from ..schema.metric_names import BINARY, MULTICLASS, REGRESSION, SCORED
from .engines import expr as ex
from .engines.fixed import scale_for
from .engines.softlog import clip, log_node
from .quantiles import Grid

EPS = 2.220446049250313e-16
"""scikit-learn's clip for `log_loss`: probabilities within [eps, 1 - eps]."""
SLACK = 1 + 2.0**-40
"""Bounds are widened by this much, so a value rounded up in its last bit stays within."""
LARGEST_VALUE = 1e60
"""The largest magnitude of a regression's labels and predictions and of a scored evaluation's
scores: their fourth powers, times a weight up to :data:`LARGEST_WEIGHT`, stay within the floats."""
LARGEST_WEIGHT = 1e60
"""The largest sample weight (its square is summed for the effective sample size)."""


def _power(bound: float, k: int) -> float:
    """``bound ** k``, infinite (not an error) past the largest float."""
    try:
        return float(bound**k)
    except OverflowError:
        return math.inf


@dataclass(frozen=True)
class Stat:
    name: str
    node: ex.Node
    bound: float
    """An upper bound of ``|value|`` over every row."""

    @property
    def scale(self) -> int:
        return scale_for(self.bound * SLACK)


@dataclass
class Bounds:
    """What the pre-pass found in a numeric column (finite values only)."""

    n: int = 0
    lo: float | None = None
    hi: float | None = None
    mean: float = 0.0
    """The exact mean, rounded once: the centre statistics of this column are taken about, so
    sums of squares do not lose digits to a large mean."""

    @property
    def magnitude(self) -> float:
        if self.lo is None or self.hi is None:
            return 0.0
        return max(abs(self.lo), abs(self.hi))


@dataclass
class Plan:
    """The count pass of one evaluation (see the module docstring)."""

    task: str
    weighted: bool = False
    thresholds: tuple[float, ...] | None = None
    """Binary, predictions from scores: the operating points (one level per threshold, plus one)."""
    calibration: tuple[float, ...] | None = None
    """Binary: the inner edges of the calibration bins (scikit-learn's uniform `calibration_curve`)."""
    classes: list[str] | None = None
    """Multiclass with class scores: the classes of the score columns, in sorted order."""
    class_columns: list[str] | None = None
    top_k: int = 2
    pass_threshold: float | None = None
    boolean: bool = False
    """Scored: the score column holds booleans (true passes)."""
    centre: float = 0.0
    """Regression and scored: the value (mean of the labels, of the scores) moments are taken about."""
    values: list[Stat] = field(default_factory=list)
    """Statistics summed per finest cell (binary: also per label and calibration bin)."""
    weight: Stat | None = None
    weight2: Stat | None = None
    hist: Grid | None = None
    hist_value: ex.Node | None = None
    hist_weight: Stat | None = None

    @property
    def levels(self) -> int:
        """Binary: prediction levels (``level > j``: predicted positive at threshold ``j``)."""
        return len(self.thresholds) + 1 if self.thresholds else 2


Y, P, S, W = ex.Col("y"), ex.Col("p"), ex.Col("s"), ex.Col("w")
CENTRED = ("y", "s")
"""The columns whose exact mean a plan takes moments about (regression labels, scores); of the
others the pre-pass needs the range only."""


#: Third moments, for the skewness correction of intervals only: left out when their bound
#: overflows (the interval is then Student's t).
OPTIONAL = frozenset({"e3", "abs_e3", "e6", "y3", "p3", "x3", "brier0_3", "brier1_3", "loss0_3", "loss1_3"})


def _weighted(stats: list[Stat], weight: Bounds | None) -> list[Stat]:
    bw = weight.magnitude if weight is not None else 1.0
    out = [st if weight is None else Stat(st.name, ex.mul(W, st.node), st.bound * bw) for st in stats]
    return [st for st in out if st.name not in OPTIONAL or math.isfinite(st.bound * SLACK)]


def _weights(plan: Plan, weight: Bounds | None) -> None:
    if weight is None:
        return
    plan.weighted = True
    bw = weight.magnitude
    plan.weight = Stat("w", W, bw)
    plan.weight2 = Stat("w2", ex.mul(W, W), bw * bw)


def make_plan(spec: QuantitativeAnalyses, bounds: dict[str, Bounds], *, boolean_score: bool = False) -> Plan:
    """The plan of ``spec``; ``bounds`` of the numeric columns the task reads (``y``, ``p``,
    ``s``, ``w``) from the pre-pass."""
    weight = bounds.get("w") if spec.data is not None and spec.data.weight is not None else None
    plan = Plan(spec.task)
    _weights(plan, weight)
    if spec.task == BINARY:
        _binary(plan, spec, weight)
    elif spec.task == MULTICLASS:
        _multiclass(plan, spec)
    elif spec.task == REGRESSION:
        _regression(plan, spec, bounds, weight)
    elif spec.task == SCORED:
        _scored(plan, spec, bounds, weight, boolean_score)
    return plan


def _binary(plan: Plan, spec: QuantitativeAnalyses, weight: Bounds | None) -> None:
    data = spec.data
    assert data is not None
    if data.prediction is None:
        plan.thresholds = tuple(data.thresholds) if data.thresholds else (float(data.threshold or 0.0),)
    wanted = set(spec.metrics) | {g.metric for g in spec.gates}
    stats: list[Stat] = []
    if wanted & {"expected_calibration_error", "brier_score", "log_loss"}:
        stats.append(Stat("n", ex.const(1.0), 1.0))
    if "expected_calibration_error" in wanted:
        bins = spec.bins
        plan.calibration = tuple(float(x) for x in _linspace(bins)[1:-1])
        stats += [Stat("s", S, 1.0), Stat("s2", ex.mul(S, S), 1.0)]
    if "brier_score" in wanted:
        stats += _moments("brier", ex.mul(S, S), ex.mul(ex.sub(ex.const(1.0), S), ex.sub(ex.const(1.0), S)), 1.0)
    if "log_loss" in wanted:
        neg = ex.Op("neg", (log_node(clip(ex.sub(ex.const(1.0), S), EPS)),))
        pos = ex.Op("neg", (log_node(clip(S, EPS)),))
        stats += _moments("loss", neg, pos, -math.log(EPS))
    plan.values = _weighted(stats, weight)
    if weight is not None and stats:
        plan.values.append(Stat("rows", ex.const(1.0), 1.0))


def _moments(name: str, negative: ex.Node, positive: ex.Node, bound: float) -> list[Stat]:
    """A per-row loss in the form of each label, with its square and cube."""
    out = []
    for power, suffix in ((1, ""), (2, "_2"), (3, "_3")):
        for label, node in (("0", negative), ("1", positive)):
            value = node if power == 1 else ex.mul(node, node) if power == 2 else ex.mul(ex.mul(node, node), node)
            out.append(Stat(f"{name}{label}{suffix}", value, _power(bound, power)))
    return out


def _linspace(bins: int) -> list[float]:
    """``numpy.linspace(0, 1, bins + 1)``, as scikit-learn's calibration_curve cuts [0, 1]."""
    import numpy as np

    return [float(x) for x in np.linspace(0.0, 1.0, bins + 1)]


def _multiclass(plan: Plan, spec: QuantitativeAnalyses) -> None:
    data = spec.data
    assert data is not None
    plan.top_k = spec.k
    if data.class_scores:
        order = sort_labels(list(data.class_scores))
        plan.classes = order
        plan.class_columns = [data.class_scores[c] for c in order]


def sort_labels(labels: list[str]) -> list[str]:
    """Class labels in scikit-learn's order: by value when all are numbers, else as text."""
    def number(t: str) -> float | None:
        try:
            return float(t)
        except ValueError:
            return None

    if all(number(t) is not None for t in labels):
        return sorted(labels, key=lambda t: (number(t), t))
    return sorted(labels)


def _regression(plan: Plan, spec: QuantitativeAnalyses, bounds: dict[str, Bounds], weight: Bounds | None) -> None:
    by, bp = bounds["y"].magnitude, bounds["p"].magnitude
    centre = bounds["y"].mean
    plan.centre = centre
    be = by + bp
    cy, cp = by + abs(centre), bp + abs(centre)
    e = ex.sub(P, Y)
    yc, pc = ex.sub(Y, ex.const(centre)), ex.sub(P, ex.const(centre))
    e2, y2, p2 = ex.mul(e, e), ex.mul(yc, yc), ex.mul(pc, pc)
    e4 = ex.mul(e2, e2)
    every = [
        Stat("e", e, be), Stat("abs_e", ex.absolute(e), be), Stat("e2", e2, be * be),
        Stat("e3", ex.mul(e2, e), _power(be, 3)), Stat("abs_e3", ex.mul(e2, ex.absolute(e)), _power(be, 3)),
        Stat("e4", e4, _power(be, 4)), Stat("e6", ex.mul(e4, e2), _power(be, 6)), Stat("y", yc, cy), Stat("y2", y2, cy * cy),
        Stat("y3", ex.mul(y2, yc), _power(cy, 3)), Stat("y4", ex.mul(y2, y2), _power(cy, 4)), Stat("p", pc, cp),
        Stat("p2", p2, cp * cp), Stat("p3", ex.mul(p2, pc), _power(cp, 3)), Stat("e2y", ex.mul(e2, yc), be * be * cy),
        Stat("e2y2", ex.mul(e2, y2), be * be * cy * cy),
    ]
    wanted = set(spec.metrics) | {g.metric for g in spec.gates}
    needed = {name for metric in wanted for name in REGRESSION_NEEDS.get(metric, ())}
    plan.values = _weighted([st for st in every if st.name in needed], weight)
    if "median_absolute_error" in wanted:
        _histogram(plan, ex.absolute(e), be, signed=False, weight=weight)


#: The sums each regression metric (and its interval) is computed from.
REGRESSION_NEEDS: dict[str, tuple[str, ...]] = {
    "mean_error": ("e", "e2", "e3"),
    "mean_absolute_error": ("abs_e", "e2", "abs_e3"),
    "mean_squared_error": ("e2", "e4", "e6"),
    "root_mean_squared_error": ("e2", "e4", "e6"),
    "r2": ("e2", "e4", "e6", "y", "y2", "y3", "y4", "e2y", "e2y2"),
    "mean_label": ("y", "y2", "y3"),
    "mean_prediction": ("p", "p2", "p3"),
}


def _scored(plan: Plan, spec: QuantitativeAnalyses, bounds: dict[str, Bounds], weight: Bounds | None,
            boolean: bool) -> None:
    data = spec.data
    assert data is not None
    bs = bounds["s"].magnitude
    centre = bounds["s"].mean
    plan.centre = centre
    cs = bs + abs(centre)
    xc = ex.sub(S, ex.const(centre))
    s2 = ex.mul(xc, xc)
    stats = [Stat("x", xc, cs), Stat("x2", s2, cs * cs), Stat("x3", ex.mul(s2, xc), _power(cs, 3)),
             Stat("x4", ex.mul(s2, s2), _power(cs, 4))]
    plan.values = _weighted(stats, weight)
    plan.pass_threshold = data.pass_threshold
    plan.boolean = boolean
    histogram = {"p10", "p50", "p90", "std"}  # std: the trimmed mean of its interval's kurtosis
    if histogram & (set(spec.metrics) | {g.metric for g in spec.gates}):
        lo = bounds["s"].lo
        _histogram(plan, S, bs, signed=lo is not None and lo < 0, weight=weight)


def _histogram(plan: Plan, value: ex.Node, bound: float, *, signed: bool, weight: Bounds | None) -> None:
    from .quantiles import MAX_BITS

    plan.hist = Grid.for_bound(bound, MAX_BITS, signed)
    plan.hist_value = value
    if weight is not None:
        plan.hist_weight = Stat("hw", W, weight.magnitude)
