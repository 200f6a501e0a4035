"""What cardwright knows about Hugging Face cards, for both directions: the README's front
matter (read under the card YAML limits, written with a YAML dumper), the Hub's licence ids and
their mapping to card licences, and the keys the Hub reads.

Imported front matter is kept whole under ``extensions.huggingface.front_matter`` (in its
original order, without ``model-index``, which becomes ``reported_results``), so the export can
restore every key the Hub uses unchanged; keys the card maps (licence, datasets) are restored as
written unless the card's own value changed since.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import CardwrightError, Finding

if TYPE_CHECKING:
    from ..schema.common import License
    from ..schema.yaml_loader import Limits

#: Licence ids the Hub knows (https://huggingface.co/docs/hub/repositories-licenses), lower case.
HUB_LICENSES = frozenset({
    "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause",
    "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
    "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0",
    "epl-2.0", "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl",
    "lgpl-2.1", "lgpl-3.0", "isc", "h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl",
    "apple-amlr", "mpl-2.0", "odc-by", "odbl", "openmdw-1.0", "openrail++", "osl-3.0", "postgresql", "ofl-1.1",
    "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license", "fair-noncommercial-research-license",
    "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "unknown", "other",
})
#: Licence keys of the front matter (the card's licence is authoritative for all three).
LICENSE_KEYS = ("license", "license_name", "license_link")
#: Front-matter keys that ``huggingface_hub`` derives itself: written into a README, they break
#: loading (``eval_results``) or are overwritten (``model_name``), so they are never written.
RESERVED = frozenset({"eval_results", "model_name", "ignore_metadata_errors"})
#: Bookkeeping keys of ``extensions.huggingface`` (never written into the front matter as such).
BOOKKEEPING = frozenset({"front_matter", "sections", "fields", "eval_results", "task_type", "task_name",
                         "dataset_id", "dataset_split"})
_HF_DATASET = re.compile(r"^https?://huggingface\.co/datasets/([\w.-]+(?:/[\w.-]+)?)/?$")
_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)(?:\r?\n)?^---[ \t]*\r?$\n?", re.S | re.M)


@dataclass
class Readme:
    """A README split into its front matter (parsed) and its Markdown body."""

    front_matter: dict[str, Any]
    body: str
    body_line: int
    """Line of the file where the body starts (1-based), to position findings in it."""


def split_readme(raw: str, display: str, limits: Limits | None = None,
                 warn: Callable[[str], None] | None = None) -> Readme:
    """The front matter (read like a card: size, depth and alias limits, no tags, duplicate keys
    refused) and the body.  A README without front matter has an empty one; with ``warn``, a
    front matter that is not a mapping is dropped with a warning instead of refused."""
    from ..errors import CardError
    from ..schema.yaml_loader import parse_yaml_text

    m = _FRONT.match(raw)
    if not m:
        if raw.lstrip("\ufeff").startswith("---"):
            raise CardwrightError(Finding(display, "import", "the front matter is not closed with `---`", line=1, column=1,
                                          hint="end the YAML block with a line holding only `---`"))
        return Readme({}, raw.lstrip("\ufeff"), 1)
    yaml_text, body = m.group(1), raw[m.end():]
    body_line = raw[: m.end()].count("\n") + 1
    if not yaml_text.strip():
        return Readme({}, body, body_line)
    try:
        doc = parse_yaml_text(yaml_text, display, limits=limits, mapping=False)
    except CardError as e:
        # positions in the front matter are one line below the opening `---`
        raise CardwrightError([_shift(f, 1) for f in e.findings]) from e
    if not isinstance(doc.data, dict):
        if warn is not None:
            warn(f"the front matter is {type(doc.data).__name__}, not a mapping of keys to values: dropped")
            return Readme({}, body, body_line)
        raise CardwrightError(Finding(display, "import", "the front matter is not a mapping of keys to values", line=2,
                                      column=1, hint="a README's YAML block holds `key: value` lines"))
    return Readme(doc.data, body, body_line)


def _shift(f: Finding, lines: int) -> Finding:
    return Finding(f.path, f.code, f.message, line=None if f.line is None else f.line + lines, column=f.column,
                   hint=f.hint, severity=f.severity)


def dump_front_matter(data: dict[str, Any]) -> str:
    """YAML for a README's front matter: block style, text quoted wherever YAML 1.1 readers (the
    Hub reads with PyYAML) would read something else, keys in the given order, no anchors and
    aliases (a value used twice, such as the task of several results, is written twice)."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 (PyYAML's signature): no anchors
            return True

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def hub_dataset_id(url: str | None) -> str | None:
    """The Hub id in a ``https://huggingface.co/datasets/…`` URL."""
    m = _HF_DATASET.match(url or "")
    return m.group(1) if m else None


def dataset_url(hub_id: str) -> str:
    return f"https://huggingface.co/datasets/{hub_id}"


def license_from_hub(front: dict[str, Any], warn: Callable[[str], None] | None = None) -> str | dict[str, Any] | None:
    """The card licence (an SPDX expression, or ``{name, url}``) for the front matter's licence
    keys; ``None`` when there is none.  ``warn(message)`` hears about lists and odd values."""
    from .import_common import spdx_or_none

    lic = front.get("license")
    if isinstance(lic, list):
        ids = [str(x).strip() for x in lic if isinstance(x, (str, int, float)) and str(x).strip()]
        if len(ids) != 1:
            if not ids:
                return None
            if warn:
                warn(f"license lists {len(ids)} licences: mapped as all of them applying ({' AND '.join(ids)})")
            mapped = [license_from_hub({"license": i}) for i in ids]
            spdx_ids = [m for m in mapped if isinstance(m, str)]
            if len(spdx_ids) == len(mapped):
                return " AND ".join(f"({m})" if " " in m else m for m in spdx_ids)
            return {"name": " AND ".join(ids)[:500]}
        return license_from_hub({"license": ids[0]}, warn)
    if not isinstance(lic, str) or not lic.strip():
        if lic is not None and warn:
            warn(f"license: {lic!r} is not a licence id (dropped)")
        return None
    key = str(lic).strip()
    if key.lower() == "other":
        out: dict[str, Any] = {"name": str(front.get("license_name") or "other")[:500]}
        link = front.get("license_link")
        if isinstance(link, str) and re.match(r"^https?://\S+$", link):
            out["url"] = link
        return out
    if key.lower() == "unknown":
        return None
    spdx = spdx_or_none(key)
    if spdx is None and re.match(r"^(?:a|l)?gpl-\d(?:\.\d)?$", key, re.I):
        spdx = spdx_or_none(f"{key}-only")
    return spdx if spdx else {"name": key[:500]}


def license_to_hub(license: License | None) -> dict[str, Any]:
    """Front-matter licence keys for a card licence: a Hub id where the Hub has one, else
    ``other`` with ``license_name`` (and ``license_link``)."""
    if license is None:
        return {}
    if isinstance(license, str):
        key = re.sub(r"-only$|-or-later$", "", license.lower())
        if key in HUB_LICENSES:
            return {"license": key}
        return {"license": "other", "license_name": re.sub(r"[^a-z0-9.+-]+", "-", license.lower()).strip("-")}
    name = license.name.strip()
    if name.lower() in HUB_LICENSES and name.lower() != "other" and not license.url:
        return {"license": name.lower()}
    out: dict[str, Any] = {"license": "other", "license_name": re.sub(r"[^a-z0-9.+-]+", "-", name.lower()).strip("-")
                           or "other"}
    if license.url:
        out["license_link"] = license.url
    return out


def same_license(card_license: License | None, front: dict[str, Any]) -> bool:
    """Whether the card's licence is still the one the stored front matter gives (so the stored,
    exact Hub keys can be written back)."""
    from pydantic import BaseModel

    mine = card_license.model_dump(exclude_none=True) if isinstance(card_license, BaseModel) else card_license
    theirs = license_from_hub(front)
    if isinstance(theirs, dict) and isinstance(mine, dict):
        return theirs == {k: v for k, v in mine.items() if k in ("name", "url")} and "text" not in mine
    return mine == theirs
