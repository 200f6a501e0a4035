"""Google Model Card Toolkit (MCT) JSON → a cardwright model card.

MCT's schema (``model_card.schema.json`` v0.0.1, v0.0.2 and the later proto) has
``model_details``, ``model_parameters``, ``quantitative_analysis`` and ``considerations``.  Its
``performance_metrics`` become reported results (value, confidence interval, slice, threshold),
measured on the card's evaluation dataset; dates in the formats MCT cards use (ISO,
``08/28/2020``, ``2020/02/02``) are read; datasets named as validation or test sets are
evaluation data; ``regulatory_requirements`` is governance's regulatory context; references that
are text with a URL keep the URL.  Graphics (base64 images, HTML) are dropped with a note, and no
long encoded string is carried into the card.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from ..errors import CardwrightError, Finding
from .import_common import (
    Conversion,
    as_mapping,
    bounded_json,
    bullets,
    empty_model_card,
    is_contact,
    is_url,
    prune,
    spdx_or_none,
)

if TYPE_CHECKING:
    from ..schema.yaml_loader import Limits

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%Y-%m")
_URL_IN = re.compile(r"https?://[^\s<>\")\]]+")
#: Strings longer than this that look encoded (base64, HTML) are dropped, never carried into a card.
_MAX_OPAQUE = 2048

_KNOWN = {
    "model_details": {"name", "overview", "documentation", "owners", "version", "licenses", "license", "references",
                      "citations", "citation", "path", "regulatory_requirements"},
    "model_parameters": {"model_architecture", "data", "input_format", "input_format_map", "output_format",
                         "output_format_map"},
    "quantitative_analysis": {"performance_metrics", "graphics"},
    "considerations": {"users", "use_cases", "limitations", "tradeoffs", "ethical_considerations"},
}


def _text(item: Any) -> str:
    """MCT lists hold plain strings (v0.0.2) or ``{description: …}`` objects (later versions)."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return str(item.get("description") or item.get("name") or item.get("reference") or item.get("regulation") or "")
    return str(item)


def _datasets(data: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str], list[str]]:
    """(training, evaluation, sensitive notes, dropped) from ``model_parameters.data``."""
    if isinstance(data, dict):  # v0.0.2: {train: {...}, eval: {...}}
        items = [("train", data.get("train")), ("eval", data.get("eval"))]
    elif isinstance(data, list):  # later versions: a list of datasets with names
        items = [("eval" if re.search(r"eval|test|valid", str(d.get("name", "")), re.I) else "train", d)
                 for d in data if isinstance(d, dict)]
    else:
        items = []
    train: list[dict[str, Any]] = []
    evaluation: list[dict[str, Any]] = []
    sensitive: list[str] = []
    dropped: list[str] = []
    for role, d in items:
        if not isinstance(d, dict):
            continue
        ref: dict[str, Any] = {"name": str(d.get("name") or f"{role} data")}
        link = d.get("link")
        if isinstance(link, str) and link:
            if is_url(link):
                ref["url"] = link
            else:
                ref["description"] = f"Location: {link}"
        if d.get("description"):
            ref["description"] = (ref.get("description", "") + "\n\n" + str(d["description"])).strip()
        s = d.get("sensitive")
        if isinstance(s, dict) and s.get("sensitive_data"):
            sensitive.append(f"{ref['name']}: {', '.join(map(str, s['sensitive_data']))}")
        if d.get("graphics"):
            dropped.append(f"model_parameters.data.{role}.graphics (images are not carried over)")
        (evaluation if role == "eval" else train).append(ref)
    return train, evaluation, sensitive, dropped


def _license(md: dict[str, Any], card: dict[str, Any], unmapped: list[str], ext: dict[str, Any]) -> None:
    licenses = md.get("licenses")
    if isinstance(md.get("license"), str) and not licenses:  # v0.0.1: one licence as text
        licenses = [{"identifier": md["license"]}]
    if not isinstance(licenses, list) or not licenses:
        return
    first, rest = licenses[0], licenses[1:]
    ident = first.get("identifier") if isinstance(first, dict) else None
    custom = first.get("custom_text") if isinstance(first, dict) else None
    if not ident and isinstance(custom, str) and len(custom) < 60 and spdx_or_none(custom.strip()):
        ident = custom.strip()  # an identifier written as custom text
    if ident:
        spdx = spdx_or_none(str(ident)) or spdx_or_none(str(ident).replace(" ", "-"))
        if spdx:
            card["license"] = spdx
        else:
            card["license"] = {"name": str(ident)[:500]}
            unmapped.append(f"model_details.licenses.0: {ident!r} is not an SPDX identifier (kept as a custom licence)")
    elif custom:
        card["license"] = {"name": "Custom licence", "text": str(custom)}
    if rest:
        ext["licenses"] = rest
    for i in range(1, len(rest) + 1):
        unmapped.append(f"model_details.licenses.{i}: only the first licence is mapped (the others are kept under extensions)")


def parse_date(value: Any) -> str | None:
    """An ISO date from the formats MCT cards use (``2020-01-01``, ``08/28/2020``, ``2020/02/02``…)."""
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _reference(r: Any) -> dict[str, Any] | None:
    """A link from a reference: a URL, or text holding one (the text becomes the title)."""
    text = _text(r).strip()
    if is_url(text):
        return {"title": text[:500], "url": text}
    m = _URL_IN.search(text)
    if not m:
        return None
    title = (text[: m.start()] + text[m.end():]).strip(" ,;:-()[]") or m.group(0)
    return {"title": title[:500], "url": m.group(0).rstrip(".,;")}


def _citation(md: dict[str, Any], out: dict[str, Any], unmapped: list[str], ext: dict[str, Any]) -> None:
    raw = md.get("citations")
    if raw is None and md.get("citation") is not None:  # v0.0.1 text, or a single object
        raw = [md["citation"]]
    items = [{"citation": c} if isinstance(c, str) else c for c in raw] if isinstance(raw, list) else []
    citations = [c for c in items if isinstance(c, dict) and c.get("citation")]
    if not citations:
        return
    first = citations[0]
    text = str(first["citation"])
    if str(first.get("style", "")).lower() == "bibtex" or text.lstrip().startswith("@"):
        out["citation"] = {"bibtex": text}
    elif is_url(text.strip()):
        out["citation"] = {"url": text.strip()}
    else:
        url = _URL_IN.search(text)
        out["citation"] = {"text": text, **({"url": url.group(0).rstrip(".,;")} if url else {})}
    if len(citations) > 1:
        ext["citations"] = citations[1:]
        unmapped.append(f"model_details.citations: {len(citations) - 1} more citation(s) kept under extensions")


def _owners(md: dict[str, Any], unmapped: list[str]) -> list[dict[str, Any]]:
    owners = []
    for i, o in enumerate(md.get("owners") or []):
        if not isinstance(o, dict) or not o.get("name"):
            continue
        party: dict[str, Any] = {"name": str(o["name"])[:500], "role": "owner"}
        contact = str(o.get("contact") or "").strip()
        if contact and is_contact(contact):
            party["contact"] = contact
        elif contact:
            party["organization"] = contact[:500]
            unmapped.append(f"model_details.owners.{i}.contact: {contact!r} is not an e-mail address or URL (kept as organization)")
        owners.append(party)
    return owners


def _details(md: dict[str, Any], unmapped: list[str], ext: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": str(md.get("name") or "").strip()[:500] or "Imported model"}
    if not md.get("name"):
        unmapped.append("model_details.name is missing: set to 'Imported model'")
    out["overview"] = md.get("overview")
    version: dict[str, Any] = as_mapping(md.get("version")) or {"name": md.get("version")}
    out["version"] = str(version.get("name") or "").strip()[:500] or "unversioned"
    if not version.get("name"):
        unmapped.append("model_details.version.name is missing: set to 'unversioned'")
    out["version_notes"] = version.get("diff")
    if version.get("date"):
        date = parse_date(version["date"])
        if date:
            out["date"] = date
        else:
            unmapped.append(f"model_details.version.date: {version['date']!r} is not a date cardwright can read")
            ext["version_date"] = version["date"]
    out["owners"] = _owners(md, unmapped)
    _license(md, out, unmapped, ext)
    links = []
    for i, r in enumerate(md.get("references") or []):
        link = _reference(r)
        if link:
            links.append(link)
        elif _text(r).strip():
            unmapped.append(f"model_details.references.{i}: {_text(r).strip()[:80]!r} holds no http(s) URL")
            ext.setdefault("references", []).append(_text(r))
    out["paper_or_resource"] = links
    _citation(md, out, unmapped, ext)
    for key in ("documentation", "path"):
        if md.get(key):
            ext[key] = md[key]
            unmapped.append(f"model_details.{key}")
    return out


def _regulatory(md: dict[str, Any]) -> str | None:
    raw = md.get("regulatory_requirements")
    items = raw if isinstance(raw, list) else [raw] if raw else []
    return bullets([_text(i) for i in items])


def _value(v: Any) -> Any:
    """A metric value as MCT wrote it: numbers (often as text, ``"0.9"``) become numbers."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    try:
        number = float(str(v).strip())
    except ValueError:
        return str(v)[:500]
    return number if number == number and abs(number) != float("inf") else str(v)


def mct_slice(text: Any) -> dict[str, str]:
    """An MCT slice name as group values: ``sex:Female, race:Black`` or ``sex=Female`` name their
    factors; a bare name (``cat``) is the group of a factor called ``slice``; ``overall`` is none."""
    name = str(text or "").strip()
    if not name or name.lower() in ("overall", "all", "none"):
        return {}
    out = {}
    for part in re.split(r"\s*[,&;]\s*", name):
        m = re.match(r"^([^:=]+?)\s*[:=]\s*(.+)$", part)
        if m:
            out[m.group(1).strip()[:500]] = m.group(2).strip()[:500]
        elif part:
            out["slice"] = part[:500]
    return out


def _reported(metrics: list[dict[str, Any]], evaluation: list[dict[str, Any]], date: str | None,
              unmapped: list[str]) -> list[dict[str, Any]]:
    dataset = {"name": evaluation[0]["name"]} if len(evaluation) == 1 else None
    out = []
    for i, m in enumerate(metrics):
        row: dict[str, Any] = {"metric": str(m["type"])[:500], "value": _value(m.get("value"))}
        ci = as_mapping(m.get("confidence_interval"))
        lo, hi = _value(ci.get("lower_bound")), _value(ci.get("upper_bound"))
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo <= hi:
            row.update(ci_low=float(lo), ci_high=float(hi))
        elif ci:
            unmapped.append(f"quantitative_analysis.performance_metrics.{i}.confidence_interval: not two ordered numbers (dropped)")
        sl = mct_slice(m.get("slice"))
        if sl:
            row["slice"] = sl
        if m.get("threshold") is not None:
            row["settings"] = {"threshold": _value(m["threshold"])}
        if dataset:
            row["dataset"] = dataset
        row["source"] = {"name": "Model Card Toolkit"}
        if date:
            row["date"] = date
        out.append(row)
    return out


def _drop_opaque(value: Any, where: str, unmapped: list[str]) -> Any:
    """``value`` without long encoded strings (base64 images, HTML), each dropped with a note."""
    if isinstance(value, str) and len(value) > _MAX_OPAQUE and (" " not in value[:200] or "<" in value[:200]):
        unmapped.append(f"{where}: {len(value):,} characters of encoded data (an image or HTML) dropped")
        return None
    if isinstance(value, dict):
        return {k: _drop_opaque(v, f"{where}.{k}", unmapped) for k, v in value.items() if k != "graphics"}
    if isinstance(value, list):
        return [_drop_opaque(v, f"{where}.{i}", unmapped) for i, v in enumerate(value)]
    return value


def _mct_document(raw: str, display: str, limits: Limits | None) -> dict[str, Any]:
    """The JSON document, refused unless it has a Model Card Toolkit section."""
    doc = bounded_json(raw, display, limits)
    if not isinstance(doc, dict) or not (set(doc) & set(_KNOWN)):
        raise CardwrightError(Finding(display, "import", "this is not Model Card Toolkit JSON (no model_details, "
                                      "model_parameters, quantitative_analysis or considerations)",
                                      hint="use --from huggingface for a README.md model card"))
    return doc


def _unknown_keys(doc: dict[str, Any], unmapped: list[str], ext: dict[str, Any]) -> None:
    """Keys this converter does not know, kept under extensions (without encoded data)."""
    for section, keys in _KNOWN.items():
        block = as_mapping(doc.get(section))
        for key in sorted(set(block) - keys):
            unmapped.append(f"{section}.{key} (unknown to this converter; kept under extensions)")
            ext.setdefault("other", {})[f"{section}.{key}"] = _drop_opaque(block[key], f"{section}.{key}", unmapped)
    for key in sorted(set(doc) - set(_KNOWN) - {"schema_version"}):
        unmapped.append(f"{key} (unknown to this converter; kept under extensions)")
        ext.setdefault("other", {})[key] = _drop_opaque(doc[key], key, unmapped)


def _parameters(params: dict[str, Any], card: dict[str, Any], unmapped: list[str], ext: dict[str, Any]) -> list[str]:
    """``model_parameters`` into the architecture, the formats and the datasets; returns the
    sensitive-data notes of the datasets."""
    card["model_details"]["type"] = params.get("model_architecture")
    io = [f"Input format: {params['input_format']}." if params.get("input_format") else "",
          f"Output format: {params['output_format']}." if params.get("output_format") else ""]
    card["model_details"]["training_details"] = " ".join(i for i in io if i) or None
    for key in ("input_format_map", "output_format_map"):
        if params.get(key):
            ext[key] = params[key]
            unmapped.append(f"model_parameters.{key}")
    train, evaluation, sensitive, dropped = _datasets(params.get("data"))
    card["training_data"]["datasets"] = train
    card["evaluation_data"]["datasets"] = evaluation
    unmapped += dropped
    return sensitive


def _metric_facts(metrics: list[dict[str, Any]], card: dict[str, Any]) -> None:
    """The metric names, thresholds and slices the toolkit reports, as the card's prose says them."""
    names = list(dict.fromkeys(str(m["type"]) for m in metrics))
    card["metrics"]["performance_measures"] = [{"name": n[:500]} for n in names]
    thresholds = sorted({str(m["threshold"]) for m in metrics if m.get("threshold") is not None})
    if thresholds:
        card["metrics"]["decision_thresholds"] = f"Thresholds reported by the toolkit: {', '.join(thresholds)}."
    slices = sorted({str(m["slice"]) for m in metrics if m.get("slice")})
    if slices:
        card["factors"]["evaluation_factors_rationale"] = (
            "Slices reported by the toolkit: " + ", ".join(slices) + ". Declare the factors behind them here.")


def _quantitative(qa: dict[str, Any], card: dict[str, Any], unmapped: list[str]) -> int:
    """``performance_metrics`` into reported results (on the evaluation dataset, if there is one);
    returns how many."""
    metrics = [m for m in qa.get("performance_metrics") or [] if isinstance(m, dict) and m.get("type")]
    reported = _reported(metrics, card["evaluation_data"]["datasets"], card["model_details"].get("date"), unmapped)
    if metrics:
        _metric_facts(metrics, card)
        card["reported_results"] = {"results": reported}
    if as_mapping(qa.get("graphics")).get("collection"):
        unmapped.append("quantitative_analysis.graphics (images are not carried over; cardwright draws its own charts)")
    return len(reported)


def _considerations(cons: dict[str, Any], card: dict[str, Any], sensitive: list[str]) -> None:
    card["intended_use"]["primary_users"] = bullets([_text(u) for u in cons.get("users") or []])
    card["intended_use"]["primary_uses"] = bullets([_text(u) for u in cons.get("use_cases") or []])
    card["caveats_and_recommendations"]["other"] = bullets([_text(u) for u in cons.get("limitations") or []])
    card["metrics"]["performance_measures_rationale"] = bullets([_text(u) for u in cons.get("tradeoffs") or []])
    risks = [r for r in cons.get("ethical_considerations") or [] if isinstance(r, dict)]
    card["ethical_considerations"]["risks_and_harms"] = bullets([str(r.get("name") or "") for r in risks])
    card["ethical_considerations"]["mitigations"] = bullets(
        [f"{r.get('name')}: {r['mitigation_strategy']}" if r.get("name") else str(r["mitigation_strategy"])
         for r in risks if r.get("mitigation_strategy")])
    card["ethical_considerations"]["data"] = bullets([f"Sensitive data in {s}" for s in sensitive])


def convert_mct(raw: str, display: str, *, limits: Limits | None = None) -> Conversion:
    doc = _mct_document(raw, display, limits)
    unmapped: list[str] = []
    ext: dict[str, Any] = {}
    _unknown_keys(doc, unmapped, ext)
    card = empty_model_card()
    md = as_mapping(doc.get("model_details"))
    card["model_details"] = _details(md, unmapped, ext)
    regulatory = _regulatory(md)
    if regulatory:
        card["governance"] = {"regulatory_context": regulatory}
    sensitive = _parameters(as_mapping(doc.get("model_parameters")), card, unmapped, ext)
    reported = _quantitative(as_mapping(doc.get("quantitative_analysis")), card, unmapped)
    _considerations(as_mapping(doc.get("considerations")), card, sensitive)
    if ext:
        card["extensions"] = {"model_card_toolkit": ext}
    return Conversion(kind="model-card", data=prune(card), unmapped=unmapped, source="model-card-toolkit",
                      reported=reported)
