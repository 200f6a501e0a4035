"""Building blocks shared by every card model: the section base class and the text types.

Conventions (every schema module follows them):

* every model derives from :class:`Section` (``extra="forbid"``: a typo is an error);
* every field has an attribute docstring directly under it; it is the author guidance that
  flows into the JSON Schema (hover docs in editors), the scaffold's comments and the docs
  (attached when read, by :mod:`.docs`, so building the models parses no source);
* prose fields use :data:`Prose` (required under ``--strict``) or :data:`OptionalProse`
  (may stay empty); both accept Markdown and default to ``None`` (unanswered);
* short single-line text (names, versions, identifiers) uses :data:`Text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints


@dataclass(frozen=True)
class ProseKind:
    """Marks a field as Markdown prose; ``required`` means ``--strict`` expects an answer."""

    required: bool


Prose = Annotated[
    str | None,
    ProseKind(required=True),
    Field(json_schema_extra={"x-cardwright-prose": "required", "contentMediaType": "text/markdown"}),
]
"""Markdown prose an author is expected to write (``--strict`` reports it when empty)."""

OptionalProse = Annotated[
    str | None,
    ProseKind(required=False),
    Field(json_schema_extra={"x-cardwright-prose": "optional", "contentMediaType": "text/markdown"}),
]
"""Markdown prose that may stay empty."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=500)]
"""A short piece of plain text: a name, a version, an identifier."""


class Section(BaseModel):
    """Base of every card model: unknown keys are errors, docstrings become descriptions (when
    read, see :mod:`.docs`)."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=False,
        populate_by_name=True,
        validate_default=False,
        protected_namespaces=(),
        defer_build=True,
    )

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema, with every field's docstring as its description."""
        from .docs import documented_schema

        documented_schema()
        return super().model_json_schema(*args, **kwargs)


class CardBase(Section):
    """Fields and behaviour common to model cards and datasheets."""

    schema_ref: str | None = Field(default=None, alias="$schema")
    """The JSON Schema this file follows; editors use it for completion.  Ignored by cardwright."""

    extensions: dict[str, Any] | None = None
    """Free-form data of your own (team fields, links to internal systems).  Rendered in an
    appendix.  Give it a shape with `extensions_schema`."""

    extensions_schema: str | None = None
    """Path (relative to this card) of a JSON Schema that `extensions` must satisfy."""

    _source: Path | None = PrivateAttr(default=None)
    _positions: dict[tuple[str | int, ...], tuple[int, int]] = PrivateAttr(default_factory=dict)
    _yaml11_ambiguous: list[tuple[str | int, ...]] = PrivateAttr(default_factory=list)
    _source_text: str = PrivateAttr(default="")
    _scalar_spans: dict[tuple[str | int, ...], Any] = PrivateAttr(default_factory=dict)

    @property
    def source_path(self) -> Path | None:
        """The file this card was loaded from (``None`` for a card built in memory)."""
        return self._source

    @property
    def base_dir(self) -> Path:
        """The folder that relative paths in this card are resolved against."""
        return self._source.parent if self._source is not None else Path.cwd()

    def resolve(self, relative: str) -> Path:
        """A path written in the card, resolved against the card's folder."""
        return (self.base_dir / relative).resolve()

    def locate(self, loc: tuple[str | int, ...] | list[str | int]) -> tuple[int | None, int | None]:
        """``(line, column)`` (1-based) of the value at ``loc`` in the source, or of its nearest
        ancestor that has one; ``(None, None)`` for an in-memory card."""
        key = tuple(loc)
        while True:
            if key in self._positions:
                return self._positions[key]
            if not key:
                return (None, None)
            key = key[:-1]

    def locate_in(self, loc: tuple[str | int, ...], value: str, offset: int) -> tuple[int | None, int | None]:
        """``(line, column)`` of character ``offset`` of ``value``, the text at ``loc`` (the
        value's start when its source is unknown)."""
        from .scalar_positions import position_in

        span = self._scalar_spans.get(tuple(loc))
        if span is None:
            return self.locate(loc)
        return position_in(self._source_text, span, value, offset)
