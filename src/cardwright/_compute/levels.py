"""The groups of a factor: each group's label (Unicode NFC, the ``(missing)`` group, a binned
factor's ranges) and code, a column's values turned into codes, and the limit on how many groups a
factor or an intersection may have."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..schema.analysis import BinnedFactor
from .codebook import Codebook
from .reading import ErrorAt, to_text

MISSING = "(missing)"
"""The group label of rows whose factor value is missing."""

MAX_GROUPS = 1000
"""Default for the most distinct groups one factor (or one intersection) may have (`--max-groups`, `max_groups`)."""

NAN_TEXTS = frozenset({"NaN", "nan"})
"""Factor values that mean "not a number" (as numpy, pandas and Python write it): the missing group."""


@dataclass
class Levels(Codebook):
    """The groups of one factor, coded 0, 1, 2… in order of first appearance (sorted at the end)."""

    name: str
    binned: BinnedFactor | None = None
    limit: int = MAX_GROUPS
    raw: dict[str, str] = field(default_factory=dict)
    """The first raw text seen for each label, to notice two texts merged by normalisation."""
    merged: set[tuple[str, str]] = field(default_factory=set)

    ranges: np.ndarray | None = None
    """For a binned factor, the group code of each range (ranges that share a label share a group)."""

    def __post_init__(self) -> None:
        if self.binned is not None:
            labels = self.binned.group_names
            self.ranges = np.array([self.code(label) for label in labels], dtype=np.int64)

    def check_bins(self, error: Any) -> None:
        """A binned factor's ranges count against the group limit too (before anything is counted)."""
        if self.binned is not None and len(self.labels) > self.limit:
            raise error(f"factor {self.name!r} has {len(self.labels):,} bins, more than the {self.limit:,} groups "
                        "one factor may have", "use fewer cut points, or raise the limit with --max-groups or "
                        "`max_groups` in [tool.cardwright]")

    def label_of(self, text: str, warn_at: Any) -> str:
        """The group label of a raw text: Unicode NFC, so one name typed two ways is one group;
        the first time two different texts merge, ``warn_at(message, hint)`` says so."""
        label = unicodedata.normalize("NFC", text)
        first = self.raw.setdefault(label, text)
        if first != text and (label, text) not in self.merged:
            self.merged.add((label, text))
            a, b = sorted((first, text))  # not in the order seen: engines that group in parallel see either first
            warn_at(f"factor {self.name!r}: {a!a} and {b!a} differ only in their Unicode form and "
                    f"are counted as one group {label!r}",
                    "write the values one way in the data (NFC) if they are meant to be different groups")
        return label


def factor_codes(column: Any, levels: Levels, error: ErrorAt) -> tuple[np.ndarray, np.ndarray]:
    """(group codes, is_missing) of a factor column; ``error(message, hint)`` makes the error
    raised for a column that cannot be a factor (and, re-issued as a ``merged-groups`` warning,
    the note that two texts became one group).  NaN (and the texts ``NaN``, ``nan``) is missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_nested(column.type):
        column_name = levels.binned.column if levels.binned is not None else levels.name
        raise error(f"column {column_name!r} holds {column.type} values (lists or records), not one value per row, "
                    "so it cannot be a factor", "flatten it into a column of single values (one column per field "
                    "or element), or choose another column")
    if levels.binned is not None:
        if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
            try:
                column = pc.cast(column, pa.float64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
                raise error(f"column {levels.binned.column!r} holds {column.type}, which cannot be binned",
                            "bin a numeric column") from e
        x = pc.cast(column, pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)
        missing = np.isnan(x)
        assert levels.ranges is not None
        return levels.ranges[bin_index(x, levels.binned.bins)], missing
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    values = encoded.dictionary.to_pylist()
    nan = [_is_nan(v) for v in values]
    texts = [to_text(v) for v in values]
    if len((set(levels.labels) | {t for t, n in zip(texts, nan) if not n}) - {MISSING}) > levels.limit:
        raise error(f"factor {levels.name!r} has more than {levels.limit:,} distinct values, too many groups to report",
                    f"bin the column ({{column: {levels.name}, bins: [...]}}), leave it out of the factors, "
                    "or raise the limit with --max-groups or `max_groups` in [tool.cardwright]")

    def merged(message: str, hint: str) -> None:
        from dataclasses import replace

        from ..errors import warn

        warn(replace(error(message, hint).findings[0], code="merged-groups", severity="warning"))

    mapping = np.array([-1 if n else levels.code(levels.label_of(t, merged)) for t, n in zip(texts, nan)] + [-1],
                       dtype=np.int64)
    idx = encoded.indices
    codes = mapping[(idx.fill_null(len(mapping) - 1) if idx.null_count else idx).to_numpy(zero_copy_only=False)]
    missing = codes < 0
    return codes, missing


def bin_index(x: np.ndarray, bins: list[float]) -> np.ndarray:
    """For each value, how many of the (ascending) ``bins`` edges are at or below it (the range
    it falls in; NaN: 0), as ``np.searchsorted(bins, x, side="right")``; for a few edges, as a sum
    of comparisons, which streams instead of searching."""
    edges = np.asarray(bins, dtype=np.float64)
    if len(edges) > 8:
        return np.searchsorted(edges, np.where(np.isnan(x), -np.inf, x), side="right")
    out = np.zeros(len(x), dtype=np.intp)
    for edge in edges:
        out += x >= edge
    return out


def _is_nan(value: Any) -> bool:
    return (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and value in NAN_TEXTS)


def check_intersections(names: list[str], sizes: list[int], overs: list[tuple[int, ...]], limit: int,
                        error: Any) -> None:
    """Every intersection's groups (the product of its factors' groups) count against the group
    limit, before any intersection is enumerated; ``error(message, hint)`` makes the error."""
    for over in overs:
        if len(over) < 2:
            continue
        groups = math.prod(sizes[i] for i in over)
        if groups > limit:
            parts = " × ".join(f"{names[i]} ({sizes[i]:,})" for i in over)
            raise error(f"the intersection {parts} has {groups:,} groups, more than the {limit:,} one factor or "
                        "intersection may have",
                        "bin the factors more coarsely, list only the intersections you need under `intersections`, "
                        "or raise the limit with --max-groups or `max_groups` in [tool.cardwright]")
