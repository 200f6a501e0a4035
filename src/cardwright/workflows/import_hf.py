"""Hugging Face model card (README.md with YAML front matter) → a cardwright model card.

The front matter is read under the card YAML limits and kept whole under
``extensions.huggingface.front_matter`` (so the export restores every key the Hub reads);
the licence (Hub ids stay recognisable: ``llama3`` becomes a named licence, ``apache-2.0`` the
SPDX ``Apache-2.0``), the datasets, the base model and ``co2_eq_emissions`` are also mapped onto
card fields, and ``model-index`` becomes ``reported_results`` (see :mod:`.model_index`).

The body's sections are matched by heading (see :data:`HEADINGS` and :mod:`.readme_sections`):
the template's ``- **Developed by:** …`` bullets, the environmental-impact bullets and the model
sources become structured fields; sections with no field are kept in ``notes``.  Template
placeholders are kept where they stand, so ``validate --strict`` points at what is still to
write; HTML comments are dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .hub import RESERVED, dataset_url, license_from_hub, split_readme
from .import_common import Conversion, Warn, Warnings, empty_model_card, is_contact, is_url, prune
from .readme_sections import Part, Target, drop_comments, joined, notes_text, place, split_sections

if TYPE_CHECKING:
    from ..schema.yaml_loader import Limits

MD = ("model_details",)
#: Normalised heading → where its text goes.  Subsections without an entry inherit their parent's.
HEADINGS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(["model description", "model details", "model summary", "description", "overview",
                     "model overview", "about", "about the model", "summary"], (*MD, "overview")),
    **dict.fromkeys(["model architecture and objective", "model architecture", "architecture", "model type"],
                    (*MD, "type")),
    **dict.fromkeys(["training procedure", "training details", "training hyperparameters", "training",
                     "training setup", "speeds, sizes, times", "compute infrastructure", "hardware", "software",
                     "framework versions", "training results", "technical specifications", "training regime"],
                    (*MD, "training_details")),
    **dict.fromkeys(["uses", "intended uses", "intended use", "direct use", "downstream use",
                     "intended uses & limitations", "intended uses and limitations", "downstream use [optional]",
                     "use cases", "applications"], ("intended_use", "primary_uses")),
    **dict.fromkeys(["intended users", "users", "primary users", "primary intended users"],
                    ("intended_use", "primary_users")),
    **dict.fromkeys(["out-of-scope use", "out-of-scope uses", "out of scope use", "out of scope uses",
                     "misuse and out-of-scope use", "misuse, malicious use, and out-of-scope use"],
                    ("intended_use", "out_of_scope_uses")),
    **dict.fromkeys(["bias, risks, and limitations", "bias, risks and limitations", "limitations and bias",
                     "limitations and biases", "bias", "biases", "risks", "risks and limitations",
                     "bias and limitations", "biases and limitations", "ethical considerations",
                     "ethical considerations and limitations", "ethics", "risks, limitations and biases"],
                    ("ethical_considerations", "risks_and_harms")),
    **dict.fromkeys(["limitations", "known limitations", "caveats", "caveats and recommendations"],
                    ("caveats_and_recommendations", "other")),
    "recommendations": ("caveats_and_recommendations", "usage_recommendations"),
    **dict.fromkeys(["training data", "training and evaluation data", "training dataset", "training datasets",
                     "datasets", "data"], ("training_data", "motivation")),
    **dict.fromkeys(["preprocessing", "training data preprocessing", "data preprocessing"],
                    ("training_data", "preprocessing")),
    **dict.fromkeys(["testing data", "evaluation data", "test data", "eval data", "evaluation dataset"],
                    ("evaluation_data", "motivation")),
    "factors": ("factors", "evaluation_factors_rationale"),
    **dict.fromkeys(["metrics", "evaluation metrics"], ("metrics", "performance_measures_rationale")),
    **dict.fromkeys(["evaluation", "evaluation results", "results", "eval results", "performance", "benchmarks",
                     "benchmark results", "testing data, factors & metrics", "evaluation and results"],
                    ("reported_results", "notes")),
    **dict.fromkeys(["environmental impact", "carbon emissions", "co2 emissions", "carbon footprint"],
                    ("environmental_impact", "estimation_method")),
    **dict.fromkeys(["table of contents", "contents", "toc"], ("@drop",)),
    **dict.fromkeys(["citation", "bibtex entry and citation info", "citation information", "citing", "how to cite",
                     "bibtex", "cite", "citation [optional]", "reference"], ("@citation",)),
    **dict.fromkeys(["model card authors", "model card authors [optional]", "authors"], ("@authors",)),
    **dict.fromkeys(["model card contact", "contact"], ("@contact",)),
    **dict.fromkeys(["model sources", "model sources [optional]", "sources", "links"], ("@sources",)),
}
#: Front-matter keys that reach card fields (all are also kept for the export).
_MAPPED = {"license", "license_name", "license_link", "datasets", "base_model", "co2_eq_emissions", "version",
           "model_version", "model_name", "pretty_name"}
_BULLET = re.compile(r"^\s*[-*+]\s*\*\*(.+?)\*\*\s*:?\s*(.*)$")
_PLACEHOLDER = re.compile(r"\[?more information needed\]?(?:\([^)]*\))?|\[optional\]", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")


def _bullet_value(raw: str) -> str:
    return raw.strip().rstrip(":").strip()


def _is_placeholder(value: str) -> bool:
    return not _PLACEHOLDER.sub("", value).strip(" .-*_")


def _url_in(value: str) -> str | None:
    m = _MD_LINK.search(value)
    if m:
        return m.group(2)
    m = re.search(r"https?://[^\s<>)\]]+", value)
    return m.group(0) if m else None


def _details_bullets(text: str, details: dict[str, Any]) -> str:
    """The template's ``- **Developed by:** …`` lines into fields; returns the other lines."""
    rest = []
    for line in text.splitlines():
        m = _BULLET.match(line)
        if not m:
            rest.append(line)
            continue
        key, value = m.group(1).strip().rstrip(":").lower(), _bullet_value(m.group(2))
        if _is_placeholder(value) or not value:
            continue  # an unfilled template line carries nothing
        if key.startswith(("developed by", "shared by")):
            role = "developer" if key.startswith("developed") else "publisher"
            details.setdefault("developers", []).append({"name": value[:500], "role": role})
        elif key.startswith("model type"):
            details["type"] = value
        elif key.startswith(("finetuned from", "fine-tuned from")):
            if value not in details.get("training_details", ""):  # the front matter's base_model said it
                details["training_details"] = joined([details.get("training_details", ""), f"Fine-tuned from {value}."])
        elif key.startswith("license") or key.startswith("language"):
            continue  # the front matter's keys are authoritative
        elif key.startswith(("repository", "paper", "demo")) and _url_in(value):
            details.setdefault("paper_or_resource", []).append({"title": m.group(1).strip().rstrip(":")[:500],
                                                                "url": _url_in(value)})
        else:
            rest.append(line)
    return "\n".join(rest)


_ENV_KEYS = {"hardware type": "hardware", "hardware": "hardware", "hours used": "training_hours",
             "cloud provider": "cloud_provider", "compute region": "region", "carbon emitted": "co2_eq_kg"}
_MASS = re.compile(r"([\d.,]+)\s*(t|tons?|tonnes?|kg|kilograms?|g|grams?)?\b", re.I)


def _kg(value: Any) -> float | None:
    """A mass as kilograms: numbers are grams (the Hub's ``co2_eq_emissions`` unit); text may name
    its unit (``149 kg``, ``1.2 t``, ``300 g``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) / 1000 if value >= 0 else None
    m = _MASS.search(str(value))
    if not m:
        return None
    try:
        number = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    unit = (m.group(2) or "g").lower()
    return number * 1000 if unit.startswith("t") else number if unit.startswith("k") else number / 1000


def _hours(value: str) -> float | None:
    m = re.search(r"[\d.]+", value)
    try:
        return float(m.group(0)) if m else None
    except ValueError:
        return None


def _env_bullets(text: str, env: dict[str, Any]) -> str:
    rest = []
    for line in text.splitlines():
        m = _BULLET.match(line)
        key = m.group(1).strip().rstrip(":").lower() if m else ""
        if not m or key not in _ENV_KEYS:
            rest.append(line)
            continue
        value = _bullet_value(m.group(2))
        if _is_placeholder(value) or not value:
            continue
        target = _ENV_KEYS[key]
        parsed: Any = _kg(value) if target == "co2_eq_kg" else _hours(value) if target == "training_hours" else value[:500]
        if parsed is None:
            rest.append(line)
        else:
            env[target] = parsed
    return "\n".join(rest)


def _co2(front: dict[str, Any], env: dict[str, Any], warn: Warn) -> None:
    raw = front.get("co2_eq_emissions")
    if raw is None:
        return
    if isinstance(raw, dict):
        kg = _kg(raw.get("emissions"))
        for key, target in (("hardware_used", "hardware"), ("geographical_location", "region")):
            if isinstance(raw.get(key), str) and raw[key].strip():
                env.setdefault(target, raw[key].strip()[:500])
        how = [f"{k.replace('_', ' ').capitalize()}: {raw[k]}." for k in ("source", "training_type")
               if isinstance(raw.get(k), (str, int, float)) and str(raw[k]).strip()]
        if how:
            env["estimation_method"] = joined([env.get("estimation_method", ""), " ".join(how)])
    else:
        kg = _kg(raw)
    if kg is None:
        warn(f"co2_eq_emissions: {str(raw)[:60]!r} has no readable amount (kept in the front matter only)")
    else:
        env["co2_eq_kg"] = kg


def _citation(text: str) -> dict[str, Any] | None:
    fenced = re.search(r"```[\w-]*\n(.*?)```", text, re.S)
    bib = (fenced.group(1) if fenced else text).strip()
    if bib.startswith("@"):
        return {"bibtex": bib}
    if _is_placeholder(text):
        return None
    out: dict[str, Any] = {"text": text.strip()}
    url = _url_in(text)
    if url:
        out["url"] = url
    return out


def _people(text: str) -> list[dict[str, Any]]:
    names = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-*+]\s*", "", _MD_LINK.sub(r"\1", line)).strip()
        if line and not _is_placeholder(line):
            names += [n.strip() for n in re.split(r",\s*|\band\b", line) if n.strip()]
    return [{"name": n[:500], "role": "model card author"} for n in dict.fromkeys(names) if len(n) <= 200]


def _sources(text: str, details: dict[str, Any]) -> str:
    rest = []
    for line in text.splitlines():
        m = _BULLET.match(line)
        url = _url_in(m.group(2)) if m else None
        if m and url and not _is_placeholder(m.group(2)):
            details.setdefault("paper_or_resource", []).append({"title": m.group(1).strip().rstrip(":")[:500], "url": url})
        elif not (m and _is_placeholder(m.group(2))):
            rest.append(line)
    return "\n".join(rest).strip()


def _front(front: dict[str, Any], card: dict[str, Any], details: dict[str, Any], warn: Warn) -> None:
    lic = license_from_hub(front, warn)
    if lic is not None:
        details["license"] = lic
    datasets = front.get("datasets")
    if isinstance(datasets, str):
        datasets = [datasets]
    elif datasets is not None and not isinstance(datasets, list):
        warn(f"datasets: {str(datasets)[:60]!r} is not a list of dataset ids (kept in the front matter only)")
        datasets = []
    ids = [d.strip() for d in datasets or [] if isinstance(d, str) and d.strip()]
    if datasets and len(ids) != len(datasets):
        warn("datasets: entries that are not dataset ids were not mapped (kept in the front matter)")
    card["training_data"]["datasets"] = [{"name": d[:500], "url": dataset_url(d)} for d in dict.fromkeys(ids)
                                         if re.match(r"^[\w.-]+(?:/[\w.-]+)?$", d)]
    base = front.get("base_model")
    bases = [base] if isinstance(base, str) else [b for b in base if isinstance(b, str)] if isinstance(base, list) else []
    if bases:
        details["training_details"] = f"Fine-tuned from {', '.join(bases)}."
    for key in sorted(RESERVED & set(front)):
        warn(f"front matter `{key}` is reserved by huggingface_hub (it derives it itself): dropped")


def _name(front: dict[str, Any], index_name: str | None, title: str | None) -> str | None:
    for v in (index_name, title, front.get("model_name"), front.get("pretty_name")):
        if isinstance(v, str) and v.strip():
            return re.sub(r"[*_`]", "", v).strip()[:500]
    return None


def _model_index(front: dict[str, Any], warn: Warn) -> tuple[list[dict[str, Any]], str | None]:
    from .model_index import reported_from_model_index

    if "model-index" in front:
        return reported_from_model_index(front["model-index"], warn)
    if "model_index" in front:
        warn("front matter `model_index` is the old spelling of `model-index`: read as such (the export writes `model-index`)")
        return reported_from_model_index(front["model_index"], warn, key="model_index")
    return [], None


def _special(target: Target, text: str, details: dict[str, Any],
             notes: list[Part], heading: str) -> None:
    if target == ("@drop",):
        return
    if target == ("@citation",):
        cite = _citation(text)
        if cite:
            details["citation"] = cite
    elif target == ("@authors",):
        people = _people(text)
        if people:
            details.setdefault("owners", []).extend(people)
        elif text.strip():
            notes.append(Part(2, heading, text, 0))
    elif target == ("@contact",):
        value = _url_in(text) or text.strip()
        if is_contact(value.removeprefix("mailto:")) or is_url(value):
            details["feedback_contact"] = value
        elif text.strip():
            notes.append(Part(2, heading, text, 0))
    elif target == ("@sources",):
        rest = _sources(text, details)
        if rest:
            notes.append(Part(2, heading, rest, 0))


def _body(body: str, body_line: int, card: dict[str, Any], details: dict[str, Any], env: dict[str, Any],
          say: Warn) -> str | None:
    parts = split_sections(drop_comments(body), body_line)
    placed = place(parts, HEADINGS, intro=(*MD, "overview"))
    notes = list(placed.unmapped)
    for target, chunks in placed.fields.items():
        if target == ("@drop",):
            say("the table of contents was dropped (a rendered card has its own)")
            continue
        if target[0].startswith("@"):
            for chunk in chunks:
                _special(target, chunk, details, notes, _heading_of(target))
            continue
        text = joined(chunks)
        if target == (*MD, "overview"):
            text = _details_bullets(text, details)
        elif target[0] == "environmental_impact":
            text = _env_bullets(text, env)
        text = text.strip()
        if not text:
            continue
        holder = details if target[0] == "model_details" else env if target[0] == "environmental_impact" \
            else card.setdefault(target[0], {})
        holder[target[1]] = joined([holder.get(target[1]) or "", text])
    for part in notes:
        say(f"section {part.heading!r} (line {part.line}) has no card field: kept in `notes`")
    return (notes_text(notes) or None) if notes else None


def _heading_of(target: Target) -> str:
    return {"@citation": "Citation", "@authors": "Model card authors", "@contact": "Model card contact",
            "@sources": "Model sources", "@drop": "Table of contents"}[target[0]]


def _identity(front: dict[str, Any], index_name: str | None, body: str, details: dict[str, Any], warn: Warn) -> None:
    """The model's name (model-index, title, front matter) and version."""
    title = next((p.heading for p in split_sections(drop_comments(body)) if p.level == 1), None)
    name = _name(front, index_name, title)
    details["name"] = name or "Imported model"
    if not name:
        warn("no model name in model-index, a title or the front matter: set to 'Imported model'")
    version = front.get("version") or front.get("model_version")
    details["version"] = str(version)[:500] if version not in (None, "") else "unversioned"
    if version in (None, ""):
        warn("no version in the front matter: set to 'unversioned'")


def _kept_front(front: dict[str, Any], warn: Warn) -> dict[str, Any]:
    """The front matter kept for the export: every key but ``model-index`` (it becomes reported
    results) and the reserved ones."""
    stored = {k: v for k, v in front.items() if k not in ("model-index", "model_index") and k not in RESERVED}
    kept_only = [k for k in stored if k not in _MAPPED]
    if kept_only:
        warn(f"front matter with no card field, kept for the export: {', '.join(kept_only)}")
    return stored


def _assemble(card: dict[str, Any], details: dict[str, Any], env: dict[str, Any], notes: str | None,
              reported: list[dict[str, Any]], stored: dict[str, Any]) -> dict[str, Any]:
    """The card's data from its parts, empty values pruned."""
    if reported:
        card.setdefault("reported_results", {})["results"] = reported
        names = list(dict.fromkeys(r["metric"] for r in reported))
        card["metrics"]["performance_measures"] = [{"name": n[:500]} for n in names]
    card["model_details"] = details
    if env:
        card["environmental_impact"] = env
    if notes:
        card["notes"] = notes
    if stored:
        card["extensions"] = {"huggingface": {"front_matter": stored}}
    data: dict[str, Any] = prune(card)
    if not data.get("reported_results"):
        data.pop("reported_results", None)
    return data


def convert_hf(raw: str, display: str, *, limits: Limits | None = None) -> Conversion:
    warnings = Warnings()
    readme = split_readme(raw, display, limits, warnings.add)
    front = readme.front_matter
    card = empty_model_card()
    details: dict[str, Any] = {}
    env: dict[str, Any] = {}
    _front(front, card, details, warnings.add)
    _co2(front, env, warnings.add)
    reported, index_name = _model_index(front, warnings.add)
    notes = _body(readme.body, readme.body_line, card, details, env, warnings.add)
    _identity(front, index_name, readme.body, details, warnings.add)
    stored = _kept_front(front, warnings.add)
    data = _assemble(card, details, env, notes, reported, stored)
    return Conversion(kind="model-card", data=data, unmapped=warnings.items, source="huggingface",
                      reported=len(reported))
