"""Where a character of a text value sits in the card's source.

A finding about part of a value (a filter's unknown column, say) should point at that part, not at
the start of the value.  YAML writes text values in five styles: plain, single-quoted,
double-quoted, literal (``|``) and folded (``>``); each turns the source into the value by
dropping quotes and indentation, folding line breaks and (double-quoted) decoding escapes.
:func:`source_offsets` walks the source and the value side by side, in the order YAML builds the
value, and gives the source index of every character of the value.
"""

from __future__ import annotations

from dataclasses import dataclass

_SIMPLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
    "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


@dataclass(frozen=True)
class ScalarSpan:
    """Where a text scalar is written: its source characters ``[start, end)`` (quotes and block
    headers included), the 1-based line and column of ``start``, and its YAML style."""

    start: int
    end: int
    line: int
    column: int
    style: str
    """``""`` (plain), ``"'"``, ``'"'``, ``"|"`` or ``">"``."""


def _escape_at(raw: str, j: int) -> tuple[str, int]:
    """The character a double-quoted escape at ``raw[j]`` (a backslash) stands for, and its length
    in the source; ``("", n)`` for an escaped line break, which stands for nothing."""
    code = raw[j + 1] if j + 1 < len(raw) else ""
    if code in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[code], 2
    if code in _HEX_ESCAPES:
        n = _HEX_ESCAPES[code]
        try:
            return chr(int(raw[j + 2 : j + 2 + n], 16)), 2 + n
        except ValueError:
            return "", 2
    return "", 2


def _align(value: str, raw: str, begin: int, style: str) -> list[int]:
    """Greedy alignment: each value character at the next source character that can produce it
    (whitespace in the value may come from any run of whitespace or a folded line break)."""
    out: list[int] = []
    j = begin
    for ch in value:
        while j < len(raw):
            r = raw[j]
            if style == '"' and r == "\\":
                decoded, length = _escape_at(raw, j)
                if decoded == ch:
                    break
                j += length
                continue
            if r == ch or (ch.isspace() and r.isspace()):
                break
            j += 1
        out.append(min(j, len(raw) - 1) if raw else 0)
        if style == '"' and j < len(raw) and raw[j] == "\\":
            j += _escape_at(raw, j)[1]
        elif style == "'" and ch == "'" and raw[j : j + 2] == "''":
            j += 2
        else:
            j += 1
    return out


def source_offsets(value: str, raw: str, style: str) -> list[int]:
    """For each character of ``value``, its index in ``raw`` (the scalar's source text)."""
    begin = 0
    if style in ("'", '"'):
        begin = 1
    elif style in ("|", ">"):
        newline = raw.find("\n")
        begin = newline + 1 if newline >= 0 else len(raw)
    return _align(value, raw, begin, style)


def position_in(text: str, span: ScalarSpan, value: str, offset: int) -> tuple[int, int]:
    """``(line, column)`` (1-based) in the card of character ``offset`` of ``value`` (the end of the
    value for an offset past it)."""
    raw = text[span.start : span.end]
    offsets = source_offsets(value, raw, span.style)
    if not offsets:
        return span.line, span.column
    index = offsets[offset] if 0 <= offset < len(offsets) else offsets[-1] + 1
    before = raw[:index]
    newlines = before.count("\n")
    if newlines == 0:
        return span.line, span.column + index
    return span.line + newlines, index - before.rfind("\n")
