"""The view-model: every field of a card reaches the page, in schema order, gaps marked."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from cardwright._render.api import render
from cardwright._render.fields import MISSING
from cardwright._render.labels import Labels
from cardwright._render.text import humanize
from cardwright._render.view import SECTION_BLOCKS, build_view
from cardwright.schema._base import ProseKind
from render_helpers import example, hostile, loan, loan_results, loan_results_model


def _leaf_values(model: BaseModel, prefix: str = "") -> list[tuple[str, str]]:
    """Every non-empty text or number in a card, with its dotted location."""
    out = []
    for key in type(model).model_fields:
        value = getattr(model, key)
        here = f"{prefix}{key}"
        if isinstance(value, BaseModel):
            out += _leaf_values(value, here + ".")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, BaseModel):
                    out += _leaf_values(v, f"{here}.{i}.")
                elif v not in (None, ""):
                    out.append((f"{here}.{i}", str(v)))
        elif isinstance(value, str | int | float) and not isinstance(value, bool) and value != "":
            out.append((here, str(value)))
    return out


def test_sections_follow_mitchell_order_and_optional_empty_ones_are_left_out():
    view = build_view(loan(), loan_results_model())
    assert [s.key for s in view.sections] == [
        "model_details", "intended_use", "factors", "metrics", "evaluation_data", "training_data",
        "quantitative_analyses", "ethical_considerations", "caveats_and_recommendations", "extensions",
    ]  # fmt: skip
    assert [s.number for s in view.sections][:9] == [str(i) for i in range(1, 10)]
    assert "privacy" not in view.section  # optional and absent


def test_datasheet_sections_follow_gebru_order():
    sheet, results = example("datasheet")
    keys = [s.key for s in build_view(sheet, results).sections]
    gebru = ["motivation", "composition", "collection_process", "preprocessing", "uses", "distribution", "maintenance"]
    assert [k for k in keys if k in gebru] == gebru
    assert keys[0] == "dataset"


def test_required_but_empty_prose_is_marked_with_its_guidance():
    view = build_view(loan())
    field = next(f for f in view.section["model_details"].fields if f.key == "training_details")
    assert (field.kind, field.value) == ("missing", MISSING)
    assert field.guidance.startswith("Training algorithms")
    md = render(loan(), to="md")
    assert "### Training details\n\n**\\[More information needed\\]** <!-- To answer: Training algorithms" in md


def test_optional_empty_prose_is_left_out():
    view = build_view(loan())
    keys = [f.key for f in view.section["model_details"].fields]
    assert "version_notes" not in keys  # OptionalProse, empty
    assert "training_details" in keys  # Prose, empty: marked


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("which", ["loan", "example"])
def test_no_field_of_the_card_is_silently_dropped(fmt, which):
    import html as html_lib

    c = loan() if which == "loan" else example("model-card")[0]
    text = render(c, to=fmt)
    # a computed factor's values are shown by the names the card gives them (`labels:`)
    labels = Labels.of(c.quantitative_analyses.factors) if c.quantitative_analyses else Labels()
    shown = {f"factors.{part}.{i}.values.{j}": labels.value(ref.name, v)
             for part in ("relevant_factors", "evaluation_factors") for i, ref in enumerate(getattr(c.factors, part))
             for j, v in enumerate(ref.values) if ref.name in labels.factors}
    if fmt == "html":
        text = html_lib.unescape(text)
    missing = []
    for loc, value in _leaf_values(c):
        if loc.endswith("schema_version") or loc == "kind":
            continue
        value = shown.get(loc, value)
        probe = " ".join(value.split())[:40]
        words = [w for w in probe.replace("\\", "").split() if w.isalnum()][:3]
        text_norm = text.replace("\\", "") if fmt == "md" else text
        if words and not all(w in text_norm for w in words):
            missing.append((loc, probe))
    assert missing == []


def test_every_schema_section_has_a_named_block():
    from cardwright.schema.datasheet import Datasheet
    from cardwright.schema.model_card import ModelCard

    meta = {"schema_ref", "kind", "schema_version", "status", "extensions_schema", "relates_to_people"}
    for cls in (ModelCard, Datasheet):
        for key in cls.model_fields:
            if key not in meta:
                assert key in SECTION_BLOCKS, f"{cls.__name__}.{key} has no block in the base templates"


def test_prose_fields_are_found_through_their_prose_marker():
    from cardwright.schema.model_card import IntendedUse

    info = IntendedUse.model_fields["primary_uses"]
    assert any(isinstance(m, ProseKind) for m in info.metadata)
    view = build_view(loan())
    kinds = {f.key: f.kind for f in view.section["intended_use"].fields}
    assert kinds == {"primary_uses": "prose", "primary_users": "prose", "out_of_scope_uses": "prose"}


def test_humanized_titles():
    assert humanize("false_positive_rate") == "False positive rate"
    assert humanize("roc_auc") == "ROC AUC"
    assert humanize("data_sha256") == "Data SHA-256"


def test_one_spelling_in_titles():
    # field names keep their spelling; what a reader sees is British throughout
    assert humanize("license") == "Licence"
    assert humanize("organization") == "Organisation"
    for fmt in ("md", "html"):
        text = render(example("model-card")[0], to=fmt)
        assert "License" not in text.replace("LicenseRef", "") and "Organization" not in text
        assert "Licence" in text


def test_contents_number_each_section_once():
    view = build_view(loan())
    labels = [e.label for e in view.toc]
    assert "1. Model details" in labels and not any(label.startswith(("1. 1.", "3. 1.")) for label in labels)
    md = render(loan(), to="md")
    toc = md.split("## Contents", 1)[1].split("\n## ", 1)[0]
    assert "- [1. Model details](#1-model-details)" in toc and "1. [1." not in toc
    html = render(loan(), to="html")
    nav = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert "<ol" not in nav and ">1. Model details</a>" in nav


def test_section_guidance_is_never_printed_as_content():
    from cardwright.schema.model_card import ModelDetails

    guidance = " ".join((ModelDetails.__doc__ or "").split())[:40]
    assert guidance.startswith("Basic facts about the model")
    for fmt in ("md", "html"):
        assert "Basic facts about the model" not in render(example("model-card")[0], to=fmt)


def test_the_cover_names_title_version_status_owners_and_date():
    view = build_view(example("model-card")[0])
    assert (view.title, view.version, view.status, view.date) == (
        "Fernhill personal-loan pre-screening model", "3.1.0", "approved", "2024-09-01")
    assert view.owners == ["Amara Chen"] and view.licence == "Apache-2.0"
    assert view.summary_line.startswith("Estimates the probability") and view.summary_line.endswith("months.")


def test_header_facts_come_from_the_card():
    view = build_view(hostile())
    assert (view.title, view.version, view.status) == ("Hostile <script>alert('name')</script> model", "1.0", "draft")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_datasheet_lists_the_model_cards_that_use_it(fmt):
    sheet, results = example("datasheet")
    text = render(sheet, results, to=fmt, used_by=[{"title": "Loan pre-screen", "href": "loan.html"}])
    assert "Used by" in text
    assert ("[Loan pre-screen](loan.html)" if fmt == "md" else '<a href="loan.html">Loan pre-screen</a>') in text
    assert "Used by" not in render(sheet, results, to=fmt)


def test_a_model_card_links_its_datasheet_with_key_facts():
    md = render(loan(), loan_results(), to="md")
    block = md.split("## Datasheets", 1)[1].split("\n## ", 1)[0]
    assert "**[Loan applications 2025](loan.datasheet.yaml)** (evaluation data; `loan.datasheet.yaml`)" in block
    for fact in ("Version: 2025.1", "Licence: CC-BY-4.0", "Status: approved", "Relates to people: yes"):
        assert fact in block
    linked = render(loan(), loan_results(), to="md", datasheet_links={"loan.datasheet.yaml": "loan-data.html"})
    assert "[Loan applications 2025](loan-data.html)" in linked
