"""Field docstrings are attached when read, not when the models are built: validating a card
parses no source, and what is attached is exactly what Pydantic's own docstring reading gives."""

from __future__ import annotations

import inspect
import subprocess
import sys

from pydantic._internal._docs_extraction import extract_docstrings_from_cls

from cardwright.schema import datasheet, model_card, results  # noqa: F401  (every model defined)
from cardwright.schema.docs import _models, documented


def test_every_models_descriptions_equal_pydantics_own_docstring_reading():
    models = _models()
    assert len(models) > 60
    for model in models:
        documented(model)
        for klass in reversed(model.__mro__):
            if klass.__module__.startswith("cardwright.schema"):
                for name, doc in extract_docstrings_from_cls(klass).items():  # the oracle: pydantic's reader
                    if name in model.model_fields and name in inspect.get_annotations(klass):
                        own = next(c for c in model.__mro__ if name in inspect.get_annotations(c))
                        if own is klass:
                            assert model.model_fields[name].description == doc, (model.__name__, name)


def test_validating_a_card_parses_no_source_and_a_schema_describes_every_field():
    code = (
        "import cardwright\n"
        "from cardwright.schema import docs\n"
        "from cardwright.validation import validate_paths\n"
        "assert validate_paths(['examples/credit/credit.model-card.yaml'], strict=False) == []\n"
        "print(docs._module_docs.cache_info().currsize)\n"
        "from cardwright.schema.model_card import ModelCard\n"
        "props = ModelCard.model_json_schema()['$defs']['ModelDetails']['properties']\n"
        "print(props['name']['description'])\n"
    )
    from conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["0", "The model's name as readers will look for it."]
