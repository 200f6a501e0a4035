"""Model cards of every task with results files built through the results schema
(:mod:`cardwright.schema.results`), for the export tests: a binary classifier at several
operating points, a multiclass classifier with per-class rows, a regression, a scored benchmark,
and a list of named evaluations (two of them of the same task on the same dataset).

The numbers are drawn from a seeded generator: the exports must carry them, not judge them.  Each
results file also withholds rows the way compute does (a suppressed small group, an undefined
ratio), so the tests can check that only published rows are exported.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from cardwright._compute.api import dumps
from cardwright.schema.results import (
    AnalysisResults,
    Disparity,
    EvaluationResults,
    GateResult,
    Provenance,
    ResultRow,
    Settings,
    SliceCounts,
)

HEAD = """\
kind: model-card
schema_version: 1
model_details:
  name: "{name}"
  version: "1.0"
intended_use: {{}}
factors: {{}}
metrics: {{}}
evaluation_data:
  datasets:
{datasets}
training_data: {{}}
"""
TAIL = """\
ethical_considerations: {}
caveats_and_recommendations: {}
"""
SLICES: list[dict[str, str]] = [{}, {"sex": "female"}, {"sex": "male"}, {"sex": "other"}]
"""The whole set, two groups with enough rows and one that is suppressed."""
SMALL = {"sex": "other"}


@dataclass(frozen=True)
class Evaluation:
    """One evaluation of a card: its spec (YAML lines under quantitative_analyses) and its rows."""

    name: str | None
    task: str
    spec: str
    metrics: tuple[str, ...]
    classes: tuple[str, ...] = ()
    """The classes (multiclass)."""
    thresholds: tuple[float, ...] = ()
    per_class: tuple[str, ...] = ()
    """Metrics reported for every class (`per_class: true`), after the card's `metrics`."""
    threshold_metrics: tuple[str, ...] = ()


BINARY = Evaluation(None, "binary-classification", """\
  data: {path: eval.csv, label: outcome, score: score, thresholds: [0.3, 0.5]}
  factors: [sex]
  metrics: [accuracy, recall, roc_auc]
  gates:
    - {metric: recall, over: [sex], max_difference: 0.2, threshold: 0.5}
""", ("accuracy", "recall", "roc_auc"), thresholds=(0.3, 0.5), threshold_metrics=("accuracy", "recall"))
MULTICLASS = Evaluation(None, "multiclass-classification", """\
  task: multiclass-classification
  data: {path: eval.csv, label: outcome, prediction: predicted}
  factors: [sex]
  metrics: [accuracy, macro_f1]
  per_class: true
""", ("accuracy", "macro_f1"), classes=("cat", "dog", "bird"), per_class=("precision", "recall", "f1"))
REGRESSION = Evaluation(None, "regression", """\
  task: regression
  data: {path: eval.csv, label: outcome, prediction: predicted}
  factors: [sex]
  metrics: [count, mean_absolute_error, r2]
""", ("count", "mean_absolute_error", "r2"))
SCORED = Evaluation(None, "scored", """\
  task: scored
  data: {path: eval.csv, score: score, pass_threshold: 0.5}
  factors: [sex]
  metrics: [mean, pass_rate, p50]
""", ("mean", "pass_rate", "p50"))


def _named(e: Evaluation, name: str) -> Evaluation:
    lines = e.spec.replace("path: eval.csv", "path: sales.csv" if e.task == "regression" else f"path: {name}.csv").splitlines()
    spec = "\n".join([f"  - name: {name}", *[("    " + line[2:]) for line in lines]]) + "\n"
    if e.task == "binary-classification":
        spec = spec.replace(f"  - name: {name}\n", f"  - name: {name}\n    task: binary-classification\n")
    return Evaluation(name, e.task, spec, e.metrics, e.classes, e.thresholds, e.per_class, e.threshold_metrics)


HOLDOUT = "{name: Holdout, split: test}"
#: card name → (evaluation datasets, evaluations); an evaluation without a name is the
#: single-mapping form.  In the list, `benchmark` is measured on the dataset named like it,
#: `prices` on the dataset whose datasheet describes its data file (sales.csv), and the others on
#: data the card names no dataset for.
CARDS: dict[str, tuple[list[str], list[Evaluation]]] = {
    "binary-thresholds": ([HOLDOUT], [BINARY]),
    "multiclass-per-class": ([HOLDOUT], [MULTICLASS]),
    "regression": ([HOLDOUT], [REGRESSION]),
    "scored": ([HOLDOUT], [SCORED]),
    "evaluations": (["{name: Benchmark, split: test}",
                     "{name: Sales records, datasheet: sales.datasheet.yaml, url: 'https://huggingface.co/datasets/acme/sales'}"],
                    [_named(BINARY, "holdout-2023"), _named(BINARY, "holdout-2024"), _named(MULTICLASS, "benchmark"),
                     _named(REGRESSION, "prices"), _named(SCORED, "graded")]),
}
SALES_DATASHEET = """\
kind: datasheet
schema_version: 1
dataset:
  name: Sales records
relates_to_people: false
motivation: {}
composition: {}
collection_process: {}
preprocessing: {}
uses: {}
distribution: {}
maintenance: {}
data:
  path: sales.csv
"""


def _provenance() -> Provenance:
    return Provenance(tool_version="0.1.0", data_path="eval.csv", data_sha256="0" * 64, bytes=1000, rows_read=500,
                      rows_used=500, rows_dropped={}, settings_sha256="0" * 64, engine="arrow")


def _settings(e: Evaluation) -> Settings:
    return Settings(task=None if e.task == "binary-classification" else e.task, factors=["sex"], metrics=list(e.metrics),
                    level=0.95, resamples=0, seed=0, interval_method="auto", min_group_size=30, missing_values="group",
                    thresholds=list(e.thresholds) or None, classes=list(e.classes) or None)


def _variants(e: Evaluation) -> list[tuple[str, str | None, float | None]]:
    """(metric, class, threshold) of every row on one slice."""
    out: list[tuple[str, str | None, float | None]] = []
    for metric in e.metrics:
        if metric in e.threshold_metrics:
            out += [(metric, None, t) for t in e.thresholds]
        else:
            out.append((metric, None, None))
    return out + [(metric, c, None) for metric in e.per_class for c in e.classes]


def _row(e: Evaluation, s: dict[str, str], n: int, variant: tuple[str, str | None, float | None],
         rng: random.Random) -> ResultRow:
    metric, class_, threshold = variant
    common = {"evaluation": e.name, "slice": s, "metric": metric, "class_": class_, "threshold": threshold, "n": n}
    if s == SMALL:
        return ResultRow(**common, value=None, suppressed=True, reason="fewer than 30 rows")
    if metric == "recall" and threshold == 0.3 and s == {"sex": "male"}:
        return ResultRow(**common, value=None, reason="undefined: no actual positives")  # published without a value
    if metric == "count":
        return ResultRow(**common, value=float(n))
    value, half = round(rng.uniform(0.05, 0.95), 6), round(rng.uniform(0.01, 0.04), 6)
    return ResultRow(**common, value=value, ci_low=value - half, ci_high=value + half, interval="wilson")


def _rows(e: Evaluation, rng: random.Random) -> list[ResultRow]:
    rows = []
    for s in SLICES:
        n = 12 if s == SMALL else rng.randint(100, 300)
        rows += [_row(e, s, n, variant, rng) for variant in _variants(e)]
    return rows


def _disparities(e: Evaluation, rows: list[ResultRow]) -> list[Disparity]:
    out = []
    for metric, class_, threshold in _variants(e):
        values = {r.slice["sex"]: r for r in rows if r.slice and r.metric == metric and r.class_ == class_
                  and r.threshold == threshold and r.value is not None}
        if len(values) < 2:
            continue
        hi = max(values, key=lambda k: values[k].value or 0.0)
        lo = min(values, key=lambda k: values[k].value or 0.0)
        difference = (values[hi].value or 0.0) - (values[lo].value or 0.0)
        out.append(Disparity(evaluation=e.name, over=["sex"], metric=metric, class_=class_, threshold=threshold,
                             comparison="between-groups", difference=difference, highest={"sex": hi},
                             lowest={"sex": lo}, groups=len(values)))
    return out


def _gates(e: Evaluation, disparities: list[Disparity]) -> list[GateResult]:
    if "gates:" not in e.spec:
        return []
    d = next(d for d in disparities if d.metric == "recall" and d.threshold == 0.5)
    value = d.difference or 0.0
    return [GateResult(evaluation=e.name, metric="recall", over=["sex"], threshold=0.5, kind="max_difference",
                       limit=0.2, use="estimate", value=value, passed=value <= 0.2, groups=d.groups)]


def _counts(e: Evaluation, rows: list[ResultRow]) -> list[SliceCounts]:
    seen: dict[str, SliceCounts] = {}
    for r in rows:
        key = repr(sorted(r.slice.items()))
        seen.setdefault(key, SliceCounts(evaluation=e.name, slice=r.slice, n=r.n, suppressed=r.suppressed))
    return list(seen.values())


def build_results(evaluations: list[Evaluation], seed: int = 0) -> AnalysisResults:
    """A results file's model for ``evaluations`` (one evaluation: the single-mapping form)."""
    rng = random.Random(seed)
    rows: list[ResultRow] = []
    disparities: list[Disparity] = []
    gates: list[GateResult] = []
    slices: list[SliceCounts] = []
    for e in evaluations:
        mine = _rows(e, rng)
        rows += mine
        mine_disparities = _disparities(e, mine)
        disparities += mine_disparities
        gates += _gates(e, mine_disparities)
        slices += _counts(e, mine)
    single = evaluations[0].name is None
    listed = None if single else [EvaluationResults(name=e.name or "", task=e.task, provenance=_provenance(),
                                                    settings=_settings(e)) for e in evaluations]
    provenance = _provenance()
    if not single:
        provenance = provenance.model_copy(update={"data_path": None, "data_sha256": None, "bytes": None})
    return AnalysisResults(provenance=provenance, settings=_settings(evaluations[0]) if single else None,
                           evaluations=listed, slices=slices, results=rows, disparities=disparities, gates=gates,
                           unobserved=[])


def card_text(name: str) -> str:
    datasets, evaluations = CARDS[name]
    refs = "\n".join(f"    - {d}" for d in datasets)
    head = HEAD.format(name=f"Export model: {name}", datasets=refs)
    if evaluations[0].name is None:
        qa = "quantitative_analyses:\n" + evaluations[0].spec
    else:
        qa = "quantitative_analyses:\n" + "".join(e.spec for e in evaluations)
    return head + qa + TAIL


def write_card(folder: Path, name: str) -> Path:
    """The card ``name`` of :data:`CARDS` and its results file, in ``folder``."""
    card = folder / f"{name}.model-card.yaml"
    card.write_text(card_text(name))
    (folder / "sales.datasheet.yaml").write_text(SALES_DATASHEET)
    (folder / f"{name}.model-card.results.json").write_text(dumps(build_results(CARDS[name][1])))
    return card
