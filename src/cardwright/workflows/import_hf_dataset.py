"""Hugging Face dataset card (README.md with YAML front matter) → a cardwright datasheet.

A README is a dataset card when its front matter has keys only dataset cards use
(``task_categories``, ``size_categories``, ``dataset_info``, ``annotations_creators``…) or its
title starts "Dataset Card for".  The front matter's facts become answers (languages and
features → what the instances contain, splits and size → how many there are, source datasets →
how the data were acquired, annotation and language creators → who labelled and produced them,
task categories → other tasks) and the prose is matched by heading to the Gebru questions (see
:data:`HEADINGS`).  The front matter is kept whole under ``extensions.huggingface.front_matter``
for the export.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .hub import RESERVED, Readme, license_from_hub, split_readme
from .import_common import Conversion, Warn, Warnings, is_contact, prune
from .readme_sections import Placed, Target, drop_comments, joined, notes_text, place, split_sections

if TYPE_CHECKING:
    from ..schema.yaml_loader import Limits

_DATASET_KEYS = {"task_categories", "task_ids", "size_categories", "dataset_info", "annotations_creators",
                 "language_creators", "multilinguality", "source_datasets", "configs", "train-eval-index",
                 "paperswithcode_id", "pretty_name"}
_MODEL_KEYS = {"model-index", "model_index", "pipeline_tag", "library_name", "base_model", "widget", "inference"}

HEADINGS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(["dataset summary", "dataset description", "dataset details", "summary", "description",
                     "about", "about the dataset", "overview"], ("dataset", "summary")),
    **dict.fromkeys(["curation rationale", "motivation", "purpose"], ("motivation", "purpose")),
    **dict.fromkeys(["dataset curators", "curators", "creators"], ("motivation", "creators")),
    **dict.fromkeys(["supported tasks and leaderboards", "supported tasks", "leaderboards"], ("uses", "prior_uses")),
    **dict.fromkeys(["uses", "direct use", "intended use", "intended uses"], ("uses", "other_possible_tasks")),
    **dict.fromkeys(["out-of-scope use", "out-of-scope uses", "out of scope use"], ("uses", "discouraged_uses")),
    **dict.fromkeys(["languages", "language"], ("composition", "instance_contents")),
    **dict.fromkeys(["dataset structure", "data fields", "data structure", "features"],
                    ("composition", "instance_contents")),
    **dict.fromkeys(["data instances", "instances", "data examples"], ("composition", "instance_types")),
    **dict.fromkeys(["data splits", "splits"], ("composition", "recommended_splits")),
    **dict.fromkeys(["source data", "initial data collection and normalization", "data collection and processing",
                     "data collection", "collection process"], ("collection_process", "acquisition_method")),
    **dict.fromkeys(["who are the source language producers?", "who are the source data producers?",
                     "who are the source language producers", "who are the source data producers",
                     "who are the annotators?", "who are the annotators"],
                    ("collection_process", "collectors_and_compensation")),
    **dict.fromkeys(["annotations", "annotation process", "annotations [optional]", "labeling"],
                    ("preprocessing", "preprocessing_done")),
    **dict.fromkeys(["personal and sensitive information", "sensitive information", "privacy"],
                    ("composition", "sensitive_data")),
    **dict.fromkeys(["considerations for using the data", "social impact of dataset", "discussion of biases",
                     "bias, risks, and limitations", "bias, risks and limitations", "biases", "risks"],
                    ("uses", "future_use_risks")),
    **dict.fromkeys(["other known limitations", "limitations", "known limitations"],
                    ("composition", "errors_noise_redundancy")),
    "recommendations": ("uses", "other_comments"),
    **dict.fromkeys(["licensing information", "license", "licence", "licensing"], ("distribution", "license_terms")),
    **dict.fromkeys(["citation information", "citation", "bibtex", "citing"], ("@citation",)),
    **dict.fromkeys(["table of contents", "contents", "toc"], ("@drop",)),
    **dict.fromkeys(["dataset card contact", "point of contact", "contact", "dataset card authors"],
                    ("maintenance", "contact")),
    **dict.fromkeys(["additional information", "contributions", "more information", "glossary",
                     "dataset card authors [optional]"], ("notes",)),
}
#: Front-matter keys that reach datasheet fields (all are also kept for the export).
_MAPPED = {"license", "license_name", "license_link", "pretty_name", "tags", "language", "multilinguality",
           "dataset_info", "size_categories", "source_datasets", "annotations_creators", "language_creators",
           "task_categories", "task_ids"}
_BULLET = re.compile(r"^\s*[-*+]\s*\*\*(.+?)\*\*\s*:?\s*(.*)$")
_PLACEHOLDER = re.compile(r"\[?more information needed\]?(?:\([^)]*\))?", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")


def is_dataset_card(readme: Readme) -> bool:
    """Whether a README is a dataset card rather than a model card."""
    keys = set(readme.front_matter)
    if keys & _MODEL_KEYS:
        return False
    if keys & _DATASET_KEYS:
        return True
    title = next((p.heading for p in split_sections(readme.body) if p.level == 1), "")
    return title.lower().startswith("dataset card")


def _strings(value: Any) -> list[str]:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
    return []


def _feature(f: Any) -> str | None:
    if not isinstance(f, dict) or not isinstance(f.get("name"), str):
        return None
    kind = f.get("dtype")
    if kind is None and isinstance(f.get("class_label"), dict):
        names = f["class_label"].get("names")
        labels = ", ".join(f"{v} ({k})" for k, v in names.items()) if isinstance(names, dict) else ""
        kind = f"class label: {labels}" if labels else "class label"
    elif kind is None:
        kind = next((k for k in ("list", "sequence", "struct") if k in f), "nested")
    return f"`{f['name']}` ({kind})"


def _info_blocks(info: Any) -> list[dict[str, Any]]:
    if isinstance(info, dict):
        return [info]
    return [i for i in info if isinstance(i, dict)] if isinstance(info, list) else []


def _facts(front: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Answers the front matter gives, as sentences."""
    out: dict[tuple[str, str], list[str]] = {}

    def add(target: tuple[str, str], text: str) -> None:
        out.setdefault(target, []).append(text)

    langs, multi = _strings(front.get("language")), _strings(front.get("multilinguality"))
    if langs:
        add(("composition", "instance_contents"), f"Languages: {', '.join(langs)}"
            + (f" ({', '.join(multi)})." if multi else "."))
    for block in _info_blocks(front.get("dataset_info")):
        config = f" (configuration `{block['config_name']}`)" if isinstance(block.get("config_name"), str) else ""
        features = [t for f in block.get("features") or [] if (t := _feature(f))] \
            if isinstance(block.get("features"), list) else []
        if features:
            add(("composition", "instance_contents"), f"Fields{config}: {', '.join(features)}.")
        splits = [s for s in block.get("splits") or [] if isinstance(s, dict)] if isinstance(block.get("splits"), list) else []
        counts = [f"{s.get('name')}: {s['num_examples']:,} examples" for s in splits
                  if isinstance(s.get("num_examples"), int) and not isinstance(s.get("num_examples"), bool)]
        if counts:
            add(("composition", "recommended_splits"), f"Splits{config}: {'; '.join(counts)}.")
            total = sum(s["num_examples"] for s in splits if isinstance(s.get("num_examples"), int))
            add(("composition", "instance_count"), f"{total:,} examples{config} over {len(counts)} split(s).")
    sizes = _strings(front.get("size_categories"))
    if sizes:
        add(("composition", "instance_count"), f"Size category on the Hugging Face Hub: {', '.join(sizes)}.")
    sources = _strings(front.get("source_datasets"))
    if sources:
        text = ", ".join("original data (not derived from another dataset)" if s == "original" else s for s in sources)
        add(("collection_process", "acquisition_method"), f"Source datasets: {text}.")
    for key, target, label in (("annotations_creators", ("preprocessing", "preprocessing_done"), "Annotations created by"),
                               ("language_creators", ("collection_process", "collectors_and_compensation"),
                                "Language produced by")):
        if _strings(front.get(key)):
            add(target, f"{label}: {', '.join(_strings(front.get(key)))}.")
    tasks = _strings(front.get("task_categories")) + [f"{t}" for t in _strings(front.get("task_ids"))]
    if tasks:
        add(("uses", "other_possible_tasks"), f"Tasks on the Hugging Face Hub: {', '.join(dict.fromkeys(tasks))}.")
    return {k: " ".join(v) for k, v in out.items()}


def _bullets(text: str, dataset: dict[str, Any], sheet: dict[str, Any]) -> str:
    rest = []
    for line in text.splitlines():
        m = _BULLET.match(line)
        if not m:
            rest.append(line)
            continue
        key, value = m.group(1).strip().rstrip(":").lower(), m.group(2).strip()
        if not _PLACEHOLDER.sub("", value).strip(" .-*_"):
            continue
        url = (_MD_LINK.search(value) or re.search(r"()(https?://[^\s<>)\]]+)", value))
        link = url.group(2) if url else None
        if key == "homepage" and link:
            dataset["homepage"] = link
        elif key in ("repository", "paper", "demo", "leaderboard") and link:
            dataset.setdefault("links", []).append({"title": m.group(1).strip().rstrip(":"), "url": link})
        elif key in ("point of contact", "contact") and (link or is_contact(value)):
            sheet.setdefault("maintenance", {})["contact"] = link or value
        elif key.startswith("curated by"):
            sheet.setdefault("motivation", {})["creators"] = value
        elif key.startswith("funded by"):
            sheet.setdefault("motivation", {})["funding"] = value
        elif key.startswith(("license", "language")):
            continue  # the front matter's keys are authoritative
        else:
            rest.append(line)
    return "\n".join(rest)


def _citation(text: str) -> dict[str, Any] | None:
    fenced = re.search(r"```[\w-]*\n(.*?)```", text, re.S)
    bib = (fenced.group(1) if fenced else text).strip()
    if bib.startswith("@"):
        return {"bibtex": bib}
    if not _PLACEHOLDER.sub("", text).strip():
        return None
    url = _MD_LINK.search(text)
    return {"text": text.strip(), **({"url": url.group(2)} if url else {})}


def _empty_sheet() -> dict[str, Any]:
    return {"kind": "datasheet", "schema_version": 1, "status": "draft", "dataset": {}, "relates_to_people": True,
            "motivation": {}, "composition": {}, "collection_process": {}, "preprocessing": {}, "uses": {},
            "distribution": {}, "maintenance": {}}


def _front_dataset(front: dict[str, Any], warn: Warn) -> dict[str, Any]:
    """The ``dataset`` section's licence and tags from the front matter."""
    dataset: dict[str, Any] = {}
    lic = license_from_hub(front, warn)
    if lic is not None:
        dataset["license"] = lic
    tags = [t[:500] for t in _strings(front.get("tags")) if t.strip()]
    if tags:
        dataset["tags"] = list(dict.fromkeys(tags))
    return dataset


def _put(target: Target, text: str, sheet: dict[str, Any], dataset: dict[str, Any]) -> None:
    """A section's text into its question (after what is there already)."""
    if target == ("notes",):
        sheet["notes"] = joined([sheet.get("notes") or "", text])
        return
    holder = dataset if target[0] == "dataset" else sheet[target[0]]
    holder[target[1]] = joined([holder.get(target[1]) or "", text])


def _place_body(placed: Placed, sheet: dict[str, Any], dataset: dict[str, Any], warn: Warn) -> None:
    """The body's sections into the datasheet's questions; what maps nowhere into ``notes``."""
    for target, chunks in placed.fields.items():
        text = joined(chunks)
        if target == ("@drop",):
            warn("the table of contents was dropped (a rendered card has its own)")
        elif target == ("@citation",):
            cite = _citation(text)
            if cite:
                dataset["citation"] = cite
        else:
            text = (_bullets(text, dataset, sheet) if target == ("dataset", "summary") else text).strip()
            if text:
                _put(target, text, sheet, dataset)
    for part in placed.unmapped:
        warn(f"section {part.heading!r} (line {part.line}) has no datasheet question: kept in `notes`")
    if placed.unmapped:
        sheet["notes"] = joined([sheet.get("notes") or "", notes_text(placed.unmapped)])


def _name(front: dict[str, Any], title: str | None, warn: Warn) -> str:
    name = next((v for v in (front.get("pretty_name"), title) if isinstance(v, str) and v.strip()), None)
    if isinstance(name, str):
        name = re.sub(r"^dataset card for\s*", "", re.sub(r"[*_`\"]", "", name), flags=re.I).strip() or None
    if not name:
        warn("no pretty_name or title: the dataset is named 'Imported dataset'")
    return (name or "Imported dataset")[:500]


def _kept_front(front: dict[str, Any], warn: Warn) -> dict[str, Any]:
    """The front matter kept for the export (reserved keys dropped, each with a warning)."""
    for key in sorted(RESERVED & set(front)):
        warn(f"front matter `{key}` is reserved by huggingface_hub: dropped")
    stored = {k: v for k, v in front.items() if k not in RESERVED}
    kept_only = [k for k in stored if k not in _MAPPED]
    if kept_only:
        warn(f"front matter with no datasheet field, kept for the export: {', '.join(kept_only)}")
    return stored


def convert_hf_dataset(raw: str, display: str, *, limits: Limits | None = None) -> Conversion:
    warnings = Warnings()
    readme = split_readme(raw, display, limits, warnings.add)
    front = readme.front_matter
    sheet = _empty_sheet()
    dataset = _front_dataset(front, warnings.add)
    placed = place(split_sections(drop_comments(readme.body), readme.body_line), HEADINGS, intro=("dataset", "summary"))
    for (section, key), text in _facts(front).items():
        sheet[section][key] = text
    _place_body(placed, sheet, dataset, warnings.add)
    dataset["name"] = _name(front, placed.title, warnings.add)
    warnings.add("relates_to_people is set to true: cardwright cannot tell from a dataset card; with true, "
                 "the questions about people must be answered (set it to false if no person is in the data)")
    sheet["dataset"] = dataset
    stored = _kept_front(front, warnings.add)
    if stored:
        sheet["extensions"] = {"huggingface": {"front_matter": stored}}
    return Conversion(kind="datasheet", data=prune(sheet), unmapped=warnings.items, source="huggingface")
