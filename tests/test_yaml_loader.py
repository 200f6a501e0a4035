"""Safe YAML loading: YAML 1.2 meaning, positions, limits, encodings."""

from __future__ import annotations

import pytest

from cardwright.errors import CardError
from cardwright.schema.yaml_loader import Limits, load_yaml, resolve_plain


def write(tmp_path, text, name="c.yaml"):
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


@pytest.mark.parametrize(
    ("text", "value"),
    [("no", "no"), ("NO", "NO"), ("on", "on"), ("yes", "yes"), ("1.10", 1.1), ("0o17", 15), ("0x1F", 31),
     ("12:30", "12:30"), ("2024-01-05", "2024-01-05"), ("~", None), ("", None), ("true", True), ("False", False),
     ("0755", 755), (".inf", float("inf")), ("1e3", 1000.0)],
)
def test_yaml_12_core_schema(text, value):
    assert resolve_plain(text) == value


def test_positions_point_at_values_and_keys(tmp_path):
    doc = load_yaml(write(tmp_path, "a:\n  b: 1\n  c:\n    - x\n    - 'y'\n"))
    assert doc.values[("a", "b")] == (2, 6)
    assert doc.keys[("a", "c")] == (3, 3)
    assert doc.values[("a", "c", 1)] == (5, 7)
    assert doc.data == {"a": {"b": 1, "c": ["x", "y"]}}


def test_source_text_of_plain_scalars_is_kept(tmp_path):
    doc = load_yaml(write(tmp_path, "version: 1.10\nquoted: '1.10'\n"))
    assert doc.data == {"version": 1.1, "quoted": "1.10"}
    assert doc.plain_text == {("version",): "1.10"}


def test_text_field_keeps_what_the_author_wrote():
    from cardwright.schema.loading import load_card

    card = load_card("tests/fixtures/valid/yaml12_scalars.model-card.yaml")
    assert card.model_details.version == "1.10"
    assert card.ethical_considerations.data == "no"
    assert str(card.model_details.date) == "2024-01-05"


def test_explicit_core_tags_are_applied(tmp_path):
    doc = load_yaml(write(tmp_path, "a: !!str 1.10\nb: !!int '7'\n"))
    assert doc.data["a"] == "1.10"


def test_anchors_expand_within_budget(tmp_path):
    doc = load_yaml(write(tmp_path, "a: &x {k: v}\nb: *x\n"))
    assert doc.data == {"a": {"k": "v"}, "b": {"k": "v"}}


def test_recursive_alias_is_refused(tmp_path):
    with pytest.raises(CardError) as e:
        load_yaml(write(tmp_path, "a: &x [1, *x]\n"), limits=Limits(max_depth=10))
    assert e.value.findings[0].code in ("yaml-alias", "yaml-depth")


def test_billion_laughs_is_refused_before_expansion(tmp_path):
    import tracemalloc

    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    prev = "a"
    for name in "bcdefghijk":
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    tracemalloc.start()
    with pytest.raises(CardError) as e:
        load_yaml(write(tmp_path, text))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert e.value.findings[0].code == "yaml-alias"
    assert peak < 20 * 1024 * 1024


def test_deep_nesting_is_refused_without_recursion(tmp_path):
    with pytest.raises(CardError) as e:
        load_yaml(write(tmp_path, "a: " + "[" * 50_000))
    f = e.value.findings[0]
    assert (f.code, f.line, f.column) == ("yaml-depth", 1, 67)


BAD_YAML = ["a: " + "[" * 50_000, "a: " + "{x: " * 2_000, "a:\n\t- b\n", "a: b: c\n", "a: 'open\n", "a: *nowhere\n",
            "- " * 1_500 + "x\n"]


@pytest.mark.parametrize("text", BAD_YAML)
def test_findings_do_not_depend_on_how_pyyaml_was_built(tmp_path, monkeypatch, text):
    """With libyaml (whose own nesting limit and wording differ) and without it, the same finding."""
    import yaml

    def finding(path):
        with pytest.raises(CardError) as e:
            load_yaml(path)
        return e.value.findings[0]

    path = write(tmp_path, text)
    with_c = finding(path)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert finding(path) == with_c


@pytest.mark.parametrize(
    ("raw", "code"),
    [(b"a: caf\xe9\n", "encoding"), ("a: 1\n".encode("utf-16-le"), "encoding"), (b"a: 1\n---\nb: 2\n", "multiple-documents"),
     (b"a: 1\na: 2\n", "duplicate-key"), (b"? [a]\n: 1\n", "yaml-syntax"), (b"a: !!binary aGk=\n", "yaml-tag"),
     (b"\t- a\n", "yaml-syntax"), (b"- 1\n", "not-a-mapping"), (b"# only\n", "empty-file")],
)
def test_bad_input_is_one_positioned_finding(tmp_path, raw, code):
    with pytest.raises(CardError) as e:
        load_yaml(write(tmp_path, raw))
    assert [f.code for f in e.value.findings] == [code]


@pytest.mark.parametrize("bom,codec", [(b"\xef\xbb\xbf", "utf-8"), (b"", "utf-16"), (b"", "utf-32")])
def test_byte_order_marks(tmp_path, bom, codec):
    doc = load_yaml(write(tmp_path, bom + "name: Café\n".encode(codec)))
    assert doc.data == {"name": "Café"}


def test_size_limit(tmp_path):
    with pytest.raises(CardError) as e:
        load_yaml(write(tmp_path, "a: " + "x" * 100), limits=Limits(max_bytes=50))
    assert e.value.findings[0].code == "file-too-large"


#: A real document for each entry of the syntax-hint table, with the hint it must get.
SYNTAX_CASES = {
    "'\\t'": ("a:\n\tb: 1\n", "YAML does not allow tabs for indentation: use spaces"),
    "mapping values are not allowed": ("a: b: c\n", "a value contains ': ' (quote it) or a key is indented wrongly"),
    "could not find expected ':'": ("a: 1\nb\nc: 2\n", "check the indentation and that each key ends with ':'"),
    "expected <block end>": ("a:\n  b: 1\n c: 2\n", "check the indentation of this line against the lines above"),
    "found unexpected end of stream": ('a: "unclosed\n', "a quote or bracket is not closed"),
    "unacceptable character": ("a: \x07\n", "remove control characters from the file"),
    "found undefined alias": ("a: *x\n", "define the anchor (&name) before using the alias (*name)"),
}


@pytest.mark.parametrize("needle", sorted(SYNTAX_CASES))
def test_pyyaml_wording_gives_each_syntax_hint(tmp_path, needle):
    """The hints are chosen by the words of PyYAML's problem: a PyYAML release that rewords one
    fails here rather than leaving users without the hint."""
    text, hint = SYNTAX_CASES[needle]
    with pytest.raises(CardError) as e:
        load_yaml(write(tmp_path, text))
    [finding] = e.value.findings
    assert finding.code == "yaml-syntax"
    assert needle.replace("\\t", "\t") in finding.message.replace("\\t", "\t") and finding.hint == hint, finding.format()


def test_every_syntax_hint_has_a_real_document():
    from cardwright.schema.yaml_loader import _SYNTAX_HINTS

    assert dict(_SYNTAX_HINTS) == {needle: hint for needle, (_, hint) in SYNTAX_CASES.items()}


def _chained_model(fields: int) -> type:
    """A model whose text fields report "not text" one per validation round: a field's error is
    only a `string_type` (which the loader fixes from the source text) once the field before it
    validated; until then it is another error."""
    from pydantic import ValidationInfo, create_model, field_validator
    from pydantic_core import PydanticCustomError

    from cardwright.schema._base import Section

    names = [f"f{i}" for i in range(fields)]

    def check(cls: type, value: object, info: ValidationInfo) -> object:  # noqa: ARG001 - pydantic calls it with the class
        i = names.index(info.field_name)
        if i and names[i - 1] not in info.data:
            raise PydanticCustomError("blocked", "the field before this one is invalid")
        if not isinstance(value, str):
            raise PydanticCustomError("string_type", "Input should be a valid string")
        return value

    validators = {"check": field_validator(*names, mode="before")(check)}
    return create_model("Chained", __base__=Section, __validators__=validators, **{n: (str, ...) for n in names})


def test_text_fixes_take_as_many_rounds_as_needed(tmp_path):
    """Twelve fields that become text one per round: the card validates, whatever the number."""
    from cardwright.schema.loading import _validate

    doc = load_yaml(write(tmp_path, "".join(f"f{i}: {i}.10\n" for i in range(12))))
    card, findings = _validate(doc, _chained_model(12))
    assert findings == [] and card is not None
    assert [getattr(card, f"f{i}") for i in range(12)] == [f"{i}.10" for i in range(12)]


def test_an_invalid_card_always_comes_with_findings(tmp_path):
    """When the fixes run out, what is left is reported: never an invalid card without a finding."""
    from cardwright.schema.loading import _validate

    doc = load_yaml(write(tmp_path, "f0: 1.5\nf1: [not, text]\nf2: 3.5\n"))
    card, findings = _validate(doc, _chained_model(3))
    assert card is None
    assert [(f.code, f.loc) for f in findings] == [("wrong-type", ("f1",)), ("invalid-value", ("f2",))]
