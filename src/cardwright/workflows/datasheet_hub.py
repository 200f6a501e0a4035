"""A datasheet's front matter as a Hugging Face dataset card: ``pretty_name``, ``tags`` and the
size category from the computed row count; every key kept from an imported dataset card
(languages, task categories, creators, ``dataset_info``, ``configs``…) is restored by the
exporter as it was.  The licence keys are the exporter's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..schema.datasheet import Datasheet
    from ..schema.results import CompositionResults

_SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
          (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
          (10_000_000_000, "1B<n<10B"), (100_000_000_000, "10B<n<100B"), (1_000_000_000_000, "100B<n<1T")]


def size_category(n: int) -> str:
    """The Hub's size category for ``n`` rows."""
    return next((label for bound, label in _SIZES if n < bound), "n>1T")


def datasheet_front_matter(sheet: Datasheet, results: CompositionResults | None, stored: dict[str, Any]) -> dict[str, Any]:
    """The front-matter keys a datasheet gives (before the stored ones are merged in)."""
    ds = sheet.dataset
    out: dict[str, Any] = {"pretty_name": ds.name}
    if not stored:  # a datasheet of cardwright's own; an imported one keeps its tags as they were
        out["tags"] = list(dict.fromkeys(["cardwright", "datasheet", *ds.tags]))
    if results is not None:
        category = size_category(results.rows)
        kept = stored.get("size_categories")
        out["size_categories"] = kept if kept in (category, [category]) else [category]
    return out
