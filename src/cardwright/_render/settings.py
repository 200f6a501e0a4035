"""The settings of a computation (a model card's ``quantitative_analyses``, a datasheet's
``data``) as one-line facts: factors and groups by their display names, metrics by theirs, gates
with every setting kept."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..schema.analysis import BinnedFactor, QuantitativeAnalyses
from ..schema.metric_names import BINARY
from .fields import FieldView, guidance_of, is_blank, prose_kind, scalar
from .labels import Labels, metric
from .text import humanize

#: Sections that hold settings for `cardwright compute`: each field is shown on one line.
SETTINGS = ("quantitative_analyses", "data")


def _setting_text(key: str, value: Any, labels: Labels) -> str:
    """One setting on one line: factors and groups by their display names, metrics by theirs."""
    if key in ("factors", "sensitive_attributes"):
        parts = []
        for f in value:
            name = f if isinstance(f, str) else f.factor_name
            column = f if isinstance(f, str) else f.column
            bins = f" cut at {', '.join(f'{b:g}' for b in f.bins)}" if isinstance(f, BinnedFactor) else ""
            source = f" (column {column}{bins})" if column != name or bins else ""
            parts.append(labels.title(name) + source)
        return "; ".join(parts)
    if key == "metrics":
        return ", ".join(metric(m).title for m in value)
    if key == "reference_groups":
        return "; ".join(f"{labels.title(k)}: {labels.value(k, v)}" for k, v in value.items())
    if key == "intersections" and isinstance(value, list):
        return "; ".join(labels.titles(labels.keys(c)) for c in value)
    if key == "gates":
        return "; ".join(_gate_setting(g, labels) for g in value)
    return _setting_value(value)


def _gate_setting(gate: BaseModel, labels: Labels) -> str:
    """``False negative rate over sex: max difference 0.05, use estimate, …`` (every setting kept)."""
    data = gate.model_dump(mode="json", exclude_none=True)
    head = f"{metric(str(data.pop('metric', ''))).title} over {labels.titles(data.pop('over', [])).lower()}"
    rest = ", ".join(f"{humanize(k).lower()}: {_setting_value(v).lower() if isinstance(v, bool) else _setting_value(v)}"
                     for k, v in data.items())
    return f"{head}: {rest}" if rest else head


def _setting_value(value: Any) -> str:
    """A nested setting as one line: ``label: y_true, score: y_score``; items of a list by ``;``."""
    if isinstance(value, BaseModel):
        data = value.model_dump(mode="json", exclude_none=True, by_alias=True)
        return ", ".join(f"{humanize(k).lower()}: {_setting_value(v)}" for k, v in data.items())
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_setting_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        sep = "; " if any(isinstance(v, BaseModel | dict) for v in value) else ", "
        return sep.join(_setting_value(v) for v in value)
    if isinstance(value, str) and len(value) == 1 and not value.isalnum():
        return f'"{value}"'
    return scalar(value)


def _relabelled(labels: Labels) -> str:
    """The group names renders show in place of values written otherwise in the data."""
    pairs = [f"{raw} → {shown}" for f in labels.factors.values() for raw, shown in f.labels.items()
             if raw.casefold() != shown.casefold()]
    return "; ".join(pairs)


def _applying(model: BaseModel, key: str, value: Any) -> Any:
    """A setting as it applies to the evaluation: `positive_label` (1 unless given) only to binary
    classification, as the results record it."""
    if key == "data" and isinstance(model, QuantitativeAnalyses) and model.task != BINARY and value is not None:
        return value.model_copy(update={"positive_label": None})
    return value


def settings_fields(model: BaseModel, loc: str, labels: Labels) -> list[FieldView]:
    """Every non-empty setting of a computation spec as a one-line fact (prose stays prose), so
    a new setting appears without touching a template."""
    out: list[FieldView] = []
    for key, info in type(model).model_fields.items():
        value = _applying(model, key, getattr(model, key))
        here, title = f"{loc}.{key}", humanize(key)
        if prose_kind(info) is not None:
            if value is not None and str(value).strip():
                out.append(FieldView(key, title, guidance_of(info), "prose", value=str(value), loc=here))
        elif not is_blank(value):
            text = _setting_text(key, value, labels)
            out.append(FieldView(key, title, guidance_of(info), "text", value=text, items=[text], loc=here))
            if key in ("factors", "sensitive_attributes") and _relabelled(labels):
                shown = _relabelled(labels)
                out.append(FieldView("group_names", "Group names", "How values in the data are shown.", "text",
                                     value=shown, items=[shown], loc=f"{here}.labels"))
    return out
