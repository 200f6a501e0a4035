"""Turning a batch of rows into what the count tables need: a confusion class per row
(0 = TN, 1 = FP, 2 = FN, 3 = TP), a group code per factor, and the score.

Rows that cannot be used (a missing label, prediction or score; a missing factor value when the
card says to drop those) are counted by reason, never lost without a word.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import DataError
from ..schema.analysis import BinnedFactor, DataFile, Factor, factor_name
from .reading import ErrorAt, Locate, Source, bin_labels, canonical, matches_label, to_text

MISSING = "(missing)"
"""The group label of rows whose factor value is missing."""

MAX_GROUPS = 1000
"""Default for the most distinct groups one factor (or one intersection) may have (`--max-groups`, `max_groups`)."""

NAN_TEXTS = frozenset({"NaN", "nan"})
"""Factor values that mean "not a number" (as numpy, pandas and Python write it): the missing group."""


@dataclass
class Levels:
    """The groups of one factor, coded 0, 1, 2… in order of first appearance (sorted at the end)."""

    name: str
    binned: BinnedFactor | None = None
    labels: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    limit: int = MAX_GROUPS
    raw: dict[str, str] = field(default_factory=dict)
    """The first raw text seen for each label, to notice two texts merged by normalisation."""
    merged: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.binned is not None:
            for label in self.binned.labels or bin_labels(self.binned.bins):
                self.code(label)

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
            warn_at(f"factor {self.name!r}: {first!a} and {text!a} differ only in their Unicode form and "
                    f"are counted as one group {label!r}",
                    "write the values one way in the data (NFC) if they are meant to be different groups")
        return label

    def code(self, label: str) -> int:
        got = self.index.get(label)
        if got is None:
            got = self.index[label] = len(self.labels)
            self.labels.append(label)
        return got


@dataclass
class Decoded:
    classes: np.ndarray
    codes: list[np.ndarray]
    score: np.ndarray | None
    dropped: dict[str, int]
    weights: np.ndarray | None = None


class BatchDecoder:
    """Decodes batches for one data spec, keeping factor levels and label checks across batches."""

    def __init__(self, spec: DataFile, factors: list[Factor], source: Source, *,
                 missing_values: str = "group", locate: Locate | None = None, max_groups: int = MAX_GROUPS):
        self.spec = spec
        self.source = source
        self.missing_values = missing_values
        self.levels = [Levels(factor_name(f), f if isinstance(f, BinnedFactor) else None, limit=max_groups)
                       for f in factors]
        self.factor_columns = [f if isinstance(f, str) else f.column for f in factors]
        self.use_score = spec.score is not None
        self.label_values: set[Any] = set()
        self.other_values: set[Any] = set()
        self.positives_seen = False
        self._locate = locate  # (key, message, hint) -> DataError at the card key
        self.max_groups = max_groups
        for i, lv in enumerate(self.levels):
            lv.check_bins(lambda m, h, i=i: self._at_key(("factors", i), m, h))

    @property
    def columns(self) -> list[str]:
        cols: list[str] = []
        for c in (self.spec.label, self.spec.prediction, self.spec.score, *self.factor_columns):
            if c is not None and c not in cols:
                cols.append(c)
        return cols

    @property
    def string_columns(self) -> tuple[str, ...]:
        binned = {f.column for f in (lv.binned for lv in self.levels) if f is not None}
        return tuple(c for c in dict.fromkeys([self.spec.label, self.spec.prediction, *self.factor_columns])
                     if c is not None and c not in binned)

    def check_columns(self) -> None:
        have = set(self.source.column_names)
        keys: list[tuple[tuple[str | int, ...], str]] = []
        if self.spec.label is not None:
            keys.append((("data", "label"), self.spec.label))
        if self.spec.prediction is not None:
            keys.append((("data", "prediction"), self.spec.prediction))
        if self.spec.score is not None:
            keys.append((("data", "score"), self.spec.score))
        keys += [(("factors", i), c) for i, c in enumerate(self.factor_columns)]
        for key, column in keys:
            if column not in have:
                message = f"column {column!r} is not in {self.source.display}"
                hint = missing_column_hint(self.source)
                if self._locate is not None:
                    raise self._locate(key, message, hint)
                raise self.source.error(message, hint=hint)
            if self.source.column_names.count(column) > 1:
                places = [i + 1 for i, c in enumerate(self.source.column_names) if c == column]
                raise self._at_key(key, f"column {column!r} appears {len(places)} times in {self.source.display} "
                                   f"(columns {', '.join(map(str, places))}), so which one is meant is unclear",
                                   "give each column of the file a distinct name")

    # -- labels ---------------------------------------------------------------------------
    def _positive(self, column: Any, role: str) -> tuple[np.ndarray, np.ndarray]:
        """(is_positive, is_missing) for a label or prediction column."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_nested(column.type):
            name = self.spec.label if role == "label" else self.spec.prediction
            raise self._at_key(("data", role), f"column {name!r} holds {column.type} values (lists or records), not "
                               f"one {role} per row", "flatten it into a column of single values, or choose another "
                               "column")
        if pa.types.is_integer(column.type) or pa.types.is_boolean(column.type):
            return self._positive_numeric(column, role)
        if pa.types.is_floating(column.type):
            arr = column.to_numpy(zero_copy_only=False)
            nan = np.isnan(arr) if arr.dtype.kind == "f" else np.zeros(len(arr), bool)
            column = pa.array(np.where(nan, 0, arr), mask=nan | column.is_null().to_numpy(zero_copy_only=False))
        encoded = pc.dictionary_encode(column)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        values = encoded.dictionary.to_pylist()
        lookup = np.zeros(len(values) + 1, dtype=bool)
        lookup[: len(values)] = self._classify(values, role)
        idx = encoded.indices
        missing = idx.is_null().to_numpy(zero_copy_only=False)
        codes = idx.fill_null(len(values)).to_numpy(zero_copy_only=False)
        return lookup[codes], missing

    def _classify(self, values: list[Any], role: str) -> list[bool]:
        """Whether each distinct value is the positive label; the others are recorded, and more
        than one other value is an error (the task is binary)."""
        flags = []
        for v in values:
            positive = matches_label(v, self.spec.positive_label)
            if positive:
                self.positives_seen = True
            else:
                self.other_values.add(canonical(v))
            if role == "label":
                self.label_values.add(canonical(v))
            flags.append(positive)
        self._check_binary(role)
        return flags

    def _check_binary(self, role: str) -> None:
        if len(self.other_values) > 1 and not self.positives_seen and len(self.other_values) == 2:
            self.finish()
        if len(self.other_values) > 1:
            shown = ", ".join(sorted(map(to_text, self.other_values))[:5])
            raise self._at_key(
                ("data", "positive_label"),
                f"{role}s in {self.source.display} are not binary: besides the positive label "
                f"{self.spec.positive_label!r} they hold {shown}",
                "binary classification needs two classes; map other values to one negative class, "
                "or check `positive_label`",
            )

    def _positive_numeric(self, column: Any, role: str) -> tuple[np.ndarray, np.ndarray]:
        """The fast path for integer and boolean columns: a hash of the few distinct values, then
        one vectorised comparison."""
        import pyarrow.compute as pc

        distinct = [v for v in pc.unique(column).to_pylist() if v is not None]
        positives = [v for v, positive in zip(distinct, self._classify(distinct, role)) if positive]
        missing = column.is_null().to_numpy(zero_copy_only=False)
        values = column.fill_null(False if column.type == "bool" else 0).to_numpy(zero_copy_only=False)
        mask = np.zeros(len(values), dtype=bool)
        for v in positives:
            mask |= values == v
        return mask, missing

    def _at_key(self, key: tuple[str | int, ...], message: str, hint: str) -> DataError:
        if self._locate is not None:
            return self._locate(key, message, hint)
        return self.source.error(message, hint=hint)

    def finish(self) -> None:
        """Checks that need the whole file."""
        if not self.positives_seen and (self.label_values or self.other_values):
            shown = ", ".join(sorted(map(str, self.label_values or self.other_values))[:5])
            raise self._at_key(
                ("data", "positive_label"),
                f"no label or prediction in {self.source.display} equals positive_label "
                f"{self.spec.positive_label!r}; labels seen: {shown}",
                "set `positive_label` to the value that marks the positive class",
            )

    # -- scores ---------------------------------------------------------------------------
    def _score(self, column: Any, offset: int) -> tuple[np.ndarray, np.ndarray]:
        import pyarrow as pa
        import pyarrow.compute as pc

        if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)
                or pa.types.is_decimal(column.type)):
            try:
                column = pc.cast(column, pa.float64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
                for i, v in enumerate(column.to_pylist()):
                    try:
                        float(v) if v is not None else None
                    except (TypeError, ValueError):
                        raise self.source.error(f"score {str(v)[:40]!r} in column {self.spec.score!r} is not a number",
                                                row=offset + i, hint="the score column must hold numbers") from e
                raise self._at_key(("data", "score"), f"scores in {self.source.display} are not numbers "
                                   f"({column.type})", "the score column must hold numbers") from e
        missing = column.is_null().to_numpy(zero_copy_only=False)
        score = pc.cast(column, pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False)
        bad = ~np.isfinite(score)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise self.source.error(f"score {float(score[row])!r} is not a finite number", row=offset + row,
                                    hint="fix or remove NaN and infinite scores (an empty cell counts as missing)")
        if self.spec.threshold is not None and self.spec.prediction is None:
            out = (score < 0) | (score > 1)
            out &= ~missing
            if out.any():
                row = int(np.flatnonzero(out)[0])
                raise self.source.error(
                    f"score {float(score[row])!r} is outside [0, 1], so `threshold` cannot turn it into a prediction",
                    row=offset + row, hint="give probabilities, or give a `prediction` column",
                )
        return score, missing

    # -- factors --------------------------------------------------------------------------
    def _factor(self, column: Any, levels: Levels, key: int) -> tuple[np.ndarray, np.ndarray]:
        def error(message: str, hint: str) -> DataError:
            return self._at_key(("factors", key), message, hint)

        return factor_codes(column, levels, error)

    def decode(self, batch: Any, offset: int, weights: np.ndarray | None = None) -> Decoded:
        """``weights``: how many rows each row of ``batch`` stands for (an engine's aggregate)."""
        spec = self.spec
        n = batch.num_rows
        dropped: dict[str, int] = {}
        keep = np.ones(n, dtype=bool)

        def drop(reason: str, mask: np.ndarray) -> None:
            lost = mask & keep
            count = int(lost.sum()) if weights is None else int(weights[lost].sum())
            if count:
                dropped[reason] = dropped.get(reason, 0) + count
                keep[lost] = False

        label, label_missing = self._positive(batch.column(spec.label), "label")
        drop("missing_label", label_missing)
        score = None
        if self.use_score:
            score, score_missing = self._score(batch.column(spec.score), offset)
        if spec.prediction is not None:
            pred, pred_missing = self._positive(batch.column(spec.prediction), "prediction")
            drop("missing_prediction", pred_missing)
        else:
            assert score is not None and spec.threshold is not None
            pred = score >= spec.threshold
            drop("missing_prediction", score_missing)
        if self.use_score:
            drop("missing_score", score_missing)
        codes = []
        for i, (col, lv) in enumerate(zip(self.factor_columns, self.levels)):
            c, missing = self._factor(batch.column(col), lv, i)
            if missing.any():
                if self.missing_values == "drop":
                    drop("missing_factor", missing)
                else:
                    c = np.where(missing, lv.code(MISSING), c)
            codes.append(c)
        classes = (label.astype(np.int8) << 1) | pred.astype(np.int8)
        if not keep.all():
            classes = classes[keep]
            codes = [c[keep] for c in codes]
            score = score[keep] if score is not None else None
            weights = weights[keep] if weights is not None else None
        return Decoded(classes, codes, score, dropped, weights)


def missing_column_hint(source: Source) -> str:
    """The columns a file has, and a likelier delimiter when the header looks like one undivided name."""
    names = source.column_names
    shown = ", ".join(sorted(names)[:20]) + (" …" if len(names) > 20 else "")
    if len(names) == 1:
        for sep in (";", "\t", "|", ","):
            if sep != source.delimiter and sep in names[0]:
                return f"the header is one column {names[0][:60]!r}: set `delimiter: {sep!r}` under `data:`"
    return f"columns there: {shown}"


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
        codes = np.searchsorted(np.asarray(levels.binned.bins, dtype=float), np.where(missing, 0, x), side="right")
        return codes.astype(np.int64), missing
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
    codes = mapping[idx.fill_null(len(mapping) - 1).to_numpy(zero_copy_only=False)]
    missing = codes < 0
    return codes, missing


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
