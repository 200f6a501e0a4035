"""What a model card's outputs publish, as facts for :mod:`privacy_audit`.

The hidden cells are one per combination of every factor's group and the confusion class
(label × prediction) — and, when the card computes ``expected_calibration_error``, the
calibration bin (scikit-learn's uniform ``calibration_curve`` bins; only the pairs of prediction
and bin a probability can fall in) — counted from the evaluation file with pandas.  A slice's size and
``tp``/``fp``/``tn``/``fn`` are sums of them; a published rate is a numerator over a denominator
(``fp / (tn + fp)`` for a false positive rate), so a value with its ``n`` gives the numerator, and
a value without its ``n`` still fixes their ratio.  The parsers read the results file and the
JSON render (exact), the Markdown and HTML tables (three decimals), the Hugging Face model-index
and the CycloneDX ``performanceMetrics``.  Disparities and gates are differences and ratios of
the groups' values: a difference with its ratio gives both values, which become facts too.
A calibration table (results file, JSON render, the reliability diagram's description) publishes
each bin's rows and, through its share of positives, its positives; a bin left out is empty; a
suppressed bin's counts are secrets; a table that is not shown puts its small counts in
``withheld`` (secrets that must not be recovered exactly).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from audit_datasheet import MISSING, Display, Table, front_matter, html_tables, markdown_tables, squash, text_label
from privacy_audit import Cells, Fact, Secret, equal, rate_facts

ALL = (0, 1, 2, 3)
CELLS = {"tn": (0,), "fp": (1,), "fn": (2,), "tp": (3,)}
#: metric → (numerator classes, denominator classes): 0 TN, 1 FP, 2 FN, 3 TP.
RATES = {
    "base_rate": ((2, 3), ALL), "selection_rate": ((1, 3), ALL), "accuracy": ((0, 3), ALL),
    "precision": ((3,), (1, 3)), "recall": ((3,), (2, 3)), "specificity": ((0,), (0, 1)),
    "false_positive_rate": ((1,), (0, 1)), "false_negative_rate": ((2,), (2, 3)),
    "false_discovery_rate": ((1,), (1, 3)), "negative_predictive_value": ((0,), (0, 2)),
    "count": (ALL, ALL),
}
FAIRNESS = {"demographic_parity": ("selection_rate",), "equal_opportunity": ("recall",),
            "equalized_odds": ("recall", "false_positive_rate"),
            "average_odds": ("recall", "false_positive_rate")}


@dataclass
class ModelCardCells:
    cells: Cells
    factors: list[str]
    rows: int
    k: int
    display: Display = field(default_factory=Display)
    levels: dict[str, list[str]] = field(default_factory=dict)
    secrets: list[Secret] = field(default_factory=list)
    bins: int = 0
    """Calibration bins (0: the card computes no calibration table)."""
    withheld: list[Secret] = field(default_factory=list)

    def slice(self, key: dict[str, str], classes: tuple[int, ...] = ALL) -> frozenset[int]:
        pos = {f: i for i, f in enumerate(self.factors)}
        return self.cells.where(lambda n: n[2] in classes and all(n[1][pos[f]] == v for f, v in key.items()))

    def hide(self, name: str, cells: frozenset[int], *, nonzero: bool = True) -> None:
        self.secrets.append(Secret(name, cells, self.cells.total(cells), nonzero))

    def in_bin(self, key: dict[str, str], b: int, labels: tuple[int, ...] = (0, 1)) -> frozenset[int]:
        """The cells of calibration bin ``b`` of slice ``key``, of the labels given."""
        classes = tuple(c for c in ALL if c >> 1 in labels)
        return frozenset(c for c in self.slice(key, classes) if self.cells.names[c][3] == b)

    def group(self, text: str, factors: list[str] | None = None) -> dict[str, str]:
        """The slice a display name such as ``Female × Under 25`` stands for: of ``factors`` when
        given, else of the one combination of factors (in the card's order) that can name it."""
        parts = text.split(" × ")
        combos = [factors] if factors is not None else list(itertools.combinations(self.factors, len(parts)))
        found = []
        for combo in combos:
            key = {}
            for f, part in zip(combo, parts):
                raws = [k for k, v in self.display.shown[f].items() if v == part]
                if not raws and part not in self.display.shown[f] and part in self.levels[f]:
                    raws = [part]
                if part == "Missing" and MISSING in self.levels[f]:
                    raws.append(MISSING)
                if len(raws) != 1:
                    break
                key[f] = raws[0]
            else:
                found.append(key)
        assert len(found) == 1, f"cannot place group {text!r} ({found})"
        return found[0]

    def total(self) -> Fact:
        return equal(self.cells.where(lambda _n: True), self.rows, "rows used", fixed=True)


def model_card_cells(frame: Any, qa: dict[str, Any]) -> ModelCardCells:
    """The cells of ``frame`` (the evaluation file) for a binary card's ``quantitative_analyses``."""
    data = qa["data"]
    positive = str(data.get("positive_label", 1))
    label = frame[data["label"]].map(lambda v: text_label(v) == positive or str(v) == positive).to_numpy()
    if data.get("prediction"):
        pred = frame[data["prediction"]].map(lambda v: text_label(v) == positive or str(v) == positive).to_numpy()
    else:
        pred = frame[data["score"]].to_numpy(dtype=float) >= float(data["threshold"])
    cls = label.astype(int) * 2 + pred.astype(int)
    bins = int(qa.get("calibration_bins") or 10) if "expected_calibration_error" in qa["metrics"] else 0
    cal = calibration_bins(frame[data["score"]].to_numpy(dtype=float), bins) if bins else np.zeros(len(frame), int)
    pairs = (set(itertools.product((0, 1), range(bins))) if data.get("prediction")
             else _prediction_bins(float(data["threshold"]), bins)) if bins else {(p, 0) for p in (0, 1)}
    universe = sorted({(y * 2 + p, b) for y in (0, 1) for p, b in pairs})
    names, labels = [], []
    for f in qa.get("factors") or []:
        if isinstance(f, str) or f.get("bins") is None:  # a column, or a group factor (display names only)
            column = f if isinstance(f, str) else f["column"]
            names.append(column if isinstance(f, str) else f.get("name") or column)
            labels.append([MISSING if v is None or v != v else text_label(v) for v in frame[column].tolist()])
            continue
        names.append(f.get("name") or f["column"])
        cuts = [float(b) for b in f["bins"]]
        groups = list(f.get("labels") or _bins(cuts))  # a mapping's keys are the group names
        x = frame[f["column"]].astype(float).to_numpy()
        idx = np.searchsorted(np.asarray(cuts), np.nan_to_num(x), side="right")
        labels.append([MISSING if np.isnan(v) else groups[i] for v, i in zip(x, idx)])
    cells = Cells()
    levels = [list(dict.fromkeys(lv)) for lv in labels]
    for f, lv in zip(qa.get("factors") or [], levels):  # a binned factor's empty ranges are groups too
        if not isinstance(f, str) and f.get("bins") is not None:
            lv += [g for g in (f.get("labels") or _bins([float(b) for b in f["bins"]])) if g not in lv]
    for combo in itertools.product(*levels, universe):  # every combination a reader could not rule out
        cells.add(("cell", tuple(combo[:-1]), *combo[-1]), 0)
    for i, (c, b) in enumerate(zip(cls.tolist(), cal.tolist())):
        cells.add(("cell", tuple(lv[i] for lv in labels), c, b), 1)
    return ModelCardCells(cells, names, len(frame), int(qa.get("min_cell_size", 10)),
                          Display.of(list(qa.get("factors") or [])), dict(zip(names, levels)), bins=bins)


def calibration_bins(scores: np.ndarray, bins: int) -> np.ndarray:
    """scikit-learn's ``calibration_curve(strategy="uniform")`` bin of each score: the inner edges
    of ``linspace(0, 1, bins + 1)``, ``searchsorted`` (a bin holds (low, high], the first from 0)."""
    return np.searchsorted(np.linspace(0.0, 1.0, bins + 1)[1:-1], scores)


def _prediction_bins(threshold: float, bins: int) -> set[tuple[int, int]]:
    """Every (prediction, bin) a probability can fall in: both change only at the threshold or an
    edge, so the cut points and the midpoints between them reach every pair."""
    cuts = sorted({*np.linspace(0.0, 1.0, bins + 1).tolist(), *([threshold] if 0 <= threshold <= 1 else [])})
    probes = np.array(sorted({*cuts, *((a + b) / 2 for a, b in itertools.pairwise(cuts))}))
    return set(zip((probes >= threshold).astype(int).tolist(), calibration_bins(probes, bins).tolist()))


def _bins(cuts: list[float]) -> list[str]:
    t = [text_label(float(b)) for b in cuts]
    return [f"<{t[0]}", *(f"{lo}-{hi}" for lo, hi in itertools.pairwise(t)), f">={t[-1]}"]


# -- the results document (results file, JSON render) ----------------------------------------------
def facts_from_results(mc: ModelCardCells, results: dict[str, Any], where: str) -> list[Fact]:
    facts = [mc.total()]
    assert results["provenance"]["rows_used"] == mc.rows
    limit = mc.rows
    for s in results["slices"]:
        key = s["slice"]
        if s["n"] is None:
            mc.hide(f"{where}: n of {key}", mc.slice(key))
        else:
            facts.append(equal(mc.slice(key), s["n"], f"{where}: n of {key}"))
        for name, classes in CELLS.items():
            cells = mc.slice(key, classes)
            if s.get(name) is None:
                mc.hide(f"{where}: {name} of {key}", cells, nonzero=s["n"] is not None)
            else:
                facts.append(equal(cells, s[name], f"{where}: {name} of {key}", fixed=s[name] == 0))
    for u in results.get("unobserved") or []:
        facts.append(equal(mc.slice(u.get("slice", u) if "slice" in u else u), 0, f"{where}: unobserved {u}",
                           fixed=True))
    for r in results["results"]:
        if r["value"] is None:
            continue
        facts += metric_facts(mc, r["slice"], r["metric"], r["value"], r.get("n"), limit, None, where)
    for d in results.get("disparities") or []:
        facts += disparity_facts(mc, d, limit, where)
    for row in results.get("conditional_disparities") or []:
        facts += conditional_facts(mc, row, limit, where)
    if mc.bins:
        facts += calibration_facts(mc, results, where)
    return facts


def calibration_facts(mc: ModelCardCells, results: dict[str, Any], where: str) -> list[Fact]:
    """The bins of every calibration table shown, exactly; the small counts of those not shown."""
    shown = {json.dumps(t["slice"], sort_keys=True): t for t in results.get("calibration") or []}
    facts: list[Fact] = []
    for key in {json.dumps(s["slice"], sort_keys=True): s["slice"] for s in results["slices"]}.values():
        table = shown.get(json.dumps(key, sort_keys=True))
        if table is None:
            withhold(mc, key, where)
            continue
        listed = {round(row["low"] * mc.bins): row for row in table["bins"]}
        for b in range(mc.bins):
            row = listed.get(b)
            facts += bin_facts(mc, key, b, None if row is None else (row["n"], row["fraction_positive"]), None,
                               f"{where}: calibration")
    return facts


def withhold(mc: ModelCardCells, key: dict[str, str], where: str) -> None:
    """A table not shown: its counts below the threshold are secrets that must not be recovered."""
    for b, labels in itertools.product(range(mc.bins), ((0, 1), (0,), (1,))):
        cells = mc.in_bin(key, b, labels)
        if 0 < mc.cells.total(cells) < mc.k:
            mc.withheld.append(Secret(f"{where}: withheld bin {b} {labels} of {key}", cells,
                                      mc.cells.total(cells), False))


def bin_facts(mc: ModelCardCells, key: dict[str, str], b: int, row: tuple[int | None, Any] | None,
              decimals: int | None, where: str) -> list[Fact]:
    """One bin of a shown table: ``row`` is ``(n, share of positives)`` (``None``: suppressed), or
    ``None`` for a bin left out (empty)."""
    name = f"{where} bin {b} of {key}"
    rows = mc.in_bin(key, b)
    if row is None:
        return [equal(rows, 0, name + " (empty)", fixed=True)]
    n, share = row
    facts = []
    if n is None:
        mc.hide(name + " rows", rows)
    else:
        facts.append(equal(rows, n, name + " rows"))
    if share is None:
        mc.hide(name + " negatives", mc.in_bin(key, b, (0,)), nonzero=False)
        mc.hide(name + " positives", mc.in_bin(key, b, (1,)), nonzero=False)
        return facts
    return facts + rate_facts(mc.in_bin(key, b, (1,)), rows, share, n, mc.rows, decimals, name + " positives")


def disparity_facts(mc: ModelCardCells, d: dict[str, Any], limit: int, where: str) -> list[Fact]:
    """A difference and a ratio give both named groups' values."""
    metric = FAIRNESS.get(d["metric"], (d["metric"],))
    if len(metric) != 1 or metric[0] not in RATES or d.get("difference") is None or not d.get("ratio"):
        return []
    diff, ratio = Fraction(d["difference"]), Fraction(d["ratio"])
    if ratio == 1:
        return []
    if d.get("group") is not None:  # group − reference, group / reference
        ref = diff / (ratio - 1)
        pairs = [(d["reference"], ref), (d["group"], ratio * ref)]
    elif d.get("highest") is not None:  # highest − lowest, lowest / highest
        high = diff / (1 - ratio)
        pairs = [(d["highest"], high), (d["lowest"], ratio * high)]
    else:
        return []
    out: list[Fact] = []
    for key, value in pairs:
        if 0 <= value <= 1:
            out += metric_facts(mc, key, metric[0], float(value), None, limit, None, f"{where}: disparity")
    return out


def conditional_facts(mc: ModelCardCells, row: dict[str, Any], limit: int, where: str) -> list[Fact]:
    """A conditional disparity: per stratum listed, its rows, its weight among the strata used, and
    both groups' rates in it (their difference adds nothing); the pair's aggregate difference and
    ratio, like a disparity's.  The combined difference and ratio are functions of the strata used,
    so every stratum used must be listed (a combination over an unlisted stratum would give it away
    by subtraction).  A stratum left out by ``min_cell_size``: its small counts of either group are
    ``withheld`` (secrets that must not be recovered exactly)."""
    metric = FAIRNESS.get(row["metric"], (row["metric"],))
    if row.get("group") is None or len(metric) != 1 or metric[0] not in RATES:
        return []
    rate, name = metric[0], f"{where}: conditional {row['metric']} of {row['group']}"
    assert row.get("strata_used", 0) == len(row.get("strata") or []), f"{name}: a stratum used is not listed"
    facts: list[Fact] = []
    listed = row.get("strata") or []
    used = frozenset().union(*(mc.slice(s["stratum"]) for s in listed)) if listed else frozenset()
    for s in listed:
        stratum = s["stratum"]
        facts.append(equal(mc.slice(stratum), s["n"], f"{name}: n of {stratum}"))
        facts += rate_facts(mc.slice(stratum), used, s["weight"], None, limit, None, f"{name}: weight of {stratum}")
        for who, value in ((row["group"], s["group_value"]), (row["reference"], s["reference_value"])):
            facts += metric_facts(mc, {**who, **stratum}, rate, value, None, limit, None, f"{name} in {stratum}")
    facts += disparity_facts(mc, {"metric": row["metric"], "group": row["group"], "reference": row["reference"],
                                  "difference": row.get("aggregate_difference"), "ratio": row.get("aggregate_ratio")},
                             limit, f"{name}: aggregate")
    num, den = RATES[rate]
    for stratum, by in zip(row.get("strata_left_out") or [], row.get("strata_left_out_by") or []):
        if by != "min_cell_size":
            continue
        for who in (row["group"], row["reference"]):
            key = {**who, **stratum}
            rest = tuple(c for c in den if c not in num)
            for classes in (num, rest, den):
                cells = mc.slice(key, classes)
                if 0 < mc.cells.total(cells) < mc.k:
                    mc.withheld.append(Secret(f"{name}: left-out {classes} of {key}", cells, mc.cells.total(cells),
                                              False))
    return facts


def metric_facts(mc: ModelCardCells, key: dict[str, str], metric: str, value: float | Fraction, n: int | None,
                 limit: int, decimals: int | None, where: str) -> list[Fact]:
    name = f"{where}: {metric} of {key}"
    if metric == "count":
        return [equal(mc.slice(key), round(Fraction(value)), name)]
    if metric in RATES:
        num, den = RATES[metric]
        return rate_facts(mc.slice(key, num), mc.slice(key, den), value, n, limit, decimals, name)
    if metric == "f1" and n is not None and decimals is None:  # 2tp / (tp + n), n = tp + fp + fn
        v = Fraction(value)
        return [equal(mc.slice(key, (1, 2, 3)), n, name + " (n)"), equal(mc.slice(key, (3,)), round(v * n / (2 - v)), name)]
    return []  # balanced accuracy and ROC AUC: not linear in the counts (their parts are published rows)


# -- Markdown and HTML tables, the prose around them and the charts' descriptions -------------------
_VALUE = re.compile(r"^([-\u2212]?\d+\.\d+)")
_REFERENCE = re.compile(r"\s*\(?reference\)?$")
_HEADING = re.compile(r"^(?P<title>.+?) \(reference: .*\)$|^(?P<plain>[^()]+)$")


def _metrics(metrics: list[str]) -> dict[str, str]:
    by_metric = {squash(m.replace("_", " ")): m for m in metrics}
    by_metric.update({squash(m): m for m in metrics})
    return by_metric


def _n(text: str) -> int | None:
    return None if "suppressed" in text or text in ("–", "") else int(text.replace(",", ""))


def facts_from_tables(mc: ModelCardCells, tables: list[Table], metrics: list[str], where: str) -> list[Fact]:
    """The summary (overall values, the group furthest behind and its value), the overall table
    (metric, value, n) where an output has one, and the group tables: every factor's groups under a
    heading row naming the factor, one table per intersection (group, n, one column per metric),
    values to three decimals."""
    facts = [mc.total()]
    by_metric = _metrics(metrics)
    limit = mc.rows
    for t in tables:
        head = [squash(h) for h in t.header]
        if head[:1] == ["metric"] and len(head) == 3 and head[2] == "n" and head[1].startswith("value"):
            for r in t.rows:
                metric = by_metric.get(squash(r[0]))
                value = _value(r[1])
                n = None if r[2] in ("–", "") else int(r[2].replace(",", ""))
                if metric is not None and value is not None:
                    facts += metric_facts(mc, {}, metric, value, n, limit, 3, where)
            continue
        if head[:2] == ["metric", "overall"]:
            facts += _summary_facts(mc, t, head, by_metric, where)
            continue
        factors = mc.display.factors(t.header[0]) if t.header and head[0] != "group" else None
        if (head[:1] == ["group"] or factors) and len(head) > 1 and head[1] == "n":
            facts += _group_table_facts(mc, t, factors, [by_metric.get(h) for h in head[2:]], where)
    return facts


def _summary_facts(mc: ModelCardCells, t: Table, head: list[str], by_metric: dict[str, str],
                   where: str) -> list[Fact]:
    facts: list[Fact] = []
    col = {h: i for i, h in enumerate(head)}
    for r in t.rows:
        metric = by_metric[squash(r[0])]
        value = _value(r[col["overall"]])
        if value is not None:
            facts += metric_facts(mc, {}, metric, value, None, mc.rows, 3, f"{where}: summary")
        if len(r) <= col["itsvalue"] or _value(r[col["itsvalue"]]) is None:
            assert not any(re.search(r"\d", c) for c in r[col["overall"] + 1:]), f"{where}: summary row {r}"
            continue
        name = re.sub(r"\s*\(?vs .*$", "", r[col["groupfurthestbehind"]])
        key = mc.group(name)
        facts += metric_facts(mc, key, metric, _value(r[col["itsvalue"]]), None, mc.rows, 3, f"{where}: summary")
    return facts


def _group_table_facts(mc: ModelCardCells, t: Table, factors: list[str] | None, columns: list[str | None],
                       where: str) -> list[Fact]:
    facts: list[Fact] = []
    for r in t.rows:
        if len(r) == 1 or not any(r[1:]):  # a heading row: the factor whose groups follow
            m = _HEADING.match(r[0].strip("* "))
            assert m is not None, f"{where}: heading row {r[0]!r}"
            factor = mc.display.factor(m.group("title") or m.group("plain"))
            assert factor is not None, f"{where}: heading row {r[0]!r} names no factor"
            factors = [factor]
            continue
        assert factors is not None, f"{where}: a group row before any factor heading: {r}"
        key = mc.group(_REFERENCE.sub("", r[0]), factors)
        n = _n(r[1])
        if n is not None:
            facts.append(equal(mc.slice(key), n, f"{where}: n of {key}"))
        elif "suppressed" in r[1]:
            mc.hide(f"{where}: n of {key}", mc.slice(key))
        for metric, cell in zip(columns, r[2:]):
            value = _value(cell)
            if metric is None or value is None:
                continue
            den_is_n = metric in RATES and RATES[metric][1] == ALL
            facts += metric_facts(mc, key, metric, value, n if den_is_n else None, mc.rows, 3, where)
    return facts


def _value(text: str) -> Fraction | None:
    m = _VALUE.match(text.strip())
    return Fraction(m.group(1).replace("\u2212", "-")) if m else None


_SIZE = re.compile(r"(?:^|[:;.]\s|\n)\s*(?P<name>(?:[^:;().\n]|\.(?=\S))+?) \((?:(?P<factor>[^;()\n]+); )?"
                   r"(?P<n>n = [\d,]+|n suppressed|size suppressed)")


def facts_from_prose(mc: ModelCardCells, text: str, where: str) -> list[Fact]:
    """Group sizes stated in words (``Not provided (n = 219)``, ``American Indian or Alaska Native
    (race; size suppressed, below 30)``).  Every ``n = …`` of the text must be one of them."""
    facts: list[Fact] = []
    parsed = 0
    for m in _SIZE.finditer(text):
        factor = mc.display.factor(m.group("factor")) if m.group("factor") else None
        key = mc.group(m.group("name").strip("*_ "), [factor] if factor else None)
        name = f"{where}: size of {key} in words"
        if m.group("n").startswith("n = "):
            parsed += 1
            facts.append(equal(mc.slice(key), int(m.group("n")[4:].replace(",", "")), name))
        else:
            mc.hide(name, mc.slice(key))
    assert parsed == len(re.findall(r"\bn = \d", text)), f"{where}: a size in words the audit does not model"
    return facts


_GROUP_ENTRY = re.compile(r"(?P<who>[^:]+?): (?:(?P<value>-?\d+\.\d+)(?:, interval [\d.]+ to [\d.]+)?, "
                          r"(?P<n>n = \d+|n suppressed)|(?:suppressed|undefined) \((?P<n2>n = \d+|n suppressed)\))\.")
_CELL_ENTRY = re.compile(r"(?P<who>[^:]+?): (?:(?P<value>-?\d+\.\d+)(?: \(-?[\d.]+ to -?[\d.]+\))?, n = (?P<n>[\d,]+)"
                         r"|(?:suppressed|undefined) \((?:n = (?P<n2>[\d,]+)|n suppressed)\)|no rows)\.")


def facts_from_charts(mc: ModelCardCells, html: str, metrics: list[str], where: str) -> list[Fact]:
    """The charts' descriptions state every number they draw: the small multiples each group's
    value and size per metric; a heat map each intersection's value and the rate's own ``n`` (its
    denominator).  Every ``n = …`` of a description must be read, and every size a chart draws
    must be one its description states."""
    import html as html_module

    by_metric = _metrics(metrics)
    facts: list[Fact] = []
    for raw in re.findall(r"<desc[^>]*>(.*?)</desc>", html, re.S):
        desc = html_module.unescape(raw)
        if _RELIABILITY.search(desc):
            got, read = _reliability(mc, desc, where)
            facts += got
            assert read == len(re.findall(r"\bn = \d", desc)), f"{where}: a chart states a size the audit does not read"
            continue
        heads = [m for m in re.finditer(r"(?:^|(?<=\. ))(?P<metric>[^:.()]+?)(?: \(overall -?[\d.]+\))?: ", desc)
                 if squash(m.group("metric")) in by_metric]
        got, read = (_small_multiples(mc, desc, heads, by_metric, where) if heads
                     else _heat_map(mc, desc, by_metric, where))
        facts += got
        assert read == len(re.findall(r"\bn = \d", desc)), f"{where}: a chart states a size the audit does not read"
    for svg in re.findall(r"<svg\b.*?</svg>", html, re.S):
        desc = " ".join(re.findall(r"<desc[^>]*>(.*?)</desc>", svg, re.S)).replace(",", "")
        drawn = re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)
        for n in re.findall(r"\bn = ([\d,]+)", " ".join(drawn)):
            assert f"n = {n.replace(',', '')}" in desc, f"{where}: a chart draws n = {n} its description does not state"
    return facts


def _small_multiples(mc: ModelCardCells, desc: str, heads: list[re.Match[str]], by_metric: dict[str, str],
                     where: str) -> tuple[list[Fact], int]:
    """``Selection rate (overall 0.681): Sex Female: 0.671, interval …, n = 2807. …``: sizes of groups."""
    titles = sorted(((t.replace("_", " ").lower(), f) for f, t in mc.display.titles.items()), key=lambda x: -len(x[0]))
    facts: list[Fact] = []
    read = 0
    for head, nxt in zip(heads, [*heads[1:], None]):
        metric = by_metric[squash(head.group("metric"))]
        for e in _GROUP_ENTRY.finditer(desc[head.end():nxt.start() if nxt else len(desc)]):
            who = e.group("who").strip()
            title, factor = next((t, f) for t, f in titles if who.lower().startswith(t + " "))
            key = mc.group(who[len(title) + 1:], [factor])
            n = e.group("n") or e.group("n2")
            if n != "n suppressed":
                read += 1
                facts.append(equal(mc.slice(key), int(n[4:]), f"{where}: chart size of {key}"))
            if e.group("value"):
                facts += metric_facts(mc, key, metric, Fraction(e.group("value")), None, mc.rows, 3, f"{where}: chart")
    return facts, read


def _heat_map(mc: ModelCardCells, desc: str, by_metric: dict[str, str], where: str) -> tuple[list[Fact], int]:
    """``Precision, overall 0.906. Female × White: 0.903 (… to …), n = 1,171. …``: each cell's value
    over its own ``n``, the rate's denominator."""
    head = re.match(r"(?P<metric>[^,.]+?)(?:, overall -?[\d.]+)?\. ", desc)
    metric = by_metric.get(squash(head.group("metric"))) if head else None
    if head is None or metric is None:
        return [], 0
    facts: list[Fact] = []
    read = 0
    for e in _CELL_ENTRY.finditer(desc[head.end():]):
        n = e.group("n") or e.group("n2")
        if e.group("who").startswith("Left out") or n is None:
            continue
        key = mc.group(e.group("who").strip())
        read += 1
        den = int(n.replace(",", ""))
        name = f"{where}: heat map {metric} of {key}"
        facts.append(equal(mc.slice(key, RATES.get(metric, (ALL, ALL))[1]), den, name + " (n)"))
        if e.group("value"):
            facts += metric_facts(mc, key, metric, Fraction(e.group("value")), den, mc.rows, 3, name)
    return facts, read


_RELIABILITY = re.compile(r"^[^.]+?: bin [\d.]+–[\d.]+: ")
_PANEL = re.compile(r"(?:^|(?<=\. ))(?P<who>[^:;]+?): (?=bin [\d.]+–)")
_BIN = re.compile(r"bin (?P<low>[\d.]+)–[\d.]+: (?:predicted [\d.]+, observed (?P<share>[\d.]+), n = (?P<n>[\d,]+)"
                  r"|suppressed \((?:n = (?P<n2>[\d,]+)|n suppressed)\))")


def _reliability(mc: ModelCardCells, desc: str, where: str) -> tuple[list[Fact], int]:
    """``Overall: bin 0.00–0.50: predicted 0.405, observed 0.342, n = 184; bin 0.50–1.00:
    suppressed (n = 58). Female: …``: every panel's bins (a bin left out is empty), the share of
    positives to three decimals; with fewer than twelve panels, the tables of the whole set and
    of single groups without one are withheld."""
    facts: list[Fact] = []
    read = 0
    heads = list(_PANEL.finditer(desc))
    panels = []
    for head, nxt in zip(heads, [*heads[1:], None]):
        who = head.group("who").strip()
        key = {} if who == "Overall" else mc.group(who)
        panels.append(key)
        listed = {}
        for m in _BIN.finditer(desc[head.end():nxt.start() if nxt else len(desc)]):
            n = m.group("n") or m.group("n2")
            read += n is not None
            count = None if n is None else int(n.replace(",", ""))
            listed[round(float(m.group("low")) * mc.bins)] = (count, None if m.group("share") is None
                                                                  else Fraction(m.group("share")))
        for b in range(mc.bins):
            facts += bin_facts(mc, key, b, listed.get(b), 3, f"{where}: reliability diagram")
    if len(panels) < 12:  # the diagram draws every table shown of the whole set and of single groups
        for key in [{}, *({f: v} for f in mc.factors for v in mc.levels[f])]:
            if key not in panels:
                withhold(mc, key, f"{where}: reliability diagram")
    return facts, read


def _prose_md(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("|"))


def _prose_html(text: str) -> str:
    import html as html_module

    text = re.sub(r"<(table|svg|script|style)\b.*?</\1>", "\n", text, flags=re.S)
    text = re.sub(r"<(p|li|div|h\d|br|section|figcaption)\b[^>]*>", "\n", text)
    return html_module.unescape(re.sub(r"<[^>]+>", "", text))


# -- exports ------------------------------------------------------------------------------------------
def facts_from_model_index(mc: ModelCardCells, text: str, where: str) -> list[Fact]:
    meta, body = front_matter(text)
    facts = [mc.total()]
    for model in meta.get("model-index") or []:
        for result in model.get("results") or []:
            key = ((result.get("dataset") or {}).get("args") or {}).get("slice") or {}
            for m in result.get("metrics") or []:
                n = (m.get("args") or {}).get("n")
                facts += metric_facts(mc, {str(k): str(v) for k, v in key.items()}, m["type"], m["value"], n,
                                      mc.rows, None, where)
    return facts, body


def facts_from_cyclonedx(mc: ModelCardCells, text: str, where: str) -> list[Fact]:
    bom = json.loads(text)
    facts = [mc.total()]
    for comp in bom.get("components") or []:
        qa = (comp.get("modelCard") or {}).get("quantitativeAnalysis") or {}
        for m in qa.get("performanceMetrics") or []:
            if "value" not in m or not re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", str(m["value"])):
                continue  # withheld, with the reason in words
            name = m.get("slice", "overall")
            key = {} if name == "overall" else dict(part.split("=", 1) for part in name.split(", "))
            facts += metric_facts(mc, key, m["type"], float(m["value"]), None, mc.rows, None, where)
    return facts


def facts_from_output(mc: ModelCardCells, kind: str, text: str, results: dict[str, Any],
                      metrics: list[str]) -> list[Fact]:
    unobserved = [equal(mc.slice(u), 0, f"{kind}: unobserved {u}", fixed=True) for u in results.get("unobserved") or []]
    if kind == "results":
        return facts_from_results(mc, json.loads(text), kind)
    if kind == "json":
        return facts_from_results(mc, json.loads(text)["results"], kind)
    if kind == "md":
        return (facts_from_tables(mc, markdown_tables(text), metrics, kind)
                + facts_from_prose(mc, _prose_md(text), kind) + unobserved)
    if kind == "html":
        return (facts_from_tables(mc, html_tables(text), metrics, kind) + facts_from_prose(mc, _prose_html(text), kind)
                + facts_from_charts(mc, text, metrics, kind) + unobserved)
    if kind == "huggingface":
        facts, body = facts_from_model_index(mc, text, kind)
        return (facts + facts_from_tables(mc, markdown_tables(body), metrics, kind)
                + facts_from_prose(mc, _prose_md(body), kind) + unobserved)
    if kind == "cyclonedx":
        return facts_from_cyclonedx(mc, text, kind) + unobserved
    raise ValueError(kind)
