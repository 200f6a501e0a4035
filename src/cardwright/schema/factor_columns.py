"""The factors of a card's analyses: the columns whose values (or ranges) split the rows into
groups.  A factor is a column as it is, a binned numeric column, or a categorical column with
display names and an order for renders; display settings never change the numbers."""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ._base import Section


class GroupFactor(Section):
    """A categorical column whose values are the groups, with display names and an order for
    renders.  Results keep the column's own values as keys; only renders use `labels` and `order`."""

    column: str = Field(min_length=1)
    """The column holding each row's group."""

    name: str | None = None
    """The factor's name in results; the column name when left out."""

    title: str | None = Field(default=None, min_length=1)
    """The factor's name in renders, e.g. `Age band`; `name` made readable when left out."""

    labels: dict[str, str] = Field(default_factory=dict)
    """Display names of the column's values, e.g. `{not_provided: Not provided}`; a value without
    one is shown as it is written in the data."""

    order: list[str] = Field(default_factory=list)
    """The order groups are listed and drawn in (values as written in the data); groups not named
    here follow, in the order of `labels`, then alphabetically."""

    @model_validator(mode="after")
    def _distinct(self) -> GroupFactor:
        _check_display(self.labels, self.order)
        return self

    @property
    def factor_name(self) -> str:
        return self.name or self.column


def _check_display(labels: dict[str, str], order: list[str]) -> None:
    repeated = next((v for i, v in enumerate(order) if v in order[:i]), None)
    if repeated is not None:
        raise PydanticCustomError("order_repeated", "`order` lists {value} twice", {"value": repr(repeated)})
    shown: dict[str, str] = {}
    for raw, display in labels.items():
        if display in shown:
            raise PydanticCustomError(
                "labels_repeated",
                "values {a} and {b} have the same display name {name}; readers could not tell them apart",
                {"a": repr(shown[display]), "b": repr(raw), "name": repr(display)},
            )
        shown[display] = raw


class BinnedFactor(Section):
    """A continuous column cut into ranges, each range a group."""

    column: str = Field(min_length=1)
    """The numeric column to bin."""

    bins: list[float] = Field(min_length=1)
    """Increasing cut points, e.g. `[18, 25, 45, 65]`: groups below 18, 18 to under 25, …, 65 and over."""

    labels: list[str] | dict[str, str] | None = None
    """Group names, one per range (one more than the cut points), or a mapping from each range's
    group name to its display name (`{under_25: Under 25, …}`); results use the group names, renders
    the display names.  Left out: groups named `<25`, `25-45`, …, shown as `Under 25`, `25–44`, …"""

    name: str | None = None
    """The factor's name in results; the column name when left out."""

    title: str | None = Field(default=None, min_length=1)
    """The factor's name in renders, e.g. `Age band`; `name` made readable when left out."""

    @field_validator("bins")
    @classmethod
    def _increasing(cls, v: list[float]) -> list[float]:
        if any(b <= a for a, b in itertools.pairwise(v)):
            raise PydanticCustomError("bins_order", "cut points must be strictly increasing")
        return v

    @model_validator(mode="after")
    def _label_count(self) -> BinnedFactor:
        if self.labels is not None and len(self.labels) != len(self.bins) + 1:
            raise PydanticCustomError(
                "bins_labels",
                "give one label per range: {n} cut points make {m} ranges",
                {"n": len(self.bins), "m": len(self.bins) + 1},
            )
        if isinstance(self.labels, dict):
            _check_display(self.labels, [])
        return self

    @property
    def factor_name(self) -> str:
        return self.name or self.column

    @property
    def group_names(self) -> list[str]:
        """One group name per range: the labels (their keys when they map names to display
        names), else ``<25``, ``25-45``, …, ``>=65`` (each range holds its lower end).  Ranges
        that share a label are one group."""
        return list(self.labels) if self.labels is not None else range_keys(self.bins)


def range_keys(bins: list[float]) -> list[str]:
    """Group names for cut points ``[a, b, c]``: ``<a``, ``a-b``, ``b-c``, ``>=c``."""
    t = [str(int(b)) if float(b).is_integer() else str(float(b)) for b in bins]
    return [f"<{t[0]}", *(f"{lo}-{hi}" for lo, hi in itertools.pairwise(t)), f">={t[-1]}"]


def _factor_kind(value: object) -> str:
    if isinstance(value, dict):
        return "binned" if "bins" in value else "group"
    if isinstance(value, BinnedFactor | GroupFactor):
        return "binned" if isinstance(value, BinnedFactor) else "group"
    return "column"


Factor = Annotated[
    Annotated[str, Tag("column")] | Annotated[BinnedFactor, Tag("binned")] | Annotated[GroupFactor, Tag("group")],
    Discriminator(_factor_kind),
]
"""A column name, a binned numeric column (`{column, bins}`), or a categorical column with display
names (`{column, labels, order}`)."""

AnyFactor = str | BinnedFactor | GroupFactor
"""A factor as validated (what :data:`Factor` holds)."""

#: Fields that only change how a factor is shown, never the numbers (left out of the settings hash).
DISPLAY_ONLY: dict[type, frozenset[str]] = {
    GroupFactor: frozenset({"title", "labels", "order"}),
    BinnedFactor: frozenset({"title"}),
}

Intersections = Literal["all", "none"] | list[list[str]]
"""Which intersections of the factors are reported: every one, none, or the listed ones."""


def factor_name(f: AnyFactor) -> str:
    return f if isinstance(f, str) else f.factor_name


def factor_settings(f: AnyFactor) -> str | dict[str, object]:
    """The part of a factor that changes the numbers: a plain factor with display names counts
    exactly like its bare column name."""
    if isinstance(f, str):
        return f
    if isinstance(f, GroupFactor) and f.name in (None, f.column):
        return f.column
    data = f.model_dump(mode="json", exclude=set(DISPLAY_ONLY[type(f)]))
    if isinstance(f, BinnedFactor) and isinstance(f.labels, dict):
        data["labels"] = list(f.labels)  # the group names count; their display names do not
    return data
