"""Turning Pydantic's validation errors into positioned findings a card author can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import Finding
from .metric_names import METRIC_NAMES
from .yaml_loader import Document, Loc

_CODE = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-key",
    "invalid_license": "invalid-license",
    "invalid_email": "invalid-email",
    "invalid_url": "invalid-url",
    "unsupported": "unsupported",
    "missing_prediction": "missing-field",
    "filter_syntax": "invalid-filter",
    "unknown_metric": "unknown-metric",
}
_TYPE_ERRORS = {
    "string_type", "int_type", "float_type", "bool_type", "dict_type", "list_type", "model_type",
    "model_attributes_type", "int_parsing", "float_parsing", "bool_parsing", "int_from_float",
    "literal_type", "none_required", "is_instance_of", "dataclass_type", "string_sub_type",
}
_DATE_ERRORS = {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type", "date_future", "date_past"}
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "list_type": "a list (lines starting with '- ')",
}


def code_for(error_type: str) -> str:
    if error_type in _CODE:
        return _CODE[error_type]
    if error_type in _TYPE_ERRORS:
        return "wrong-type"
    if error_type in _DATE_ERRORS:
        return "invalid-date"
    return "invalid-value"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) < 60 else "a long text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def real_path(data: Any, loc: tuple[Any, ...]) -> Loc:
    """The part of a Pydantic ``loc`` that exists in the data (union member tags are skipped)."""
    out: list[str | int] = []
    cur = data
    for part in loc:
        in_mapping = isinstance(cur, dict) and isinstance(part, str) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_mapping or in_list:
            cur = cur[part]
            out.append(part)
    return tuple(out)


def _unwrap(tp: Any) -> list[Any]:
    """The model classes (or other types) a field annotation can hold, through Optional/list/Annotated."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, dict):
        args = typing.get_args(tp)
        if origin is dict:
            args = args[1:]
        return [t for a in args for t in _unwrap(a)]
    return [tp]


def model_at(root: type[BaseModel], path: Loc) -> type[BaseModel] | None:
    """The model class describing the mapping at ``path`` (``None`` if free-form or unknown)."""
    cls: type[BaseModel] | None = root
    for part in path:
        if cls is None:
            return None
        if isinstance(part, int):
            continue
        field = cls.model_fields.get(part)
        if field is None:
            field = next((f for f in cls.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        models = [t for t in _unwrap(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
        cls = models[0] if models else None
    return cls


def _field_names(cls: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in cls.model_fields.items()]


def _nested_home(model: type[BaseModel] | None, key: str) -> str | None:
    """The field of ``model`` whose own mapping has the field ``key``."""
    for name, field in (model.model_fields.items() if model is not None else ()):
        for t in _unwrap(field.annotation):
            if isinstance(t, type) and issubclass(t, BaseModel) and key in _field_names(t):
                return field.alias or name
    return None


def _key_suggestion(root: type[BaseModel], target: Loc) -> str | None:
    """The field an unknown key at ``target`` is most likely a misspelling of (``None``: none close)."""
    model = model_at(root, target[:-1])
    names = _field_names(model) if model is not None else []
    close = difflib.get_close_matches(str(target[-1]), names, n=1, cutoff=0.6)
    return close[0] if close else None


def _choices(root: type[BaseModel], target: Loc) -> list[str]:
    """The values the schema allows at ``target`` when it is a choice (a ``Literal``), in order."""
    names = [i for i, part in enumerate(target) if isinstance(part, str)]
    model = model_at(root, target[: names[-1]]) if names else None
    if model is None:
        return []
    key = target[names[-1]]
    field = model.model_fields.get(str(key)) or next((f for f in model.model_fields.values() if f.alias == key), None)
    if field is None:
        return []
    literals = [t for t in _unwrap(field.annotation) if typing.get_origin(t) is typing.Literal]
    return [str(v) for t in literals for v in typing.get_args(t)]


def value_at(data: Any, path: Loc) -> Any:
    for part in path:
        data = data[part]
    return data


def findings_from(doc: Document, root: type[BaseModel], exc: ValidationError) -> list[Finding]:
    """Positioned findings for every error, most specific first per location, duplicates merged."""
    by_path: dict[tuple[Loc, str], list[ErrorDetails]] = {}
    for err in exc.errors(include_url=False):
        path = real_path(doc.data, err["loc"])
        target = (*path, err["loc"][-1]) if err["type"] == "missing" else path
        by_path.setdefault((target, err["type"]), []).append(err)
    # Union members each report an error; where a location has a specific one, drop "wrong type".
    specific = {p for (p, t) in by_path if t not in _TYPE_ERRORS}
    findings: list[Finding] = []
    seen: set[tuple[Loc, str]] = set()
    for (target, etype), errs in by_path.items():
        if etype in _TYPE_ERRORS and (target in specific or any(s[: len(target)] == target and s != target for s in specific)):
            continue
        if (target, code_for(etype)) in seen:
            continue
        seen.add((target, code_for(etype)))
        findings.append(_finding(doc, root, target, etype, errs[0]))
    # A missing field next to an unknown key that is its misspelling: report the typo only.
    typos = {target[:-1] + (close,) for target, etype in by_path
             if etype == "extra_forbidden" and (close := _key_suggestion(root, target)) is not None}
    findings = [f for f in findings if not (f.code == "missing-field" and f.loc in typos)]
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.code))
    return findings


def _finding(doc: Document, root: type[BaseModel], target: Loc, etype: str, err: ErrorDetails) -> Finding:
    dotted = ".".join(str(p) for p in target) or "(top level)"
    code = code_for(etype)
    if etype == "missing":
        line, col = doc.position(target[:-1])
        message, hint = f"missing required field `{dotted}`", _missing_hint(root, target)
    elif etype == "extra_forbidden":
        line, col = doc.position(target, key=True)
        message, hint = f"unknown key `{dotted}`", _unknown_key_hint(root, target)
    else:
        line, col = doc.position(target)
        value = value_at(doc.data, target) if target else doc.data
        message, hint = _value_problem(root, target, dotted, etype, code, err, value)
        ctx = err.get("ctx") or {}
        if isinstance(ctx.get("offset"), int) and isinstance(value, str):
            # An error inside a text value (a filter's token): point at it, with its hint.
            line, col = doc.position_in(target, ctx["offset"])
            hint = str(ctx.get("hint") or "") or hint
    return Finding(doc.path, code, message, line=line, column=col, hint=hint, loc=target)


def _missing_hint(root: type[BaseModel], target: Loc) -> str | None:
    """What the missing field is, from its docstring."""
    from .docs import documented

    model = model_at(root, target[:-1])
    field = documented(model).model_fields.get(str(target[-1])) if model is not None else None
    if field is not None and field.description:
        return f"add `{target[-1]}:` here: {field.description.splitlines()[0]}"
    return None


def _unknown_key_hint(root: type[BaseModel], target: Loc) -> str | None:
    """Where the key belongs when a mapping inside this one has it, else the key it is most likely
    a misspelling of, else the keys allowed here."""
    home = _nested_home(model_at(root, target[:-1]), str(target[-1]))
    if home is not None:
        return f"`{target[-1]}` belongs under `{home}:` (as `{home}.{target[-1]}`)"
    suggestion = _key_suggestion(root, target)
    if suggestion is not None:
        return f"did you mean `{suggestion}`?"
    model = model_at(root, target[:-1])
    names = _field_names(model) if model is not None else []
    if names:
        shown = ", ".join(n for n in names if n != "$schema")
        return f"allowed here: {shown}; put free-form data under `extensions:`"
    return None


def _value_problem(root: type[BaseModel], target: Loc, dotted: str, etype: str, code: str, err: ErrorDetails,
                   value: Any) -> tuple[str, str | None]:
    """``(message, hint)`` for a value of the wrong type or not allowed."""
    if etype in _EXPECTED:
        message = f"`{dotted}` should be {_EXPECTED[etype]}, not {_describe(value)}"
        if etype in ("int_parsing", "float_parsing") and isinstance(value, str):
            return message, "write the number without quotes"
        if etype in ("bool_parsing", "bool_type"):
            return message, "write true or false (YAML 1.2 reads yes/no/on/off as text)"
        if etype == "string_type" and isinstance(value, (dict, list)):
            return message, "quote the text, or use a block scalar (`|`) for several lines"
        return message, None
    if code == "invalid-date":
        return f"`{dotted}`: {value!r} is not a valid date", "write the date as YYYY-MM-DD, e.g. 2024-05-01"
    msg = err["msg"]
    if len(msg) > 1 and msg[1].islower():
        msg = msg[0].lower() + msg[1:]
    message = f"`{dotted}`: {msg}"
    if etype in ("literal_error", "unknown_metric") and isinstance(value, str):
        options = list(METRIC_NAMES) if etype == "unknown_metric" else _choices(root, target)
        close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
        return message, f"did you mean {close[0]!r}?" if close else None
    if code == "invalid-license":
        return message, "use an SPDX id (https://spdx.org/licenses/) or `{name: ..., url: ...}` for a custom licence"
    if etype in _RANGE_ERRORS:
        return message, _range_hint(root, target)
    return message, None


_RANGE_ERRORS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})


def _range_hint(root: type[BaseModel], target: Loc) -> str | None:
    """The field's whole range, from its constraints: ``use a value from 1 to 100000``."""
    import annotated_types as at

    model = model_at(root, target[:-1])
    field = model.model_fields.get(str(target[-1])) if model is not None else None
    if field is None:
        return None
    low = high = None
    for m in field.metadata:
        if isinstance(m, (at.Ge, at.Gt)):
            low = f"{'above ' if isinstance(m, at.Gt) else ''}{m.ge if isinstance(m, at.Ge) else m.gt:,}"
        elif isinstance(m, (at.Le, at.Lt)):
            high = f"{'below ' if isinstance(m, at.Lt) else ''}{m.le if isinstance(m, at.Le) else m.lt:,}"
    if low is not None and high is not None:
        return f"use a value from {low} to {high}"
    return f"use a value of at least {low}" if low is not None else f"use a value of at most {high}" if high else None
