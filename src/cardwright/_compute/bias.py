"""A datasheet's pre-training bias measures: counted in the composition pass, estimated with
intervals, small cells suppressed.

The composition pass counts rows per combination of the sensitive attributes; with
``bias_metrics`` the same pass adds the strata (``conditional_on``) and the label to the key, so
the counts ``n[attributes…, strata…, label]`` cost no extra read on any engine.  Everything after
the count is here: for each sensitive attribute (and each requested intersection) and each of its
groups *d*, every measure of *d* against the rest of the data (:mod:`.clarify`) and an interval.

Suppression: every count a row is built from is registered, with the datasheet's other tables,
in one grid (:mod:`.bias_grid`); a row is published only when all of them are.  Label values held
by fewer than ``min_cell_size`` rows are pooled into one value, as in the label's value table, so
the distribution measures compare the pooled distributions.

Intervals: class imbalance is ``1 − 2p`` with ``p = n_d / n`` binomial, so the Wilson interval of
``p``, transformed, has Wilson's coverage; DPL, a difference of two independent proportions, gets
Newcombe's hybrid score interval; CDD and the stratum disparities get the percentile bootstrap
over the row's own counts (a multinomial draw over them is a row resample, as for model cards);
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
from typing import Any, Protocol

import numpy as np

from ..schema.analysis import BinnedFactor, CompositionData, Confidence, Factor, Intersections, factor_name
from . import clarify
from .bias_intervals import bootstrap_interval, interval, rates
from .composition_tables import RARE
from .intervals import wilson
from .levels import MISSING, Levels
from .reading import matches_label


class Shield(Protocol):
    """What a bias row may publish (:class:`.bias_grid.BiasShield`, :class:`.bias_grid.AllHidden`)."""

    def used_shown(self) -> bool: ...

    def n_shown(self, over: int, facet: int, /) -> tuple[bool, bool]:
        """Whether the facet's rows and the rest's are published."""

    def verdict(self, over: int, facet: int, metric: str, /) -> str | None:
        """``None`` when the row is published, else why it is suppressed."""

LABEL_LIMIT = 50
"""Most distinct label values the distribution measures compare."""


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
    """The label values the distributions are over: every value held by at least
    ``min_cell_size`` rows, then :data:`RARE` for the others pooled (as the label's value table)."""
    positive: np.ndarray
    """Per entry of ``label_values``: favourable or not."""
    mixed: bool
    """The pool holds favourable and unfavourable values, so the favourable rows cannot be
    counted without naming a rare value: DPL and CDDL are not published."""
    cube: np.ndarray
    """``(*attribute groups, *strata, label values + missing)``: every count the measures and the
    composition tables are sums of (the last label entry is the missing label; with no label, one
    entry that every row has)."""

    @property
    def counts(self) -> np.ndarray:
        """``(*attribute groups, S, L)``: strata flattened, missing labels left out."""
        k = len(self.attrs)
        used = self.cube[..., :len(self.label_values)]
        return used.reshape(*used.shape[:k], math.prod(used.shape[k:-1]), used.shape[-1])

    @property
    def missing_label(self) -> int:
        return int(self.cube[..., len(self.label_values):].sum())


def _display_order(lv: Levels, order: Callable[[Levels, int], Any]) -> list[int]:
    return sorted(range(len(lv.labels)), key=lambda c: order(lv, c))


def tables(spec: CompositionData, attr_levels: list[Levels], bias: BiasPlan, counts: dict[tuple[int, ...], int],
           order: Callable[[Levels, int], Any], error: Callable[[str, str], Exception], k: int) -> Tables:
    """The count cube of the measures, label values held by fewer than ``k`` rows pooled."""
    has_label = len(bias.levels) > bias.strata
    if has_label and len([t for t in bias.levels[-1].labels if t != MISSING]) > LABEL_LIMIT:
        raise error(f"the label {spec.label!r} has more than {LABEL_LIMIT} distinct values; the bias measures "
                    f"compare label distributions of at most {LABEL_LIMIT} values",
                    "use a categorical label (a class), or leave out the distribution measures")
    levels = attr_levels + bias.levels
    orders = [_display_order(lv, order) for lv in levels]
    full = dense(levels, counts, orders)
    nattrs = len(attr_levels)
    labels = [[lv.labels[c] for c in o] for lv, o in zip(levels, orders)]
    if not has_label:  # class imbalance alone: one "label value" that every row has
        full, labels = full[..., None], [*labels, ["(all rows)"]]
    values = [t for t in labels[-1] if t != MISSING]
    wanted = [] if spec.positive_label is None else (
        spec.positive_label if isinstance(spec.positive_label, list) else [spec.positive_label])
    favourable = [any(matches_label(v, p) for p in wanted) for v in values]
    if spec.positive_label is not None and not any(favourable) and values:
        raise error(f"no value of the label {spec.label!r} equals positive_label {spec.positive_label!r}; "
                    f"label values: {', '.join(values[:10])}", "set `positive_label` to the favourable outcome")
    cube, pooled, positive, mixed = pool_labels(full, labels[-1], favourable, k if has_label else 0)
    return Tables([lv.name for lv in attr_levels], labels[:nattrs], [lv.name for lv in bias.levels[:bias.strata]],
                  labels[nattrs:nattrs + bias.strata], pooled, positive, mixed, cube)


def pool_labels(full: np.ndarray, labels: list[str], favourable: list[bool], k: int
                ) -> tuple[np.ndarray, list[str], np.ndarray, bool]:
    """The cube with label values held by fewer than ``k`` rows pooled into one entry
    :data:`RARE` (exactly as the label's value table pools them) and the missing label last:
    ``(cube, label values, favourable per value, whether the pool mixes favourable and not)``."""
    keep = [i for i, t in enumerate(labels) if t != MISSING]
    totals = full.sum(axis=tuple(range(full.ndim - 1)))
    named = [i for i in keep if totals[i] >= k]
    rare = [i for i in keep if i not in named]
    fav = dict(zip(keep, favourable))
    parts = [full.take(named, axis=-1)]
    values = [labels[i] for i in named]
    positive = [fav[i] for i in named]
    mixed = False
    if rare:
        parts.append(full.take(rare, axis=-1).sum(-1, keepdims=True))
        values.append(RARE)
        positive.append(all(fav[i] for i in rare))
        mixed = any(fav[i] for i in rare) and not all(fav[i] for i in rare)
    missing = [i for i, t in enumerate(labels) if t == MISSING]
    parts.append(full.take(missing, axis=-1).sum(-1, keepdims=True))
    return np.concatenate(parts, axis=-1), values, np.array(positive, dtype=bool), mixed


def _label_text(value: Any) -> str | None:
    if value is None:
        return None
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _strata_keys(t: Tables) -> list[dict[str, str]]:
    return [dict(zip(t.strata_names, combo)) for combo in itertools.product(*t.strata_labels)]


def resample(d: np.ndarray, total: np.ndarray, metric: str, positive: np.ndarray, resamples: int,
             seed: list[int], *, flip: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Bootstrap draws ``(facet, all rows, favourable)`` for one row: a multinomial resample of
    only the counts the row is built from (each side's rows per label value; for CDDL each side's
    rows with and without the favourable label per stratum), which is a row resample of the data
    seen through them.  Each row has its own seed (the card's, then the row's position), so its
    interval is a function of its own counts and of nothing else.  ``flip``: draw as the row of
    the other side (the other group of a two-group attribute, whose seed is given), so that the two
    rows get mirrored intervals."""
    x = total - d if flip else d
    if metric == "conditional_demographic_disparity":
        split = np.stack([(x * ~positive).sum(-1), (x * positive).sum(-1)], -1)
        whole = np.stack([(total * ~positive).sum(-1), (total * positive).sum(-1)], -1)
        sides, favourable = np.stack([split, whole - split]), np.array([False, True])
    else:
        sides, favourable = np.stack([x.sum(0), (total - x).sum(0)])[:, None, :], positive
    n = int(sides.sum())
    if resamples <= 0 or n == 0:
        return None
    flat = sides.ravel()
    nonzero = np.flatnonzero(flat)
    draws = np.zeros((resamples, flat.size), dtype=np.int64)
    draws[:, nonzero] = np.random.default_rng(seed).multinomial(n, flat[nonzero] / n, size=resamples)
    draws = draws.reshape(resamples, *sides.shape)
    return draws[:, 1 if flip else 0], draws.sum(1), favourable


def _facet_view(counts: np.ndarray, over: tuple[int, ...], nattrs: int) -> np.ndarray:
    """``(G, S, L)``: counts per cell of ``over`` (other attributes summed), cells flattened."""
    axes = tuple(i for i in range(nattrs) if i not in over)
    sub = counts.sum(axis=axes) if axes else counts
    return sub.reshape(math.prod(sub.shape[:len(over)]), *sub.shape[-2:])


def _group_rows(t: Tables, over: tuple[int, ...]) -> np.ndarray:
    """Every row of each group of ``over`` (a missing label included), groups flattened."""
    axes = tuple(i for i in range(t.cube.ndim) if i not in over)
    return t.cube.sum(axis=axes).ravel() if axes else t.cube.ravel()


def compute(spec: CompositionData, t: Tables, shield: Shield) -> dict[str, Any]:
    """The ``bias`` block of the results: what ``shield`` lets each row publish."""
    conf = spec.confidence or Confidence()
    rows: list[dict[str, Any]] = []
    for o, over in enumerate(overs(t.attrs, spec.intersections)):
        est = _facet_view(t.counts, over, len(t.attrs))
        keys = [dict(zip([t.attrs[i] for i in over], combo))
                for combo in itertools.product(*(t.attr_labels[i] for i in over))]
        rows += _over_rows(spec, t, o, over, keys, est, shield)
    used = shield.used_shown()
    missing = t.missing_label
    return {
        "label": spec.label, "positive_label": _label_text(spec.positive_label),
        "label_values": t.label_values if spec.label is not None else None,
        "conditional_on": t.strata_names, "metrics": list(spec.bias_metrics), "level": conf.level,
        "resamples": conf.resamples, "seed": conf.seed, "rows_used": int(t.counts.sum()) if used else None,
        "rows_dropped": {"missing_label": missing if used else None} if missing else {}, "measures": rows,
    }


def _over_rows(spec: CompositionData, t: Tables, o: int, over: tuple[int, ...], keys: list[dict[str, str]],
               est: np.ndarray, shield: Shield) -> list[dict[str, Any]]:
    total = est.sum(0)                      # (S, L)
    rows = []
    names = [t.attrs[i] for i in over]
    present = [g for g in range(len(keys)) if est[g].sum()]
    everyone = _group_rows(t, over)
    for g, key in enumerate(keys):
        d = est[g]
        nd, n = int(d.sum()), int(total.sum())
        if not everyone[g]:  # a group with no rows is unobserved (a group with rows but no label still has rows)
            continue
        show_d, show_a = shield.n_shown(o, g)
        for m, metric in enumerate(spec.bias_metrics):
            reason = shield.verdict(o, g, metric)
            row: dict[str, Any] = {"over": names, "facet": key, "metric": metric, "value": None,
                                   "n_facet": nd if show_d else None, "n_rest": n - nd if show_a else None,
                                   "suppressed": reason is not None}
            if reason is not None:
                rows.append({**row, "reason": reason})
                continue
            first = present[0] if len(present) == 2 else g  # two groups: one draw, mirrored
            rows.append(_measure_row(row, metric, t, d, total, spec, ([o, first, m], first != g)))
    return rows


def _measure_row(row: dict[str, Any], metric: str, t: Tables, d: np.ndarray, total: np.ndarray,
                 spec: CompositionData, seed: tuple[list[int], bool]) -> dict[str, Any]:
    conf = spec.confidence or Confidence()
    level = conf.level
    value = float(clarify.measure(metric, d, total, t.positive))
    boot = None
    if metric == "conditional_demographic_disparity" or (metric in clarify.DISTANCES and len(t.label_values) != 2):
        boot = resample(d, total, metric, t.positive, conf.resamples, [conf.seed, *seed[0]], flip=seed[1])
    if metric == "conditional_demographic_disparity":
        row["strata"] = _strata_rows(t, d, total, boot, level)
    if math.isinf(value):
        row["reason"] = "infinite: the rest of the data has a label value that the facet never has"
        return row
    if math.isnan(value):
        row["reason"] = "undefined: no rows outside the facet" if int(d.sum()) == int(total.sum()) else "undefined"
        return row
    row["value"] = value
    if metric in clarify.RATES:
        row.update(rates(d.sum(0), (total - d).sum(0), t.positive, level))
    if conf.resamples <= 0:
        return row
    lo, hi, method = interval(metric, value, d.sum(0), (total - d).sum(0), t.positive, level, boot)
    if lo is not None and hi is not None:
        lo, hi = min(lo, value), max(hi, value)
    row.update(ci_low=lo, ci_high=hi, interval=method)
    return row


def _strata_rows(t: Tables, d: np.ndarray, total: np.ndarray, draws: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
                 level: float) -> list[dict[str, Any]]:
    """Per stratum: its rows, weight, the favourable-label rate of the facet and of the rest, the
    demographic disparity ``DD`` with an interval."""
    pos = t.positive
    dd = clarify.demographic_disparity(d, total, pos)
    boot = clarify.demographic_disparity(*draws) if draws is not None else None
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
