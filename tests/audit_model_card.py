"""What a model card's outputs publish, as facts for :mod:`privacy_audit`.

The hidden cells are one per combination of every factor's group and the confusion class
(label × prediction), counted from the evaluation file with pandas.  A slice's size and
``tp``/``fp``/``tn``/``fn`` are sums of them; a published rate is a numerator over a denominator
(``fp / (tn + fp)`` for a false positive rate), so a value with its ``n`` gives the numerator, and
a value without its ``n`` still fixes their ratio.  The parsers read the results file and the
JSON render (exact), the Markdown and HTML tables (three decimals), the Hugging Face model-index
and the CycloneDX ``performanceMetrics``.  Disparities and gates are differences and ratios of
the groups' values: a difference with its ratio gives both values, which become facts too.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from audit_datasheet import MISSING, Table, front_matter, html_tables, markdown_tables, squash, text_label
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
    secrets: list[Secret] = field(default_factory=list)
    shown: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per factor: display name → group (the card's `labels`)."""
    titles: dict[str, str] = field(default_factory=dict)
    """A factor's title → its name."""

    def group(self, factor: str, text: str) -> str:
        return self.shown.get(factor, {}).get(text, text)

    def slice(self, key: dict[str, str], classes: tuple[int, ...] = ALL) -> frozenset[int]:
        pos = {f: i for i, f in enumerate(self.factors)}
        return self.cells.where(lambda n: n[2] in classes and all(n[1][pos[f]] == v for f, v in key.items()))

    def hide(self, name: str, cells: frozenset[int], *, nonzero: bool = True) -> None:
        self.secrets.append(Secret(name, cells, self.cells.total(cells), nonzero))

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
    names, labels = [], []
    for f in qa.get("factors") or []:
        if isinstance(f, str) or "bins" not in f:  # a column, or a group factor (display names only)
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
        if not isinstance(f, str) and "bins" in f:
            lv += [g for g in list(f.get("labels") or _bins([float(b) for b in f["bins"]])) if g not in lv]
    for combo in itertools.product(*levels, ALL):  # every combination a reader could not rule out
        cells.add(("cell", tuple(combo[:-1]), combo[-1]), 0)
    for i, c in enumerate(cls.tolist()):
        cells.add(("cell", tuple(lv[i] for lv in labels), c), 1)
    shown = {name: {str(v): str(k) for k, v in f["labels"].items()}
             for name, f in zip(names, qa.get("factors") or []) if isinstance(f, dict) and isinstance(f.get("labels"), dict)}
    titles = {str(f["title"]): name for name, f in zip(names, qa.get("factors") or [])
              if isinstance(f, dict) and f.get("title")}
    return ModelCardCells(cells, names, len(frame), int(qa.get("min_cell_size", 10)), shown=shown, titles=titles)


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
    return facts


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


# -- Markdown and HTML tables -----------------------------------------------------------------------
_VALUE = re.compile(r"^(-?\d+\.\d+)")


def facts_from_tables(mc: ModelCardCells, tables: list[Table], metrics: list[str], where: str) -> list[Fact]:
    """The overall table (metric, value, n) and one table per factor or intersection (group, n,
    one column per metric), values to three decimals."""
    facts = [mc.total()]
    by_metric = {squash(m.replace("_", " ")): m for m in metrics}
    by_metric.update({squash(m): m for m in metrics})
    by_factor = {squash(f): f for f in mc.factors}
    by_factor.update({squash(t): f for t, f in mc.titles.items()})
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
        factors = [by_factor.get(squash(p)) for p in t.header[0].split(" × ")] if t.header else []
        if factors and all(factors) and len(head) > 1 and head[1] == "n":
            columns = [by_metric.get(h) for h in head[2:]]
            for r in t.rows:
                key = {f: mc.group(f, g) for f, g in zip(factors, r[0].split(" × "))}
                n = None if "suppressed" in r[1] or r[1] == "–" else int(r[1].replace(",", ""))
                if n is not None:
                    facts.append(equal(mc.slice(key), n, f"{where}: n of {key}"))
                elif "suppressed" in r[1]:
                    mc.hide(f"{where}: n of {key}", mc.slice(key))
                for metric, cell in zip(columns, r[2:]):
                    value = _value(cell)
                    if metric is None or value is None:
                        continue
                    den_is_n = metric in RATES and RATES[metric][1] == ALL
                    facts += metric_facts(mc, key, metric, value, n if den_is_n else None, limit, 3, where)
            continue
    return facts


def _value(text: str) -> Fraction | None:
    m = _VALUE.match(text.strip())
    return Fraction(m.group(1)) if m else None


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
        return facts_from_tables(mc, markdown_tables(text), metrics, kind) + unobserved
    if kind == "html":
        return facts_from_tables(mc, html_tables(text), metrics, kind) + unobserved
    if kind == "huggingface":
        facts, body = facts_from_model_index(mc, text, kind)
        return facts + facts_from_tables(mc, markdown_tables(body), metrics, kind) + unobserved
    if kind == "cyclonedx":
        return facts_from_cyclonedx(mc, text, kind) + unobserved
    raise ValueError(kind)
