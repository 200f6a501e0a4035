"""Hugging Face model card (README.md with YAML front matter) → a cardwright model card.

The front matter gives the licence, the datasets (Hub ids), the base model and ``model-index``
(its metrics become performance measures; the reported values are kept under
``extensions.huggingface.eval_results``).  The body's sections are matched by heading to the
card's fields, following the Hub's model card template; sections with no field are kept under
``extensions.huggingface.sections`` and listed.  Placeholder text such as
``[More Information Needed]`` is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import CardwrightError, Finding
from .import_common import Conversion, empty_model_card, is_contact, prune, spdx_or_none

#: Heading (lower case) → (section, field) in the card.  Appended when several map to one field.
HEADINGS: dict[str, tuple[str, str]] = {
    "model description": ("model_details", "overview"),
    "model details": ("model_details", "overview"),
    "model summary": ("model_details", "overview"),
    "direct use": ("intended_use", "primary_uses"),
    "intended uses & limitations": ("intended_use", "primary_uses"),
    "intended use": ("intended_use", "primary_uses"),
    "uses": ("intended_use", "primary_uses"),
    "downstream use": ("intended_use", "primary_uses"),
    "out-of-scope use": ("intended_use", "out_of_scope_uses"),
    "bias, risks, and limitations": ("ethical_considerations", "risks_and_harms"),
    "bias, risks and limitations": ("ethical_considerations", "risks_and_harms"),
    "limitations and bias": ("ethical_considerations", "risks_and_harms"),
    "recommendations": ("caveats_and_recommendations", "usage_recommendations"),
    "training data": ("training_data", "motivation"),
    "preprocessing": ("training_data", "preprocessing"),
    "training procedure": ("model_details", "training_details"),
    "training hyperparameters": ("model_details", "training_details"),
    "testing data": ("evaluation_data", "motivation"),
    "evaluation data": ("evaluation_data", "motivation"),
    "factors": ("factors", "evaluation_factors_rationale"),
    "metrics": ("metrics", "performance_measures_rationale"),
    "environmental impact": ("environmental_impact", "estimation_method"),
    "model architecture and objective": ("model_details", "type"),
}
_CONTAINERS = {"uses", "training details", "evaluation", "testing data, factors & metrics", "technical specifications",
               "technical specifications [optional]", "model sources", "model sources [optional]"}
_PLACEHOLDER = re.compile(r"\[More Information Needed\]|\[optional\]", re.I)
_FIELD_LINE = re.compile(r"^\s*[-*]\s*\*\*(.+?):?\*\*:?\s*(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def split_front_matter(raw: str, display: str) -> tuple[dict[str, Any], str]:
    import yaml

    text = raw.lstrip("\ufeff")
    if not text.startswith("---"):
        return {}, text
    parts = re.split(r"^---\s*$", text, maxsplit=2, flags=re.M)
    if len(parts) < 3:
        raise CardwrightError(Finding(display, "import", "the front matter is not closed with `---`"))
    try:
        data = yaml.safe_load(parts[1]) or {}
    except yaml.YAMLError as e:
        raise CardwrightError(Finding(display, "import", f"the front matter is not valid YAML: {e}")) from e
    if not isinstance(data, dict):
        raise CardwrightError(Finding(display, "import", "the front matter is not a mapping"))
    return data, parts[2]


def sections(body: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The first H1 title and every (heading, text) pair in order (code fences respected)."""
    title, out, current, lines, fence = None, [], "", [], False
    for line in body.splitlines():
        if line.strip().startswith("```"):
            fence = not fence
        m = _HEADING.match(line) if not fence else None
        if m:
            if current or any(s.strip() for s in lines):
                out.append((current, "\n".join(lines).strip()))
            heading = m.group(2).strip()
            if len(m.group(1)) == 1 and title is None:
                title, current, lines = heading, "", []
                continue
            current, lines = heading, []
        else:
            lines.append(line)
    if current or any(s.strip() for s in lines):
        out.append((current, "\n".join(lines).strip()))
    return title, out


def _clean(text: str) -> str:
    kept = [line for line in text.splitlines() if not _PLACEHOLDER.search(line) and not line.strip().startswith("<!--")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _license(fm: dict[str, Any], details: dict[str, Any], unmapped: list[str]) -> None:
    lic = fm.get("license")
    if not lic:
        return
    if str(lic).lower() == "other":
        details["license"] = {"name": str(fm.get("license_name") or "Custom licence")}
        if isinstance(fm.get("license_link"), str) and fm["license_link"].startswith("http"):
            details["license"]["url"] = fm["license_link"]
        return
    spdx = spdx_or_none(str(lic))
    if spdx is None and re.match(r"^(gpl|lgpl|agpl|gfdl)-\d", str(lic), re.I):
        spdx = spdx_or_none(f"{lic}-only")
    if spdx:
        details["license"] = spdx
    else:
        details["license"] = {"name": str(lic)}
        unmapped.append(f"license: {lic!r} is not an SPDX identifier (kept as a custom licence)")


def _bullet_fields(text: str, details: dict[str, Any], ext: dict[str, Any], unmapped: list[str]) -> str:
    """Pull the template's ``- **Developed by:** …`` lines into fields; returns the rest."""
    rest = []
    for line in text.splitlines():
        m = _FIELD_LINE.match(line)
        if not m or _PLACEHOLDER.search(m.group(2)) or not m.group(2).strip():
            if not (m and (_PLACEHOLDER.search(m.group(2)) or not m.group(2).strip())):
                rest.append(line)
            continue
        key, value = m.group(1).strip().lower().rstrip(":"), m.group(2).strip()
        if key.startswith("developed by"):
            details.setdefault("developers", []).append({"name": value[:500], "role": "developer"})
        elif key.startswith("model type"):
            details["type"] = value
        elif key.startswith("finetuned from") or key.startswith("fine-tuned from"):
            details["training_details"] = f"Fine-tuned from {value}."
        elif key.startswith("license"):
            continue  # the front matter's licence is authoritative
        else:
            ext.setdefault("fields", {})[m.group(1).strip().rstrip(":")] = value
            unmapped.append(f"field {m.group(1).strip().rstrip(':')!r} (kept under extensions)")
    return "\n".join(rest).strip()


def convert_hf(raw: str, display: str) -> Conversion:
    fm, body = split_front_matter(raw, display)
    unmapped: list[str] = []
    ext: dict[str, Any] = {}
    card = empty_model_card()
    details: dict[str, Any] = {}
    _license(fm, details, unmapped)
    index = fm.get("model-index") or []
    title, parts = sections(body)
    name = (index[0].get("name") if index and isinstance(index[0], dict) else None) or title or fm.get("model_name")
    details["name"] = str(name or "Imported model")
    if not name:
        unmapped.append("no model name in model-index or a title: set to 'Imported model'")
    version = fm.get("version") or fm.get("model_version")
    details["version"] = str(version) if version else "unversioned"
    if not version:
        unmapped.append("no version in the front matter: set to 'unversioned'")
    datasets = [d for d in fm.get("datasets") or [] if isinstance(d, str)]
    card["training_data"]["datasets"] = [{"name": d, "url": f"https://huggingface.co/datasets/{d}"} for d in datasets]
    if fm.get("base_model"):
        base = fm["base_model"] if isinstance(fm["base_model"], str) else ", ".join(map(str, fm["base_model"]))
        details["training_details"] = f"Fine-tuned from {base}."
    metrics: list[str] = []
    evals = []
    for entry in index if isinstance(index, list) else []:
        for result in (entry or {}).get("results") or []:
            for m in result.get("metrics") or []:
                if isinstance(m, dict) and m.get("type"):
                    metrics.append(str(m["type"]))
            evals.append(result)
    metrics += [str(m) for m in fm.get("metrics") or [] if isinstance(m, str)]
    if metrics:
        card["metrics"]["performance_measures"] = [{"name": n} for n in dict.fromkeys(metrics)]
    if evals:
        ext["eval_results"] = evals
        unmapped.append(f"model-index: {len(evals)} reported result(s) kept under extensions; add "
                        "`quantitative_analyses` with the evaluation file to compute them")
    for key in ("language", "tags", "library_name", "pipeline_tag", "widget", "inference", "co2_eq_emissions"):
        if key in fm:
            ext[key] = fm[key]
    known = {"license", "license_name", "license_link", "model-index", "datasets", "base_model", "metrics",
             "version", "model_version", "model_name", "language", "tags", "library_name", "pipeline_tag", "widget",
             "inference", "co2_eq_emissions"}
    for key in sorted(set(fm) - known):
        ext.setdefault("front_matter", {})[key] = fm[key]
        unmapped.append(f"front matter `{key}` (kept under extensions)")
    kept: dict[str, str] = {}
    for heading, text in parts:
        key = heading.lower().strip().rstrip(":")
        text = _bullet_fields(text, details, ext, unmapped) if key in ("model description", "model details", "") else text
        text = _clean(text)
        if not text:
            continue
        if key == "":
            key = "model description"
        if key in HEADINGS:
            section, field = HEADINGS[key]
            target = details if section == "model_details" else card.setdefault(section, {})
            target[field] = f"{target[field]}\n\n{text}" if target.get(field) else text
        elif key in ("citation", "citation [optional]"):
            fenced = re.search(r"```[a-z]*\n(.*?)```", text, re.S)
            bib = (fenced.group(1) if fenced else text).strip()
            details["citation"] = {"bibtex": bib} if bib.startswith("@") else {"text": text}
        elif key == "model card contact" and is_contact(text.strip()):
            details["feedback_contact"] = text.strip()
        elif key not in _CONTAINERS or text:
            kept[heading] = text
            unmapped.append(f"section {heading!r} (kept under extensions)")
    if kept:
        ext["sections"] = kept
    card["model_details"] = details
    if ext:
        card["extensions"] = {"huggingface": ext}
    return Conversion(kind="model-card", data=prune(card), unmapped=unmapped, source="huggingface")
