"""`cardwright init`: a card with every section and question, the guidance as YAML comments.

The scaffold is generated from the schema itself, so it can never fall behind it.  It validates
as it is; `validate --strict` lists every field still to fill in.
"""

from __future__ import annotations

import textwrap
import typing
from typing import Any

from pydantic import BaseModel

from ._base import ProseKind

_WIDTH = 96

_QA_EXAMPLE = """\
# Uncomment and adapt to compute metrics from your evaluation file (see docs/statistics.md):
# quantitative_analyses:
#   data:
#     path: eval/predictions.csv     # CSV or Parquet, relative to this card
#     label: y_true
#     score: y_score
#     threshold: 0.5
#     positive_label: 1
#   factors: [sex, race, {column: age, bins: [25, 45, 65]}]
#   intersections: all
#   metrics: [accuracy, precision, recall, false_positive_rate, false_negative_rate, selection_rate, roc_auc]
#   confidence: {level: 0.95, resamples: 1000, seed: 0}
#   min_group_size: 30
#   reference_groups: {sex: male}
#   gates:
#     - {metric: false_positive_rate, max_difference: 0.05, over: [sex]}
#     - {metric: selection_rate, min_ratio: 0.8, over: [race]}
"""

_DATA_EXAMPLE = """\
# Uncomment to compute composition statistics from the data (cardwright compute):
# data:
#   path: data/dataset.csv           # CSV or Parquet, relative to this datasheet
#   label: label
#   sensitive_attributes: [sex, {column: age, bins: [25, 45, 65]}]
#   min_cell_size: 10                # counts below this are never published
"""

# Optional blocks whose content depends on the user's data: shown as commented examples.
_COMMENTED = {"quantitative_analyses": _QA_EXAMPLE, "data": _DATA_EXAMPLE}
_SKIP = {"schema_ref", "extensions", "extensions_schema", "approvals"}


def _comment(text: str | None, indent: str) -> list[str]:
    if not text:
        return []
    lines: list[str] = []
    for para in text.strip().split("\n"):
        wrapped = textwrap.wrap(" ".join(para.split()), width=_WIDTH - len(indent) - 2) or [""]
        lines.extend(f"{indent}# {w}".rstrip() for w in wrapped)
    return lines


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _scalar_default(field: Any) -> str:
    if any(isinstance(m, ProseKind) for m in field.metadata):
        return ""
    if typing.get_origin(field.annotation) is typing.Literal:
        return f" {typing.get_args(field.annotation)[0]}"
    if field.annotation is bool:
        return " true"
    if field.is_required():
        return " TODO"
    if not field.is_required() and field.default_factory is list:
        return " []"
    if field.default_factory is dict:
        return " {}"
    if isinstance(field.default, str):
        return f" {field.default}"
    return ""


def _emit(model: type[BaseModel], indent: str, lines: list[str], top: bool) -> None:
    for name, field in model.model_fields.items():
        if name in _SKIP:
            continue
        if top and name in _COMMENTED:
            lines.append("")
            lines.extend(textwrap.indent(_COMMENTED[name], indent).rstrip("\n").split("\n"))
            continue
        sub = _model_of(field.annotation)
        key = field.alias or name
        if top and sub is not None:
            lines.append("")
        lines.extend(_comment(field.description, indent))
        if sub is not None and typing.get_origin(field.annotation) is not list:
            if not field.is_required():
                lines.append(f"{indent}# Optional section: delete it if it does not apply.")
            lines.append(f"{indent}{key}:")
            _emit(sub, indent + "  ", lines, False)
        else:
            lines.append(f"{indent}{key}:{_scalar_default(field)}")


def scaffold(kind: str, schema_ref: str | None) -> str:
    """The scaffold text for ``kind`` (``model-card`` or ``datasheet``)."""
    from .loading import card_class

    cls = card_class(kind)
    title = "Model card (Mitchell et al. 2019)" if kind == "model-card" else "Datasheet (Gebru et al. 2021)"
    lines = []
    if schema_ref:
        lines.append(f"# yaml-language-server: $schema={schema_ref}")
    lines += [
        f"# {title}, written for cardwright.",
        "# Fill in every field; `cardwright validate --strict THIS_FILE` lists what is left.",
        "# Prose fields take Markdown; use `|` for several lines. Quote values like '1.10' or 'no'.",
    ]
    _emit(cls, "", lines, True)
    return "\n".join(lines).rstrip() + "\n"
