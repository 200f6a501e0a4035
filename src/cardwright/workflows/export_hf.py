"""`cardwright export FILE --to huggingface`: a Hugging Face README (model card or dataset card).

The front matter is written with a YAML dumper (never a template).  A model card's holds its
licence as Hub keys, the Hub dataset ids of its datasets, ``tags``, ``metrics`` and
``model-index`` with every computed and reported metric, slices included (see
:mod:`.model_index`).  A datasheet becomes a dataset card (``pretty_name``, licence, languages,
task categories, size category from the computed row count…).  The body is the card's Markdown
rendering (with the computed composition statistics of a datasheet).

Front matter kept by ``cardwright import`` (``extensions.huggingface.front_matter``) is written
back unchanged — every key the Hub reads, in its original order — except where the card's own
value changed since (licence, datasets).  Bookkeeping keys are never written, nor the keys
``huggingface_hub`` reserves (``eval_results``, ``model_name``).  Hand-written
``extensions.huggingface`` keys (``language``, ``library_name``, ``pipeline_tag``…) are copied as
they are; ``task_type``, ``task_name``, ``dataset_id`` and ``dataset_split`` shape ``model-index``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .hub import BOOKKEEPING, LICENSE_KEYS, RESERVED, dump_front_matter, hub_dataset_id, license_to_hub, same_license

if TYPE_CHECKING:
    from ..schema.card import Card
    from ..schema.common import License
    from ..schema.datasheet import Datasheet
    from ..schema.model_card import ModelCard
    from ..schema.results import AnalysisResults, CompositionResults, Results

Warn = Callable[[str], None]


def hf_extensions(card: Card) -> dict[str, Any]:
    ext = (card.extensions or {}).get("huggingface")
    return dict(ext) if isinstance(ext, dict) else {}


def stored_front_matter(ext: dict[str, Any]) -> dict[str, Any]:
    fm = ext.get("front_matter")
    return dict(fm) if isinstance(fm, dict) else {}


def _hand_written(ext: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ext.items() if k not in BOOKKEEPING}


def _licence_keys(license: License | None, stored: dict[str, Any]) -> dict[str, Any]:
    if any(k in stored for k in LICENSE_KEYS) and same_license(license, stored):
        return {k: stored[k] for k in LICENSE_KEYS if k in stored}
    return license_to_hub(license)


def _dataset_ids(card: ModelCard) -> list[str]:
    return list(dict.fromkeys(i for s in (card.training_data, card.evaluation_data) for r in s.datasets
                              if (i := hub_dataset_id(r.url))))


def _stored_ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _merge(data: dict[str, Any], stored: dict[str, Any], mapped: dict[str, Any]) -> dict[str, Any]:
    """Stored keys in their order, mapped keys replacing theirs (or appended), reserved keys out."""
    out: dict[str, Any] = {}
    for k, v in stored.items():
        if k in RESERVED or k in ("model-index", "model_index"):
            continue
        out[k] = mapped.pop(k) if k in mapped else v
    for k in LICENSE_KEYS:  # licence keys the card no longer has
        if k in out and k not in data:
            del out[k]
    out.update(mapped)
    return out


def model_card_front_matter(card: ModelCard, results: AnalysisResults | None, warn: Warn) -> dict[str, Any]:
    from .model_index_export import build_model_index

    ext = hf_extensions(card)
    stored = stored_front_matter(ext)
    mapped: dict[str, Any] = dict(_licence_keys(card.model_details.license, stored))
    licence = dict(mapped)
    ids = _dataset_ids(card)
    if "datasets" in stored and set(_stored_ids(stored["datasets"])) == set(ids):
        mapped["datasets"] = stored["datasets"]
    elif ids:
        mapped["datasets"] = ids
    elif "datasets" in stored:
        stored = {k: v for k, v in stored.items() if k != "datasets"}
    metrics = list(dict.fromkeys(r.metric for r in results.results if not r.slice and r.value is not None)) if results else []
    if "metrics" in stored:
        mapped["metrics"] = stored["metrics"] if not metrics else _union(stored["metrics"], metrics)
    elif metrics:
        mapped["metrics"] = metrics
    if not stored:  # a card of cardwright's own; an imported card keeps its tags as they were
        tags = ["cardwright", "model-card"] + (["fairness-gates"] if results is not None and results.gates else [])
        mapped["tags"] = list(dict.fromkeys([*tags, *[str(t) for t in ext.get("tags", []) or []]]))
    for k, v in _hand_written(ext).items():
        if k not in RESERVED and k != "tags":
            mapped.setdefault(k, v)
    data = _merge(licence, stored, mapped)
    index = build_model_index(card, results, ext, warn)
    if index:
        data["model-index"] = index
    return data


def _union(stored: Any, extra: list[str]) -> Any:
    if not isinstance(stored, list):
        return stored
    return list(dict.fromkeys([*stored, *extra]))


def dataset_card_front_matter(sheet: Datasheet, results: CompositionResults | None) -> dict[str, Any]:
    from .datasheet_hub import datasheet_front_matter

    ext = hf_extensions(sheet)
    stored = stored_front_matter(ext)
    mapped = datasheet_front_matter(sheet, results, stored)
    licence = dict(_licence_keys(sheet.dataset.license, stored))
    mapped.update(licence)
    for k, v in _hand_written(ext).items():
        if k not in RESERVED and k != "tags":
            mapped.setdefault(k, v)
    return _merge(licence, stored, mapped)


def export_huggingface(card: Card, results: Results | None = None, *, warn: Warn | None = None) -> str:
    """The README text (front matter and Markdown body) for a model card or a datasheet.
    ``warn(message)`` hears about what could not be written into the front matter."""
    from .. import render

    notes: list[str] = []
    say: Warn = warn or notes.append
    if card.kind == "model-card":
        analysis = results if results is not None and results.kind == "quantitative-analyses" else None
        data = model_card_front_matter(card, analysis, say)
    else:
        composition = results if results is not None and results.kind == "composition" else None
        data = dataset_card_front_matter(card, composition)
    body_card = _without_bookkeeping(card)
    body = render(body_card, results, to="md")
    assert isinstance(body, str)
    return f"---\n{dump_front_matter(data)}---\n\n{body}"


def _without_bookkeeping(card: Card) -> Card:
    """The card without ``extensions.huggingface`` (it is in the front matter already)."""
    ext = dict(card.extensions or {})
    if "huggingface" not in ext:
        return card
    ext.pop("huggingface")
    return card.model_copy(update={"extensions": ext or None})
