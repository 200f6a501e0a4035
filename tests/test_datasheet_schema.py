"""The datasheet schema: every Gebru et al. question in order, the people-only rule, typo protection."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from cardwright.schema._base import ProseKind
from cardwright.schema.datasheet import (
    PEOPLE_QUESTIONS,
    SECTIONS,
    Datasheet,
    is_not_applicable,
    people_question_findings,
)

# Gebru et al. (CACM 2021), the keys of card-standards.md part B, in the paper's order.
EXPECTED: dict[str, list[str]] = {
    "motivation": ["purpose", "creators", "funding", "other_comments"],
    "composition": [
        "instance_types",
        "instance_count",
        "sampling_scope",
        "instance_contents",
        "labels",
        "missing_information",
        "instance_relationships",
        "recommended_splits",
        "errors_noise_redundancy",
        "external_dependencies",
        "confidential_data",
        "offensive_content",
        "subpopulations",
        "reidentification_risk",
        "sensitive_data",
        "other_comments",
    ],
    "collection_process": [
        "acquisition_method",
        "collection_mechanisms",
        "sampling_strategy",
        "collectors_and_compensation",
        "collection_timeframe",
        "ethical_review",
        "direct_or_third_party",
        "individuals_notified",
        "consent_obtained",
        "consent_revocation",
        "impact_analysis",
        "other_comments",
    ],
    "preprocessing": ["preprocessing_done", "raw_data_saved", "preprocessing_software", "other_comments"],
    "uses": [
        "prior_uses",
        "uses_repository",
        "other_possible_tasks",
        "future_use_risks",
        "discouraged_uses",
        "other_comments",
    ],
    "distribution": [
        "third_party_distribution",
        "distribution_method",
        "distribution_date",
        "license_terms",
        "third_party_ip_restrictions",
        "export_controls",
        "other_comments",
    ],
    "maintenance": [
        "maintainer",
        "contact",
        "erratum",
        "update_plan",
        "retention_limits",
        "older_versions",
        "contribution_mechanism",
        "other_comments",
    ],
}

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "card-standards.md"


def _base(**extra: object) -> dict[str, object]:
    sections: dict[str, object] = {key: {} for key in EXPECTED}
    return {"kind": "datasheet", "schema_version": 1, "dataset": {"name": "toy"}, **sections, **extra}


def _all_people(answer: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for section, question in PEOPLE_QUESTIONS:
        out.setdefault(section, {})[question] = answer
    return out


def test_sections_and_questions_in_gebru_order() -> None:
    assert [key for key, _ in SECTIONS] == list(EXPECTED)
    assert {key: list(model.model_fields) for key, model in SECTIONS} == EXPECTED
    assert sum(len(model.model_fields) for _, model in SECTIONS) == 57
    # the sections also appear in this order in the document itself
    fields = list(Datasheet.model_fields)
    assert [f for f in fields if f in EXPECTED] == list(EXPECTED)


@pytest.mark.skipif(not REFERENCE.exists(), reason="design reference not available outside the workspace")
def test_keys_match_the_reference_tables() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    part_b = text.split("## B.", 1)[1].split("## C.", 1)[0]
    found: dict[str, list[str]] = {}
    for block in re.split(r"\n### B\d ", part_b)[1:]:
        section = re.match(r"`(\w+)`", block).group(1)
        found[section] = re.findall(r"^\| `(\w+)` \|", block, flags=re.MULTILINE)
    assert found == EXPECTED


def test_every_question_is_prose_with_guidance() -> None:
    for _, model in SECTIONS:
        for key, info in model.model_fields.items():
            kinds = [m for m in info.metadata if isinstance(m, ProseKind)]
            assert kinds == [ProseKind(required=key != "other_comments")], key
            assert info.default is None
            assert info.description and len(info.description) > 30, key
    people = [
        (s, q)
        for s, model in SECTIONS
        for q, i in model.model_fields.items()
        if "(People only.)" in (i.description or "")
    ]
    assert people == list(PEOPLE_QUESTIONS)


def test_empty_datasheet_validates_and_descriptions_reach_the_json_schema() -> None:
    ds = Datasheet.model_validate(_base(relates_to_people=False))
    assert ds.composition.labels is None and ds.data is None
    schema = Datasheet.model_json_schema()
    composition = schema["$defs"]["Composition"]["properties"]
    assert list(composition) == EXPECTED["composition"]
    assert "label or target" in composition["labels"]["description"]
    assert schema["required"] == ["kind", "schema_version", "dataset", "relates_to_people", *EXPECTED]


def test_relates_to_people_and_every_section_are_required() -> None:
    with pytest.raises(ValidationError) as info:
        Datasheet.model_validate(_base())
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("relates_to_people",), "missing")]
    data = _base(relates_to_people=True)
    del data["uses"]
    with pytest.raises(ValidationError) as info:
        Datasheet.model_validate(data)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("uses",), "missing")]


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        (_base(relates_to_people=True, motivaton={}), ("motivaton",)),
        (_base(relates_to_people=True, composition={"lables": "yes"}), ("composition", "lables")),
        (_base(relates_to_people=True, dataset={"name": "x", "licence": "MIT"}), ("dataset", "licence")),
    ],
)
def test_unknown_keys_are_rejected(data: dict[str, object], loc: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as info:
        Datasheet.model_validate(data)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(loc, "extra_forbidden")]


def test_kind_and_schema_version_are_fixed() -> None:
    with pytest.raises(ValidationError) as info:
        Datasheet.model_validate({**_base(relates_to_people=True), "kind": "model-card", "schema_version": 2})
    assert sorted(e["loc"][0] for e in info.value.errors()) == ["kind", "schema_version"]


def test_data_block_takes_composition_settings() -> None:
    ds = Datasheet.model_validate(
        _base(relates_to_people=True, data={"path": "d.csv", "label": "y", "sensitive_attributes": ["sex"]})
    )
    assert ds.data is not None and ds.data.sensitive_attributes == ["sex"]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Not applicable", True),
        ("not applicable: the data are weather readings.", True),
        ("NOT APPLICABLE", True),
        ("N/A", True),
        ("n/a — no people", True),
        ("*Not applicable.* No individuals.", True),
        ("Notably, consent was obtained.", False),
        ("N/Ab", False),
        ("Not applicably", False),
        ("Yes, see the consent form.", False),
        ("", False),
        (None, False),
    ],
)
def test_not_applicable_answers(answer: str | None, expected: bool) -> None:
    assert is_not_applicable(answer) is expected


def test_people_data_requires_every_people_question() -> None:
    ds = Datasheet.model_validate(_base(relates_to_people=True))
    found = people_question_findings(ds)
    assert [(f.loc, f.code) for f in found] == [((s, q), "missing-answer") for s, q in PEOPLE_QUESTIONS]
    # outside --strict an unfilled scaffold passes
    assert people_question_findings(ds, strict=False) == []


def test_people_data_answered_passes_and_blank_counts_as_missing() -> None:
    answers = _all_people("Described in the collection protocol, section 3.")
    ds = Datasheet.model_validate(_base(relates_to_people=True, **answers))
    assert people_question_findings(ds) == []
    answers["composition"]["sensitive_data"] = "   \n"
    ds = Datasheet.model_validate(_base(relates_to_people=True, **answers))
    assert [(f.loc, f.code) for f in people_question_findings(ds)] == [
        (("composition", "sensitive_data"), "missing-answer")
    ]


def test_people_data_answered_not_applicable_is_flagged() -> None:
    answers = _all_people("Yes: described in the protocol.")
    answers["maintenance"]["retention_limits"] = "N/A"
    ds = Datasheet.model_validate(_base(relates_to_people=True, **answers))
    found = people_question_findings(ds, strict=False)
    assert [(f.loc, f.code) for f in found] == [(("maintenance", "retention_limits"), "not-applicable")]
    assert "relates to people" in found[0].message and "relates_to_people: false" in found[0].hint


def test_consent_revocation_may_be_not_applicable_when_no_consent_was_sought() -> None:
    answers = _all_people("Yes: described in the protocol.")
    answers["collection_process"]["consent_revocation"] = "Not applicable: consent was not the legal basis."
    ds = Datasheet.model_validate(_base(relates_to_people=True, **answers))
    assert [f.loc for f in people_question_findings(ds)] == [("collection_process", "consent_revocation")]
    answers["collection_process"]["consent_obtained"] = "No. The data are processed under a legal obligation."
    ds = Datasheet.model_validate(_base(relates_to_people=True, **answers))
    assert people_question_findings(ds) == []
    answers["collection_process"]["consent_obtained"] = "Notice was given; consent was recorded."
    ds = Datasheet.model_validate(_base(relates_to_people=True, **answers))
    assert [f.code for f in people_question_findings(ds)] == ["not-applicable"]


def test_non_people_data_needs_explicit_not_applicable() -> None:
    ds = Datasheet.model_validate(_base(relates_to_people=False))
    found = people_question_findings(ds)
    assert [(f.loc, f.code) for f in found] == [((s, q), "missing-answer") for s, q in PEOPLE_QUESTIONS]
    assert all("Not applicable" in f.hint for f in found)
    ds = Datasheet.model_validate(
        _base(relates_to_people=False, **_all_people("Not applicable: sensor data only."))
    )
    assert people_question_findings(ds) == []


def test_non_people_data_with_substantive_answer_contradicts_the_gate() -> None:
    answers = _all_people("n/a")
    answers["composition"]["subpopulations"] = "Grouped by age band."
    ds = Datasheet.model_validate(_base(relates_to_people=False, **answers))
    found = people_question_findings(ds, strict=False)
    assert [(f.loc, f.code) for f in found] == [(("composition", "subpopulations"), "invalid-value")]
