"""`cardwright import FILE --from model-card-toolkit|huggingface|lm-eval-harness`: another
tool's card (or an evaluation harness's results) as cardwright YAML.

Each converter (:mod:`.import_mct`, :mod:`.import_hf`, :mod:`.import_hf_dataset`,
:mod:`.import_harness`) maps what it can onto card fields, keeps what has no field (in ``notes``
or under ``extensions.<source>``: nothing is silently lost) and lists every item that did not
reach a card field.  The list is printed on standard error and written as comments at the top
of the new card; the card itself always validates (without ``--strict``: the prose the other
format had no place for is left for the author to write).  Every input is read under the card
limits (size, nesting depth, YAML aliases), JSON included.

``--into CARD`` adds the reported results to an existing card instead (see :mod:`.merge_reported`).
"""


from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CardwrightError, Finding
from .import_common import Conversion, dump_card, in_schema_order

if TYPE_CHECKING:
    from ..schema.yaml_loader import Limits

SOURCES = ("model-card-toolkit", "huggingface", "lm-eval-harness")


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


def read_input(path: Path, limits: Limits | None = None) -> str:
    """The text of the file to import, under the card size limit."""
    from ..schema.yaml_loader import Limits, decode

    limits = limits or Limits()
    if not path.is_file():
        raise CardwrightError(Finding(str(path), "file-not-found", "the file does not exist"))
    try:
        if path.stat().st_size > limits.max_bytes:
            raise CardwrightError(Finding(str(path), "file-too-large",
                                          f"the file is {path.stat().st_size:,} bytes, over the {limits.max_bytes:,}-byte limit",
                                          hint="raise the limit with --max-bytes"))
        return decode(path.read_bytes(), str(path))
    except OSError as e:
        raise CardwrightError(Finding(str(path), "import", f"cannot read the file: {e.strerror}")) from e


def convert(raw: str, source: str, display: str, limits: Limits | None = None) -> Conversion:
    """The conversion of ``raw`` (the text of a file in format ``source``)."""
    if source == "model-card-toolkit":
        from .import_mct import convert_mct

        return convert_mct(raw, display, limits=limits)
    if source == "lm-eval-harness":
        from .import_harness import convert_harness

        return convert_harness(raw, display, limits=limits)
    from .hub import split_readme
    from .import_hf_dataset import convert_hf_dataset, is_dataset_card

    if is_dataset_card(split_readme(raw, display, limits, warn=lambda _: None)):
        return convert_hf_dataset(raw, display, limits=limits)
    from .import_hf import convert_hf

    return convert_hf(raw, display, limits=limits)


def import_card(path: Path, source: str, *, limits: Limits | None = None) -> Conversion:
    """Convert the card at ``path`` from ``source`` (one of :data:`SOURCES`)."""
    conversion = convert(read_input(path, limits), source, str(path), limits)
    header = [f"Imported from {source} ({path.name}) by `cardwright import`.",
              "Review every field, then run `cardwright validate --strict` to see what is still to write."]
    if conversion.unmapped:
        header.append("Not mapped to a card field (kept in notes or under `extensions` where it had content):")
        header += [f"  - {item}" for item in conversion.unmapped]
    from ..schema.loading import card_class

    conversion.data = in_schema_order(conversion.data, card_class(conversion.kind))
    conversion.text = dump_card(conversion.data, header)
    _check(conversion.text, str(path))
    return conversion
