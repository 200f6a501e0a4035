"""`cardwright import FILE --from model-card-toolkit|huggingface`: another tool's card as
cardwright YAML.

Each converter (:mod:`.import_mct`, :mod:`.import_hf`) maps what it can onto card fields, keeps
what has no field under ``extensions.<source>`` (nothing is silently lost) and lists every item
that did not reach a card field.  The list is printed on standard error and written as comments
at the top of the new card; the card itself always validates (without ``--strict``: the prose
the other format had no place for is left for the author to write).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..errors import CardwrightError, Finding
from .import_common import Conversion

SOURCES = ("model-card-toolkit", "huggingface")


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
