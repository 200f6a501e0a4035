"""A datasheet's pre-training bias measures: counted in the composition pass, estimated with
intervals, small cells suppressed.

The composition pass counts rows per combination of the sensitive attributes; with
``bias_metrics`` the same pass adds the strata (``conditional_on``) and the label to the key, so
the counts ``n[attributes…, strata…, label]`` cost no extra read on any engine.  Everything after
the count is here: for each sensitive attribute (and each requested intersection) and each of its
groups *d*, every measure of *d* against the rest of the data (:mod:`.clarify`) and an interval.

Suppression: a group's measures publish its counts and the rest's, per label value (and per
stratum for CDDL), and the rest is the sum of the other groups, so one group's small count would
follow from the others'.  So an attribute's (or intersection's) measures are published only when
every count they are built from, for every group, is 0 or at least ``min_cell_size``; otherwise
they are suppressed for every group of it (the stratum breakdown of CDDL separately from the
others).  A finer table holds every small cell of a coarser one, so no published table gives a
suppressed one away.

Intervals: class imbalance is ``1 − 2p`` with ``p = n_d / n`` binomial, so the Wilson interval of
``p``, transformed, has Wilson's coverage; DPL, a difference of two independent proportions, gets
Newcombe's hybrid score interval; CDD and the stratum disparities get the percentile bootstrap
over the count cells (a multinomial draw over the cells is a row resample, as for model cards);
with a two-valued label, TVD and KS are |Δ| and LP is √2·|Δ| (Δ the difference of the two sides'
shares of one label value), so their interval is Newcombe's interval of Δ folded at 0, and KL and JS
get the range of the divergence over the box of the two sides' Wilson intervals (each at level
√level, so the box holds the true pair at the stated level: conservative); with more label values the basic bootstrap interval
``[2θ̂ − q_hi, 2θ̂ − q_lo]`` cut to ``[0, ∞)`` (the plug-in estimate of a distance is biased upwards).  Every interval is widened, if
need be, to contain its own estimate.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..schema.analysis import BinnedFactor, CompositionData, Confidence, Factor, Intersections, factor_name
from . import clarify
from .decode import MISSING, Levels
from .intervals import wilson
from .reading import matches_label

LABEL_LIMIT = 50
"""Most distinct label values the distribution measures compare."""
CHUNK = 100


@dataclass
class BiasPlan:
    """The extra columns the composition pass counts for the bias measures: the strata, then the
    label, after the sensitive attributes."""

    spec: CompositionData
    factors: list[Factor]
    columns: list[str]
    levels: list[Levels]

    @property
    def strata(self) -> int:
        return len(self.spec.conditional_on)


def plan(spec: CompositionData, limit: int) -> BiasPlan | None:
    """What the pass must count for ``spec``'s bias measures (``None``: none asked for)."""
    if not spec.bias_metrics:
        return None
    factors: list[Factor] = list(spec.conditional_on)
    levels = [Levels(factor_name(f), f if isinstance(f, BinnedFactor) else None, limit=limit) for f in factors]
    columns = [f if isinstance(f, str) else f.column for f in factors]
    if spec.label is not None:
        factors.append(spec.label)
        columns.append(spec.label)
        levels.append(Levels(f"{spec.label} (label)", None, limit=10_000))
    return BiasPlan(spec, factors, columns, levels)


def dense(levels: list[Levels], counts: dict[tuple[int, ...], int], order: list[list[int]]) -> np.ndarray:
    """The counts as an array over every level, each axis in ``order`` (codes in display order)."""
    shape = [len(lv.labels) for lv in levels]
    out = np.zeros(shape, dtype=np.int64)
    for key, c in counts.items():
        out[key] += c
    for axis, o in enumerate(order):
        out = np.take(out, o, axis=axis)
    return out


def marginal(counts: dict[tuple[int, ...], int], keep: int) -> dict[tuple[int, ...], int]:
    """The counts summed over every axis after the first ``keep``."""
    out: dict[tuple[int, ...], int] = {}
    for key, c in counts.items():
        sub = key[:keep]
        out[sub] = out.get(sub, 0) + c
    return out


def overs(names: list[str], intersections: Intersections) -> list[tuple[int, ...]]:
    """Each attribute, then the intersections asked for (as attribute indices)."""
    out: list[tuple[int, ...]] = [(i,) for i in range(len(names))]
    if intersections == "all":
        out += [c for r in range(2, len(names) + 1) for c in itertools.combinations(range(len(names)), r)]
    elif isinstance(intersections, list):
        out += [tuple(i for i, n in enumerate(names) if n in combo) for combo in intersections]
    return list(dict.fromkeys(o for o in out if o))


@dataclass
class Tables:
    """The counts the measures need, and their labels."""

    attrs: list[str]
    attr_labels: list[list[str]]
    strata_names: list[str]
    strata_labels: list[list[str]]
    label_values: list[str]
    positive: np.ndarray
    counts: np.ndarray
    """``(*attribute groups, S, L)``: strata flattened, missing labels left out."""
    missing_label: int


def _display_order(lv: Levels, order: Callable[[Levels, int], Any]) -> list[int]:
    return sorted(range(len(lv.labels)), key=lambda c: order(lv, c))


def tables(spec: CompositionData, attr_levels: list[Levels], bias: BiasPlan, counts: dict[tuple[int, ...], int],
           order: Callable[[Levels, int], Any], error: Callable[[str, str], Exception]) -> Tables:
    has_label = len(bias.levels) > bias.strata
    if has_label and len([t for t in bias.levels[-1].labels if t != MISSING]) > LABEL_LIMIT:
        raise error(f"the label {spec.label!r} has more than {LABEL_LIMIT} distinct values; the bias measures "
                    f"compare label distributions of at most {LABEL_LIMIT} values",
                    "use a categorical label (a class), or leave out the distribution measures")
    levels = attr_levels + bias.levels
    orders = [_display_order(lv, order) for lv in levels]
    full = dense(levels, counts, orders)
    k = len(attr_levels)
    labels = [[lv.labels[c] for c in o] for lv, o in zip(levels, orders)]
    if not has_label:  # class imbalance alone: one "label value" that every row has
        full, labels = full[..., None], [*labels, ["(all rows)"]]
    label_labels = labels[-1]
    keep = [i for i, t in enumerate(label_labels) if t != MISSING]
    missing = int(full.take([i for i, t in enumerate(label_labels) if t == MISSING], axis=-1).sum())
    full = full.take(keep, axis=-1)
    values = [label_labels[i] for i in keep]
    wanted = [] if spec.positive_label is None else (
        spec.positive_label if isinstance(spec.positive_label, list) else [spec.positive_label])
    positive = np.array([any(matches_label(v, p) for p in wanted) for v in values], dtype=bool)
    if spec.positive_label is not None and not positive.any() and values:
        raise error(f"no value of the label {spec.label!r} equals positive_label {spec.positive_label!r}; "
                    f"label values: {', '.join(values[:10])}", "set `positive_label` to the favourable outcome")
    strata_shape = full.shape[k:-1]
    s = math.prod(strata_shape)
    full = full.reshape(*full.shape[:k], s, full.shape[-1])
    return Tables([lv.name for lv in attr_levels], labels[:k], [lv.name for lv in bias.levels[:bias.strata]],
                  labels[k:k + bias.strata], values, positive, full, missing)


def _label_text(value: Any) -> str | None:
    if value is None:
        return None
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _strata_keys(t: Tables) -> list[dict[str, str]]:
    return [dict(zip(t.strata_names, combo)) for combo in itertools.product(*t.strata_labels)]


def _draws(counts: np.ndarray, resamples: int, seed: int) -> list[np.ndarray]:
    """Multinomial resamples of the finest cells, in chunks (each ``(r, *counts.shape)``)."""
    flat = counts.ravel()
    total = int(flat.sum())
    if resamples <= 0 or total == 0:
        return []
    nonzero = np.flatnonzero(flat)
    probs = flat[nonzero] / total
    rng = np.random.default_rng(seed)
    out = []
    done = 0
    while done < resamples:
        r = min(CHUNK, resamples - done)
        full = np.zeros((r, flat.size), dtype=np.int64)
        full[:, nonzero] = rng.multinomial(total, probs, size=r)
        out.append(full.reshape(r, *counts.shape))
        done += r
    return out


def _facet_view(counts: np.ndarray, over: tuple[int, ...], nattrs: int) -> np.ndarray:
    """``(..., G, S, L)``: counts per cell of ``over`` (other attributes summed), cells flattened."""
    lead = counts.ndim - nattrs - 2
    axes = tuple(lead + i for i in range(nattrs) if i not in over)
    sub = counts.sum(axis=axes) if axes else counts
    return sub.reshape(*sub.shape[:lead], -1, *sub.shape[-2:])


def compute(spec: CompositionData, t: Tables, k: int) -> dict[str, Any]:
    """The ``bias`` block of the results."""
    conf = spec.confidence or Confidence()
    cells = t.counts
    draws = _draws(cells, conf.resamples, conf.seed)
    rows: list[dict[str, Any]] = []
    for over in overs(t.attrs, spec.intersections):
        est = _facet_view(cells, over, len(t.attrs))
        boot = np.concatenate([_facet_view(d, over, len(t.attrs)) for d in draws]) if draws else None
        keys = [dict(zip([t.attrs[i] for i in over], combo))
                for combo in itertools.product(*(t.attr_labels[i] for i in over))]
        rows += _over_rows(spec, t, over, keys, est, boot, k)
    return {
        "label": spec.label, "positive_label": _label_text(spec.positive_label),
        "label_values": t.label_values if spec.label is not None else None,
        "conditional_on": t.strata_names, "metrics": list(spec.bias_metrics), "level": conf.level,
        "resamples": conf.resamples, "seed": conf.seed, "rows_used": int(cells.sum()),
        "rows_dropped": {"missing_label": t.missing_label} if t.missing_label else {}, "measures": rows,
    }


def _over_rows(spec: CompositionData, t: Tables, over: tuple[int, ...], keys: list[dict[str, str]],
               est: np.ndarray, boot: np.ndarray | None, k: int) -> list[dict[str, Any]]:
    total = est.sum(0)                      # (S, L)
    rows = []
    names = [t.attrs[i] for i in over]
    pos = t.positive
    hidden = _small(est.sum(1), k)
    hidden_strata = hidden or _small(np.stack([(est * ~pos).sum(-1), (est * pos).sum(-1)], -1), k)
    for g, key in enumerate(keys):
        d = est[g]
        nd, n = int(d.sum()), int(total.sum())
        if nd == 0:
            continue
        for metric in spec.bias_metrics:
            small = hidden_strata if metric == "conditional_demographic_disparity" else hidden
            row: dict[str, Any] = {"over": names, "facet": key, "metric": metric, "value": None,
                                   "n_facet": None if small else nd, "n_rest": None if small else n - nd,
                                   "suppressed": small}
            if small:
                what = "a group's count within a stratum" if not hidden else "a group's count"
                row["reason"] = (f"{what} of {' × '.join(names)} is below {k} (min_cell_size): every group's "
                                 "measures are suppressed, or the rest of the data would give it away")
                rows.append(row)
                continue
            rows.append(_measure_row(row, metric, t, d, total, boot[:, g] if boot is not None else None,
                                     boot.sum(1) if boot is not None else None, spec))
    return rows


def _small(cells: np.ndarray, k: int) -> bool:
    """Whether any count lies strictly between 0 and ``k``."""
    return bool(np.any((cells > 0) & (cells < k)))


def _num(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _measure_row(row: dict[str, Any], metric: str, t: Tables, d: np.ndarray, total: np.ndarray,
                 boot_d: np.ndarray | None, boot_total: np.ndarray | None, spec: CompositionData) -> dict[str, Any]:
    conf = spec.confidence or Confidence()
    level = conf.level
    value = float(clarify.measure(metric, d, total, t.positive))
    if metric == "conditional_demographic_disparity":
        row["strata"] = _strata_rows(t, d, total, boot_d, boot_total, level)
    if math.isinf(value):
        row["reason"] = "infinite: the rest of the data has a label value that the facet never has"
        return row
    if math.isnan(value):
        row["reason"] = "undefined: no rows outside the facet" if int(d.sum()) == int(total.sum()) else "undefined"
        return row
    row["value"] = value
    if metric in clarify.RATES:
        row.update(_rates(d.sum(0), (total - d).sum(0), t.positive, level))
    if conf.resamples <= 0:
        return row
    lo: float | None
    hi: float | None
    if metric == "class_imbalance":
        plo, phi = wilson(np.asarray(d.sum()), np.asarray(total.sum()), level)
        lo, hi, method = 1 - 2 * float(phi), 1 - 2 * float(plo), "wilson-transformed"
    elif metric == "difference_in_label_proportions":
        lo, hi = _newcombe(d.sum(0), (total - d).sum(0), t.positive, level)
        method = "newcombe"
    elif metric in FOLDED and len(t.label_values) == 2:
        low, high = _newcombe(d.sum(0), (total - d).sum(0), np.array([True, False]), level)
        scale = math.sqrt(2) if metric == "lp_norm" else 1.0
        lo = 0.0 if low <= 0 <= high else min(abs(low), abs(high)) * scale
        hi, method = max(abs(low), abs(high)) * scale, "newcombe-folded"
    elif metric in clarify.DISTANCES and len(t.label_values) == 2:
        lo, hi = box_interval(metric, d.sum(0), (total - d).sum(0), level)
        method = "wilson-box"
    else:
        assert boot_d is not None and boot_total is not None
        draws = clarify.measure(metric, boot_d, boot_total, t.positive)
        lo, hi, method = bootstrap_interval(value, draws, level, basic=metric in clarify.DISTANCES)
    if lo is not None and hi is not None:
        lo, hi = min(lo, value), max(hi, value)
    row.update(ci_low=lo, ci_high=hi, interval=method)
    return row


def _rates(d: np.ndarray, a: np.ndarray, positive: np.ndarray, level: float) -> dict[str, float | None]:
    """The share of favourable labels in the facet and in the rest, with Wilson intervals."""
    out: dict[str, float | None] = {}
    for side, counts in (("facet", d), ("rest", a)):
        k, n = float((counts * positive).sum()), float(counts.sum())
        lo, hi = wilson(np.asarray(k), np.asarray(n), level)
        out.update({f"{side}_rate": k / n if n else None, f"{side}_rate_ci_low": _num(lo) if n else None,
                    f"{side}_rate_ci_high": _num(hi) if n else None})
    return out


BOX_GRID = 1001
FOLDED = ("lp_norm", "total_variation_distance", "kolmogorov_smirnov")
"""With a two-valued label these are |Δ| (√2·|Δ| for LP), Δ the difference of the two sides' shares
of one label value: their interval is Newcombe's interval of Δ, folded at 0."""


def box_interval(metric: str, d: np.ndarray, a: np.ndarray, level: float) -> tuple[float, float]:
    """A distance between two two-valued label distributions, over the box of their Wilson
    intervals at level √level each: the two shares are independent, so the box holds the true pair
    with probability ``level``, and the smallest and largest distance over the box bound the true
    distance at least that often.  Every distance here is convex in the pair, so the largest is at a
    corner and the smallest on the edge nearest the diagonal (0 when the box meets it)."""
    inner = math.sqrt(level)
    lo_d, hi_d = (float(x) for x in wilson(np.asarray(float(d[0])), np.asarray(float(d.sum())), inner))
    lo_a, hi_a = (float(x) for x in wilson(np.asarray(float(a[0])), np.asarray(float(a.sum())), inner))

    def at(pa: np.ndarray, pd: np.ndarray) -> np.ndarray:
        return clarify.distance(metric, np.stack([pa, 1 - pa], -1), np.stack([pd, 1 - pd], -1))

    corners = at(np.array([lo_a, lo_a, hi_a, hi_a]), np.array([lo_d, hi_d, lo_d, hi_d]))
    high = float(np.max(corners))
    if lo_a <= hi_d and lo_d <= hi_a:
        return 0.0, high
    grid = np.linspace(0.0, 1.0, BOX_GRID)
    edges = [at(lo_a + (hi_a - lo_a) * grid, np.full(BOX_GRID, hi_d if hi_d < lo_a else lo_d)),
             at(np.full(BOX_GRID, lo_a if hi_d < lo_a else hi_a), lo_d + (hi_d - lo_d) * grid)]
    return float(min(np.min(e) for e in edges)), high


def _newcombe(d: np.ndarray, a: np.ndarray, positive: np.ndarray, level: float) -> tuple[float, float]:
    """Newcombe's (1998) hybrid score interval for ``q_a − q_d`` (method 10)."""
    pa_k, pa_n = float((a * positive).sum()), float(a.sum())
    pd_k, pd_n = float((d * positive).sum()), float(d.sum())
    qa, qd = pa_k / pa_n, pd_k / pd_n
    la, ua = (float(x) for x in wilson(np.asarray(pa_k), np.asarray(pa_n), level))
    ld, ud = (float(x) for x in wilson(np.asarray(pd_k), np.asarray(pd_n), level))
    diff = qa - qd
    return diff - math.sqrt((qa - la) ** 2 + (ud - qd) ** 2), diff + math.sqrt((ua - qa) ** 2 + (qd - ld) ** 2)


def bootstrap_interval(value: float, draws: np.ndarray, level: float, *, basic: bool) -> tuple[float | None, float | None, str]:
    """Percentile interval of the draws, or for distances the basic interval cut at 0."""
    ok = ~np.isnan(draws)
    if ok.sum() < max(1, draws.size // 2):
        return None, None, "bootstrap-basic" if basic else "bootstrap-percentile"
    alpha = (1 - level) / 2
    q_lo, q_hi = np.quantile(draws[ok], [alpha, 1 - alpha])
    if not basic:
        return _num(q_lo), _num(q_hi), "bootstrap-percentile"
    lo = max(0.0, 2 * value - float(q_hi)) if math.isfinite(q_hi) else 0.0
    hi = 2 * value - float(q_lo)
    return lo, _num(max(hi, 0.0)), "bootstrap-basic"


def _strata_rows(t: Tables, d: np.ndarray, total: np.ndarray, boot_d: np.ndarray | None,
                 boot_total: np.ndarray | None, level: float) -> list[dict[str, Any]]:
    """Per stratum: its rows, weight, the favourable-label rate of the facet and of the rest, the
    demographic disparity ``DD`` with an interval."""
    pos = t.positive
    dd = clarify.demographic_disparity(d, total, pos)
    boot = clarify.demographic_disparity(boot_d, boot_total, pos) if boot_d is not None and boot_total is not None else None
    n_all = int(total.sum())
    out = []
    for s, key in enumerate(_strata_keys(t)):
        ds, ts = d[s], total[s]
        n = int(ts.sum())
        if n == 0:
            continue
        a = ts - ds
        row: dict[str, Any] = {"stratum": key, "n": None, "weight": None, "facet_rate": None,
                               "rest_rate": None, "disparity": None}
        nd, na = int(ds.sum()), int(a.sum())
        fk, rk = int((ds * pos).sum()), int((a * pos).sum())
        row.update(n=n, n_facet=nd, n_rest=na, weight=n / n_all, disparity=float(dd[s]),
                   facet_rate=fk / nd if nd else None, rest_rate=rk / na if na else None)
        if nd:
            lo, hi = wilson(np.asarray(fk), np.asarray(nd), level)
            row.update(facet_rate_ci_low=float(lo), facet_rate_ci_high=float(hi))
        if na:
            lo, hi = wilson(np.asarray(rk), np.asarray(na), level)
            row.update(rest_rate_ci_low=float(lo), rest_rate_ci_high=float(hi))
        if boot is not None:
            lo_, hi_, _ = bootstrap_interval(float(dd[s]), boot[:, s], level, basic=False)
            if lo_ is not None and hi_ is not None:
                row.update(ci_low=min(lo_, float(dd[s])), ci_high=max(hi_, float(dd[s])))
        out.append(row)
    return out
