"""The compiled packaged templates are loaded by one Jinja module loader per folder for the life
of the process: Jinja puts a weak proxy of each loader's package into ``sys.modules``, so a loader
made per render and dropped would leave a dead proxy there (code that walks ``sys.modules``, such as
Hypothesis collecting constants, then fails with ``ReferenceError``) and add a package per render."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import cardwright

CARD = Path(__file__).resolve().parents[1] / "examples" / "credit" / "credit.model-card.yaml"


def _template_packages() -> list[str]:
    return sorted(name for name in sys.modules if name.startswith("_jinja2_module_templates_"))


def test_renders_reuse_one_loader_and_leave_no_dead_module_behind():
    card = cardwright.load(CARD)
    results = cardwright.results_for(card)
    cardwright.render(card, results, to="html")
    cardwright.render(card, results, to="md")
    before = _template_packages()
    assert before, "the compiled templates were not used"
    for _ in range(3):
        cardwright.render(card, results, to="html")
        cardwright.render(card, results, to="md")
        gc.collect()
    assert _template_packages() == before
    for module in list(sys.modules.values()):  # every entry alive: reading an attribute never raises
        getattr(module, "__name__", None)
