"""Fuzzing the card loader: arbitrary bytes and arbitrary YAML documents end in a card or a
CardwrightError with located findings, never another exception.

Budget: 60 examples per test in CI.  The long run (docs/safety.md) is
`HYPOTHESIS_PROFILE=long pytest tests/test_fuzz_*.py -p no:randomly --hypothesis-show-statistics`.
"""

from __future__ import annotations

import os
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cardwright
from cardwright.errors import CardwrightError

pytestmark = pytest.mark.slow  # fuzzing: many examples per test

EXAMPLES = {"long": 3000}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 60)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])

VALID = (
    b"kind: model-card\nschema_version: 1\nmodel_details:\n  name: M\n  version: '1'\nintended_use: {}\n"
    b"factors: {}\nmetrics: {}\nevaluation_data: {}\ntraining_data: {}\nethical_considerations: {}\n"
    b"caveats_and_recommendations: {}\n"
)
SECTIONS = ["kind", "schema_version", "model_details", "intended_use", "factors", "metrics", "evaluation_data",
            "training_data", "quantitative_analyses", "ethical_considerations", "caveats_and_recommendations",
            "name", "version", "data", "path", "label", "dataset", "relates_to_people", "extensions"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.sampled_from(["model-card", "datasheet", 1, "1.10", "no", "2024-13-45", "<script>"]))
keys = st.one_of(st.sampled_from(SECTIONS), st.text(string.ascii_letters + "_$<", min_size=1, max_size=12))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(keys, inner, max_size=6)), max_leaves=30)


def load_or_error(path):
    try:
        card = cardwright.load(path)
    except CardwrightError as e:
        assert e.findings and all(f.path and f.message for f in e.findings)
        return None
    assert card.kind in ("model-card", "datasheet")
    return card


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_load_or_fail_cleanly(tmp_path, data):
    path = tmp_path / "card.yaml"
    path.write_bytes(data)
    load_or_error(path)
    assert path.read_bytes() == data  # reading never modifies a card


@FUZZ
@given(data=st.binary(max_size=200), at=st.integers(0, len(VALID)))
def test_a_valid_card_with_bytes_spliced_in_loads_or_fails_cleanly(tmp_path, data, at):
    path = tmp_path / "card.yaml"
    path.write_bytes(VALID[:at] + data + VALID[at:])
    load_or_error(path)


@FUZZ
@given(doc=documents, base=st.booleans())
def test_arbitrary_yaml_documents_load_or_fail_cleanly(tmp_path, doc, base):
    if base and isinstance(doc, dict):
        doc = {**yaml.safe_load(VALID), **doc}
    path = tmp_path / "card.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    load_or_error(path)
    findings = cardwright.validate(str(path), strict=True)
    assert all(f.code and f.path for f in findings)
