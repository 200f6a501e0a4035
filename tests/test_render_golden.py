"""Golden files: every format of the example cards, compared byte for byte.

When a change to the output is intended, run ``pytest tests/test_render_golden.py --update-golden``
and review the diff of ``tests/golden/`` like any other change.
"""

from __future__ import annotations

import pytest

from cardwright._render.api import render
from render_helpers import GOLDEN, example, hostile, loan, loan_results

CASES = [
    ("loan.model-card", "md"), ("loan.model-card", "html"), ("loan.model-card", "json"),
    ("hostile.model-card", "md"), ("hostile.model-card", "html"),
    ("credit.model-card", "md"), ("credit.model-card", "html"),
    ("credit.datasheet", "md"), ("credit.datasheet", "html"), ("credit.datasheet", "json"),
]  # fmt: skip


def _render(name: str, fmt: str) -> str:
    if name == "loan.model-card":
        return render(loan(), loan_results(), to=fmt)
    if name == "hostile.model-card":
        return render(hostile(), to=fmt)
    card, results = example(name.split(".", 1)[1])
    return render(card, results, to=fmt)


@pytest.fixture(autouse=True)
def _no_build_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_render_matches_golden(name, fmt, pinned):
    pinned(GOLDEN / f"{name}.{fmt}", _render(name, fmt))


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_same_inputs_same_bytes(fmt):
    card, results = example("model-card")
    assert render(card, results, to=fmt) == render(card, results, to=fmt)


def test_dates_only_from_the_card_or_source_date_epoch(monkeypatch):
    html = render(loan(), loan_results(), to="html")
    assert "Rendered by cardwright" in html and " on 20" not in html.split("Rendered by cardwright")[1][:40]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    stamped = render(loan(), loan_results(), to="html")
    assert "on 2026-01-01T00:00:00Z." in stamped
