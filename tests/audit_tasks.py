"""What a results file of any task publishes, as facts for :mod:`privacy_audit`.

The hidden cells are one per combination of every factor's group and the task's class, counted
from the evaluation table with numpy (not cardwright): binary classification the label × the
number of thresholds the score reaches (so each operating point's ``tn``/``fp``/``fn``/``tp``
is a sum of cells) × the calibration bin (scikit-learn's ``calibration_curve`` bins, when the
card computes ``expected_calibration_error``: only the pairs of threshold band and bin a
probability can fall in), multiclass the label class × the predicted class (× whether the label
is among the ``top_k`` highest class scores, ties ordered as scikit-learn's
``top_k_accuracy_score`` orders them, when the card gives class scores), scored with a pass
threshold pass × fail, regression one class.  A slice's size, its counts and every linear rate
with its ``n`` (the denominator) become facts; a hidden count (``None``) becomes a secret.  A
rate published with its ``n`` publishes two counts, its numerator and the rest of its rows
(:func:`published_counts` lists both, overall slice included).  A
calibration table publishes each bin's rows and, through its share of positives, its positives;
a bin left out is empty; a suppressed bin's counts are secrets.  The small counts of a table that
is not shown are secrets too, collected apart (``withheld``): they must not be recovered exactly.
Metrics that are not ratios of two counts (macro averages, means, quantiles, AUC) fix nothing
linear and are left out, as :mod:`audit_model_card` does.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from privacy_audit import Cells, Fact, Secret, equal, rate_facts

#: Binary rates: (numerator, denominator) as confusion classes 0 TN, 1 FP, 2 FN, 3 TP.
BINARY_RATES = {
    "base_rate": ((2, 3), (0, 1, 2, 3)), "selection_rate": ((1, 3), (0, 1, 2, 3)),
    "accuracy": ((0, 3), (0, 1, 2, 3)), "precision": ((3,), (1, 3)), "recall": ((3,), (2, 3)),
    "specificity": ((0,), (0, 1)), "false_positive_rate": ((1,), (0, 1)), "false_negative_rate": ((2,), (2, 3)),
    "false_discovery_rate": ((1,), (1, 3)), "negative_predictive_value": ((0,), (0, 2)),
}
CONFUSION = ("tn", "fp", "fn", "tp")


@dataclass
class TaskCells:
    cells: Cells
    factors: list[str]
    task: str
    rows: int
    k: int
    classes: list[str] = field(default_factory=list)
    thresholds: list[float | None] = field(default_factory=list)
    bins: int = 0
    """Calibration bins (0: the card publishes no calibration table)."""
    secrets: list[Secret] = field(default_factory=list)
    withheld: list[Secret] = field(default_factory=list)

    def where(self, key: dict[str, str], test: Any = None) -> frozenset[int]:
        pos = {f: i for i, f in enumerate(self.factors)}
        return self.cells.where(lambda n: all(n[0][pos[f]] == v for f, v in key.items())
                                and (test is None or test(n[1])))

    def confusion(self, key: dict[str, str], threshold: float | None, classes: tuple[int, ...]) -> frozenset[int]:
        j = self.thresholds.index(threshold)

        def test(c: tuple[int, ...]) -> bool:
            label, band = c[0], c[1]
            return any(label == cls >> 1 and (band > j) == bool(cls & 1) for cls in classes)

        return self.where(key, test)

    def hide(self, name: str, cells: frozenset[int], nonzero: bool) -> None:
        self.secrets.append(Secret(name, cells, self.cells.total(cells), nonzero))

    def in_bin(self, key: dict[str, str], b: int, labels: tuple[int, ...] = (0, 1)) -> frozenset[int]:
        return self.where(key, lambda c: c[2] == b and c[0] in labels)


def task_cells(frame: Any, qa: dict[str, Any], results: dict[str, Any]) -> TaskCells:
    """The cells of ``frame`` for ``qa`` (plain column factors); ``results`` only names the
    classes' order and the thresholds."""
    task = qa.get("task", "binary-classification")
    data = qa["data"]
    settings = results["settings"]
    n = len(frame)
    if task == "binary-classification":
        label = (frame[data["label"]].to_numpy() == data.get("positive_label", 1)).astype(int)
        points = data.get("thresholds") or [data["threshold"]]
        bins = int(settings.get("calibration_bins") or 0)
        scores = frame[data["score"]].to_numpy(float)
        cls = [(int(y), *band) for y, band in zip(label.tolist(), score_bands(scores, points, bins))]
        universe = [(y, *band) for y in (0, 1) for band in possible_bands(points, bins)]
        thresholds: list[float | None] = list(settings.get("thresholds") or [None])
    elif task == "multiclass-classification":
        names = [str(c) for c in settings["classes"]]
        index = {c: i for i, c in enumerate(names)}
        cls = [(index[str(a)], index[str(b)]) for a, b in zip(frame[data["label"]], frame[data["prediction"]])]
        universe = list(itertools.product(range(len(names)), repeat=2))
        if data.get("class_scores") and qa.get("top_k"):
            hit = top_k_hits(frame, data["label"], data["class_scores"], names, int(qa["top_k"]))
            cls = [(*c, h) for c, h in zip(cls, hit)]
            universe = [(*c, h) for c in universe for h in (0, 1)]
        thresholds = []
    elif task == "scored" and data.get("pass_threshold") is not None:
        cls = [(int(s >= data["pass_threshold"]),) for s in frame[data["score"]].to_numpy(float)]
        universe = [(0,), (1,)]
        thresholds = []
    else:
        cls = [(0,)] * n
        universe = [(0,)]
        thresholds = []
    if task != "binary-classification":
        bins = 0
    factors = list(qa.get("factors") or [])
    labels = [[str(v) for v in frame[f].tolist()] for f in factors]
    levels = [list(dict.fromkeys(lv)) for lv in labels]
    cells = Cells()
    for combo in itertools.product(*levels):
        for c in universe:
            cells.add((tuple(combo), c), 0)
    for i, c in enumerate(cls):
        cells.add((tuple(lv[i] for lv in labels), c), 1)
    return TaskCells(cells, factors, task, n, int(qa.get("min_cell_size", 10)),
                     classes=[str(c) for c in settings.get("classes") or []], thresholds=thresholds, bins=bins)


def top_k_hits(frame: Any, label: str, class_scores: dict[str, str], names: list[str], k: int) -> list[int]:
    """Per row, 1 when its label is among the ``k`` highest class scores, as scikit-learn's
    ``top_k_accuracy_score`` decides it (a stable sort of the scores, reversed: of tied scores the
    later class comes first)."""
    scores = np.column_stack([frame[class_scores[c]].to_numpy(float) for c in names])
    ranked = np.argsort(scores, axis=1, kind="mergesort")[:, ::-1][:, :k]
    index = {c: i for i, c in enumerate(names)}
    truth = np.array([index[str(v)] for v in frame[label]])
    return (ranked == truth[:, None]).any(axis=1).astype(int).tolist()


def score_bands(scores: np.ndarray, points: list[float], bins: int) -> list[tuple[int, int]]:
    """Each score's band — how many thresholds it reaches (a score at a threshold reaches it) —
    and calibration bin: scikit-learn's ``calibration_curve(strategy="uniform")`` cuts [0, 1] at
    ``linspace(0, 1, bins + 1)`` and puts a score in ``searchsorted(inner edges, score)``, so a
    bin holds (low, high] (the first from 0).  Without calibration bins, bin 0."""
    band = [sum(s >= t for t in points) for s in scores]
    if not bins:
        return [(b, 0) for b in band]
    cal = np.searchsorted(np.linspace(0.0, 1.0, bins + 1)[1:-1], scores)
    return list(zip(band, cal.tolist()))


def possible_bands(points: list[float], bins: int) -> list[tuple[int, int]]:
    """Every (band, bin) a probability can fall in: both change only at a threshold or an edge,
    so the cut points and the midpoints between them reach every pair."""
    if not bins:
        return [(b, 0) for b in range(len(points) + 1)]
    cuts = sorted({0.0, 1.0, *np.linspace(0.0, 1.0, bins + 1).tolist(), *(t for t in points if 0 <= t <= 1)})
    probes = np.array(sorted({*cuts, *((a + b) / 2 for a, b in itertools.pairwise(cuts))}))
    return sorted(set(score_bands(probes, points, bins)))


def published_counts(results: dict[str, Any]) -> list[tuple[str, int]]:
    """Every count a results file publishes outside the overall total: (where, count)."""
    out = []
    for s in results["slices"]:
        where = f"slice {s['slice']}"
        if s["slice"]:
            out.append((f"{where} n", s["n"]))
        out += [(f"{where} {c}", s.get(c)) for c in CONFUSION]
        out += [(f"{where} confusion[{a}][{b}]", v) for a, row in enumerate(s.get("confusion") or [])
                for b, v in enumerate(row)]
    out += [(f"{r['metric']} of {r['slice']} n", r["n"]) for r in results["results"] if r["slice"]]
    out += derived_counts(results)
    for c in results.get("calibration") or []:
        for b in c["bins"]:
            where = f"calibration of {c['slice']} bin {b['low']}"
            out.append((f"{where} rows", b["n"]))
            if b["n"] is not None and b["fraction_positive"] is not None:  # unweighted: the share gives counts
                positives = round(b["fraction_positive"] * b["n"])
                out += [(f"{where} positives", positives), (f"{where} negatives", b["n"] - positives)]
    return [(w, v) for w, v in out if v is not None]


#: Metrics that are one count over another (their ``n``), for every task.
SHARES = {*BINARY_RATES, "top_k_accuracy", "pass_rate"}


def derived_counts(results: dict[str, Any]) -> list[tuple[str, int]]:
    """The two counts each unweighted share published with its ``n`` gives away, overall slice
    included: the numerator ``value · n`` and the rest ``n − value · n`` (a top-k accuracy of
    0.994 over 178 rows says one row missed the top k).  Per-class precision and recall and
    multiclass accuracy are shares too.  Weighted values (not a count over ``n``) are left out."""
    out = []
    for r in results["results"]:
        share = r["metric"] in SHARES or (r.get("class") is not None and r["metric"] in ("precision", "recall"))
        if not share or r["value"] is None or r["n"] is None:
            continue
        hits = r["value"] * r["n"]
        if abs(hits - round(hits)) > 1e-6:
            continue
        where = f"{r['metric']} of {r['slice']} ({r.get('threshold')}, {r.get('class')})"
        out += [(f"{where} numerator", round(hits)), (f"{where} rest of n", r["n"] - round(hits))]
    return out


def facts_from_results(tc: TaskCells, results: dict[str, Any]) -> list[Fact]:
    total = equal(tc.where({}), tc.rows, "rows used", fixed=True)
    facts = [total]
    for s in results["slices"]:
        facts += _slice_facts(tc, s)
    for u in results.get("unobserved") or []:
        facts.append(equal(tc.where(u), 0, f"unobserved {u}", fixed=True))
    for r in results["results"]:
        if r["value"] is not None:
            facts += _metric_facts(tc, r["slice"], r["metric"], r.get("threshold"), r.get("class"), r["value"], r["n"])
    if tc.bins:
        facts += calibration_facts(tc, results)
    return facts


def calibration_facts(tc: TaskCells, results: dict[str, Any]) -> list[Fact]:
    """Every shown table's bins (rows; positives as the share times the rows; a bin left out is
    empty); a suppressed bin's counts are secrets, a table not shown gives its small counts to
    ``withheld``."""
    out: list[Fact] = []
    shown = {json_key(t["slice"]): t for t in results.get("calibration") or []}
    for key in {json_key(s["slice"]): s["slice"] for s in results["slices"]}.values():
        table = shown.get(json_key(key))
        if table is None:
            for b, labels in itertools.product(range(tc.bins), ((0, 1), (0,), (1,))):
                cells = tc.in_bin(key, b, labels)
                if 0 < tc.cells.total(cells) < tc.k:
                    tc.withheld.append(Secret(f"withheld bin {b} {labels} of {key}", cells, tc.cells.total(cells), False))
            continue
        listed = {round(row["low"] * tc.bins): row for row in table["bins"]}
        for b in range(tc.bins):
            out += _bin_facts(tc, key, b, listed.get(b))
    return out


def _bin_facts(tc: TaskCells, key: dict[str, str], b: int, row: dict[str, Any] | None) -> list[Fact]:
    name = f"calibration bin {b} of {key}"
    rows = tc.in_bin(key, b)
    if row is None:
        return [equal(rows, 0, name + " (empty)", fixed=True)]
    out = []
    if row["n"] is None:
        tc.hide(name + " rows", rows, True)
    else:
        out.append(equal(rows, row["n"], name + " rows", fixed=row["n"] == 0))
    if row.get("suppressed"):
        tc.hide(name + " negatives", tc.in_bin(key, b, (0,)), False)
        tc.hide(name + " positives", tc.in_bin(key, b, (1,)), False)
        return out
    return out + rate_facts(tc.in_bin(key, b, (1,)), rows, row["fraction_positive"], row["n"], tc.rows, None,
                            name + " positives")


def json_key(key: dict[str, str]) -> str:
    return json.dumps(key, sort_keys=True)


def _slice_facts(tc: TaskCells, s: dict[str, Any]) -> list[Fact]:
    key, out = s["slice"], []
    if s["n"] is None:
        tc.hide(f"n of {key}", tc.where(key), True)
    else:
        out.append(equal(tc.where(key), s["n"], f"n of {key}"))
    if tc.task == "binary-classification":
        for c, name in enumerate(CONFUSION):
            cells = tc.confusion(key, s.get("threshold"), (c,))
            if s.get(name) is None:
                tc.hide(f"{name} of {key} at {s.get('threshold')}", cells, s["n"] is not None)
            else:
                out.append(equal(cells, s[name], f"{name} of {key}", fixed=s[name] == 0))
    if tc.task == "multiclass-classification":
        matrix = s.get("confusion")
        for a, b in itertools.product(range(len(tc.classes)), repeat=2):
            cells = tc.where(key, lambda c, a=a, b=b: c[:2] == (a, b))
            value = None if matrix is None else matrix[a][b]
            if matrix is None and not 0 < tc.cells.total(cells) < tc.k:
                continue  # a withheld matrix hides its small cells; the others are not claimed hidden
            if value is None:  # in a withheld matrix a reader cannot tell a small cell from a zero
                tc.hide(f"confusion[{a}][{b}] of {key}", cells, s["n"] is not None and matrix is not None)
            else:
                out.append(equal(cells, value, f"confusion[{a}][{b}] of {key}", fixed=value == 0))
    return out


def _metric_facts(tc: TaskCells, key: dict[str, str], metric: str, threshold: float | None, class_: str | None,
                  value: float, n: int | None) -> list[Fact]:
    name = f"{metric} of {key} ({threshold}, {class_})"
    if metric == "count":
        return [equal(tc.where(key), round(Fraction(value)), name)]
    parts = _rate(tc, key, metric, threshold, class_)
    if parts is None:
        return []
    return rate_facts(parts[0], parts[1], value, n, tc.rows, None, name)


def _rate(tc: TaskCells, key: dict[str, str], metric: str, threshold: float | None,
          class_: str | None) -> tuple[frozenset[int], frozenset[int]] | None:
    if tc.task == "binary-classification" and metric in BINARY_RATES:
        num, den = BINARY_RATES[metric]
        return tc.confusion(key, threshold, num), tc.confusion(key, threshold, den)
    if tc.task == "multiclass-classification":
        if metric == "accuracy":
            return tc.where(key, lambda c: c[0] == c[1]), tc.where(key)
        if metric == "top_k_accuracy":
            return tc.where(key, lambda c: len(c) > 2 and c[2] == 1), tc.where(key)
        if class_ is not None and metric in ("precision", "recall"):
            i = tc.classes.index(class_)
            side = 1 if metric == "precision" else 0
            return tc.where(key, lambda c: c[:2] == (i, i)), tc.where(key, lambda c: c[side] == i)
    if tc.task == "scored" and metric == "pass_rate":
        return tc.where(key, lambda c: c == (1,)), tc.where(key)
    return None
