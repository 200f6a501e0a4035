"""Small cards made for the workflow tests: a model card over a tiny evaluation file whose
groups can be made to differ, and copies of the shipped credit example."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from conftest import EXAMPLES

MODEL_CARD = """\
kind: model-card
schema_version: 1
status: {status}
approvals: {approvals}
model_details:
  name: Toy screening model
  version: "{version}"
  overview: A toy model that flags applications for review, made for testing card workflows.
  license: MIT
  owners:
    - name: Test Owner
      contact: owner@example.com
intended_use:
  primary_uses: Testing the workflows of cardwright.
factors:
  evaluation_factors:
    - name: group
      values: [a, b]
metrics: {{}}
evaluation_data:
  datasets:
    - name: Toy applications
      datasheet: toy.datasheet.yaml
training_data: {{}}
quantitative_analyses:
  data:
    path: eval.csv
    label: outcome
    prediction: flag
  factors: [group]
  metrics: [accuracy, false_negative_rate, selection_rate]
  confidence: {{level: 0.95, resamples: 50, seed: 0}}
  min_group_size: 10
  gates:
    - {{metric: false_negative_rate, over: [group], max_difference: 0.1}}
ethical_considerations:
  risks_and_harms: {risks}
caveats_and_recommendations: {{}}
"""

DATASHEET = """\
kind: datasheet
schema_version: 1
status: draft
dataset:
  name: Toy applications
  version: "1"
  summary: Synthetic rows for testing.
relates_to_people: false
motivation: {}
composition: {}
collection_process: {}
preprocessing: {}
uses: {}
distribution: {}
maintenance: {}
"""


def write_eval(path: Path, *, miss_b: float, seed: int = 1, n: int = 200) -> None:
    """Rows for groups ``a`` and ``b``: every positive of ``a`` is predicted, a share ``miss_b`` of
    ``b``'s positives is missed (so ``b``'s false negative rate is about ``miss_b``)."""
    rng = random.Random(seed)
    lines = ["group,outcome,flag"]
    for i in range(n):
        group = "a" if i % 2 == 0 else "b"
        y = 1 if rng.random() < 0.6 else 0
        p = y if not (group == "b" and y == 1 and rng.random() < miss_b) else 0
        lines.append(f"{group},{y},{p}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def toy_card(folder: Path, *, version: str = "1.0.0", miss_b: float = 0.0, status: str = "draft",
             approvals: str = "[]", risks: str = "Wrong flags delay applications.", seed: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_eval(folder / "eval.csv", miss_b=miss_b, seed=seed)
    (folder / "toy.datasheet.yaml").write_text(DATASHEET, encoding="utf-8")
    card = folder / "toy.model-card.yaml"
    card.write_text(MODEL_CARD.format(version=version, status=status, approvals=approvals, risks=risks),
                    encoding="utf-8")
    return card


def compute(card: Path) -> None:
    import cardwright
    from cardwright._compute.api import compute_card, write_results

    loaded = cardwright.load(card)
    write_results(loaded, compute_card(loaded))


def credit_copy(tmp: Path) -> Path:
    """A copy of examples/credit (cards, results and data) in ``tmp``; returns its folder."""
    target = tmp / "credit"
    shutil.copytree(EXAMPLES / "credit", target, ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.pdf"))
    return target
