"""Reading a card's YAML safely, keeping the position of every key and value.

* Size, nesting depth and alias expansion are limited (:class:`Limits`), checked before anything
  is built, so a hostile file fails in milliseconds.
* Only YAML's core tags are accepted: no custom or language-specific tags (``!!python/…``).
* Duplicate keys are errors naming both lines; ``<<`` merge keys are refused.
* Plain scalars are read with YAML 1.2 core-schema meaning (``no``, ``on``, ``NO`` stay text;
  there are no timestamps); the author's source text of every plain scalar is kept so a text
  field receives exactly what was written (``version: 1.10`` stays ``"1.10"``).
* Text is UTF-8, or UTF-16/32 with a byte-order mark; a UTF-8 BOM is skipped.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CardError, Finding
from .scalar_positions import ScalarSpan, position_in

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Safety limits for reading cards; all can be raised by flag or configuration."""

    max_bytes: int = 2 * 1024 * 1024
    """Largest card file, in bytes."""
    max_depth: int = 64
    """Deepest nesting of mappings and lists."""
    max_nodes: int = 100_000
    """Most values a document may hold once its aliases are expanded."""


@dataclass
class Document:
    """A parsed YAML document: plain Python data plus where each part came from (1-based)."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """Position of the value at each path."""
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """Position of the key introducing each mapping entry."""
    plain_text: dict[Loc, str] = field(default_factory=dict)
    """Source text of plain scalars that YAML reads as something other than text."""
    yaml11_ambiguous: list[Loc] = field(default_factory=list)
    """Plain scalars that YAML 1.1 readers (PyYAML, many tools) would read as booleans or numbers."""
    text: str = ""
    """The card's source text."""
    scalars: dict[Loc, ScalarSpan] = field(default_factory=dict)
    """Where each text value is written, for positions inside it (see :meth:`position_in`)."""

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        table = self.keys if key else self.values
        if key and loc in table:
            return table[loc]
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (None, None))

    def position_in(self, loc: Loc, offset: int) -> tuple[int | None, int | None]:
        """The position of character ``offset`` of the text value at ``loc`` (its start when
        the value is not text)."""
        span = self.scalars.get(loc)
        value = self.data
        try:
            for part in loc:
                value = value[part]
        except (KeyError, IndexError, TypeError):
            value = None
        if span is None or not isinstance(value, str):
            return self.position(loc)
        return position_in(self.text, span, value, offset)


_CORE_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq", "map")
}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_YAML11_SURPRISES = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|"
    r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+|0[0-7_]+)$"
)


def resolve_plain(text: str) -> Any:
    """The value of a plain scalar under the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def decode(raw: bytes, path: str) -> str:
    """Bytes of a card to text, with a positioned error for bytes that are not valid UTF-8."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                break  # not that encoding after all: the bytes are reported as UTF-8 below
            if codec == "utf-8-sig" or not text or any(ch < "\x80" for ch in text):
                return text
            break  # a card always has ASCII (its keys); bytes that decode to none are not text
    nul = raw.find(b"\x00")
    if nul >= 0 and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        line = raw.count(b"\n", 0, nul) + 1
        raise CardError.at(
            path,
            "the file contains NUL bytes: it looks like UTF-16 or UTF-32 without a byte-order mark",
            code="encoding",
            line=line,
            column=nul - (raw.rfind(b"\n", 0, nul) + 1) + 1,
            hint="save the file as UTF-8",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        bad = raw[e.start : e.start + 1].hex().upper()
        raise CardError.at(
            path,
            f"byte 0x{bad} is not valid UTF-8",
            code="encoding",
            line=line,
            column=column,
            hint="save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 old.yaml > new.yaml`)",
        ) from e


def read_card_text(path: Path, limits: Limits, display: str) -> str:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise CardError.at(display, "not a file", code="file-unreadable", hint="name a YAML card file")
        if size > limits.max_bytes:
            raise CardError.at(
                display,
                f"the file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit for cards",
                code="file-too-large",
                hint="raise the limit with --max-bytes (or max_card_bytes in [tool.cardwright])",
            )
        raw = path.read_bytes()
    except FileNotFoundError as e:
        raise CardError.at(display, "no such file", code="file-not-found", hint="check the path") from e
    except OSError as e:
        raise CardError.at(display, f"cannot read the file: {e.strerror}", code="file-unreadable") from e
    return decode(raw, display)


#: Hints for PyYAML's syntax errors, by the words of the problem its pure-Python parser reports (a
#: problem libyaml finds is parsed again by that parser, so its wording is the one that counts).
#: Each entry is pinned by a test that feeds a real broken document through PyYAML
#: (``tests/test_yaml_loader.py``), so a PyYAML release that rewords one fails that test.
_SYNTAX_HINTS = (
    ("'\\t'", "YAML does not allow tabs for indentation: use spaces"),
    ("mapping values are not allowed", "a value contains ': ' (quote it) or a key is indented wrongly"),
    ("could not find expected ':'", "check the indentation and that each key ends with ':'"),
    ("expected <block end>", "check the indentation of this line against the lines above"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("unacceptable character", "remove control characters from the file"),
    ("found undefined alias", "define the anchor (&name) before using the alias (*name)"),
)


def _syntax_error(display: str, e: Exception, text: str) -> CardError:
    from yaml import MarkedYAMLError

    mark, problem, context = None, None, None
    if isinstance(e, MarkedYAMLError):
        mark, problem, context = e.problem_mark or e.context_mark, e.problem, e.context
    problem = problem or str(e).splitlines()[0]
    message = problem if not context else f"{problem} ({context})"
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in message), None)
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        message, hint = f"a tab character here: {message}", _SYNTAX_HINTS[0][1]
    return CardError.at(
        display,
        message,
        code="yaml-syntax",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        hint=hint,
    )


class _Guard:
    """The checks made on each parser event before anything is built: the alias budget, one
    document, the nesting limit and no tags but the core schema's."""

    def __init__(self, display: str, limits: Limits):
        self.display, self.limits = display, limits
        self.depth = self.documents = self.total = 0
        self.explicit: dict[tuple[int, int], str] = {}
        """Positions of scalars with an explicit (core) tag."""
        self.sizes: dict[str, int] = {}  # anchor -> values it expands to
        self.starts: list[tuple[str | None, int]] = []  # open collections: (anchor, total at start)

    def fail(self, event: Any, message: str, code: str, hint: str) -> CardError:
        m = event.start_mark
        return CardError.at(self.display, message, code=code, line=m.line + 1, column=m.column + 1, hint=hint)

    def see(self, event: Any, kind: str, tag: str | None) -> None:
        self._count(event, kind)
        self._structure(event, kind)
        if tag is not None and tag != "!" and tag not in _CORE_TAGS:
            raise self.fail(event, f"the tag {tag} is not allowed", "yaml-tag",
                            "cards are plain data: remove the tag (write the value as text, a number, a list or a mapping)")
        if tag is not None and kind == "ScalarEvent":
            self.explicit[(event.start_mark.line, event.start_mark.column)] = tag

    def _count(self, event: Any, kind: str) -> None:
        """Values, with each alias counted as what it expands to."""
        if kind == "ScalarEvent":
            self.total += 1
            if event.anchor:
                self.sizes[event.anchor] = 1
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            self.total += 1
            self.starts.append((event.anchor, self.total - 1))
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            anchor, start = self.starts.pop()
            if anchor:
                self.sizes[anchor] = self.total - start
        elif kind == "AliasEvent":
            self.total += self.sizes.get(event.anchor, 1)
        if self.total > self.limits.max_nodes:
            raise self.fail(event, f"aliases expand to more than {self.limits.max_nodes:,} values", "yaml-alias",
                            "write the repeated content out, or raise the limit with --max-nodes")

    def _structure(self, event: Any, kind: str) -> None:
        """One document, nested no deeper than the limit."""
        if kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                raise self.fail(event, "the file holds more than one YAML document", "multiple-documents",
                                "keep one card per file; remove the `---` separator")
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            self.depth += 1
            if self.depth > self.limits.max_depth:
                raise self.fail(event, f"nesting deeper than {self.limits.max_depth} levels", "yaml-depth",
                                "raise the limit with --max-depth if this is intended")
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            self.depth -= 1


def _guard(text: str, display: str, limits: Limits, yaml: Any, loader: Any) -> dict[tuple[int, int], str]:
    """One pass over parser events: reject depth, tags and multiple documents before building.
    Returns the positions of scalars with an explicit (core) tag."""
    guard = _Guard(display, limits)
    try:
        for event in yaml.parse(text, Loader=loader):
            tag = event.tag if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) else None
            guard.see(event, type(event).__name__, tag)
    except yaml.YAMLError as e:
        raise _syntax_error(display, e, text) from e
    return guard.explicit


def _parse(text: str, display: str, limits: Limits, yaml: Any, loader: Any) -> tuple[dict[tuple[int, int], str], Any]:
    """The guard's pass over the events, then the node tree (``None`` for an empty document)."""
    explicit = _guard(text, display, limits, yaml, loader)
    try:
        return explicit, yaml.compose(text, Loader=loader)
    except yaml.YAMLError as e:
        raise _syntax_error(display, e, text) from e


class _Builder:
    """Builds plain data from a composed node tree, recording positions and enforcing budgets."""

    def __init__(self, display: str, limits: Limits, doc: Document, explicit: dict[tuple[int, int], str]):
        self.display, self.limits, self.doc, self.explicit = display, limits, doc, explicit
        self.nodes = 0

    def build(self, node: Any, loc: Loc, depth: int) -> Any:
        self.nodes += 1
        m = node.start_mark
        if self.nodes > self.limits.max_nodes or depth > self.limits.max_depth:
            raise CardError.at(
                self.display,
                f"aliases expand to more than {self.limits.max_nodes:,} values"
                if self.nodes > self.limits.max_nodes
                else f"aliases nest deeper than {self.limits.max_depth} levels",
                code="yaml-alias",
                line=m.line + 1,
                column=m.column + 1,
                hint="write the repeated content out, or raise the limit with --max-nodes",
            )
        self.doc.values.setdefault(loc, (m.line + 1, m.column + 1))
        kind = node.id
        if kind == "scalar":
            return self._scalar(node, loc)
        if kind == "sequence":
            return [self.build(child, (*loc, i), depth + 1) for i, child in enumerate(node.value)]
        return self._mapping(node, loc, depth)

    def _scalar(self, node: Any, loc: Loc) -> Any:
        tag = self.explicit.get((node.start_mark.line, node.start_mark.column))
        start, end = node.start_mark, node.end_mark
        self.doc.scalars.setdefault(
            loc, ScalarSpan(start.index, end.index, start.line + 1, start.column + 1, node.style or ""))
        if node.style or tag in ("tag:yaml.org,2002:str", "!"):
            return node.value
        try:
            value = resolve_plain(node.value)
        except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
            raise CardError.at(
                self.display, f"an integer of {len(node.value.lstrip('+-')):,} digits is too large to read",
                code="invalid-value", line=node.start_mark.line + 1, column=node.start_mark.column + 1,
                hint="write a smaller number; quote it to keep it as text",
            ) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise CardError.at(
                self.display, f"{node.value} is not a finite number", code="non-finite",
                line=node.start_mark.line + 1, column=node.start_mark.column + 1,
                hint="write a finite number; quote it (e.g. '.nan') to keep it as text",
            )
        if tag is not None:
            return value
        if not isinstance(value, str) and value is not None:
            self.doc.plain_text[loc] = node.value
        elif isinstance(value, str) and _YAML11_SURPRISES.match(node.value):
            self.doc.yaml11_ambiguous.append(loc)
        return value

    def _mapping(self, node: Any, loc: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            km = key_node.start_mark
            if key_node.id != "scalar":
                raise CardError.at(
                    self.display, "a mapping key must be plain text", code="yaml-syntax",
                    line=km.line + 1, column=km.column + 1, hint="write the key as a word such as `name:`",
                )
            key = key_node.value
            if key == "<<" and not key_node.style:
                raise CardError.at(
                    self.display, "merge keys (`<<`) are not supported", code="yaml-merge-key",
                    line=km.line + 1, column=km.column + 1, hint="write the merged keys out in full",
                )
            if key in first_seen:
                raise CardError.at(
                    self.display,
                    f"duplicate key {key!r} (first defined on line {first_seen[key]})",
                    code="duplicate-key",
                    line=km.line + 1,
                    column=km.column + 1,
                    hint="remove one of the two entries; YAML keeps only one and cardwright will not guess which",
                )
            first_seen[key] = km.line + 1
            here = (*loc, key)
            self.doc.keys[here] = (km.line + 1, km.column + 1)
            out[key] = self.build(value_node, here, depth + 1)
        return out


def load_yaml(path: str | Path, *, limits: Limits | None = None, display: str | None = None) -> Document:
    """Read and parse a card file; raise :class:`CardError` with a positioned finding on any problem."""
    limits = limits or Limits()
    path = Path(path)
    display = display or str(path)
    text = read_card_text(path, limits, display)
    return parse_yaml_text(text, display, limits=limits)


def parse_yaml_text(text: str, display: str, *, limits: Limits | None = None, mapping: bool = True) -> Document:
    """Parse YAML held in memory (a README's front matter, a card built by a converter) under the
    same limits and rules as a card file; ``mapping`` requires the document to be a mapping."""
    import yaml

    limits = limits or Limits()
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise CardError.at(
            display,
            f"the YAML is over the {limits.max_bytes:,}-byte limit for cards",
            code="file-too-large",
            hint="raise the limit with --max-bytes (or max_card_bytes in [tool.cardwright])",
        )
    fast = getattr(yaml, "CSafeLoader", None)
    try:
        explicit, node = _parse(text, display, limits, yaml, fast or yaml.SafeLoader)
    except CardError:
        if fast is None:
            raise
        # A problem found by libyaml is located again by PyYAML's own parser, so the finding (its
        # code, message and position) does not depend on how PyYAML was built: libyaml stops at
        # its own nesting limit and words its errors differently.
        explicit, node = _parse(text, display, limits, yaml, yaml.SafeLoader)
    doc = Document(path=display, data=None, text=text)
    if node is None:
        raise CardError.at(
            display, "the file is empty", code="empty-file", hint="start from `cardwright init model-card`"
        )
    doc.data = _Builder(display, limits, doc, explicit).build(node, (), 0)
    if mapping and not isinstance(doc.data, dict):
        what = "a list" if isinstance(doc.data, list) else "a single value"
        raise CardError.at(
            display,
            f"the document is {what}, not a mapping of sections",
            code="not-a-mapping",
            line=1,
            column=1,
            hint="a card starts with `kind: model-card` (or `datasheet`) and `schema_version: 1`",
        )
    return doc


__all__ = ["Document", "Finding", "Limits", "load_yaml", "parse_yaml_text", "resolve_plain"]
