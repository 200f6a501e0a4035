"""The types of a data block's preparation keys (`filter`, `na_values`, `strip_whitespace`),
shared by a model card's evaluation data and a datasheet's data.

A filter's syntax is checked when the card is validated (its columns only when the data are
read); a syntax error carries the offset of the offending token, so the finding points at it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from .filter_syntax import FilterSyntaxError, parse


def check_filter(text: str) -> str:
    """``text`` unchanged when it parses as a filter; a positioned validation error otherwise."""
    try:
        parse(text)
    except FilterSyntaxError as e:
        raise PydanticCustomError(
            "filter_syntax", "{message}",
            {"message": f"{e.message} (character {e.offset + 1} of the filter)", "offset": e.offset,
             "hint": e.hint or ""},
        ) from e
    return text


FilterExpression = Annotated[str, AfterValidator(check_filter)]
"""A filter in cardwright's filter language (see docs/filtering.md)."""

MissingTokens = Annotated[list[str], Field(max_length=1000)]
"""Values that mean "missing" (each compared with the whole value, case-sensitively)."""
