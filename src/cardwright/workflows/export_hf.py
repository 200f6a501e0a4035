"""`cardwright export FILE --to huggingface`: a Hugging Face README (model card or dataset card).

The front matter is written with a YAML dumper (never a template), so every value is quoted the
way YAML 1.1 readers such as the Hub expect; the body is the card's Markdown rendering, with the
disaggregated tables.  A model card's front matter holds ``license``, ``tags``, ``datasets``
(Hub ids found in the datasets' URLs) and ``model-index`` with one result per overall metric.
A datasheet becomes a dataset card (``pretty_name``, ``license``, ``tags``, ``size_categories``).

Keys under the card's ``extensions.huggingface`` mapping are copied into the front matter
(e.g. ``language``, ``library_name``, ``pipeline_tag``, ``task_type``, ``dataset_id``, ``tags``).
"""

from __future__ import annotations

import re
from typing import Any

#: Licence ids the Hub knows, keyed by the lower-cased SPDX identifier.
_HUB_LICENSES = {
    "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause",
    "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
    "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0",
    "epl-2.0", "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl",
    "lgpl-2.1", "lgpl-3.0", "isc", "lppl-1.3c", "ms-pl", "mpl-2.0", "odc-by", "odbl", "openrail++", "osl-3.0",
    "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license",
    "llama2", "llama3", "gemma", "unknown", "other",
}
_HF_DATASET = re.compile(r"^https?://huggingface\.co/datasets/([\w.-]+(?:/[\w.-]+)?)/?$")


def hub_license(license: Any) -> dict[str, Any]:
    """Front-matter licence keys for a card's licence (SPDX id, expression or custom)."""
    if license is None:
        return {}
    if isinstance(license, str):
        key = re.sub(r"-only$|-or-later$", "", license.lower())
        if key in _HUB_LICENSES:
            return {"license": key}
        return {"license": "other", "license_name": license.lower().replace(" ", "-")}
    out: dict[str, Any] = {"license": "other", "license_name": re.sub(r"[^a-z0-9.-]+", "-", license.name.lower()).strip("-")}
    if license.url:
        out["license_link"] = license.url
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "dataset"


def _extensions(card: Any) -> dict[str, Any]:
    ext = (card.extensions or {}).get("huggingface")
    return dict(ext) if isinstance(ext, dict) else {}


def _front_matter(data: dict[str, Any]) -> str:
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper: Any, value: str) -> Any:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def _hub_id(ref: Any) -> str | None:
    m = _HF_DATASET.match(ref.url or "")
    return m.group(1) if m else None


def model_index(card: Any, results: Any, ext: dict[str, Any]) -> list[dict[str, Any]]:
    """``model-index``: one task × dataset with every overall metric that has a value."""
    if results is None or getattr(results, "kind", None) != "quantitative-analyses":
        return []
    from .._render.text import humanize

    datasets = card.evaluation_data.datasets
    ref = datasets[0] if datasets else None
    dataset = {
        "name": ref.name if ref else "evaluation data",
        "type": ext.get("dataset_id") or (_hub_id(ref) if ref else None) or _slug(ref.name if ref else "evaluation"),
    }
    if ext.get("dataset_split"):
        dataset["split"] = ext["dataset_split"]
    metrics = []
    for row in results.results:
        if row.slice or row.value is None:
            continue
        entry: dict[str, Any] = {"type": row.metric, "value": row.value,
                                 "name": humanize(row.metric)}
        if row.ci_low is not None and row.ci_high is not None:
            entry["args"] = {"ci_low": row.ci_low, "ci_high": row.ci_high,
                             "confidence_level": results.settings.level, "n": row.n}
        metrics.append(entry)
    if not metrics:
        return []
    task_type = ext.get("task_type") or "tabular-classification"
    task = {"type": task_type, "name": ext.get("task_name") or "Binary classification"}
    return [{"name": card.model_details.name, "results": [{"task": task, "dataset": dataset, "metrics": metrics}]}]


_EXT_SKIP = {"task_type", "task_name", "dataset_id", "dataset_split", "tags"}


def export_huggingface(card: Any, results: Any = None) -> str:
    """The README text (front matter and Markdown body) for a model card or a datasheet."""
    from .. import render

    ext = _extensions(card)
    if card.kind == "model-card":
        md = card.model_details
        data: dict[str, Any] = {**hub_license(md.license)}
        tags = ["cardwright", "model-card"]
        if results is not None and getattr(results, "gates", None):
            tags.append("fairness-gates")
        hub_datasets = sorted({i for s in (card.training_data, card.evaluation_data) for r in s.datasets
                               if (i := _hub_id(r))})
        if hub_datasets:
            data["datasets"] = hub_datasets
        if results is not None and getattr(results, "kind", None) == "quantitative-analyses":
            data["metrics"] = list(dict.fromkeys(r.metric for r in results.results if not r.slice))
    else:
        ds = card.dataset
        data = {"pretty_name": ds.name, **hub_license(ds.license)}
        tags = ["cardwright", "datasheet", *ds.tags]
        rows = getattr(results, "rows", None)
        if rows is not None:
            data["size_categories"] = [_size_category(rows)]
    data["tags"] = list(dict.fromkeys([*tags, *[str(t) for t in ext.get("tags", [])]]))
    data.update({k: v for k, v in ext.items() if k not in _EXT_SKIP})
    if card.kind == "model-card":
        index = model_index(card, results, ext)
        if index:
            data["model-index"] = index
    body = render(card, results, to="md")
    assert isinstance(body, str)
    return f"---\n{_front_matter(data)}---\n\n{body}"


def _size_category(n: int) -> str:
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]
    return next((label for bound, label in bounds if n < bound), "n>1T" if n >= 10**12 else "1B<n<10B")
