"""The base of every results model (what a results file holds), and the slice key they share.

A results model forbids unknown keys and non-finite numbers, builds only when first used, and
leaves out of the file the keys it names in ``OMIT_NONE`` while they are ``None``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

SliceKey = dict[str, str]
"""Factor name → group label; ``{}`` is the overall slice."""


class ResultModel(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=False, protected_namespaces=(),
                              populate_by_name=True, allow_inf_nan=False, defer_build=True)

    OMIT_NONE: ClassVar[frozenset[str]] = frozenset()
    """Keys left out of the file while ``None``: fields added after the first release, so files of
    the first release's kind of card keep their bytes."""

    @model_serializer(mode="wrap")
    def _omit_none(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if self.OMIT_NONE and isinstance(data, dict):
            for name in self.OMIT_NONE:
                field = type(self).model_fields[name]
                key = field.alias if field.alias and field.alias in data else name
                if data.get(key, 0) is None:
                    del data[key]
        return data

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema, with every field's docstring as its description."""
        from .docs import documented_schema

        documented_schema()
        return super().model_json_schema(*args, **kwargs)
