"""The filter language's parser: every construct, precedence, escapes, the offsets of syntax
errors and their hints, and that writing a tree back as text parses to the same tree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardwright.schema.filter_syntax import (
    MAX_DEPTH,
    Column,
    Comparison,
    FilterSyntaxError,
    Literal,
    Logical,
    Membership,
    Missing,
    Not,
    columns,
    parse,
    quote_name,
    to_text,
    tokenize,
)


def shape(expr):
    """The tree without positions, for comparing parses."""
    if isinstance(expr, Comparison):
        return ("cmp", expr.column.name, expr.op, expr.value.value, type(expr.value.value).__name__)
    if isinstance(expr, Membership):
        return ("in", expr.column.name, expr.negated, tuple((v.value, type(v.value).__name__) for v in expr.values))
    if isinstance(expr, Missing):
        return ("missing", expr.column.name, expr.negated)
    if isinstance(expr, Not):
        return ("not", shape(expr.operand))
    return (expr.op, tuple(shape(e) for e in expr.operands))


@pytest.mark.parametrize(("text", "expected"), [
    ("age >= 18", ("cmp", "age", ">=", 18, "int")),
    ("age == -30", ("cmp", "age", "==", -30, "int")),
    ("x != 2.5", ("cmp", "x", "!=", 2.5, "float")),
    ("x < .5e3", ("cmp", "x", "<", 500.0, "float")),
    ("x <= 5.", ("cmp", "x", "<=", 5.0, "float")),
    ("x > 1E-2", ("cmp", "x", ">", 0.01, "float")),
    ('c == "O"', ("cmp", "c", "==", "O", "str")),
    ("c == 'O'", ("cmp", "c", "==", "O", "str")),
    ("flag == true", ("cmp", "flag", "==", True, "bool")),
    ("flag != FALSE", ("cmp", "flag", "!=", False, "bool")),
    ("r in [1, 2, 3]", ("in", "r", False, ((1, "int"), (2, "int"), (3, "int")))),
    ("r not in ['a', \"b\",]", ("in", "r", True, (("a", "str"), ("b", "str")))),
    ("r IN [true]", ("in", "r", False, ((True, "bool"),))),
    ("r in [1, 2.5]", ("in", "r", False, ((1, "int"), (2.5, "float")))),
    ("x is missing", ("missing", "x", False)),
    ("x IS NOT MISSING", ("missing", "x", True)),
    ("`my column` == 1", ("cmp", "my column", "==", 1, "int")),
    ("`in` == 1", ("cmp", "in", "==", 1, "int")),
    ("`a\\`b\\\\c` == 1", ("cmp", "a`b\\c", "==", 1, "int")),
    ("a.b == 1", ("cmp", "a.b", "==", 1, "int")),
    ("âge_2 == 1", ("cmp", "âge_2", "==", 1, "int")),
    ('s == "say \\"hi\\" \\\\ \\n\\t\\r"', ("cmp", "s", "==", 'say "hi" \\ \n\t\r', "str")),
    ("s == 'it\\'s'", ("cmp", "s", "==", "it's", "str")),
    ('s == "\\u00e9\\U0001F600"', ("cmp", "s", "==", "é😀", "str")),
    ('s == "日本; DROP TABLE t; --"', ("cmp", "s", "==", "日本; DROP TABLE t; --", "str")),
    ("x>-30", ("cmp", "x", ">", -30, "int")),
    ("x == 9223372036854775807", ("cmp", "x", "==", 2**63 - 1, "int")),
])
def test_every_test_construct(text, expected):
    assert shape(parse(text)) == expected


def test_precedence_not_binds_tighter_than_and_than_or():
    assert shape(parse("not a == 1 and b == 2 or c == 3")) == (
        "or", (("and", (("not", ("cmp", "a", "==", 1, "int")), ("cmp", "b", "==", 2, "int"))),
               ("cmp", "c", "==", 3, "int")))
    assert shape(parse("a == 1 or b == 2 and c == 3")) == (
        "or", (("cmp", "a", "==", 1, "int"), ("and", (("cmp", "b", "==", 2, "int"), ("cmp", "c", "==", 3, "int")))))
    assert shape(parse("(a == 1 or b == 2) and not (c == 3)")) == (
        "and", (("or", (("cmp", "a", "==", 1, "int"), ("cmp", "b", "==", 2, "int"))),
                ("not", ("cmp", "c", "==", 3, "int"))))
    assert shape(parse("not not a is missing")) == ("not", ("not", ("missing", "a", False)))
    # chains flatten: one node per operator run
    assert len(parse("a == 1 and b == 2 and c == 3").operands) == 3


def test_keywords_are_case_insensitive_and_whitespace_is_free():
    assert shape(parse("a==1 AND\tb==2\nOr NOT c Is Not Missing")) == shape(
        parse("a == 1 and b == 2 or not c is not missing"))


def test_positions_of_nodes():
    expr = parse('age >= 18 and `race x` in ["a", "b"]')
    left, right = expr.operands
    assert (left.column.start, left.column.end) == (0, 3)
    assert (left.value.start, left.value.end) == (7, 9)
    assert (right.column.start, right.column.end) == (14, 22)
    assert [(v.start, v.end) for v in right.values] == [(27, 30), (32, 35)]
    assert columns(expr) == ["age", "race x"]


@pytest.mark.parametrize(("text", "offset", "message", "hint"), [
    ("", 0, "the filter is empty", "write a condition such as `age >= 18`, or remove `filter:`"),
    ("x = 1", 2, "`=` is not a comparison", "compare with `==`"),
    ("x <> 1", 2, "`<>` is not a comparison", "write `!=` for 'not equal'"),
    ("a == 1 && b == 2", 7, "`&&` is not an operator", "write `and`"),
    ("a == 1 || b == 2", 7, "`||` is not an operator", "write `or`"),
    ("!a == 1", 0, "`!` is not an operator", "write `not`"),
    ("x == ", 5, "expected a value after `==`, found the end of the filter",
     "compare with a number, a quoted text or true/false, e.g. `age >= 18`"),
    ("my col == 1", 3, "expected a comparison after the column `my`, found `col`",
     "a column name with spaces must be in backticks: `my col`"),
    ("(a == 1", 0, "this `(` is never closed", "add the `)` that closes it"),
    ("a == 1)", 6, "this `)` has no matching `(`", "remove it, or add the `(` it closes"),
    ('a == "x', 5, "this quote is never closed", 'end the quoted text with "'),
    ("`a == 1", 0, "this backtick is never closed", "end the quoted name with `"),
    ("a in []", 6, "the list is empty", "list at least one value (an empty list would never match)"),
    ("a in [1, 2", 5, "this `[` is never closed", "add the `]` that closes the list"),
    ("a in [1 2]", 8, "expected `,` or `]` in the list, found `2`", "separate the values with commas"),
    ('a in [1, "b"]', 9, "the list mixes number and text values",
     "list values of one kind: all numbers, all quoted texts or all true/false"),
    ("a in 1", 5, "expected `[` after `in`, found `1`", "write the values as a list: in [1, 2]"),
    ("a < true", 4, "true and false cannot be compared with `<`", "compare booleans with == or !="),
    ("a == null", 5, "`null` is not a value", "ask for missing values with `column is missing`"),
    ("a != None", 5, "`None` is not a value", "ask for missing values with `column is not missing`"),
    ("a == b", 5, "expected a value after `==`, found the name `b`",
     'quote text values: "b"; comparing two columns is not supported'),
    ("30 > a", 0, "expected a column name, found the value `30`",
     "put the column first and the value second, e.g. `age >= 18`"),
    ("missing == 1", 0, "`missing` is a keyword, not a column name",
     "put a column called missing in backticks: `missing`"),
    ("a is null", 5, "expected `missing` after `is`, found `null`",
     "write `column is missing` or `column is not missing`; compare values with == or !="),
    ("a not == 1", 6, "expected `in` after `not`, found `==`",
     "write `column not in [a, b]`, or `not` before the whole test"),
    ("a == 1 b == 2", 7, "expected `and`, `or` or the end of the filter, found `b`",
     "join conditions with `and` or `or`; put a column name with spaces in backticks"),
    ('a == "\\q"', 6, "unknown escape `\\q` in a quoted text",
     "the escapes are \\\\, \\\", \\', \\n, \\t, \\r, \\uXXXX and \\UXXXXXXXX; write a backslash as \\\\"),
    ('a == "\\u12"', 6, "`\\u` needs 4 hexadecimal digits", "e.g. \\u00e9 for é"),
    ('a == "\\ud800"', 6, "`\\ud800` is not a Unicode character",
     "use a code point outside the surrogate range D800–DFFF, at most 10FFFF"),
    ("`` == 1", 0, "a column name in backticks cannot be empty", "write the name between the backticks"),
    ("a == 30abc", 5, "'30abc' is neither a number nor a column name",
     "a column name that starts with a digit must be in backticks, e.g. `2nd_score`"),
    ("a == 9223372036854775808", 5, "the number 9223372036854775808 is too large",
     "whole numbers must lie between -2^63 and 2^63-1; write it with a decimal point to compare as a "
     "floating-point number"),
    ("a == 1e999", 5, "the number 1e999 is too large", "write a finite number"),
    ("a == 1 -- comment", 7, "unexpected character '-'",
     "a minus sign belongs directly before a number (-30); put a column name with '-' in backticks"),
    ("a == 1; drop", 6, "unexpected character ';'",
     "quote text values with \" or ', and put column names with other characters in backticks"),
])
def test_syntax_errors_say_where_and_what_to_write(text, offset, message, hint):
    with pytest.raises(FilterSyntaxError) as info:
        parse(text)
    assert (info.value.offset, info.value.message, info.value.hint) == (offset, message, hint)


def test_nesting_is_limited():
    assert shape(parse("(" * (MAX_DEPTH - 1) + "a == 1" + ")" * (MAX_DEPTH - 1)))[0] == "cmp"
    with pytest.raises(FilterSyntaxError, match="nests deeper"):
        parse("(" * (MAX_DEPTH + 1) + "a == 1" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(FilterSyntaxError, match="nests deeper"):
        parse("not " * (MAX_DEPTH + 1) + "a == 1")


def test_tokens_keep_their_text_and_positions():
    tokens = tokenize("`a b` >= -1.5 AND c in ['x']")
    assert [(t.kind, t.text, t.start, t.end) for t in tokens] == [
        ("quoted-name", "`a b`", 0, 5), ("op", ">=", 6, 8), ("number", "-1.5", 9, 13), ("keyword", "and", 14, 17),
        ("name", "c", 18, 19), ("keyword", "in", 20, 22), ("punct", "[", 23, 24), ("string", "'x'", 24, 27),
        ("punct", "]", 27, 28), ("end", "", 28, 28)]


# -- round trip: any tree written as text parses back to itself ------------------------------------
names = st.one_of(st.sampled_from(["a", "b_2", "x.y", "in", "Missing", "my col", "a`b", "x\\y", "é", "1st"]),
                  st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6))
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
numbers = st.one_of(st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False, allow_infinity=False))
literals = st.one_of(numbers, texts, st.booleans())


@st.composite
def leaves(draw):
    column = Column(draw(names), 0, 0)
    kind = draw(st.sampled_from(["cmp", "in", "missing"]))
    if kind == "missing":
        return Missing(column, draw(st.booleans()))
    if kind == "cmp":
        value = draw(literals)
        ops = ["==", "!="] if isinstance(value, bool) else ["==", "!=", "<", "<=", ">", ">="]
        return Comparison(column, draw(st.sampled_from(ops)), Literal(value, 0, 0))
    pool = draw(st.sampled_from([numbers, texts, st.booleans()]))
    values = draw(st.lists(pool, min_size=1, max_size=3))
    return Membership(column, tuple(Literal(v, 0, 0) for v in values), draw(st.booleans()))


trees = st.recursive(leaves(), lambda inner: st.one_of(
    inner.map(lambda e: Not(e, 0)),
    st.tuples(st.sampled_from(["and", "or"]), st.lists(inner, min_size=2, max_size=3)).map(
        lambda t: Logical(t[0], tuple(t[1])))), max_leaves=6)


def _normal(expr):
    """Flatten nested runs of one operator, as the parser does."""
    if isinstance(expr, Not):
        return Not(_normal(expr.operand), 0)
    if isinstance(expr, Logical):
        out = []
        for e in map(_normal, expr.operands):
            out += list(e.operands) if isinstance(e, Logical) and e.op == expr.op else [e]
        return Logical(expr.op, tuple(out))
    return expr


@settings(max_examples=200, deadline=None)
@given(trees)
def test_any_tree_written_as_text_parses_back(expr):
    assert shape(parse(to_text(expr))) == shape(_normal(expr))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_the_parser_never_fails_other_than_with_a_syntax_error(text):
    try:
        parse(text)
    except FilterSyntaxError as e:
        assert 0 <= e.offset <= len(text) and e.message


def test_names_that_need_backticks_get_them():
    assert [quote_name(n) for n in ["age", "my col", "and", "2nd", "a`b"]] == [
        "age", "`my col`", "`and`", "`2nd`", "`a\\`b`"]
