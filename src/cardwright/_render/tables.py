"""Tables as every output lays them out: cells with an optional second line (an interval), a
class for styling (``num``, ``pass``, ``fail``, ``warn``, ``suppressed``, ``ref``), and rows grouped
under headings (a factor's groups under its name).

A cell reads the same everywhere: ``str(cell)`` is its one-line form (``0.712 (0.685 to 0.737)``),
which Markdown uses; HTML puts the second line under the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema.results import Provenance
from .charts import Chart
from .text import fmt, humanize


@dataclass(frozen=True)
class Cell:
    """One table cell: ``text``, an optional second line ``sub``, a styling ``cls`` and a column span."""

    text: str
    sub: str = ""
    cls: str = ""
    span: int = 1

    def __str__(self) -> str:
        if not self.sub:
            return self.text
        return f"{self.text} {self.sub}" if self.sub.startswith("±") else f"{self.text} ({self.sub})"

    def startswith(self, prefix: str | tuple[str, ...]) -> bool:
        return str(self).startswith(prefix)


def num(value: object) -> Cell:
    """A number right-aligned: counts with thousands separators, floats to three places."""
    return Cell(fmt(value), cls="num")


@dataclass
class RowGroup:
    """Rows under one heading (``title`` empty: no heading row)."""

    title: str
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""


@dataclass
class Table:
    """A table with a caption; the first cell of each row is its header."""

    id: str
    caption: str
    columns: list[str]
    groups: list[RowGroup] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    heading: str = ""
    charts: list[Chart] = field(default_factory=list)
    """Charts that go with the table (feature importance, distributions)."""
    details: list[Table] = field(default_factory=list)
    """Tables that detail this one (e.g. every stratum of a conditional measure), shown after it."""

    @classmethod
    def plain(cls, id: str, caption: str, columns: list[str], rows: list[list[Cell]]) -> Table:
        return cls(id, caption, columns, [RowGroup("", rows)])

    @property
    def rows(self) -> list[list[Cell]]:
        """Every row, in order, without the group headings."""
        return [r for g in self.groups for r in g.rows]

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def numeric(self) -> list[bool]:
        """Per column: every cell in it is a number (its heading is aligned like them)."""
        cols: list[bool] = [True] * len(self.columns)
        for row in self.rows:
            i = 0
            for cell in row:
                if cell.span == 1 and i < len(cols) and "num" not in cell.cls.split():
                    cols[i] = False
                i += cell.span
        return [bool(self.rows) and c for c in cols]


def text_rows(rows: list[list[str]]) -> list[list[Cell]]:
    return [[Cell(c) for c in row] for row in rows]


def provenance_lines(prov: Provenance) -> list[tuple[str, str]]:
    """A results file's provenance as labelled lines (every key kept)."""
    out = []
    for k, v in prov.model_dump(mode="json").items():
        if isinstance(v, dict):
            v = ", ".join(f"{a}: {fmt(b)}" for a, b in v.items()) or "none"
        out.append((humanize(k), fmt(v)))
    return out
