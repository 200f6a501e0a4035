"""Google Model Card Toolkit (MCT) JSON → a cardwright model card.

MCT's schema (``model_card.schema.json`` v0.0.2 and the later proto) has ``model_details``,
``model_parameters``, ``quantitative_analysis`` and ``considerations``.  Its reported metric
values cannot become cardwright results (those are computed from the evaluation file), so they
are kept verbatim under ``extensions.model_card_toolkit.performance_metrics`` and the metric names
become the card's performance measures; graphics (base64 images) are not carried over.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..errors import CardwrightError, Finding
from .import_common import Conversion, bullets, empty_model_card, is_contact, is_url, prune, spdx_or_none

_KNOWN = {
    "model_details": {"name", "overview", "documentation", "owners", "version", "licenses", "references",
                      "citations", "path", "regulatory_requirements"},
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
        return str(item.get("description") or item.get("name") or item.get("reference") or "")
    return str(item)


def _datasets(data: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str], list[str]]:
    """(training, evaluation, sensitive notes, dropped) from ``model_parameters.data``."""
    if isinstance(data, dict):  # v0.0.2: {train: {...}, eval: {...}}
        items = [("train", data.get("train")), ("eval", data.get("eval"))]
    elif isinstance(data, list):  # later versions: a list of datasets with names
        items = [("eval" if "eval" in str(d.get("name", "")).lower() or "test" in str(d.get("name", "")).lower()
                  else "train", d) for d in data if isinstance(d, dict)]
    else:
        items = []
    train, evaluation, sensitive, dropped = [], [], [], []
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


def _license(licenses: Any, card: dict[str, Any], unmapped: list[str], ext: dict[str, Any]) -> None:
    if not isinstance(licenses, list) or not licenses:
        return
    first, rest = licenses[0], licenses[1:]
    if isinstance(first, dict) and first.get("identifier"):
        spdx = spdx_or_none(str(first["identifier"]))
        if spdx:
            card["license"] = spdx
        else:
            card["license"] = {"name": str(first["identifier"])}
            unmapped.append(f"model_details.licenses.0: {first['identifier']!r} is not an SPDX identifier (kept as a custom licence)")
    elif isinstance(first, dict) and first.get("custom_text"):
        card["license"] = {"name": "Custom licence", "text": str(first["custom_text"])}
    if rest:
        ext["licenses"] = rest
    for i in range(1, len(rest) + 1):
        unmapped.append(f"model_details.licenses.{i}: only the first licence is mapped (the others are kept under extensions)")


def _details(md: dict[str, Any], unmapped: list[str], ext: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": str(md.get("name") or "").strip() or "Imported model"}
    if not md.get("name"):
        unmapped.append("model_details.name is missing: set to 'Imported model'")
    out["overview"] = md.get("overview")
    version = md.get("version") or {}
    out["version"] = str(version.get("name") or "").strip() or "unversioned"
    if not version.get("name"):
        unmapped.append("model_details.version.name is missing: set to 'unversioned'")
    out["version_notes"] = version.get("diff")
    if version.get("date"):
        try:
            out["date"] = dt.date.fromisoformat(str(version["date"])[:10]).isoformat()
        except ValueError:
            unmapped.append(f"model_details.version.date: {version['date']!r} is not a YYYY-MM-DD date")
            ext["version_date"] = version["date"]
    owners = []
    for i, o in enumerate(md.get("owners") or []):
        if not isinstance(o, dict) or not o.get("name"):
            continue
        party: dict[str, Any] = {"name": str(o["name"]), "role": "owner"}
        contact = str(o.get("contact") or "").strip()
        if contact and is_contact(contact):
            party["contact"] = contact
        elif contact:
            party["organization"] = contact[:500]
            unmapped.append(f"model_details.owners.{i}.contact: {contact!r} is not an e-mail address or URL (kept as organization)")
        owners.append(party)
    out["owners"] = owners
    _license(md.get("licenses"), out, unmapped, ext)
    links = []
    for i, r in enumerate(md.get("references") or []):
        url = _text(r).strip()
        if is_url(url):
            links.append({"title": url, "url": url})
        elif url:
            unmapped.append(f"model_details.references.{i}: {url!r} is not an http(s) URL")
            ext.setdefault("references", []).append(url)
    out["paper_or_resource"] = links
    citations = [c for c in md.get("citations") or [] if isinstance(c, dict) and c.get("citation")]
    if citations:
        first = citations[0]
        is_bibtex = str(first.get("style", "")).lower() == "bibtex" or str(first["citation"]).lstrip().startswith("@")
        out["citation"] = {"bibtex": str(first["citation"])} if is_bibtex else {"text": str(first["citation"])}
        if len(citations) > 1:
            ext["citations"] = citations[1:]
            unmapped.append(f"model_details.citations: {len(citations) - 1} more citation(s) kept under extensions")
    for key in ("documentation", "path", "regulatory_requirements"):
        if md.get(key):
            ext[key] = md[key]
            unmapped.append(f"model_details.{key}")
    return out


def convert_mct(raw: str, display: str) -> Conversion:
    try:
        doc = json.loads(raw)
    except ValueError as e:
        raise CardwrightError(Finding(display, "import", f"not valid JSON: {e}",
                                      hint="export the model card from the toolkit as JSON (ModelCard.to_json())")) from e
    if not isinstance(doc, dict) or not (set(doc) & set(_KNOWN)):
        raise CardwrightError(Finding(display, "import", "this is not Model Card Toolkit JSON (no model_details, "
                                      "model_parameters, quantitative_analysis or considerations)",
                                      hint="use --from huggingface for a README.md model card"))
    unmapped: list[str] = []
    ext: dict[str, Any] = {}
    for section, keys in _KNOWN.items():
        for key in sorted(set(doc.get(section) or {}) - keys):
            unmapped.append(f"{section}.{key} (unknown to this converter; kept under extensions)")
            ext.setdefault("other", {})[f"{section}.{key}"] = doc[section][key]
    for key in sorted(set(doc) - set(_KNOWN) - {"schema_version"}):
        unmapped.append(f"{key} (unknown to this converter; kept under extensions)")
        ext.setdefault("other", {})[key] = doc[key]
    card = empty_model_card()
    card["model_details"] = _details(doc.get("model_details") or {}, unmapped, ext)
    params = doc.get("model_parameters") or {}
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
    qa = doc.get("quantitative_analysis") or {}
    metrics = [m for m in qa.get("performance_metrics") or [] if isinstance(m, dict) and m.get("type")]
    if metrics:
        names = list(dict.fromkeys(str(m["type"]) for m in metrics))
        card["metrics"]["performance_measures"] = [{"name": n} for n in names]
        thresholds = sorted({str(m["threshold"]) for m in metrics if m.get("threshold") is not None})
        if thresholds:
            card["metrics"]["decision_thresholds"] = f"Thresholds reported by the toolkit: {', '.join(thresholds)}."
        slices = sorted({str(m["slice"]) for m in metrics if m.get("slice")})
        if slices:
            card["factors"]["evaluation_factors_rationale"] = (
                "Slices reported by the toolkit: " + ", ".join(slices) + ". Declare the factors behind them here.")
        ext["performance_metrics"] = metrics
        unmapped.append(f"quantitative_analysis.performance_metrics: {len(metrics)} reported value(s) kept under "
                        "extensions; add `quantitative_analyses` with the evaluation file to compute them")
    if (qa.get("graphics") or {}).get("collection"):
        unmapped.append("quantitative_analysis.graphics (images are not carried over; cardwright draws its own charts)")
    cons = doc.get("considerations") or {}
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
    if ext:
        card["extensions"] = {"model_card_toolkit": ext}
    return Conversion(kind="model-card", data=prune(card), unmapped=unmapped, source="model-card-toolkit")
