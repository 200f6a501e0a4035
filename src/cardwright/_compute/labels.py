"""Reading label, prediction, score and weight columns: which rows are positive (binary), which
class a row has (multiclass), and numbers (regression, scores, weights), with errors that name
the row or the card key.

Every function takes one Arrow column of a batch; the same code reads the Arrow pass's rows and
the DuckDB and Spark aggregates (one row per distinct key), so what counts as positive, as a
class or as a number is decided in one place for every engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import DataError
from .codebook import Codebook
from .reading import Source, canonical, matches_label, to_text

Loc = tuple[str | int, ...]
AtKey = Callable[[Loc, str, str], DataError]


def refuse_nested(column: Any, at_key: AtKey, key: Loc, name: str | None, what: str) -> None:
    """Lists and records are not one value per row: an error at the card key."""
    import pyarrow as pa

    if pa.types.is_nested(column.type):
        raise at_key(key, f"column {name!r} holds {column.type} values (lists or records), not one {what} per row",
                     "flatten it into a column of single values, or choose another column")


@dataclass
class BinaryLabels:
    """Which label and prediction values are positive, with the checks that the task is binary."""

    positive: Any
    """The card's `positive_label`: a value or a list of values."""
    source: Source
    at_key: AtKey
    columns: dict[str, str | None] = field(default_factory=dict)
    """The card's label and prediction column names, for messages."""
    seen: dict[str, set[Any]] = field(default_factory=lambda: {"label": set(), "prediction": set()})
    """The distinct values of the label and prediction columns (their identity, see ``canonical``)."""
    shown: dict[str, dict[Any, str]] = field(default_factory=lambda: {"label": {}, "prediction": {}})
    other_values: set[Any] = field(default_factory=set)
    others: dict[str, set[Any]] = field(default_factory=lambda: {"label": set(), "prediction": set()})
    positives_seen: bool = False

    def is_positive(self, value: Any) -> bool:
        wanted = self.positive if isinstance(self.positive, list) else [self.positive]
        return any(matches_label(value, p) for p in wanted)

    def read(self, column: Any, role: str, name: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(is_positive, is_missing)`` for a label or prediction column (named ``name``)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        refuse_nested(column, self.at_key, ("data", role), name, role)
        if pa.types.is_integer(column.type) or pa.types.is_boolean(column.type):
            return self._numeric(column, role)
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
        """Whether each distinct value is positive; the others are recorded, and more than one
        other value is an error (the task is binary)."""
        flags = []
        for v in values:
            positive = self.is_positive(v)
            if positive:
                self.positives_seen = True
            else:
                self.other_values.add(canonical(v))
                self.others[role].add(canonical(v))
            self.seen[role].add(canonical(v))
            self.shown[role].setdefault(canonical(v), to_text(v))
            flags.append(positive)
        self._check_binary()
        return flags

    def _values_seen(self, but: str | None = None) -> str:
        """Each column's distinct values, named: ``label column 'y' holds 0, 1; prediction …``."""
        parts = []
        for role in ("label", "prediction"):
            column = self.columns.get(role)
            if column is None or not self.seen[role] or role == but:
                continue
            values = sorted(self.shown[role].values())
            more = f" (and {len(values) - 8} more)" if len(values) > 8 else ""
            parts.append(f"{role} column {column!r} holds {', '.join(values[:8])}{more}")
        return "; ".join(parts)

    def _check_binary(self) -> None:
        if len(self.other_values) > 1 and not self.positives_seen and len(self.other_values) == 2:
            self.finish()
        if len(self.other_values) <= 1:
            return
        wide = next((r for r in ("label", "prediction") if len(self.others[r]) > 1), None)
        if wide is not None:
            values = ", ".join(sorted(self.shown[wide][v] for v in self.others[wide])[:8])
            rest = self._values_seen(but=wide)
            message = (f"{wide} column {self.columns.get(wide)!r} in {self.source.display} is not binary: besides "
                       f"the positive label {self.positive!r} it holds {values}" + (f" ({rest})" if rest else ""))
        else:
            message = (f"the label and prediction columns in {self.source.display} write the other class "
                       f"differently ({self._values_seen()})")
        raise self.at_key(
            ("data", "positive_label"), message,
            "binary classification needs two classes, written the same way in both columns; map other values "
            "to one negative class, or check `positive_label`",
        )

    def _numeric(self, column: Any, role: str) -> tuple[np.ndarray, np.ndarray]:
        """The fast path for integer and boolean columns: a hash of the few distinct values, then
        one vectorised comparison."""
        import pyarrow.compute as pc

        distinct = [v for v in pc.unique(column).to_pylist() if v is not None]
        positives = [v for v, positive in zip(distinct, self._classify(distinct, role)) if positive]
        if column.null_count:
            missing = column.is_null().to_numpy(zero_copy_only=False)
            column = column.fill_null(False if column.type == "bool" else 0)
        else:
            missing = np.zeros(len(column), dtype=bool)
        values = column.to_numpy(zero_copy_only=False)
        mask = np.zeros(len(values), dtype=bool)
        for v in positives:
            mask |= values == v
        return mask, missing

    def finish(self) -> None:
        """Checks that need the whole file."""
        if not self.positives_seen and (self.seen["label"] or self.seen["prediction"]):
            raise self.at_key(
                ("data", "positive_label"),
                f"no label or prediction in {self.source.display} equals positive_label "
                f"{self.positive!r} ({self._values_seen()})",
                "set `positive_label` to the value that marks the positive class",
            )


@dataclass
class Classes(Codebook):
    """The classes of a multiclass evaluation, coded 0, 1, 2… in order of appearance (the score
    columns' classes first); labels and predictions share them."""

    limit: int = 1000

    def read(self, column: Any, at_key: AtKey, key: Loc, name: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(class codes, is_missing)`` of a label or prediction column (named ``name``)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        refuse_nested(column, at_key, key, name, str(key[-1]))
        if pa.types.is_integer(column.type) and not column.null_count and len(column):
            codes = self._small_integers(column.to_numpy(zero_copy_only=False), at_key, key)
            if codes is not None:
                return codes, np.zeros(len(codes), dtype=bool)
        if pa.types.is_floating(column.type):
            arr = column.to_numpy(zero_copy_only=False)
            nan = np.isnan(arr)
            column = pa.array(np.where(nan, 0, arr), mask=nan | column.is_null().to_numpy(zero_copy_only=False))
        encoded = pc.dictionary_encode(column)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        values = encoded.dictionary.to_pylist()
        mapping = np.array([self.code(to_text(v)) for v in values] + [-1], dtype=np.int64)
        if len(self.labels) > self.limit:
            raise at_key(key, f"the labels and predictions hold more than {self.limit:,} classes",
                         "check the column, or raise the limit with --max-groups")
        idx = encoded.indices
        missing = idx.is_null().to_numpy(zero_copy_only=False)
        return mapping[idx.fill_null(len(values)).to_numpy(zero_copy_only=False)], missing

    def _small_integers(self, values: np.ndarray, at_key: AtKey, key: Loc) -> np.ndarray | None:
        """Class codes of an integer column without nulls whose values span fewer than 65,536
        integers, by a lookup table instead of a hash (``None`` for a wider span).  Classes seen
        for the first time are coded in increasing order of value, not of first appearance: the
        codes are internal, the count table orders the classes by label."""
        low = values.min()
        lo, hi = int(low), int(values.max())
        if hi - lo >= 1 << 16:
            return None
        offsets = (values - low).astype(np.int64)  # within the span: no overflow in any integer type
        present = np.flatnonzero(np.bincount(offsets, minlength=hi - lo + 1))
        lookup = np.full(hi - lo + 1, -1, dtype=np.int64)
        lookup[present] = [self.code(to_text(int(v) + lo)) for v in present.tolist()]
        if len(self.labels) > self.limit:
            raise at_key(key, f"the labels and predictions hold more than {self.limit:,} classes",
                         "check the column, or raise the limit with --max-groups")
        out: np.ndarray = lookup[offsets]
        return out


def numbers(column: Any, *, name: str, what: str, source: Source, at_key: AtKey, key: Loc, offset: int,
            booleans: bool = False, native: bool = False, limit: float | None = None,
            ) -> tuple[np.ndarray, np.ndarray]:
    """``(values as float64, is_missing)`` of the numeric column ``name`` (booleans as 1.0 and 0.0
    when ``booleans``; ``native``: a floating-point column in its own precision, for a caller that
    widens it itself); text that is not a number, NaN, infinities and (given ``limit``) values
    beyond ``±limit`` are errors naming the row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    refuse_nested(column, at_key, key, name, what)
    if pa.types.is_boolean(column.type) and booleans:
        column = pc.cast(column, pa.float64())
    if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)
            or pa.types.is_decimal(column.type)):
        try:
            column = pc.cast(column, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
            for i, v in enumerate(column.to_pylist()):
                try:
                    float(v) if v is not None else None
                except (TypeError, ValueError):
                    raise source.error(f"{what} {str(v)[:40]!r} in column {name!r} is not a number",
                                       row=offset + i, hint=f"the {what} column must hold numbers") from e
            raise at_key(key, f"{what}s in {source.display} are not numbers ({column.type})",
                         f"the {what} column must hold numbers") from e
    nulls = column.null_count
    missing = column.is_null().to_numpy(zero_copy_only=False) if nulls else np.zeros(len(column), dtype=bool)
    floats = column if column.type == pa.float64() or (native and pa.types.is_floating(column.type)) \
        else pc.cast(column, pa.float64())
    values = (floats.fill_null(0.0) if nulls else floats).to_numpy(zero_copy_only=False)
    low, high = (values.min(), values.max()) if values.size else (0.0, 0.0)
    if not (math.isfinite(low) and math.isfinite(high)):  # NaN or ±inf somewhere
        row = int(np.flatnonzero(~np.isfinite(values))[0])
        raise source.error(f"{what} {float(values[row])!r} is not a finite number", row=offset + row,
                           hint=f"fix or remove NaN and infinite {what}s (an empty cell counts as missing)")
    if limit is not None and max(-low, high) > limit:
        row = int(np.flatnonzero(np.abs(values) > limit)[0])
        raise source.error(beyond_limit(what, name, float(values[row]), limit), row=offset + row,
                           hint=BEYOND_LIMIT_HINT)
    return values, missing


BEYOND_LIMIT_HINT = "rescale the column (say, to thousands or millions), or leave such rows out with a filter"


def beyond_limit(what: str, column: str, value: float, limit: float) -> str:
    return (f"{what} {value:g} in column {column!r} is beyond ±{limit:g}, the largest magnitude whose "
            "moments cardwright sums exactly")
