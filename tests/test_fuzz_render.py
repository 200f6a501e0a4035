"""Fuzzing rendering: random valid cards (any text in every prose field, the name and the
factors, random results computed from random tables) render to Markdown, HTML and JSON, or fail
with a CardwrightError; never another exception, and never a raw tag from the text.

Budget: 20 examples in CI; `HYPOTHESIS_PROFILE=long` for the long run (docs/safety.md).
"""

from __future__ import annotations

import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardwright._compute.api import compute_card
from cardwright._render.api import render
from cardwright.errors import CardwrightError
from cardwright.schema.model_card import ModelCard
from test_hardening_content import prose_fields

pytestmark = pytest.mark.slow  # fuzzing: many examples per test

EXAMPLES = {"long": 1000}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 20)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROSE = prose_fields(ModelCard)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(
    ["<script>x</script>", "| a |\n|---|", "# h", "{{ x }}", "[a](javascript:x)", "![i](../x.png)", "\u202e", ""])
short = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip)


@st.composite
def cards(draw):
    data: dict = {"kind": "model-card", "schema_version": 1,
                  "model_details": {"name": draw(short), "version": draw(short)}}
    for path in draw(st.lists(st.sampled_from(PROSE), unique=True, max_size=12)):
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = draw(text)
    for section in ("intended_use", "factors", "metrics", "evaluation_data", "training_data",
                    "ethical_considerations", "caveats_and_recommendations"):
        data.setdefault(section, {})
    factor = draw(short)
    data["factors"]["evaluation_factors"] = [{"name": factor}]
    data["quantitative_analyses"] = {"data": {"path": "x.csv", "label": "y", "prediction": "p"},
                                     "factors": [factor], "metrics": ["accuracy", "recall", "count"],
                                     "confidence": {"resamples": draw(st.sampled_from([0, 5]))},
                                     "min_group_size": draw(st.integers(1, 4))}
    n = draw(st.integers(1, 30))
    frame = pd.DataFrame({"y": draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)),
                          "p": draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)),
                          factor: draw(st.lists(st.sampled_from(["a", "b", "<i>c</i>", "{{ d }}"]), min_size=n,
                                                max_size=n))})
    return ModelCard.model_validate(data), frame


@pytest.mark.filterwarnings("ignore::cardwright.errors.BlockedResourceWarning")
@FUZZ
@given(case=cards())
def test_random_valid_cards_render_or_fail_cleanly(case):
    card, frame = case
    try:
        results = compute_card(card, data=frame)
    except CardwrightError:
        results = None
    for fmt in ("md", "html", "json"):
        try:
            out = render(card, results, to=fmt)
        except CardwrightError as e:
            assert e.findings[0].message
            continue
        assert isinstance(out, str) and out
        if fmt == "html":
            assert "<script" not in out.lower() and "<i>c</i>" not in out
