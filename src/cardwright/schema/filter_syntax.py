"""The filter language of a card's `filter:` key: tokens, syntax tree and parser.

A filter keeps the rows for which it is true::

    days_b_screening_arrest <= 30 and days_b_screening_arrest >= -30 and c_charge_degree != "O"

Grammar (keywords are case-insensitive; ``not`` binds tighter than ``and``, ``and`` tighter
than ``or``)::

    filter     := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" or ")" | test
    test       := column ( op value | ["not"] "in" "[" value ("," value)* [","] "]"
                         | "is" ["not"] "missing" )
    op         := "==" | "!=" | "<" | "<=" | ">" | ">="
    value      := number | string | "true" | "false"
    column     := name | `backticked name`

Nothing here evaluates anything: the tree is compiled to each engine by
:mod:`cardwright._compute.filtering`.  Every node records where it was written (character
offsets into the expression), so problems point at the token.  Pure Python, no imports beyond the
standard library: the schema checks a filter's syntax when a card is validated.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal as TypingLiteral

Value = bool | int | float | str
ValueKind = TypingLiteral["number", "text", "boolean"]
Op = TypingLiteral["==", "!=", "<", "<=", ">", ">="]

KEYWORDS = ("and", "or", "not", "in", "is", "missing", "true", "false")
MAX_DEPTH = 64
"""Deepest nesting of parentheses and ``not`` a filter may have."""
INT64 = (-(2**63), 2**63 - 1)

_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "`": "`", "n": "\n", "t": "\t", "r": "\r"}
_MISSPELT = {
    "=": ("`=` is not a comparison", "compare with `==`"),
    "<>": ("`<>` is not a comparison", "write `!=` for 'not equal'"),
    "!": ("`!` is not an operator", "write `not`"),
    "&&": ("`&&` is not an operator", "write `and`"),
    "&": ("`&` is not an operator", "write `and`"),
    "||": ("`||` is not an operator", "write `or`"),
    "|": ("`|` is not an operator", "write `or`"),
}
_NULL_WORDS = ("null", "none", "nan", "na")


class FilterSyntaxError(ValueError):
    """A filter that cannot be parsed: what is wrong, where (a character offset into the
    expression) and what to write instead."""

    def __init__(self, message: str, offset: int, hint: str | None = None):
        super().__init__(f"{message} (character {offset + 1})")
        self.message = message
        self.offset = offset
        self.hint = hint


# -- syntax tree ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column named in the filter."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Literal:
    """A number, a quoted text or a boolean."""

    value: Value
    start: int
    end: int

    @property
    def kind(self) -> ValueKind:
        if isinstance(self.value, bool):
            return "boolean"
        return "text" if isinstance(self.value, str) else "number"


@dataclass(frozen=True)
class Comparison:
    """``column op value``."""

    column: Column
    op: Op
    value: Literal


@dataclass(frozen=True)
class Membership:
    """``column in [values]`` (``negated``: ``not in``)."""

    column: Column
    values: tuple[Literal, ...]
    negated: bool

    @property
    def kind(self) -> ValueKind:
        return self.values[0].kind


@dataclass(frozen=True)
class Missing:
    """``column is missing`` (``negated``: ``is not missing``)."""

    column: Column
    negated: bool


@dataclass(frozen=True)
class Not:
    operand: Expr
    start: int


@dataclass(frozen=True)
class Logical:
    """Two or more operands joined by one operator (``a and b and c`` is one node)."""

    op: TypingLiteral["and", "or"]
    operands: tuple[Expr, ...]


Test = Comparison | Membership | Missing
Expr = Comparison | Membership | Missing | Not | Logical


def tests(expr: Expr) -> list[Test]:
    """Every comparison, membership and missing-value test, in the order written."""
    if isinstance(expr, Not):
        return tests(expr.operand)
    if isinstance(expr, Logical):
        return [t for e in expr.operands for t in tests(e)]
    return [expr]


def columns(expr: Expr) -> list[str]:
    """The columns a filter reads, each once, in the order first written."""
    return list(dict.fromkeys(t.column.name for t in tests(expr)))


# -- tokens ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: TypingLiteral["name", "quoted-name", "string", "number", "op", "punct", "keyword", "end"]
    text: str
    """The token as written (keywords in lower case)."""
    value: Value
    start: int
    end: int


def _is_name_start(ch: str) -> bool:
    return ch == "_" or ch.isalpha()


def _is_name_char(ch: str) -> bool:
    return ch in "_." or ch.isalnum()


def _quoted(text: str, start: int, quote: str) -> tuple[str, int]:
    """The text of a quoted string or name starting at ``start`` and where it ends."""
    out: list[str] = []
    i = start + 1
    what = "name" if quote == "`" else "text"
    while i < len(text):
        ch = text[i]
        if ch == quote:
            return "".join(out), i + 1
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        code = text[i + 1] if i + 1 < len(text) else ""
        if code in _ESCAPES and (quote != "`" or code in "\\`"):
            out.append(_ESCAPES[code])
            i += 2
        elif code in ("u", "U") and quote != "`":
            i = _unicode_escape(text, i, out)
        else:
            allowed = "\\\\ and \\`" if quote == "`" else '\\\\, \\", \\\', \\n, \\t, \\r, \\uXXXX and \\UXXXXXXXX'
            raise FilterSyntaxError(f"unknown escape `\\{code}` in a quoted {what}", i,
                                    f"the escapes are {allowed}; write a backslash as \\\\")
    opening = "backtick" if quote == "`" else "quote"
    raise FilterSyntaxError(f"this {opening} is never closed", start,
                            f"end the quoted {what} with {quote}")


def _unicode_escape(text: str, i: int, out: list[str]) -> int:
    digits = 4 if text[i + 1] == "u" else 8
    hexa = text[i + 2 : i + 2 + digits]
    if len(hexa) != digits or not all(c in "0123456789abcdefABCDEF" for c in hexa):
        example = "\\u00e9 for é" if digits == 4 else "\\U0001F600 for 😀"
        raise FilterSyntaxError(f"`\\{text[i + 1]}` needs {digits} hexadecimal digits", i, f"e.g. {example}")
    code = int(hexa, 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise FilterSyntaxError(f"`\\{text[i + 1]}{hexa}` is not a Unicode character", i,
                                "use a code point outside the surrogate range D800–DFFF, at most 10FFFF")
    out.append(chr(code))
    return i + 2 + digits


def _number(text: str, i: int) -> Token:
    m = _NUMBER.match(text, i)
    assert m is not None
    end = m.end()
    if end < len(text) and (_is_name_char(text[end])):
        stop = end
        while stop < len(text) and _is_name_char(text[stop]):
            stop += 1
        raise FilterSyntaxError(f"{text[i:stop]!r} is neither a number nor a column name", i,
                                "a column name that starts with a digit must be in backticks, e.g. `2nd_score`")
    written = m.group()
    value: int | float
    if re.fullmatch(r"-?[0-9]+", written):
        value = int(written)
        if not INT64[0] <= value <= INT64[1]:
            raise FilterSyntaxError(f"the number {written} is too large", i,
                                    "whole numbers must lie between -2^63 and 2^63-1; write it with a decimal point to "
                                    "compare as a floating-point number")
    else:
        value = float(written)
        if value in (float("inf"), float("-inf")):
            raise FilterSyntaxError(f"the number {written} is too large", i, "write a finite number")
    return Token("number", written, value, i, end)


def _operator(text: str, i: int) -> Token:
    for op in ("==", "!=", "<=", ">=", "<>", "&&", "||", "<", ">", "=", "!", "&", "|"):
        if text.startswith(op, i):
            if op in _MISSPELT:
                message, hint = _MISSPELT[op]
                raise FilterSyntaxError(message, i, hint)
            return Token("op", op, op, i, i + len(op))
    raise AssertionError(text[i])


def _word(text: str, i: int) -> Token:
    end = i + 1
    while end < len(text) and _is_name_char(text[end]):
        end += 1
    word = text[i:end]
    if word.lower() in KEYWORDS:
        return Token("keyword", word.lower(), word.lower(), i, end)
    return Token("name", word, word, i, end)


def _quoted_token(text: str, i: int) -> Token:
    ch = text[i]
    value, end = _quoted(text, i, ch)
    if ch != "`":
        return Token("string", text[i:end], value, i, end)
    if not value:
        raise FilterSyntaxError("a column name in backticks cannot be empty", i, "write the name between the backticks")
    return Token("quoted-name", text[i:end], value, i, end)


def _token(text: str, i: int) -> Token:
    """The token starting at ``text[i]`` (which is not whitespace)."""
    ch = text[i]
    if ch in "\"'`":
        return _quoted_token(text, i)
    if ch in "0123456789" or (ch in "-." and _NUMBER.match(text, i)):
        return _number(text, i)
    if _is_name_start(ch):
        return _word(text, i)
    if ch in "=!<>&|":
        return _operator(text, i)
    if ch in "()[],":
        return Token("punct", ch, ch, i, i + 1)
    hint = "quote text values with \" or ', and put column names with other characters in backticks"
    if ch == "-":
        hint = "a minus sign belongs directly before a number (-30); put a column name with '-' in backticks"
    raise FilterSyntaxError(f"unexpected character {ch!r}", i, hint)


def tokenize(text: str) -> list[Token]:
    """The tokens of a filter, ending with an ``end`` token."""
    out: list[Token] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        token = _token(text, i)
        out.append(token)
        i = token.end
    out.append(Token("end", "", "", len(text), len(text)))
    return out


# -- parser ---------------------------------------------------------------------------------------
def _shown(token: Token) -> str:
    if token.kind == "end":
        return "the end of the filter"
    return f"`{token.text}`" if len(token.text) <= 40 else f"`{token.text[:40]}…`"


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.token
        return token.kind == kind and (text is None or token.text == text)

    def error(self, message: str, hint: str | None = None, token: Token | None = None) -> FilterSyntaxError:
        token = token or self.token
        return FilterSyntaxError(message, token.start, hint)

    def parse(self) -> Expr:
        if self.at("end"):
            raise self.error("the filter is empty", "write a condition such as `age >= 18`, or remove `filter:`")
        expr = self.disjunction()
        if not self.at("end"):
            raise self.unexpected_after_test()
        return expr

    def unexpected_after_test(self) -> FilterSyntaxError:
        token = self.token
        if token.kind == "punct" and token.text == ")":
            return self.error("this `)` has no matching `(`", "remove it, or add the `(` it closes")
        if token.kind in ("name", "quoted-name", "string", "number"):
            return self.error(f"expected `and`, `or` or the end of the filter, found {_shown(token)}",
                              "join conditions with `and` or `or`; put a column name with spaces in backticks")
        return self.error(f"expected `and`, `or` or the end of the filter, found {_shown(token)}",
                          "join conditions with `and` or `or`")

    def disjunction(self) -> Expr:
        operands = [self.conjunction()]
        while self.at("keyword", "or"):
            self.advance()
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Logical("or", tuple(operands))

    def conjunction(self) -> Expr:
        operands = [self.negation()]
        while self.at("keyword", "and"):
            self.advance()
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else Logical("and", tuple(operands))

    def negation(self) -> Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"the filter nests deeper than {MAX_DEPTH} levels", "simplify it")
        try:
            if self.at("keyword", "not"):
                start = self.advance().start
                return Not(self.negation(), start)
            if self.at("punct", "("):
                opening = self.advance()
                expr = self.disjunction()
                if not self.at("punct", ")"):
                    if self.at("end"):
                        raise self.error("this `(` is never closed", "add the `)` that closes it", opening)
                    raise self.unexpected_after_test()
                self.advance()
                return expr
            return self.test()
        finally:
            self.depth -= 1

    def column(self) -> Column:
        token = self.token
        if token.kind in ("name", "quoted-name"):
            self.advance()
            return Column(str(token.value), token.start, token.end)
        if token.kind == "keyword" and token.text not in ("true", "false"):
            raise self.error(f"`{self.text[token.start:token.end]}` is a keyword, not a column name",
                             f"put a column called {self.text[token.start:token.end]} in backticks: "
                             f"`{self.text[token.start:token.end]}`")
        if token.kind in ("number", "string") or (token.kind == "keyword" and token.text in ("true", "false")):
            raise self.error(f"expected a column name, found the value {_shown(token)}",
                             "put the column first and the value second, e.g. `age >= 18`")
        raise self.error(f"expected a column name, found {_shown(token)}",
                         "a test starts with a column name, e.g. `age >= 18` or `region is missing`")

    def test(self) -> Test:
        column = self.column()
        token = self.token
        if token.kind == "op":
            self.advance()
            return Comparison(column, token.text, self.value(token.text))  # type: ignore[arg-type]
        if token.kind == "keyword" and token.text == "is":
            return self.missing(column)
        if token.kind == "keyword" and token.text in ("in", "not"):
            negated = token.text == "not"
            self.advance()
            if negated:
                if not self.at("keyword", "in"):
                    raise self.error(f"expected `in` after `not`, found {_shown(self.token)}",
                                     "write `column not in [a, b]`, or `not` before the whole test")
                self.advance()
            return Membership(column, self.values(), negated)
        if token.kind == "name" and self.tokens[self.i - 1].kind == "name":
            raise self.error(f"expected a comparison after the column `{column.name}`, found {_shown(token)}",
                             f"a column name with spaces must be in backticks: `{column.name} {token.text}`")
        raise self.error(f"expected a comparison after the column `{column.name}`, found {_shown(token)}",
                         "compare with ==, !=, <, <=, > or >=, or use `in [...]` or `is missing`")

    def missing(self, column: Column) -> Missing:
        self.advance()
        negated = self.at("keyword", "not")
        if negated:
            self.advance()
        if not self.at("keyword", "missing"):
            raise self.error(f"expected `missing` after `is{' not' if negated else ''}`, found {_shown(self.token)}",
                             "write `column is missing` or `column is not missing`; compare values with == or !=")
        self.advance()
        return Missing(column, negated)

    def value(self, op: str) -> Literal:
        token = self.token
        literal = self.literal()
        if literal is None:
            if token.kind in ("name", "quoted-name"):
                if token.kind == "name" and token.text.lower() in _NULL_WORDS:
                    test = "is not missing" if op == "!=" else "is missing"
                    raise self.error(f"`{token.text}` is not a value", f"ask for missing values with `column {test}`")
                raise self.error(f"expected a value after `{op}`, found the name {_shown(token)}",
                                 f"quote text values: \"{token.text}\"; comparing two columns is not supported")
            raise self.error(f"expected a value after `{op}`, found {_shown(token)}",
                             "compare with a number, a quoted text or true/false, e.g. `age >= 18`")
        if literal.kind == "boolean" and op not in ("==", "!="):
            raise FilterSyntaxError(f"true and false cannot be compared with `{op}`", literal.start,
                                    "compare booleans with == or !=")
        return literal

    def literal(self) -> Literal | None:
        token = self.token
        if token.kind in ("number", "string"):
            self.advance()
            return Literal(token.value, token.start, token.end)
        if token.kind == "keyword" and token.text in ("true", "false"):
            self.advance()
            return Literal(token.text == "true", token.start, token.end)
        return None

    def values(self) -> tuple[Literal, ...]:
        if not self.at("punct", "["):
            raise self.error(f"expected `[` after `in`, found {_shown(self.token)}", "write the values as a list: in [1, 2]")
        opening = self.advance()
        out: list[Literal] = []
        while not self.at("punct", "]"):
            literal = self.literal()
            if literal is None:
                if self.at("end"):
                    raise self.error("this `[` is never closed", "add the `]` that closes the list", opening)
                raise self.error(f"expected a value in the list, found {_shown(self.token)}",
                                 "list numbers, quoted texts or true/false, separated by commas")
            if out and literal.kind != out[0].kind:
                raise FilterSyntaxError(f"the list mixes {out[0].kind} and {literal.kind} values", literal.start,
                                        "list values of one kind: all numbers, all quoted texts or all true/false")
            out.append(literal)
            if self.at("punct", ","):
                self.advance()
            elif not self.at("punct", "]"):
                if self.at("end"):
                    raise self.error("this `[` is never closed", "add the `]` that closes the list", opening)
                raise self.error(f"expected `,` or `]` in the list, found {_shown(self.token)}",
                                 "separate the values with commas")
        if not out:
            raise self.error("the list is empty", "list at least one value (an empty list would never match)")
        self.advance()
        return tuple(out)


def parse(text: str) -> Expr:
    """The syntax tree of a filter; :class:`FilterSyntaxError` when it is not one."""
    return _Parser(text).parse()


# -- writing a tree back as text ------------------------------------------------------------------
def quote_name(name: str) -> str:
    """A column as a filter writes it: bare when it can be, else in backticks."""
    plain = name and _is_name_start(name[0]) and all(_is_name_char(c) for c in name[1:])
    if plain and name.lower() not in KEYWORDS:
        return name
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def quote_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def to_text(expr: Expr) -> str:
    """A filter that parses back to ``expr`` (fully parenthesised where precedence matters)."""
    if isinstance(expr, Comparison):
        return f"{quote_name(expr.column.name)} {expr.op} {quote_value(expr.value.value)}"
    if isinstance(expr, Membership):
        listed = ", ".join(quote_value(v.value) for v in expr.values)
        return f"{quote_name(expr.column.name)} {'not in' if expr.negated else 'in'} [{listed}]"
    if isinstance(expr, Missing):
        return f"{quote_name(expr.column.name)} is {'not ' if expr.negated else ''}missing"
    if isinstance(expr, Not):
        return f"not ({to_text(expr.operand)})"
    parts = [f"({to_text(e)})" if isinstance(e, Logical) and e.op != expr.op else to_text(e) for e in expr.operands]
    return f" {expr.op} ".join(parts)


def did_you_mean(name: str, names: list[str]) -> str | None:
    """The closest of ``names`` to a misspelt ``name``, if any is close."""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        return lowered.get(name.lower())
    return close[0]
