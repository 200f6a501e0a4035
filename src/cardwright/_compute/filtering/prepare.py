"""What a data block asks for before its values are read: trimming, missing-value tokens, a filter."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import DataError, Finding
from ...schema.analysis import CompositionData, DataFile
from ...schema.filter_syntax import Expr, columns, parse
from ..reading import CSV_NULLS

WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What `strip_whitespace` removes from both ends of a text value: the characters Python's
``str.isspace`` accepts (Unicode White_Space and the ASCII separators), listed so that every
engine strips exactly these."""

NUMBER_PATTERN = r"[ \t]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*"
"""Text that a filter reads as a number when it compares a text column with a number: decimal
digits with an optional sign, decimal point and exponent, spaces and tabs around them ignored."""

PADDING = " \t"
"""What is ignored around a number or a boolean read from text."""

TRUE_WORDS = ("true", "True", "TRUE")
FALSE_WORDS = ("false", "False", "FALSE")
"""Text that a filter reads as a boolean when it compares a text column with true or false
(spaces and tabs around them ignored)."""


class FilterError(DataError):
    """The filter does not fit the data (an unknown column, a value of another kind).  ``offset``
    is where in the filter the problem is; whoever knows the card positions the finding there."""

    def __init__(self, display: str, message: str, offset: int, hint: str | None = None, *, row: int | None = None):
        self.problem = message
        """What is wrong, as a sentence about the filter."""
        self.offset = offset
        self.hint = hint
        self.line = row
        """The data file's line of the offending value (CSV files read by the Arrow engine)."""
        where = f" (character {offset + 1} of the filter)"
        super().__init__(Finding(display, "invalid-filter", f"filter: {message}{where}", line=row, hint=hint))


@dataclass(frozen=True)
class Preparation:
    """A data block's preparation: what to strip, what is missing, which rows to keep."""

    expression: Expr | None
    na_values: tuple[str, ...]
    strip_whitespace: bool

    @classmethod
    def of(cls, spec: DataFile | CompositionData) -> Preparation | None:
        """The block's preparation, or ``None`` when it asks for none."""
        if spec.filter is None and not spec.na_values and not spec.strip_whitespace:
            return None
        expr = parse(spec.filter) if spec.filter is not None else None
        return cls(expr, tuple(spec.na_values or ()), bool(spec.strip_whitespace))

    @property
    def columns(self) -> list[str]:
        """The columns the filter reads."""
        return columns(self.expression) if self.expression is not None else []

    def tokens(self, csv: bool) -> tuple[str, ...]:
        """The values the cleaning step turns into missing ones.  In a CSV file the reader has
        already done so for the raw text; after trimming, the defaults apply to the trimmed text."""
        extra = tuple(t.strip(WHITESPACE) for t in self.na_values) if self.strip_whitespace else self.na_values
        base = tuple(CSV_NULLS) if csv and self.strip_whitespace else ()
        return tuple(dict.fromkeys(base + extra))

    def reader_nulls(self) -> list[str]:
        """What a CSV reader reads as missing: the defaults and the card's `na_values`."""
        return list(dict.fromkeys([*CSV_NULLS, *self.na_values]))

    def cleans(self, csv: bool) -> bool:
        """Whether text values need the cleaning step."""
        return self.strip_whitespace or bool(self.tokens(csv))


def filter_drops(prep: Preparation | None) -> dict[str, int]:
    """The dropped-rows entry a filter always has (``{"filter": 0}``), so results say it ran."""
    return {"filter": 0} if prep is not None and prep.expression is not None else {}
