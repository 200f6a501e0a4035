"""What a datasheet's bias block publishes, as facts for :mod:`privacy_audit`.

Every pre-training bias measure of a facet *d* against the rest *a* is a function of counts of the
data's cells (attributes × strata × label, :func:`audit_datasheet.datasheet_cells`): class
imbalance of the two sides' rows; DPL of each side's rows with and without the favourable label;
KL, JS, LP, TVD and KS of each side's rows per label value (the values ``label_values`` names,
the others pooled); CDDL of each side's rows with and without the favourable label per stratum.
The attacker is assumed to invert every published measure: a published row publishes every
count it is built from, and the audit checks that claim by recomputing the published value from
those counts with the documented formulas, written again here.  What the outputs print besides
(``n_facet``, ``n_rest``, stratum sizes, rates and weights, ``rows_used``, ``rows_dropped``)
becomes equalities (exact numbers) or inequalities (rounded ones).  A group the block leaves out
has no rows (a published zero).  A suppressed row publishes nothing; each count it would have been
built from that is below ``min_cell_size`` (its two sides' rows included) is a secret, of which a
reader knows neither which it is nor that it is not 0.  (Counts hidden only to protect those, or
because another group's count is small, are at least ``min_cell_size``: the audit checks that the
small ones stay hidden, and the tables' own hidden counts, complements included.)
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from audit_datasheet import MISSING, SUPPRESSED, Datasheet, Table, _count, _share, squash
from privacy_audit import Fact, between, count_from_share, equal, rate_facts

RARE_PREFIX = "(other values"
ABBREVIATIONS = {"CI": "class_imbalance", "DPL": "difference_in_label_proportions", "KL": "kl_divergence",
                 "JS": "js_divergence", "LP": "lp_norm", "TVD": "total_variation_distance",
                 "KS": "kolmogorov_smirnov", "CDDL": "conditional_demographic_disparity"}
DISTRIBUTIONS = ("kl_divergence", "js_divergence", "lp_norm", "total_variation_distance", "kolmogorov_smirnov")
FAVOURABLE = ("difference_in_label_proportions", "conditional_demographic_disparity")


def _is_positive(value: str, positive: Any) -> bool:
    wanted = positive if isinstance(positive, list) else [positive]
    for p in wanted:
        if str(value).strip() == str(p).strip() or (isinstance(p, bool) and value == ("true" if p else "false")):
            return True
        try:
            if float(value) == float(p):
                return True
        except (TypeError, ValueError):
            pass
    return False


@dataclass
class BiasView:
    """The cells of a datasheet's bias block, as its published ``label_values`` pool them."""

    ds: Datasheet
    bias: dict[str, Any]

    @property
    def label_axis(self) -> str | None:
        label = self.ds.label
        return next((a for a, c in self.ds.axis_columns.items() if c == label), None) if label else None

    def used(self) -> frozenset[int]:
        axis = self.label_axis
        if axis is None:
            return self.ds.cells.where(lambda n: n[0] == "block")
        i = self.ds.axes.index(axis)
        return self.ds.cells.where(lambda n: n[0] == "block" and n[1][i] != MISSING)

    def facet(self, key: dict[str, str]) -> frozenset[int]:
        return self.ds.block(key) & self.used()

    def rest(self, key: dict[str, str]) -> frozenset[int]:
        return self.used() - self.ds.block(key)

    def levels(self) -> list[tuple[str, frozenset[int], list[str]]]:
        """Each label value the distributions are over: its name, its cells and its raw values."""
        axis = self.label_axis
        if axis is None:
            return [("(all rows)", self.used(), [])]
        named = [v for v in self.bias["label_values"] if not v.startswith(RARE_PREFIX)]
        raw = [v for v in self.ds.levels[axis] if v != MISSING]
        out = [(v, self.ds.block({axis: v}), [v]) for v in named]
        rest = [v for v in raw if v not in named]
        if any(v.startswith(RARE_PREFIX) for v in self.bias["label_values"]):
            out.append((RARE_PREFIX, frozenset().union(*(self.ds.block({axis: v}) for v in rest)), rest))
        return out

    def favourable(self) -> tuple[frozenset[int], frozenset[int]] | None:
        """The cells with and without the favourable label (``None``: the pool mixes them)."""
        positive = self.ds.spec.get("positive_label")
        pos: frozenset[int] = frozenset()
        for _, cells, raw in self.levels():
            hits = [_is_positive(v, positive) for v in raw]
            if any(hits) and not all(hits):
                return None
            if hits and all(hits):
                pos |= cells
        return pos, self.used() - pos

    def strata(self) -> list[dict[str, str]]:
        names = [a for a in self.ds.axes if a in self.ds.axis_columns and a != self.label_axis]
        return [dict(zip(names, combo)) for combo in itertools.product(*(self.ds.levels[a] for a in names))]

    def atoms(self, key: dict[str, str], metric: str) -> list[tuple[str, frozenset[int]]] | None:
        """The counts a row is built from beyond its two sides (``None``: undefined, a mixed pool)."""
        sides = (("d", self.facet(key)), ("a", self.rest(key)))
        if metric == "class_imbalance":
            return []
        split = self.favourable() if metric in FAVOURABLE else None
        if metric in FAVOURABLE and split is None:
            return None
        if metric == "difference_in_label_proportions":
            assert split is not None
            return [(f"{s}{part}", cells & c) for s, cells in sides for part, c in zip("+-", split)]
        if metric in DISTRIBUTIONS:
            return [(f"{s}[{y}]", cells & c) for s, cells in sides for y, c, _ in self.levels()]
        assert split is not None
        out = []
        for stratum in self.strata():
            block = self.ds.block(stratum)
            out += [(f"{s}{part} in {stratum}", cells & block & c) for s, cells in sides for part, c in zip("+-", split)]
        return out

    def value(self, key: dict[str, str], metric: str) -> float:
        """The measure recomputed from the counts it is built from (Clarify's documented formulas)."""
        total = self.ds.cells.total
        nd, na = total(self.facet(key)), total(self.rest(key))
        if metric == "class_imbalance":
            return (na - nd) / (na + nd) if na + nd else math.nan
        if metric == "conditional_demographic_disparity":
            return self._cddl(key)
        if metric == "difference_in_label_proportions":
            pos = self.favourable()
            assert pos is not None
            q = [total(side & pos[0]) / n if n else math.nan for side, n in ((self.rest(key), na), (self.facet(key), nd))]
            return q[0] - q[1]
        d = np.array([total(self.facet(key) & c) for _, c, _ in self.levels()], dtype=float)
        a = np.array([total(self.rest(key) & c) for _, c, _ in self.levels()], dtype=float)
        if not d.sum() or not a.sum():
            return math.nan
        return _distance(metric, a / a.sum(), d / d.sum())

    def _cddl(self, key: dict[str, str]) -> float:
        pos, neg = self.favourable() or (frozenset(), frozenset())
        total = self.ds.cells.total
        num = den = 0.0
        for stratum in self.strata():
            block = self.ds.block(stratum)
            n0, n1 = total(block & neg), total(block & pos)
            d0, d1 = total(self.facet(key) & block & neg), total(self.facet(key) & block & pos)
            num += (n0 + n1) * ((d0 / n0 if n0 else 0.0) - (d1 / n1 if n1 else 0.0))
            den += n0 + n1
        return num / den if den else math.nan


def _distance(metric: str, pa: np.ndarray, pd: np.ndarray) -> float:
    def kl(p: np.ndarray, q: np.ndarray) -> float:
        if np.any((p > 0) & (q == 0)):
            return math.inf
        return float(sum(x * math.log(x / y) for x, y in zip(p, q) if x > 0))

    if metric == "kl_divergence":
        return kl(pa, pd)
    if metric == "js_divergence":
        m = (pa + pd) / 2
        return 0.5 * (kl(pa, m) + kl(pd, m))
    diff = np.abs(pa - pd)
    return {"lp_norm": float(np.sqrt((diff ** 2).sum())), "total_variation_distance": float(diff.sum() / 2),
            "kolmogorov_smirnov": float(diff.max())}[metric]


# -- what the bias block publishes ------------------------------------------------------------------
def bias_overs(ds: Datasheet) -> list[tuple[str, ...]]:
    """The attribute sets the block reports: each attribute, then the intersections asked for."""
    attrs = ds.attrs
    out = [(a,) for a in attrs]
    wanted = ds.spec.get("intersections", "all")
    if wanted == "all":
        out += [c for r in range(2, len(attrs) + 1) for c in itertools.combinations(attrs, r)]
    elif isinstance(wanted, list):
        out += [tuple(a for a in attrs if a in combo) for combo in wanted]
    return list(dict.fromkeys(o for o in out if o))


def block_facts(ds: Datasheet, bias: dict[str, Any], where: str) -> tuple[BiasView, list[Fact]]:
    """What the block publishes besides its rows: the rows with a label and without, the label
    values named (never one held by fewer than ``min_cell_size`` rows), the facets left out."""
    view = BiasView(ds, bias)
    facts: list[Fact] = []
    for v in bias.get("label_values") or []:
        if not v.startswith(RARE_PREFIX):
            held = ds.cells.total(ds.column(ds.label or "", v))
            assert held >= ds.k, f"{where}: label_values names {v!r}, held by {held} rows (< {ds.k})"
    used = view.used()
    if "rows_used" in bias:
        if bias["rows_used"] is None:
            ds.hide(f"{where}: bias rows used", used)
        else:
            facts.append(equal(used, bias["rows_used"], f"{where}: bias rows used"))
    for reason, n in (bias.get("rows_dropped") or {}).items():
        assert reason == "missing_label", f"{where}: unaudited rows_dropped {reason}"
        cells = ds.cells.where(lambda c: c[0] == "block") - used
        if n is None:
            ds.hide(f"{where}: bias rows without a label", cells)
        else:
            facts.append(equal(cells, n, f"{where}: bias rows without a label"))
    return view, facts


def absent_facets(view: BiasView, listed: set[tuple[tuple[str, str], ...]], where: str) -> list[Fact]:
    """Each group the block does not list has no rows: a published zero."""
    facts = []
    for over in bias_overs(view.ds):
        for combo in itertools.product(*(view.ds.levels[a] for a in over)):
            key = dict(zip(over, combo))
            if tuple(sorted(key.items())) not in listed:
                facts.append(equal(view.ds.block(key), 0, f"{where}: no row of {key}", fixed=True))
    return facts


def measure_facts(view: BiasView, key: dict[str, str], metric: str, shown: str | float | None,
                  suppressed: bool, where: str, tolerance: float) -> list[Fact]:
    """A row's measure: published, every count it is built from (its value checked against them);
    suppressed, its counts below ``min_cell_size`` become secrets."""
    ds = view.ds
    atoms = view.atoms(key, metric)
    name = f"{where}: {metric} of {key}"
    unlabelled = ds.cells.where(lambda c: c[0] == "block") - view.used()
    sides = [("d", view.facet(key)), ("a", view.rest(key)), ("d unlabelled", ds.block(key) & unlabelled),
             ("a unlabelled", unlabelled - ds.block(key))]
    if suppressed:  # its counts below the threshold are secrets (a reader cannot tell which, or whether one is 0)
        for part, cells in sides + (atoms or []):
            if 0 < ds.cells.total(cells) < ds.k:
                ds.hide(f"{name}: {part}", cells, nonzero=False)
        return []
    assert atoms is not None, f"{name}: published with a favourable label pooled with unfavourable ones"
    for part, cells in sides + atoms:  # a published count below the threshold: a secret it publishes
        if 0 < ds.cells.total(cells) < ds.k:
            ds.hide(f"{name}: {part}", cells, nonzero=False)
    facts = [equal(cells, ds.cells.total(cells), f"{name}: {part} (inverted)") for part, cells in sides[:2] + atoms]
    expected = view.value(key, metric)
    if isinstance(shown, str):
        assert shown == ("∞" if math.isinf(expected) else "–"), f"{name}: shows {shown!r}, expected {expected}"
    elif shown is None:
        assert math.isinf(expected) or math.isnan(expected), f"{name}: no value, expected {expected}"
    else:
        assert abs(shown - expected) <= tolerance, f"{name}: shows {shown}, recomputed {expected}"
    return facts


NOTE = re.compile(r"Rows left out of the bias measures: (?:([\d,]+) missing label|missing label \(suppressed)")


def note_facts(view: BiasView, text: str, where: str) -> list[Fact]:
    """The note under a render's bias tables: the rows without a label (or that count suppressed)."""
    found = NOTE.findall(text)
    cells = view.ds.cells.where(lambda c: c[0] == "block") - view.used()
    if not found:
        return [equal(cells, 0, f"{where}: no rows left out of the bias measures", fixed=True)]
    assert len(set(found)) == 1, f"{where}: notes disagree: {found}"
    if not found[0]:
        view.ds.hide(f"{where}: bias rows without a label", cells)
        return []
    return [equal(cells, int(found[0].replace(",", "")), f"{where}: bias rows without a label")]


def sides_facts(view: BiasView, key: dict[str, str], counts: tuple[int | None, int | None], where: str
                ) -> list[Fact]:
    """``n_facet`` and ``n_rest`` when shown (hidden ones below the threshold are secrets of the
    rows that hide them, :func:`measure_facts`)."""
    return [equal(cells, n, f"{where}: {side} of {key}")
            for cells, n, side in ((view.facet(key), counts[0], "n_facet"), (view.rest(key), counts[1], "n_rest"))
            if n is not None]


def ratio_facts(num: frozenset[int], den: frozenset[int], shown: Fraction, decimals: int, total: int,
                source: str) -> list[Fact]:
    """A rounded share ``num / den`` without its denominator: ``lo·den ≤ num ≤ hi·den``."""
    half = Fraction(1, 2 * 10 ** decimals)
    out = []
    for bound, lo, hi in ((shown - half, Fraction(0), Fraction(2 * total)), (shown + half, Fraction(-2 * total), Fraction(0))):
        coef = {c: -bound for c in den}
        for c in num:
            coef[c] = coef.get(c, Fraction(0)) + 1
        out.append(between({c: v for c, v in coef.items() if v}, lo, hi, source))
    return out


# -- the results file and the JSON render -----------------------------------------------------------
def results_facts(ds: Datasheet, bias: dict[str, Any], where: str) -> list[Fact]:
    """Every number of a results document's ``bias`` block (exact)."""
    view, facts = block_facts(ds, bias, where)
    listed = set()
    for row in bias["measures"]:
        key = row["facet"]
        listed.add(tuple(sorted(key.items())))
        name = f"{where}: {row['metric']} of {key}"
        facts += sides_facts(view, key, (row["n_facet"], row["n_rest"]), where)
        if row["suppressed"]:
            assert all(row.get(f) is None for f in ("value", "ci_low", "ci_high", "facet_rate", "rest_rate")) \
                and not row.get("strata"), f"{name}: suppressed, but publishes a value"
        value = row["value"] if row["value"] is not None else ("∞" if (row.get("reason") or "").startswith("infinite")
                                                                else "–")
        facts += measure_facts(view, key, row["metric"], value, row["suppressed"], where, 1e-9)
        if row["suppressed"]:
            continue
        split = view.favourable()
        for side, cells in (("facet", view.facet(key)), ("rest", view.rest(key))):
            if row.get(f"{side}_rate") is not None:
                assert split is not None
                n = row["n_facet" if side == "facet" else "n_rest"]
                facts += rate_facts(cells & split[0], cells, row[f"{side}_rate"], n, ds.rows, None, f"{name} {side} rate")
        facts += _strata_facts(view, key, row.get("strata") or [], name)
    return facts + absent_facets(view, listed, where)


def _strata_facts(view: BiasView, key: dict[str, str], strata: list[dict[str, Any]], name: str) -> list[Fact]:
    ds = view.ds
    split = view.favourable()
    facts: list[Fact] = []
    for s in strata:
        assert split is not None
        block = ds.block(s["stratum"]) & view.used()
        where = f"{name} in {s['stratum']}"
        facts.append(equal(block, s["n"], f"{where}: n"))
        facts.append(count_from_share(block, s["weight"], ds.cells.total(view.used()), None, f"{where}: weight"))
        for side, cells in (("facet", view.facet(key)), ("rest", view.rest(key))):
            n = s.get(f"n_{side}")
            if n is not None:
                facts.append(equal(cells & block, n, f"{where}: n_{side}"))
            if s.get(f"{side}_rate") is not None:
                facts += rate_facts(cells & block & split[0], cells & block, s[f"{side}_rate"], n, ds.rows, None,
                                    f"{where}: {side} rate")
    return facts


# -- Markdown and HTML ------------------------------------------------------------------------------
CAPTION = re.compile(r"^Demographic disparity of (?P<group>.+) \((?P<over>[^()]+)\) within each ")


def _raw_key(attrs: list[str], text: str) -> dict[str, str]:
    """Bias tables name groups by their raw keys (``female``, ``female × 25–44``)."""
    parts = text.split(" × ")
    assert len(parts) == len(attrs), f"{text!r} is not a group of {attrs}"
    return dict(zip(attrs, parts))


def _shown_value(text: str) -> str | float | None:
    if text in ("∞", "–"):
        return text
    m = re.match(r"^([-\u2212]?\d+\.\d+)", text)
    assert m is not None, f"not a measure: {text!r}"
    return float(m.group(1).replace("\u2212", "-"))


def table_facts(ds: Datasheet, t: Table, where: str, state: dict[str, Any]) -> list[Fact] | None:
    """The facts of one rendered bias table or stratum table (``None``: not one of them).
    ``state`` collects the facets listed per attribute set, for the zeros of the ones left out."""
    head = [squash(h) for h in t.header]
    if len(head) > 2 and head[1] == "rows" and all(h in {squash(a) for a in ABBREVIATIONS} or
                                                    h.endswith(("group", "therest")) for h in head[2:]):
        attrs = ds.display.factors(t.header[0])
        assert attrs, f"{where}: a bias table of unknown attributes {t.header[0]!r}"
        return _main_table(ds, t, attrs, where, state)
    m = CAPTION.match(t.caption)
    if head[1:] == ["rows", "weight", *head[3:5], "dd"] and m is not None:
        attrs = ds.display.factors(m.group("over"))
        assert attrs, f"{where}: a stratum table of unknown attributes {m.group('over')!r}"
        return _stratum_table(ds, t, _raw_key(attrs, m.group("group")), where, state)
    return None


def _main_table(ds: Datasheet, t: Table, attrs: list[str], where: str, state: dict[str, Any]) -> list[Fact]:
    view: BiasView = state["view"]
    facts: list[Fact] = []
    for r in t.rows:
        key = _raw_key(attrs, r[0])
        state.setdefault("listed", set()).add(tuple(sorted(key.items())))
        n = _count(r[1])  # the rest's rows are not shown
        if n is not None:
            facts.append(equal(view.facet(key), n, f"{where}: n_facet of {key}"))
        split = view.favourable()
        for h, cell in zip(t.header[2:], r[2:]):
            if h.endswith((": group", ": the rest")):
                if cell != "–":
                    assert split is not None
                    side = view.facet(key) if h.endswith(": group") else view.rest(key)
                    share = _share(cell)
                    assert share is not None
                    facts += ratio_facts(side & split[0], side, share, 3, ds.rows, f"{where}: {h} of {key}")
                continue
            metric = ABBREVIATIONS[h]
            suppressed = any(mark in cell for mark in SUPPRESSED)
            value = None if suppressed else _shown_value(cell)
            facts += measure_facts(view, key, metric, value, suppressed, where, 0.0005 + 1e-9)
    return facts


def _stratum_table(ds: Datasheet, t: Table, key: dict[str, str], where: str, state: dict[str, Any]) -> list[Fact]:
    view: BiasView = state["view"]
    names = [a for a in ds.axes if a in ds.axis_columns and a != view.label_axis]
    split = view.favourable()
    assert split is not None
    facts: list[Fact] = []
    for r in t.rows:
        stratum = _raw_key(names, r[0])
        block = ds.block(stratum) & view.used()
        name = f"{where}: {key} in {stratum}"
        n = _count(r[1])
        assert n is not None, f"{name}: a published stratum with a suppressed size"
        facts.append(equal(block, n, f"{name}: rows"))
        weight = _share(r[2])
        assert weight is not None
        facts += ratio_facts(block, view.used(), weight, 3, ds.rows, f"{name}: weight")
        for side, cell in ((view.facet(key), r[3]), (view.rest(key), r[4])):
            share = _share(cell)
            if share is not None:
                facts += ratio_facts(side & block & split[0], side & block, share, 3, ds.rows, f"{name}: rate")
    return facts
